//! The `?` overlay: every key command, grouped by panel, built from the panels' own
//! command lists.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::{Action, Component, DrawCx, EventState, Scroll, draw_scrollbar, panel_block, to_u16};
use crate::tui::entry::Entry;
use crate::tui::event::AppEvent;
use crate::tui::keys::{self, Cmd, KeyCommand, Keymap};
use crate::tui::strings as s;
use crate::tui::theme;

#[derive(Debug, Default)]
pub(crate) struct HelpPopup {
    pub open: bool,
    pub scroll: Scroll,
}

/// A rectangle of at most `w`×`h` centred in `area`.
pub(crate) fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(h.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [rect] = Layout::horizontal([Constraint::Length(w.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    rect
}

/// The rows of the overlay and docs/tui.md: the help overlay's own.
pub(crate) const COMMANDS: &[KeyCommand] = &[
    keys::CLOSE,
    keys::QUIT,
    keys::MOVE,
    keys::PAGE,
    keys::TOP_BOTTOM,
];

/// The key table of docs/tui.md: the same groups, rows and keys as the overlay, with
/// the command names `[keys]` binds.
#[cfg(test)]
pub(crate) fn markdown_table(groups: &[(&'static str, Vec<KeyCommand>)], km: &Keymap) -> String {
    use std::fmt::Write as _;

    let mut out =
        String::from("| keys | where | does | `[keys]` name |\n| --- | --- | --- | --- |\n");
    for (title, cmds) in groups {
        for c in cmds {
            let label = km.label(c);
            if label.is_empty() {
                continue;
            }
            let names = if c.cmds.iter().all(|c| c.fixed()) {
                "(fixed)".to_owned()
            } else {
                c.cmds
                    .iter()
                    .map(|c| format!("`{}`", c.id()))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let _ = writeln!(
                out,
                "| `{}` | {title} | {} | {names} |",
                label.replace('|', "\\|"),
                c.desc
            );
        }
    }
    out
}

impl HelpPopup {
    pub(crate) fn draw_help(
        &self,
        f: &mut Frame<'_>,
        area: Rect,
        groups: &[(&'static str, Vec<KeyCommand>)],
        km: &Keymap,
    ) {
        let groups: Vec<(&str, Vec<(String, &str)>)> = groups
            .iter()
            .map(|(title, cmds)| {
                let rows = cmds
                    .iter()
                    .map(|c| (km.label(c), c.desc))
                    .filter(|(label, _)| !label.is_empty())
                    .collect();
                (*title, rows)
            })
            .filter(|(_, rows): &(_, Vec<_>)| !rows.is_empty())
            .collect();
        // The keys' column fits the longest (a remapped key may be long).
        let rows = || groups.iter().flat_map(|(_, r)| r);
        let label_w = rows().map(|(l, _)| l.chars().count()).max().unwrap_or(0) + 1;
        let desc_w = rows().map(|(_, d)| d.chars().count()).max().unwrap_or(0);
        let mut lines = Vec::new();
        // Where each group starts: a second column starts with a group.
        let mut starts = Vec::new();
        for (title, rows) in &groups {
            starts.push(lines.len());
            lines.push(Line::styled(*title, theme::title()));
            for (label, desc) in rows {
                lines.push(Line::from(vec![
                    Span::styled(format!("  {label:<label_w$}"), theme::key()),
                    Span::raw(*desc),
                ]));
            }
        }
        // Two columns when one does not fit, split at the group start nearest the
        // middle.
        let rows = area.height.saturating_sub(2);
        let n = lines.len();
        let split = if n > usize::from(rows) {
            starts
                .iter()
                .copied()
                .filter(|&s| s > 0)
                .min_by_key(|&s| s.max(n - s))
                .unwrap_or(n.div_ceil(2))
        } else {
            n
        };
        let (first, second) = lines.split_at(split);
        let columns: Vec<&[Line<'_>]> = [first, second]
            .into_iter()
            .filter(|c| !c.is_empty())
            .collect();
        let cols = to_u16(columns.len());
        let per_col = columns.iter().map(|c| c.len()).max().unwrap_or(0);
        let col_w = to_u16(2 + label_w + desc_w);
        let rect = centered(area, col_w * cols + 2, to_u16(per_col) + 2);
        f.render_widget(Clear, rect);
        let close = km.first(Cmd::Close).or_else(|| km.first(Cmd::Help));
        let title = s::help_title(close.map(|k| k.to_string()).as_deref());
        let block = panel_block(&title, true);
        let inner = block.inner(rect);
        f.render_widget(block, rect);
        // Rows are never wrapped here, so a column's rows are its lines.
        self.scroll.set_bounds(per_col, usize::from(inner.height));
        let areas =
            Layout::horizontal(vec![Constraint::Length(col_w); usize::from(cols)]).split(inner);
        for (i, chunk) in columns.iter().enumerate() {
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
    fn draw(&self, _f: &mut Frame<'_>, _area: Rect, _cx: &DrawCx<'_>) {}

    fn handle(
        &mut self,
        ev: &AppEvent,
        km: &Keymap,
        _entry: Option<&Entry>,
        _actions: &mut Vec<Action>,
    ) -> EventState {
        let AppEvent::Key(k) = ev else {
            return EventState::NotConsumed;
        };
        if km.hit(Cmd::Close, k) || km.hit(Cmd::Help, k) {
            self.open = false;
        } else {
            self.scroll.key(km, k);
        }
        EventState::Consumed
    }

    fn commands(&self) -> Vec<KeyCommand> {
        COMMANDS.to_vec()
    }
}
