use crate::lint::idp::IdpKind;
use chrono::TimeDelta;

use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::rule::{Profile, RuleMeta, Severity};
use crate::lint::{common, timecheck};
use crate::saml::time::human_duration;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "issue-instant-skew",
    code: "SL0506",
    default_severity: Severity::Error,
    profiles: Profile::ALL,
    summary: "IssueInstant is in the future, or (IAM) older than the 5 minutes STS allows",
    aws_error: "Future: generic. Too old: Token must be redeemed within 5 minutes of issuance (ExpiredTokenException)",
    fix_okta: "Fix the IdP clock (NTP).",
    fix_idp: &[(IdpKind::Other, "Fix the IdP server's clock (NTP).")],
    fix_aws: "Post the response at once: CLI tools must not cache it.",
    explain: include_str!("../explain/issue-instant-skew.md"),
    since: "0.1.0",
};

/// STS redeems a response only within 5 minutes of issuance.
const REDEEM_WINDOW: TimeDelta = TimeDelta::minutes(5);

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let instants = [
        ("Response IssueInstant", cx.response.issue_instant.as_ref()),
        (
            "Assertion IssueInstant",
            cx.assertion.and_then(|a| a.issue_instant.as_ref()),
        ),
    ];
    for (what, v) in instants.iter().filter_map(|&(what, v)| Some((what, v?))) {
        let Some(t) = v.time() else { continue };
        if t > cx.now + cx.skew {
            out.push(
                Finding::new(
                    &META,
                    format!(
                        "{what} {} is {} after {}; {}: issued in the future",
                        v.text,
                        human_duration(t - cx.now),
                        timecheck::now_phrase(cx),
                        timecheck::skew_phrase(cx)
                    ),
                )
                .at(v.span, "in the future")
                .aws_error(common::generic_error(cx.profile)),
            );
        }
    }
    if cx.profile != Profile::AwsIam {
        return;
    }
    let Some(v) = cx.assertion.and_then(|a| a.issue_instant.as_ref()) else {
        return;
    };
    let Some(t) = v.time() else { return };
    let age = cx.now - t;
    if age > REDEEM_WINDOW + cx.skew {
        out.push(
            Finding::new(
                &META,
                format!(
                    "Assertion IssueInstant {} is {} before {}; STS redeems a response within 5 minutes of issuance ({})",
                    v.text,
                    human_duration(age),
                    timecheck::now_phrase(cx),
                    timecheck::skew_phrase(cx)
                ),
            )
            .at(v.span, "too old")
            .aws_error("Token must be redeemed within 5 minutes of issuance (ExpiredTokenException)"),
        );
    }
}
