//! XML: the pretty-printed document, highlighted; signed elements marked in the
//! gutter, the selected finding's line highlighted, elements foldable (marked in the
//! gutter), long lines cut with a marker or wrapped (`w`), `/` search.

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::sync::Arc;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Action, Component, DrawCx, EventState, Scroll, draw_scrollbar, framed_entry, to_u16};
use crate::tui::entry::{Entry, XmlLine};
use crate::tui::event::AppEvent;
use crate::tui::keys::{self, Cmd, KeyCommand, Keymap};
use crate::tui::strings as s;
use crate::tui::theme;

/// Columns one `<` / `>` scrolls by.
const HSTEP: usize = 20;

/// The XML tab's rows for the footer and the help overlay.
pub(crate) const COMMANDS: &[KeyCommand] = &[
    keys::MOVE,
    keys::PAGE,
    keys::TOP_BOTTOM,
    keys::SEARCH,
    keys::NEXT_MATCH,
    keys::CLEAR_SEARCH,
    keys::FOLD,
    keys::UNFOLD_ALL,
    keys::HSCROLL,
    keys::WRAP,
    keys::COPY,
];

/// The footer while the search is typed.
pub(crate) const SEARCH_COMMANDS: &[KeyCommand] = &[keys::SEARCH_KEEP, keys::CANCEL_ENTRY];

/// The gutter's columns: the signed (or finding) mark, the fold or continuation mark,
/// a space before the text.
const GUTTER: u16 = 3;

#[derive(Debug, Default)]
pub(crate) struct XmlPanel {
    /// Index of the cursor line among all lines (always a visible one).
    pub cursor: usize,
    /// Opening lines whose element is folded.
    pub folds: BTreeSet<usize>,
    /// The search line is being typed.
    pub searching: bool,
    pub query: String,
    pub matches: Vec<usize>,
    /// Rows scrolled past at the last draw (wrapped rows when wrapping).
    offset: Cell<usize>,
    height: Cell<usize>,
    /// After a jump: put the cursor a third of the way down on the next draw.
    pending_center: Cell<bool>,
    /// Columns scrolled to the right (lines are cut, not wrapped).
    pub hscroll: usize,
    /// The text's width at the last draw (the wrap width; to scroll sideways to a
    /// match).
    width: Cell<usize>,
    /// Long lines wrap onto more rows instead of being cut at the right edge (`w`).
    pub wrap: bool,
    /// Rows each line takes when wrapped, counted once per document and width.
    wrapped: RefCell<WrapCache>,
    /// The position drawn, for the scrollbar.
    scroll: Scroll,
}

#[derive(Debug, Default)]
struct WrapCache {
    /// The lines the rows were counted for (held, so no other entry's lines can
    /// take their place unnoticed) and the width.
    lines: Option<Arc<[XmlLine]>>,
    width: usize,
    rows: Vec<usize>,
}

/// The lines a fold does not hide, and the row each starts at.
struct Rows {
    /// Indexes of the visible lines.
    vis: Vec<usize>,
    /// The first row of each visible line, then the number of rows.
    starts: Vec<usize>,
}

impl Rows {
    fn total(&self) -> usize {
        self.starts.last().copied().unwrap_or(0)
    }

    /// Rows of the `k`-th visible line.
    fn len_of(&self, k: usize) -> usize {
        self.starts[k + 1] - self.starts[k]
    }

