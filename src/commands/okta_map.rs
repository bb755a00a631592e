//! `samlint okta-map`: simulate Okta's group-to-role mapping and lint the Role values.

use std::fmt::Write as _;
use std::io::{self, BufRead, IsTerminal, Read, Write};
use std::process::ExitCode;

use serde::Serialize;

use crate::cli::{OktaMapArgs, SimpleFormat as Format};
use crate::lint::Severity;
use crate::lint::okta::{self, GroupFilter, GroupOutcome};
use crate::report::text::{count, sanitize};

fn read_groups(args: &OktaMapArgs) -> io::Result<Vec<String>> {
    let mut groups = args.groups.clone();
    if let Some(file) = &args.groups_file {
        let mut text = String::new();
        if file == "-" {
            io::stdin().lock().read_to_string(&mut text)?;
        } else {
            let f = std::fs::File::open(file).map_err(|e| {
                io::Error::new(e.kind(), format!("{}: {e}", file.to_string_lossy()))
            })?;
            for line in io::BufReader::new(f).lines() {
                text.push_str(&line?);
                text.push('\n');
            }
        }
        groups.extend(
            text.lines()
                .map(|l| l.trim_end_matches('\r'))
                .filter(|l| !l.trim().is_empty())
                .map(str::to_owned),
        );
    }
    Ok(groups)
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    code: &'a str,
    severity: &'static str,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonGroup<'a> {
    group: &'a str,
    matched: bool,
    captures: std::collections::BTreeMap<&'a str, &'a str>,
    role: Option<&'a str>,
    substring_match: Option<&'a str>,
    findings: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
struct JsonMap<'a> {
    version: u32,
    group_filter: &'a str,
    regex: &'a str,
    role_pattern: &'a str,
    groups: Vec<JsonGroup<'a>>,
}

fn paint(color: bool, code: &str, s: &str) -> String {
    if color {
        format!("\x1b[{code}m{s}\x1b[0m")
    } else {
        s.to_owned()
    }
}

fn text(
    filter: &GroupFilter,
    pattern: &str,
    results: &[(String, GroupOutcome)],
    color: bool,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Group Filter        {}", sanitize(&filter.okta));
    let _ = writeln!(
        out,
        "  as regex          ^(?:{})$",
        sanitize(&filter.translated)
    );
    let _ = writeln!(out, "Role Value Pattern  {}\n", sanitize(pattern));
    let mut unmatched = Vec::new();
    let (mut errors, mut warnings) = (0, 0);
    for (group, outcome) in results {
        match outcome {
            GroupOutcome::Matched {
                captures,
                role,
                findings,
            } => {
                let caps: Vec<String> = captures
                    .iter()
                    .map(|(k, v)| format!("{k}={}", sanitize(v)))
                    .collect();
                let _ = writeln!(
                    out,
                    "{}  {}",
                    paint(color, "1", &sanitize(group)),
                    caps.join(" ")
                );
                let _ = writeln!(out, "  Role  {}", sanitize(role));
                if findings.is_empty() {
                    let _ = writeln!(out, "  {}", paint(color, "32", "ok"));
                }
                for f in findings {
                    let (word, code) = match f.severity {
                        Severity::Error => {
                            errors += 1;
                            ("error", "1;31")
                        }
                        Severity::Warning => {
                            warnings += 1;
                            ("warning", "1;33")
                        }
                        Severity::Info => ("info", "1;36"),
                    };
                    let _ = writeln!(
                        out,
                        "  {}[{}] {}: {}",
                        paint(color, code, word),
                        f.code,
                        f.rule,
                        sanitize(&f.message)
                    );
                }
            }
            GroupOutcome::NoMatch { substring } => unmatched.push((group, substring)),
        }
    }
    if !unmatched.is_empty() {
        let _ = writeln!(
            out,
            "\nNot matched by the Group Filter ({}), so they give no role:",
            unmatched.len()
        );
        for (group, substring) in &unmatched {
            let why = match substring {
                Some(s) => format!(
                    "only a substring matches ('{}'); Okta matches the whole group name",
                    sanitize(s)
                ),
                None => "no match".to_owned(),
            };
            let _ = writeln!(out, "  {}  {why}", sanitize(group));
        }
    }
    let _ = writeln!(
        out,
        "\n{}: {} matched, {} not matched; {}, {}",
        count(results.len(), "group", "groups"),
        results.len() - unmatched.len(),
        unmatched.len(),
        count(errors, "error", "errors"),
        count(warnings, "warning", "warnings")
    );
    out
}

/// # Errors
/// Write errors.
pub(crate) fn run(args: &OktaMapArgs) -> anyhow::Result<ExitCode> {
    let mut stderr = io::stderr().lock();
    let config = match super::load_config(&args.config) {
        Ok(c) => c,
        Err(e) => return super::config_error(&e),
    };
    let expected = super::expected(&args.context, config.as_ref());
    let usage = |stderr: &mut io::StderrLock<'_>, msg: &str, help: &str| {
        writeln!(stderr, "samlint: {msg}")?;
        writeln!(stderr, "help: {help}")?;
        Ok::<_, io::Error>(ExitCode::from(2))
    };
    let filter = match GroupFilter::new(&args.group_filter) {
        Ok(f) => f,
        Err(e) => {
            return Ok(usage(
                &mut stderr,
                &format!("--group-filter: {e}"),
                "write captures as (?{{accountid}}\\d+) and (?{{role}}[\\w\\-]+), as in Okta",
            )?);
        }
    };
    if let Err(e) = okta::check_pattern(&args.role_pattern, &filter) {
        return Ok(usage(
            &mut stderr,
            &format!("--role-pattern: {e}"),
            "the pattern may use ${accountid} and ${role} when the Group Filter captures them",
        )?);
    }
    let groups = match read_groups(args) {
        Ok(g) => g,
        Err(e) => {
            writeln!(stderr, "samlint: --groups-file: {e}")?;
            return Ok(ExitCode::from(2));
        }
    };
    if groups.is_empty() {
        return Ok(usage(
            &mut stderr,
            "no group names given",
            "pass group names as arguments, or --groups-file FILE (one per line, - for stdin)",
        )?);
    }
    let results: Vec<(String, GroupOutcome)> = groups
        .into_iter()
        .map(|g| {
            let o = okta::map_group(&filter, &args.role_pattern, &g, &expected);
            (g, o)
        })
        .collect();
    let failed = results.iter().any(|(_, o)| {
        matches!(o, GroupOutcome::Matched { findings, .. }
            if findings.iter().any(|f| f.severity == Severity::Error))
    });

    let stdout = io::stdout();
    let color = super::use_color(stdout.is_terminal());
    let mut out = io::BufWriter::new(stdout.lock());
    match args.format {
        Format::Text => {
            out.write_all(text(&filter, &args.role_pattern, &results, color).as_bytes())?;
        }
        Format::Json => {
            let doc = JsonMap {
                version: 1,
                group_filter: &filter.okta,
                regex: &filter.translated,
                role_pattern: &args.role_pattern,
                groups: results
                    .iter()
                    .map(|(g, o)| match o {
                        GroupOutcome::Matched {
                            captures,
                            role,
                            findings,
                        } => JsonGroup {
                            group: g,
                            matched: true,
                            captures: captures
                                .iter()
                                .map(|(k, v)| (k.as_str(), v.as_str()))
                                .collect(),
                            role: Some(role),
                            substring_match: None,
                            findings: findings
                                .iter()
                                .map(|f| JsonFinding {
                                    rule: f.rule,
                                    code: f.code,
                                    severity: f.severity.as_str(),
                                    message: &f.message,
                                })
                                .collect(),
                        },
                        GroupOutcome::NoMatch { substring } => JsonGroup {
                            group: g,
                            matched: false,
                            captures: std::collections::BTreeMap::new(),
                            role: None,
                            substring_match: substring.as_deref(),
                            findings: Vec::new(),
                        },
                    })
                    .collect(),
            };
            serde_json::to_writer_pretty(&mut out, &doc)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::from(u8::from(failed)))
}
