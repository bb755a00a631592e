use crate::lint::common;
use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};
use crate::saml::Value;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "version-invalid",
    code: "SL0301",
    default_severity: Severity::Error,
    profiles: Profile::ALL,
    summary: "The Response or the assertion is not SAML Version 2.0",
    aws_error: crate::lint::GENERIC_AWS_ERROR,
    fix_okta: "Use a SAML 2.0 app (not WS-Federation or SAML 1.1).",
    fix_idp: &[(
        IdpKind::Other,
        "Use a SAML 2.0 app (not WS-Federation or SAML 1.1).",
    )],
    fix_aws: "",
    explain: include_str!("../explain/version-invalid.md"),
    since: "0.1.0",
};

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let mut one = |what: &str, node, version: Option<&Value>| {
        let f = match version {
            Some(v) if v.text == "2.0" => return,
            Some(v) => Finding::new(
                &META,
                format!("{what} Version is '{}' but AWS expects exactly 2.0", v.text),
            )
            .at(v.span, "expected 2.0"),
            None => Finding::new(
                &META,
                format!("{what} has no Version attribute; AWS expects Version=\"2.0\""),
            )
            .at(common::start_tag(cx, node), "no Version"),
        };
        out.push(f.aws_error(common::generic_error(cx.profile)));
    };
    one("Response", cx.response.node, cx.response.version.as_ref());
    if let Some(a) = cx.assertion {
        one("Assertion", a.node, a.version.as_ref());
    }
}
