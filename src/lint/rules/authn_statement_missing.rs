use crate::lint::common;
use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "authn-statement-missing",
    code: "SL0508",
    default_severity: Severity::Warning,
    profiles: Profile::ALL,
    summary: "The assertion has no AuthnStatement",
    aws_error: "— (AWS documents no check)",
    fix_okta: "Custom IdP: include an AuthnStatement with AuthnInstant.",
    fix_idp: &[(
        IdpKind::Other,
        "Configure the IdP to include an AuthnStatement with AuthnInstant.",
    )],
    fix_aws: "",
    explain: include_str!("../explain/authn-statement-missing.md"),
    since: "0.1.0",
};

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(a) = cx.assertion else { return };
    if a.authn_statements.is_empty() {
        out.push(
            Finding::new(
                &META,
                "the assertion has no AuthnStatement; the SAML Web SSO profile requires one",
            )
            .at(common::start_tag(cx, a.node), "no AuthnStatement"),
        );
    }
}
