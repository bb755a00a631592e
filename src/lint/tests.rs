//! Rule-level unit tests: that every rule has fixtures (`tests/rules.rs` runs each one
//! as its own test and snapshots the findings), the catalogue against RULES.md, and the
//! profile behaviour of the clean responses.

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
    let v: serde_json::Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{}: not a valid sidecar: {e}", xml.display()));
    if let Some(e) = v.get("expected") {
        opts.expected = serde_json::from_value::<Expected>(e.clone())
            .unwrap_or_else(|e| panic!("{}: not a valid expected context: {e}", xml.display()));
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

/// Rules without fixtures in `tests/fixtures/rules`, each with where it is tested
/// instead. Every other rule has a `fail-*` and a `pass-*` case there, run one test per
/// case by `tests/rules.rs`.
const TESTED_ELSEWHERE: &[(&str, &str)] = &[
    (
        "engine-disagreement",
        "needs two engines that disagree: tests/cli/engines.rs and src/verify/engines.rs",
    ),
    (
        "metadata-invalid",
        "IdP metadata: tests/cli/metadata.rs, src/lint/metadata.rs",
    ),
    (
        "metadata-no-signing-cert",
        "IdP metadata: tests/cli/metadata.rs, src/lint/metadata.rs",
    ),
    (
        "metadata-cert-unacceptable",
        "IdP metadata: tests/cli/metadata.rs, src/lint/metadata.rs",
    ),
    (
        "metadata-cert-expired",
        "IdP metadata: tests/cli/metadata.rs, src/lint/metadata.rs",
    ),
    (
        "metadata-entityid-invalid",
        "IdP metadata: tests/cli/metadata.rs, src/lint/metadata.rs",
    ),
    (
        "metadata-identity-center-incompatible",
        "IdP metadata: tests/cli/metadata.rs, src/lint/metadata.rs",
    ),
    ("trust-policy-principal-missing", "not yet implemented"),
    ("trust-policy-condition-failed", "not yet implemented"),
    ("trust-policy-explicit-deny", "not yet implemented"),
    ("trust-policy-tag-session-denied", "not yet implemented"),
    ("trust-policy-source-identity-denied", "not yet implemented"),
    ("provider-key-mismatch", "not yet implemented"),
    ("provider-issuer-mismatch", "not yet implemented"),
    ("aws-export-incomplete", "not yet implemented"),
    ("cloudtrail-failure", "not yet implemented"),
];

#[test]
fn every_rule_has_failing_and_passing_fixtures() {
    let root = fixtures().join("rules");
    let mut problems = Vec::new();
    for rule in RULES {
        let id = rule.meta.id;
        let cases: Vec<String> = std::fs::read_dir(root.join(id))
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .filter_map(|e| e.file_name().into_string().ok())
                    .collect()
            })
            .unwrap_or_default();
        let has = |prefix: &str| cases.iter().any(|c| c.starts_with(prefix));
        let elsewhere = TESTED_ELSEWHERE.iter().any(|(r, _)| *r == id);
        match (has("fail-") && has("pass-"), elsewhere) {
            (true, true) => {
                problems.push(format!("{id}: has fixtures, drop it from TESTED_ELSEWHERE"));
            }
            (false, false) => problems.push(format!(
                "{id}: no fail-* and pass-* fixtures in tests/fixtures/rules/{id}"
            )),
            _ => {}
        }
    }
    for (id, _) in TESTED_ELSEWHERE {
        if super::registry::find(id).is_none() {
            problems.push(format!("{id}: in TESTED_ELSEWHERE but not a rule"));
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
        let shown: Vec<String> = loud
            .iter()
            .map(|f| format!("{} {}: {}", f.rule.code, f.rule.id, f.message))
            .collect();
        assert!(shown.is_empty(), "{file}:\n{}", shown.join("\n"));
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
