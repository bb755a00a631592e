use crate::lint::arn;
use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::rule::{Profile, RuleMeta, Severity};
use crate::saml::aws as names;

pub static META: RuleMeta = RuleMeta {
    id: "role-unknown",
    code: "SL0608",
    default_severity: Severity::Warning,
    profiles: &[Profile::AwsIam],
    summary: "A Role pair names a role or account that is not in the expected context",
    aws_error: "Not authorized to perform sts:AssumeRoleWithSAML (Service: AWSSecurityTokenService; Status Code: 403; Error Code: AccessDenied)",
    fix_okta: "Refresh Application Data; fix the Group Filter's role capture.",
    fix_aws: "Create or rename the role (role names are case-sensitive).",
    explain: include_str!("../explain/role-unknown.md"),
    since: "0.1.0",
};

pub fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let (roles, accounts) = (&cx.expected.roles, &cx.expected.accounts);
    if roles.is_empty() && accounts.is_empty() {
        return;
    }
    let Some(a) = cx.assertion else { return };
    for attr in a.attributes_named(names::ROLE) {
        for v in &attr.values {
            let Ok(pair) = arn::parse_pair(&v.value.text) else {
                continue;
            };
            let r = &pair.role;
            if !accounts.is_empty() && !accounts.iter().any(|x| x == r.account) {
                out.push(
                    Finding::new(
                        &META,
                        format!(
                            "role {} is in account {}, which is not one of the expected accounts ({})",
                            r.text,
                            r.account,
                            accounts.join(", ")
                        ),
                    )
                    .at(v.value.span, "unknown account"),
                );
                continue;
            }
            if roles.is_empty() || roles.iter().any(|x| x == r.text) {
                continue;
            }
            let hint = match roles.iter().find(|k| k.eq_ignore_ascii_case(r.text)) {
                Some(k) => format!("; {k} differs only in case, and role names are case-sensitive"),
                None => arn::closest(r.text, roles)
                    .map_or_else(String::new, |k| format!("; closest expected role: {k}")),
            };
            out.push(
                Finding::new(
                    &META,
                    format!(
                        "role {} is not one of the roles that exist in AWS{hint}",
                        r.text
                    ),
                )
                .at(v.value.span, "unknown role"),
            );
        }
    }
}
