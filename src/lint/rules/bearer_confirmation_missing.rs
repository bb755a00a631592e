use crate::lint::common;
use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};
use crate::saml::BEARER;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "bearer-confirmation-missing",
    code: "SL0402",
    default_severity: Severity::Error,
    profiles: &[Profile::AwsIam, Profile::AwsIdentityCenter],
    summary: "The Subject has no bearer SubjectConfirmation",
    aws_error: crate::lint::GENERIC_AWS_ERROR,
    fix_okta: "Okta always sends one; a custom IdP must send a bearer SubjectConfirmation.",
    fix_idp: &[(
        IdpKind::Other,
        "Configure the IdP to send a bearer SubjectConfirmation with Recipient and NotOnOrAfter.",
    )],
    fix_aws: "",
    explain: include_str!("../explain/bearer-confirmation-missing.md"),
    since: "0.1.0",
};

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(a) = cx.assertion else { return };
    if common::bearers(a).next().is_some() {
        return;
    }
    let methods: Vec<&str> = a
        .subject
        .iter()
        .flat_map(|s| s.confirmations.iter())
        .map(|c| c.method.as_ref().map_or("(no Method)", |m| m.text.as_str()))
        .collect();
    let found = if methods.is_empty() {
        "no SubjectConfirmation".to_owned()
    } else {
        format!("SubjectConfirmation Method {}", methods.join(", "))
    };
    let span = a
        .subject
        .as_ref()
        .and_then(|s| s.confirmations.first())
        .and_then(|c| c.method.as_ref().map(|m| m.span))
        .or_else(|| a.subject.as_ref().map(|s| common::start_tag(cx, s.node)))
        .unwrap_or_else(|| common::start_tag(cx, a.node));
    out.push(
        Finding::new(
            &META,
            format!("the assertion has {found} but AWS needs Method {BEARER}"),
        )
        .at(span, "no bearer confirmation")
        .aws_error(common::generic_error(cx.profile)),
    );
}
