use crate::lint::idp::IdpKind;
use chrono::TimeDelta;

use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::rule::{Profile, RuleMeta, Severity};
use crate::saml::time::human_duration;
use crate::saml::{Value, aws as names};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "session-not-on-or-after-shortens",
    code: "SL0706",
    default_severity: Severity::Info,
    profiles: &[Profile::AwsIam],
    summary: "SessionNotOnOrAfter ends the console session before SessionDuration",
    aws_error: "—",
    fix_okta: "Lengthen the IdP session, or omit SessionNotOnOrAfter.",
    fix_idp: &[(
        IdpKind::Other,
        "Lengthen the IdP session, or omit SessionNotOnOrAfter.",
    )],
    fix_aws: "",
    explain: include_str!("../explain/session-not-on-or-after-shortens.md"),
    since: "0.1.0",
};

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(a) = cx.assertion else { return };
    let Some(issued) = a.issue_instant.as_ref().and_then(Value::time) else {
        return;
    };
    let duration = a
        .first_values(names::SESSION_DURATION)
        .and_then(|v| v.first())
        .and_then(|v| v.value.text.parse::<i64>().ok())
        .filter(|n| (900..=43200).contains(n));
    let (secs, what) = duration.map_or((3600, "the default 3600 s"), |n| (n, "SessionDuration"));
    let ends = issued + TimeDelta::seconds(secs);
    for s in &a.authn_statements {
        let Some(v) = &s.session_not_on_or_after else {
            continue;
        };
        let Some(t) = v.time() else { continue };
        if t < ends {
            out.push(
                Finding::new(
                    &META,
                    format!(
                        "SessionNotOnOrAfter {} ends the console session {} after IssueInstant, {} before {what} ({secs} s) would",
                        v.text,
                        human_duration(t - issued),
                        human_duration(ends - t)
                    ),
                )
                .at(v.span, "session ends here"),
            );
        }
    }
}
