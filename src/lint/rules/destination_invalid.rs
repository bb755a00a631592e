use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};
use crate::lint::{aws, common};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "destination-invalid",
    code: "SL0307",
    default_severity: Severity::Error,
    profiles: &[Profile::AwsIam, Profile::AwsIdentityCenter],
    summary: "The Response Destination is not the AWS ACS URL of the profile",
    aws_error: crate::lint::GENERIC_AWS_ERROR,
    fix_okta: "AWS Account Federation app: AWS Environment / ACS URL; IAM Identity Center app: AWS SSO ACS URL = the instance's ACS URL.",
    fix_idp: &[
        (
            IdpKind::Other,
            "Set the AWS app's ACS (reply) URL to the AWS sign-in endpoint (https://signin.aws.amazon.com/saml, or the Identity Center instance's ACS URL).",
        ),
        (
            IdpKind::Entra,
            "Basic SAML Configuration: Reply URL (Assertion Consumer Service URL) = https://signin.aws.amazon.com/saml (or the regional / Identity Center ACS URL).",
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
            "SAML2 Web App addon: Application Callback URL (and destination/recipient settings) = https://signin.aws.amazon.com/saml.",
        ),
    ],
    fix_aws: "Copy the ACS URL from the IAM identity provider page or from Identity Center settings (Identity source -> Manage authentication).",
    explain: include_str!("../explain/destination-invalid.md"),
    since: "0.1.0",
};

/// What the Destination must be, in words.
pub(crate) fn expected(cx: &Ctx<'_>) -> String {
    if let Some(acs) = &cx.expected.acs_url {
        return format!("the configured ACS URL {acs}");
    }
    match cx.profile {
        Profile::AwsIdentityCenter => {
            "an IAM Identity Center ACS URL (https://<region>.signin.aws.amazon.com/platform/saml/acs/<id>)".to_owned()
        }
        _ => "an IAM ACS URL (https://signin.aws.amazon.com/saml, a regional https://<region>.signin.aws.amazon.com/saml, or .../saml/acs/<provider ID>)".to_owned(),
    }
}

/// Whether `url` is an accepted ACS URL for the profile (or the configured one).
pub(crate) fn accepted(cx: &Ctx<'_>, url: &str) -> bool {
    if let Some(acs) = &cx.expected.acs_url {
        return aws::trim_uri(url) == aws::trim_uri(acs);
    }
    match cx.profile {
        Profile::AwsIdentityCenter => aws::is_ic_acs(url),
        _ => aws::iam_acs_partition(url).is_some(),
    }
}

fn aws_error(cx: &Ctx<'_>) -> &'static str {
    match cx.profile {
        Profile::AwsIdentityCenter => {
            "An unexpected error has occurred (the ACS URL at the IdP is not the instance's ACS URL)"
        }
        p => common::generic_error(p),
    }
}

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let r = cx.response;
    match &r.destination {
        Some(d) if !accepted(cx, &d.text) => out.push(
            Finding::new(
                &META,
                format!(
                    "Destination is '{}' but AWS expects {}",
                    d.text,
                    expected(cx)
                ),
            )
            .at(d.span, "not the ACS URL")
            .aws_error(aws_error(cx)),
        ),
        Some(_) => {}
        None => {
            if r.signatures.iter().any(|s| s.parent == Some(r.node)) {
                out.push(
                    Finding::new(
                        &META,
                        format!(
                            "the Response is signed but has no Destination (SAML bindings 3.5.5.2); AWS expects {}",
                            expected(cx)
                        ),
                    )
                    .at(common::start_tag(cx, r.node), "no Destination")
                    .aws_error(aws_error(cx)),
                );
            }
        }
    }
}
