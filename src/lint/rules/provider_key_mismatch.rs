//! `provider-key-mismatch` (SL1006). Decided by the AWS simulation (`--aws`, `aws::simulate`).

use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "provider-key-mismatch",
    code: "SL1006",
    default_severity: Severity::Error,
    profiles: &[Profile::AwsIam],
    summary: "The response is signed with a key that is not in the metadata IAM holds for the pair's provider",
    aws_error: "Response signature invalid (Service: AWSSecurityTokenService; Status Code: 400; Error Code: InvalidIdentityToken)",
    fix_okta: "",
    fix_idp: &[],
    fix_aws: "aws iam update-saml-provider with the IdP's current metadata (after a certificate rotation).",
    explain: include_str!("../explain/provider-key-mismatch.md"),
    since: "0.2.0",
};
