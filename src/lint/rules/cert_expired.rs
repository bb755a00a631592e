//! `cert-expired` (SL0207). Decided in `lint::signature` from the verification result (and by `samlint metadata` in `lint::metadata`).

use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "cert-expired",
    code: "SL0207",
    default_severity: Severity::Warning,
    profiles: Profile::ALL,
    summary: "The signing certificate in KeyInfo is outside its validity period",
    aws_error: "— (IAM verifies with the key in the uploaded metadata; AWS documents no date check)",
    fix_okta: "SAML Signing Certificates → generate, activate, and update AWS in the same change.",
    fix_idp: &[
        (
            IdpKind::Other,
            "Create a new signing certificate on the IdP, make it active, and upload the IdP's new metadata to AWS in the same change.",
        ),
        (
            IdpKind::Entra,
            "Single sign-on -> SAML Certificates -> Edit: New Certificate, make it active, then upload the new Federation Metadata XML to AWS.",
        ),
        (
            IdpKind::Adfs,
            "AD FS Management -> Service -> Certificates: renew the token-signing certificate (Update-AdfsCertificate -CertificateType Token-Signing), then upload the new federation metadata to AWS.",
        ),
        (
            IdpKind::Google,
            "Security -> Authentication -> SSO with SAML applications: add a new certificate, switch the AWS app to it, and upload the new metadata to AWS.",
        ),
        (
            IdpKind::Ping,
            "PingFederate: Security -> Signing & Decryption Keys & Certificates: create and activate a new key, select it in the SP connection, upload new metadata to AWS.",
        ),
        (
            IdpKind::OneLogin,
            "Security -> Certificates: new certificate, select it in the AWS app's SSO tab, upload new metadata to AWS.",
        ),
        (
            IdpKind::JumpCloud,
            "The AWS SSO application: replace the IdP certificate and upload the new metadata to AWS.",
        ),
        (
            IdpKind::Keycloak,
            "Realm settings -> Keys: add a new RSA key provider with higher priority, then upload the new descriptor to AWS.",
        ),
        (
            IdpKind::Auth0,
            "Tenant settings -> Signing Keys: rotate, then upload the new metadata to AWS.",
        ),
        (
            IdpKind::Shibboleth,
            "Replace idp-signing.crt / .key (credentials.xml), then upload the new metadata to AWS.",
        ),
    ],
    fix_aws: "Upload the new metadata.",
    explain: include_str!("../explain/cert-expired.md"),
    since: "0.1.0",
};
