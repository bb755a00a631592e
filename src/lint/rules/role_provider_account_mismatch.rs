use crate::lint::common;
use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "role-provider-account-mismatch",
    code: "SL0605",
    default_severity: Severity::Error,
    profiles: &[Profile::AwsIam],
    summary: "A Role pair's role and provider are in different accounts",
    aws_error: "not documented; expect generic or `Not authorized to perform sts:AssumeRoleWithSAML (Service: AWSSecurityTokenService; Status Code: 403; Error Code: AccessDenied)`",
    fix_okta: "The single-account Identity Provider ARN is used for other accounts' roles; use Group Mapping with ${accountid} in both ARNs.",
    fix_idp: &[(
        IdpKind::Other,
        "Put the role's own account in the provider ARN of each Role value.",
    )],
    fix_aws: "Create the provider (same name and metadata) in every account with federated roles.",
    explain: include_str!("../explain/role-provider-account-mismatch.md"),
    since: "0.1.0",
};

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (v, message) in common::role_value_findings(cx, &META) {
        out.push(
            Finding::new(
                &META,
                format!("{message}; a role trusts only a SAML provider of its own account"),
            )
            .at(v.value.span, "accounts differ"),
        );
    }
}
