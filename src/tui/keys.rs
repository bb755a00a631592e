//! Key bindings, declared once: each command names its keys for the footer, the help
//! overlay and docs/tui.md, and holds the matcher the panels use for it.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::strings as s;

/// One key command as the footer and the help overlay show it, and how it is matched.
#[derive(Debug, Clone, Copy)]
pub struct KeyCommand {
    pub keys: &'static str,
    pub desc: &'static str,
    /// Shown in the footer too (the help overlay shows every command).
    pub footer: bool,
    hit: fn(&KeyEvent) -> bool,
}

impl PartialEq for KeyCommand {
    fn eq(&self, other: &Self) -> bool {
        (self.keys, self.desc, self.footer) == (other.keys, other.desc, other.footer)
    }
}

impl Eq for KeyCommand {}

impl KeyCommand {
    /// Whether `k` is one of this command's keys.
    pub fn matches(&self, k: &KeyEvent) -> bool {
        (self.hit)(k)
    }
}

const fn cmd(keys: &'static str, desc: &'static str, footer: bool) -> KeyCommand {
    KeyCommand {
        keys,
        desc,
        footer,
        hit: |_| false,
    }
}

const fn bind(
    keys: &'static str,
    desc: &'static str,
    footer: bool,
    hit: fn(&KeyEvent) -> bool,
) -> KeyCommand {
    KeyCommand {
        keys,
        desc,
        footer,
        hit,
    }
}

pub const QUIT: KeyCommand = bind("q", s::CMD_QUIT, true, |k| is_char(k, 'q'));
pub const HELP: KeyCommand = bind("?", s::CMD_HELP, true, |k| is_char(k, '?'));
pub const PASTE: KeyCommand = bind("p", s::CMD_PASTE, true, |k| is_char(k, 'p'));
pub const NEXT_FAILING: KeyCommand = bind("]/[", s::CMD_NEXT_FAILING, false, |k| {
    is_char(k, ']') || is_char(k, '[')
});
pub const DELETE_PASTE: KeyCommand = bind("d", s::CMD_DELETE_PASTE, false, |k| is_char(k, 'd'));
pub const CLOCK: KeyCommand = bind("c", s::CMD_CLOCK, false, |k| is_char(k, 'c'));
pub const TABS: KeyCommand = cmd("Tab/S-Tab", s::CMD_TABS, true);
pub const TAB_N: KeyCommand = cmd("1-5", s::CMD_TAB_N, false);
pub const FOCUS: KeyCommand = cmd("←/→ h/l", s::CMD_FOCUS, false);
pub const MOVE: KeyCommand = cmd("↑/↓ j/k", s::CMD_MOVE, true);
pub const PAGE: KeyCommand = cmd("PgUp/Dn ^U/^D", s::CMD_PAGE, false);
pub const SCROLL_DETAIL: KeyCommand = cmd("PgUp/Dn ^U/^D", s::CMD_SCROLL_DETAIL, false);
pub const TOP_BOTTOM: KeyCommand = cmd("g/G Home/End", s::CMD_TOP_BOTTOM, false);
pub const CONTEXT_KEYS: KeyCommand = bind("a", s::CMD_CONTEXT_KEYS, false, |k| is_char(k, 'a'));
pub const COPY: KeyCommand = bind("y", s::CMD_COPY, false, |k| is_char(k, 'y'));
pub const JUMP: KeyCommand = bind("Enter", s::CMD_JUMP, true, is_enter);
pub const SEARCH: KeyCommand = bind("/", s::CMD_SEARCH, true, |k| is_char(k, '/'));
/// `/` is the list's filter and the XML tab's search: whichever has the focus.
pub const FILTER: KeyCommand = bind("/", s::CMD_FILTER, true, |k| is_char(k, '/'));
pub const FILTER_KEEP: KeyCommand = cmd("Enter", s::CMD_FILTER_KEEP, true);
pub const FILTER_CLEAR: KeyCommand = cmd("Esc", s::CMD_FILTER_CLEAR, true);
pub const NEXT_MATCH: KeyCommand = cmd("n/N", s::CMD_NEXT_MATCH, false);
pub const FOLD: KeyCommand = bind("Space/z/Enter", s::CMD_FOLD, true, |k| {
    is_char(k, ' ') || is_char(k, 'z') || is_enter(k)
});
pub const UNFOLD_ALL: KeyCommand = bind("Z", s::CMD_UNFOLD_ALL, false, |k| is_char(k, 'Z'));
pub const HSCROLL: KeyCommand = cmd("< / >", s::CMD_HSCROLL, false);
pub const WRAP: KeyCommand = bind("w", s::CMD_WRAP, false, |k| is_char(k, 'w'));
pub const CLOSE: KeyCommand = cmd("Esc", s::CMD_CLOSE, true);
pub const CANCEL_ENTRY: KeyCommand = cmd("Esc/C-c", s::CMD_CANCEL, true);
pub const SUBMIT: KeyCommand = cmd("Enter", s::CMD_SUBMIT, true);

