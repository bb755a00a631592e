use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};
use crate::lint::{common, timecheck};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "assertion-not-yet-valid",
    code: "SL0504",
    default_severity: Severity::Error,
    profiles: Profile::ALL,
    summary: "Conditions NotBefore is in the future",
    aws_error: crate::lint::GENERIC_AWS_ERROR,
    fix_okta: "IdP clock ahead: fix NTP on the IdP; check --now / the capture time.",
    fix_idp: &[(
        IdpKind::Other,
        "IdP clock ahead: fix NTP on the IdP; check --now / the capture time.",
    )],
    fix_aws: "",
    explain: include_str!("../explain/assertion-not-yet-valid.md"),
    since: "0.1.0",
};

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(c) = cx.assertion.and_then(|a| a.conditions.as_ref()) else {
        return;
    };
    let Some(v) = &c.not_before else { return };
    let Some(t) = v.time() else { return };
    if let Some(by) = timecheck::early_by(cx, t) {
        let window = timecheck::window(
            Some(&v.text),
            c.not_on_or_after.as_ref().map(|v| v.text.as_str()),
        );
        out.push(
            Finding::new(
                &META,
                format!(
                    "{}; {window}",
                    timecheck::early_message(cx, "Conditions NotBefore", &v.text, by)
                ),
            )
            .at(v.span, "in the future")
            .aws_error(common::generic_error(cx.profile)),
        );
    }
}
