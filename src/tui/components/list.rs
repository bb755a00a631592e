//! The payload list: one line per payload with its time, URL or source, verdict badge
//! and finding count, narrowed by a `/` filter.

use std::cell::Cell;
use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Action, Component, DrawCx, EventState, ellipsize, panel_block, scroll_to};
use crate::input::OriginKind;
use crate::report::MessageKind;
use crate::report::text::sanitize;
use crate::tui::entry::{Entry, Verdict};
use crate::tui::event::AppEvent;
use crate::tui::keys::{self, Cmd, KeyCommand, Keymap};
use crate::tui::strings as s;
use crate::tui::theme;

/// The list's rows for the footer and the help overlay.
pub(crate) const COMMANDS: &[KeyCommand] = &[
    keys::MOVE,
    keys::FILTER,
    keys::OPEN,
    keys::PAGE,
    keys::TOP_BOTTOM,
    keys::NEXT_FAILING,
    keys::DELETE_PASTE,
    keys::CLEAR_FILTER,
];

/// The footer while the filter is typed (the help overlay lists text entry's keys
/// together).
pub(crate) const FILTER_COMMANDS: &[KeyCommand] = &[keys::FILTER_KEEP, keys::FILTER_CLEAR];

#[derive(Debug, Default)]
pub(crate) struct ListPanel {
    pub selected: usize,
    /// The `/` filter (case-insensitive; file, URL, issuer or subject).
    pub filter: String,
    /// The filter is being typed.
    pub filtering: bool,
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

/// Whether `e` matches the filter `query` (already lower-cased): its label, source,
/// URL, issuer or subject contains it.
pub(crate) fn matches(e: &Entry, query: &str) -> bool {
    if query.is_empty() {
        return true;
    }
    let has = |t: &str| t.to_lowercase().contains(query);
    let summary = e.payload.as_ref().and_then(|p| p.summary.as_ref());
    has(&label(e, true))
        || has(&e.source)
        || e.payload
            .as_ref()
            .and_then(|p| p.origin.url.as_deref())
            .is_some_and(has)
        || summary.and_then(|s| s.issuer.as_deref()).is_some_and(has)
        || summary.and_then(|s| s.subject.as_deref()).is_some_and(has)
}

/// The indices of the entries `filter` lets through.
pub(crate) fn visible(entries: &[Entry], filter: &str) -> Vec<usize> {
    let query = filter.to_lowercase();
    (0..entries.len())
        .filter(|&i| matches(&entries[i], &query))
        .collect()
}

impl ListPanel {
    /// The rows shown at the last draw start at this position among the visible
    /// entries.
    pub(crate) fn offset(&self) -> usize {
        self.offset.get()
    }

    /// Whether a filter narrows the list (typed or being typed).
    pub(crate) fn filtered(&self) -> bool {
        self.filtering || !self.filter.is_empty()
    }

    /// After the filter changed: keep the selection if it still matches, else select
    /// the first entry that does (none matching leaves it where it was).
    fn refilter(&mut self, entries: &[Entry]) {
        let shown = visible(entries, &self.filter);
        if !shown.contains(&self.selected)
            && let Some(&first) = shown.first()
        {
            self.selected = first;
        }
    }

    /// A key while the filter is typed: every key is the filter's.
    fn filter_key(&mut self, ev: &AppEvent, km: &Keymap, entries: &[Entry]) {
        match ev {
            AppEvent::Key(k) => {
                // Esc and Ctrl-C drop the filter; Enter keeps it and ends the entry.
                if km.hit(Cmd::Cancel, k) {
                    self.clear_filter();
                } else if km.hit(Cmd::Submit, k) {
                    self.filtering = false;
                } else if km.hit(Cmd::DeleteChar, k) {
                    self.filter.pop();
                    self.refilter(entries);
                } else if km.hit(Cmd::ClearText, k) {
                    self.filter.clear();
                    self.refilter(entries);
                } else if km.hit(Cmd::EntryUp, k) || km.hit(Cmd::EntryDown, k) {
                    self.step(km.hit(Cmd::EntryDown, k), entries);
                } else if let Some(c) = keys::typed(k) {
                    self.filter.push(c);
                    self.refilter(entries);
                }
            }
            AppEvent::Paste(text) => {
                self.filter.push_str(text.lines().next().unwrap_or(""));
                self.refilter(entries);
            }
            _ => {}
        }
    }

    fn clear_filter(&mut self) {
        self.filtering = false;
        self.filter.clear();
    }

