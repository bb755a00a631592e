use crate::lint::common;
use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};
use crate::saml::Assertion;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "ic-nameid-format",
    code: "SL0801",
    default_severity: Severity::Warning,
    profiles: &[Profile::AwsIdentityCenter],
    summary: "NameID Format is not emailAddress, which IAM Identity Center requires",
    aws_error: "An unexpected error has occurred",
    fix_okta: "IAM Identity Center app: Application username format = Email; custom app: Name ID format = EmailAddress.",
    fix_idp: &[
        (
            IdpKind::Other,
            "Send NameID in the emailAddress format (or unspecified) for the IAM Identity Center app.",
        ),
        (
            IdpKind::Entra,
            "Attributes & Claims -> Unique User Identifier (Name ID): Name identifier format = Email address.",
        ),
        (
            IdpKind::Adfs,
            "The Name ID rule: Outgoing name ID format = Email.",
        ),
        (
            IdpKind::Google,
            "The SAML app -> Service provider details: Name ID format = EMAIL.",
        ),
        (IdpKind::Keycloak, "The client: Name ID format = email."),
    ],
    fix_aws: "",
    explain: include_str!("../explain/ic-nameid-format.md"),
    since: "0.1.0",
};

const EMAIL_FORMAT: &str = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(n) = cx.assertion.and_then(Assertion::name_id) else {
        return;
    };
    match &n.format {
        Some(f) if f.text == EMAIL_FORMAT => {}
        Some(f) => out.push(
            Finding::new(
                &META,
                format!(
                    "NameID Format is '{}' but IAM Identity Center requires {EMAIL_FORMAT}",
                    f.text
                ),
            )
            .at(f.span, "not emailAddress"),
        ),
        None => out.push(
            Finding::new(
                &META,
                format!("NameID has no Format; IAM Identity Center requires {EMAIL_FORMAT}"),
            )
            .at(common::start_tag(cx, n.node), "no Format"),
        ),
    }
}
