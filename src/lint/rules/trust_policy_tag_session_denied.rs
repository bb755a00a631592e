//! `trust-policy-tag-session-denied` (SL1004). Decided by the AWS simulation (`--aws`, `aws::simulate`).

use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "trust-policy-tag-session-denied",
    code: "SL1004",
    default_severity: Severity::Error,
    profiles: &[Profile::AwsIam],
    summary: "Session tags are sent and the role's trust policy does not allow sts:TagSession for them",
    aws_error: "Not authorized to perform sts:AssumeRoleWithSAML (Service: AWSSecurityTokenService; Status Code: 403; Error Code: AccessDenied)",
    fix_okta: "Or stop sending session tags to this role.",
    fix_idp: &[(IdpKind::Other, "Or stop sending session tags to this role.")],
    fix_aws: "Allow sts:TagSession beside sts:AssumeRoleWithSAML.",
    explain: include_str!("../explain/trust-policy-tag-session-denied.md"),
    since: "0.2.0",
};
