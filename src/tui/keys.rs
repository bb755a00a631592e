//! Key bindings, declared once. Each command ([`Cmd`]) has a stable snake_case id (its
//! name in samlint.toml's `[keys]`), default keys, and the places it is live in. A
//! [`Keymap`] holds the keys in force, the defaults overlaid with `[keys]`, built once
//! at start; every panel matches keys through it. The footer, the `?` overlay and
//! docs/tui.md's key table show [`KeyCommand`] rows, whose keys are read from the same
//! map, so a remapped key shows wherever it works.
//!
//! Text entry (the paste box, the list filter, the XML search) and Ctrl-C keep their
//! keys: they are in the table, marked fixed, and `[keys]` cannot change them.

use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::strings as s;

/// One key: a code and its modifiers, normalised as a terminal reports it (a
/// character carries its own shift: `G`, not `shift-g`; Ctrl with a letter is the
/// lower-case letter; `shift-tab` is `backtab`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    code: KeyCode,
    mods: KeyModifiers,
}

/// The key syntax, for error messages and the docs.
pub(crate) const KEY_SYNTAX: &str = "a key is one character (q, G, ?, /) or a name (enter, esc, tab, backtab, space, backspace, delete, insert, pgup, pgdown, home, end, up, down, left, right, f1 to f12), with ctrl-, alt- or shift- in front: \"ctrl-d\", \"alt-x\", \"shift-tab\"";

const MODIFIER_PREFIXES: [(&str, KeyModifiers); 3] = [
    ("ctrl-", KeyModifiers::CONTROL),
    ("alt-", KeyModifiers::ALT),
    ("shift-", KeyModifiers::SHIFT),
];

impl Key {
    const fn new(code: KeyCode, mods: KeyModifiers) -> Key {
        Key { code, mods }
    }

    /// Parses the `[keys]` syntax: `q`, `G`, `ctrl-d`, `pgdown`, `shift-tab`, `f1`.
    ///
    /// # Errors
    /// The text is not a key; the message says why.
    pub fn parse(spec: &str) -> Result<Key, String> {
        let mut rest = spec;
        let mut mods = KeyModifiers::NONE;
        'prefixes: while rest.chars().count() > 1 {
            for (prefix, m) in MODIFIER_PREFIXES {
                if rest.len() > prefix.len()
                    && rest
                        .get(..prefix.len())
                        .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
                {
                    mods |= m;
                    rest = &rest[prefix.len()..];
                    continue 'prefixes;
                }
            }
            break;
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (None, _) => return Err("an empty key".to_owned()),
            (Some(c), None) => KeyCode::Char(c),
            _ => {
                named(&rest.to_ascii_lowercase()).ok_or_else(|| format!("'{spec}' is not a key"))?
            }
        };
        if let KeyCode::Char(c) = code
            && mods.contains(KeyModifiers::SHIFT)
            && !c.is_alphabetic()
            && c != ' '
        {
            return Err(format!(
                "'{spec}': shift with a character is the character it types (write \"!\", not \"shift-1\")"
            ));
        }
        Ok(Key::new(code, mods).normalized())
    }

    /// The key of a terminal event, normalised as [`Key::parse`] normalises.
    pub fn of(k: &KeyEvent) -> Key {
        let mods = k.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        Key::new(k.code, mods).normalized()
    }

    fn normalized(self) -> Key {
        let Key { mut code, mut mods } = self;
        match code {
            KeyCode::Char(c) => {
                if mods.contains(KeyModifiers::SHIFT) {
                    code = KeyCode::Char(c.to_uppercase().next().unwrap_or(c));
                }
                mods.remove(KeyModifiers::SHIFT);
                // Terminals send Ctrl-D and Ctrl-Shift-D alike.
                if mods.contains(KeyModifiers::CONTROL)
                    && let KeyCode::Char(c) = code
                {
                    code = KeyCode::Char(c.to_ascii_lowercase());
                }
            }
            KeyCode::Tab if mods.contains(KeyModifiers::SHIFT) => {
                code = KeyCode::BackTab;
                mods.remove(KeyModifiers::SHIFT);
            }
            KeyCode::BackTab => mods.remove(KeyModifiers::SHIFT),
            _ => {}
        }
        Key { code, mods }
    }

    /// The event this key sends (the mouse wheel sends the up and down keys).
    pub fn event(self) -> KeyEvent {
        KeyEvent::new(self.code, self.mods)
    }

    /// The key in the `[keys]` syntax (`ctrl-d`, `pgdown`, `G`).
    pub fn spec(self) -> String {
        let mut out = String::new();
        for (prefix, m) in MODIFIER_PREFIXES {
            if self.mods.contains(m) {
                out.push_str(prefix);
            }
        }
        match self.code {
            KeyCode::Char(' ') => out.push_str("space"),
            KeyCode::Char(c) => out.push(c),
            KeyCode::F(n) => {
                out.push('f');
                out.push_str(&n.to_string());
            }
            code => out.push_str(
                NAMES
                    .iter()
                    .find(|(_, c)| *c == code)
                    .map_or("?", |(name, _)| name),
            ),
        }
        out
    }
}

