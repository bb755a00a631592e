use crate::lint::common;
use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "ic-encrypted-assertion",
    code: "SL0804",
    default_severity: Severity::Error,
    profiles: &[Profile::AwsIdentityCenter],
    summary: "IAM Identity Center does not support encrypted assertions",
    aws_error: "An unexpected error has occurred",
    fix_okta: "Assertion Encryption = Unencrypted for the Identity Center app.",
    fix_idp: &[(
        IdpKind::Other,
        "Turn assertion encryption off for the IAM Identity Center app.",
    )],
    fix_aws: "",
    explain: include_str!("../explain/ic-encrypted-assertion.md"),
    since: "0.1.0",
};

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let span = cx.encrypted.map(|e| e.span).or_else(|| {
        cx.response
            .encrypted_assertions
            .first()
            .map(|&n| common::start_tag(cx, n))
    });
    if let Some(span) = span {
        out.push(
            Finding::new(
                &META,
                "the assertion is encrypted (EncryptedAssertion) but IAM Identity Center accepts only unencrypted assertions",
            )
            .at(span, "EncryptedAssertion"),
        );
    }
}
