//! Rule fixtures: every rule has `tests/fixtures/rules/<rule-id>/fail-*.xml` that
//! triggers it and `pass-*.xml` that does not (made by `tests/fixtures/gen/rules.py`).
//! Each fixture runs through the whole pipeline at a fixed `--now`; the findings of
//! every fail fixture are snapshotted.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeDelta, Utc};

use super::{Expected, RULES, Severity};
use crate::input::{Binding, Origin, OriginKind, Payload, RawForm};
use crate::pipeline::{NowMode, Options, check_payload};
use crate::report::PayloadReport;

/// The instant every fixture is evaluated at.
const NOW: &str = "2026-01-15T10:00:00Z";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(NOW)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

/// Options from the fixture's sidecar `<case>.json`, if any.
fn options_for(xml: &Path) -> Options {
    let mut opts = Options {
        now: NowMode::At(now()),
        clock: now(),
        ..Options::default()
    };
    let Ok(text) = std::fs::read_to_string(xml.with_extension("json")) else {
        return opts;
    };
    let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    if let Some(e) = v.get("expected") {
        opts.expected = serde_json::from_value::<Expected>(e.clone()).unwrap_or_default();
    }
    if let Some(ids) = v.get("entity_ids").and_then(|i| i.as_array()) {
        opts.trust.entity_ids = ids
            .iter()
            .filter_map(|i| i.as_str().map(str::to_owned))
            .collect();
    }
    if let Some(s) = v.get("skew_seconds").and_then(serde_json::Value::as_i64) {
        opts.skew = TimeDelta::seconds(s);
    }
    opts
}

fn run(xml: &Path) -> PayloadReport {
    let raw = std::fs::read(xml).unwrap_or_default();
    let payload = Payload {
        origin: Origin::new(OriginKind::File),
        binding: Binding::Unknown,
        param: None,
        relay_state: None,
        raw,
        form: RawForm::DecodedXml,
        duplicate: None,
    };
    check_payload(0, &payload, &options_for(xml))
}

/// Findings of the lint stage. The fixtures are unsigned on purpose: signature
/// findings (section 2) are tested with the signature fixtures, not here.
fn lint_findings(rep: &PayloadReport) -> impl Iterator<Item = &super::Finding> {
    rep.findings
        .iter()
        .filter(|f| !f.rule.code.starts_with("SL02"))
}

/// One line per finding, with line:column, label, message and AWS error.
fn render(rep: &PayloadReport) -> String {
    let mut out = String::new();
    let profile = rep.profile.map_or("-", |p| p.as_str());
    let _ = writeln!(out, "profile: {profile}");
    for f in lint_findings(rep) {
        let at = |span| {
            rep.document.as_ref().map_or_else(String::new, |d| {
                let lc = d.line_col(span);
                format!("{}:{}", lc.line, lc.column)
            })
        };
        let loc = f.primary.as_ref().map_or_else(
            || "-".to_owned(),
            |l| format!("{} ({})", at(l.span), l.label),
        );
        let _ = writeln!(
            out,
            "{} {} {} at {loc}\n  {}\n  aws: {}",
            f.severity.as_str(),
            f.rule.code,
            f.rule.id,
            f.message,
            f.aws_error_text()
        );
        for r in &f.related {
            let _ = writeln!(out, "  related: {} ({})", at(r.span), r.label);
        }
    }
    out
}

fn xml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "xml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

#[test]
fn every_rule_has_failing_and_passing_fixtures() {
    let root = fixtures().join("rules");
    let mut problems = Vec::new();
    for rule in RULES.iter().filter(|r| r.check.is_some()) {
        let id = rule.meta.id;
        if rule.meta.code < "SL03" || rule.meta.code >= "SL09" {
            continue;
        }
        let files = xml_files(&root.join(id));
        let name = |p: &PathBuf| {
            p.file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default()
                .to_owned()
        };
        if !files.iter().any(|p| name(p).starts_with("fail-")) {
            problems.push(format!("{id}: no fail-*.xml fixture"));
        }
        if !files.iter().any(|p| name(p).starts_with("pass-")) {
            problems.push(format!("{id}: no pass-*.xml fixture"));
        }
        for file in &files {
            let case = name(file);
            let rep = run(file);
            let fired = lint_findings(&rep).any(|f| f.rule.id == id);
            if case.starts_with("fail-") {
                if !fired {
                    problems.push(format!(
                        "{id}/{case}: expected {id}, got:\n{}",
                        render(&rep)
                    ));
                }
                insta::assert_snapshot!(format!("{id}__{case}"), render(&rep));
            } else if fired {
                problems.push(format!("{id}/{case}: {id} fired:\n{}", render(&rep)));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn clean_responses_have_no_warnings_in_their_profiles() {
    for (file, profile) in [
        ("pass-iam.xml", super::Profile::AwsIam),
        (
            "pass-identity-center.xml",
            super::Profile::AwsIdentityCenter,
        ),
    ] {
        let rep = run(&fixtures().join("clean").join(file));
        assert_eq!(rep.profile, Some(profile), "{file}");
        let loud: Vec<_> = lint_findings(&rep)
            .filter(|f| f.severity >= Severity::Warning)
            .collect();
        assert!(loud.is_empty(), "{file}:\n{}", render(&rep));
    }
}

#[test]
fn the_identity_center_profile_does_not_demand_roles() {
    let rep = run(&fixtures().join("clean/pass-identity-center.xml"));
    assert!(lint_findings(&rep).all(|f| !f.rule.id.starts_with("role-")));
}

#[test]
fn the_generic_profile_runs_only_rules_for_all_profiles() {
    let root = fixtures().join("rules");
    let rep = run(&root.join("role-missing/pass-generic.xml"));
    assert_eq!(rep.profile, Some(super::Profile::Generic));
    for f in lint_findings(&rep) {
        assert!(f.rule.runs_in(super::Profile::Generic), "{}", f.rule.id);
    }
    // An IAM response checked as generic would trip IAM rules if they ran.
    let mut opts = options_for(&root.join("role-missing/fail-no-role-attribute.xml"));
    opts.profile = Some(super::Profile::Generic);
    let payload = Payload {
        origin: Origin::new(OriginKind::File),
        binding: Binding::Unknown,
        param: None,
        relay_state: None,
        raw: std::fs::read(root.join("role-missing/fail-no-role-attribute.xml"))
            .unwrap_or_default(),
        form: RawForm::DecodedXml,
        duplicate: None,
    };
    let rep = check_payload(0, &payload, &opts);
    assert!(lint_findings(&rep).all(|f| f.rule.id != "role-missing"));
}

/// Every rule id and code of `../shared/RULES.md` (sections 1-11) is in the registry.
#[test]
fn catalogue_rules_are_in_the_registry() {
    let Some(path) = crate::test_support::shared_file("RULES.md") else {
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap();
    let mut seen = 0;
    for line in text.lines() {
        // | `rule-id` | SL0501 | ...
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let (Some(id), Some(code)) = (cells.get(1), cells.get(2)) else {
            continue;
        };
        let Some(id) = id.strip_prefix('`').and_then(|i| i.strip_suffix('`')) else {
            continue;
        };
        let section = code.get(2..4).unwrap_or_default();
        if !(code.len() == 6 && code.starts_with("SL") && ("01"..="11").contains(&section)) {
            continue;
        }
        seen += 1;
        let meta = super::registry::find(id);
        assert_eq!(meta.map(|m| m.code), Some(*code), "{id} in the registry");
    }
    assert_eq!(
        seen,
        super::registry::RULES.len(),
        "RULES.md and the registry hold the same rules"
    );
}