    /// One step down (or up) among the visible entries.
    fn step(&mut self, down: bool, entries: &[Entry]) {
        let shown = visible(entries, &self.filter);
        let pos = shown.iter().position(|&i| i == self.selected).unwrap_or(0);
        let next = if down {
            (pos + 1).min(shown.len().saturating_sub(1))
        } else {
            pos.saturating_sub(1)
        };
        if let Some(&i) = shown.get(next) {
            self.selected = i;
        }
    }

    /// Moves the selection among the visible entries; whether the key moved it.
    fn move_by(&mut self, km: &Keymap, k: &KeyEvent, entries: &[Entry]) -> bool {
        let shown = visible(entries, &self.filter);
        let pos = shown.iter().position(|&i| i == self.selected).unwrap_or(0);
        match km.movement(k, pos, shown.len(), self.height.get()) {
            Some(next) => {
                if let Some(&i) = shown.get(next) {
                    self.selected = i;
                }
                true
            }
            None => false,
        }
    }

    /// Handles an event with every entry at hand (the filter needs them).
    pub(crate) fn handle_in(
        &mut self,
        ev: &AppEvent,
        km: &Keymap,
        entries: &[Entry],
        actions: &mut Vec<Action>,
    ) -> EventState {
        if self.filtering {
            self.filter_key(ev, km, entries);
            return EventState::Consumed;
        }
        if let AppEvent::Key(k) = ev {
            if self.move_by(km, k, entries) {
                return EventState::Consumed;
            }
            if km.hit(Cmd::Filter, k) {
                self.filtering = true;
                return EventState::Consumed;
            }
            if km.hit(Cmd::ClearFilter, k) && !self.filter.is_empty() {
                self.clear_filter();
                return EventState::Consumed;
            }
        }
        let entry = entries.get(self.selected);
        self.handle(ev, km, entry, actions)
    }
}

impl Component for ListPanel {
    fn draw(&self, f: &mut Frame<'_>, area: Rect, cx: &DrawCx<'_>) {
        let shown = visible(cx.entries, &self.filter);
        let title = if self.filtered() {
            format!(
                " {} ({}/{}) ",
                s::PAYLOADS_TITLE,
                shown.len(),
                cx.entries.len()
            )
        } else {
            format!(" {} ({}) ", s::PAYLOADS_TITLE, cx.entries.len())
        };
        let block = panel_block(&title, cx.focused);
        let mut inner = block.inner(area);
        f.render_widget(block, area);
        if self.filtered() {
            // The filter's line sits at the bottom of the list.
            let [rows, line] =
                Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(inner);
            let cursor = if self.filtering { "▏" } else { "" };
            f.render_widget(
                Paragraph::new(Line::from(vec![
                    Span::styled(s::FILTER_PROMPT, theme::key()),
                    Span::raw(format!("{}{cursor}", sanitize(&self.filter))),
                ])),
                line,
            );
            inner = rows;
        }
        let height = usize::from(inner.height);
        self.height.set(height);
        let width = usize::from(inner.width);
        let mut lines = Vec::new();
        if cx.entries.is_empty() {
            let text = if cx.pending > 0 {
                s::LOADING.to_owned()
            } else {
                s::no_payloads(cx.keys.first(Cmd::Paste).map(|k| k.to_string()).as_deref())
            };
            f.render_widget(
                Paragraph::new(text)
                    .style(theme::dim())
                    .wrap(ratatui::widgets::Wrap { trim: true }),
                inner,
            );
            return;
        }
        if shown.is_empty() {
            f.render_widget(
                Paragraph::new(s::FILTER_NO_MATCH).style(theme::dim()),
                inner,
            );
            return;
        }
        let pos = shown.iter().position(|&i| i == cx.selected).unwrap_or(0);
        let offset = scroll_to(pos, self.offset.get(), height);
        self.offset.set(offset);
        // A date too when the captures span days.
        let mut days = cx
            .entries
            .iter()
            .filter_map(|e| e.payload.as_ref()?.origin.time)
            .map(|t| t.date_naive());
        let first = days.next();
        let dated = days.any(|d| Some(d) != first);
        for &i in shown.iter().skip(offset).take(height) {
            let e = &cx.entries[i];
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
        km: &Keymap,
        entry: Option<&Entry>,
        actions: &mut Vec<Action>,
    ) -> EventState {
        let AppEvent::Key(k) = ev else {
            return EventState::NotConsumed;
        };
        if km.hit(Cmd::DeletePaste, k)
            && let Some(e) = entry
            && e.payload
                .as_ref()
                .is_some_and(|p| p.origin.kind == OriginKind::Paste)
        {
            actions.push(Action::DeleteEntry(self.selected));
            return EventState::Consumed;
        }
        if km.hit(Cmd::Copy, k)
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
        if self.filtering {
            FILTER_COMMANDS.to_vec()
        } else {
            COMMANDS.to_vec()
        }
    }
}
