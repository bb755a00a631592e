//! Raw: where the payload came from, each decode step, decoder notes, and the decoded
//! text as it was.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::{Action, Component, DrawCx, EventState, Scroll, draw_entry_lines};
use crate::decode::Step;
use crate::input::{Binding, OriginKind};
use crate::report::text::sanitize;
use crate::tui::entry::Entry;
use crate::tui::event::AppEvent;
use crate::tui::keys::{self, Cmd, KeyCommand, Keymap};
use crate::tui::strings as s;
use crate::tui::theme;

/// The Raw tab's rows for the footer and the help overlay.
pub(crate) const COMMANDS: &[KeyCommand] = &[keys::MOVE, keys::PAGE, keys::TOP_BOTTOM, keys::COPY];

#[derive(Debug, Default)]
pub(crate) struct RawPanel {
    scroll: Scroll,
}

fn step_words(step: Step) -> &'static str {
    match step {
        Step::Url => s::STEP_URL,
        Step::Base64 => s::STEP_BASE64,
        Step::Inflate => s::STEP_INFLATE,
        Step::Utf8 => s::STEP_UTF8,
    }
}

pub(crate) fn lines(e: &Entry) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let Some(p) = &e.payload else {
        out.push(Line::raw(sanitize(&e.source)));
        if let Some(err) = &e.error {
            out.push(Line::styled(sanitize(err), theme::bad()));
        }
        for n in &e.notes {
            out.push(Line::raw(format!("  {n}")));
        }
        return out;
    };
    let kind = match p.origin.kind {
        OriginKind::File => s::ORIGIN_FILE,
        OriginKind::Stdin => s::ORIGIN_STDIN,
        OriginKind::Har => s::ORIGIN_HAR,
        OriginKind::Tracer => s::ORIGIN_TRACER,
        OriginKind::Proxy => s::ORIGIN_PROXY,
        OriginKind::Paste => s::ORIGIN_PASTE,
    };
    let field = |name: &'static str, value: String| {
        Line::from(vec![
            Span::styled(format!("{name:<14}"), theme::label()),
            Span::raw(value),
        ])
    };
    out.push(field(
        s::RAW_ORIGIN,
        format!("{kind} · {}", sanitize(&e.source)),
    ));
    if let Some(n) = p.origin.entry {
        out.push(field(s::RAW_ENTRY, n.to_string()));
    }
    if p.origin.method.is_some() || p.origin.url.is_some() {
        out.push(field(
            s::RAW_REQUEST,
            format!(
                "{} {}",
                sanitize(p.origin.method.as_deref().unwrap_or("")),
                sanitize(p.origin.url.as_deref().unwrap_or(""))
            )
            .trim()
            .to_owned(),
        ));
    }
    if let Some(t) = p.origin.time {
        out.push(field(
            s::RAW_CAPTURED,
            t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
        ));
    }
    let binding = match p.binding {
        Binding::Post => s::BINDING_POST,
        Binding::Redirect => s::BINDING_REDIRECT,
        Binding::Soap => "SOAP",
        Binding::Unknown => s::BINDING_UNKNOWN,
    };
    let param = p.param.map_or("", |x| x.name());
    out.push(field(s::RAW_BINDING, format!("{binding} {param}")));
    out.push(Line::styled(s::RAW_STEPS, theme::label()));
    if p.document.is_none() {
        out.push(Line::raw(format!("  {}", s::RAW_NOT_DECODED)));
    } else if p.decoded.is_empty() {
        out.push(Line::raw(format!("  {}", s::RAW_AS_GIVEN)));
    }
    for (i, step) in p.decoded.iter().enumerate() {
        out.push(Line::raw(format!("  {}. {}", i + 1, step_words(*step))));
    }
    if let Some(d) = &p.document {
        out.push(Line::raw(s::decoded_bytes(d.text.len())));
    }
    if !p.decode_notes.is_empty() || !e.notes.is_empty() {
        out.push(Line::styled(s::RAW_NOTES, theme::label()));
        for n in &e.notes {
            out.push(Line::raw(format!("  {n}")));
        }
        for n in &p.decode_notes {
            out.push(Line::raw(format!("  {}", sanitize(n))));
        }
    }
    out.push(Line::styled(s::RAW_TEXT, theme::label()));
    out.extend(
        e.raw_lines
            .iter()
            .map(|l| Line::styled(l.as_str(), theme::dim())),
    );
    out
}

impl Component for RawPanel {
    fn draw(&self, f: &mut Frame<'_>, area: Rect, cx: &DrawCx<'_>) {
        draw_entry_lines(f, area, cx, &self.scroll, |e, _| lines(e));
    }

    fn handle(
        &mut self,
        ev: &AppEvent,
        km: &Keymap,
        entry: Option<&Entry>,
        actions: &mut Vec<Action>,
    ) -> EventState {
        if let AppEvent::Key(k) = ev
            && km.hit(Cmd::Copy, k)
            && let Some(d) = entry.and_then(|e| e.payload.as_ref()?.document.as_ref())
        {
            actions.push(Action::Copy(d.text.clone()));
            return EventState::Consumed;
        }
        match ev {
            AppEvent::Key(k) => self.scroll.key(km, k),
            _ => EventState::NotConsumed,
        }
    }

    fn commands(&self) -> Vec<KeyCommand> {
        COMMANDS.to_vec()
    }
}
