//! `signature-untrusted` (SL0203). Decided in `lint::signature` from the verification result.

use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "signature-untrusted",
    code: "SL0203",
    default_severity: Severity::Error,
    profiles: Profile::ALL,
    summary: "The signature verifies with a key that is in no trust entry",
    aws_error: "Response signature invalid (Service: AWSSecurityTokenService; Status Code: 400; Error Code: InvalidIdentityToken)",
    fix_okta: "Sign On → SAML Signing Certificates: download this app's IdP metadata (Active cert).",
    fix_idp: &[
        (
            IdpKind::Other,
            "Download this app's current IdP metadata (or signing certificate) and upload it to AWS.",
        ),
        (
            IdpKind::Entra,
            "Single sign-on -> SAML Certificates: download Federation Metadata XML of this enterprise application (active certificate) and upload it to the IAM SAML provider.",
        ),
        (
            IdpKind::Adfs,
            "Download https://<AD FS host>/FederationMetadata/2007-06/FederationMetadata.xml (current token-signing certificate) and upload it to AWS.",
        ),
        (
            IdpKind::Google,
            "Security -> Authentication -> SSO with SAML applications (or the AWS SAML app): download IdP metadata and upload it to AWS.",
        ),
        (
            IdpKind::Ping,
            "PingFederate: export the SP connection's metadata (signing certificate in use); PingOne: the application's metadata.",
        ),
        (
            IdpKind::OneLogin,
            "The app's SSO tab: the X.509 certificate in use; download the issuer's metadata and upload it to AWS.",
        ),
        (
            IdpKind::JumpCloud,
            "The AWS SSO application: Export Metadata and upload it to AWS.",
        ),
        (
            IdpKind::Keycloak,
            "Download the realm's SAML IdP metadata (/realms/<realm>/protocol/saml/descriptor) and upload it to AWS.",
        ),
        (
            IdpKind::Auth0,
            "SAML2 Web App addon -> Usage: download the Identity Provider Metadata and upload it to AWS.",
        ),
        (
            IdpKind::Shibboleth,
            "Upload the IdP's metadata (/idp/shibboleth, signing certificate idp-signing.crt) to AWS.",
        ),
        (
            IdpKind::NetIq,
            "Export the Identity Server's SAML 2.0 metadata (/nidp/saml2/metadata) and upload it to AWS.",
        ),
    ],
    fix_aws: "aws iam update-saml-provider --saml-provider-arn ARN --saml-metadata-document file://metadata.xml; Identity Center: Settings → Identity source → Manage authentication.",
    explain: include_str!("../explain/signature-untrusted.md"),
    since: "0.1.0",
};
