//! The panels. Each draws into a `Rect`, handles an event (matching keys through the
//! [`Keymap`]) and lists its key commands; the footer and the help overlay are built
//! from those lists.

pub(crate) mod findings;
pub(crate) mod help;
pub(crate) mod list;
pub(crate) mod paste;
pub(crate) mod raw;
pub(crate) mod signature;
pub(crate) mod summary;
pub(crate) mod xml;

use chrono::{DateTime, Utc};
use ratatui::Frame;
use std::cell::Cell;

use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{
    Block, BorderType, Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState, Wrap,
};

use super::entry::Entry;
use super::event::AppEvent;
use super::keys::{Cmd, KeyCommand, Keymap};
use super::theme;

/// Whether a component used an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EventState {
    Consumed,
    NotConsumed,
}

/// What a component asks the app to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Action {
    /// Show this pretty-printed XML line (0-based) in the XML tab.
    JumpToXml(usize),
    Copy(String),
    /// Check pasted text.
    Submit(String),
    /// A one-line message in the footer.
    Status(String),
    /// Check everything again (the time to evaluate at changed).
    Recheck,
    /// Remove this entry of the list (a paste).
    DeleteEntry(usize),
}

/// What a component may read while drawing.
#[derive(Clone, Copy)]
pub(crate) struct DrawCx<'a> {
    pub entry: Option<&'a Entry>,
    pub entries: &'a [Entry],
    pub selected: usize,
    pub now: DateTime<Utc>,
    pub focused: bool,
    /// The XML line of the finding selected in the Findings tab.
    pub finding_line: Option<usize>,
    /// Check jobs under way.
    pub pending: usize,
    /// The verdicts use the clock (`c`), so the countdown does too; otherwise the
    /// countdown counts from the time each verdict used.
    pub clock_mode: bool,
    /// The keys in force, for hints that name one.
    pub keys: &'a Keymap,
}

pub(crate) trait Component {
    fn draw(&self, f: &mut Frame<'_>, area: Rect, cx: &DrawCx<'_>);
    fn handle(
        &mut self,
        ev: &AppEvent,
        km: &Keymap,
        entry: Option<&Entry>,
        actions: &mut Vec<Action>,
    ) -> EventState;
    /// The rows for the footer, as things are now (typing in a filter shows its keys).
    fn commands(&self) -> Vec<KeyCommand>;
}

/// The bordered block every panel draws in.
pub(crate) fn panel_block(title: &str, focused: bool) -> Block<'_> {
    Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme::border(focused))
        .title(title)
}

/// Draws a bordered panel titled `title` and returns its inside, with the selected
/// entry when `shows` finds something of it to draw; otherwise the dim `empty` message
/// fills the inside.
pub(crate) fn framed_entry<'e>(
    f: &mut Frame<'_>,
    area: Rect,
    cx: &DrawCx<'e>,
    title: &str,
    empty: &str,
    shows: impl FnOnce(&Entry) -> bool,
) -> (Rect, Option<&'e Entry>) {
    let block = panel_block(title, cx.focused);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let entry = cx.entry.filter(|e| shows(e));
    if entry.is_none() {
        f.render_widget(Paragraph::new(empty).style(theme::dim()), inner);
    }
    (inner, entry)
}

/// Draws a bordered panel holding the selected entry's lines, wrapped and scrolled,
/// or a dim "nothing selected".
pub(crate) fn draw_entry_lines<'e>(
    f: &mut Frame<'_>,
    area: Rect,
    cx: &DrawCx<'e>,
    scroll: &Scroll,
    lines: impl FnOnce(&'e Entry, u16) -> Vec<Line<'e>>,
) {
    let (inner, entry) = framed_entry(f, area, cx, "", super::strings::NOTHING_SELECTED, |_| true);
    let Some(e) = entry else {
        return;
    };
    draw_scrolled(f, inner, lines(e, inner.width), scroll);
}

/// A vertical scroll position counted in wrapped rows. Drawing records how far the
/// content can scroll, and keys move within that; `G` reaches the last row.
#[derive(Debug, Default)]
pub(crate) struct Scroll {
    offset: Cell<usize>,
    max: Cell<usize>,
    page: Cell<usize>,
}

