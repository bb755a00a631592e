use crate::lint::idp::IdpKind;
use std::sync::LazyLock;

use regex::Regex;

use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::rule::{Profile, RuleMeta, Severity};
use crate::saml::Assertion;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "ic-nameid-not-email",
    code: "SL0802",
    default_severity: Severity::Error,
    profiles: &[Profile::AwsIdentityCenter],
    summary: "NameID is not an email address (RFC 2822 addr-spec)",
    aws_error: "An unexpected error has occurred",
    fix_okta: "Application username = the email; map SCIM userName to the same value.",
    fix_idp: &[(
        IdpKind::Other,
        "Send the user's email as NameID; provision the same value as the SCIM userName.",
    )],
    fix_aws: "",
    explain: include_str!("../explain/ic-nameid-not-email.md"),
    since: "0.1.0",
};

#[allow(clippy::expect_used)] // constant pattern, checked by the tests below
static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$")
        .expect("EMAIL is a valid pattern")
});

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(n) = cx.assertion.and_then(Assertion::name_id) else {
        return;
    };
    let t = &n.value.text;
    if t.trim().is_empty() || EMAIL.is_match(t) {
        return;
    }
    let why = if t.trim() == t {
        ""
    } else {
        " (it has surrounding whitespace)"
    };
    out.push(
        Finding::new(
            &META,
            format!("NameID {t:?} is not an email address{why}; IAM Identity Center expects the user's email, e.g. alice@example.com"),
        )
        .at(n.value.span, "not an email"),
    );
}

#[cfg(test)]
mod tests {
    use super::EMAIL;

    #[test]
    fn emails() {
        assert!(EMAIL.is_match("alice.smith+aws@example.co.uk"));
        assert!(!EMAIL.is_match("alice"));
        assert!(!EMAIL.is_match(" alice@example.com"));
        assert!(!EMAIL.is_match("alice@localhost"));
    }
}
