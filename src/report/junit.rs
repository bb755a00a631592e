//! `--format junit`: JUnit XML as GitLab, Jenkins and most CI test-report readers take
//! it. One `<testsuite>` per input, one `<testcase>` per payload. A test case fails
//! when its payload has findings at or above `--fail-on`; the failure carries every
//! finding of the payload. Input-level findings (no SAML found) make an `input` test
//! case; an input that cannot be read is an `<error>`. Lower findings go to
//! `<system-out>`. No timestamps or durations, so the output is deterministic.

use std::fmt::Write as _;
use std::io;

use super::Part;
use super::model::{InputReport, PayloadReport, RenderOptions};
use crate::input::OriginKind;
use crate::lint::{Finding, Severity};

/// How JUnit readers are told a finding's severity: in the failure `type` and text.
fn label(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// Escapes text for an XML attribute value or element content. Characters XML 1.0
/// cannot carry at all are written as `\u{..}`.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                let _ = write!(out, "{}", c.escape_unicode());
            }
            c => out.push(c),
        }
    }
    out
}

/// Element text keeps its line breaks readable.
fn esc_text(s: &str) -> String {
    esc(s).replace("&#10;", "\n")
}

fn case_name(p: &PayloadReport) -> String {
    let mut name = format!("payload {}", p.index);
    match (p.origin.kind, p.origin.entry) {
        (OriginKind::Har, Some(e)) => {
            let _ = write!(name, " (HAR entry {e})");
        }
        (OriginKind::Tracer, Some(e)) => {
            let _ = write!(name, " (request {e})");
        }
        _ => {}
    }
    name
}

fn describe(input: &InputReport, p: Option<&PayloadReport>, f: &Finding) -> String {
    let mut s = format!(
        "{}[{}] {}: {}\n",
        label(f.severity),
        f.rule.code,
        f.rule.id,
        f.message
    );
    let mut at = format!("  at {}", input.source);
    if let Some(p) = p {
        let _ = write!(at, " #{}", p.index);
        if let Some(lc) = f.primary.as_ref().and_then(|l| p.location(l.span)) {
            let _ = write!(at, ":{}:{}", lc.line, lc.column);
        }
    }
    s.push_str(&at);
    s.push('\n');
    let idp_fix = f.idp_fix(input.idp_of(p).kind);
    let idp_label = idp_fix.map_or(String::new(), |x| format!("fix ({})", x.label()));
    for (k, v) in [
        ("AWS error", f.aws_error_text()),
        (idp_label.as_str(), idp_fix.map_or("", |x| x.text)),
        ("fix (AWS)", f.aws_fix()),
        ("fix (capture)", f.capture_fix.as_deref().unwrap_or("")),
    ] {
        if !v.is_empty() {
            let _ = writeln!(s, "  {k}: {v}");
        }
    }
    s
}

/// One test case: the findings of a payload (or of the input itself).
struct Case<'a> {
    name: String,
    findings: Vec<&'a Finding>,
}

fn write_case(
    out: &mut String,
    opts: RenderOptions,
    input: &InputReport,
    p: Option<&PayloadReport>,
    case: &Case<'_>,
) -> bool {
    let classname = &input.source;
    let failing: Vec<&&Finding> = case
        .findings
        .iter()
        .filter(|f| opts.fail_on.fails(f.severity))
        .collect();
    let _ = write!(
        out,
        "    <testcase name=\"{}\" classname=\"{}\"",
        esc(&case.name),
        esc(classname)
    );
    if case.findings.is_empty() {
        out.push_str("/>\n");
        return false;
    }
    out.push_str(">\n");
    if let Some(first) = failing.first() {
        let message = if failing.len() == 1 {
            format!("{} {}: {}", first.rule.code, first.rule.id, first.message)
        } else {
            format!(
                "{} findings; first: {} {}: {}",
                failing.len(),
                first.rule.code,
                first.rule.id,
                first.message
            )
        };
        let body: String = failing.iter().map(|f| describe(input, p, f)).collect();
        let _ = writeln!(
            out,
            "      <failure message=\"{}\" type=\"{} {}\">{}</failure>",
            esc(&message),
            first.rule.code,
            first.rule.id,
            esc_text(&body)
        );
    }
    let rest: String = case
        .findings
        .iter()
        .filter(|f| !opts.fail_on.fails(f.severity))
        .map(|f| describe(input, p, f))
        .collect();
    if !rest.is_empty() {
        let _ = writeln!(out, "      <system-out>{}</system-out>", esc_text(&rest));
    }
    out.push_str("    </testcase>\n");
    !failing.is_empty()
}

fn write_suite(
    out: &mut String,
    opts: RenderOptions,
    input: &InputReport,
) -> (usize, usize, usize) {
    let mut body = String::new();
    let mut tests = 0;
    let mut failures = 0;
    let mut errors = 0;
    if let Some(e) = &input.error {
        tests += 1;
        errors += 1;
        let _ = writeln!(
            body,
            "    <testcase name=\"input\" classname=\"{}\">\n      <error message=\"{}\" type=\"unreadable\"/>\n    </testcase>",
            esc(&input.source),
            esc(e)
        );
    }
    if !input.findings.is_empty() || (input.error.is_none() && input.payloads.is_empty()) {
        tests += 1;
        let case = Case {
            name: "input".to_owned(),
            findings: input.findings.iter().collect(),
        };
        failures += usize::from(write_case(&mut body, opts, input, None, &case));
    }
    for p in &input.payloads {
        tests += 1;
        let case = Case {
            name: case_name(p),
            findings: p.findings.iter().collect(),
        };
        failures += usize::from(write_case(&mut body, opts, input, Some(p), &case));
    }
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"0\">",
        esc(&input.source)
    );
    out.push_str(&body);
    out.push_str("  </testsuite>\n");
    (tests, failures, errors)
}

/// One input's `<testsuite>`, with its test, failure and error counts.
pub(super) fn part(input: &InputReport, opts: RenderOptions) -> Part {
    let mut suite = String::new();
    let (tests, failures, errors) = write_suite(&mut suite, opts, input);
    Part {
        body: suite.into_bytes(),
        counts: [tests, failures, errors],
        ..Part::default()
    }
}

/// Writes the JUnit XML document.
///
/// # Errors
/// Errors of the writer.
pub(super) fn write(parts: &[Part], out: &mut dyn io::Write) -> io::Result<()> {
    let [tests, failures, errors] = parts.iter().fold([0; 3], |mut sum, p| {
        for (s, n) in sum.iter_mut().zip(p.counts) {
            *s += n;
        }
        sum
    });
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(
        out,
        "<testsuites name=\"samlint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">"
    )?;
    for part in parts {
        out.write_all(&part.body)?;
    }
    writeln!(out, "</testsuites>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(esc("a<b & \"c\"\n"), "a&lt;b &amp; &quot;c&quot;&#10;");
        assert_eq!(esc("\u{1}"), "\\u{1}");
        assert_eq!(esc_text("x\ny"), "x\ny");
    }

    #[test]
    fn empty_report_is_a_valid_document() {
        let mut out = Vec::new();
        super::super::Format::Junit
            .render(
                &super::super::Report::default(),
                &RenderOptions::default(),
                &mut out,
            )
            .unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(
            s.contains("<testsuites name=\"samlint\" tests=\"0\" failures=\"0\" errors=\"0\">")
        );
    }
}
