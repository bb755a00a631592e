//! `xml-dtd-forbidden` (SL0102). Emitted by `pipeline` when the XML parser refuses a DTD or entity.

use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "xml-dtd-forbidden",
    code: "SL0102",
    default_severity: Severity::Error,
    profiles: Profile::ALL,
    summary: "The XML carries a DTD or an entity reference; it is refused, nothing is expanded",
    aws_error: crate::lint::GENERIC_AWS_ERROR,
    fix_okta: "No IdP puts a DTD in a SAML response: treat it as hostile and find who altered it.",
    fix_idp: &[(
        IdpKind::Other,
        "No IdP puts a DTD in a SAML response: treat it as hostile and find who altered it.",
    )],
    fix_aws: "",
    explain: include_str!("../explain/xml-dtd-forbidden.md"),
    since: "0.1.0",
};
