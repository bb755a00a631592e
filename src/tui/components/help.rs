//! The `?` overlay: every key command, grouped by panel, built from the panels' own
//! command lists.

use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::{Action, Component, DrawCx, EventState, Scroll, draw_scrollbar, panel_block, to_u16};
use crate::tui::app::Entry;
use crate::tui::event::AppEvent;
use crate::tui::keys::{self, KeyCommand};
use crate::tui::strings as s;
use crate::tui::theme;

#[derive(Debug, Default)]
pub struct HelpPopup {
    pub open: bool,
    pub scroll: Scroll,
}

/// A rectangle of at most `w`×`h` centred in `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(h.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [rect] = Layout::horizontal([Constraint::Length(w.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    rect
}

/// The key table of docs/tui.md: the same groups and commands as the overlay.
pub fn markdown_table(groups: &[(&'static str, Vec<KeyCommand>)]) -> String {
    let mut out = String::from("| keys | where | does |\n| --- | --- | --- |\n");
    for (title, cmds) in groups {
        for c in cmds {
            let _ = writeln!(out, "| `{}` | {title} | {} |", c.keys, c.desc);
        }
    }
    out
}

impl HelpPopup {
    pub fn draw_help(
        &self,
        f: &mut Frame<'_>,
        area: Rect,
        groups: &[(&'static str, Vec<KeyCommand>)],
    ) {
        let mut lines = Vec::new();
        for (title, cmds) in groups {
            lines.push(Line::styled(*title, theme::title()));
            for c in cmds {
                lines.push(Line::from(vec![
                    Span::styled(format!("  {:<14}", c.keys), theme::key()),
                    Span::raw(c.desc),
                ]));
            }
        }
        // Two columns when one does not fit.
        let rows = area.height.saturating_sub(2);
        let (cols, per_col) = if lines.len() > usize::from(rows) {
            (2, lines.len().div_ceil(2))
        } else {
            (1, lines.len())
        };
        let col_w: u16 = 38;
        let rect = centered(area, col_w * cols + 2, to_u16(per_col) + 2);
        f.render_widget(Clear, rect);
        let block = panel_block(s::HELP_TITLE, true);
        let inner = block.inner(rect);
        f.render_widget(block, rect);
        // Rows are never wrapped here, so a column's rows are its lines.
        self.scroll.set_bounds(per_col, usize::from(inner.height));
        let areas =
            Layout::horizontal(vec![Constraint::Length(col_w); usize::from(cols)]).split(inner);
        for (i, chunk) in lines.chunks(per_col.max(1)).enumerate() {
            if let Some(a) = areas.get(i) {
                f.render_widget(
                    Paragraph::new(chunk.to_vec()).scroll((to_u16(self.scroll.offset()), 0)),
                    *a,
                );
            }
        }
        // The scrollbar sits on the frame's right edge.
        draw_scrollbar(f, inner, &self.scroll);
    }
}

impl Component for HelpPopup {
    fn title(&self) -> &'static str {
        s::HELP_TITLE
    }

    fn draw(&self, _f: &mut Frame<'_>, _area: Rect, _cx: &DrawCx<'_>) {}

    fn handle(
        &mut self,
        ev: &AppEvent,
        _entry: Option<&Entry>,
        _actions: &mut Vec<Action>,
    ) -> EventState {
        let AppEvent::Key(k) = ev else {
            return EventState::NotConsumed;
        };
        if keys::is_esc(k) || keys::is_char(k, '?') || keys::is_enter(k) {
            self.open = false;
        } else {
            self.scroll.key(k);
        }
        EventState::Consumed
    }

    fn commands(&self) -> Vec<KeyCommand> {
        vec![keys::CLOSE, keys::QUIT]
    }
}
