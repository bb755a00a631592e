//! `input-not-saml` (SL0101). Emitted by `pipeline` when an input or payload does not decode or parse as SAML.

use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "input-not-saml",
    code: "SL0101",
    default_severity: Severity::Error,
    profiles: Profile::ALL,
    summary: "The payload is not a SAML 2.0 Response",
    aws_error: crate::lint::GENERIC_AWS_ERROR,
    fix_okta: "Capture the SAMLResponse POST to the AWS ACS, not the SAMLRequest redirect or an IdP error page.",
    fix_idp: &[(
        IdpKind::Other,
        "Capture the SAMLResponse POST to the AWS ACS, not the SAMLRequest redirect or an IdP error page.",
    )],
    fix_aws: "",
    explain: include_str!("../explain/input-not-saml.md"),
    since: "0.1.0",
};
