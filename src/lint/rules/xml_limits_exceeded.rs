//! `xml-limits-exceeded` (SL0103). Emitted by `pipeline` when an input or the XML parser hits a limit.

use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "xml-limits-exceeded",
    code: "SL0103",
    default_severity: Severity::Error,
    profiles: Profile::ALL,
    summary: "A hardening limit (size, depth, element or attribute count) is exceeded",
    aws_error: crate::lint::GENERIC_AWS_ERROR,
    fix_okta: "Not a real sign-in; check the capture.",
    fix_idp: &[(IdpKind::Other, "Not a real sign-in; check the capture.")],
    fix_aws: "",
    explain: include_str!("../explain/xml-limits-exceeded.md"),
    since: "0.1.0",
};
