//! Checked by `samlint metadata` (`crate::lint::metadata`).

use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "metadata-cert-unacceptable",
    code: "SL0903",
    default_severity: Severity::Error,
    profiles: Profile::ALL,
    summary: "A signing certificate in the IdP metadata is one AWS refuses",
    aws_error: "provider creation fails with `Unable to parse metadata`",
    fix_okta: "Generate a new (2048-bit) certificate and download the metadata again.",
    fix_idp: &[(
        IdpKind::Other,
        "Create a new (2048-bit or larger RSA) signing certificate and download the metadata again.",
    )],
    fix_aws: "Upload the new metadata.",
    explain: include_str!("../explain/metadata-cert-unacceptable.md"),
    since: "0.1.0",
};
