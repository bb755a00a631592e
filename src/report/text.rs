//! `--format text`: a short summary per payload, then rustc-style findings with the
//! decoded XML line, a caret under the offending value, the AWS error and the fix.

use std::fmt::Write as _;
use std::io;

use super::Part;
use super::model::{InputReport, PayloadReport, RenderOptions, SourceText, Totals};
use crate::decode::Step;
use crate::input::{Binding, Container, OriginKind};
use crate::lint::{Finding, Idp, IdpKind, Severity};
use crate::saml::request::RequestSummary;

/// Characters of a long line shown around the caret (Okta sends one-line XML).
const WINDOW: usize = 100;
const LEAD: usize = 30;

struct Style {
    color: bool,
    /// `--show-context-keys`.
    context_keys: bool,
    /// Columns available, when known (a terminal).
    width: Option<usize>,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }

    fn severity(&self, sev: Severity) -> String {
        match sev {
            Severity::Error => self.paint("1;31", "error"),
            Severity::Warning => self.paint("1;33", "warning"),
            Severity::Info => self.paint("1;36", "info"),
        }
    }

    fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }

    fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }
}

/// Replaces control characters from the input so that nothing read from a payload
/// can drive the terminal.
pub(crate) fn sanitize(s: &str) -> String {
    if !s.chars().any(char::is_control) {
        return s.to_owned();
    }
    s.chars()
        .map(|c| match c {
            '\t' => " ".to_owned(),
            c if c.is_control() => c.escape_unicode().to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// `1 error`, `2 errors`.
pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Words longer than this are elided in the middle.
const LONG_WORD: usize = 120;
/// Characters kept on each side of an elided word.
const KEEP: usize = 40;

/// Elides every word (a run without spaces) longer than [`LONG_WORD`] characters in
/// the middle, naming its length: a 60,000-character attribute value stays one
/// readable line. JSON and the other machine formats keep values whole.
pub(crate) fn elide(s: &str) -> String {
    if s.len() <= LONG_WORD {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len().min(1024));
    let mut rest = s;
    // Words end at spaces and quotes, so a quoted value counts its own characters.
    while let Some(end) = rest.find([' ', '"']) {
        push_word(&rest[..end], &mut out);
        out.push_str(&rest[end..=end]);
        rest = &rest[end + 1..];
    }
    push_word(rest, &mut out);
    out
}

fn push_word(word: &str, out: &mut String) {
    let n = word.chars().count();
    if n <= LONG_WORD {
        out.push_str(word);
        return;
    }
    out.extend(word.chars().take(KEEP));
    let _ = write!(out, "…[{} chars]…", group(n));
    out.extend(word.chars().skip(n - KEEP));
}

/// One input: its head line, notes, findings and payloads.
pub(super) fn part(input: &InputReport, opts: RenderOptions) -> Part {
    let mut buf = String::new();
    let st = Style {
        color: opts.color,
        context_keys: opts.show_context_keys,
        width: opts.width,
    };
    render_input(&st, input, &mut buf);
    Part {
        body: buf.into_bytes(),
        ..Part::default()
    }
}

/// Writes every input, then the totals line.
///
/// # Errors
/// Errors of the writer.
pub(super) fn write(
    parts: &[Part],
    t: &Totals,
    opts: RenderOptions,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let st = Style {
        color: opts.color,
        context_keys: false,
        width: opts.width,
    };
    for part in parts {
        out.write_all(&part.body)?;
    }
    let plural = count;
    writeln!(
        out,
        "{}",
        st.bold(&format!(
            "{}, {}: {}, {}, {}{}",
            plural(t.inputs, "input", "inputs"),
            plural(t.payloads, "payload", "payloads"),
            plural(t.errors, "error", "errors"),
            plural(t.warnings, "warning", "warnings"),
            plural(t.infos, "info", "infos"),
            if t.unreadable > 0 {
                format!(", {} unreadable", t.unreadable)
            } else {
                String::new()
            }
        ))
    )
}

fn render_input(st: &Style, input: &InputReport, out: &mut String) {
    let mut head = st.bold(&sanitize(&input.source));
    if let (Some(c), Some(s)) = (input.container, input.stats) {
        let kind = match c {
            Container::Har => "HAR",
            Container::Tracer => "SAML-tracer export",
            Container::Html => "HTML page",
            Container::Text | Container::Empty => "file",
        };
        let _ = write!(
            head,
            " ({kind}: {} entries, {} with SAML, {} undecodable)",
            s.entries,
            s.with_saml,
            input.undecodable()
        );
    }
    let _ = writeln!(out, "{head}");
    if let Some(e) = &input.error {
        let _ = writeln!(
            out,
            "  {}: {}",
            st.severity(Severity::Error),
            elide(&sanitize(e))
        );
    }
    for n in &input.notes {
        let _ = writeln!(out, "  {} {}", st.dim("note:"), elide(&sanitize(n)));
    }
    for f in &input.findings {
        render_finding(st, input, None, f, out);
    }
    for p in &input.payloads {
        render_payload(st, input, p, out);
    }
}

fn describe_origin(p: &PayloadReport) -> String {
    let mut parts = Vec::new();
    match p.origin.kind {
        OriginKind::Har => parts.push(format!("entry {}", p.origin.entry.unwrap_or(0))),
        OriginKind::Tracer => parts.push(format!("request {}", p.origin.entry.unwrap_or(0))),
        OriginKind::Stdin => parts.push("stdin".to_owned()),
        OriginKind::Paste => parts.push("paste".to_owned()),
        OriginKind::Proxy => parts.push("proxy".to_owned()),
        OriginKind::File => {}
    }
    if let Some(form) = p.origin.form_description() {
        // The action is the URL; the entry is named in the phrase.
        parts.clear();
        parts.push(sanitize(&form));
    } else {
        match (&p.origin.method, &p.origin.url) {
            (Some(m), Some(u)) => parts.push(format!("{m} {}", sanitize(&short_url(u)))),
            (None, Some(u)) => parts.push(sanitize(&short_url(u))),
            (Some(m), None) => parts.push(m.clone()),
            (None, None) => {}
        }
    }
    if let Some(t) = p.origin.time {
        parts.push(t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true));
    }
    match p.binding {
        Binding::Post => parts.push("POST binding".to_owned()),
        Binding::Redirect => parts.push("Redirect binding".to_owned()),
        Binding::Soap => parts.push("SOAP binding".to_owned()),
        Binding::Unknown => {}
    }
    parts.join(" · ")
}

/// "AD FS (Issuer http://…/adfs/services/trust)"; the generic fixes otherwise.
fn describe_idp(idp: &Idp) -> String {
    match (idp.kind, idp.reason.is_empty()) {
        (IdpKind::Other, true) => "not recognised: fixes name no IdP product".to_owned(),
        (IdpKind::Other, false) => {
            format!("not recognised ({}): fixes name no IdP product", idp.reason)
        }
        (kind, _) => format!("{} ({})", kind.name(), idp.reason),
    }
}

/// A URL for the payload header: a long query string (a Redirect binding's encoded
/// SAMLRequest) is cut, the decoded message is shown below anyway.
fn short_url(url: &str) -> String {
    const KEEP: usize = 100;
    match url.split_once('?') {
        Some((base, query)) if url.len() > KEEP => {
            let name = query.split('=').next().unwrap_or("");
            format!("{base}?{name}=…")
        }
        _ => url.to_owned(),
    }
}

fn describe_steps(p: &PayloadReport) -> String {
    let steps: Vec<&str> = p
        .decoded
        .iter()
        .map(|s| match s {
            Step::Url => "url-decoded",
            Step::Base64 => "base64-decoded",
            Step::Inflate => "inflated",
            Step::Utf8 => "utf8",
        })
        .filter(|s| *s != "utf8")
        .collect();
    let size = p.document.as_ref().map(|d| d.text.len());
    let what = if p.is_saml || p.request.is_some() {
        "of XML"
    } else {
        "of text"
    };
    match (steps.is_empty(), size) {
        (true, Some(n)) => format!("{} bytes {what} as given", group(n)),
        (false, Some(n)) => format!("{} → {} bytes {what}", steps.join(", "), group(n)),
        (_, None) => "not decoded".to_owned(),
    }
}

/// `9412` → `9,412`.
pub(crate) fn group(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn render_payload(st: &Style, input: &InputReport, p: &PayloadReport, out: &mut String) {
    let origin = describe_origin(p);
    let _ = writeln!(
        out,
        "  {} {}{}",
        st.bold(&format!("#{}", p.index)),
        if origin.is_empty() {
            String::new()
        } else {
            format!("{origin} · ")
        },
        describe_steps(p)
    );
    for n in &p.decode_notes {
        let _ = writeln!(out, "     {} {}", st.dim("note:"), elide(&sanitize(n)));
    }
    // Pad before painting: escape codes take no columns.
    let row = |out: &mut String, k: &str, v: &str| {
        let _ = writeln!(
            out,
            "     {} {}",
            st.dim(&format!("{k:<10}")),
            elide(&sanitize(v))
        );
    };
    if let Some(r) = &p.request {
        render_request(r, &mut |k, v| row(out, k, v));
    }
    if let Some(profile) = p.profile {
        let reason = p.profile_reason.as_deref().unwrap_or("");
        row(out, "profile", &format!("{} ({reason})", profile.as_str()));
    }
    if let Some(s) = &p.summary {
        if let Some(v) = &s.issuer {
            row(out, "issuer", v);
        }
        row(out, "idp", &describe_idp(&p.idp));
        if let Some(v) = &s.subject {
            row(out, "subject", v);
        }
        for (i, r) in s.roles.iter().enumerate() {
            let k = if i == 0 { "roles" } else { "" };
            let pair = match (r.role.is_empty(), r.provider.is_empty()) {
                (false, false) => format!("{}  via {}", r.role, r.provider),
                (false, true) => format!("{}  (malformed pair: no provider ARN)", r.role),
                (true, false) => format!("{}  (malformed pair: no role ARN)", r.provider),
                (true, true) => "(malformed pair: empty)".to_owned(),
            };
            row(out, k, &pair);
            let sts = p.aws.as_ref().and_then(|a| {
                a.roles
                    .iter()
                    .find(|o| o.role_arn == r.role && o.provider_arn == r.provider)
            });
            if let Some(o) = sts {
                row(out, "", &format!("  STS: {}", o.describe()));
            }
        }
        if let Some(v) = &s.session_name {
            let dur = s
                .session_duration
                .as_deref()
                .map_or(String::new(), |d| format!(" for {d}s"));
            row(out, "session", &format!("{v}{dur}"));
        }
        if s.not_before.is_some() || s.not_on_or_after.is_some() {
            let now = p.now.map_or(String::new(), |n| {
                format!(
                    " (now {}, {})",
                    n.at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
                    n.source.describe()
                )
            });
            row(
                out,
                "valid",
                &format!(
                    "{} → {}{now}",
                    s.not_before.as_deref().unwrap_or("?"),
                    s.not_on_or_after.as_deref().unwrap_or("?")
                ),
            );
        }
    }
    if let Some(a) = p.aws.as_ref().filter(|_| st.context_keys) {
        for (i, (k, v)) in a.context_keys.iter().enumerate() {
            let head = if i == 0 { "context" } else { "" };
            row(out, head, &format!("{k} = {}", v.join(", ")));
        }
    }
    if p.is_saml {
        let sig = match &p.signature {
            Some(r) => {
                let first = r.signatures.iter().find(|d| d.signature_ok == Some(true));
                match first {
                    Some(d) => format!(
                        "{} ({}, {}{})",
                        r.status.as_str(),
                        d.algorithm.as_deref().unwrap_or("?"),
                        d.covers,
                        d.trusted_key
                            .as_deref()
                            .map_or(String::new(), |k| format!(", key {k}"))
                    ),
                    None => r.status.as_str().to_owned(),
                }
            }
            None => "not checked".to_owned(),
        };
        row(out, "signature", &sig);
    }
    for f in &p.findings {
        render_finding(st, input, Some(p), f, out);
    }
}

/// The rows of a request's summary: what the SP asked the IdP for.
fn render_request(r: &RequestSummary, row: &mut dyn FnMut(&str, &str)) {
    row(
        "request",
        &format!(
            "{} {}",
            r.kind,
            r.id.as_deref()
                .map_or_else(|| "without ID".to_owned(), |id| format!("ID {id}"))
        ),
    );
    if let Some(v) = &r.issuer {
        row("sp", v);
    }
    if let Some(v) = &r.acs_url {
        let binding = r
            .protocol_binding
            .as_deref()
            .map(|b| b.rsplit(':').next().unwrap_or(b))
            .map_or_else(String::new, |b| format!(" ({b})"));
        row("acs", &format!("{v}{binding}"));
    }
    if let Some(v) = &r.nameid_format {
        row("nameid", &format!("{v} requested"));
    }
    let signed = match (&r.sig_alg, r.redirect_signature, r.signed_xml) {
        (Some(alg), true, _) => format!("Redirect signature, SigAlg {alg}"),
        (Some(alg), false, _) => format!("SigAlg {alg} without a Signature parameter"),
        (None, true, _) => "Redirect Signature parameter without SigAlg".to_owned(),
        (None, false, true) => "enveloped XML signature".to_owned(),
        (None, false, false) => "unsigned".to_owned(),
    };
    row("signed", &signed);
}

/// Renders the findings of one payload (for commands that print their own header,
/// such as `samlint metadata`).
pub(crate) fn render_payload_findings(
    input: &InputReport,
    p: &PayloadReport,
    opts: &RenderOptions,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let st = Style {
        color: opts.color,
        context_keys: false,
        width: opts.width,
    };
    let mut buf = String::new();
    for f in &p.findings {
        render_finding(&st, input, Some(p), f, &mut buf);
    }
    out.write_all(buf.as_bytes())
}

fn render_finding(
    st: &Style,
    input: &InputReport,
    p: Option<&PayloadReport>,
    f: &Finding,
    out: &mut String,
) {
    let _ = writeln!(
        out,
        "{}{} {}",
        st.severity(f.severity),
        st.bold(&format!("[{}] {}:", f.rule.code, f.rule.id)),
        elide(&sanitize(&f.message))
    );
    let doc = p.and_then(|p| p.document.as_ref());
    let mut at = format!("  --> {}", sanitize(&input.source));
    if let Some(p) = p {
        let _ = write!(at, " #{}", p.index);
    }
    let loc = f
        .primary
        .as_ref()
        .and_then(|l| doc.map(|d| (l, d.line_col(l.span))));
    if let Some((_, lc)) = loc {
        let _ = write!(at, ":{}:{}", lc.line, lc.column);
    }
    let _ = writeln!(out, "{}", st.dim(&at));
    if let (Some((label, _)), Some(doc)) = (loc, doc) {
        snippet(st, doc, label.span, &label.label, out);
    }
    for r in &f.related {
        if let Some(doc) = doc {
            snippet(st, doc, r.span, &r.label, out);
        }
    }
    let note = |out: &mut String, k: &str, v: &str| {
        if !v.is_empty() {
            let _ = writeln!(out, "   {} {k}: {}", st.dim("="), sanitize(v));
        }
    };
    note(out, "AWS error", f.aws_error_text());
    if let Some(fix) = f.idp_fix(input.idp_of(p).kind) {
        note(out, &format!("fix ({})", fix.label()), fix.text);
    }
    note(out, "fix (AWS)", f.aws_fix());
    note(out, "fix (capture)", f.capture_fix.as_deref().unwrap_or(""));
    out.push('\n');
}

/// The source line of a span, cut to a window of [`WINDOW`] characters around it.
/// Only the window is read: a one-line document of megabytes with thousands of
/// findings costs a window per finding, not the line.
fn snippet(st: &Style, doc: &SourceText, span: crate::xml::Span, label: &str, out: &mut String) {
    let lc = doc.line_col(span);
    let line_span = doc.lines.line_span(&doc.text, lc.line);
    let line = doc.text.get(line_span.start..line_span.end).unwrap_or("");
    let col = lc.column - 1;
    // On a terminal the snippet fits its width (` N | …text…`); else 100 characters.
    let gutter_w = lc.line.to_string().len();
    let window = st
        .width
        .map_or(WINDOW, |w| w.saturating_sub(gutter_w + 6).max(20));
    let lead = if window == WINDOW {
        LEAD
    } else {
        window * 3 / 10
    };
    let long = line.chars().nth(window).is_some();
    let from = if long { col.saturating_sub(lead) } else { 0 };
    // The window's first byte: at most `lead` characters back from the span's start.
    let at = span.start.clamp(line_span.start, line_span.end) - line_span.start;
    let mut from_byte = at;
    while !line.is_char_boundary(from_byte) {
        from_byte -= 1;
    }
    if !long {
        from_byte = 0;
    } else if col > from {
        let before = line.get(..from_byte).unwrap_or("");
        from_byte = before
            .char_indices()
            .rev()
            .nth(col - from - 1)
            .map_or(0, |(i, _)| i);
    }
    let rest = line.get(from_byte..).unwrap_or("");
    let shown: String = rest
        .chars()
        .take(window)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let to = from + shown.chars().count();
    let post = if long && rest.chars().nth(window).is_some() {
        "…"
    } else {
        ""
    };
    let span_chars = doc
        .text
        .get(span.start..span.end)
        .map_or(1, |s| {
            s.chars()
                .take_while(|&c| c != '\n')
                .take(window + 1)
                .count()
        })
        .max(1);
    let pre = if from > 0 { "…" } else { "" };
    let gutter = lc.line.to_string();
    let pad = " ".repeat(gutter.len());
    let caret_at = col - from + usize::from(from > 0);
    let carets = "^".repeat(span_chars.min(to.saturating_sub(col)).max(1));
    let _ = writeln!(out, " {pad} {}", st.dim("|"));
    let _ = writeln!(
        out,
        " {} {} {pre}{shown}{post}",
        st.dim(&gutter),
        st.dim("|")
    );
    let _ = writeln!(
        out,
        " {pad} {} {}{} {}",
        st.dim("|"),
        " ".repeat(caret_at),
        st.paint("1;31", &carets),
        sanitize(label)
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::Span;

    fn render(text: &str, span: Span) -> Vec<String> {
        let doc = SourceText::new(text.to_owned());
        let mut out = String::new();
        snippet(
            &Style {
                color: false,
                context_keys: false,
                width: None,
            },
            &doc,
            span,
            "here",
            &mut out,
        );
        out.lines().map(str::to_owned).collect()
    }

    /// A span far into a long line of multi-byte characters: the window starts LEAD
    /// characters before it, holds WINDOW characters, and the carets sit under the span.
    #[test]
    fn a_snippet_is_a_window_of_a_long_line() {
        let text = format!("{}<x/>{}", "é".repeat(500), "€".repeat(500));
        let start = "é".len() * 500;
        let lines = render(&text, Span::new(start, start + 4));
        let shown = format!(
            "…{}<x/>{}…",
            "é".repeat(LEAD),
            "€".repeat(WINDOW - LEAD - 4)
        );
        assert_eq!(lines[1], format!(" 1 | {shown}"));
        assert_eq!(lines[2], format!("   | {}^^^^ here", " ".repeat(LEAD + 1)));
    }

    /// A short line is shown whole, and a span running past the window is cut to it.
    #[test]
    fn a_short_line_is_shown_whole() {
        let lines = render("ab\ncdé<y/>\n", Span::new(3, 11));
        assert_eq!(lines[1], " 2 | cdé<y/>");
        assert_eq!(lines[2], "   | ^^^^^^^ here");
        let long = "z".repeat(300);
        let lines = render(&long, Span::new(10, 300));
        assert_eq!(lines[1], format!(" 1 | {}…", "z".repeat(WINDOW)));
        assert_eq!(
            lines[2],
            format!("   | {}{} here", " ".repeat(10), "^".repeat(WINDOW - 10))
        );
    }
}
