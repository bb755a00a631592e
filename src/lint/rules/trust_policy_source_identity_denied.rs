//! `trust-policy-source-identity-denied` (SL1005). Decided by the AWS simulation (`--aws`, `aws::simulate`).

use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "trust-policy-source-identity-denied",
    code: "SL1005",
    default_severity: Severity::Error,
    profiles: &[Profile::AwsIam],
    summary: "SourceIdentity is sent and the role's trust policy does not allow sts:SetSourceIdentity",
    aws_error: "Not authorized to perform sts:AssumeRoleWithSAML (Service: AWSSecurityTokenService; Status Code: 403; Error Code: AccessDenied)",
    fix_okta: "Or stop sending SourceIdentity.",
    fix_idp: &[(IdpKind::Other, "Or stop sending SourceIdentity.")],
    fix_aws: "Allow sts:SetSourceIdentity.",
    explain: include_str!("../explain/trust-policy-source-identity-denied.md"),
    since: "0.2.0",
};
