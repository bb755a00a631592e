//! `signature-wrapping` (SL0204). Decided in `lint::signature` from the status table of `verify::wrapping`.

use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "signature-wrapping",
    code: "SL0204",
    default_severity: Severity::Error,
    profiles: Profile::ALL,
    summary: "The consumed assertion is not the node a valid signature covers (signature wrapping)",
    aws_error: "— (signature wrapping attack; a correct SP rejects it)",
    fix_okta: "Okta never produces this: find what altered the response (proxy, extension, attacker).",
    fix_idp: &[(
        IdpKind::Other,
        "IdPs never produce this: find what altered the response (proxy, extension, attacker).",
    )],
    fix_aws: "",
    explain: include_str!("../explain/signature-wrapping.md"),
    since: "0.1.0",
};
