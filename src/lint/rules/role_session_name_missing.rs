use crate::lint::common;
use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};
use crate::saml::aws as names;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "role-session-name-missing",
    code: "SL0701",
    default_severity: Severity::Error,
    profiles: &[Profile::AwsIam],
    summary: "The assertion has no RoleSessionName value",
    aws_error: "RoleSessionName is required in AuthnResponse (Service: AWSSecurityTokenService; Status Code: 400; Error Code: InvalidIdentityToken)",
    fix_okta: "Custom app: attribute statement RoleSessionName = user.email (or login); AWS Account Federation app: the user's app username must not be empty.",
    fix_idp: &[
        (
            IdpKind::Other,
            "Send the attribute https://aws.amazon.com/SAML/Attributes/RoleSessionName with the user's login or email.",
        ),
        (
            IdpKind::Entra,
            "Enterprise application -> Single sign-on -> Attributes & Claims: a claim named RoleSessionName in namespace https://aws.amazon.com/SAML/Attributes, source user.userprincipalname (or user.mail).",
        ),
        (
            IdpKind::Adfs,
            "Relying party trust for AWS -> Edit Claim Issuance Policy: a rule sending an LDAP attribute (E-Mail-Addresses or SAM-Account-Name) as https://aws.amazon.com/SAML/Attributes/RoleSessionName.",
        ),
        (
            IdpKind::Google,
            "The AWS SAML app -> SAML attribute mapping: Basic Information > Primary email -> https://aws.amazon.com/SAML/Attributes/RoleSessionName.",
        ),
        (
            IdpKind::Ping,
            "PingFederate: the SP connection's Attribute Contract Fulfillment for RoleSessionName (e.g. mail); PingOne: the application's Attribute Mappings.",
        ),
        (
            IdpKind::OneLogin,
            "The AWS connector's Parameters tab: RoleSessionName (e.g. Email).",
        ),
        (
            IdpKind::JumpCloud,
            "The AWS SSO application's attributes: https://aws.amazon.com/SAML/Attributes/RoleSessionName = email.",
        ),
        (
            IdpKind::Keycloak,
            "The AWS client's dedicated client scope -> Mappers: a User Property mapper (email or username) with SAML attribute name https://aws.amazon.com/SAML/Attributes/RoleSessionName.",
        ),
        (
            IdpKind::Auth0,
            "SAML2 Web App addon settings: mappings entry for https://aws.amazon.com/SAML/Attributes/RoleSessionName (e.g. email).",
        ),
        (
            IdpKind::Shibboleth,
            "attribute-resolver.xml: define RoleSessionName from mail or uid; attribute-filter.xml: release it to the AWS SP.",
        ),
        (
            IdpKind::NetIq,
            "Identity Server -> SAML 2.0 -> the AWS trusted provider -> Attributes: map RoleSessionName to the user's mail or cn.",
        ),
    ],
    fix_aws: "",
    explain: include_str!("../explain/role-session-name-missing.md"),
    since: "0.1.0",
};

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(a) = cx.assertion else { return };
    let mut attrs = a.attributes_named(names::ROLE_SESSION_NAME).peekable();
    match attrs.peek().copied() {
        None => out.push(
            Finding::new(
                &META,
                format!(
                    "the assertion has no Attribute named {}",
                    names::ROLE_SESSION_NAME
                ),
            )
            .at(common::start_tag(cx, a.node), "no RoleSessionName"),
        ),
        Some(first) if attrs.all(|r| r.values.is_empty()) => out.push(
            Finding::new(&META, "the RoleSessionName attribute has no AttributeValue")
                .at(common::start_tag(cx, first.node), "no AttributeValue"),
        ),
        Some(_) => {}
    }
}
