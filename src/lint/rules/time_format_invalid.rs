use crate::lint::common;
use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};
use crate::saml::Value;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "time-format-invalid",
    code: "SL0507",
    default_severity: Severity::Error,
    profiles: Profile::ALL,
    summary: "An IssueInstant is missing, or a SAML time is not a valid xs:dateTime",
    aws_error: crate::lint::GENERIC_AWS_ERROR,
    fix_okta: "Emit UTC times, e.g. 2026-01-15T10:00:00.000Z.",
    fix_idp: &[(
        IdpKind::Other,
        "Emit UTC times, e.g. 2026-01-15T10:00:00.000Z.",
    )],
    fix_aws: "",
    explain: include_str!("../explain/time-format-invalid.md"),
    since: "0.1.0",
};

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let err = common::generic_error(cx.profile);
    let r = cx.response;
    if r.issue_instant.is_none() {
        out.push(
            Finding::new(&META, "the Response has no IssueInstant; SAML requires one")
                .at(common::start_tag(cx, r.node), "no IssueInstant")
                .aws_error(err),
        );
    }
    if let Some(a) = cx.assertion
        && a.issue_instant.is_none()
    {
        out.push(
            Finding::new(
                &META,
                "the assertion has no IssueInstant; SAML requires one",
            )
            .at(common::start_tag(cx, a.node), "no IssueInstant")
            .aws_error(err),
        );
    }
    let mut check = |what: &str, v: &Value| {
        if v.time().is_none() {
            out.push(
                Finding::new(
                    &META,
                    format!(
                        "{what} '{}' is not an xs:dateTime; expected a UTC time such as 2026-01-15T10:00:00.000Z",
                        v.text
                    ),
                )
                .at(v.span, "not a dateTime")
                .aws_error(err),
            );
        }
    };
    if let Some(v) = &r.issue_instant {
        check("Response IssueInstant", v);
    }
    let Some(a) = cx.assertion else { return };
    if let Some(v) = &a.issue_instant {
        check("Assertion IssueInstant", v);
    }
    if let Some(c) = &a.conditions {
        if let Some(v) = &c.not_before {
            check("Conditions NotBefore", v);
        }
        if let Some(v) = &c.not_on_or_after {
            check("Conditions NotOnOrAfter", v);
        }
    }
    for d in a
        .subject
        .iter()
        .flat_map(|s| s.confirmations.iter())
        .filter_map(|sc| sc.data.as_ref())
    {
        if let Some(v) = &d.not_before {
            check("SubjectConfirmationData NotBefore", v);
        }
        if let Some(v) = &d.not_on_or_after {
            check("SubjectConfirmationData NotOnOrAfter", v);
        }
    }
    for s in &a.authn_statements {
        if let Some(v) = &s.authn_instant {
            check("AuthnInstant", v);
        }
        if let Some(v) = &s.session_not_on_or_after {
            check("SessionNotOnOrAfter", v);
        }
    }
}