/// The character a key types into text entry (`None` for Ctrl-chords and named
/// keys).
pub(crate) fn typed(k: &KeyEvent) -> Option<char> {
    match k.code {
        KeyCode::Char(c) if !k.modifiers.contains(KeyModifiers::CONTROL) => Some(c),
        _ => None,
    }
}

/// Named keys, the first name of each code being the one shown in messages.
const NAMES: &[(&str, KeyCode)] = &[
    ("enter", KeyCode::Enter),
    ("return", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("escape", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("space", KeyCode::Char(' ')),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("del", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("ins", KeyCode::Insert),
    ("pgup", KeyCode::PageUp),
    ("pageup", KeyCode::PageUp),
    ("pgdown", KeyCode::PageDown),
    ("pgdn", KeyCode::PageDown),
    ("pagedown", KeyCode::PageDown),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
];

fn named(name: &str) -> Option<KeyCode> {
    if let Some(n) = name.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
        return (1..=12).contains(&n).then_some(KeyCode::F(n));
    }
    NAMES.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
}

/// How the footer, the overlay and docs/tui.md write a key: `q`, `^D` (Ctrl-D),
/// `A-x` (Alt-X), `S-Tab`, `PgDn`, `↑`.
impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (m, short) in [(KeyModifiers::ALT, "A-"), (KeyModifiers::SHIFT, "S-")] {
            if self.mods.contains(m) {
                f.write_str(short)?;
            }
        }
        let ctrl = self.mods.contains(KeyModifiers::CONTROL);
        if ctrl {
            f.write_str("^")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) if ctrl => write!(f, "{}", c.to_ascii_uppercase()),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "F{n}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("S-Tab"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Delete => f.write_str("Del"),
            KeyCode::Insert => f.write_str("Ins"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// Where keys go: each command is live in some of these, and two commands live in
/// one place may not share a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Places(u16);

impl Places {
    pub(crate) const LIST: Places = Places(1);
    pub(crate) const SUMMARY: Places = Places(1 << 1);
    pub(crate) const FINDINGS: Places = Places(1 << 2);
    pub(crate) const XML: Places = Places(1 << 3);
    pub(crate) const HELP: Places = Places(1 << 6);
    /// The paste box, the list filter and the XML search, while typed in.
    pub(crate) const TEXT: Places = Places(1 << 7);
    /// The list and every tab: where the global keys work.
    pub(crate) const BROWSE: Places = Places(0b11_1111);
    const NAMES: [&'static str; 8] = [
        "the payload list",
        "the Summary tab",
        "the Findings tab",
        "the XML tab",
        "the Signature tab",
        "the Raw tab",
        "the help overlay",
        "text entry",
    ];

    const fn or(self, other: Places) -> Places {
        Places(self.0 | other.0)
    }

    /// The first place both are live in, by name.
    fn shared(self, other: Places) -> Option<&'static str> {
        let both = self.0 & other.0;
        (0..Self::NAMES.len())
            .find(|i| both & (1 << i) != 0)
            .map(|i| Self::NAMES[i])
    }
}

const BROWSE_HELP: Places = Places::BROWSE.or(Places::HELP);

macro_rules! commands {
    ($($(#[$doc:meta])* $cmd:ident $id:literal [$($key:literal),*] $places:expr, $fixed:literal;)*) => {
        /// A key command: what a key does. The id is its name in `[keys]`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Cmd {
            $($(#[$doc])* $cmd,)*
        }

        impl Cmd {
            pub const ALL: &[Cmd] = &[$(Cmd::$cmd),*];

            /// The stable snake_case id (`[keys]` name).
            pub fn id(self) -> &'static str {
                match self {
                    $(Cmd::$cmd => $id,)*
                }
            }

            /// The default keys, in the `[keys]` syntax.
            fn defaults(self) -> &'static [&'static str] {
                match self {
                    $(Cmd::$cmd => &[$($key),*],)*
                }
            }

            fn places(self) -> Places {
                match self {
                    $(Cmd::$cmd => $places,)*
                }
            }

            /// Text entry and Ctrl-C: `[keys]` cannot change these.
            pub fn fixed(self) -> bool {
                match self {
                    $(Cmd::$cmd => $fixed,)*
                }
            }
        }
    };
}

commands! {
    Quit "quit" ["q"] BROWSE_HELP, false;
    /// Opens the overlay, and closes it.
    Help "help" ["?"] BROWSE_HELP, false;
    Paste "paste" ["p"] Places::BROWSE, false;
    Clock "clock" ["c"] Places::BROWSE, false;
    NextTab "next_tab" ["tab"] Places::BROWSE, false;
    PrevTab "prev_tab" ["backtab"] Places::BROWSE, false;
    Tab1 "tab_1" ["1"] Places::BROWSE, false;
    Tab2 "tab_2" ["2"] Places::BROWSE, false;
    Tab3 "tab_3" ["3"] Places::BROWSE, false;
    Tab4 "tab_4" ["4"] Places::BROWSE, false;
    Tab5 "tab_5" ["5"] Places::BROWSE, false;
    FocusList "focus_list" ["left", "h"] Places::BROWSE, false;
    FocusPanel "focus_panel" ["right", "l"] Places::BROWSE, false;
    Copy "copy" ["y"] Places::BROWSE, false;
    Up "up" ["up", "k"] BROWSE_HELP, false;
    Down "down" ["down", "j"] BROWSE_HELP, false;
    PageUp "page_up" ["pgup", "ctrl-u"] BROWSE_HELP, false;
    PageDown "page_down" ["pgdown", "ctrl-d"] BROWSE_HELP, false;
    Top "top" ["g", "home"] BROWSE_HELP, false;
    Bottom "bottom" ["G", "end"] BROWSE_HELP, false;
    NextFailing "next_failing" ["]"] Places::BROWSE, false;
    PrevFailing "prev_failing" ["["] Places::BROWSE, false;
    Filter "filter" ["/"] Places::LIST, false;
    /// Drops a filter that was kept.
    ClearFilter "clear_filter" ["esc"] Places::LIST, false;
    DeletePaste "delete_paste" ["d"] Places::LIST, false;
    /// From the list to the tab.
    Open "open" ["enter"] Places::LIST, false;
    ContextKeys "context_keys" ["a"] Places::SUMMARY, false;
    Jump "jump" ["enter"] Places::FINDINGS, false;
    Search "search" ["/"] Places::XML, false;
    /// Drops the highlighted matches of a search that was kept.
    ClearSearch "clear_search" ["esc"] Places::XML, false;
    NextMatch "next_match" ["n"] Places::XML, false;
    PrevMatch "prev_match" ["N"] Places::XML, false;
    Fold "fold" ["space", "z", "enter"] Places::XML, false;
    UnfoldAll "unfold_all" ["Z"] Places::XML, false;
    ScrollLeft "scroll_left" ["<"] Places::XML, false;
    ScrollRight "scroll_right" [">"] Places::XML, false;
    /// The XML tab's wrap toggle: long lines wrapped instead of cut.
    Wrap "wrap" ["w"] Places::XML, false;
    /// Closes the help overlay.
    Close "close" ["esc", "enter"] Places::HELP, false;
    /// Ctrl-C: quits, except in text entry.
    Interrupt "interrupt" ["ctrl-c"] BROWSE_HELP, true;
    Submit "submit" ["enter"] Places::TEXT, true;
    Cancel "cancel" ["esc", "ctrl-c"] Places::TEXT, true;
    ClearText "clear_text" ["ctrl-u"] Places::TEXT, true;
    DeleteChar "delete_char" ["backspace"] Places::TEXT, true;
    EntryUp "entry_up" ["up"] Places::TEXT, true;
    EntryDown "entry_down" ["down"] Places::TEXT, true;
}

impl Cmd {
    /// The command named `id` in `[keys]`.
    pub fn from_id(id: &str) -> Option<Cmd> {
        Cmd::ALL.iter().copied().find(|c| c.id() == id)
    }

    /// The closest command id to a misspelt one.
    pub fn suggest(id: &str) -> Option<&'static str> {
        let lower = id.to_ascii_lowercase().replace('-', "_");
        Cmd::ALL
            .iter()
            .filter(|c| !c.fixed())
            .map(|c| (crate::lint::arn::edit_distance(&lower, c.id()), c.id()))
            .filter(|(d, id)| *d <= id.len() / 3 + 1)
            .min_by_key(|(d, _)| *d)
            .map(|(_, id)| id)
    }
}

/// One row of the footer and the help overlay: commands shown together (`↑/↓ k/j`
/// move) with what they do. The keys come from the [`Keymap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyCommand {
    pub cmds: &'static [Cmd],
    pub desc: &'static str,
    /// Shown in the footer too (the help overlay shows every row).
    pub footer: bool,
}

const fn row(cmds: &'static [Cmd], desc: &'static str, footer: bool) -> KeyCommand {
    KeyCommand { cmds, desc, footer }
}

pub(crate) const QUIT: KeyCommand = row(&[Cmd::Quit], s::CMD_QUIT, true);
pub(crate) const HELP: KeyCommand = row(&[Cmd::Help], s::CMD_HELP, true);
pub(crate) const PASTE: KeyCommand = row(&[Cmd::Paste], s::CMD_PASTE, true);
pub(crate) const CLOCK: KeyCommand = row(&[Cmd::Clock], s::CMD_CLOCK, false);
pub(crate) const TABS: KeyCommand = row(&[Cmd::NextTab, Cmd::PrevTab], s::CMD_TABS, true);
pub(crate) const TAB_N: KeyCommand = row(
    &[Cmd::Tab1, Cmd::Tab2, Cmd::Tab3, Cmd::Tab4, Cmd::Tab5],
    s::CMD_TAB_N,
    false,
);
pub(crate) const FOCUS: KeyCommand = row(&[Cmd::FocusList, Cmd::FocusPanel], s::CMD_FOCUS, false);
pub(crate) const COPY: KeyCommand = row(&[Cmd::Copy], s::CMD_COPY, false);
pub(crate) const INTERRUPT: KeyCommand = row(&[Cmd::Interrupt], s::CMD_INTERRUPT, false);
pub(crate) const MOVE: KeyCommand = row(&[Cmd::Up, Cmd::Down], s::CMD_MOVE, true);
pub(crate) const PAGE: KeyCommand = row(&[Cmd::PageUp, Cmd::PageDown], s::CMD_PAGE, false);
pub(crate) const SCROLL_DETAIL: KeyCommand =
    row(&[Cmd::PageUp, Cmd::PageDown], s::CMD_SCROLL_DETAIL, false);
pub(crate) const TOP_BOTTOM: KeyCommand = row(&[Cmd::Top, Cmd::Bottom], s::CMD_TOP_BOTTOM, false);
pub(crate) const NEXT_FAILING: KeyCommand = row(
    &[Cmd::NextFailing, Cmd::PrevFailing],
    s::CMD_NEXT_FAILING,
    false,
);
pub(crate) const FILTER: KeyCommand = row(&[Cmd::Filter], s::CMD_FILTER, true);
pub(crate) const CLEAR_FILTER: KeyCommand = row(&[Cmd::ClearFilter], s::CMD_FILTER_CLEAR, false);
pub(crate) const DELETE_PASTE: KeyCommand = row(&[Cmd::DeletePaste], s::CMD_DELETE_PASTE, false);
pub(crate) const OPEN: KeyCommand = row(&[Cmd::Open], s::CMD_OPEN, false);
pub(crate) const CONTEXT_KEYS: KeyCommand = row(&[Cmd::ContextKeys], s::CMD_CONTEXT_KEYS, false);
pub(crate) const JUMP: KeyCommand = row(&[Cmd::Jump], s::CMD_JUMP, true);
pub(crate) const SEARCH: KeyCommand = row(&[Cmd::Search], s::CMD_SEARCH, true);
pub(crate) const CLEAR_SEARCH: KeyCommand = row(&[Cmd::ClearSearch], s::CMD_CLEAR_SEARCH, false);
pub(crate) const NEXT_MATCH: KeyCommand =
    row(&[Cmd::NextMatch, Cmd::PrevMatch], s::CMD_NEXT_MATCH, false);
pub(crate) const FOLD: KeyCommand = row(&[Cmd::Fold], s::CMD_FOLD, true);
pub(crate) const UNFOLD_ALL: KeyCommand = row(&[Cmd::UnfoldAll], s::CMD_UNFOLD_ALL, false);
pub(crate) const HSCROLL: KeyCommand =
    row(&[Cmd::ScrollLeft, Cmd::ScrollRight], s::CMD_HSCROLL, false);
/// The XML tab's wrap toggle.
pub(crate) const WRAP: KeyCommand = row(&[Cmd::Wrap], s::CMD_WRAP, false);
pub(crate) const CLOSE: KeyCommand = row(&[Cmd::Close], s::CMD_CLOSE, true);
// Text entry.
pub(crate) const SUBMIT: KeyCommand = row(&[Cmd::Submit], s::CMD_SUBMIT, true);
pub(crate) const CANCEL_ENTRY: KeyCommand = row(&[Cmd::Cancel], s::CMD_CANCEL, true);
pub(crate) const FILTER_KEEP: KeyCommand = row(&[Cmd::Submit], s::CMD_FILTER_KEEP, true);
pub(crate) const FILTER_CLEAR: KeyCommand = row(&[Cmd::Cancel], s::CMD_FILTER_CLEAR, true);
pub(crate) const SEARCH_KEEP: KeyCommand = row(&[Cmd::Submit], s::CMD_SEARCH_KEEP, true);
pub(crate) const CLEAR_TEXT: KeyCommand = row(&[Cmd::ClearText], s::CMD_CLEAR_TEXT, false);
// The same keys, for every text entry at once (the help overlay's "Typing").
pub(crate) const TYPING_DONE: KeyCommand = row(&[Cmd::Submit], s::CMD_TYPING_DONE, true);
pub(crate) const TYPING_CANCEL: KeyCommand = row(&[Cmd::Cancel], s::CMD_CANCEL, true);
pub(crate) const TYPING_MOVE: KeyCommand =
    row(&[Cmd::EntryUp, Cmd::EntryDown], s::CMD_TYPING_MOVE, false);
pub(crate) const TYPING_DELETE: KeyCommand = row(&[Cmd::DeleteChar], s::CMD_TYPING_DELETE, false);

/// The keys in force: the defaults, with samlint.toml's `[keys]` laid over them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    /// Indexed by `Cmd as usize`.
    keys: Vec<Vec<Key>>,
}

