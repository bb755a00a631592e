use crate::lint::common;
use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::rule::{Profile, RuleMeta, Severity};
use crate::saml::aws as names;

pub static META: RuleMeta = RuleMeta {
    id: "role-missing",
    code: "SL0601",
    default_severity: Severity::Error,
    profiles: &[Profile::AwsIam],
    summary: "The assertion carries no AWS Role attribute value",
    aws_error: "Your request included an invalid SAML response. To logout, click here.",
    fix_okta: "The user gets no role: assign the app with SAML User Roles; with Use Group Mapping the user's groups must pass App Filter and Group Filter; with Join all roles off, a direct assignment hides group-assigned roles.",
    fix_aws: "",
    explain: include_str!("../explain/role-missing.md"),
    since: "0.1.0",
};

pub fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(a) = cx.assertion else { return };
    let mut attrs = a.attributes_named(names::ROLE).peekable();
    let Some(first) = attrs.peek().copied() else {
        out.push(
            Finding::new(
                &META,
                format!("the assertion has no Attribute named {}; AWS needs at least one role,provider pair", names::ROLE),
            )
            .at(common::start_tag(cx, a.node), "no Role attribute"),
        );
        return;
    };
    if attrs.all(|r| r.values.is_empty()) {
        out.push(
            Finding::new(
                &META,
                "the Role attribute has no AttributeValue; AWS needs at least one role,provider pair",
            )
            .at(common::start_tag(cx, first.node), "no AttributeValue"),
        );
    }
}
