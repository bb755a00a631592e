//! The paste box (`p`): takes a bracketed paste (newlines kept) or typed text; Enter
//! submits, Esc cancels.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::help::centered;
use super::{Action, Component, DrawCx, EventState, panel_block, to_u16};
use crate::report::text::sanitize;
use crate::tui::entry::Entry;
use crate::tui::event::AppEvent;
use crate::tui::keys::{self, Cmd, KeyCommand, Keymap};
use crate::tui::strings as s;
use crate::tui::theme;

/// The paste box's footer (text entry: fixed keys; the help overlay lists them under
/// "Typing").
pub(crate) const COMMANDS: &[KeyCommand] = &[keys::SUBMIT, keys::CANCEL_ENTRY];

#[derive(Debug, Default)]
pub(crate) struct PastePopup {
    pub open: bool,
    pub text: String,
}

impl Component for PastePopup {
    fn draw(&self, f: &mut Frame<'_>, area: Rect, cx: &DrawCx<'_>) {
        let w = area.width.saturating_sub(4).max(20);
        let h = area.height.saturating_sub(4).clamp(5, 14);
        let rect = centered(area, w, h);
        f.render_widget(Clear, rect);
        let block = panel_block(s::PASTE_TITLE, true);
        let inner = block.inner(rect);
        f.render_widget(block, rect);
        let lines: Vec<Line<'_>> = self
            .text
            .split('\n')
            .map(|l| Line::raw(sanitize(l)))
            .collect();
        let count = format!(
            "{} · {}, {}",
            s::paste_hint(
                &cx.keys.label(&keys::SUBMIT),
                &cx.keys.label(&keys::CANCEL_ENTRY)
            ),
            crate::report::text::count(self.text.len(), "byte", "bytes"),
            crate::report::text::count(self.text.lines().count(), "line", "lines")
        );
        let body_h = inner.height.saturating_sub(1);
        // Show the end of a long paste, counted in wrapped rows.
        let para = Paragraph::new(lines).wrap(Wrap { trim: false });
        let rows = para.line_count(inner.width);
        let scroll = rows.saturating_sub(usize::from(body_h));
        f.render_widget(
            para.scroll((to_u16(scroll), 0)),
            Rect {
                height: body_h,
                ..inner
            },
        );
        f.render_widget(
            Paragraph::new(count).style(theme::dim()),
            Rect {
                y: inner.y + body_h,
                height: 1,
                ..inner
            },
        );
    }

    fn handle(
        &mut self,
        ev: &AppEvent,
        km: &Keymap,
        _entry: Option<&Entry>,
        actions: &mut Vec<Action>,
    ) -> EventState {
        match ev {
            AppEvent::Paste(p) => {
                self.text
                    .push_str(&p.replace("\r\n", "\n").replace('\r', "\n"));
            }
            AppEvent::Key(k) => {
                // Text entry keeps Ctrl-C: it cancels the entry, as Esc does.
                if km.hit(Cmd::Cancel, k) {
                    self.open = false;
                    self.text.clear();
                } else if km.hit(Cmd::Submit, k) {
                    if !self.text.trim().is_empty() {
                        actions.push(Action::Submit(std::mem::take(&mut self.text)));
                    }
                    self.open = false;
                } else if km.hit(Cmd::DeleteChar, k) {
                    self.text.pop();
                } else if km.hit(Cmd::ClearText, k) {
                    self.text.clear();
                } else if let Some(c) = keys::typed(k) {
                    self.text.push(c);
                }
            }
            _ => return EventState::NotConsumed,
        }
        EventState::Consumed
    }

    fn commands(&self) -> Vec<KeyCommand> {
        COMMANDS.to_vec()
    }
}
