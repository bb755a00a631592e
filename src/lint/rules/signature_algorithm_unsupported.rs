//! `signature-algorithm-unsupported` (SL0206). Decided in `lint::signature` from the verification result.

use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "signature-algorithm-unsupported",
    code: "SL0206",
    default_severity: Severity::Error,
    profiles: Profile::ALL,
    summary: "A signature uses an algorithm or transform samlint does not accept",
    aws_error: "—",
    fix_okta: "Sign with RSA-SHA256 and exclusive c14n (Okta's default).",
    fix_idp: &[
        (IdpKind::Other, "Sign with RSA-SHA256 and exclusive c14n."),
        (
            IdpKind::Entra,
            "Single sign-on -> SAML Certificates -> Edit: Signing Algorithm = SHA-256.",
        ),
        (
            IdpKind::Adfs,
            "Set-AdfsRelyingPartyTrust -TargetName <AWS trust> -SignatureAlgorithm http://www.w3.org/2001/04/xmldsig-more#rsa-sha256.",
        ),
        (
            IdpKind::Keycloak,
            "The AWS client's Signature and Encryption settings: Signature algorithm RSA_SHA256, canonicalization EXCLUSIVE.",
        ),
        (
            IdpKind::Auth0,
            "SAML2 Web App addon settings: signatureAlgorithm rsa-sha256, digestAlgorithm sha256.",
        ),
    ],
    fix_aws: "",
    explain: include_str!("../explain/signature-algorithm-unsupported.md"),
    since: "0.1.0",
};
