use crate::lint::common;
use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "encrypted-assertion",
    code: "SL0306",
    default_severity: Severity::Info,
    profiles: &[Profile::AwsIam, Profile::Generic],
    summary: "The Response carries an EncryptedAssertion",
    aws_error: "generic when IAM has no matching key (key upload errors, e.g. `Invalid private key.`, are listed in [T])",
    fix_okta: "Encrypt with the certificate of the private key uploaded to IAM; the ACS URL must be the provider's sign-in URL with its ID (/saml/acs/PID).",
    fix_idp: &[(
        IdpKind::Other,
        "Encrypt with the certificate of the private key uploaded to IAM; the ACS URL must be the provider's sign-in URL with its ID (/saml/acs/PID).",
    )],
    fix_aws: "aws iam update-saml-provider --saml-provider-arn ARN --add-private-key file://key.pem --assertion-encryption-mode Allowed",
    explain: include_str!("../explain/encrypted-assertion.md"),
    since: "0.1.0",
};

const IAM: &str = "IAM decrypts it only with the private key on the SAML provider and a Recipient of the form https://signin.aws.amazon.com/saml/acs/<provider ID>";

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    if let Some(e) = cx.encrypted {
        let message = match &e.unread {
            None => format!(
                "the assertion is encrypted: it was decrypted with --sp-key, then verified and linted; {IAM}"
            ),
            Some(why) => format!(
                "the assertion is encrypted ({why}); the assertion rules were skipped; {IAM}"
            ),
        };
        let label = if e.unread.is_none() {
            "decrypted Assertion"
        } else {
            "EncryptedAssertion"
        };
        out.push(Finding::new(&META, message).at(e.span, label));
        return;
    }
    let Some(&first) = cx.response.encrypted_assertions.first() else {
        return;
    };
    let state = if cx.assertion.is_some() {
        "it was decrypted with --sp-key and linted"
    } else {
        "without --sp-key its content cannot be read, so the assertion rules were skipped"
    };
    out.push(
        Finding::new(&META, format!("the assertion is encrypted: {state}; {IAM}"))
            .at(common::start_tag(cx, first), "EncryptedAssertion"),
    );
}
