//! Real-world conformance: every case of a field collection's `expect.json` (real SAML
//! artifacts with an expert's reading) is run through the binary with its trust and
//! arguments, and every expectation is asserted, as `shared/field/check.py` does.
//!
//! Two collections: `../shared/field/` (read in place, skipped when absent outside CI)
//! and this repository's `tests/fixtures/field/`. The cases that disagree today are
//! listed in [`KNOWN`] by name with the reason: a new disagreement fails the test, and
//! so does a listed case that starts to pass (remove it from the list).

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use regex::Regex;
use serde_json::Value;

use crate::common::samlint;

/// Cases of `../shared/field/` that disagree with the expert today, and why.
const KNOWN: &[(&str, &str)] = &[];

/// The root of `../shared/` (or `SAMLINT_SHARED`), `None` when it is absent outside CI.
#[allow(clippy::print_stderr)] // the skip message is the point
fn shared_field() -> Option<PathBuf> {
    let root = std::env::var_os("SAMLINT_SHARED").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"),
        PathBuf::from,
    );
    let dir = root.join("field");
    if dir.join("expect.json").is_file() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{} is missing: CI must have shared/ beside the repository",
        dir.display()
    );
    eprintln!("skipped: {} not found", dir.display());
    None
}

const SEVERITY: [&str; 4] = ["none", "info", "warning", "error"];

fn severity_rank(s: &str) -> usize {
    SEVERITY.iter().position(|x| *x == s).unwrap_or(3)
}

fn list(v: &Value) -> &[Value] {
    v.as_array().map_or(&[], Vec::as_slice)
}

fn strs(v: &Value) -> Vec<&str> {
    list(v).iter().filter_map(Value::as_str).collect()
}

fn rule(f: &Value) -> &str {
    f["rule"].as_str().unwrap_or("?")
}

fn field<'a>(f: &'a Value, name: &str) -> &'a str {
    let v = match name.strip_prefix("fix.") {
        Some(k) => &f["fix"][k],
        None => &f[name],
    };
    v.as_str().unwrap_or("")
}

fn instant(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// "request", "response", or `None` when the payload does not say.
fn payload_kind(p: &Value) -> Option<&'static str> {
    match p["parameter"].as_str() {
        Some("SAMLRequest") => return Some("request"),
        Some("SAMLResponse") => return Some("response"),
        _ => {}
    }
    let kind = p["kind"].as_str()?.to_ascii_lowercase();
    if kind.ends_with("request") {
        Some("request")
    } else if kind.ends_with("response") {
        Some("response")
    } else {
        None
    }
}

