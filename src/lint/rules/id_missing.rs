use crate::lint::common;
use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};
use crate::saml::Value;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "id-missing",
    code: "SL0308",
    default_severity: Severity::Error,
    profiles: Profile::ALL,
    summary: "The Response or the assertion has no ID attribute",
    aws_error: crate::lint::GENERIC_AWS_ERROR,
    fix_okta: "Emit an ID on the Response and the Assertion (custom IdPs only; Okta always does).",
    fix_idp: &[(
        IdpKind::Other,
        "Emit a non-empty ID on the Response and the Assertion (mainstream IdPs always do; a custom or hand-built response may not).",
    )],
    fix_aws: "",
    explain: include_str!("../explain/id-missing.md"),
    since: "0.2.0",
};

/// `what` ("Response", "assertion") lacks a usable ID: absent, or empty.
fn check_one(
    cx: &Ctx<'_>,
    what: &str,
    node: crate::xml::NodeId,
    id: Option<&Value>,
    out: &mut Vec<Finding>,
) {
    let err = common::generic_error(cx.profile);
    let f = match id {
        None => Finding::new(
            &META,
            format!("the {what} has no ID attribute; SAML requires one, and a signature cannot reference the {what} without it"),
        )
        .at(common::start_tag(cx, node), "no ID"),
        Some(v) if v.text.trim().is_empty() => Finding::new(
            &META,
            format!("the {what}'s ID is empty; SAML requires a unique xs:ID"),
        )
        .at(v.span, "empty ID"),
        Some(_) => return,
    };
    out.push(f.aws_error(err));
}

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let r = cx.response;
    check_one(cx, "Response", r.node, r.id.as_ref(), out);
    if let Some(a) = cx.assertion {
        check_one(cx, "assertion", a.node, a.id.as_ref(), out);
    }
}
