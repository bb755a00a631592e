//! Signature: the verifier's verdict per signature (references, algorithms, digest
//! and signature results, key and certificate), or what the document declares when
//! no verifier ran.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::summary::signature_words;
use super::{Action, Component, DrawCx, EventState, Scroll, draw_entry_lines};
use crate::report::text::{elide, sanitize};
use crate::tui::entry::Entry;
use crate::tui::event::AppEvent;
use crate::tui::keys::{self, KeyCommand, Keymap};
use crate::tui::strings as s;
use crate::tui::theme;

/// The Signature tab's rows for the footer and the help overlay.
pub(crate) const COMMANDS: &[KeyCommand] = &[keys::MOVE, keys::PAGE, keys::TOP_BOTTOM];

#[derive(Debug, Default)]
pub(crate) struct SignaturePanel {
    scroll: Scroll,
}

fn kv<'a>(name: &'a str, value: Option<&str>) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!("  {name:<14}"), theme::label()),
        Span::raw(value.map_or_else(|| s::MISSING.to_owned(), |v| elide(&sanitize(v)))),
    ])
}

fn verdict(ok: Option<bool>) -> &'static str {
    match ok {
        Some(true) => s::CHECK_OK,
        Some(false) => s::CHECK_FAILED,
        None => s::CHECK_NOT_EVALUATED,
    }
}

pub(crate) fn lines(e: &Entry) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let (words, style) = signature_words(e);
    out.push(Line::from(vec![
        Span::styled(format!("{:<16}", s::SIG_STATUS), theme::label()),
        Span::styled(words, style),
    ]));
    if let Some(sig) = e.payload.as_ref().and_then(|p| p.signature.as_ref()) {
        out.push(Line::from(vec![
            Span::styled(format!("{:<16}", s::SIG_ENGINE), theme::label()),
            Span::raw(sig.engine),
        ]));
        for (i, d) in sig.signatures.iter().enumerate() {
            out.push(Line::raw(""));
            out.push(Line::styled(
                s::signature_covers(i + 1, &sanitize(&d.covers)),
                theme::title(),
            ));
            out.push(kv(s::SIG_ID, d.id.as_deref()));
            out.push(kv(s::SIG_PATH, Some(&d.path)));
            out.push(kv(s::SIG_ALGORITHM, d.algorithm.as_deref()));
            out.push(kv(s::SIG_C14N, d.c14n.as_deref()));
            out.push(kv(s::SIG_DIGEST_METHOD, d.digest_algorithm.as_deref()));
            out.push(kv(s::SIG_DIGEST, Some(verdict(d.digest_ok))));
            out.push(kv(s::SIG_SIGNATURE, Some(verdict(d.signature_ok))));
            out.push(kv(s::SIG_TRUSTED_KEY, d.trusted_key.as_deref()));
            out.push(kv(s::SIG_TRUST_ENTRY, d.trust_entry.as_deref()));
            if let Some(c) = &d.certificate {
                out.push(kv(s::CERT_SUBJECT, Some(&c.subject)));
                out.push(kv(s::CERT_ISSUER, Some(&c.issuer)));
                out.push(kv(s::CERT_SERIAL, Some(&c.serial)));
                out.push(kv(s::CERT_NOT_BEFORE, Some(&c.not_before)));
                out.push(kv(s::CERT_NOT_AFTER, Some(&c.not_after)));
                out.push(kv(s::CERT_SHA256, Some(&c.sha256)));
            }
        }
        return out;
    }
    out.push(Line::raw(""));
    if e.declared.is_empty() {
        out.push(Line::styled(s::SIG_NONE_IN_XML, theme::dim()));
        return out;
    }
    out.push(Line::styled(s::SIG_FROM_XML, theme::dim()));
    for (i, d) in e.declared.iter().enumerate() {
        out.push(Line::raw(""));
        out.push(Line::styled(
            s::signature_in(i + 1, &d.parent),
            theme::title(),
        ));
        out.push(kv(s::SIG_PARENT_ID, d.parent_id.as_deref()));
        out.push(kv(s::SIG_REFERENCE_URI, d.reference.as_deref()));
        out.push(kv(s::SIG_C14N, d.c14n.as_deref()));
        out.push(kv(s::SIG_ALGORITHM, d.signature_method.as_deref()));
        out.push(kv(s::SIG_DIGEST_METHOD, d.digest_method.as_deref()));
        out.push(kv(
            s::SIG_CERTIFICATE,
            Some(if d.has_certificate {
                s::CERT_EMBEDDED
            } else {
                s::CERT_NONE
            }),
        ));
    }
    out
}

impl Component for SignaturePanel {
    fn draw(&self, f: &mut Frame<'_>, area: Rect, cx: &DrawCx<'_>) {
        draw_entry_lines(f, area, cx, &self.scroll, |e, _| lines(e));
    }

    fn handle(
        &mut self,
        ev: &AppEvent,
        km: &Keymap,
        _entry: Option<&Entry>,
        _actions: &mut Vec<Action>,
    ) -> EventState {
        match ev {
            AppEvent::Key(k) => self.scroll.key(km, k),
            _ => EventState::NotConsumed,
        }
    }

    fn commands(&self) -> Vec<KeyCommand> {
        COMMANDS.to_vec()
    }
}
