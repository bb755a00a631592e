use crate::lint::rule::{Profile, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "signature-algorithm-unsupported",
    code: "SL0206",
    default_severity: Severity::Error,
    profiles: Profile::ALL,
    summary: "A signature uses an algorithm or transform samlint does not accept",
    aws_error: "—",
    fix_okta: "Sign with RSA-SHA256 and exclusive c14n (Okta's default).",
    fix_aws: "",
    explain: include_str!("../explain/signature-algorithm-unsupported.md"),
    since: "0.1.0",
};
