//! Findings: severity, id and message; the selected one with its location, the AWS
//! error and the fix. Enter shows its line in the XML tab.

use std::cell::Cell;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{
    Action, Component, DrawCx, EventState, Scroll, draw_scrolled, ellipsize, framed_entry,
    scroll_to,
};
use crate::lint::IdpKind;
use crate::report::text::{elide, sanitize};
use crate::tui::entry::Entry;
use crate::tui::event::AppEvent;
use crate::tui::keys::{self, Cmd, KeyCommand, Keymap};
use crate::tui::strings as s;
use crate::tui::theme;

/// The Findings tab's rows for the footer and the help overlay.
pub(crate) const COMMANDS: &[KeyCommand] = &[
    keys::MOVE,
    keys::SCROLL_DETAIL,
    keys::TOP_BOTTOM,
    keys::JUMP,
    keys::COPY,
];

#[derive(Debug, Default)]
pub(crate) struct FindingsPanel {
    pub cursor: usize,
    offset: Cell<usize>,
    height: Cell<usize>,
    /// The detail pane's scroll (PgUp/PgDn), back to the top for each finding.
    detail: Scroll,
}

fn detail<'a>(name: impl Into<std::borrow::Cow<'a, str>>, value: &str) -> Vec<Line<'a>> {
    vec![
        Line::styled(name, theme::label()),
        Line::raw(format!("  {}", elide(&sanitize(value)))),
    ]
}

impl Component for FindingsPanel {
    fn draw(&self, f: &mut Frame<'_>, area: Rect, cx: &DrawCx<'_>) {
        let count = cx.entry.map_or(0, |e| e.findings.len());
        let title = format!(" {} ({count}) ", s::TAB_FINDINGS);
        let (inner, entry) = framed_entry(f, area, cx, &title, s::NO_FINDINGS, |e| {
            !e.findings.is_empty()
        });
        let Some(e) = entry else {
            return;
        };
        let list_h = to_rows(e.findings.len()).min(inner.height / 3).max(1);
        let [list, sep, details] = Layout::vertical([
            Constraint::Length(list_h),
            Constraint::Length(1),
            Constraint::Min(0),
        ])
        .areas(inner);
        let height = usize::from(list.height);
        self.height.set(height);
        let offset = scroll_to(self.cursor, self.offset.get(), height);
        self.offset.set(offset);
        let width = usize::from(list.width);
        let lines: Vec<Line<'_>> = e
            .findings
            .iter()
            .enumerate()
            .skip(offset)
            .take(height)
            .map(|(i, fd)| {
                let sev = format!("{:<7} ", fd.severity.as_str());
                let id = format!("{} ", fd.rule.id);
                let room = width.saturating_sub(sev.len() + id.len());
                let line = Line::from(vec![
                    Span::styled(sev, theme::severity(fd.severity)),
                    Span::styled(id, theme::label()),
                    Span::raw(ellipsize(&sanitize(&fd.message), room)),
                ]);
                if i == self.cursor {
                    line.patch_style(theme::selected())
                } else {
                    line
                }
            })
            .collect();
        f.render_widget(Paragraph::new(lines), list);
        f.render_widget(
            Paragraph::new("─".repeat(usize::from(sep.width))).style(theme::dim()),
            sep,
        );
        let Some(fd) = e.findings.get(self.cursor) else {
            return;
        };
        let mut text = vec![Line::from(vec![
            Span::styled(
                format!("{}[{}] ", fd.severity.as_str(), fd.rule.code),
                theme::severity(fd.severity),
            ),
            Span::styled(fd.rule.id, theme::label()),
        ])];
        text.push(Line::raw(elide(&sanitize(&fd.message))));
        if let (Some(label), Some(p)) = (&fd.primary, &e.payload)
            && let Some(at) = p.location(label.span)
        {
            let line = e
                .finding_lines
                .get(self.cursor)
                .copied()
                .flatten()
                .map_or(String::new(), |l| s::xml_tab_line(l + 1));
            text.extend(detail(
                s::LOCATION,
                &format!("{}:{} ({}){line}", at.line, at.column, label.label),
            ));
        }
        text.extend(detail(s::AWS_ERROR, fd.aws_error_text()));
        let idp = e.payload.as_ref().map_or(IdpKind::Other, |p| p.idp.kind);
        if let Some(fix) = fd.idp_fix(idp) {
            text.extend(detail(format!("{} ({})", s::FIX, fix.label()), fix.text));
        }
        if !fd.aws_fix().is_empty() {
            text.extend(detail(s::FIX_AWS, fd.aws_fix()));
        }
        if let Some(fix) = &fd.capture_fix {
            text.extend(detail(s::FIX_CAPTURE, fix));
        }
        draw_scrolled(f, details, text, &self.detail);
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
        let Some(e) = entry else {
            return EventState::NotConsumed;
        };
        // Pages scroll the detail; the arrows, top and bottom pick a finding.
        if self.detail.page_key(km, k) == EventState::Consumed {
            return EventState::Consumed;
        }
        if let Some(next) = km.movement(k, self.cursor, e.findings.len(), self.height.get()) {
            if next != self.cursor {
                self.detail.reset();
            }
            self.cursor = next;
            return EventState::Consumed;
        }
        if km.hit(Cmd::Jump, k) {
            match e.finding_lines.get(self.cursor).copied().flatten() {
                Some(line) => actions.push(Action::JumpToXml(line)),
                None => actions.push(Action::Status(s::NO_LOCATION.to_owned())),
            }
            return EventState::Consumed;
        }
        if km.hit(Cmd::Copy, k)
            && let Some(fd) = e.findings.get(self.cursor)
        {
            actions.push(Action::Copy(format!("{}: {}", fd.rule.id, fd.message)));
            return EventState::Consumed;
        }
        EventState::NotConsumed
    }

    fn commands(&self) -> Vec<KeyCommand> {
        COMMANDS.to_vec()
    }
}

fn to_rows(n: usize) -> u16 {
    super::to_u16(n)
}
