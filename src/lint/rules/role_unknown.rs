use crate::lint::common;
use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "role-unknown",
    code: "SL0608",
    default_severity: Severity::Warning,
    profiles: &[Profile::AwsIam],
    summary: "A Role pair names a role or account that is not in the expected context",
    aws_error: "Not authorized to perform sts:AssumeRoleWithSAML (Service: AWSSecurityTokenService; Status Code: 403; Error Code: AccessDenied)",
    fix_okta: "Refresh Application Data; fix the Group Filter's role capture.",
    fix_idp: &[(
        IdpKind::Other,
        "Send the name of a role that exists in the account; fix the group-to-role rule that builds it.",
    )],
    fix_aws: "Create or rename the role (role names are case-sensitive).",
    explain: include_str!("../explain/role-unknown.md"),
    since: "0.1.0",
};

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (v, message) in common::role_value_findings(cx, &META) {
        out.push(Finding::new(&META, message).at(v.value.span, "unknown role"));
    }
}
