//! `trust-not-given` (SL0210). Decided by signature verification (`lint::signature`).

use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "trust-not-given",
    code: "SL0210",
    default_severity: Severity::Warning,
    profiles: Profile::ALL,
    summary: "No trust was given, so samlint cannot tell whether the signing key is the IdP's",
    aws_error: "— (samlint cannot tell; IAM checks the signature against the metadata it holds)",
    fix_okta: "",
    fix_idp: &[],
    fix_aws: "Pass the IdP metadata AWS holds (--idp-metadata), or --aws with the aws iam get-saml-provider output.",
    explain: include_str!("../explain/trust-not-given.md"),
    since: "0.2.0",
};
