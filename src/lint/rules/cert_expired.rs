use crate::lint::rule::{Profile, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "cert-expired",
    code: "SL0207",
    default_severity: Severity::Warning,
    profiles: Profile::ALL,
    summary: "The signing certificate in KeyInfo is outside its validity period",
    aws_error: "— (IAM verifies with the key in the uploaded metadata; AWS documents no date check)",
    fix_okta: "SAML Signing Certificates → generate, activate, and update AWS in the same change.",
    fix_aws: "Upload the new metadata.",
    explain: include_str!("../explain/cert-expired.md"),
    since: "0.1.0",
};
