//! `in-response-to-mismatch` (SL1101). Decided across the capture, after each payload is checked (`lint::flow`).

use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "in-response-to-mismatch",
    code: "SL1101",
    default_severity: Severity::Error,
    profiles: Profile::ALL,
    summary: "The Response does not answer the AuthnRequest captured before it",
    aws_error: crate::lint::GENERIC_AWS_ERROR,
    fix_okta: "Answer the request the IdP received (an IdP-initiated response to an SP-initiated sign-in, or a stale tab).",
    fix_idp: &[(
        IdpKind::Other,
        "Answer the request the IdP received (an IdP-initiated response to an SP-initiated sign-in, or a stale tab).",
    )],
    fix_aws: "",
    explain: include_str!("../explain/in-response-to-mismatch.md"),
    since: "0.2.0",
};
