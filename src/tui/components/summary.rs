//! Summary: what AWS will read, the verdict, the validity window with a live
//! countdown, and the signature verdict in words.

use chrono::{DateTime, TimeDelta, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::{Action, Component, DrawCx, EventState, Scroll, draw_entry_lines, ellipsize};
use crate::report::text::{elide, sanitize};
use crate::tui::entry::{Entry, Verdict};
use crate::tui::event::AppEvent;
use crate::tui::keys::{self, Cmd, KeyCommand, Keymap};
use crate::tui::strings as s;
use crate::tui::theme;
use crate::verify::SignatureStatus;

/// Errors and warnings named under the verdict.
const MAX_REASONS: usize = 3;

/// The Summary tab's rows for the footer and the help overlay.
pub(crate) const COMMANDS: &[KeyCommand] = &[
    keys::MOVE,
    keys::PAGE,
    keys::TOP_BOTTOM,
    keys::COPY,
    keys::CONTEXT_KEYS,
];

#[derive(Debug, Default)]
pub(crate) struct SummaryPanel {
    /// The selected role (for `y`).
    pub role: usize,
    /// `a`: the SAML context keys (`--aws`) are shown under the roles table.
    pub context_keys: bool,
    scroll: Scroll,
}

/// `4m 58s`, `1h 02m`, `3d 4h`.
pub(crate) fn human(d: TimeDelta) -> String {
    let secs = d.num_seconds().unsigned_abs();
    let (days, hours, mins, secs) = (secs / 86_400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    if days > 0 {
        format!("{days}d {hours}h")
    } else if hours > 0 {
        format!("{hours}h {mins:02}m")
    } else if mins > 0 {
        format!("{mins}m {secs:02}s")
    } else {
        format!("{secs}s")
    }
}

/// The countdown line: not yet valid, valid for so long, or expired so long ago.
pub(crate) fn countdown(
    now: DateTime<Utc>,
    not_before: Option<DateTime<Utc>>,
    not_on_or_after: Option<DateTime<Utc>>,
) -> (String, Style) {
    if let Some(nb) = not_before
        && now < nb
    {
        return (s::not_yet_valid(&human(nb - now)), theme::warn());
    }
    match not_on_or_after {
        Some(end) if now >= end => (s::expired_ago(&human(now - end)), theme::bad()),
        Some(end) => (s::expires_in(&human(end - now)), theme::ok()),
        None => (String::new(), Style::new()),
    }
}

pub(crate) fn signature_words(entry: &Entry) -> (&'static str, Style) {
    let Some(sig) = entry.payload.as_ref().and_then(|p| p.signature.as_ref()) else {
        return (s::SIG_NOT_CHECKED, theme::dim());
    };
    match sig.status {
        SignatureStatus::Valid => (s::SIG_VALID, theme::ok()),
        SignatureStatus::Untrusted => (s::SIG_UNTRUSTED, theme::warn()),
        SignatureStatus::Invalid => (s::SIG_INVALID, theme::bad()),
        SignatureStatus::Wrapped => (s::SIG_WRAPPED, theme::bad()),
        SignatureStatus::Unsigned => (s::SIG_UNSIGNED, theme::warn()),
        SignatureStatus::Error => (s::SIG_ERROR, theme::bad()),
    }
}

fn field<'a>(name: &'a str, value: Option<&str>) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!("{name:<13}"), theme::label()),
        match value {
            Some(v) => Span::raw(elide(&sanitize(v))),
            None => Span::styled(s::MISSING, theme::dim()),
        },
    ])
}

