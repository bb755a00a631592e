use crate::lint::common;
use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "encrypted-assertion",
    code: "SL0306",
    default_severity: Severity::Info,
    profiles: &[Profile::AwsIam, Profile::Generic],
    summary: "The Response carries an EncryptedAssertion",
    aws_error: "generic when IAM has no matching key (key upload errors, e.g. `Invalid private key.`, are listed in [T])",
    fix_okta: "Encrypt with the certificate of the private key uploaded to IAM; the ACS URL must be the provider's sign-in URL with its ID (/saml/acs/PID).",
    fix_aws: "aws iam update-saml-provider --saml-provider-arn ARN --add-private-key file://key.pem --assertion-encryption-mode Allowed",
    explain: include_str!("../explain/encrypted-assertion.md"),
    since: "0.1.0",
};

pub fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(&first) = cx.response.encrypted_assertions.first() else {
        return;
    };
    let state = if cx.assertion.is_some() {
        "it was decrypted with --sp-key and linted"
    } else {
        "without --sp-key its content cannot be read, so the assertion rules were skipped"
    };
    out.push(
        Finding::new(
            &META,
            format!(
                "the assertion is encrypted: {state}; IAM decrypts it only with the private key on the SAML provider and a Recipient of the form https://signin.aws.amazon.com/saml/acs/<provider ID>"
            ),
        )
        .at(common::start_tag(cx, first), "EncryptedAssertion"),
    );
}
