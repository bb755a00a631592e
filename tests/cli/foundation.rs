//! Issue: the pipeline end to end, every input form to `check` JSON.

use insta::assert_snapshot;
use serde_json::Value;

use crate::common::{check_json, rules_of, samlint};

const GOOD_XML_LEN: usize = 5200;

fn payloads(input: &Value) -> &Vec<Value> {
    input["payloads"].as_array().expect("payloads array")
}

#[test]
fn every_sample_decodes_to_a_saml_response() {
    for sample in [
        "samples/okta-aws-iam.b64",
        "samples/okta-aws-iam.form.txt",
        "samples/okta-aws-iam.xml",
        "samples/okta-signin.har",
        "samples/saml-tracer.json",
        "samples/identity-center.b64",
    ] {
        let (_, doc) = check_json(&["--now", "2026-01-15T10:00:02Z", sample]);
        let input = &doc["inputs"][0];
        assert_eq!(input["source"], sample);
        assert_eq!(input["error"], Value::Null, "{sample}");
        assert_eq!(payloads(input).len(), 1, "{sample}");
        let p = &payloads(input)[0];
        assert!(
            !rules_of(input).iter().any(|r| r == "input-not-saml"),
            "{sample}: {:?}",
            rules_of(input)
        );
        assert_eq!(p["summary"]["subject"], "jane.doe@example.com", "{sample}");
    }
}

