//! The application state (the checked payloads and what is selected) and how events
//! change it. Drawing reads this state and nothing else.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use std::cell::Cell;

use ratatui::crossterm::event::{KeyEvent, MouseButton, MouseEventKind};
use ratatui::layout::Position;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::components::{
    Action, Component, DrawCx, EventState,
    findings::{self, FindingsPanel},
    help::{self, HelpPopup},
    list::{self, ListPanel},
    paste::PastePopup,
    raw::{self, RawPanel},
    signature::{self, SignaturePanel},
    summary::{self, SummaryPanel},
    xml::{self as xml_panel, XmlPanel},
};
use super::entry::{Entry, Verdict};
use super::event::{AppEvent, Checked, Job};
use super::keys::{self, Cmd, KeyCommand, Keymap};
use super::strings as s;
use super::theme;
use crate::pipeline::NowMode;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tab {
    Summary,
    Findings,
    Xml,
    Signature,
    Raw,
}

impl Tab {
    pub(crate) const ALL: [Tab; 5] = [
        Tab::Summary,
        Tab::Findings,
        Tab::Xml,
        Tab::Signature,
        Tab::Raw,
    ];

    pub(crate) fn title(self) -> &'static str {
        match self {
            Tab::Summary => s::TAB_SUMMARY,
            Tab::Findings => s::TAB_FINDINGS,
            Tab::Xml => s::TAB_XML,
            Tab::Signature => s::TAB_SIGNATURE,
            Tab::Raw => s::TAB_RAW,
        }
    }

    fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    fn step(self, by: isize) -> Tab {
        let n = Tab::ALL.len().cast_signed();
        let i = (self.index().cast_signed() + by).rem_euclid(n);
        Tab::ALL[i.unsigned_abs()]
    }
}

