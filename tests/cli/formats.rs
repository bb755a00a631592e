//! Issue 6: CI formats (SARIF, JUnit, GitHub), `--output`, `--quiet`, `--fail-on`
//! and deterministic batch output.

use std::path::Path;

use insta::assert_snapshot;
use quick_xml::Reader;
use quick_xml::events::Event;
use serde_json::Value;

use crate::common::{check_json, samlint};

const NOW: &str = "2026-01-15T10:00:02Z";

/// The metadata the bundled samples were signed for, so the good sample is clean.
const TRUST: [&str; 2] = ["--idp-metadata", "samples/trust/okta-metadata.xml"];

/// Inputs with findings of several kinds, an input-level one and one with a
/// line:column in the decoded XML.
const BROKEN: &[&str] = &[
    "samples/broken/doctype.xml",
    "samples/broken/not-json.har",
    "samples/broken/truncated.b64",
    "samples/broken/empty.txt",
];

fn run(args: &[&str]) -> std::process::Output {
    samlint()
        .arg("check")
        .args(["--now", NOW])
        .args(TRUST)
        .args(args)
        .output()
        .unwrap()
}

fn stdout(args: &[&str]) -> String {
    String::from_utf8(run(args).stdout).unwrap()
}

fn sarif(args: &[&str]) -> Value {
    let out = stdout(&[&["--format", "sarif"], args].concat());
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

fn sarif_validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/schemas/sarif-schema-2.1.0.json"),
        )
        .unwrap(),
    )
    .unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

pub fn assert_valid_sarif(doc: &Value) {
    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF schema errors:\n{}",
        errors.join("\n")
    );
}

/// The rule descriptors are long (the explain text); snapshots keep only their ids.
fn sarif_for_snapshot(mut doc: Value) -> String {
    let rules = &mut doc["runs"][0]["tool"]["driver"]["rules"];
    let ids: Vec<Value> = rules
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            Value::String(format!(
                "{} {}",
                r["id"].as_str().unwrap(),
                r["name"].as_str().unwrap()
            ))
        })
        .collect();
    *rules = Value::Array(ids);
    doc["runs"][0]["tool"]["driver"]["version"] = "[version]".into();
    doc["runs"][0]["tool"]["driver"]["semanticVersion"] = "[version]".into();
    serde_json::to_string_pretty(&doc).unwrap()
}

// ---------------------------------------------------------------------------- SARIF

#[test]
fn sarif_is_valid_against_the_2_1_0_schema() {
    assert_valid_sarif(&sarif(&["samples/okta-aws-iam.b64"]));
    assert_valid_sarif(&sarif(BROKEN));
    assert_valid_sarif(&sarif(&[
        "samples/okta-signin.har",
        "no/such/file.har",
        "samples",
    ]));
}