#[test]
fn all_three_encodings_of_the_good_sample_decode_to_the_same_response() {
    let (_, doc) = check_json(&[
        "--now",
        "2026-01-15T10:00:02Z",
        "samples/okta-aws-iam.b64",
        "samples/okta-aws-iam.form.txt",
        "samples/okta-aws-iam.xml",
    ]);
    let decoded: Vec<&Value> = doc["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["payloads"][0]["decoded"])
        .collect();
    assert_eq!(decoded[0], &serde_json::json!(["base64", "utf8"]));
    assert_eq!(decoded[1], &serde_json::json!(["url", "base64", "utf8"]));
    assert_eq!(decoded[2], &serde_json::json!(["utf8"]));
    let summaries: Vec<&Value> = doc["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["payloads"][0]["summary"])
        .collect();
    assert_eq!(summaries[0], summaries[1]);
    assert_eq!(summaries[1], summaries[2]);
}

#[test]
fn summary_carries_what_aws_reads() {
    let (code, doc) = check_json(&[
        "--idp-metadata",
        "samples/trust/okta-metadata.xml",
        "samples/okta-signin.har",
    ]);
    assert_eq!(code, 0);
    let p = &doc["inputs"][0]["payloads"][0];
    assert_eq!(p["origin"]["kind"], "har");
    assert_eq!(p["origin"]["entry"], 4);
    assert_eq!(p["origin"]["url"], "https://signin.aws.amazon.com/saml");
    assert_eq!(p["origin"]["time"], "2026-01-15T10:00:02Z");
    assert_eq!(p["binding"], "post");
    assert_eq!(p["profile"], "aws-iam");
    assert_eq!(p["now"]["source"], "capture time");
    let s = &p["summary"];
    assert_eq!(s["issuer"], "http://www.okta.com/exk1fxp0h4KeDbOKs5d7");
    assert_eq!(s["session_name"], "jane.doe@example.com");
    assert_eq!(s["session_duration"], 3600);
    assert_eq!(
        s["roles"][0],
        serde_json::json!({
            "role": "arn:aws:iam::123456789012:role/Admin",
            "provider": "arn:aws:iam::123456789012:saml-provider/Okta"
        })
    );
    assert_eq!(s["not_on_or_after"], "2026-01-15T10:05:00.000Z");
}

#[test]
fn form_body_on_stdin() {
    let body = std::fs::read("samples/okta-aws-iam.form.txt").unwrap();
    let out = samlint()
        .args([
            "check",
            "--format",
            "json",
            "--now",
            "2026-01-15T10:00:01Z",
            "--idp-metadata",
            "samples/trust/okta-metadata.xml",
            "-",
        ])
        .write_stdin(body)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let input = &doc["inputs"][0];
    assert_eq!(input["source"], "-");
    let p = &input["payloads"][0];
    assert_eq!(p["origin"]["kind"], "stdin");
    assert_eq!(p["parameter"], "SAMLResponse");
    assert_eq!(p["decoded"], serde_json::json!(["url", "base64", "utf8"]));
    assert_eq!(p["summary"]["subject"], "jane.doe@example.com");
}

#[test]
fn har_with_five_sign_ins_yields_five_payloads_with_entries_and_times() {
    let (_, doc) = check_json(&["tests/fixtures/har/five-signins.har"]);
    let input = &doc["inputs"][0];
    assert_eq!(input["container"], "har");
    assert_eq!(input["stats"]["with_saml"], 5);
    let ps = payloads(input);
    assert_eq!(ps.len(), 5);
    let mut last_time = String::new();
    let mut entries = Vec::new();
    for (i, p) in ps.iter().enumerate() {
        assert_eq!(p["index"], i);
        entries.push(p["origin"]["entry"].as_u64().unwrap());
        let t = p["origin"]["time"].as_str().unwrap().to_owned();
        assert!(t > last_time, "times increase: {t} after {last_time}");
        last_time = t;
        assert!(p["summary"]["subject"].is_string());
    }
    entries.dedup();
    assert_eq!(entries.len(), 5, "distinct entries");
}

#[test]
fn every_decode_path() {
    for (file, steps) in [
        (
            "tests/fixtures/decode/line-wrapped.b64",
            vec!["base64", "utf8"],
        ),
        (
            "tests/fixtures/decode/whitespace.b64",
            vec!["base64", "utf8"],
        ),
        (
            "tests/fixtures/decode/urlsafe-nopad.b64",
            vec!["base64", "utf8"],
        ),
        (
            "tests/fixtures/decode/redirect-url.txt",
            vec!["url", "base64", "inflate", "utf8"],
        ),
        (
            "tests/fixtures/decode/double-urlencoded.txt",
            vec!["url", "url", "base64", "utf8"],
        ),
        (
            "tests/fixtures/decode/log-line.txt",
            vec!["url", "base64", "utf8"],
        ),
    ] {
        let (_, doc) = check_json(&["--now", "2026-01-15T10:00:02Z", file]);
        let p = &doc["inputs"][0]["payloads"][0];
        assert_eq!(p["decoded"], serde_json::json!(steps), "{file}");
        assert_eq!(p["summary"]["subject"], "jane.doe@example.com", "{file}");
    }
    // Every decode path gives the very bytes of the raw XML sample.
    let out = samlint()
        .args(["decode", "--raw", "tests/fixtures/decode/redirect-url.txt"])
        .output()
        .unwrap();
    let xml = std::fs::read_to_string("samples/okta-aws-iam.xml").unwrap();
    assert_eq!(xml.len(), GOOD_XML_LEN);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim_end(),
        xml.trim_end()
    );
}

#[test]
fn other_containers() {
    let (_, doc) = check_json(&[
        "tests/fixtures/har/firefox.har",
        "tests/fixtures/har/redirect-get.har",
        "tests/fixtures/tracer/legacy.json",
        "tests/fixtures/tracer/masked.json",
        "samples/saml-tracer.json",
    ]);
    let inputs = doc["inputs"].as_array().unwrap();
    // Firefox writes params decoded; they must decode all the same.
    assert!(
        payloads(&inputs[0])
            .iter()
            .all(|p| p["summary"]["subject"].is_string())
    );
    let redirect = payloads(&inputs[1]);
    assert!(redirect.iter().any(|p| {
        p["binding"] == "redirect"
            && p["decoded"]
                .as_array()
                .unwrap()
                .contains(&Value::from("inflate"))
    }));
    // A masked tracer export still yields the XML from its `saml` field.
    let masked = payloads(&inputs[3]);
    assert!(!masked.is_empty());
    assert!(
        masked
            .iter()
            .all(|p| p["decoded"] == serde_json::json!(["utf8"]))
    );
    // Tracer requests carry no time: the export's timestamp is the capture time.
    let tracer = &payloads(&inputs[4])[0];
    assert_eq!(tracer["origin"]["kind"], "tracer");
    assert_eq!(tracer["origin"]["time"], "2026-01-15T10:00:05Z");
}

/// Bad inputs each get a finding or error naming what was wrong, and the batch goes on.
#[test]
fn broken_inputs_never_stop_the_batch() {
    let (code, doc) = check_json(&[
        "samples/broken/doctype.xml",
        "samples/broken/truncated.b64",
        "samples/broken/not-json.har",
        "samples/broken/empty.txt",
        "samples/broken/html-login-page.txt",
        "samples/okta-signin.har",
    ]);
    assert_eq!(code, 1, "findings at error level");
    let inputs = doc["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 6);
    let first_message = |i: &Value| -> String {
        i["findings"]
            .as_array()
            .unwrap()
            .iter()
            .chain(
                payloads(i)
                    .iter()
                    .flat_map(|p| p["findings"].as_array().unwrap()),
            )
            .map(|f| f["message"].as_str().unwrap().to_owned())
            .next()
            .unwrap_or_default()
    };
    let expect = [
        ("xml-dtd-forbidden", "DOCTYPE"),
        ("input-not-saml", "base64 is truncated"),
        ("input-not-saml", "not a HAR file"),
        ("input-not-saml", "empty"),
        ("input-not-saml", "HTML page"),
    ];
    for (input, (rule, needle)) in inputs.iter().zip(expect) {
        assert_eq!(
            rules_of(input),
            vec![rule.to_owned()],
            "{}",
            input["source"]
        );
        let msg = first_message(input);
        assert!(msg.contains(needle), "{}: {msg}", input["source"]);
        assert_eq!(input["error"], Value::Null);
    }
    // The good capture after them is still checked.
    assert_eq!(
        inputs[5]["payloads"][0]["summary"]["subject"],
        "jane.doe@example.com"
    );
}

#[test]
fn doctype_entities_are_never_expanded() {
    let (_, doc) = check_json(&["samples/broken/doctype.xml"]);
    let p = &doc["inputs"][0]["payloads"][0];
    assert_eq!(
        p["summary"],
        Value::Null,
        "nothing was read from the document"
    );
    assert_eq!(p["findings"][0]["location"]["line"], 2);
}

#[test]
fn missing_input_is_exit_2_and_the_rest_still_runs() {
    let out = samlint()
        .args([
            "check",
            "--format",
            "json",
            "no/such/file.b64",
            "samples/okta-aws-iam.xml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("samlint: no/such/file.b64: "),
        "{stderr}"
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(doc["inputs"][0]["error"].is_string());
    assert_eq!(doc["inputs"][1]["payloads"].as_array().unwrap().len(), 1);
}

#[test]
fn directories_are_searched_in_a_stable_order() {
    let (_, doc) = check_json(&["tests/fixtures/decode"]);
    let sources: Vec<&str> = doc["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["source"].as_str().unwrap())
        .collect();
    let mut sorted = sources.clone();
    sorted.sort_unstable();
    assert_eq!(sources, sorted);
    assert_eq!(sources.len(), 6);
}

#[test]
fn now_modes() {
    let (_, clock) = check_json(&["samples/okta-aws-iam.b64"]);
    assert_eq!(
        clock["inputs"][0]["payloads"][0]["now"]["source"],
        "clock; no capture time"
    );
    let (_, ii) = check_json(&["--now", "issue-instant", "samples/okta-aws-iam.b64"]);
    assert_eq!(
        ii["inputs"][0]["payloads"][0]["now"]["time"],
        "2026-01-15T10:00:00Z"
    );
    let out = samlint()
        .args(["check", "--now", "yesterday", "samples/okta-aws-iam.b64"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn json_snapshot_of_the_good_sample() {
    let out = samlint()
        .args([
            "check",
            "--format",
            "json",
            "--idp-metadata",
            "samples/trust/okta-metadata.xml",
            "samples/okta-signin.har",
        ])
        .output()
        .unwrap();
    assert_snapshot!(String::from_utf8_lossy(&out.stdout));
}

#[test]
fn text_snapshot_of_the_good_sample() {
    let out = samlint()
        .args([
            "check",
            "--idp-metadata",
            "samples/trust/okta-metadata.xml",
            "samples/okta-signin.har",
        ])
        .output()
        .unwrap();
    assert_snapshot!(String::from_utf8_lossy(&out.stdout));
}

#[test]
fn text_snapshot_of_broken_inputs() {
    let out = samlint()
        .args([
            "check",
            "samples/broken/doctype.xml",
            "samples/broken/authn-request.txt",
            "samples/broken/not-json.har",
        ])
        .output()
        .unwrap();
    assert_snapshot!(String::from_utf8_lossy(&out.stdout));
}
