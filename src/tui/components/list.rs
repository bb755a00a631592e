//! The payload list: one line per payload with its time, URL or source, verdict badge
//! and finding count.

use std::cell::Cell;
use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Action, Component, DrawCx, EventState, ellipsize, panel_block, scroll_to};
use crate::input::OriginKind;
use crate::report::MessageKind;
use crate::report::text::sanitize;
use crate::tui::app::{Entry, Verdict};
use crate::tui::event::AppEvent;
use crate::tui::keys::{self, KeyCommand};
use crate::tui::strings as s;
use crate::tui::theme;

#[derive(Debug, Default)]
pub struct ListPanel {
    pub selected: usize,
    /// Number of entries, set before each event.
    pub len: usize,
    offset: Cell<usize>,
    height: Cell<usize>,
}

fn badge(v: Verdict) -> Span<'static> {
    match v {
        Verdict::Ok => Span::styled(s::BADGE_OK, theme::ok()),
        Verdict::Warn => Span::styled(s::BADGE_WARN, theme::warn()),
        Verdict::Fail => Span::styled(s::BADGE_FAIL, theme::bad()),
        Verdict::Error => Span::styled(s::BADGE_ERROR, theme::bad()),
    }
}

/// The file and entry of a HAR or tracer export, the time (with the date when the
/// captures span days) and the URL, else the source name; a paste with its subject.
fn label(e: &Entry, dated: bool) -> String {
    let name = e.source.rsplit(['/', '\\']).next().unwrap_or(&e.source);
    let Some(p) = &e.payload else {
        return sanitize(name);
    };
    let mut out = String::new();
    // The file and entry first: fifty copies of one HAR differ only there.
    if let (Some(n), OriginKind::Har | OriginKind::Tracer) = (p.origin.entry, p.origin.kind) {
        let _ = write!(out, "{}#{n} ", sanitize(name));
    }
    if let Some(t) = p.origin.time {
        let format = if dated {
            "%m-%d %H:%M:%S "
        } else {
            "%H:%M:%S "
        };
        out.push_str(&t.format(format).to_string());
    }
    if p.origin.kind == OriginKind::Paste {
        out.push_str(&sanitize(name));
        if let Some(subject) = p.summary.as_ref().and_then(|s| s.subject.as_deref()) {
            let _ = write!(out, " · {}", sanitize(subject));
        }
        return out;
    }
    // Responses are the common case: only requests are marked.
    if p.kind == Some(MessageKind::Request) {
        out.push_str(s::LIST_REQUEST);
    }
    if let Some(u) = &p.origin.url {
        out.push_str(&sanitize(
            u.trim_start_matches("https://")
                .trim_start_matches("http://"),
        ));
    } else {
        out.push_str(&sanitize(name));
        if p.index > 0 {
            let _ = write!(out, " #{}", p.index);
        }
    }
    out
}

impl ListPanel {
    /// The first entry shown at the last draw.
    pub fn offset(&self) -> usize {
        self.offset.get()
    }
}

impl Component for ListPanel {
    fn title(&self) -> &'static str {
        s::PAYLOADS_TITLE
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, cx: &DrawCx<'_>) {
        let title = format!(" {} ({}) ", s::PAYLOADS_TITLE, cx.entries.len());
        let block = panel_block(&title, cx.focused);
        let inner = block.inner(area);
        f.render_widget(block, area);
        let height = usize::from(inner.height);
        self.height.set(height);
        let width = usize::from(inner.width);
        let mut lines = Vec::new();
        if cx.entries.is_empty() {
            let text = if cx.pending > 0 {
                s::LOADING
            } else {
                s::NO_PAYLOADS
            };
            f.render_widget(
                Paragraph::new(text)
                    .style(theme::dim())
                    .wrap(ratatui::widgets::Wrap { trim: true }),
                inner,
            );
            return;
        }
        let offset = scroll_to(cx.selected, self.offset.get(), height);
        self.offset.set(offset);
        // A date too when the captures span days.
        let mut days = cx
            .entries
            .iter()
            .filter_map(|e| e.payload.as_ref()?.origin.time)
            .map(|t| t.date_naive());
        let first = days.next();
        let dated = days.any(|d| Some(d) != first);
        for (i, e) in cx.entries.iter().enumerate().skip(offset).take(height) {
            let count = e.findings.len();
            let count = if count == 0 {
                String::new()
            } else {
                format!(" {count}")
            };
            let room = width.saturating_sub(5 + count.chars().count());
            let text = format!("{:<room$}", ellipsize(&label(e, dated), room));
            let mut line = Line::from(vec![
                badge(e.verdict()),
                Span::raw(" "),
                Span::raw(text),
                Span::styled(count, theme::dim()),
            ]);
            if i == cx.selected {
                line = line.patch_style(theme::selected());
            }
            lines.push(line);
        }
        if cx.pending > 0 && lines.len() < height {
            lines.push(Line::styled(s::LOADING, theme::dim()));
        }
        f.render_widget(Paragraph::new(lines), inner);
    }

    fn handle(
        &mut self,
        ev: &AppEvent,
        entry: Option<&Entry>,
        actions: &mut Vec<Action>,
    ) -> EventState {
        let AppEvent::Key(k) = ev else {
            return EventState::NotConsumed;
        };
        if let Some(next) = keys::movement(k, self.selected, self.len, self.height.get()) {
            self.selected = next;
            return EventState::Consumed;
        }
        if keys::DELETE_PASTE.matches(k)
            && let Some(e) = entry
            && e.payload
                .as_ref()
                .is_some_and(|p| p.origin.kind == OriginKind::Paste)
        {
            actions.push(Action::DeleteEntry(self.selected));
            return EventState::Consumed;
        }
        if keys::COPY.matches(k)
            && let Some(e) = entry
        {
            let value = e
                .payload
                .as_ref()
                .and_then(|p| p.origin.url.clone())
                .unwrap_or_else(|| e.source.clone());
            actions.push(Action::Copy(value));
            return EventState::Consumed;
        }
        EventState::NotConsumed
    }

    fn commands(&self) -> Vec<KeyCommand> {
        vec![
            keys::MOVE,
            keys::PAGE,
            keys::TOP_BOTTOM,
            keys::NEXT_FAILING,
            keys::DELETE_PASTE,
        ]
    }
}
