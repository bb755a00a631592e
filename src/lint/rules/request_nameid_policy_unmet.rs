//! `request-nameid-policy-unmet` (SL1103). Decided across the capture, after each payload is checked (`lint::flow`).

use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "request-nameid-policy-unmet",
    code: "SL1103",
    default_severity: Severity::Warning,
    profiles: Profile::ALL,
    summary: "The Response's NameID Format is not the one the AuthnRequest asked for",
    aws_error: crate::lint::GENERIC_AWS_ERROR,
    fix_okta: "Set the app's NameID format to the requested one (Identity Center: emailAddress).",
    fix_idp: &[(
        IdpKind::Other,
        "Set the app's NameID format to the requested one (Identity Center: emailAddress).",
    )],
    fix_aws: "",
    explain: include_str!("../explain/request-nameid-policy-unmet.md"),
    since: "0.2.0",
};
