use crate::lint::common;
use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};
use crate::saml::aws as names;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "role-missing",
    code: "SL0601",
    default_severity: Severity::Error,
    profiles: &[Profile::AwsIam],
    summary: "The assertion carries no AWS Role attribute value",
    aws_error: "Your request included an invalid SAML response. To logout, click here.",
    fix_okta: "The user gets no role: assign the app with SAML User Roles; with Use Group Mapping the user's groups must pass App Filter and Group Filter; with Join all roles off, a direct assignment hides group-assigned roles.",
    fix_idp: &[
        (
            IdpKind::Other,
            "Send the attribute https://aws.amazon.com/SAML/Attributes/Role with at least one value role-ARN,provider-ARN for this user (check the user's assignment and group-to-role rules).",
        ),
        (
            IdpKind::Entra,
            "Enterprise application -> Single sign-on -> Attributes & Claims: a claim named Role in namespace https://aws.amazon.com/SAML/Attributes with source user.assignedroles; then Users and groups: assign the user (or a group) with an app role whose value is role-ARN,provider-ARN.",
        ),
        (
            IdpKind::Adfs,
            "Relying party trust for AWS -> Edit Claim Issuance Policy: the group rules (Get AD Groups, Roles) must issue https://aws.amazon.com/SAML/Attributes/Role for this user's groups; check the group-name pattern of the Roles rule.",
        ),
        (
            IdpKind::Google,
            "Directory -> Users -> the user -> User information: fill the custom attribute Amazon > Role (role-ARN,provider-ARN); the AWS SAML app's SAML attribute mapping must map it to https://aws.amazon.com/SAML/Attributes/Role.",
        ),
        (
            IdpKind::Ping,
            "PingFederate: the AWS SP connection's Attribute Contract must list https://aws.amazon.com/SAML/Attributes/Role and Attribute Contract Fulfillment must give it a value for this user; PingOne: the application's Attribute Mappings.",
        ),
        (
            IdpKind::OneLogin,
            "The AWS connector's Parameters tab: Role must be set; the app's Rules must give this user at least one role ARN.",
        ),
        (
            IdpKind::JumpCloud,
            "USER AUTHENTICATION > SSO Applications -> the AWS connector -> SSO tab: https://aws.amazon.com/SAML/Attributes/Role under Constant Attributes, or under User Attribute Mapping from a custom user attribute; bind the user's group to the application.",
        ),
        (
            IdpKind::Keycloak,
            "The AWS client's dedicated client scope -> Mappers: a Role list mapper with Role attribute name https://aws.amazon.com/SAML/Attributes/Role; the user needs a client role named role-ARN,provider-ARN.",
        ),
        (
            IdpKind::Auth0,
            "Send the attribute from an Action (api.samlResponse.setAttribute('https://aws.amazon.com/SAML/Attributes/Role', ...)) or the SAML2 Web App addon's mappings.",
        ),
        (
            IdpKind::Shibboleth,
            "attribute-resolver.xml: define the Role attribute (SAML2 name https://aws.amazon.com/SAML/Attributes/Role); attribute-filter.xml: release it to the AWS SP.",
        ),
        (
            IdpKind::NetIq,
            "Identity Server -> SAML 2.0 -> the AWS trusted provider -> Attributes: the attribute set must send https://aws.amazon.com/SAML/Attributes/Role.",
        ),
    ],
    fix_aws: "",
    explain: include_str!("../explain/role-missing.md"),
    since: "0.1.0",
};

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(a) = cx.assertion else { return };
    let mut attrs = a.attributes_named(names::ROLE).peekable();
    let Some(first) = attrs.peek().copied() else {
        out.push(
            Finding::new(
                &META,
                format!("the assertion has no Attribute named {}; AWS needs at least one role,provider pair", names::ROLE),
            )
            .at(common::start_tag(cx, a.node), "no Role attribute"),
        );
        return;
    };
    if attrs.all(|r| r.values.is_empty()) {
        out.push(
            Finding::new(
                &META,
                "the Role attribute has no AttributeValue; AWS needs at least one role,provider pair",
            )
            .at(common::start_tag(cx, first.node), "no AttributeValue"),
        );
    }
}
