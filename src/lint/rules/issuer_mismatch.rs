use crate::lint::common;
use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "issuer-mismatch",
    code: "SL0303",
    default_severity: Severity::Error,
    profiles: Profile::ALL,
    summary: "The assertion Issuer is missing, differs from the Response Issuer, or is not the IdP entityID AWS holds",
    aws_error: "Failed to assume role: Issuer not present in specified provider (Service: AWSOpenIdDiscoveryService; Status Code: 400; Error Code: AuthSamlInvalidSamlResponseException)",
    fix_okta: "The metadata in AWS came from another app or org (preview vs production): download this app's IdP metadata (Sign On tab).",
    fix_idp: &[
        (
            IdpKind::Other,
            "The metadata in AWS came from another app, tenant or environment: download this app's IdP metadata and upload it to AWS.",
        ),
        (
            IdpKind::Entra,
            "Each tenant's Issuer is https://sts.windows.net/<tenant ID>/: download this enterprise application's Federation Metadata XML and upload it to AWS.",
        ),
        (
            IdpKind::Adfs,
            "The Issuer is the Federation Service identifier (AD FS Management -> Service -> Edit Federation Service Properties): upload this AD FS farm's federation metadata to AWS.",
        ),
        (
            IdpKind::Google,
            "The Issuer carries the idpid of one Google Workspace account: download this AWS SAML app's IdP metadata and upload it to AWS.",
        ),
    ],
    fix_aws: "Update the SAML provider with it (aws iam update-saml-provider); Identity Center: Settings -> Identity source -> Manage authentication.",
    explain: include_str!("../explain/issuer-mismatch.md"),
    since: "0.1.0",
};

fn aws_error(cx: &Ctx<'_>) -> &'static str {
    match cx.profile {
        Profile::AwsIam => META.aws_error,
        p => common::generic_error(p),
    }
}

/// "; they differ only by surrounding whitespace" when that is the whole difference:
/// invisible in most viewers, and exactly what AWS compares.
fn only_whitespace(a: &str, b: &str) -> &'static str {
    if a != b && a.trim() == b.trim() {
        "; they differ only by surrounding whitespace"
    } else {
        ""
    }
}

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(a) = cx.assertion else { return };
    let Some(issuer) = &a.issuer else {
        out.push(
            Finding::new(
                &META,
                "the assertion has no Issuer; AWS finds the SAML provider by the Issuer",
            )
            .at(common::start_tag(cx, a.node), "no Issuer")
            .aws_error(aws_error(cx)),
        );
        return;
    };
    if let Some(r) = &cx.response.issuer
        && r.value.text != issuer.value.text
    {
        out.push(
            Finding::new(
                &META,
                format!(
                    "the assertion Issuer is '{}' but the Response Issuer is '{}'{}",
                    issuer.value.text.escape_debug(),
                    r.value.text.escape_debug(),
                    only_whitespace(&issuer.value.text, &r.value.text)
                ),
            )
            .at(issuer.value.span, "assertion Issuer")
            .related(r.value.span, "Response Issuer")
            .aws_error(aws_error(cx)),
        );
    }
    if !cx.entity_ids.is_empty() && !cx.entity_ids.contains(&issuer.value.text) {
        out.push(
            Finding::new(
                &META,
                format!(
                    "the assertion Issuer is '{}' but the trusted IdP metadata entityID is '{}' (compared exactly){}",
                    issuer.value.text.escape_debug(),
                    cx.entity_ids
                        .iter()
                        .map(|e| e.escape_debug().to_string())
                        .collect::<Vec<_>>()
                        .join("' or '"),
                    cx.entity_ids
                        .iter()
                        .map(|e| only_whitespace(&issuer.value.text, e))
                        .find(|s| !s.is_empty())
                        .unwrap_or_default()
                ),
            )
            .at(issuer.value.span, "not the metadata entityID")
            .aws_error(aws_error(cx)),
        );
    }
}
