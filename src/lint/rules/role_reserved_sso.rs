use crate::lint::common;
use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "role-reserved-sso",
    code: "SL0606",
    default_severity: Severity::Error,
    profiles: &[Profile::AwsIam],
    summary: "A Role pair names an IAM Identity Center permission-set role",
    aws_error: "no text documented; [S]: AssumeRoleWithSAML \"will not work on IAM Identity Center managed roles\"",
    fix_okta: "Don't map Identity Center roles in the AWS Account Federation app; use the IAM Identity Center app, or an IAM role that trusts the provider.",
    fix_idp: &[(
        IdpKind::Other,
        "Do not send IAM Identity Center roles (AWSReservedSSO_*) in Role values; use an IAM role that trusts the provider.",
    )],
    fix_aws: "Create an IAM role that trusts the SAML provider instead of using an AWSReservedSSO_ role.",
    explain: include_str!("../explain/role-reserved-sso.md"),
    since: "0.1.0",
};

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (v, message) in common::role_value_findings(cx, &META) {
        out.push(Finding::new(&META, message).at(v.value.span, "Identity Center role"));
    }
}
