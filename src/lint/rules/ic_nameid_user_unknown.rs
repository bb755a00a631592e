use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};
use crate::saml::Assertion;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "ic-nameid-user-unknown",
    code: "SL0803",
    default_severity: Severity::Error,
    profiles: &[Profile::AwsIdentityCenter],
    summary: "NameID is not the user name of an Identity Center user in the expected context",
    aws_error: "An unexpected error has occurred",
    fix_okta: "Assign the user to the IAM Identity Center app and provision it (SCIM userName = NameID).",
    fix_idp: &[(
        IdpKind::Other,
        "Assign the user to the IAM Identity Center app and provision it (SCIM userName = NameID).",
    )],
    fix_aws: "See CloudTrail ExternalIdPDirectoryLogin for the failed match; Identity Center creates no users just in time.",
    explain: include_str!("../explain/ic-nameid-user-unknown.md"),
    since: "0.1.0",
};

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let users = &cx.expected.ic_usernames;
    if users.is_empty() {
        return;
    }
    let Some(n) = cx.assertion.and_then(Assertion::name_id) else {
        return;
    };
    let t = &n.value.text;
    if users.iter().any(|u| u == t) {
        return;
    }
    let hint = users
        .iter()
        .find(|u| u.eq_ignore_ascii_case(t))
        .map_or_else(String::new, |u| {
            format!("; '{u}' differs only in case, and the match is exact")
        });
    out.push(
        Finding::new(
            &META,
            format!("NameID '{t}' is not the user name of any expected Identity Center user{hint}"),
        )
        .at(n.value.span, "unknown user"),
    );
}
