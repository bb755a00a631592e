use crate::lint::common;
use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "role-provider-unknown",
    code: "SL0607",
    default_severity: Severity::Error,
    profiles: &[Profile::AwsIam],
    summary: "A Role pair names a SAML provider that is not in the expected context",
    aws_error: "Specified provider doesn't exist.",
    fix_okta: "Provider name in Identity Provider ARN / Role Value Pattern = the IAM provider's name exactly.",
    fix_idp: &[
        (
            IdpKind::Other,
            "The provider name in the Role values must be the IAM SAML provider's name exactly.",
        ),
        (
            IdpKind::Entra,
            "The provider part of each app role value must be the IAM SAML provider's name exactly.",
        ),
        (
            IdpKind::Adfs,
            "The Roles claim rule's replacement text must name the IAM SAML provider exactly (saml-provider/<name>).",
        ),
        (
            IdpKind::Google,
            "The saml-provider/<name> part of the user's Amazon > Role values must be the IAM provider's name exactly.",
        ),
    ],
    fix_aws: "IAM -> Identity providers: check the provider's name and account.",
    explain: include_str!("../explain/role-provider-unknown.md"),
    since: "0.1.0",
};

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (v, message) in common::role_value_findings(cx, &META) {
        out.push(Finding::new(&META, message).at(v.value.span, "unknown provider"));
    }
}
