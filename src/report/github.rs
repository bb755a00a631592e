//! `--format github`: GitHub Actions workflow commands, one annotation per finding
//! (`::error file=...,line=...,col=...,title=SL0501 audience-invalid::message`), and
//! a markdown table for the job summary (`$GITHUB_STEP_SUMMARY`).
//!
//! Line and column are those of the finding in the payload's decoded XML.

use std::fmt::Write as _;
use std::io;

use super::model::{InputReport, PayloadReport, RenderOptions, Report};
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
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command property value (GitHub's `escapeProperty`).
pub fn escape_property(s: &str) -> String {
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
    for (k, v) in [
        ("AWS error", f.aws_error_text()),
        ("Fix (Okta)", f.rule.fix_okta),
        ("Fix (AWS)", f.rule.fix_aws),
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

/// Writes one workflow command per finding, and one `::error` per input that could
/// not be read.
///
/// # Errors
/// Errors of the writer.
pub fn render(report: &Report, _opts: &RenderOptions, out: &mut dyn io::Write) -> io::Result<()> {
    for input in &report.inputs {
        if let Some(e) = &input.error {
            writeln!(
                out,
                "::error file={},title=unreadable input::{}",
                escape_property(&input.source),
                escape_data(e)
            )?;
        }
    }
    for (i, p, f) in report.findings() {
        out.write_all(annotation(i, p, f).as_bytes())?;
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

/// Writes the job summary: totals and one table row per finding.
///
/// # Errors
/// Errors of the writer.
pub fn render_summary(report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
    let t = report.totals();
    let mut s = String::from("## samlint\n\n");
    let _ = writeln!(s, "{}\n", t.describe());
    let unreadable: Vec<&InputReport> =
        report.inputs.iter().filter(|i| i.error.is_some()).collect();
    for i in &unreadable {
        let _ = writeln!(
            s,
            "- **unreadable** `{}`: {}",
            cell(&i.source).replace('`', "'"),
            cell(i.error.as_deref().unwrap_or_default())
        );
    }
    if !unreadable.is_empty() {
        s.push('\n');
    }
    if t.errors + t.warnings + t.infos == 0 {
        s.push_str("No findings.\n");
    } else {
        s.push_str("| Input | Payload | Location | Severity | Rule | Message |\n");
        s.push_str("| --- | --- | --- | --- | --- | --- |\n");
        for (i, p, f) in report.findings() {
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
                s,
                "| {} | {payload} | {loc} | {} | {} `{}` | {} |",
                cell(&i.source),
                f.severity.as_str(),
                f.rule.code,
                f.rule.id,
                cell(&f.message)
            );
        }
    }
    s.push('\n');
    out.write_all(s.as_bytes())
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