impl Default for Keymap {
    fn default() -> Self {
        let keys = Cmd::ALL
            .iter()
            .map(|c| {
                c.defaults()
                    .iter()
                    .map(|k| Key::parse(k).unwrap_or(Key::new(KeyCode::Null, KeyModifiers::NONE)))
                    .collect()
            })
            .collect();
        Keymap { keys }
    }
}

/// Two commands live in one place with one key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clash {
    pub key: Key,
    pub a: Cmd,
    pub b: Cmd,
    /// Where both are live ("the payload list").
    pub place: &'static str,
}

impl Keymap {
    /// The keys of `cmd` (none: unbound).
    pub fn keys(&self, cmd: Cmd) -> &[Key] {
        &self.keys[cmd as usize]
    }

    /// Binds `cmd` to `keys` instead of its defaults (an empty list unbinds it).
    pub fn set(&mut self, cmd: Cmd, keys: Vec<Key>) {
        let mut unique: Vec<Key> = Vec::with_capacity(keys.len());
        for k in keys {
            if !unique.contains(&k) {
                unique.push(k);
            }
        }
        self.keys[cmd as usize] = unique;
    }

    /// Whether `k` is one of `cmd`'s keys.
    pub fn hit(&self, cmd: Cmd, k: &KeyEvent) -> bool {
        self.keys(cmd).contains(&Key::of(k))
    }

