//! Time-window evaluation shared by the time rules (RULES.md "Time"): skew applies
//! both ways, NotOnOrAfter is exclusive, and findings say where `now` came from.

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};

use super::context::Ctx;
use crate::saml::time::human_duration;

/// `2026-01-15T10:00:00Z`.
pub(crate) fn fmt(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// `now (2026-01-15T10:00:00Z, capture time)`.
pub(crate) fn now_phrase(cx: &Ctx<'_>) -> String {
    format!("now ({}, {})", fmt(cx.now), cx.now_source.describe())
}

/// `clock skew 5m0s`.
pub(crate) fn skew_phrase(cx: &Ctx<'_>) -> String {
    if cx.skew.is_zero() {
        "no clock skew allowed".to_owned()
    } else {
        format!("clock skew {}", human_duration(cx.skew))
    }
}

/// How long `now` is past `not_on_or_after`, when `now ≥ NotOnOrAfter + skew`.
pub(crate) fn expired_by(cx: &Ctx<'_>, not_on_or_after: DateTime<Utc>) -> Option<TimeDelta> {
    (cx.now >= not_on_or_after + cx.skew).then(|| cx.now - not_on_or_after)
}

/// How long before `not_before` `now` is, when `now < NotBefore − skew`.
pub(crate) fn early_by(cx: &Ctx<'_>, not_before: DateTime<Utc>) -> Option<TimeDelta> {
    (cx.now < not_before - cx.skew).then(|| not_before - cx.now)
}

/// "NotOnOrAfter …: expired 4m12s before now (…, capture time); clock skew 5m0s".
pub(crate) fn expired_message(
    cx: &Ctx<'_>,
    what: &str,
    not_on_or_after: &str,
    by: TimeDelta,
) -> String {
    format!(
        "{what} {not_on_or_after}: expired {} before {}; {}",
        human_duration(by),
        now_phrase(cx),
        skew_phrase(cx)
    )
}

/// "NotBefore …: valid only 2m0s after now (…); clock skew 5m0s".
pub(crate) fn early_message(cx: &Ctx<'_>, what: &str, not_before: &str, by: TimeDelta) -> String {
    format!(
        "{what} {not_before}: valid only {} after {}; {}",
        human_duration(by),
        now_phrase(cx),
        skew_phrase(cx)
    )
}

/// The window as text: `window 2026-01-15T09:54:30Z to 2026-01-15T10:04:30Z, end exclusive`.
pub(crate) fn window(from: Option<&str>, to: Option<&str>) -> String {
    format!(
        "window {} to {}, end exclusive",
        from.unwrap_or("(no NotBefore)"),
        to.unwrap_or("(no NotOnOrAfter)")
    )
}