impl Scroll {
    pub(crate) fn offset(&self) -> usize {
        self.offset.get()
    }

    /// How far the last draw could scroll (0: everything fitted).
    pub(crate) fn max(&self) -> usize {
        self.max.get()
    }

    pub(crate) fn reset(&self) {
        self.offset.set(0);
    }

    /// Records the content's size in rows and the window's height; clamps the offset.
    pub(crate) fn set_bounds(&self, rows: usize, height: usize) {
        let max = rows.saturating_sub(height);
        self.max.set(max);
        self.page.set(height.max(1));
        self.offset.set(self.offset.get().min(max));
    }

    /// Records a position a panel decided itself (its cursor's), for the scrollbar.
    pub(crate) fn set_position(&self, offset: usize, rows: usize, height: usize) {
        self.set_bounds(rows, height);
        self.offset.set(offset.min(self.max.get()));
    }

    /// Up/down, page (PgUp/PgDn, Ctrl-U/D), top and bottom.
    pub(crate) fn key(&self, km: &Keymap, k: &KeyEvent) -> EventState {
        match km.movement(k, self.offset.get(), self.max.get() + 1, self.page.get()) {
            // The end, wherever the next draw finds it.
            Some(_) if km.hit(Cmd::Bottom, k) => {
                self.offset.set(usize::MAX);
                EventState::Consumed
            }
            Some(next) => {
                self.offset.set(next);
                EventState::Consumed
            }
            None => EventState::NotConsumed,
        }
    }

    /// Page up/down only (for panels whose arrows move a cursor).
    pub(crate) fn page_key(&self, km: &Keymap, k: &KeyEvent) -> EventState {
        if km.hit(Cmd::PageDown, k) || km.hit(Cmd::PageUp, k) {
            self.key(km, k)
        } else {
            EventState::NotConsumed
        }
    }
}

/// Draws `lines` wrapped into `area`, scrolled by `scroll` in wrapped rows. When they
/// do not fit, the last column holds a scrollbar and the text wraps before it.
pub(crate) fn draw_scrolled(f: &mut Frame<'_>, area: Rect, lines: Vec<Line<'_>>, scroll: &Scroll) {
    let para = Paragraph::new(lines).wrap(Wrap { trim: false });
    let height = usize::from(area.height);
    let mut rows = para.line_count(area.width);
    let mut area = area;
    if rows > height && area.width > 1 {
        area.width -= 1;
        rows = para.line_count(area.width);
    }
    scroll.set_bounds(rows, height);
    let offset = scroll.offset();
    f.render_widget(para.scroll((to_u16(offset), 0)), area);
    draw_scrollbar(f, area, scroll);
}

/// The scrollbar of `scroll`, in the column right of `area` (nothing when all fits).
pub(crate) fn draw_scrollbar(f: &mut Frame<'_>, area: Rect, scroll: &Scroll) {
    let max = scroll.max();
    if max == 0 || area.height == 0 {
        return;
    }
    let bar = Rect {
        x: area.x + area.width,
        width: 1,
        ..area
    };
    if !f
        .area()
        .contains(ratatui::layout::Position::new(bar.x, bar.y))
    {
        return;
    }
    let mut state = ScrollbarState::new(max + 1)
        .position(scroll.offset())
        .viewport_content_length(usize::from(area.height));
    f.render_stateful_widget(
        Scrollbar::new(ScrollbarOrientation::VerticalRight)
            .begin_symbol(None)
            .end_symbol(None)
            .thumb_style(theme::key())
            .track_style(theme::dim()),
        bar,
        &mut state,
    );
}

/// Keeps `cursor` visible in a window of `height` rows starting at `offset`.
pub(crate) fn scroll_to(cursor: usize, offset: usize, height: usize) -> usize {
    let height = height.max(1);
    if cursor < offset {
        cursor
    } else if cursor >= offset + height {
        cursor + 1 - height
    } else {
        offset
    }
}

/// Clamps a `usize` into a terminal coordinate.
pub(crate) fn to_u16(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

/// Cuts `s` to `width` characters, ending with `…` when cut.
pub(crate) fn ellipsize(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return s.to_owned();
    }
    if width == 0 {
        return String::new();
    }
    let mut out: String = s.chars().take(width - 1).collect();
    out.push('…');
    out
}
