use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};
use crate::lint::{common, timecheck};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "assertion-expired",
    code: "SL0503",
    default_severity: Severity::Error,
    profiles: Profile::ALL,
    summary: "Conditions NotOnOrAfter is past",
    aws_error: crate::lint::GENERIC_AWS_ERROR,
    fix_okta: "Re-sign in, or give the capture time (--now); keep the IdP clock on NTP.",
    fix_idp: &[(
        IdpKind::Other,
        "Re-sign in, or give the capture time (--now); keep the IdP server's clock on NTP.",
    )],
    fix_aws: "",
    explain: include_str!("../explain/assertion-expired.md"),
    since: "0.1.0",
};

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(c) = cx.assertion.and_then(|a| a.conditions.as_ref()) else {
        return;
    };
    let Some(v) = &c.not_on_or_after else { return };
    let Some(t) = v.time() else { return };
    if let Some(by) = timecheck::expired_by(cx, t) {
        let window = timecheck::window(
            c.not_before.as_ref().map(|v| v.text.as_str()),
            Some(&v.text),
        );
        out.push(
            Finding::new(
                &META,
                format!(
                    "{}; {window}",
                    timecheck::expired_message(cx, "Conditions NotOnOrAfter", &v.text, by)
                ),
            )
            .at(v.span, "expired")
            .aws_error(format!(
                "{}; CLI/API: Response has expired (ExpiredTokenException)",
                common::generic_error(cx.profile)
            )),
        );
    }
}
