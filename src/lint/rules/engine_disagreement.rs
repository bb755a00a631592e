//! `engine-disagreement` (SL0209). Decided in `lint::signature` when `--engine both` gives two answers.

use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "engine-disagreement",
    code: "SL0209",
    default_severity: Severity::Error,
    profiles: Profile::ALL,
    summary: "The Rust engine and libxmlsec1 disagree on a signature",
    aws_error: "—",
    fix_okta: "Report the payload to samlint; meanwhile trust the stricter verdict.",
    fix_idp: &[(
        IdpKind::Other,
        "Report the payload to samlint; meanwhile trust the stricter verdict.",
    )],
    fix_aws: "",
    explain: include_str!("../explain/engine-disagreement.md"),
    since: "0.1.0",
};