    /// `cmd`'s first key as shown (`None`: unbound).
    pub fn first(&self, cmd: Cmd) -> Option<Key> {
        self.keys(cmd).first().copied()
    }

    /// Every pair of commands that share a key where both are live.
    pub fn clashes(&self) -> Vec<Clash> {
        let mut out = Vec::new();
        for (i, &a) in Cmd::ALL.iter().enumerate() {
            for &b in &Cmd::ALL[i + 1..] {
                let Some(place) = a.places().shared(b.places()) else {
                    continue;
                };
                if let Some(&key) = self.keys(a).iter().find(|k| self.keys(b).contains(k)) {
                    out.push(Clash { key, a, b, place });
                }
            }
        }
        out
    }

    /// The keys of a row as the footer and the overlay show them: `q`,
    /// `Space/z/Enter`, `↑/↓ k/j` (pairs side by side), `1-5`; empty when none of its
    /// commands has a key.
    pub fn label(&self, row: &KeyCommand) -> String {
        let lists: Vec<Vec<String>> = row
            .cmds
            .iter()
            .map(|c| self.keys(*c).iter().map(ToString::to_string).collect())
            .collect();
        if lists.iter().all(Vec::is_empty) {
            return String::new();
        }
        if let [one] = lists.as_slice() {
            return one.join("/");
        }
        let n = lists[0].len();
        if lists.iter().all(|l| l.len() == n) {
            // A run of single characters, one each: `1-5`.
            let firsts: Vec<char> = lists
                .iter()
                .filter_map(|l| {
                    let mut c = l[0].chars();
                    c.next().filter(|_| c.next().is_none())
                })
                .collect();
            if n == 1
                && lists.len() > 2
                && firsts.len() == lists.len()
                && firsts
                    .windows(2)
                    .all(|w| u32::from(w[0]) + 1 == u32::from(w[1]))
            {
                return format!("{}-{}", firsts[0], firsts[firsts.len() - 1]);
            }
            return (0..n)
                .map(|i| {
                    lists
                        .iter()
                        .map(|l| l[i].as_str())
                        .collect::<Vec<_>>()
                        .join("/")
                })
                .collect::<Vec<_>>()
                .join(" ");
        }
        lists
            .iter()
            .map(|l| {
                if l.is_empty() {
                    "–".to_owned()
                } else {
                    l.join(",")
                }
            })
            .collect::<Vec<_>>()
            .join("/")
    }

