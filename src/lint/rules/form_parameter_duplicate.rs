//! `form-parameter-duplicate` (SL0105). Decided in the input stage, where form bodies are read (`input::form`, reported by `pipeline`).

use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "form-parameter-duplicate",
    code: "SL0105",
    default_severity: Severity::Error,
    profiles: Profile::ALL,
    summary: "A form body, query string or HTML form carries SAMLResponse, SAMLRequest or RelayState more than once",
    aws_error: crate::lint::GENERIC_AWS_ERROR,
    fix_okta: "Find what added the second value (a proxy, a browser extension, an attacker).",
    fix_idp: &[(
        IdpKind::Other,
        "Find what added the second value (a proxy, a browser extension, an attacker).",
    )],
    fix_aws: "",
    explain: include_str!("../explain/form-parameter-duplicate.md"),
    since: "0.2.0",
};