    /// The visible line (its position in `vis`) that shows row `row`; the last one
    /// past the end.
    fn line_at(&self, row: usize) -> usize {
        self.starts[..self.vis.len()]
            .partition_point(|&start| start <= row)
            .saturating_sub(1)
    }
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

/// Columns of one grapheme.
fn columns(symbol: &str) -> usize {
    Span::raw(symbol).width()
}

/// The indentation of a wrapped line's next rows: two more than the line's own (a
/// hanging indent), leaving at least half the width for text.
fn hang(text: &str, width: usize) -> usize {
    (text.len() - text.trim_start().len() + 2).min(width / 2)
}

/// How many rows `line` takes wrapped at `width` columns, its next rows indented by
/// `hang`: [`wrap_line`]'s count.
fn row_count(line: &Line<'_>, width: usize, hang: usize) -> usize {
    let width = width.max(1);
    let (mut rows, mut used, mut start) = (1, 0, 0);
    for g in line
        .spans
        .iter()
        .flat_map(|span| span.styled_graphemes(Style::default()))
    {
        let w = columns(g.symbol);
        if used + w > width && used > start {
            rows += 1;
            (used, start) = (hang, hang);
        }
        used += w;
    }
    rows
}

/// `line` cut into rows of at most `width` columns, the rows after the first
/// indented by `hang`, its styles kept; a character wider than the room left on a row
/// starts the next one.
fn wrap_line(line: &Line<'_>, width: usize, hang: usize) -> Vec<Line<'static>> {
    let width = width.max(1);
    let mut rows = Vec::new();
    let mut row: Vec<Span<'static>> = Vec::new();
    let (mut used, mut start) = (0, 0);
    for span in &line.spans {
        let mut piece = String::new();
        for g in span.styled_graphemes(Style::default()) {
            let w = columns(g.symbol);
            if used + w > width && used > start {
                if !piece.is_empty() {
                    row.push(Span::styled(std::mem::take(&mut piece), span.style));
                }
                rows.push(Line::from(std::mem::take(&mut row)).style(line.style));
                row.push(Span::raw(" ".repeat(hang)));
                (used, start) = (hang, hang);
            }
            piece.push_str(g.symbol);
            used += w;
        }
        if !piece.is_empty() {
            row.push(Span::styled(piece, span.style));
        }
    }
    rows.push(Line::from(row).style(line.style));
    rows
}

/// The offset that keeps rows `first..first + len` in a window of `height` rows
/// (their first row, when they do not all fit).
fn keep_in_view(first: usize, len: usize, offset: usize, height: usize) -> usize {
    let height = height.max(1);
    if first < offset {
        first
    } else if first + len > offset + height {
        (first + len).saturating_sub(height).min(first)
    } else {
        offset
    }
}

impl XmlPanel {
    /// Shows line `line`, unfolding what hides it.
    pub(crate) fn jump(&mut self, line: usize, entry: Option<&Entry>) {
        if let Some(e) = entry {
            self.folds
                .retain(|&open| !(open < line && e.xml[open].close.is_some_and(|c| line <= c)));
        }
        self.cursor = line;
        self.pending_center.set(true);
    }

    /// Whether line `i` opens an element that is folded.
    fn is_folded(&self, e: &Entry, i: usize) -> bool {
        e.xml[i].close.is_some() && self.folds.contains(&i)
    }

    /// Line `i` as drawn: highlighted; a folded element's opening line ends with the
    /// number of lines the fold hides and the closing tag.
    fn shown(&self, e: &Entry, i: usize) -> Line<'static> {
        let xl = &e.xml[i];
        let mut line = xl.line.clone();
        if self.folds.contains(&i)
            && let Some(close) = xl.close
        {
            line.spans
                .push(Span::styled(s::folded_lines(close - i - 1), theme::dim()));
            line.spans.push(Span::styled(
                e.xml[close].text.trim_start().to_owned(),
                theme::xml_tag(),
            ));
        }
        line
    }

    /// The visible lines and their rows at `width` columns (one row each unless
    /// wrapping).
    fn rows(&self, e: &Entry, width: usize) -> Rows {
        let vis = visible(e, &self.folds);
        let mut starts = Vec::with_capacity(vis.len() + 1);
        if self.wrap && width > 0 {
            let mut cache = self.wrapped.borrow_mut();
            let same = cache.width == width
                && cache.lines.as_ref().is_some_and(|l| Arc::ptr_eq(l, &e.xml));
            if !same {
                cache.rows = e
                    .xml
                    .iter()
                    .map(|l| row_count(&l.line, width, hang(&l.text, width)))
                    .collect();
                cache.lines = Some(Arc::clone(&e.xml));
                cache.width = width;
            }
            let mut at = 0;
            for &i in &vis {
                starts.push(at);
                at += if self.is_folded(e, i) {
                    row_count(&self.shown(e, i), width, hang(&e.xml[i].text, width))
                } else {
                    cache.rows[i]
                };
            }
            starts.push(at);
        } else {
            starts.extend(0..=vis.len());
        }
        Rows { vis, starts }
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

    /// After the query changed: the cursor stays on a line that matches, scrolled
    /// sideways to the match; otherwise it goes to the next match.
    fn follow_query(&mut self, e: &Entry) {
        if self.matches.contains(&self.cursor) {
            self.show_match_column(e, self.cursor);
        } else {
            self.next_match(e, true);
        }
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

    /// Scrolls sideways so that the match on line `i` is in view (left of the
    /// column a cut line's marker takes).
    fn show_match_column(&mut self, e: &Entry, i: usize) {
        let text = e.xml[i].text.to_lowercase();
        let q = self.query.to_lowercase();
        let Some(at) = text.find(&q) else {
            return;
        };
        let col = text[..at].chars().count();
        let len = q.chars().count();
        let width = self.width.get().saturating_sub(1);
        if width == 0 {
            // Not drawn yet: nothing to keep in view.
            return;
        }
        if col < self.hscroll || col + len > self.hscroll + width {
            self.hscroll = col.saturating_sub(width / 3);
        }
    }

    /// The gutter of row `row` of line `i`: the finding or signed mark, then the
    /// fold mark (or, on a wrapped line's next rows, the continuation mark).
    fn gutter(&self, e: &Entry, i: usize, row: usize, cx: &DrawCx<'_>) -> Line<'static> {
        let signed = e.signed.iter().any(|&(a, b)| a <= i && i <= b);
        // The selected finding's line is marked even without colour.
        let mark = if row == 0 && cx.finding_line == Some(i) {
            Span::styled("▶", theme::bad())
        } else if signed && e.signed_verified {
            Span::styled("┃", theme::signed_gutter())
        } else if signed {
            Span::styled("┆", theme::warn())
        } else {
            Span::raw(" ")
        };
        let fold = if row > 0 {
            Span::styled(s::CONTINUED, theme::dim())
        } else if self.is_folded(e, i) {
            Span::styled(s::FOLD_CLOSED, theme::key())
        } else if e.xml[i].close.is_some() {
            Span::styled(s::FOLD_OPEN, theme::dim())
        } else {
            Span::raw(" ")
        };
        Line::from(vec![mark, fold, Span::raw(" ")])
    }
}

impl Component for XmlPanel {
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
        let [gutter_area, text_area] =
            Layout::horizontal([Constraint::Length(GUTTER), Constraint::Min(0)]).areas(body);
        let width = usize::from(text_area.width);
        self.width.set(width);
        let rows = self.rows(e, width);
        let pos = rows.vis.iter().position(|&i| i >= self.cursor).unwrap_or(0);
        let first = rows.starts[pos];
        let max = rows.total().saturating_sub(height);
        let offset = if self.pending_center.take() {
            first.saturating_sub(height / 3)
        } else {
            keep_in_view(first, rows.len_of(pos), self.offset.get(), height)
        }
        .min(max);
        self.offset.set(offset);
        self.scroll.set_position(offset, rows.total(), height);

        let mut text = Vec::with_capacity(height);
        let mut gutter = Vec::with_capacity(height);
        // Rows of lines cut at the right edge, with the lines a fold there hides.
        let mut cut = Vec::new();
        let mut at = rows.line_at(offset);
        let mut skip = offset - rows.starts[at];
        while text.len() < height && at < rows.vis.len() {
            let i = rows.vis[at];
            let mut line = self.shown(e, i);
            if cx.finding_line == Some(i) {
                line = line.patch_style(theme::finding_line());
            } else if self.matches.binary_search(&i).is_ok() {
                line = line.patch_style(theme::search_match());
            }
            if i == self.cursor && cx.focused {
                line = line.patch_style(theme::cursor_line());
            }
            let parts = if self.wrap {
                wrap_line(&line, width, hang(&e.xml[i].text, width))
            } else {
                if line.width() > self.hscroll + width {
                    let hidden = e.xml[i].close.filter(|_| self.is_folded(e, i));
                    cut.push((text.len(), hidden.map(|c| c - i - 1)));
                }
                vec![line]
            };
            for (row, part) in parts.into_iter().enumerate().skip(skip) {
                if text.len() == height {
                    break;
                }
                gutter.push(self.gutter(e, i, row, cx));
                text.push(part);
            }
            skip = 0;
            at += 1;
        }
        f.render_widget(Paragraph::new(gutter), gutter_area);
        let para = Paragraph::new(text);
        let para = if self.wrap {
            para
        } else {
            para.scroll((0, to_u16(self.hscroll)))
        };
        f.render_widget(para, text_area);
        // A line cut at the right edge ends in a marker; a folded one, cut, still says
        // how many lines its fold hides.
        if text_area.width > 1 {
            let right = text_area.x + text_area.width;
            for (row, hidden) in cut {
                let y = text_area.y + to_u16(row);
                let folded = hidden.map(|n| format!("{}{}", s::folded_lines(n).trim_end(), s::CUT));
                let mark = folded
                    .filter(|m| columns(m) * 2 <= width)
                    .unwrap_or_else(|| s::CUT.to_owned());
                let x = right - to_u16(columns(&mark));
                f.buffer_mut().set_string(x, y, &mark, theme::dim());
            }
        }
        // The scrollbar sits on the frame's right edge.
        draw_scrollbar(
            f,
            Rect {
                x: inner.x,
                width: inner.width,
                ..body
            },
            &self.scroll,
        );
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
                        self.follow_query(e);
                    } else if km.hit(Cmd::DeleteChar, k) {
                        self.query.pop();
                        self.search(e);
                        if self.matches.contains(&self.cursor) {
                            self.show_match_column(e, self.cursor);
                        }
                    } else if km.hit(Cmd::ClearText, k) {
                        self.query.clear();
                        self.search(e);
                    } else if let Some(c) = keys::typed(k) {
                        self.query.push(c);
                        self.search(e);
                        self.follow_query(e);
                    }
                }
                AppEvent::Paste(text) => {
                    self.query.push_str(text.lines().next().unwrap_or(""));
                    self.search(e);
                    self.follow_query(e);
                }
                _ => return EventState::NotConsumed,
            }
            return EventState::Consumed;
        }
        let AppEvent::Key(k) = ev else {
            return EventState::NotConsumed;
        };
        let rows = self.rows(e, self.width.get());
        let pos = rows.vis.iter().position(|&i| i >= self.cursor).unwrap_or(0);
        let last = rows.vis.len() - 1;
        let page_down = km.hit(Cmd::PageDown, k);
        if page_down || km.hit(Cmd::PageUp, k) {
            // A page is the window's height in rows (wrapped rows when wrapping).
            let page = self.height.get().max(1);
            let from = rows.starts[pos];
            let next = if page_down {
                rows.line_at(from + page).max((pos + 1).min(last))
            } else {
                rows.line_at(from.saturating_sub(page))
                    .min(pos.saturating_sub(1))
            };
            self.cursor = rows.vis[next];
            return EventState::Consumed;
        }
        if let Some(next) = km.movement(k, pos, rows.vis.len(), self.height.get()) {
            self.cursor = rows.vis.get(next).copied().unwrap_or(0);
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
        } else if km.hit(Cmd::Wrap, k) {
            // The cursor's line stays on the screen row it was on.
            let screen_row = rows.starts[pos].saturating_sub(self.offset.get());
            self.wrap = !self.wrap;
            let after = self.rows(e, self.width.get());
            self.offset
                .set(after.starts[pos].saturating_sub(screen_row));
        } else if km.hit(Cmd::ScrollRight, k) {
            // Wrapped lines have nothing to the right.
            if !self.wrap {
                self.hscroll += HSTEP;
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_counts_the_rows_it_draws() {
        let line = Line::from(vec![
            Span::raw("  <a x=\""),
            Span::styled("日本語の値", theme::xml_value()),
            Span::raw("\"/>"),
        ]);
        // 8 + 10 + 3 = 21 columns.
        assert_eq!(line.width(), 21);
        for width in 1..=25 {
            for hang in [0, 2, width / 2] {
                let rows = wrap_line(&line, width, hang);
                assert_eq!(rows.len(), row_count(&line, width, hang), "{width} {hang}");
                assert!(
                    rows.iter().all(|r| r.width() <= width.max(hang + 2)),
                    "{width} {hang}"
                );
                let joined: String = rows
                    .iter()
                    .enumerate()
                    .flat_map(|(i, r)| {
                        let text: String = r.spans.iter().map(|s| s.content.as_ref()).collect();
                        let text = if i == 0 {
                            text
                        } else {
                            text[hang..].to_owned()
                        };
                        [text]
                    })
                    .collect();
                assert_eq!(joined, "  <a x=\"日本語の値\"/>", "{width} {hang}");
            }
        }
        assert_eq!(row_count(&line, 21, 4), 1);
        assert_eq!(row_count(&line, 20, 0), 2);
        // A wide character that does not fit starts the next row: at 9 columns,
        // `  <a x="` (8), then four wide characters (8), then the last and `"/>`.
        assert_eq!(row_count(&line, 9, 0), 3);
        // Indented by 4, the next rows hold 5 columns: two wide characters each.
        assert_eq!(row_count(&line, 9, 4), 4);
        assert_eq!(row_count(&Line::default(), 10, 2), 1);
        assert_eq!(hang("    <b/>", 40), 6);
        assert_eq!(hang("                    <b/>", 20), 10);
    }

    #[test]
    fn keep_in_view_shows_a_tall_line_from_its_top() {
        assert_eq!(keep_in_view(5, 1, 0, 10), 0);
        assert_eq!(keep_in_view(12, 1, 0, 10), 3);
        assert_eq!(keep_in_view(12, 3, 0, 10), 5);
        // Taller than the window: its first row at the top.
        assert_eq!(keep_in_view(12, 30, 0, 10), 12);
        assert_eq!(keep_in_view(2, 1, 5, 10), 2);
    }
}
