//! `--format github`: GitHub Actions workflow commands, one annotation per finding
//! (`::error file=...,line=...,col=...,title=SL0501 audience-invalid::message`), and
//! a markdown table for the job summary (`$GITHUB_STEP_SUMMARY`).
//!
//! Line and column are those of the finding in the payload's decoded XML.

use std::fmt::Write as _;
use std::io;

use super::Part;
use super::model::{InputReport, PayloadReport, Totals};
use crate::lint::{Finding, Severity};

/// The workflow command for a severity.
fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// Escapes a command's message (GitHub's `escapeData`).
pub(crate) fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command property value (GitHub's `escapeProperty`).
pub(crate) fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn annotation(input: &InputReport, p: Option<&PayloadReport>, f: &Finding) -> String {
    let mut props = format!("file={}", escape_property(&input.source));
    if let Some(lc) = f
        .primary
        .as_ref()
        .and_then(|l| p.and_then(|p| p.location(l.span)))
    {
        let _ = write!(props, ",line={},col={}", lc.line, lc.column);
    }
    let _ = write!(
        props,
        ",title={}",
        escape_property(&format!("{} {}", f.rule.code, f.rule.id))
    );
    let mut message = f.message.clone();
    if let Some(p) = p {
        let _ = write!(message, "\n(payload #{}", p.index);
        if let Some(e) = p.origin.entry {
            let _ = write!(message, ", HAR entry {e}");
        }
        message.push(')');
    }
    let idp_fix = f.idp_fix(input.idp_of(p).kind);
    let idp_label = idp_fix.map_or(String::new(), |x| format!("Fix ({})", x.label()));
    for (k, v) in [
        ("AWS error", f.aws_error_text()),
        (idp_label.as_str(), idp_fix.map_or("", |x| x.text)),
        ("Fix (AWS)", f.aws_fix()),
        ("Fix (capture)", f.capture_fix.as_deref().unwrap_or("")),
    ] {
        if !v.is_empty() {
            let _ = write!(message, "\n{k}: {v}");
        }
    }
    format!(
        "::{} {props}::{}\n",
        command(f.severity),
        escape_data(&message)
    )
}

/// One input: an `::error` when it could not be read (written before every
/// annotation), and one workflow command per finding.
pub(super) fn part(input: &InputReport) -> Part {
    let head = input.error.as_ref().map_or_else(Vec::new, |e| {
        format!(
            "::error file={},title=unreadable input::{}\n",
            escape_property(&input.source),
            escape_data(e)
        )
        .into_bytes()
    });
    let body = input
        .all_findings()
        .map(|(p, f)| annotation(input, p, f))
        .collect::<String>()
        .into_bytes();
    Part {
        body,
        head,
        ..Part::default()
    }
}

/// Writes the `::error` lines of unreadable inputs, then every annotation.
///
/// # Errors
/// Errors of the writer.
pub(super) fn write(parts: &[Part], out: &mut dyn io::Write) -> io::Result<()> {
    for part in parts {
        out.write_all(&part.head)?;
    }
    for part in parts {
        out.write_all(&part.body)?;
    }
    Ok(())
}

/// A markdown table cell: no line breaks, no pipes, no HTML.
fn cell(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace(['\r', '\n'], " ")
}

/// One input in the job summary: a line when it could not be read, and one table
/// row per finding.
pub(super) fn summary_part(input: &InputReport) -> Part {
    let head = input.error.as_ref().map_or_else(String::new, |e| {
        format!(
            "- **unreadable** `{}`: {}\n",
            cell(&input.source).replace('`', "'"),
            cell(e)
        )
    });
    let mut rows = String::new();
    for (p, f) in input.all_findings() {
        let payload = p.map_or(String::from("–"), |p| match p.origin.entry {
            Some(e) => format!("#{} (entry {e})", p.index),
            None => format!("#{}", p.index),
        });
        let loc = f
            .primary
            .as_ref()
            .and_then(|l| p.and_then(|p| p.location(l.span)))
            .map_or(String::from("–"), |lc| {
                format!("{}:{}", lc.line, lc.column)
            });
        let _ = writeln!(
            rows,
            "| {} | {payload} | {loc} | {} | {} `{}` | {} |",
            cell(&input.source),
            f.severity.as_str(),
            f.rule.code,
            f.rule.id,
            cell(&f.message)
        );
    }
    Part {
        body: rows.into_bytes(),
        head: head.into_bytes(),
        ..Part::default()
    }
}

/// Writes the job summary: totals, unreadable inputs, and one table row per finding.
///
/// # Errors
/// Errors of the writer.
pub(super) fn write_summary(parts: &[Part], t: &Totals, out: &mut dyn io::Write) -> io::Result<()> {
    let mut s = String::from("## samlint\n\n");
    let _ = writeln!(s, "{}\n", t.describe());
    out.write_all(s.as_bytes())?;
    let mut any_unreadable = false;
    for part in parts {
        out.write_all(&part.head)?;
        any_unreadable |= !part.head.is_empty();
    }
    if any_unreadable {
        out.write_all(b"\n")?;
    }
    if t.errors + t.warnings + t.infos == 0 {
        out.write_all(b"No findings.\n")?;
    } else {
        out.write_all(b"| Input | Payload | Location | Severity | Rule | Message |\n")?;
        out.write_all(b"| --- | --- | --- | --- | --- | --- |\n")?;
        for part in parts {
            out.write_all(&part.body)?;
        }
    }
    out.write_all(b"\n")
}

/// Writes the job summary of a whole report.
///
/// # Errors
/// Errors of the writer.
#[cfg(test)]
pub(crate) fn render_summary(
    report: &super::model::Report,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    super::Target::StepSummary.render(report, &super::model::RenderOptions::default(), out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_github_does() {
        assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn table_cells_cannot_break_the_table() {
        assert_eq!(cell("a|b\nc<x>"), "a\\|b c&lt;x&gt;");
    }
}
