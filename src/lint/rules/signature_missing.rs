use crate::lint::rule::{Profile, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "signature-missing",
    code: "SL0201",
    default_severity: Severity::Error,
    profiles: Profile::ALL,
    summary: "No signature covers the consumed assertion",
    aws_error: crate::lint::GENERIC_AWS_ERROR,
    fix_okta: "Okta's AWS apps always sign (an unsigned one was rewritten); custom SAML app: Assertion Signature (or Response) = Signed.",
    fix_aws: "",
    explain: include_str!("../explain/signature-missing.md"),
    since: "0.1.0",
};
