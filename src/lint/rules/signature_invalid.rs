//! `signature-invalid` (SL0202). Decided in `lint::signature` from the verification result.

use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "signature-invalid",
    code: "SL0202",
    default_severity: Severity::Error,
    profiles: Profile::ALL,
    summary: "A covering signature fails its digest or its SignatureValue",
    aws_error: "Response signature invalid (Service: AWSSecurityTokenService; Status Code: 400; Error Code: InvalidIdentityToken)",
    fix_okta: "The signed bytes changed after signing (hand edit, pretty-printing, a proxy): re-capture the raw POST.",
    fix_idp: &[(
        IdpKind::Other,
        "The signed bytes changed after signing (hand edit, pretty-printing, a proxy): re-capture the raw POST.",
    )],
    fix_aws: "",
    explain: include_str!("../explain/signature-invalid.md"),
    since: "0.1.0",
};
