use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "response-too-large",
    code: "SL0104",
    default_severity: Severity::Warning,
    profiles: &[Profile::AwsIam],
    summary: "The SAMLResponse is longer than the 100,000 characters STS accepts as SAMLAssertion",
    aws_error: "CLI/API: the length constraint on SAMLAssertion (4-100,000 characters); AWS documents no limit for console sign-in.",
    fix_okta: "Fewer roles per user (narrow Group Filter / App Filter, Join all roles off); drop unused attribute statements.",
    fix_idp: &[(
        IdpKind::Other,
        "Send fewer Role values per user (narrow the group-to-role rules); drop unused attributes.",
    )],
    fix_aws: "",
    explain: include_str!("../explain/response-too-large.md"),
    since: "0.1.0",
};

/// STS `AssumeRoleWithSAML` `SAMLAssertion` length constraint.
const MAX_SAML_ASSERTION: usize = 100_000;

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    if let Some(len) = cx.base64_len.filter(|&l| l > MAX_SAML_ASSERTION) {
        out.push(Finding::new(
            &META,
            format!(
                "the base64 SAMLResponse is {len} characters, over the {MAX_SAML_ASSERTION} that AssumeRoleWithSAML accepts"
            ),
        ));
    }
}
