use crate::lint::idp::IdpKind;
use std::fmt::Write as _;

use crate::lint::common;
use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::rule::{Profile, RuleMeta, Severity};
use crate::saml::STATUS_SUCCESS;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "status-not-success",
    code: "SL0302",
    default_severity: Severity::Error,
    profiles: Profile::ALL,
    summary: "The IdP answered with a Status other than Success",
    aws_error: crate::lint::GENERIC_AWS_ERROR,
    fix_okta: "Okta refused to issue: read the System Log for this user and app (assignment, sign-on policy, NameID policy).",
    fix_idp: &[
        (
            IdpKind::Other,
            "The IdP refused to issue: read its sign-in log for this user and app (assignment, access policy, NameID policy).",
        ),
        (
            IdpKind::Entra,
            "Entra admin center -> Monitoring & health -> Sign-in logs: find the failed sign-in for this user and app (assignment required, Conditional Access).",
        ),
        (
            IdpKind::Adfs,
            "Event Viewer -> Applications and Services Logs -> AD FS -> Admin: read the error for this request (issuance authorization rules / access control policy).",
        ),
        (
            IdpKind::Google,
            "Check the AWS SAML app's User access: the app must be ON for the user's organizational unit or group.",
        ),
    ],
    fix_aws: "",
    explain: include_str!("../explain/status-not-success.md"),
    since: "0.1.0",
};

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(status) = &cx.response.status else {
        out.push(
            Finding::new(
                &META,
                format!("the Response has no Status; AWS expects StatusCode {STATUS_SUCCESS}"),
            )
            .at(common::start_tag(cx, cx.response.node), "no Status")
            .aws_error(common::generic_error(cx.profile)),
        );
        return;
    };
    let code = status.code.as_ref();
    if code.is_some_and(|c| c.text == STATUS_SUCCESS) {
        return;
    }
    let mut msg = match code {
        Some(c) => format!("StatusCode is {}", c.text),
        None => "the Status has no StatusCode Value".to_owned(),
    };
    if !status.nested.is_empty() {
        let nested: Vec<&str> = status.nested.iter().map(|v| v.text.as_str()).collect();
        let _ = write!(msg, " ({})", nested.join(" / "));
    }
    if let Some(m) = &status.message {
        let _ = write!(msg, ", StatusMessage '{}'", m.text.trim());
    }
    let _ = write!(msg, "; AWS needs {STATUS_SUCCESS}");
    let span = code.map_or_else(|| common::start_tag(cx, status.node), |c| c.span);
    let mut f = Finding::new(&META, msg).at(span, "not Success");
    if let Some(n) = status.nested.first() {
        f = f.related(n.span, "the IdP's reason");
    }
    out.push(f.aws_error(common::generic_error(cx.profile)));
}