impl SummaryPanel {
    fn lines<'a>(&self, e: &'a Entry, cx: &DrawCx<'_>, width: usize) -> Vec<Line<'a>> {
        let mut out = Vec::new();
        let errors = e
            .findings
            .iter()
            .filter(|f| f.severity == crate::lint::Severity::Error)
            .count();
        let (verdict, style) = match e.verdict() {
            Verdict::Ok => (s::VERDICT_OK.to_owned(), theme::ok()),
            Verdict::Warn => (s::VERDICT_WARN.to_owned(), theme::warn()),
            Verdict::Error => (s::VERDICT_UNREADABLE.to_owned(), theme::bad()),
            Verdict::Fail => (s::verdict_fail(errors), theme::bad()),
        };
        out.push(Line::styled(verdict, style));
        // Why, in one line per error or warning (the Findings tab has the rest).
        if e.payload.as_ref().is_some_and(|p| p.summary.is_some()) {
            let serious: Vec<_> = e
                .findings
                .iter()
                .filter(|f| f.severity >= crate::lint::Severity::Warning)
                .collect();
            for f in serious.iter().take(MAX_REASONS) {
                let id = format!("  {} ", f.rule.id);
                let room = width.saturating_sub(id.chars().count());
                out.push(Line::from(vec![
                    Span::styled(id, theme::severity(f.severity)),
                    Span::raw(ellipsize(&sanitize(&f.message), room)),
                ]));
            }
            if serious.len() > MAX_REASONS {
                out.push(Line::styled(
                    s::more_in_findings(serious.len() - MAX_REASONS),
                    theme::dim(),
                ));
            }
        }
        if let Some(err) = &e.error {
            out.push(Line::styled(elide(&sanitize(err)), theme::bad()));
        }
        let Some(p) = &e.payload else {
            for f in &e.findings {
                out.push(Line::raw(elide(&sanitize(&f.message))));
            }
            for n in &e.notes {
                out.push(Line::styled(n.as_str(), theme::warn()));
            }
            return out;
        };
        let Some(sum) = &p.summary else {
            out.push(Line::styled(s::NOT_SAML, theme::dim()));
            for f in &e.findings {
                out.push(Line::raw(elide(&sanitize(&f.message))));
            }
            return out;
        };
        out.push(Line::raw(""));
        out.push(field(s::ISSUER, sum.issuer.as_deref()));
        out.push(field(s::IDP, Some(p.idp.kind.name())));
        out.push(field(s::SUBJECT, sum.subject.as_deref()));
        out.push(field(
            s::PROFILE,
            p.profile.map(crate::lint::Profile::as_str),
        ));
        if !sum.audiences.is_empty() {
            out.push(field(s::AUDIENCE, Some(&sum.audiences.join(", "))));
        }
        // Identity Center reads none of the IAM attributes: say so, not "missing".
        let ic = p.profile == Some(crate::lint::Profile::AwsIdentityCenter);
        let unused = |v: Option<&str>| -> Option<String> {
            match v {
                None if ic => Some(s::NOT_USED_BY_IC.to_owned()),
                v => v.map(str::to_owned),
            }
        };
        out.push(field(
            s::SESSION_NAME,
            unused(sum.session_name.as_deref()).as_deref(),
        ));
        let duration = unused(
            sum.session_duration
                .as_deref()
                .map(|d| {
                    e.session_seconds.map_or_else(
                        || d.to_owned(),
                        |n| format!("{n}s ({})", human(TimeDelta::seconds(n))),
                    )
                })
                .as_deref(),
        );
        out.push(field(s::SESSION_DURATION, duration.as_deref()));
        let window = match (e.not_before, e.not_on_or_after) {
            // Same day: `2026-01-15 09:55:00 → 10:05:00 UTC`.
            (Some(a), Some(b)) if a.date_naive() == b.date_naive() => Some(format!(
                "{} → {} UTC",
                a.format("%Y-%m-%d %H:%M:%S"),
                b.format("%H:%M:%S")
            )),
            _ => match (&sum.not_before, &sum.not_on_or_after) {
                (None, None) => None,
                (a, b) => Some(format!(
                    "{} → {}",
                    a.as_deref().unwrap_or(s::MISSING),
                    b.as_deref().unwrap_or(s::MISSING)
                )),
            },
        };
        out.push(field(s::VALID, window.as_deref()));
        // One clock: the countdown counts from the time the verdict used.
        let now = match p.now {
            Some(used) if !cx.clock_mode => used.at,
            _ => cx.now,
        };
        let (count, style) = countdown(now, e.not_before, e.not_on_or_after);
        if !count.is_empty() {
            out.push(Line::from(vec![
                Span::raw(format!("{:13}", "")),
                Span::styled(count, style),
            ]));
        }
        if let Some(now) = p.now {
            let mut at = format!(
                "{} ({})",
                now.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                now.source.describe()
            );
            // The key that changes it, where there is room (the help lists it too).
            let hint = cx.keys.hint(
                Cmd::Clock,
                if cx.clock_mode {
                    s::CLOCK_TO_CAPTURE
                } else {
                    s::CAPTURE_TO_CLOCK
                },
            );
            if let Some(hint) = hint
                && 13 + at.chars().count() + 3 + hint.chars().count() <= width
            {
                at = format!("{at} · {hint}");
            }
            out.push(field(s::CHECKED_AT, Some(&at)));
        }
        let (words, style) = signature_words(e);
        out.push(Line::from(vec![
            Span::styled(format!("{:<13}", s::SIGNATURE), theme::label()),
            Span::styled(words, style),
        ]));
        out.push(Line::raw(""));
        out.push(Line::styled(
            format!("{} ({})", s::ROLES, sum.roles.len()),
            theme::title(),
        ));
        if sum.roles.is_empty() && ic {
            out.push(Line::styled(s::NOT_USED_BY_IC, theme::dim()));
        } else if sum.roles.is_empty() {
            out.push(Line::styled(s::NO_ROLES, theme::dim()));
        } else {
            let prov_w = e
                .roles
                .iter()
                .map(|r| r.provider.chars().count())
                .max()
                .unwrap_or(0)
                .max(s::ROLE_PROVIDER.len());
            let name_w = width.saturating_sub(12 + 2 + 2 + prov_w).clamp(8, 28);
            // `--aws`: an AWS column, and the selected pair's reason below it.
            let sts = e.roles.iter().any(|r| r.sts.is_some());
            let head = format!(
                "{:<12}  {:<name_w$}  {:<prov_w$}",
                s::ROLE_ACCOUNT,
                s::ROLE_NAME,
                s::ROLE_PROVIDER
            );
            out.push(Line::styled(
                if sts {
                    format!("{head}  {}", s::ROLE_AWS)
                } else {
                    head.trim_end().to_owned()
                },
                theme::label(),
            ));
            for (i, r) in e.roles.iter().enumerate() {
                let text = format!(
                    "{:<12}  {:<name_w$}  {:<prov_w$}",
                    ellipsize(&r.account, 12),
                    ellipsize(&r.name, name_w),
                    r.provider
                );
                let text = if sts {
                    text
                } else {
                    text.trim_end().to_owned()
                };
                let mut spans = if r.malformed {
                    vec![
                        Span::styled(text, theme::bad()),
                        Span::styled(format!("  {}", s::ROLE_MALFORMED), theme::bad()),
                    ]
                } else {
                    vec![Span::raw(text)]
                };
                if let Some((word, _)) = &r.sts {
                    let style = match *word {
                        "allowed" => theme::ok(),
                        "denied" => theme::bad(),
                        _ => theme::warn(),
                    };
                    spans.push(Span::raw("  "));
                    spans.push(Span::styled(*word, style));
                }
                let line = Line::from(spans);
                out.push(if i == self.role && cx.focused {
                    line.patch_style(theme::selected())
                } else {
                    line
                });
                if let (true, Some((_, why))) = (i == self.role, &r.sts) {
                    out.push(Line::styled(format!("  STS: {why}"), theme::dim()));
                }
            }
        }
        self.context_key_lines(e, cx.keys, &mut out);
        out
    }

