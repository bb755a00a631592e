//! `signature-weak-algorithm` (SL0205). Decided in `lint::signature` from the verification result.

use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "signature-weak-algorithm",
    code: "SL0205",
    default_severity: Severity::Warning,
    profiles: Profile::ALL,
    summary: "A covering signature uses SHA-1",
    aws_error: "— (AWS does not document which algorithms it accepts)",
    fix_okta: "Okta custom SAML app: Signature Algorithm RSA-SHA256, Digest Algorithm SHA256.",
    fix_idp: &[
        (
            IdpKind::Other,
            "Set the AWS app's signing algorithm to RSA-SHA256 (digest SHA-256).",
        ),
        (
            IdpKind::Entra,
            "Single sign-on -> SAML Certificates -> Edit: Signing Algorithm = SHA-256.",
        ),
        (
            IdpKind::Adfs,
            "Set-AdfsRelyingPartyTrust -TargetName <AWS trust> -SignatureAlgorithm http://www.w3.org/2001/04/xmldsig-more#rsa-sha256 (trust Properties -> Advanced -> Secure hash algorithm SHA-256).",
        ),
        (
            IdpKind::Google,
            "Google signs with RSA-SHA256: a SHA-1 signature was not made by Google; find what re-signed the response.",
        ),
        (
            IdpKind::Ping,
            "PingFederate: the SP connection's Credentials -> Digital Signature Settings: Signing Algorithm RSA SHA256; PingOne: the application's signing algorithm.",
        ),
        (
            IdpKind::OneLogin,
            "The app's SSO tab: SAML Signature Algorithm = SHA-256.",
        ),
        (
            IdpKind::JumpCloud,
            "The AWS SSO application's SSO tab: Signature Algorithm = RSA-SHA256.",
        ),
        (
            IdpKind::Keycloak,
            "The AWS client's Keys / Signature and Encryption settings: Signature algorithm RSA_SHA256.",
        ),
        (
            IdpKind::Auth0,
            "SAML2 Web App addon settings: signatureAlgorithm rsa-sha256, digestAlgorithm sha256.",
        ),
        (
            IdpKind::Shibboleth,
            "Shibboleth's default is RSA-SHA256: remove a SHA-1 override for the AWS SP (relying-party.xml / SecurityConfiguration).",
        ),
    ],
    fix_aws: "Nothing in AWS: the IdP chooses the algorithm.",
    explain: include_str!("../explain/signature-weak-algorithm.md"),
    since: "0.1.0",
};
