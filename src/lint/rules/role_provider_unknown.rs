use crate::lint::arn;
use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::rule::{Profile, RuleMeta, Severity};
use crate::saml::aws as names;

pub static META: RuleMeta = RuleMeta {
    id: "role-provider-unknown",
    code: "SL0607",
    default_severity: Severity::Error,
    profiles: &[Profile::AwsIam],
    summary: "A Role pair names a SAML provider that is not in the expected context",
    aws_error: "Specified provider doesn't exist.",
    fix_okta: "Provider name in Identity Provider ARN / Role Value Pattern = the IAM provider's name exactly.",
    fix_aws: "IAM -> Identity providers: check the provider's name and account.",
    explain: include_str!("../explain/role-provider-unknown.md"),
    since: "0.1.0",
};

pub fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let known = &cx.expected.saml_providers;
    if known.is_empty() {
        return;
    }
    let Some(a) = cx.assertion else { return };
    for attr in a.attributes_named(names::ROLE) {
        for v in &attr.values {
            let Ok(pair) = arn::parse_pair(&v.value.text) else {
                continue;
            };
            let p = pair.provider.text;
            if known.iter().any(|k| k == p) {
                continue;
            }
            let hint = match known.iter().find(|k| k.eq_ignore_ascii_case(p)) {
                Some(k) => {
                    format!("; {k} differs only in case (provider names are case-sensitive)")
                }
                None => arn::closest(p, known).map_or_else(String::new, |k| {
                    format!("; closest configured provider: {k}")
                }),
            };
            out.push(
                Finding::new(
                    &META,
                    format!(
                        "provider {p} is not one of the SAML providers that exist in AWS{hint}"
                    ),
                )
                .at(v.value.span, "unknown provider"),
            );
        }
    }
}