/// The failed expectations of one expected payload against one actual payload.
#[allow(clippy::too_many_lines)] // one check per expectation field, as check.py has
fn eval_payload(exp: &Value, p: &Value, label: &str) -> Vec<String> {
    let mut fails = Vec::new();
    if let (Some(want), Some(got)) = (exp["kind"].as_str(), payload_kind(p))
        && want != got
    {
        fails.push(format!("{label}: kind is {got}, expected {want}"));
    }
    if !exp["signature_status"].is_null() {
        let allowed: Vec<&str> = match &exp["signature_status"] {
            Value::String(s) => vec![s.as_str()],
            v => strs(v),
        };
        let got = p["signature"]["status"].as_str().unwrap_or("None");
        if !allowed.contains(&got) {
            fails.push(format!(
                "{label}: signature status {got}, expected {allowed:?}"
            ));
        }
    }
    let findings = list(&p["findings"]);
    let rules: Vec<&str> = findings.iter().map(rule).collect();
    for r in strs(&exp["must"]) {
        if !rules.contains(&r) {
            fails.push(format!("{label}: missing finding {r} (has {rules:?})"));
        }
    }
    for r in strs(&exp["must_not"]) {
        if rules.contains(&r) {
            fails.push(format!("{label}: unexpected finding {r}"));
        }
    }
    if !exp["max_severity"].is_null() {
        let (level, except) = match &exp["max_severity"] {
            Value::String(s) => (s.as_str(), Vec::new()),
            v => (v["level"].as_str().unwrap_or("none"), strs(&v["except"])),
        };
        for f in findings {
            let sev = f["severity"].as_str().unwrap_or("error");
            if !except.contains(&rule(f)) && severity_rank(sev) > severity_rank(level) {
                fails.push(format!(
                    "{label}: finding {} ({sev}) above the allowed {level}",
                    rule(f)
                ));
            }
        }
    }
    let summary = &p["summary"];
    if let Some(want) = exp["summary"].as_object() {
        for (key, want) in want {
            let got = match key.as_str() {
                "profile" => p["profile"].clone(),
                _ if !summary.is_object() => {
                    fails.push(format!("{label}: no summary, expected {key}"));
                    continue;
                }
                "roles" => list(&summary["roles"]).len().into(),
                "roles_contain" => {
                    for pair in list(want) {
                        let found = list(&summary["roles"]).iter().any(|r| {
                            r["role"] == pair["role"] && r["provider"] == pair["provider"]
                        });
                        if !found {
                            fails.push(format!("{label}: summary.roles lacks {pair}"));
                        }
                    }
                    continue;
                }
                k => summary[k].clone(),
            };
            if &got != want {
                fails.push(format!("{label}: {key} is {got}, expected {want}"));
            }
        }
    }
    let decoded = strs(&p["decoded"]);
    for step in strs(&exp["decoded_includes"]) {
        if !decoded.contains(&step) {
            fails.push(format!("{label}: decoded {decoded:?} lacks {step}"));
        }
    }
    if let Some(b) = exp.get("binding")
        && &p["binding"] != b
    {
        fails.push(format!("{label}: binding {}, expected {b}", p["binding"]));
    }
    if let Some(origin) = exp["origin"].as_object() {
        for (k, want) in origin {
            if &p["origin"][k] != want {
                fails.push(format!(
                    "{label}: origin.{k} is {}, expected {want}",
                    p["origin"][k]
                ));
            }
        }
    }
    if let Some(now) = exp["now"].as_object() {
        let got = &p["now"];
        if let Some(want) = now.get("time").and_then(Value::as_str) {
            let got_time = got["time"].as_str().unwrap_or("");
            if instant(got_time).is_none() || instant(got_time) != instant(want) {
                fails.push(format!("{label}: now.time is {got_time}, expected {want}"));
            }
            if now.get("utc") == Some(&Value::Bool(true)) && !got_time.ends_with('Z') {
                fails.push(format!("{label}: now.time {got_time} is not in UTC"));
            }
        }
        if let Some(want) = now.get("source")
            && &got["source"] != want
        {
            fails.push(format!(
                "{label}: now.source is {}, expected {want}",
                got["source"]
            ));
        }
    }
    // Extension of this repository's collection: the IdP the payload is recognised as.
    if let Some(want) = exp["idp"].as_str()
        && p["idp"]["id"].as_str() != Some(want)
    {
        fails.push(format!("{label}: idp is {}, expected {want}", p["idp"]));
    }
    let sigs = list(&p["signature"]["signatures"]);
    let ok = sigs
        .iter()
        .filter(|s| s["digest_ok"] == true && s["signature_ok"] == true)
        .count();
    let failing = sigs
        .iter()
        .filter(|s| s["digest_ok"] == false || s["signature_ok"] == false)
        .count();
    if let Some(min) = exp["signatures_ok_min"].as_u64()
        && (ok as u64) < min
    {
        fails.push(format!("{label}: {ok} signature(s) verify, expected {min}"));
    }
    if let Some(min) = exp["signatures_failing_min"].as_u64()
        && (failing as u64) < min
    {
        fails.push(format!(
            "{label}: {failing} signature(s) fail, expected {min}"
        ));
    }
    fails
}

/// All order-preserving ways to pick `k` of `n` indices.
fn combinations(n: usize, k: usize) -> Vec<Vec<usize>> {
    if k == 0 {
        return vec![Vec::new()];
    }
    (k - 1..n)
        .flat_map(|last| {
            combinations(last, k - 1).into_iter().map(move |mut c| {
                c.push(last);
                c
            })
        })
        .collect()
}

