//! The panels. Each draws into a `Rect`, handles an event and lists its key
//! commands; the footer and the help overlay are built from those lists.

pub mod findings;
pub mod help;
pub mod list;
pub mod paste;
pub mod raw;
pub mod signature;
pub mod summary;
pub mod xml;

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};

use super::app::Entry;
use super::event::AppEvent;
use super::keys::KeyCommand;
use super::theme;

/// Whether a component used an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventState {
    Consumed,
    NotConsumed,
}

/// What a component asks the app to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Show this pretty-printed XML line (0-based) in the XML tab.
    JumpToXml(usize),
    Copy(String),
    /// Check pasted text.
    Submit(String),
}

/// What a component may read while drawing.
#[derive(Clone, Copy)]
pub struct DrawCx<'a> {
    pub entry: Option<&'a Entry>,
    pub entries: &'a [Entry],
    pub selected: usize,
    pub now: DateTime<Utc>,
    pub focused: bool,
    /// The XML line of the finding selected in the Findings tab.
    pub finding_line: Option<usize>,
    /// Check jobs under way.
    pub pending: usize,
}

pub trait Component {
    fn title(&self) -> &'static str;
    fn draw(&self, f: &mut Frame<'_>, area: Rect, cx: &DrawCx<'_>);
    fn handle(
        &mut self,
        ev: &AppEvent,
        entry: Option<&Entry>,
        actions: &mut Vec<Action>,
    ) -> EventState;
    fn commands(&self) -> Vec<KeyCommand>;
}

/// The bordered block every panel draws in.
pub fn panel_block(title: &str, focused: bool) -> Block<'_> {
    Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme::border(focused))
        .title(title)
}

/// Draws a bordered panel titled `title` and returns its inside, with the selected
/// entry when `shows` finds something of it to draw; otherwise the dim `empty` message
/// fills the inside.
pub fn framed_entry<'e>(
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
/// or a dim "nothing selected". Returns the inner height, for scrolling by pages.
pub fn draw_entry_lines<'e>(
    f: &mut Frame<'_>,
    area: Rect,
    cx: &DrawCx<'e>,
    scroll: usize,
    lines: impl FnOnce(&'e Entry, u16) -> Vec<Line<'e>>,
) -> u16 {
    let (inner, entry) = framed_entry(f, area, cx, "", super::strings::NOTHING_SELECTED, |_| true);
    let Some(e) = entry else {
        return inner.height;
    };
    f.render_widget(
        Paragraph::new(lines(e, inner.width))
            .wrap(Wrap { trim: false })
            .scroll((to_u16(scroll), 0)),
        inner,
    );
    inner.height
}

/// Keeps `cursor` visible in a window of `height` rows starting at `offset`.
pub fn scroll_to(cursor: usize, offset: usize, height: usize) -> usize {
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
pub fn to_u16(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

/// Cuts `s` to `width` characters, ending with `…` when cut.
pub fn ellipsize(s: &str, width: usize) -> String {
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
