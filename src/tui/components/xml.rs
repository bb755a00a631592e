//! XML: the pretty-printed document, highlighted; signed elements marked in the
//! gutter, the selected finding's line highlighted, elements foldable, `/` search.

use std::cell::Cell;
use std::collections::BTreeSet;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Action, Component, DrawCx, EventState, framed_entry, scroll_to};
use crate::tui::app::Entry;
use crate::tui::event::AppEvent;
use crate::tui::keys::{self, Cmd, KeyCommand, Keymap};
use crate::tui::strings as s;
use crate::tui::theme;

/// Columns one `<` / `>` scrolls by.
const HSTEP: usize = 20;

/// The XML tab's rows for the footer and the help overlay.
pub const COMMANDS: &[KeyCommand] = &[
    keys::MOVE,
    keys::PAGE,
    keys::TOP_BOTTOM,
    keys::SEARCH,
    keys::NEXT_MATCH,
    keys::CLEAR_SEARCH,
    keys::FOLD,
    keys::UNFOLD_ALL,
    keys::HSCROLL,
    keys::COPY,
];

/// The footer while the search is typed.
pub const SEARCH_COMMANDS: &[KeyCommand] = &[keys::SEARCH_KEEP, keys::CANCEL_ENTRY];

#[derive(Debug, Default)]
pub struct XmlPanel {
    /// Index of the cursor line among all lines (always a visible one).
    pub cursor: usize,
    /// Opening lines whose element is folded.
    pub folds: BTreeSet<usize>,
    /// The search line is being typed.
    pub searching: bool,
    pub query: String,
    pub matches: Vec<usize>,
    offset: Cell<usize>,
    height: Cell<usize>,
    /// After a jump: put the cursor a third of the way down on the next draw.
    pending_center: Cell<bool>,
    /// Columns scrolled to the right.
    pub hscroll: usize,
    /// The text's width at the last draw (to scroll sideways to a match).
    width: Cell<usize>,
}

/// Indexes of the lines not hidden by a fold.
fn visible(e: &Entry, folds: &BTreeSet<usize>) -> Vec<usize> {
    let mut out = Vec::with_capacity(e.xml.len());
    let mut i = 0;
    while i < e.xml.len() {
        out.push(i);
        i = match (folds.contains(&i), e.xml[i].close) {
            (true, Some(close)) => close + 1,
            _ => i + 1,
        };
    }
    out
}

impl XmlPanel {
    /// Shows line `line`, unfolding what hides it.
    pub fn jump(&mut self, line: usize, entry: Option<&Entry>) {
        if let Some(e) = entry {
            self.folds
                .retain(|&open| !(open < line && e.xml[open].close.is_some_and(|c| line <= c)));
        }
        self.cursor = line;
        self.pending_center.set(true);
    }

    fn search(&mut self, e: &Entry) {
        let q = self.query.to_lowercase();
        self.matches = if q.is_empty() {
            Vec::new()
        } else {
            e.xml
                .iter()
                .enumerate()
                .filter(|(_, l)| l.text.to_lowercase().contains(&q))
                .map(|(i, _)| i)
                .collect()
        };
    }

    fn next_match(&mut self, e: &Entry, forward: bool) {
        let next = if forward {
            self.matches
                .iter()
                .find(|&&m| m > self.cursor)
                .or(self.matches.first())
        } else {
            self.matches
                .iter()
                .rev()
                .find(|&&m| m < self.cursor)
                .or(self.matches.last())
        };
        if let Some(&m) = next {
            self.jump(m, Some(e));
            self.show_match_column(e, m);
        }
    }

    /// Scrolls sideways so that the match on line `i` is in view.
    fn show_match_column(&mut self, e: &Entry, i: usize) {
        let text = e.xml[i].text.to_lowercase();
        let q = self.query.to_lowercase();
        let Some(at) = text.find(&q) else {
            return;
        };
        let col = text[..at].chars().count();
        let len = q.chars().count();
        let width = self.width.get();
        if width == 0 {
            // Not drawn yet: nothing to keep in view.
            return;
        }
        if col < self.hscroll || col + len > self.hscroll + width {
            self.hscroll = col.saturating_sub(width / 3);
        }
    }
}