/// The order-preserving assignment of expected to actual payloads with the fewest
/// failures, as check.py matches them.
fn match_payloads(expected: &[Value], actual: &[&Value]) -> Vec<String> {
    let k = expected.len().min(actual.len());
    let mut best: Option<Vec<String>> = None;
    for e in combinations(expected.len(), k) {
        for a in combinations(actual.len(), k) {
            let mut fails = Vec::new();
            for (&ei, &ai) in e.iter().zip(&a) {
                fails.extend(eval_payload(
                    &expected[ei],
                    actual[ai],
                    &format!("payload #{ai}"),
                ));
            }
            for ei in (0..expected.len()).filter(|i| !e.contains(i)) {
                fails.push(format!("expected payload #{ei}: no payload to match"));
            }
            if best.as_ref().is_none_or(|b| fails.len() < b.len()) {
                best = Some(fails);
            }
        }
    }
    best.unwrap_or_default()
}

/// One `finding_checks` item over every finding of the case; a failure text or `None`.
fn eval_item(item: &Value, findings: &[&Value], notes: &[&str]) -> Option<String> {
    let name = item["field"].as_str().unwrap_or("message");
    let re = |key: &str| {
        item[key]
            .as_str()
            .map(|p| Regex::new(p).unwrap_or_else(|e| panic!("bad regex {p}: {e}")))
    };
    if name == "notes" {
        if let Some(r) = re("match")
            && !notes.iter().any(|n| r.is_match(n))
        {
            return Some(format!("no note matches /{r}/ (notes: {notes:?})"));
        }
        if let Some(r) = re("not_match")
            && let Some(n) = notes.iter().find(|n| r.is_match(n))
        {
            return Some(format!("a note matches /{r}/: {n}"));
        }
        return None;
    }
    let want = item["rule"].as_str().unwrap_or("*");
    let sel: Vec<&Value> = findings
        .iter()
        .copied()
        .filter(|f| want == "*" || rule(f) == want)
        .collect();
    if item["exists"] == true && sel.is_empty() {
        return Some(format!("no {want} finding"));
    }
    if item["absent"] == true && !sel.is_empty() {
        return Some(format!("{want} reported: {}", field(sel[0], "message")));
    }
    if let Some(r) = re("match")
        && !sel.iter().any(|f| r.is_match(field(f, name)))
    {
        return Some(format!("no {want} {name} matches /{r}/"));
    }
    if let Some(r) = re("not_match")
        && let Some(f) = sel.iter().find(|f| r.is_match(field(f, name)))
    {
        return Some(format!(
            "{} {name} matches /{r}/: {}",
            rule(f),
            field(f, name)
        ));
    }
    if item["located"] == true && !sel.iter().any(|f| f["location"]["line"].is_u64()) {
        return Some(format!("no {want} finding has a location"));
    }
    None
}

