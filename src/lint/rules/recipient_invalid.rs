use super::destination_invalid;
use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};
use crate::lint::{aws, common};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "recipient-invalid",
    code: "SL0404",
    default_severity: Severity::Error,
    profiles: &[Profile::AwsIam, Profile::AwsIdentityCenter],
    summary: "The bearer Recipient is not the AWS ACS URL of the profile",
    aws_error: crate::lint::GENERIC_AWS_ERROR,
    fix_okta: "AWS Environment / ACS URL (IAM Identity Center app: AWS SSO ACS URL).",
    fix_idp: &[
        (
            IdpKind::Other,
            "Set the AWS app's ACS (reply / recipient) URL to the AWS sign-in endpoint (IAM Identity Center: the instance's ACS URL).",
        ),
        (
            IdpKind::Entra,
            "Basic SAML Configuration: Reply URL (Assertion Consumer Service URL) = https://signin.aws.amazon.com/saml (IAM Identity Center: the instance's ACS URL).",
        ),
        (
            IdpKind::Adfs,
            "Relying party trust for AWS -> Properties -> Endpoints: the SAML Assertion Consumer endpoint (POST) = https://signin.aws.amazon.com/saml.",
        ),
        (
            IdpKind::Google,
            "The AWS SAML app -> Service provider details: ACS URL = https://signin.aws.amazon.com/saml (or the Identity Center ACS URL).",
        ),
        (
            IdpKind::Ping,
            "PingFederate: the SP connection's Assertion Consumer Service URL; PingOne: the application's ACS URLs.",
        ),
        (
            IdpKind::OneLogin,
            "The AWS connector's Configuration tab: SAML consumer URL = the AWS sign-in endpoint.",
        ),
        (
            IdpKind::JumpCloud,
            "The AWS SSO application's SSO tab: ACS URL = https://signin.aws.amazon.com/saml.",
        ),
        (
            IdpKind::Keycloak,
            "The AWS client's Advanced settings: Assertion Consumer Service POST Binding URL = https://signin.aws.amazon.com/saml.",
        ),
        (
            IdpKind::Auth0,
            "SAML2 Web App addon: Application Callback URL / recipient = https://signin.aws.amazon.com/saml.",
        ),
    ],
    fix_aws: "Use the sign-in URL shown on the IAM identity provider page, or Identity Center's ACS URL.",
    explain: include_str!("../explain/recipient-invalid.md"),
    since: "0.1.0",
};

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(a) = cx.assertion else { return };
    let err = match cx.profile {
        Profile::AwsIdentityCenter => {
            "An unexpected error has occurred (the ACS URL at the IdP is not the instance's ACS URL)"
        }
        p => common::generic_error(p),
    };
    let was_encrypted = !cx.response.encrypted_assertions.is_empty();
    for bearer in common::bearers(a) {
        let Some(r) = bearer.data.as_ref().and_then(|d| d.recipient.as_ref()) else {
            continue;
        };
        if !destination_invalid::accepted(cx, &r.text) {
            out.push(
                Finding::new(
                    &META,
                    format!(
                        "Recipient is '{}' but AWS expects {}",
                        r.text,
                        destination_invalid::expected(cx)
                    ),
                )
                .at(r.span, "not the ACS URL")
                .aws_error(err),
            );
        } else if was_encrypted
            && cx.profile == Profile::AwsIam
            && !aws::is_iam_acs_with_pid(&r.text)
        {
            out.push(
                Finding::new(
                    &META,
                    format!(
                        "the assertion arrived encrypted but Recipient is '{}'; IAM decrypts only for the provider's own ACS URL https://signin.aws.amazon.com/saml/acs/<provider ID>",
                        r.text
                    ),
                )
                .at(r.span, "needs the /saml/acs/<provider ID> form")
                .aws_error(err),
            );
        }
    }
}
