use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};
use crate::lint::{common, timecheck};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "subject-confirmation-expired",
    code: "SL0505",
    default_severity: Severity::Error,
    profiles: Profile::ALL,
    summary: "The bearer SubjectConfirmationData window does not contain now",
    aws_error: crate::lint::GENERIC_AWS_ERROR,
    fix_okta: "Re-sign in, or give the capture time (--now); keep the IdP clock on NTP.",
    fix_idp: &[(
        IdpKind::Other,
        "Re-sign in, or give the capture time (--now); keep the IdP server's clock on NTP.",
    )],
    fix_aws: "",
    explain: include_str!("../explain/subject-confirmation-expired.md"),
    since: "0.1.0",
};

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(a) = cx.assertion else { return };
    let err = || {
        format!(
            "{}; CLI/API: Response has expired (ExpiredTokenException)",
            common::generic_error(cx.profile)
        )
    };
    for data in common::bearers(a).filter_map(|b| b.data.as_ref()) {
        let window = || {
            timecheck::window(
                data.not_before.as_ref().map(|v| v.text.as_str()),
                data.not_on_or_after.as_ref().map(|v| v.text.as_str()),
            )
        };
        if let Some(v) = &data.not_on_or_after
            && let Some(by) = v.time().and_then(|t| timecheck::expired_by(cx, t))
        {
            out.push(
                Finding::new(
                    &META,
                    format!(
                        "{}; {}",
                        timecheck::expired_message(
                            cx,
                            "SubjectConfirmationData NotOnOrAfter",
                            &v.text,
                            by
                        ),
                        window()
                    ),
                )
                .at(v.span, "expired")
                .aws_error(err()),
            );
        }
        if let Some(v) = &data.not_before
            && let Some(by) = v.time().and_then(|t| timecheck::early_by(cx, t))
        {
            out.push(
                Finding::new(
                    &META,
                    format!(
                        "{}; {}",
                        timecheck::early_message(
                            cx,
                            "SubjectConfirmationData NotBefore",
                            &v.text,
                            by
                        ),
                        window()
                    ),
                )
                .at(v.span, "in the future")
                .aws_error(common::generic_error(cx.profile)),
            );
        }
    }
}