fn tab_label(i: usize, t: Tab) -> String {
    format!(" {} {} ", i + 1, t.title())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Focus {
    List,
    Panel,
}

/// What the loop does for the app besides redrawing.
#[derive(Debug)]
pub(crate) enum Effect {
    Job(Job),
    /// Put text on the clipboard (OSC 52).
    Copy(String),
}

const GLOBAL_COMMANDS: &[KeyCommand] = &[
    keys::QUIT,
    keys::HELP,
    keys::PASTE,
    keys::CLOCK,
    keys::TABS,
    keys::TAB_N,
    keys::FOCUS,
    keys::COPY,
    keys::INTERRUPT,
];

/// Text entry's keys, as the help overlay lists them (each entry's footer names them
/// in its own words: "keep the filter").
const TYPING_COMMANDS: &[KeyCommand] = &[
    keys::TYPING_DONE,
    keys::TYPING_CANCEL,
    keys::TYPING_DELETE,
    keys::CLEAR_TEXT,
    keys::TYPING_MOVE,
];

/// The tab each of `tab_1`..`tab_5` selects.
const TAB_KEYS: [(Cmd, Tab); 5] = [
    (Cmd::Tab1, Tab::Summary),
    (Cmd::Tab2, Tab::Findings),
    (Cmd::Tab3, Tab::Xml),
    (Cmd::Tab4, Tab::Signature),
    (Cmd::Tab5, Tab::Raw),
];

pub(crate) struct App {
    pub entries: Vec<Entry>,
    pub tab: Tab,
    pub focus: Focus,
    pub now: DateTime<Utc>,
    pub quit: bool,
    /// Check jobs sent and not yet back.
    pub pending: usize,
    pub status: Option<String>,
    /// The live source's own status line (the proxy's HAR), and whether it is a problem.
    pub live_status: Option<(String, bool)>,
    /// `NO_COLOR`: draw without colours.
    pub no_color: bool,
    /// The keys in force (defaults and samlint.toml's `[keys]`).
    pub keys: Keymap,
    list: ListPanel,
    summary: SummaryPanel,
    findings: FindingsPanel,
    xml: XmlPanel,
    signature: SignaturePanel,
    raw: RawPanel,
    help: HelpPopup,
    paste: PastePopup,
    captured: usize,
    pasted: usize,
    /// Every job sent, to check everything again at another time.
    jobs: Vec<Job>,
    /// The run's `--now`, and whether the verdicts now use the clock instead.
    pub base_now: NowMode,
    pub clock_mode: bool,
    pub skew: chrono::TimeDelta,
    /// When the verdicts were last evaluated (clock mode re-evaluates when a window
    /// edge passes).
    evaluated_at: DateTime<Utc>,
    /// The selection to restore once a re-check has come back.
    reselect: Option<usize>,
    /// Where the last draw put the tab titles, the list and the panel (for clicks).
    tabs_area: Cell<Rect>,
    list_area: Cell<Rect>,
    panel_area: Cell<Rect>,
}

impl App {
    pub(crate) fn new(now: DateTime<Utc>) -> Self {
        App {
            entries: Vec::new(),
            tab: Tab::Summary,
            focus: Focus::List,
            now,
            quit: false,
            pending: 0,
            status: None,
            live_status: None,
            no_color: false,
            keys: Keymap::default(),
            list: ListPanel::default(),
            summary: SummaryPanel::default(),
            findings: FindingsPanel::default(),
            xml: XmlPanel::default(),
            signature: SignaturePanel::default(),
            raw: RawPanel::default(),
            help: HelpPopup::default(),
            paste: PastePopup::default(),
            captured: 0,
            pasted: 0,
            jobs: Vec::new(),
            base_now: NowMode::Capture,
            clock_mode: false,
            skew: chrono::TimeDelta::minutes(5),
            evaluated_at: now,
            reselect: None,
            tabs_area: Cell::new(Rect::default()),
            list_area: Cell::new(Rect::default()),
            panel_area: Cell::new(Rect::default()),
        }
    }

    pub(crate) fn selected(&self) -> Option<&Entry> {
        self.entries.get(self.list.selected)
    }

    #[cfg(test)]
    pub(crate) fn selected_index(&self) -> usize {
        self.list.selected
    }

    fn panel(&self) -> &dyn Component {
        match self.tab {
            Tab::Summary => &self.summary,
            Tab::Findings => &self.findings,
            Tab::Xml => &self.xml,
            Tab::Signature => &self.signature,
            Tab::Raw => &self.raw,
        }
    }

    /// Every key command, by panel (each row once, where it first appears), for the
    /// help overlay and docs/tui.md. The panels' footers show the same rows.
    pub(crate) fn all_commands() -> Vec<(&'static str, Vec<KeyCommand>)> {
        let panels: [(&'static str, &[KeyCommand]); 9] = [
            (s::HELP_GLOBAL, GLOBAL_COMMANDS),
            (s::PAYLOADS_TITLE, list::COMMANDS),
            (s::TAB_SUMMARY, summary::COMMANDS),
            (s::TAB_FINDINGS, findings::COMMANDS),
            (s::TAB_XML, xml_panel::COMMANDS),
            (s::TAB_SIGNATURE, signature::COMMANDS),
            (s::TAB_RAW, raw::COMMANDS),
            (s::HELP_TYPING, TYPING_COMMANDS),
            (s::HELP_OVERLAY, help::COMMANDS),
        ];
        let mut groups: Vec<(&'static str, Vec<KeyCommand>)> = Vec::new();
        for (title, rows) in panels {
            let cmds: Vec<KeyCommand> = rows
                .iter()
                .filter(|c| !groups.iter().any(|(_, g)| g.contains(c)))
                .copied()
                .collect();
            if !cmds.is_empty() {
                groups.push((title, cmds));
            }
        }
        groups
    }

    /// The commands of whatever has the keyboard, then the global ones.
    fn footer_commands(&self) -> Vec<KeyCommand> {
        let mut cmds = if self.help.open {
            self.help.commands()
        } else if self.paste.open {
            self.paste.commands()
        } else if self.filtering_list() {
            // Typed keys are the filter's (or the search's): no global key applies.
            self.list.commands()
        } else if self.searching_xml() {
            self.xml.commands()
        } else {
            let focused = match self.focus {
                Focus::List => self.list.commands(),
                Focus::Panel => self.panel().commands(),
            };
            let mut all = GLOBAL_COMMANDS.to_vec();
            all.extend(focused);
            all
        };
        cmds.retain(|c| c.footer);
        let mut seen = Vec::new();
        cmds.retain(|c| {
            let new = !seen.contains(c);
            seen.push(*c);
            new
        });
        cmds
    }

    /// A left click: on a tab title selects the tab, on a list row selects the
    /// payload; either way that side gets the focus.
    fn click(&mut self, column: u16, row: u16) {
        let at = Position::new(column, row);
        let (tabs, list) = (self.tabs_area.get(), self.list_area.get());
        if tabs.contains(at) {
            let mut x = tabs.x;
            for (i, t) in Tab::ALL.iter().enumerate() {
                let w = super::components::to_u16(tab_label(i, *t).chars().count());
                if column < x + w {
                    self.tab = *t;
                    self.focus = Focus::Panel;
                    return;
                }
                x += w;
            }
        } else if list.contains(at) {
            // The list's inner area starts one row and column inside its border.
            let row = usize::from(row.saturating_sub(list.y + 1));
            let shown = list::visible(&self.entries, &self.list.filter);
            self.focus = Focus::List;
            if row < usize::from(list.height.saturating_sub(2))
                && let Some(&index) = shown.get(self.list.offset() + row)
                && index != self.list.selected
            {
                self.list.selected = index;
                self.on_select_changed();
            }
        } else if self.panel_area.get().contains(at) {
            self.focus = Focus::Panel;
        }
    }

    fn filtering_list(&self) -> bool {
        !self.paste.open && self.focus == Focus::List && self.list.filtering
    }

    fn searching_xml(&self) -> bool {
        !self.paste.open && self.tab == Tab::Xml && self.focus == Focus::Panel && self.xml.searching
    }

    fn on_select_changed(&mut self) {
        // Whether the context keys are shown carries over from payload to payload.
        let context_keys = self.summary.context_keys;
        self.summary = SummaryPanel::default();
        self.summary.context_keys = context_keys;
        self.findings = FindingsPanel::default();
        self.xml = XmlPanel::default();
        self.signature = SignaturePanel::default();
        self.raw = RawPanel::default();
    }

    /// Applies one event. Returns the work the loop must start.
    pub(crate) fn update(&mut self, ev: AppEvent) -> Vec<Effect> {
        let mut effects = Vec::new();
        match ev {
            AppEvent::Resize => {}
            AppEvent::Tick => {
                if self.clock_mode && self.window_edge_passed() {
                    self.recheck(&mut effects);
                }
            }
            AppEvent::Checked(Checked { entries, select }) => {
                self.pending = self.pending.saturating_sub(1);
                let first_new = self.entries.len();
                let had_none = self.entries.is_empty();
                self.entries.extend(entries);
                if let Some(i) = self.reselect {
                    if i < self.entries.len() {
                        self.list.selected = i;
                        self.reselect = None;
                    } else if self.pending == 0 {
                        self.list.selected = self.entries.len().saturating_sub(1);
                        self.reselect = None;
                    }
                } else if (select || had_none) && first_new < self.entries.len() {
                    self.list.selected = first_new;
                    self.tab = Tab::Summary;
                    self.on_select_changed();
                }
            }
            AppEvent::Captured(payload) => {
                let job = Job::Captured {
                    index: self.captured,
                    payload,
                };
                self.send(job, &mut effects);
                self.captured += 1;
            }
            AppEvent::LiveStatus(text, problem) => self.live_status = Some((text, problem)),
            AppEvent::LiveEnded => self.quit = true,
            AppEvent::Mouse(m) => {
                if self.help.open || self.paste.open {
                    return effects;
                }
                // The wheel sends the up and down keys, wherever they are bound.
                let cmd = match m.kind {
                    MouseEventKind::ScrollUp => Cmd::Up,
                    MouseEventKind::ScrollDown => Cmd::Down,
                    MouseEventKind::Down(MouseButton::Left) => {
                        self.click(m.column, m.row);
                        return effects;
                    }
                    _ => return effects,
                };
                if let Some(key) = self.keys.first(cmd) {
                    self.on_key(key.event(), &mut effects);
                }
            }
            AppEvent::Paste(text) if self.filtering_list() => {
                self.list.handle_in(
                    &AppEvent::Paste(text),
                    &self.keys,
                    &self.entries,
                    &mut Vec::new(),
                );
                self.on_select_changed();
            }
            AppEvent::Paste(text) if self.searching_xml() => {
                let entry = self.entries.get(self.list.selected);
                self.xml
                    .handle(&AppEvent::Paste(text), &self.keys, entry, &mut Vec::new());
            }
            AppEvent::Paste(text) => {
                if !self.paste.open {
                    self.help.open = false;
                    self.paste.open = true;
                }
                let mut actions = Vec::new();
                self.paste
                    .handle(&AppEvent::Paste(text), &self.keys, None, &mut actions);
            }
            AppEvent::Key(k) => self.on_key(k, &mut effects),
        }
        effects
    }

    fn on_key(&mut self, k: KeyEvent, effects: &mut Vec<Effect>) {
        self.status = None;
        // Ctrl-C quits anywhere but text entry, where it cancels the entry.
        if self.keys.hit(Cmd::Interrupt, &k)
            && !self.paste.open
            && !self.searching_xml()
            && !self.filtering_list()
        {
            self.quit = true;
            return;
        }
        let ev = AppEvent::Key(k);
        let mut actions = Vec::new();
        let km = &self.keys;
        if self.help.open {
            if km.hit(Cmd::Quit, &k) {
                self.quit = true;
            } else {
                self.help.handle(&ev, km, None, &mut actions);
            }
        } else if self.paste.open {
            self.paste.handle(&ev, km, None, &mut actions);
        } else {
            let entry = self.entries.get(self.list.selected);
            let before = self.list.selected;
            let state = match self.focus {
                Focus::List => self.list.handle_in(&ev, km, &self.entries, &mut actions),
                Focus::Panel => match self.tab {
                    Tab::Summary => self.summary.handle(&ev, km, entry, &mut actions),
                    Tab::Findings => self.findings.handle(&ev, km, entry, &mut actions),
                    Tab::Xml => self.xml.handle(&ev, km, entry, &mut actions),
                    Tab::Signature => self.signature.handle(&ev, km, entry, &mut actions),
                    Tab::Raw => self.raw.handle(&ev, km, entry, &mut actions),
                },
            };
            if self.list.selected != before {
                self.on_select_changed();
            }
            if state == EventState::NotConsumed {
                self.global_key(&k, &mut actions);
            }
        }
        for a in actions {
            self.apply(a, effects);
        }
    }

    /// Sends a job (and keeps it for a re-check), evaluated at the current mode's time.
    fn send(&mut self, job: Job, effects: &mut Vec<Effect>) {
        self.jobs.push(job.clone());
        self.pending += 1;
        effects.push(Effect::Job(self.timed(job)));
    }

    /// Queues a job for the first time, before the loop starts.
    pub(crate) fn queue(&mut self, job: Job) -> Job {
        self.jobs.push(job.clone());
        self.pending += 1;
        self.timed(job)
    }

    fn timed(&self, job: Job) -> Job {
        let now = if self.clock_mode {
            NowMode::Clock
        } else if self.base_now == NowMode::Clock {
            NowMode::Capture
        } else {
            return job;
        };
        Job::WithNow {
            now,
            clock: self.now,
            job: Box::new(job),
        }
    }

    /// Removes a pasted entry, and its job so that a re-check does not bring it back.
    fn delete_paste(&mut self, i: usize) {
        if i >= self.entries.len() {
            return;
        }
        let source = self.entries.remove(i).source;
        self.jobs
            .retain(|j| !matches!(j, Job::Paste { source: s, .. } if *s == source));
        self.list.selected = i.min(self.entries.len().saturating_sub(1));
        self.on_select_changed();
    }

    /// The next (`forward`) or previous failing payload after the selection, wrapping,
    /// among those the filter shows.
    fn next_failing(&mut self, forward: bool) {
        let shown = list::visible(&self.entries, &self.list.filter);
        let n = shown.len();
        let at = shown
            .iter()
            .position(|&i| i == self.list.selected)
            .unwrap_or(0);
        let failing =
            |i: usize| matches!(self.entries[i].verdict(), Verdict::Fail | Verdict::Error);
        let found = (1..=n)
            .map(|d| {
                if forward {
                    shown[(at + d) % n]
                } else {
                    shown[(at + n - d) % n]
                }
            })
            .find(|&i| i != self.list.selected && failing(i));
        if let Some(i) = found {
            self.list.selected = i;
            self.on_select_changed();
        }
    }

    /// Checks every input again (the time to evaluate at changed), keeping the
    /// selection.
    fn recheck(&mut self, effects: &mut Vec<Effect>) {
        self.reselect = Some(self.list.selected);
        self.entries.clear();
        self.evaluated_at = self.now;
        for job in self.jobs.clone() {
            self.pending += 1;
            effects.push(Effect::Job(self.timed(job)));
        }
    }

    /// Whether the clock passed the edge of a validity window (with the skew) since
    /// the verdicts were evaluated, so one of them may have changed.
    fn window_edge_passed(&self) -> bool {
        let (from, to) = (self.evaluated_at, self.now);
        self.entries.iter().any(|e| {
            let edges = [
                e.not_on_or_after.map(|t| t + self.skew),
                e.not_before.map(|t| t - self.skew),
            ];
            edges.into_iter().flatten().any(|t| from < t && t <= to)
        })
    }

    fn global_key(&mut self, k: &KeyEvent, actions: &mut Vec<Action>) {
        let km = &self.keys;
        if km.hit(Cmd::Quit, k) {
            self.quit = true;
        } else if km.hit(Cmd::NextFailing, k) {
            self.next_failing(true);
        } else if km.hit(Cmd::PrevFailing, k) {
            self.next_failing(false);
        } else if km.hit(Cmd::Clock, k) {
            self.clock_mode = !self.clock_mode;
            actions.push(Action::Recheck);
        } else if km.hit(Cmd::Help, k) {
            self.help.open = true;
            self.help.scroll.reset();
        } else if km.hit(Cmd::Paste, k) {
            self.paste.open = true;
        } else if km.hit(Cmd::NextTab, k) {
            self.tab = self.tab.step(1);
        } else if km.hit(Cmd::PrevTab, k) {
            self.tab = self.tab.step(-1);
        } else if let Some(&(_, tab)) = TAB_KEYS.iter().find(|(c, _)| km.hit(*c, k)) {
            self.tab = tab;
            self.focus = Focus::Panel;
        } else if km.hit(Cmd::FocusList, k) {
            self.focus = Focus::List;
        } else if km.hit(Cmd::FocusPanel, k) || (km.hit(Cmd::Open, k) && self.focus == Focus::List)
        {
            self.focus = Focus::Panel;
        } else if km.hit(Cmd::Copy, k) {
            // Panels without a value of their own copy the payload's source.
            if let Some(e) = self.selected() {
                actions.push(Action::Copy(e.source.clone()));
            }
        }
    }

    fn apply(&mut self, action: Action, effects: &mut Vec<Effect>) {
        match action {
            Action::JumpToXml(line) => {
                self.tab = Tab::Xml;
                self.focus = Focus::Panel;
                self.xml.jump(line, self.entries.get(self.list.selected));
            }
            Action::Status(text) => self.status = Some(text),
            Action::Recheck => self.recheck(effects),
            Action::DeleteEntry(i) => self.delete_paste(i),
            Action::Copy(text) => {
                self.status = Some(s::COPIED.to_owned());
                effects.push(Effect::Copy(text));
            }
            Action::Submit(text) => {
                self.pasted += 1;
                let job = Job::Paste {
                    text,
                    source: format!("{} {}", s::PASTE_SOURCE, self.pasted),
                };
                self.send(job, effects);
            }
        }
    }

    /// Draws the whole screen. Reads state only.
    pub(crate) fn draw(&self, f: &mut Frame<'_>) {
        self.draw_screen(f);
        if self.no_color {
            // Keep bold, reverse and the like; drop the colours.
            for cell in &mut f.buffer_mut().content {
                cell.fg = ratatui::style::Color::Reset;
                cell.bg = ratatui::style::Color::Reset;
            }
        }
    }

    fn draw_screen(&self, f: &mut Frame<'_>) {
        let area = f.area();
        let [body, footer] =
            Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(area);
        // The list grows with the terminal: a third of it, 28 to 60 columns.
        let list_width = (area.width / 3).clamp(28, 60);
        let [header, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(body);
        let [name, tabs] =
            Layout::horizontal([Constraint::Length(list_width), Constraint::Min(0)]).areas(header);
        let [left, panel] =
            Layout::horizontal([Constraint::Length(list_width), Constraint::Min(0)]).areas(body);
        f.render_widget(
            Paragraph::new(Span::styled(format!(" {}", s::APP_TITLE), theme::title())),
            name,
        );
        self.tabs_area.set(tabs);
        self.list_area.set(left);
        self.panel_area.set(panel);
        let entry = self.selected();
        let finding_line =
            entry.and_then(|e| e.finding_lines.get(self.findings.cursor).copied().flatten());
        let list_cx = DrawCx {
            entry,
            entries: &self.entries,
            selected: self.list.selected,
            now: self.now,
            focused: self.focus == Focus::List,
            finding_line,
            pending: self.pending,
            clock_mode: self.clock_mode,
            keys: &self.keys,
        };
        self.list.draw(f, left, &list_cx);
        self.draw_tabs(f, tabs);
        let panel_cx = DrawCx {
            focused: self.focus == Focus::Panel,
            ..list_cx
        };
        self.panel().draw(f, panel, &panel_cx);
        self.draw_footer(f, footer);
        if self.paste.open {
            self.paste.draw(f, area, &panel_cx);
        }
        if self.help.open {
            self.help
                .draw_help(f, area, &Self::all_commands(), &self.keys);
        }
    }

    fn draw_tabs(&self, f: &mut Frame<'_>, area: Rect) {
        let mut spans = Vec::new();
        for (i, t) in Tab::ALL.iter().enumerate() {
            let label = tab_label(i, *t);
            let style = if *t == self.tab {
                theme::tab_active()
            } else {
                theme::dim()
            };
            spans.push(Span::styled(label, style));
        }
        f.render_widget(Paragraph::new(Line::from(spans)), area);
    }

    fn draw_footer(&self, f: &mut Frame<'_>, area: Rect) {
        let mut spans = Vec::new();
        if let Some((text, problem)) = &self.live_status {
            let style = if *problem { theme::bad() } else { theme::dim() };
            spans.push(Span::styled(format!(" {text} "), style));
        }
        if let Some(status) = &self.status {
            spans.push(Span::styled(format!(" {status} "), theme::ok()));
        }
        for c in self.footer_commands() {
            let label = self.keys.label(&c);
            if label.is_empty() {
                continue;
            }
            spans.push(Span::styled(format!(" {label}"), theme::key()));
            spans.push(Span::raw(format!(" {} ", c.desc)));
        }
        f.render_widget(Paragraph::new(Line::from(spans)), area);
    }
}