/// Runs one case; every failed expectation, as one line each.
fn check_case(dir: &Path, case: &Value) -> Vec<String> {
    let mut cmd = samlint();
    cmd.current_dir(dir)
        .args(["check", "--format", "json", "--no-config"])
        .args(strs(&case["args"]));
    if let Some(trust) = case["trust"].as_str() {
        let flag = if trust.to_ascii_lowercase().ends_with(".xml") {
            "--idp-metadata"
        } else {
            "--idp-cert"
        };
        cmd.args([flag, trust]);
    }
    cmd.arg(case["file"].as_str().unwrap_or_default());
    let out = cmd.output().expect("samlint runs");
    let mut fails = Vec::new();
    let code = out.status.code().unwrap_or(-1);
    if code != 0 && code != 1 {
        fails.push(format!(
            "exit code {code}: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let Ok(doc) = serde_json::from_slice::<Value>(&out.stdout) else {
        fails.push("stdout is not JSON".to_owned());
        return fails;
    };
    let mut payloads = Vec::new();
    let mut findings: Vec<&Value> = Vec::new();
    let mut input_findings: Vec<&Value> = Vec::new();
    let mut notes: Vec<&str> = Vec::new();
    for input in list(&doc["inputs"]) {
        if let Some(e) = input["error"].as_str() {
            fails.push(format!("input error: {e}"));
        }
        notes.extend(strs(&input["notes"]));
        input_findings.extend(list(&input["findings"]));
        for p in list(&input["payloads"]) {
            notes.extend(strs(&p["decode_notes"]));
            findings.extend(list(&p["findings"]));
            payloads.push(p);
        }
    }
    findings.extend(input_findings.iter().copied());
    let n = payloads.len() as u64;
    if let Some(min) = case["min_payloads"].as_u64()
        && n < min
    {
        fails.push(format!("{n} payload(s), expected at least {min}"));
    }
    if let Some(max) = case["max_payloads"].as_u64()
        && n > max
    {
        fails.push(format!("{n} payloads, expected at most {max}"));
    }
    for r in strs(&case["input_must_not"]) {
        if input_findings.iter().any(|f| rule(f) == r) {
            fails.push(format!("input-level finding {r}"));
        }
    }
    fails.extend(match_payloads(list(&case["payloads"]), &payloads));
    for item in list(&case["finding_checks"]) {
        fails.extend(eval_item(item, &findings, &notes));
    }
    if case["fix_idp_not_okta"] == true {
        let okta = Regex::new(r"(?i)\bokta\b").expect("regex");
        for f in &findings {
            for key in ["fix.idp", "fix.idp_name"] {
                if okta.is_match(field(f, key)) {
                    fails.push(format!(
                        "{key} of {} names Okta: {}",
                        rule(f),
                        field(f, key)
                    ));
                }
            }
        }
    }
    fails
}

/// Runs every case of `dir/expect.json`; the names of the cases that fail, with why.
fn run_collection(dir: &Path) -> Vec<(String, Vec<String>)> {
    let text = std::fs::read_to_string(dir.join("expect.json")).expect("expect.json is readable");
    let cases: Value = serde_json::from_str(&text).expect("expect.json is JSON");
    assert!(!list(&cases).is_empty(), "{}: no cases", dir.display());
    list(&cases)
        .iter()
        .map(|case| {
            let name = case["name"].as_str().unwrap_or("?").to_owned();
            (name, check_case(dir, case))
        })
        .filter(|(_, fails)| !fails.is_empty())
        .collect()
}

fn report(failing: &[(String, Vec<String>)]) -> String {
    failing
        .iter()
        .map(|(name, fails)| format!("{name}:\n  {}", fails.join("\n  ")))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn shared_field_captures_agree_with_the_expert_reading() {
    let Some(dir) = shared_field() else { return };
    let failing = run_collection(&dir);
    let unexpected: Vec<_> = failing
        .iter()
        .filter(|(name, _)| !KNOWN.iter().any(|(k, _)| k == name))
        .cloned()
        .collect();
    assert!(
        unexpected.is_empty(),
        "cases that disagree with the expert:\n{}",
        report(&unexpected)
    );
    let fixed: Vec<&str> = KNOWN
        .iter()
        .map(|(k, _)| *k)
        .filter(|k| !failing.iter().any(|(name, _)| name == k))
        .collect();
    assert!(
        fixed.is_empty(),
        "these cases pass now: remove them from KNOWN: {fixed:?}"
    );
}

#[test]
fn own_field_captures_agree_with_their_reading() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/field");
    let failing = run_collection(&dir);
    assert!(failing.is_empty(), "{}", report(&failing));
}

#[test]
fn the_known_disagreements_are_listed_once() {
    for (i, (name, why)) in KNOWN.iter().enumerate() {
        assert!(!why.is_empty(), "{name}: give the reason");
        assert!(
            KNOWN[..i].iter().all(|(k, _)| k != name),
            "{name} is listed twice"
        );
    }
}