    /// The SAML context keys STS would put in the request (`--aws`), when shown; else
    /// a hint at the key that shows them.
    fn context_key_lines(&self, e: &Entry, km: &Keymap, out: &mut Vec<Line<'_>>) {
        let aws = e.payload.as_ref().and_then(|p| p.aws.as_ref());
        if !self.context_keys {
            if aws.is_some()
                && let Some(hint) = km.hint(Cmd::ContextKeys, s::CONTEXT_KEYS_HINT)
            {
                out.push(Line::raw(""));
                out.push(Line::styled(hint, theme::dim()));
            }
            return;
        }
        out.push(Line::raw(""));
        let Some(aws) = aws else {
            out.push(Line::styled(s::CONTEXT_KEYS_TITLE, theme::title()));
            out.push(Line::styled(s::CONTEXT_KEYS_NO_AWS, theme::dim()));
            return;
        };
        out.push(Line::styled(
            format!("{} ({})", s::CONTEXT_KEYS_TITLE, aws.context_keys.len()),
            theme::title(),
        ));
        let key_w = aws
            .context_keys
            .keys()
            .map(|k| k.chars().count())
            .max()
            .unwrap_or(0);
        for (key, values) in &aws.context_keys {
            let values = values
                .iter()
                .map(|v| elide(&sanitize(v)))
                .collect::<Vec<_>>()
                .join(", ");
            out.push(Line::from(vec![
                Span::styled(format!("{:<key_w$}  ", sanitize(key)), theme::label()),
                Span::raw(values),
            ]));
        }
    }
}

impl Component for SummaryPanel {
    fn draw(&self, f: &mut Frame<'_>, area: Rect, cx: &DrawCx<'_>) {
        draw_entry_lines(f, area, cx, &self.scroll, |e, width| {
            self.lines(e, cx, usize::from(width))
        });
    }

    fn handle(
        &mut self,
        ev: &AppEvent,
        km: &Keymap,
        entry: Option<&Entry>,
        actions: &mut Vec<Action>,
    ) -> EventState {
        let AppEvent::Key(k) = ev else {
            return EventState::NotConsumed;
        };
        let summary = entry
            .and_then(|e| e.payload.as_ref())
            .and_then(|p| p.summary.as_ref());
        let roles = summary.map_or(0, |s| s.roles.len());
        // Pages, top and bottom scroll; the arrows pick a role.
        if [Cmd::PageDown, Cmd::PageUp, Cmd::Top, Cmd::Bottom]
            .into_iter()
            .any(|c| km.hit(c, k))
        {
            return self.scroll.key(km, k);
        }
        if let Some(next) = km.movement(k, self.role, roles, 5) {
            self.role = next;
            return EventState::Consumed;
        }
        if km.hit(Cmd::ContextKeys, k) {
            self.context_keys = !self.context_keys;
            return EventState::Consumed;
        }
        if km.hit(Cmd::Copy, k)
            && let Some(sum) = summary
        {
            let value = sum
                .roles
                .get(self.role)
                .map(|r| format!("{},{}", r.role, r.provider))
                .or_else(|| sum.subject.clone());
            if let Some(v) = value {
                actions.push(Action::Copy(v));
                return EventState::Consumed;
            }
        }
        EventState::NotConsumed
    }

    fn commands(&self) -> Vec<KeyCommand> {
        COMMANDS.to_vec()
    }
}
