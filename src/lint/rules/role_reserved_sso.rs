use crate::lint::arn;
use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::rule::{Profile, RuleMeta, Severity};
use crate::saml::aws as names;

pub static META: RuleMeta = RuleMeta {
    id: "role-reserved-sso",
    code: "SL0606",
    default_severity: Severity::Error,
    profiles: &[Profile::AwsIam],
    summary: "A Role pair names an IAM Identity Center permission-set role",
    aws_error: "no text documented; [S]: AssumeRoleWithSAML \"will not work on IAM Identity Center managed roles\"",
    fix_okta: "Don't map Identity Center roles in the AWS Account Federation app; use the IAM Identity Center app, or an IAM role that trusts the provider.",
    fix_aws: "Create an IAM role that trusts the SAML provider instead of using an AWSReservedSSO_ role.",
    explain: include_str!("../explain/role-reserved-sso.md"),
    since: "0.1.0",
};

pub fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(a) = cx.assertion else { return };
    for attr in a.attributes_named(names::ROLE) {
        for v in &attr.values {
            let Ok(pair) = arn::parse_pair(&v.value.text) else {
                continue;
            };
            let r = &pair.role;
            if r.name.starts_with("AWSReservedSSO_")
                || r.path.starts_with("/aws-reserved/sso.amazonaws.com/")
            {
                out.push(
                    Finding::new(
                        &META,
                        format!(
                            "role {} is an IAM Identity Center permission-set role; AssumeRoleWithSAML does not work on Identity Center managed roles",
                            r.text
                        ),
                    )
                    .at(v.value.span, "Identity Center role"),
                );
            }
        }
    }
}
