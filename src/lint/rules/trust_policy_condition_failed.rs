//! `trust-policy-condition-failed` (SL1002). Decided by the AWS simulation (`--aws`, `aws::simulate`).

use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "trust-policy-condition-failed",
    code: "SL1002",
    default_severity: Severity::Error,
    profiles: &[Profile::AwsIam],
    summary: "Every trust-policy statement that allows this provider fails a Condition for the values in the assertion",
    aws_error: "Not authorized to perform sts:AssumeRoleWithSAML (Service: AWSSecurityTokenService; Status Code: 403; Error Code: AccessDenied)",
    fix_okta: "Or send what the condition expects.",
    fix_idp: &[(IdpKind::Other, "Or send what the condition expects.")],
    fix_aws: "Widen the condition (list the regional ACS in SAML:aud, fix the SAML:namequalifier / SAML:sub value).",
    explain: include_str!("../explain/trust-policy-condition-failed.md"),
    since: "0.2.0",
};
