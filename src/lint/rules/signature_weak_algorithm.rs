use crate::lint::rule::{Profile, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "signature-weak-algorithm",
    code: "SL0205",
    default_severity: Severity::Warning,
    profiles: Profile::ALL,
    summary: "A covering signature uses SHA-1",
    aws_error: "— (AWS does not document which algorithms it accepts)",
    fix_okta: "Okta custom SAML app: Signature Algorithm RSA-SHA256, Digest Algorithm SHA256.",
    fix_aws: "AD FS: relying party trust → Advanced → SHA-256.",
    explain: include_str!("../explain/signature-weak-algorithm.md"),
    since: "0.1.0",
};