impl Component for XmlPanel {
    fn title(&self) -> &'static str {
        s::TAB_XML
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, cx: &DrawCx<'_>) {
        let count = cx.entry.map_or(0, |e| e.xml.len());
        let title = format!(" {} ({count} lines) ", s::TAB_XML);
        let (inner, entry) = framed_entry(f, area, cx, &title, s::NO_XML, |e| !e.xml.is_empty());
        let Some(e) = entry else {
            return;
        };
        let show_search = self.searching || !self.query.is_empty();
        let [body, search] = Layout::vertical([
            Constraint::Min(0),
            Constraint::Length(u16::from(show_search)),
        ])
        .areas(inner);
        let height = usize::from(body.height);
        self.height.set(height);
        let vis = visible(e, &self.folds);
        let pos = vis.iter().position(|&i| i >= self.cursor).unwrap_or(0);
        let offset = if self.pending_center.take() {
            pos.saturating_sub(height / 3)
        } else {
            scroll_to(pos, self.offset.get(), height)
        };
        self.offset.set(offset);
        let [gutter_area, body] =
            Layout::horizontal([Constraint::Length(1), Constraint::Min(0)]).areas(body);
        let mut lines = Vec::with_capacity(height);
        let mut gutter = Vec::with_capacity(height);
        for &i in vis.iter().skip(offset).take(height) {
            let xl = &e.xml[i];
            let signed = e.signed.iter().any(|&(a, b)| a <= i && i <= b);
            // The selected finding's line is marked even without colour.
            gutter.push(Line::from(if cx.finding_line == Some(i) {
                Span::styled("▶", theme::bad())
            } else if signed && e.signed_verified {
                Span::styled("┃", theme::signed_gutter())
            } else if signed {
                Span::styled("┆", theme::warn())
            } else {
                Span::raw(" ")
            }));
            let mut spans = xl.line.spans.clone();
            if self.folds.contains(&i)
                && let Some(close) = xl.close
            {
                spans.push(Span::styled(s::FOLDED, theme::dim()));
                spans.push(Span::styled(
                    e.xml[close].text.trim_start().to_owned(),
                    theme::xml_tag(),
                ));
            }
            let mut line = Line::from(spans);
            if cx.finding_line == Some(i) {
                line = line.patch_style(theme::finding_line());
            } else if self.matches.binary_search(&i).is_ok() {
                line = line.patch_style(theme::search_match());
            }
            if i == self.cursor && cx.focused {
                line = line.patch_style(theme::cursor_line());
            }
            lines.push(line);
        }
        self.width.set(usize::from(body.width));
        // A line cut at the right edge ends in a marker.
        let cut: Vec<bool> = lines
            .iter()
            .map(|l| l.width() > self.hscroll + usize::from(body.width))
            .collect();
        f.render_widget(Paragraph::new(gutter), gutter_area);
        f.render_widget(
            Paragraph::new(lines).scroll((0, super::to_u16(self.hscroll))),
            body,
        );
        if body.width > 1 {
            let x = body.x + body.width - 1;
            for (row, _) in cut.iter().enumerate().filter(|(_, c)| **c) {
                let y = body.y + super::to_u16(row);
                f.buffer_mut()[(x, y)]
                    .set_symbol(s::CUT)
                    .set_style(theme::dim());
            }
        }
        if show_search {
            let status = if self.query.is_empty() {
                String::new()
            } else if self.matches.is_empty() {
                format!("  ({})", s::NO_MATCH)
            } else {
                let at = self.matches.iter().position(|&m| m == self.cursor);
                format!(
                    "  ({}/{})",
                    at.map_or_else(|| "-".to_owned(), |a| (a + 1).to_string()),
                    self.matches.len()
                )
            };
            let cursor = if self.searching { "▏" } else { "" };
            f.render_widget(
                Paragraph::new(Line::from(vec![
                    Span::styled(s::SEARCH_PROMPT, theme::key()),
                    Span::raw(format!("{}{cursor}", self.query)),
                    Span::styled(status, theme::dim()),
                ])),
                search,
            );
        }
    }

    fn handle(
        &mut self,
        ev: &AppEvent,
        km: &Keymap,
        entry: Option<&Entry>,
        actions: &mut Vec<Action>,
    ) -> EventState {
        let Some(e) = entry.filter(|e| !e.xml.is_empty()) else {
            return EventState::NotConsumed;
        };
        if self.searching {
            match ev {
                AppEvent::Key(k) => {
                    // Ctrl-C cancels the search entry, as Esc does.
                    if km.hit(Cmd::Cancel, k) {
                        self.searching = false;
                        self.query.clear();
                        self.matches.clear();
                    } else if km.hit(Cmd::Submit, k) {
                        self.searching = false;
                        if !self.matches.contains(&self.cursor) {
                            self.next_match(e, true);
                        }
                    } else if km.hit(Cmd::DeleteChar, k) {
                        self.query.pop();
                        self.search(e);
                    } else if km.hit(Cmd::ClearText, k) {
                        self.query.clear();
                        self.search(e);
                    } else if let Some(c) = keys::typed(k) {
                        self.query.push(c);
                        self.search(e);
                        if !self.matches.contains(&self.cursor) {
                            self.next_match(e, true);
                        }
                    }
                }
                AppEvent::Paste(text) => {
                    self.query.push_str(text.lines().next().unwrap_or(""));
                    self.search(e);
                }
                _ => return EventState::NotConsumed,
            }
            return EventState::Consumed;
        }
        let AppEvent::Key(k) = ev else {
            return EventState::NotConsumed;
        };
        let vis = visible(e, &self.folds);
        let pos = vis.iter().position(|&i| i >= self.cursor).unwrap_or(0);
        if let Some(next) = km.movement(k, pos, vis.len(), self.height.get()) {
            self.cursor = vis.get(next).copied().unwrap_or(0);
            return EventState::Consumed;
        }
        if km.hit(Cmd::Search, k) {
            self.searching = true;
            self.query.clear();
            self.matches.clear();
        } else if km.hit(Cmd::NextMatch, k) {
            self.next_match(e, true);
        } else if km.hit(Cmd::PrevMatch, k) {
            self.next_match(e, false);
        } else if km.hit(Cmd::ClearSearch, k) && !self.query.is_empty() {
            self.query.clear();
            self.matches.clear();
        } else if km.hit(Cmd::Fold, k) {
            // Fold the element the cursor is on, or the one it is inside.
            let target = if e.xml[self.cursor].close.is_some() {
                Some(self.cursor)
            } else {
                (0..self.cursor)
                    .rev()
                    .find(|&o| e.xml[o].close.is_some_and(|c| c >= self.cursor))
            };
            if let Some(t) = target {
                if !self.folds.remove(&t) {
                    self.folds.insert(t);
                }
                self.cursor = t;
            }
        } else if km.hit(Cmd::ScrollRight, k) {
            self.hscroll += HSTEP;
        } else if km.hit(Cmd::ScrollLeft, k) {
            self.hscroll = self.hscroll.saturating_sub(HSTEP);
        } else if km.hit(Cmd::UnfoldAll, k) {
            self.folds.clear();
        } else if km.hit(Cmd::Copy, k) {
            actions.push(Action::Copy(e.xml[self.cursor].text.trim().to_owned()));
        } else {
            return EventState::NotConsumed;
        }
        EventState::Consumed
    }

    fn commands(&self) -> Vec<KeyCommand> {
        if self.searching {
            SEARCH_COMMANDS.to_vec()
        } else {
            COMMANDS.to_vec()
        }
    }
}
