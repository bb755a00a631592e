use crate::lint::common;
use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::rule::{Profile, RuleMeta, Severity};
use crate::saml::aws as names;

pub static META: RuleMeta = RuleMeta {
    id: "role-session-name-missing",
    code: "SL0701",
    default_severity: Severity::Error,
    profiles: &[Profile::AwsIam],
    summary: "The assertion has no RoleSessionName value",
    aws_error: "RoleSessionName is required in AuthnResponse (Service: AWSSecurityTokenService; Status Code: 400; Error Code: InvalidIdentityToken)",
    fix_okta: "Custom app: attribute statement RoleSessionName = user.email (or login); AWS Account Federation app: the user's app username must not be empty.",
    fix_aws: "",
    explain: include_str!("../explain/role-session-name-missing.md"),
    since: "0.1.0",
};

pub fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(a) = cx.assertion else { return };
    let mut attrs = a.attributes_named(names::ROLE_SESSION_NAME).peekable();
    match attrs.peek().copied() {
        None => out.push(
            Finding::new(
                &META,
                format!(
                    "the assertion has no Attribute named {}",
                    names::ROLE_SESSION_NAME
                ),
            )
            .at(common::start_tag(cx, a.node), "no RoleSessionName"),
        ),
        Some(first) if attrs.all(|r| r.values.is_empty()) => out.push(
            Finding::new(&META, "the RoleSessionName attribute has no AttributeValue")
                .at(common::start_tag(cx, first.node), "no AttributeValue"),
        ),
        Some(_) => {}
    }
}