fn plain(k: &KeyEvent) -> bool {
    k.modifiers.difference(KeyModifiers::SHIFT).is_empty()
}

pub fn is_char(k: &KeyEvent, c: char) -> bool {
    plain(k) && k.code == KeyCode::Char(c)
}

pub fn is_up(k: &KeyEvent) -> bool {
    k.code == KeyCode::Up || is_char(k, 'k')
}

pub fn is_down(k: &KeyEvent) -> bool {
    k.code == KeyCode::Down || is_char(k, 'j')
}

pub fn is_left(k: &KeyEvent) -> bool {
    k.code == KeyCode::Left || is_char(k, 'h')
}

pub fn is_right(k: &KeyEvent) -> bool {
    k.code == KeyCode::Right || is_char(k, 'l')
}

pub fn is_page_up(k: &KeyEvent) -> bool {
    k.code == KeyCode::PageUp
        || (k.modifiers.contains(KeyModifiers::CONTROL) && k.code == KeyCode::Char('u'))
}

pub fn is_page_down(k: &KeyEvent) -> bool {
    k.code == KeyCode::PageDown
        || (k.modifiers.contains(KeyModifiers::CONTROL) && k.code == KeyCode::Char('d'))
}

pub fn is_top(k: &KeyEvent) -> bool {
    k.code == KeyCode::Home || is_char(k, 'g')
}

pub fn is_bottom(k: &KeyEvent) -> bool {
    k.code == KeyCode::End || is_char(k, 'G')
}

pub fn is_enter(k: &KeyEvent) -> bool {
    k.code == KeyCode::Enter
}

pub fn is_esc(k: &KeyEvent) -> bool {
    k.code == KeyCode::Esc
}

pub fn is_next_tab(k: &KeyEvent) -> bool {
    k.code == KeyCode::Tab && !k.modifiers.contains(KeyModifiers::SHIFT)
}

pub fn is_prev_tab(k: &KeyEvent) -> bool {
    k.code == KeyCode::BackTab
        || (k.code == KeyCode::Tab && k.modifiers.contains(KeyModifiers::SHIFT))
}

/// Moves `cur` within `0..len` by one key (up/down/page/top/bottom); `None` when the
/// key is not a movement key.
pub fn movement(k: &KeyEvent, cur: usize, len: usize, page: usize) -> Option<usize> {
    let last = len.saturating_sub(1);
    let page = page.max(1);
    if is_up(k) {
        Some(cur.saturating_sub(1))
    } else if is_down(k) {
        Some((cur + 1).min(last))
    } else if is_page_up(k) {
        Some(cur.saturating_sub(page))
    } else if is_page_down(k) {
        Some((cur + page).min(last))
    } else if is_top(k) {
        Some(0)
    } else if is_bottom(k) {
        Some(last)
    } else {
        None
    }
}
