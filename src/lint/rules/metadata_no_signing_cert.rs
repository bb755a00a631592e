//! Checked by `samlint metadata` (`crate::lint::metadata`).

use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "metadata-no-signing-cert",
    code: "SL0902",
    default_severity: Severity::Error,
    profiles: Profile::ALL,
    summary: "The IdP metadata has no usable signing certificate",
    aws_error: "not documented; AWS can then verify no response",
    fix_okta: "Use the IdP-generated metadata, not a hand-built file.",
    fix_idp: &[(
        IdpKind::Other,
        "Use the IdP-generated metadata, not a hand-built file.",
    )],
    fix_aws: "Upload metadata that contains the IdP's signing certificate.",
    explain: include_str!("../explain/metadata-no-signing-cert.md"),
    since: "0.1.0",
};
