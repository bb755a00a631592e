//! Checked by `samlint metadata` (`crate::lint::metadata`).

use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "metadata-entityid-invalid",
    code: "SL0905",
    default_severity: Severity::Error,
    profiles: Profile::ALL,
    summary: "The IdP metadata's entityID is missing or malformed",
    aws_error: "not documented",
    fix_okta: "Upload the IdP's metadata unchanged (Okta's entityID is `http://www.okta.com/<app key>`).",
    fix_idp: &[(IdpKind::Other, "Upload the IdP's metadata unchanged.")],
    fix_aws: "Upload the metadata unchanged.",
    explain: include_str!("../explain/metadata-entityid-invalid.md"),
    since: "0.1.0",
};