    /// Moves `cur` within `0..len` by one key (up/down/page/top/bottom); `None` when
    /// the key moves nothing.
    pub fn movement(&self, k: &KeyEvent, cur: usize, len: usize, page: usize) -> Option<usize> {
        let last = len.saturating_sub(1);
        let page = page.max(1);
        if self.hit(Cmd::Up, k) {
            Some(cur.saturating_sub(1))
        } else if self.hit(Cmd::Down, k) {
            Some((cur + 1).min(last))
        } else if self.hit(Cmd::PageUp, k) {
            Some(cur.saturating_sub(page))
        } else if self.hit(Cmd::PageDown, k) {
            Some((cur + page).min(last))
        } else if self.hit(Cmd::Top, k) {
            Some(0)
        } else if self.hit(Cmd::Bottom, k) {
            Some(last)
        } else {
            None
        }
    }

    /// `cmd`'s first key followed by `text` (`"c: use the clock"`), or nothing when
    /// it has no key.
    pub fn hint(&self, cmd: Cmd, text: &str) -> Option<String> {
        self.first(cmd).map(|k| format!("{k}{text}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn ids_are_unique_snake_case_and_defaults_parse() {
        for (i, c) in Cmd::ALL.iter().enumerate() {
            assert_eq!(*c as usize, i);
            assert!(
                c.id()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "{}",
                c.id()
            );
            assert_eq!(Cmd::from_id(c.id()), Some(*c));
            for k in c.defaults() {
                assert!(Key::parse(k).is_ok(), "{k}");
            }
        }
    }

    #[test]
    fn the_defaults_do_not_clash() {
        assert_eq!(Keymap::default().clashes(), []);
    }

    #[test]
    fn key_syntax() {
        let p = |s: &str| Key::parse(s).unwrap();
        assert_eq!(p("q"), Key::new(KeyCode::Char('q'), KeyModifiers::NONE));
        assert_eq!(
            p("ctrl-d"),
            Key::new(KeyCode::Char('d'), KeyModifiers::CONTROL)
        );
        assert_eq!(p("Ctrl-D"), p("ctrl-d"));
        assert_eq!(p("shift-g"), p("G"));
        assert_eq!(p("shift-tab"), p("backtab"));
        assert_eq!(p("PgDown"), Key::new(KeyCode::PageDown, KeyModifiers::NONE));
        assert_eq!(p("f1"), Key::new(KeyCode::F(1), KeyModifiers::NONE));
        assert_eq!(p("space"), p(" "));
        assert_eq!(p("-"), Key::new(KeyCode::Char('-'), KeyModifiers::NONE));
        assert_eq!(p("alt--"), Key::new(KeyCode::Char('-'), KeyModifiers::ALT));
        assert_eq!(
            p("ctrl-alt-x"),
            Key::new(
                KeyCode::Char('x'),
                KeyModifiers::CONTROL | KeyModifiers::ALT
            )
        );
        for bad in ["", "ctlr-d", "f13", "pagedn", "shift-1", "ctrl-"] {
            assert!(Key::parse(bad).is_err(), "{bad}");
        }
        for spec in [
            "q",
            "ctrl-d",
            "pgdown",
            "backtab",
            "space",
            "G",
            "alt-enter",
            "f5",
        ] {
            assert_eq!(p(spec).spec(), spec);
        }
        assert_eq!(p("ctrl-d").to_string(), "^D");
        assert_eq!(p("alt-x").to_string(), "A-x");
        assert_eq!(p("shift-tab").to_string(), "S-Tab");
    }

    #[test]
    fn events_match_as_terminals_send_them() {
        let km = Keymap::default();
        // `G` arrives with or without SHIFT; Shift-Tab as BackTab, with SHIFT.
        assert!(km.hit(Cmd::Bottom, &ev(KeyCode::Char('G'), KeyModifiers::SHIFT)));
        assert!(km.hit(Cmd::Bottom, &ev(KeyCode::Char('G'), KeyModifiers::NONE)));
        assert!(km.hit(Cmd::PrevTab, &ev(KeyCode::BackTab, KeyModifiers::SHIFT)));
        assert!(km.hit(Cmd::PrevTab, &ev(KeyCode::Tab, KeyModifiers::SHIFT)));
        assert!(!km.hit(Cmd::NextTab, &ev(KeyCode::Tab, KeyModifiers::SHIFT)));
        assert!(km.hit(
            Cmd::PageDown,
            &ev(KeyCode::Char('d'), KeyModifiers::CONTROL)
        ));
        assert!(!km.hit(
            Cmd::DeletePaste,
            &ev(KeyCode::Char('d'), KeyModifiers::CONTROL)
        ));
        assert!(km.hit(Cmd::Help, &ev(KeyCode::Char('?'), KeyModifiers::SHIFT)));
    }

    #[test]
    fn labels() {
        let mut km = Keymap::default();
        assert_eq!(km.label(&QUIT), "q");
        assert_eq!(km.label(&MOVE), "↑/↓ k/j");
        assert_eq!(km.label(&PAGE), "PgUp/PgDn ^U/^D");
        assert_eq!(km.label(&TAB_N), "1-5");
        assert_eq!(km.label(&TABS), "Tab/S-Tab");
        assert_eq!(km.label(&FOLD), "Space/z/Enter");
        km.set(Cmd::Up, vec![Key::parse("i").unwrap()]);
        assert_eq!(km.label(&MOVE), "i/↓,j");
        km.set(Cmd::Quit, Vec::new());
        assert_eq!(km.label(&QUIT), "");
    }
}
