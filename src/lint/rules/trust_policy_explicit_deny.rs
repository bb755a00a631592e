//! `trust-policy-explicit-deny` (SL1003). Decided by the AWS simulation (`--aws`, `aws::simulate`).

use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "trust-policy-explicit-deny",
    code: "SL1003",
    default_severity: Severity::Error,
    profiles: &[Profile::AwsIam],
    summary: "A Deny statement of the role's trust policy matches this request",
    aws_error: "Not authorized to perform sts:AssumeRoleWithSAML (Service: AWSSecurityTokenService; Status Code: 403; Error Code: AccessDenied)",
    fix_okta: "",
    fix_idp: &[],
    fix_aws: "Narrow or remove the Deny statement.",
    explain: include_str!("../explain/trust-policy-explicit-deny.md"),
    since: "0.2.0",
};
