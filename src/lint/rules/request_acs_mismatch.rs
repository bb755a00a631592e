//! `request-acs-mismatch` (SL1102). Decided across the capture, after each payload is checked (`lint::flow`).

use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "request-acs-mismatch",
    code: "SL1102",
    default_severity: Severity::Warning,
    profiles: Profile::ALL,
    summary: "The AuthnRequest's ACS URL differs from the Response Destination or Recipient",
    aws_error: crate::lint::GENERIC_AWS_ERROR,
    fix_okta: "The ACS URL configured for the app must be the one the SP sends.",
    fix_idp: &[(
        IdpKind::Other,
        "The ACS URL configured for the app must be the one the SP sends.",
    )],
    fix_aws: "",
    explain: include_str!("../explain/request-acs-mismatch.md"),
    since: "0.2.0",
};
