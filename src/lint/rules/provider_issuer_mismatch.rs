//! `provider-issuer-mismatch` (SL1007). Decided by the AWS simulation (`--aws`, `aws::simulate`).

use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "provider-issuer-mismatch",
    code: "SL1007",
    default_severity: Severity::Error,
    profiles: &[Profile::AwsIam],
    summary: "The Issuer is not the entityID of the metadata IAM holds for the pair's provider",
    aws_error: "Issuer not present in specified provider",
    fix_okta: "Or use the app whose metadata AWS holds.",
    fix_idp: &[(
        IdpKind::Other,
        "Or sign in through the IdP app whose metadata AWS holds.",
    )],
    fix_aws: "Upload this IdP app's metadata to this provider.",
    explain: include_str!("../explain/provider-issuer-mismatch.md"),
    since: "0.2.0",
};
