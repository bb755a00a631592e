//! Checked by `samlint metadata` (`crate::lint::metadata`).

use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "metadata-identity-center-incompatible",
    code: "SL0906",
    default_severity: Severity::Error,
    profiles: &[Profile::AwsIdentityCenter],
    summary: "The IdP metadata breaks an IAM Identity Center requirement",
    aws_error: "not documented",
    fix_okta: "Use the IAM Identity Center app's metadata; remove encryption keys.",
    fix_idp: &[(
        IdpKind::Other,
        "Use the metadata of the IdP app made for IAM Identity Center; remove encryption keys.",
    )],
    fix_aws: "Upload metadata under 75,000 characters with an entityID, a certificate and a SingleSignOnService.",
    explain: include_str!("../explain/metadata-identity-center-incompatible.md"),
    since: "0.1.0",
};
