//! `trust-policy-principal-missing` (SL1001). Decided by the AWS simulation (`--aws`, `aws::simulate`).

use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "trust-policy-principal-missing",
    code: "SL1001",
    default_severity: Severity::Error,
    profiles: &[Profile::AwsIam],
    summary: "No Allow statement of the role's trust policy trusts this SAML provider for sts:AssumeRoleWithSAML",
    aws_error: "Not authorized to perform sts:AssumeRoleWithSAML (Service: AWSSecurityTokenService; Status Code: 403; Error Code: AccessDenied)",
    fix_okta: "Or send the provider the role already trusts.",
    fix_idp: &[(
        IdpKind::Other,
        "Or send the provider the role already trusts.",
    )],
    fix_aws: "Trust the provider in the role: \"Principal\": {\"Federated\": \"<provider ARN>\"}, \"Action\": \"sts:AssumeRoleWithSAML\".",
    explain: include_str!("../explain/trust-policy-principal-missing.md"),
    since: "0.2.0",
};