#[test]
fn sarif_schema_check_is_not_vacuous() {
    let mut doc = sarif(&["samples/broken/doctype.xml"]);
    doc["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!sarif_validator().is_valid(&doc));
}

#[test]
fn sarif_rules_come_from_the_registry_and_results_point_into_them() {
    let doc = sarif(BROKEN);
    let run = &doc["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let rules_out = samlint()
        .args(["check", "--format", "sarif", "samples/okta-aws-iam.b64"])
        .args(TRUST)
        .output()
        .unwrap();
    let clean: Value = serde_json::from_slice(&rules_out.stdout).unwrap();
    // Every enabled rule is listed, fired or not, so ruleIndex is stable across runs.
    assert_eq!(
        &clean["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .len(),
        &rules.len()
    );
    for r in rules {
        let id = r["name"].as_str().unwrap();
        // Help links point into the repository named in Cargo.toml, and are left out
        // (not made up) while none is set.
        match option_env!("CARGO_PKG_REPOSITORY").filter(|r| !r.is_empty()) {
            Some(repo) => assert_eq!(
                r["helpUri"].as_str().unwrap(),
                format!("{repo}/blob/main/docs/rules.md#{id}")
            ),
            None => assert!(r.get("helpUri").is_none(), "{r}"),
        }
        assert!(!r["shortDescription"]["text"].as_str().unwrap().is_empty());
        assert!(
            r["help"]["markdown"]
                .as_str()
                .unwrap()
                .contains("## What it checks")
        );
        assert!(
            ["error", "warning", "note"]
                .contains(&r["defaultConfiguration"]["level"].as_str().unwrap())
        );
    }
    let results = run["results"].as_array().unwrap();
    assert!(results.len() >= BROKEN.len());
    for res in results {
        let idx = usize::try_from(res["ruleIndex"].as_u64().unwrap()).unwrap();
        assert_eq!(res["ruleId"], rules[idx]["id"]);
        assert!(res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].is_string());
    }
    let doctype = results
        .iter()
        .find(|r| r["properties"]["rule"] == "xml-dtd-forbidden")
        .unwrap();
    assert_eq!(doctype["level"], "error");
    let loc = &doctype["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "samples/broken/doctype.xml");
    assert_eq!(loc["region"]["startLine"], 2);
    assert_eq!(loc["region"]["startColumn"], 1);
    assert_eq!(doctype["properties"]["payload"], 0);
    // Input-level findings have the file but no region.
    let not_json = results
        .iter()
        .find(|r| r["properties"]["input"] == "samples/broken/not-json.har")
        .unwrap();
    assert!(
        not_json["locations"][0]["physicalLocation"]
            .get("region")
            .is_none()
    );
}

#[test]
fn sarif_har_results_carry_the_entry_index() {
    let dir = tempfile::tempdir().unwrap();
    let mut har: Value =
        serde_json::from_str(&std::fs::read_to_string("samples/okta-signin.har").unwrap()).unwrap();
    // Replace the payload with the DOCTYPE sample so the HAR entry has a finding.
    let doctype = base64_encode(&std::fs::read("samples/broken/doctype.xml").unwrap())
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D");
    har["log"]["entries"][4]["request"]["postData"]["text"] =
        format!("SAMLResponse={doctype}").into();
    // Entry 3's IdP page would still post the original value (a second payload).
    har["log"]["entries"][3]["response"]["content"]["text"] = "".into();
    let path = dir.path().join("capture.har");
    std::fs::write(&path, serde_json::to_string(&har).unwrap()).unwrap();
    let doc = sarif(&[path.to_str().unwrap()]);
    assert_valid_sarif(&doc);
    let res = &doc["runs"][0]["results"][0];
    assert_eq!(res["properties"]["harEntry"], 4);
    assert_eq!(res["properties"]["payload"], 0);
    assert!(
        res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .starts_with("file:///")
    );
}

fn base64_encode(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn sarif_unreadable_input_is_a_tool_notification() {
    let doc = sarif(&["no/such/file.har"]);
    let inv = &doc["runs"][0]["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    assert_eq!(inv["toolExecutionNotifications"][0]["level"], "error");
}

#[test]
fn sarif_snapshot_of_the_good_sample() {
    assert_snapshot!(sarif_for_snapshot(sarif(&["samples/okta-aws-iam.b64"])));
}

#[test]
fn sarif_snapshot_of_broken_inputs() {
    assert_snapshot!(sarif_for_snapshot(sarif(BROKEN)));
}

// ---------------------------------------------------------------------------- JUnit

#[derive(Debug, Default)]
struct Suite {
    name: String,
    tests: usize,
    failures: usize,
    cases: Vec<(String, bool)>,
}

fn attr(e: &quick_xml::events::BytesStart<'_>, name: &str) -> String {
    e.attributes()
        .map(|a| a.unwrap())
        .find(|a| AsRef::<str>::as_ref(&a.key) == name)
        .map(|a| {
            a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                .unwrap()
                .into_owned()
        })
        .unwrap_or_default()
}

/// Parses a JUnit document: suites with their test cases and whether each failed.
fn parse_junit(xml: &str) -> (usize, usize, Vec<Suite>) {
    let mut reader = Reader::from_str(xml);
    let mut suites: Vec<Suite> = Vec::new();
    let (mut tests, mut failures) = (0, 0);
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) => match AsRef::<str>::as_ref(&e.name()) {
                "testsuites" => {
                    tests = attr(&e, "tests").parse().unwrap();
                    failures = attr(&e, "failures").parse().unwrap();
                }
                "testsuite" => suites.push(Suite {
                    name: attr(&e, "name"),
                    tests: attr(&e, "tests").parse().unwrap(),
                    failures: attr(&e, "failures").parse().unwrap(),
                    cases: Vec::new(),
                }),
                "testcase" => suites
                    .last_mut()
                    .unwrap()
                    .cases
                    .push((attr(&e, "name"), false)),
                "failure" => {
                    assert!(!attr(&e, "message").is_empty());
                    suites.last_mut().unwrap().cases.last_mut().unwrap().1 = true;
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    (tests, failures, suites)
}

#[test]
fn junit_one_suite_per_input_one_case_per_payload() {
    let xml = stdout(&[
        "--format",
        "junit",
        "samples/okta-signin.har",
        "samples/broken/doctype.xml",
        "samples/broken/not-json.har",
        "tests/fixtures/har/five-signins.har",
    ]);
    let (tests, failures, suites) = parse_junit(&xml);
    assert_eq!(suites.len(), 4);
    assert_eq!(suites[0].name, "samples/okta-signin.har");
    assert_eq!(
        suites[0].cases,
        vec![("payload 0 (HAR entry 4)".to_owned(), false)]
    );
    assert_eq!(suites[1].cases, vec![("payload 0".to_owned(), true)]);
    assert_eq!(suites[2].cases, vec![("input".to_owned(), true)]);
    assert_eq!(suites[3].cases.len(), 5);
    for s in &suites {
        assert_eq!(s.tests, s.cases.len(), "{}", s.name);
        assert_eq!(
            s.failures,
            s.cases.iter().filter(|c| c.1).count(),
            "{}",
            s.name
        );
    }
    assert_eq!(tests, suites.iter().map(|s| s.tests).sum::<usize>());
    assert_eq!(failures, suites.iter().map(|s| s.failures).sum::<usize>());
}

#[test]
fn junit_failures_follow_fail_on() {
    let xml = stdout(&[
        "--format",
        "junit",
        "--fail-on",
        "never",
        "samples/broken/doctype.xml",
    ]);
    let (_, failures, suites) = parse_junit(&xml);
    assert_eq!(failures, 0);
    assert_eq!(suites[0].cases, vec![("payload 0".to_owned(), false)]);
    assert!(
        xml.contains("<system-out>error[SL0102] xml-dtd-forbidden"),
        "{xml}"
    );
}

#[test]
fn junit_unreadable_input_is_an_error() {
    let xml = stdout(&["--format", "junit", "no/such/file.har"]);
    assert!(xml.contains("errors=\"1\""), "{xml}");
    assert!(xml.contains("<error message=\"no/such/file.har: "), "{xml}");
    parse_junit(&xml);
}

#[test]
fn junit_snapshot_of_the_good_sample() {
    assert_snapshot!(stdout(&["--format", "junit", "samples/okta-aws-iam.b64"]));
}

#[test]
fn junit_snapshot_of_broken_inputs() {
    assert_snapshot!(stdout(&[&["--format", "junit"], BROKEN].concat()));
}

// ---------------------------------------------------------------------------- GitHub

#[test]
fn github_annotations_for_a_file_with_findings() {
    let out = stdout(&["--format", "github", "samples/broken/doctype.xml"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1, "{out}");
    assert!(
        lines[0].starts_with(
            "::error file=samples/broken/doctype.xml,line=2,col=1,title=SL0102 xml-dtd-forbidden::the payload was refused: "
        ),
        "{out}"
    );
    // Line breaks in the message are escaped, so each annotation is one line.
    assert!(lines[0].contains("%0AAWS error: "), "{out}");
}

#[test]
fn github_escapes_properties_and_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a,b:c%d.xml");
    std::fs::copy("samples/broken/doctype.xml", &path).unwrap();
    let out = stdout(&["--format", "github", path.to_str().unwrap()]);
    assert!(out.contains("a%2Cb%3Ac%25d.xml,line=2"), "{out}");
}

#[test]
fn github_clean_input_prints_nothing() {
    assert_eq!(
        stdout(&["--format", "github", "samples/okta-aws-iam.b64"]),
        ""
    );
}

#[test]
fn github_step_summary_is_appended() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let out = samlint()
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["check", "--now", NOW, "--format", "github"])
        .args(TRUST)
        .args(BROKEN)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(md.starts_with("earlier step\n## samlint\n"), "{md}");
    assert!(
        md.contains("| Input | Payload | Location | Severity | Rule | Message |"),
        "{md}"
    );
    assert!(
        md.contains(
            "| samples/broken/doctype.xml | #0 | 2:1 | error | SL0102 `xml-dtd-forbidden` |"
        ),
        "{md}"
    );
    // Not written for other formats.
    let other = dir.path().join("other.md");
    samlint()
        .env("GITHUB_STEP_SUMMARY", &other)
        .args(["check", "--format", "json", "samples/broken/doctype.xml"])
        .output()
        .unwrap();
    assert!(!other.exists());
}

#[test]
fn github_snapshot_of_broken_inputs() {
    assert_snapshot!(stdout(&[&["--format", "github"], BROKEN].concat()));
}

#[test]
fn github_step_summary_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    samlint()
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args([
            "check",
            "--now",
            NOW,
            "--format",
            "github",
            "samples/okta-aws-iam.b64",
        ])
        .args(TRUST)
        .args(BROKEN)
        .output()
        .unwrap();
    assert_snapshot!(std::fs::read_to_string(&summary).unwrap());
}

// ---------------------------------------------------------------------------- --output, --quiet

#[test]
fn output_writes_the_report_to_a_file_and_the_summary_to_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.sarif");
    let out = run(&[
        "--format",
        "sarif",
        "--output",
        file.to_str().unwrap(),
        "samples/broken/doctype.xml",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("samlint: 1 input, 1 payload: 1 error, 0 warnings, 0 infos in "),
        "{stderr}"
    );
    assert!(
        stderr
            .trim_end()
            .ends_with(&format!("; report written to {}", file.display())),
        "{stderr}"
    );
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_valid_sarif(&doc);
    // The same report as on stdout.
    assert_eq!(sarif(&["samples/broken/doctype.xml"]), doc);
}

#[test]
fn output_with_text_format_matches_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.txt");
    run(&[
        "--output",
        file.to_str().unwrap(),
        "samples/broken/doctype.xml",
    ]);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        stdout(&["samples/broken/doctype.xml"])
    );
}

#[test]
fn quiet_prints_no_summary_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.xml");
    let out = run(&[
        "--quiet",
        "--format",
        "junit",
        "-o",
        file.to_str().unwrap(),
        "samples/okta-aws-iam.b64",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(file.exists());
}

#[test]
fn no_summary_or_progress_on_stderr_when_it_is_not_a_terminal() {
    let out = run(&["--format", "json", "samples", "samples/broken"]);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn unwritable_output_is_exit_2() {
    let out = run(&[
        "--output",
        "/no/such/dir/report.txt",
        "samples/okta-aws-iam.b64",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write /no/such/dir/report.txt"));
}

// ---------------------------------------------------------------------------- --fail-on

const FAIL_ON: [&str; 4] = ["error", "warning", "info", "never"];

fn exit_codes(args: &[&str]) -> Vec<i32> {
    FAIL_ON
        .iter()
        .map(|f| {
            samlint()
                .args(["check", "--now", NOW, "--format", "json", "--fail-on", f])
                .args(TRUST)
                .args(args)
                .output()
                .unwrap()
                .status
                .code()
                .unwrap()
        })
        .collect()
}

#[test]
fn fail_on_each_value() {
    // Clean: 0 whatever the threshold.
    assert_eq!(exit_codes(&["samples/okta-aws-iam.b64"]), [0, 0, 0, 0]);
    // An error: 1 except with `never`.
    assert_eq!(exit_codes(&["samples/broken/doctype.xml"]), [1, 1, 1, 0]);
    // The same single finding (input-not-saml on an empty file) as a warning, an info.
    let empty = "samples/broken/empty.txt";
    assert_eq!(exit_codes(&[empty]), [1, 1, 1, 0]);
    let (_, doc) = check_json(&["--severity", "input-not-saml=warning", empty]);
    assert_eq!(
        crate::common::findings_of(&doc["inputs"][0])[0]["severity"],
        "warning"
    );
    assert_eq!(
        exit_codes(&["--severity", "input-not-saml=warning", empty]),
        [0, 1, 1, 0]
    );
    assert_eq!(
        exit_codes(&["--severity", "input-not-saml=info", empty]),
        [0, 0, 1, 0]
    );
    // A real warning-level rule: a response over STS's 100,000 characters.
    let dir = tempfile::tempdir().unwrap();
    let xml = std::fs::read_to_string("samples/okta-aws-iam.xml").unwrap();
    let at = xml.find("<saml2:Issuer").unwrap();
    let padded = format!("{}{}{}", &xml[..at], " ".repeat(80_000), &xml[at..]);
    let big = dir.path().join("big.b64");
    std::fs::write(&big, base64_encode(padded.as_bytes())).unwrap();
    let (_, doc) = check_json(&["--now", NOW, big.to_str().unwrap()]);
    let found = crate::common::findings_of(&doc["inputs"][0]);
    let big_rule = found
        .iter()
        .find(|f| f["rule"] == "response-too-large")
        .unwrap_or_else(|| panic!("{doc}"));
    assert_eq!(big_rule["severity"], "warning");
    // An unreadable input is 2 whatever the threshold.
    assert_eq!(exit_codes(&["no/such/file.b64"]), [2, 2, 2, 2]);
}

// ---------------------------------------------------------------------------- determinism

#[test]
fn output_order_is_identical_across_runs_with_many_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let samples: Vec<_> = std::fs::read_dir("samples")
        .unwrap()
        .chain(std::fs::read_dir("samples/broken").unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e != "md"))
        .collect();
    for i in 0..200 {
        let sub = dir.path().join(format!("batch-{i:03}"));
        std::fs::create_dir(&sub).unwrap();
        for s in &samples {
            std::fs::copy(s, sub.join(s.file_name().unwrap())).unwrap();
        }
    }
    let d = dir.path().to_str().unwrap();
    for format in ["json", "sarif", "junit", "github", "text"] {
        let a = run(&["--format", format, d]);
        let b = run(&["--format", format, d]);
        assert!(
            !a.stdout.is_empty(),
            "{format}: exit {:?}, stderr {}",
            a.status.code(),
            String::from_utf8_lossy(&a.stderr)
        );
        assert!(a.stdout == b.stdout, "{format} output differs between runs");
    }
    let (_, doc) = check_json(&["--now", NOW, d]);
    let sources: Vec<&str> = doc["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["source"].as_str().unwrap())
        .collect();
    assert_eq!(sources.len(), 200 * samples.len());
    let mut sorted = sources.clone();
    sorted.sort_unstable();
    assert_eq!(sources, sorted, "inputs are reported in path order");
}
