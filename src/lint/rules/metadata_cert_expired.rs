//! Checked by `samlint metadata` (`crate::lint::metadata`).

use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "metadata-cert-expired",
    code: "SL0904",
    default_severity: Severity::Warning,
    profiles: Profile::ALL,
    summary: "A signing certificate in the IdP metadata is expired or not yet valid",
    aws_error: "not documented for IAM",
    fix_okta: "Generate and activate a new certificate.",
    fix_idp: &[(
        IdpKind::Other,
        "Create and activate a new signing certificate, then download the metadata again.",
    )],
    fix_aws: "Update the provider metadata (Identity Center: add the new certificate, then remove the old).",
    explain: include_str!("../explain/metadata-cert-expired.md"),
    since: "0.1.0",
};
