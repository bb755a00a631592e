//! Checked by `samlint metadata` (`crate::lint::metadata`).

use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "metadata-invalid",
    code: "SL0901",
    default_severity: Severity::Error,
    profiles: Profile::ALL,
    summary: "The IdP metadata cannot be parsed as SAML 2.0 IdP metadata",
    aws_error: "`Could not parse metadata.`",
    fix_okta: "Download the app's IdP metadata (Sign On tab), save it as UTF-8 without BOM, and upload it again.",
    fix_idp: &[(
        IdpKind::Other,
        "Download the app's IdP metadata again, save it as UTF-8 without BOM, and upload it unchanged.",
    )],
    fix_aws: "Upload the file unchanged: `aws iam update-saml-provider --saml-provider-arn ARN --saml-metadata-document file://metadata.xml`.",
    explain: include_str!("../explain/metadata-invalid.md"),
    since: "0.1.0",
};
