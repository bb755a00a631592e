//! `signature-missing` (SL0201). Decided in `lint::signature` from the verification result.

use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "signature-missing",
    code: "SL0201",
    default_severity: Severity::Error,
    profiles: Profile::ALL,
    summary: "No signature covers the consumed assertion",
    aws_error: crate::lint::GENERIC_AWS_ERROR,
    fix_okta: "Okta's AWS apps always sign (an unsigned one was rewritten); custom SAML app: Assertion Signature (or Response) = Signed.",
    fix_idp: &[
        (
            IdpKind::Other,
            "Configure the AWS app to sign the Response or the Assertion.",
        ),
        (
            IdpKind::Entra,
            "Single sign-on -> SAML Certificates -> Edit: Signing Option = Sign SAML response and assertion (Entra always signs; an unsigned response was rewritten).",
        ),
        (
            IdpKind::Adfs,
            "Set-AdfsRelyingPartyTrust -TargetName <AWS trust> -SamlResponseSignature MessageAndAssertion (AD FS signs the assertion by default).",
        ),
        (
            IdpKind::Google,
            "Google always signs the assertion (and the response with Signed response on): an unsigned one was rewritten.",
        ),
        (
            IdpKind::OneLogin,
            "The app's SSO tab: sign the assertion (SAML Signature Element = Assertion or Both).",
        ),
        (
            IdpKind::Keycloak,
            "The AWS client: turn on Sign documents or Sign assertions.",
        ),
        (
            IdpKind::Auth0,
            "SAML2 Web App addon settings: signResponse true (the assertion is signed by default).",
        ),
    ],
    fix_aws: "",
    explain: include_str!("../explain/signature-missing.md"),
    since: "0.1.0",
};
