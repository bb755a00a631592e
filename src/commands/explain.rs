//! `samlint explain RULE`: one rule in full, by id or code.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use crate::cli::ExplainArgs;
use crate::cli::SimpleFormat as Format;
use crate::lint::RuleMeta;

/// The text form: a header, the summary, then the explanation.
pub fn text(m: &RuleMeta) -> String {
    let mut out = format!(
        "{} {}: {}\nseverity {} · profiles {} · since {}\n\n",
        m.code,
        m.id,
        m.summary,
        m.default_severity.as_str(),
        super::rules::profiles(m),
        m.since
    );
    out.push_str(m.explain.trim());
    out.push('\n');
    out
}

/// # Errors
/// Write errors.
pub fn run(args: &ExplainArgs) -> anyhow::Result<ExitCode> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    match args.format {
        Format::Text => {
            let text = text(args.rule);
            // Markdown stays markdown in a pipe; a terminal gets it rendered.
            let text = if super::use_color(io::stdout().is_terminal()) {
                render_markdown(&text)
            } else {
                text
            };
            out.write_all(text.as_bytes())?;
        }
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &super::rules::JsonRule::new(args.rule))?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

const BOLD: &str = "\x1b[1m";
const CODE: &str = "\x1b[36m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

/// The explain pages' markdown for a terminal: headings in bold, inline code in
/// colour without its backticks, fenced blocks indented, `**bold**` bold.
pub(crate) fn render_markdown(md: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(md.len());
    let mut fenced = false;
    for line in md.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            let _ = writeln!(out, "    {DIM}{line}{RESET}");
        } else if let Some(h) = line.strip_prefix('#') {
            let h = h.trim_start_matches('#').trim();
            let _ = writeln!(out, "{BOLD}{h}{RESET}");
        } else {
            out.push_str(&inline(line));
            out.push('\n');
        }
    }
    out
}

/// `code` and **bold** spans of one line.
fn inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(i) = rest.find(['`', '*']) {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let (marker, style) = if after.starts_with("**") {
            ("**", BOLD)
        } else if after.starts_with('`') {
            ("`", CODE)
        } else {
            out.push('*');
            rest = &after[1..];
            continue;
        };
        let body = &after[marker.len()..];
        if let Some(end) = body.find(marker) {
            out.push_str(style);
            out.push_str(&body[..end]);
            out.push_str(RESET);
            rest = &body[end + marker.len()..];
        } else {
            out.push_str(after);
            rest = "";
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_is_rendered_for_a_terminal() {
        let md = "## Why\nUse `urn:amazon:webservices`, **not** a URL; 2 * 3.\n```xml\n<a/>\n```\n";
        let r = render_markdown(md);
        assert_eq!(
            r,
            format!(
                "{BOLD}Why{RESET}\nUse {CODE}urn:amazon:webservices{RESET}, {BOLD}not{RESET} a URL; 2 * 3.\n    {DIM}<a/>{RESET}\n"
            )
        );
    }
}
