//! `samlint explain RULE`: one rule in full, by id or code.

use std::fmt::Write as _;
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use crate::cli::ExplainArgs;
use crate::cli::SimpleFormat as Format;
use crate::lint::{IdpKind, RuleMeta};

/// The text form: a header, the summary, the explanation, then the IdP-side fixes
/// (every IdP's, or `idp`'s only).
pub(crate) fn text(m: &RuleMeta, idp: Option<IdpKind>) -> String {
    let mut out = format!(
        "{} {}: {}\nseverity {} · profiles {} · since {}\n\n",
        m.code,
        m.id,
        m.summary,
        m.default_severity.as_str(),
        super::rules::profiles(m),
        m.since
    );
    // With one IdP asked for, its text below replaces the page's Okta section.
    let page = match idp {
        Some(_) => without_section(m.explain, "## Fix in Okta"),
        None => m.explain.to_owned(),
    };
    out.push_str(page.trim());
    out.push('\n');
    out.push_str(&idp_fixes(m, idp));
    out
}

/// The markdown without the section under `heading` (up to the next `## `).
fn without_section(md: &str, heading: &str) -> String {
    let Some(start) = md.find(&format!("{heading}\n")) else {
        return md.to_owned();
    };
    let rest = &md[start + heading.len()..];
    let end = rest
        .find("\n## ")
        .map_or(md.len(), |i| start + heading.len() + i + 1);
    format!("{}{}", &md[..start], &md[end..])
}

/// The "Fix at the IdP" section: one IdP's text (saying when it is the generic one),
/// or every IdP's; empty when the fix does not live at the IdP.
pub(crate) fn idp_fixes(m: &RuleMeta, idp: Option<IdpKind>) -> String {
    let mut out = String::new();
    if let Some(kind) = idp {
        let _ = writeln!(out, "\n## Fix at the IdP ({})", kind.name());
        match m.fix_for(kind) {
            Some(fix) if fix.idp == kind => {
                let _ = writeln!(out, "{}", fix.text);
            }
            Some(fix) => {
                let _ = writeln!(
                    out,
                    "No text written for {} yet; the generic one:\n{}",
                    kind.name(),
                    fix.text
                );
            }
            None => out.push_str("Nothing to change at the IdP for this rule.\n"),
        }
        return out;
    }
    let all: Vec<(IdpKind, &str)> = IdpKind::ALL
        .iter()
        .filter_map(|&k| m.own_fix(k).map(|t| (k, t)))
        .collect();
    if all.is_empty() {
        return out;
    }
    out.push_str("\n## Fix at the IdP, by IdP\n");
    for (kind, text) in all {
        let who = if kind == IdpKind::Other {
            super::rules::OTHER_IDPS
        } else {
            kind.name()
        };
        let _ = writeln!(out, "- {who}: {text}");
    }
    out
}

/// # Errors
/// Write errors.
pub(crate) fn run(args: &ExplainArgs) -> anyhow::Result<ExitCode> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    match args.format {
        Format::Text => {
            let text = text(args.rule, args.idp);
            // Markdown stays markdown in a pipe; a terminal gets it rendered.
            let text = if super::use_color(io::stdout().is_terminal()) {
                render_markdown(&text)
            } else {
                text
            };
            out.write_all(text.as_bytes())?;
        }
        Format::Json => {
            serde_json::to_writer_pretty(
                &mut out,
                &super::rules::JsonRule::for_idp(args.rule, args.idp),
            )?;
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
    fn one_idp_replaces_the_okta_section() {
        let m = crate::lint::registry::find("role-missing").unwrap();
        let entra = text(m, Some(IdpKind::Entra));
        assert!(!entra.contains("## Fix in Okta"), "{entra}");
        assert!(
            entra.contains("## Fix at the IdP (Microsoft Entra ID)"),
            "{entra}"
        );
        assert!(entra.contains("## Fix in AWS"), "{entra}");
        assert!(text(m, None).contains("## Fix in Okta"));
    }

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
