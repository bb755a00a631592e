use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};
use crate::lint::{aws, common};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "audience-invalid",
    code: "SL0501",
    default_severity: Severity::Error,
    profiles: &[Profile::AwsIam, Profile::AwsIdentityCenter],
    summary: "The assertion has no AudienceRestriction, or one without the AWS audience",
    aws_error: "Response does not contain the required audience.",
    fix_okta: "AWS Account Federation sends urn:amazon:webservices (per AWS Environment); custom app: Audience URI = urn:amazon:webservices or https://signin.aws.amazon.com/saml; IAM Identity Center app: AWS SSO issuer URL = the instance's issuer URL.",
    fix_idp: &[
        (
            IdpKind::Other,
            "Set the SP entity ID (audience / identifier) of the AWS app to urn:amazon:webservices (IAM; GovCloud urn:amazon:webservices:govcloud) or, for IAM Identity Center, the instance's issuer URL.",
        ),
        (
            IdpKind::Entra,
            "Enterprise application -> Single sign-on -> Basic SAML Configuration: Identifier (Entity ID) = urn:amazon:webservices (IAM Identity Center app: the instance's issuer URL).",
        ),
        (
            IdpKind::Adfs,
            "Relying party trust for AWS -> Properties -> Identifiers: urn:amazon:webservices (best: add the trust from https://signin.aws.amazon.com/static/saml-metadata.xml).",
        ),
        (
            IdpKind::Google,
            "The AWS SAML app -> Service provider details: Entity ID = urn:amazon:webservices (IAM Identity Center: the instance's issuer URL).",
        ),
        (
            IdpKind::Ping,
            "PingFederate: the SP connection's Partner's Entity ID = urn:amazon:webservices; PingOne: the application's Entity ID.",
        ),
        (
            IdpKind::OneLogin,
            "The AWS connector's Configuration tab: Audience / SAML audience = urn:amazon:webservices.",
        ),
        (
            IdpKind::JumpCloud,
            "The AWS SSO application's SSO tab: SP Entity ID = urn:amazon:webservices.",
        ),
        (
            IdpKind::Keycloak,
            "The AWS client's Client ID = urn:amazon:webservices (Keycloak sends the Client ID as the audience).",
        ),
        (
            IdpKind::Auth0,
            "SAML2 Web App addon settings: audience = urn:amazon:webservices.",
        ),
        (
            IdpKind::Shibboleth,
            "Load AWS's SP metadata (entityID urn:amazon:webservices) in metadata-providers.xml and release to that entity.",
        ),
        (
            IdpKind::NetIq,
            "Import AWS's SP metadata as the trusted service provider (entityID urn:amazon:webservices).",
        ),
    ],
    fix_aws: "IAM: nothing to change (AWS expects its own SP entity ID; fix the IdP). Identity Center: copy the issuer URL from Settings -> Identity source -> Manage authentication.",
    explain: include_str!("../explain/audience-invalid.md"),
    since: "0.1.0",
};

fn expected(cx: &Ctx<'_>) -> String {
    if let Some(a) = &cx.expected.audience {
        return format!("AWS expects the configured audience {a}");
    }
    match cx.profile {
        Profile::AwsIdentityCenter => "IAM Identity Center expects the instance's issuer URL https://<region>.signin.aws.amazon.com/platform/saml/<identity store ID>".to_owned(),
        _ => "AWS IAM expects urn:amazon:webservices or https://signin.aws.amazon.com/saml (or the partition's equivalent)".to_owned(),
    }
}

fn accepted(cx: &Ctx<'_>, v: &str) -> bool {
    if let Some(a) = &cx.expected.audience {
        return aws::trim_uri(v) == aws::trim_uri(a);
    }
    match cx.profile {
        Profile::AwsIdentityCenter => aws::is_ic_issuer(v),
        _ => aws::iam_audience_partition(v).is_some(),
    }
}

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(a) = cx.assertion else { return };
    let err = match cx.profile {
        Profile::AwsIam => META.aws_error,
        p => common::generic_error(p),
    };
    let restrictions = a
        .conditions
        .as_ref()
        .map(|c| c.audience_restrictions.as_slice())
        .unwrap_or_default();
    if restrictions.is_empty() {
        let span = a.conditions.as_ref().map_or_else(
            || common::start_tag(cx, a.node),
            |c| common::start_tag(cx, c.node),
        );
        let what = if a.conditions.is_some() {
            "Conditions have"
        } else {
            "assertion has no Conditions and"
        };
        out.push(
            Finding::new(
                &META,
                format!("the {what} no AudienceRestriction; {}", expected(cx)),
            )
            .at(span, "no AudienceRestriction")
            .aws_error(err),
        );
        return;
    }
    for r in restrictions {
        if r.audiences.iter().any(|v| accepted(cx, &v.text)) {
            continue;
        }
        let f = match r.audiences.as_slice() {
            [] => Finding::new(
                &META,
                format!("an AudienceRestriction has no Audience; {}", expected(cx)),
            )
            .at(common::start_tag(cx, r.node), "empty AudienceRestriction"),
            [first, rest @ ..] => {
                let seen: Vec<String> = r
                    .audiences
                    .iter()
                    .map(|v| format!("'{}'", v.text))
                    .collect();
                let mut f = Finding::new(
                    &META,
                    format!("Audience is {} but {}", seen.join(", "), expected(cx)),
                )
                .at(first.span, "not an AWS audience");
                for v in rest {
                    f = f.related(v.span, "not an AWS audience");
                }
                f
            }
        };
        out.push(f.aws_error(err));
    }
}
