//! `samlint rules`: the rule catalogue, from the registry (text table, JSON, or the
//! markdown that is docs/rules.md).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::process::ExitCode;

use serde::Serialize;

use crate::cli::{RulesArgs, RulesFormat};

/// Who the `IdpKind::Other` text is for, in lists of every IdP's fix.
pub(crate) const OTHER_IDPS: &str = "Any other IdP";
use crate::lint::{IdpKind, Profile, RULES, RuleMeta};

/// `all`, or the profiles joined with `, `.
pub(crate) fn profiles(meta: &RuleMeta) -> String {
    if Profile::ALL.iter().all(|p| meta.profiles.contains(p)) {
        "all".to_owned()
    } else {
        meta.profiles
            .iter()
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A rule as JSON (`rules --format json`, `explain --format json`).
#[derive(Serialize)]
pub(crate) struct JsonRule {
    id: &'static str,
    code: &'static str,
    severity: &'static str,
    profiles: Vec<&'static str>,
    summary: &'static str,
    aws_error: &'static str,
    fix: JsonFix,
    since: &'static str,
    explain: &'static str,
}

#[derive(Serialize)]
struct JsonFix {
    /// Okta's text, or with `explain --idp` that IdP's (else the generic one).
    idp: &'static str,
    idp_name: Option<&'static str>,
    /// Every IdP's own text, by IdP id (`other`: the generic text).
    by_idp: BTreeMap<&'static str, &'static str>,
    aws: &'static str,
}

impl JsonRule {
    pub(crate) fn new(m: &'static RuleMeta) -> Self {
        Self::for_idp(m, None)
    }

    /// The rule with `fix.idp` for `idp` (Okta's when `None`).
    pub(crate) fn for_idp(m: &'static RuleMeta, idp: Option<IdpKind>) -> Self {
        let fix = m.fix_for(idp.unwrap_or(IdpKind::Okta));
        JsonRule {
            id: m.id,
            code: m.code,
            severity: m.default_severity.as_str(),
            profiles: m.profiles.iter().map(|p| p.as_str()).collect(),
            summary: m.summary,
            aws_error: m.aws_error,
            fix: JsonFix {
                idp: fix.map_or("", |f| f.text),
                idp_name: fix.map(|f| f.idp.name()),
                by_idp: IdpKind::ALL
                    .iter()
                    .filter_map(|&k| m.own_fix(k).map(|t| (k.id(), t)))
                    .collect(),
                aws: m.fix_aws,
            },
            since: m.since,
            explain: m.explain,
        }
    }
}

/// The text table.
pub(crate) fn table() -> String {
    let rows: Vec<[String; 5]> = RULES
        .iter()
        .map(|r| {
            let m = r.meta;
            [
                m.code.to_owned(),
                m.id.to_owned(),
                m.default_severity.as_str().to_owned(),
                profiles(m),
                m.summary.to_owned(),
            ]
        })
        .collect();
    let head = ["CODE", "ID", "SEVERITY", "PROFILES", "SUMMARY"];
    let mut width = head.map(str::len);
    for row in &rows {
        for (w, cell) in width.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, cells: [&str; 5]| {
        let mut l = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i == 4 {
                l.push_str(cell);
            } else {
                let _ = write!(l, "{cell:<w$}  ", w = width[i]);
            }
        }
        let _ = writeln!(out, "{}", l.trim_end());
    };
    line(&mut out, head);
    for row in &rows {
        line(&mut out, [&row[0], &row[1], &row[2], &row[3], &row[4]]);
    }
    let _ = writeln!(
        out,
        "\n{} rules. `samlint explain RULE` (id or code) tells more about one.",
        RULES.len()
    );
    out
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Explanation markdown with its headings one level down, to nest under a rule heading.
pub(crate) fn demote_headings(md: &str) -> String {
    md.lines()
        .map(|l| {
            if l.starts_with('#') {
                format!("#{l}")
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// docs/rules.md.
pub(crate) fn markdown() -> String {
    let mut out = String::new();
    out.push_str("# samlint rules\n\n");
    out.push_str(
        "<!-- Generated from the rule registry by `samlint rules --format markdown > docs/rules.md`. \
         Do not edit: a test fails when this file is stale. -->\n\n",
    );
    out.push_str(
        "Every rule has a stable id (never renamed) and a code (never reused). Severities are \
         defaults: `samlint.toml` `[severity]` and `--severity RULE=LEVEL` change them, \
         `ignore` and `--ignore RULE` drop a rule. Profiles say where a rule runs: `aws-iam`, \
         `aws-identity-center`, `generic`, or `all` three.\n\n",
    );
    out.push_str("| Code | Rule | Severity | Profiles | Summary |\n|---|---|---|---|---|\n");
    for r in RULES {
        let m = r.meta;
        let _ = writeln!(
            out,
            "| {} | [`{}`](#{}) | {} | {} | {} |",
            m.code,
            m.id,
            m.id,
            m.default_severity.as_str(),
            profiles(m),
            cell(m.summary)
        );
    }
    for r in RULES {
        let m = r.meta;
        let _ = write!(
            out,
            "\n## {}\n\n`{}` · {} · profiles: {} · since {}\n\n{}.\n\n",
            m.id,
            m.code,
            m.default_severity.as_str(),
            profiles(m),
            m.since,
            m.summary.trim_end_matches('.')
        );
        if !m.aws_error.is_empty() {
            let _ = writeln!(out, "- **AWS error:** {}", m.aws_error);
        }
        for &kind in IdpKind::ALL {
            if let Some(text) = m.own_fix(kind) {
                let who = if kind == IdpKind::Other {
                    OTHER_IDPS
                } else {
                    kind.name()
                };
                let _ = writeln!(out, "- **Fix ({who}):** {text}");
            }
        }
        if !m.fix_aws.is_empty() {
            let _ = writeln!(out, "- **Fix (AWS):** {}", m.fix_aws);
        }
        let _ = writeln!(out, "\n{}", demote_headings(m.explain.trim()));
    }
    out
}

/// # Errors
/// Write errors.
pub(crate) fn run(args: &RulesArgs) -> anyhow::Result<ExitCode> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    match args.format {
        RulesFormat::Text => out.write_all(table().as_bytes())?,
        RulesFormat::Markdown => out.write_all(markdown().as_bytes())?,
        RulesFormat::Json => {
            #[derive(Serialize)]
            struct Doc {
                version: u32,
                rules: Vec<JsonRule>,
            }
            let doc = Doc {
                version: 1,
                rules: RULES.iter().map(|r| JsonRule::new(r.meta)).collect(),
            };
            serde_json::to_writer_pretty(&mut out, &doc)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_listed_everywhere() {
        let (t, m) = (table(), markdown());
        for r in RULES {
            assert!(t.contains(r.meta.id) && t.contains(r.meta.code));
            assert!(m.contains(&format!("\n## {}\n", r.meta.id)));
        }
    }

    #[test]
    fn headings_are_demoted() {
        assert_eq!(demote_headings("## Why\ntext\n# x"), "### Why\ntext\n## x");
    }
}
