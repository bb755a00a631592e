use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};
use crate::lint::session_name;
use crate::saml::aws as names;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "role-session-name-invalid",
    code: "SL0702",
    default_severity: Severity::Error,
    profiles: &[Profile::AwsIam],
    summary: "RoleSessionName does not match [a-zA-Z_0-9+=,.@-]{2,64}",
    aws_error: "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64} (Service: AWSSecurityTokenService; Status Code: 400; Error Code: InvalidIdentityToken)",
    fix_okta: "Application username format = Email or Okta username, not a display name; custom expressions without spaces.",
    fix_idp: &[(
        IdpKind::Other,
        "Map RoleSessionName to a login or email (2-64 characters of [\\w+=,.@-]), not a display name.",
    )],
    fix_aws: "",
    explain: include_str!("../explain/role-session-name-invalid.md"),
    since: "0.1.0",
};

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(a) = cx.assertion else { return };
    for attr in a.attributes_named(names::ROLE_SESSION_NAME) {
        for v in &attr.values {
            if let Some(why) = session_name::problem(&v.value.text) {
                out.push(
                    Finding::new(
                        &META,
                        format!(
                            "RoleSessionName {:?} {why}; AWS expects [a-zA-Z_0-9+=,.@-]{{2,64}}",
                            v.value.text
                        ),
                    )
                    .at(v.value.span, "invalid session name"),
                );
            }
        }
    }
}
