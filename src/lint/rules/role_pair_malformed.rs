use crate::lint::common;
use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};
use crate::saml::aws as names;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "role-pair-malformed",
    code: "SL0603",
    default_severity: Severity::Error,
    profiles: &[Profile::AwsIam],
    summary: "A Role value is not a role ARN and a saml-provider ARN separated by a comma",
    aws_error: "Your request included an invalid SAML response. To logout, click here. CLI tools: Principal ARN is invalid / Request ARN is invalid (ValidationError)",
    fix_okta: "Single account: Identity Provider ARN = the provider's full ARN; Use Group Mapping: Role Value Pattern arn:aws:iam::${accountid}:saml-provider/<Name>,arn:aws:iam::${accountid}:role/${role} and a Group Filter whose accountid captures 12 digits.",
    fix_idp: &[
        (
            IdpKind::Other,
            "Build each Role value as arn:aws:iam::<12-digit account>:role/<name>,arn:aws:iam::<account>:saml-provider/<name> (either order), with the partition's prefix.",
        ),
        (
            IdpKind::Entra,
            "The app roles of the enterprise application (App registrations -> App roles, or the roles provisioning imported) must have values role-ARN,provider-ARN with 12-digit accounts.",
        ),
        (
            IdpKind::Adfs,
            "Relying party trust for AWS -> Edit Claim Issuance Policy -> the Roles rule: its RegExReplace must build arn:aws:iam::<12 digits>:saml-provider/<name>,arn:aws:iam::<12 digits>:role/<name>.",
        ),
        (
            IdpKind::Google,
            "Directory -> Users -> the user -> User information -> Amazon > Role: each value role-ARN,provider-ARN with 12-digit accounts, no trailing comma.",
        ),
        (
            IdpKind::Keycloak,
            "The client roles used by the Role list mapper must be named role-ARN,provider-ARN.",
        ),
    ],
    fix_aws: "Copy the role and provider ARNs from the IAM console.",
    explain: include_str!("../explain/role-pair-malformed.md"),
    since: "0.1.0",
};

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    const EXPECTED: &str = "AWS expects arn:aws:iam::<account>:role/<name>,arn:aws:iam::<account>:saml-provider/<name> (either order)";
    let Some(a) = cx.assertion else { return };
    for v in a
        .attributes_named(names::ROLE)
        .flat_map(|attr| attr.values.iter())
        .filter(|v| v.has_element_children)
    {
        out.push(
            Finding::new(
                &META,
                format!("the Role value has child elements instead of text; {EXPECTED}"),
            )
            .at(v.value.span, "not a role,provider pair")
            .aws_error(common::IAM_GENERIC),
        );
    }
    for (v, why) in common::role_value_findings(cx, &META) {
        if v.has_element_children {
            continue;
        }
        out.push(
            Finding::new(&META, format!("{why}; {EXPECTED}"))
                .at(v.value.span, "not a role,provider pair")
                .aws_error(common::IAM_GENERIC),
        );
    }
}
