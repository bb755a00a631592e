//! Small helpers shared by the rules: profile-specific AWS errors, spans, and the
//! bearer confirmation.

use super::context::Ctx;
use super::rule::{Profile, RuleMeta};
use crate::saml::{Assertion, AttributeValue, BEARER, SubjectConfirmation};
use crate::xml::{Element, NodeId, Span};

/// The IAM sign-in endpoint's catch-all.
pub(crate) const IAM_GENERIC: &str =
    "Your request included an invalid SAML response. To logout, click here.";
/// IAM Identity Center's documented catch-all.
pub(crate) const IC_GENERIC: &str = "An unexpected error has occurred";
/// RULES.md "generic": the catch-all of the profile's sign-in endpoint.
pub(crate) fn generic_error(profile: Profile) -> &'static str {
    match profile {
        Profile::AwsIam => IAM_GENERIC,
        Profile::AwsIdentityCenter => IC_GENERIC,
        Profile::Generic => super::GENERIC_AWS_ERROR,
    }
}

/// The start tag of an element (where a "missing child/attribute" finding points).
pub(crate) fn start_tag(cx: &Ctx<'_>, node: NodeId) -> Span {
    cx.doc
        .element(node)
        .map_or_else(|| cx.doc.span(node), Element::start_tag)
}

/// Bearer `SubjectConfirmation`s of C.
pub(crate) fn bearers(a: &Assertion) -> impl Iterator<Item = &SubjectConfirmation> {
    a.subject
        .iter()
        .flat_map(|s| s.confirmations.iter())
        .filter(|c| c.method.as_ref().is_some_and(|m| m.text == BEARER))
}

/// What [`role_value::check_role_value`] reports under `rule` for each Role value of C.
/// The role rules and `samlint okta-map` share that function, so both judge a Role
/// value the same way.
pub(crate) fn role_value_findings<'a>(
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
