//! Small helpers shared by the rules: profile-specific AWS errors, spans, and the
//! bearer confirmation.

use super::context::Ctx;
use super::rule::{Profile, RuleMeta};
use crate::saml::{Assertion, AttributeValue, BEARER, SubjectConfirmation};
use crate::xml::{Element, NodeId, Span};

/// The IAM sign-in endpoint's catch-all.
pub const IAM_GENERIC: &str =
    "Your request included an invalid SAML response. To logout, click here.";
/// IAM Identity Center's documented catch-all.
pub const IC_GENERIC: &str = "An unexpected error has occurred";
/// `AccessDenied` from STS.
pub const ACCESS_DENIED: &str = "Not authorized to perform sts:AssumeRoleWithSAML (Service: AWSSecurityTokenService; Status Code: 403; Error Code: AccessDenied)";

/// RULES.md "generic": the catch-all of the profile's sign-in endpoint.
pub fn generic_error(profile: Profile) -> &'static str {
    match profile {
        Profile::AwsIam => IAM_GENERIC,
        Profile::AwsIdentityCenter => IC_GENERIC,
        Profile::Generic => super::GENERIC_AWS_ERROR,
    }
}

/// The start tag of an element (where a "missing child/attribute" finding points).
pub fn start_tag(cx: &Ctx<'_>, node: NodeId) -> Span {
    cx.doc
        .element(node)
        .map_or_else(|| cx.doc.span(node), Element::start_tag)
}

/// Bearer `SubjectConfirmation`s of C.
pub fn bearers(a: &Assertion) -> impl Iterator<Item = &SubjectConfirmation> {
    a.subject
        .iter()
        .flat_map(|s| s.confirmations.iter())
        .filter(|c| c.method.as_ref().is_some_and(|m| m.text == BEARER))
}

/// Length in characters.
pub fn chars(s: &str) -> usize {
    s.chars().count()
}

/// What [`role_value::check_role_value`] reports under `rule` for each Role value of C.
/// The role rules and `samlint okta-map` share that function, so both judge a Role
/// value the same way.
pub fn role_value_findings<'a>(
    cx: &Ctx<'a>,
    rule: &'static RuleMeta,
) -> Vec<(&'a AttributeValue, String)> {
    cx.role_checks
        .get(cx.assertion, cx.expected)
        .iter()
        .flat_map(|(v, findings)| {
            findings
                .iter()
                .filter(|f| std::ptr::eq(f.rule, rule))
                .map(|f| (*v, f.message.clone()))
        })
        .collect()
}
