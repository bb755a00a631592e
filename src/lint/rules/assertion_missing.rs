use crate::lint::common;
use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};
use crate::saml::STATUS_SUCCESS;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "assertion-missing",
    code: "SL0304",
    default_severity: Severity::Error,
    profiles: Profile::ALL,
    summary: "A Success Response carries no Assertion",
    aws_error: crate::lint::GENERIC_AWS_ERROR,
    fix_okta: "Check the IdP app; Okta's AWS apps always include one.",
    fix_idp: &[(
        IdpKind::Other,
        "Configure the IdP to send an Assertion in the Response (an IdP that answers with a bare Status refused to issue: read its sign-in log).",
    )],
    fix_aws: "",
    explain: include_str!("../explain/assertion-missing.md"),
    since: "0.1.0",
};

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let r = cx.response;
    let success = r
        .status
        .as_ref()
        .and_then(|s| s.code.as_ref())
        .is_some_and(|c| c.text == STATUS_SUCCESS);
    if success && r.assertions.is_empty() && r.encrypted_assertions.is_empty() {
        out.push(
            Finding::new(
                &META,
                "the Status is Success but the Response has no Assertion or EncryptedAssertion child",
            )
            .at(common::start_tag(cx, r.node), "no Assertion")
            .aws_error(common::generic_error(cx.profile)),
        );
    }
}
