use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "id-missing",
    code: "SL0308",
    default_severity: Severity::Error,
    profiles: Profile::ALL,
    summary: "The Response or the assertion has no ID attribute",
    aws_error: crate::lint::GENERIC_AWS_ERROR,
    fix_okta: "Emit an ID on the Response and the Assertion (custom IdPs only; Okta always does).",
    fix_idp: &[(
        IdpKind::Other,
        "Emit a non-empty ID on the Response and the Assertion (mainstream IdPs always do; a custom or hand-built response may not).",
    )],
    fix_aws: "",
    explain: include_str!("../explain/id-missing.md"),
    since: "0.2.0",
};
