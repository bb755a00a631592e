//! `samlint redact`: a capture that can be shared, for each input format, and
//! `--verify` / `--dry-run`.

use std::path::Path;

use serde_json::{Value, json};

use crate::common::{check_json, cli, rules_of};

const TRUST: &str = "samples/trust/okta-signing.pem";
const IDENTITIES: &[&str] = &["jane.doe@example.com", "not-a-real-password"];

/// five-signins.har with a cookie, a bearer token and a Set-Cookie added.
fn har_with_credentials(dir: &Path) -> String {
    let text = std::fs::read_to_string("tests/fixtures/har/five-signins.har").unwrap();
    let mut har: Value = serde_json::from_str(&text).unwrap();
    for e in har["log"]["entries"].as_array_mut().unwrap() {
        e["request"]["headers"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "Authorization", "value": "Bearer tok-SECRET-123456"}));
        e["request"]["cookies"] = json!([{"name": "sid", "value": "cookie-SECRET-987"}]);
        e["response"]["headers"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "Set-Cookie", "value": "sid=cookie-SECRET-987; Secure"}));
    }
    let path = dir.join("in.har");
    std::fs::write(&path, serde_json::to_vec_pretty(&har).unwrap()).unwrap();
    path.display().to_string()
}

/// Rule ids without the signature rules (a redacted payload cannot verify).
fn non_signature(rules: Vec<String>) -> Vec<String> {
    rules
        .into_iter()
        .filter(|r| !(r.starts_with("signature-") || r == "cert-expired" || r == "trust-not-given"))
        .collect()
}

#[test]
fn har_is_redacted_verified_and_checks_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let input = har_with_credentials(dir.path());
    let out = dir.path().join("out.har");
    let out_s = out.display().to_string();
    let r = cli(&["redact", &input, "-o", &out_s, "--idp-cert", TRUST]).run();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(&out).unwrap();
    for s in IDENTITIES.iter().chain(&["tok-SECRET", "cookie-SECRET"]) {
        assert!(!text.contains(s), "{s} survives");
    }
    let har: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(har["log"]["version"], "1.2");
    assert_eq!(har["log"]["entries"].as_array().unwrap().len(), 18);
    assert!(
        har["log"]["comment"]
            .as_str()
            .unwrap()
            .starts_with("samlint-redaction/1 ")
    );

    let r = cli(&["check", &out_s, "--idp-cert", TRUST]).run();
    assert!(
        r.stdout
            .contains("redacted capture: signature was valid at redaction (key SHA256:"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("jane.doe"), "{}", r.stdout);
    let (_, before) = check_json(&[&input, "--idp-cert", TRUST]);
    let (_, after) = check_json(&[&out_s, "--idp-cert", TRUST]);
    assert_eq!(
        non_signature(rules_of(&before["inputs"][0])),
        non_signature(rules_of(&after["inputs"][0]))
    );
    let note = after["inputs"][0]["payloads"][0]["decode_notes"].to_string();
    assert!(
        note.contains("redacted capture: signature was valid"),
        "{note}"
    );

    let ok = cli(&["redact", "--verify", &input, &out_s]).run();
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    assert!(ok.stdout.starts_with("ok: "), "{}", ok.stdout);
    let other = cli(&[
        "redact",
        "--verify",
        "tests/fixtures/har/firefox.har",
        &out_s,
    ])
    .run();
    assert_eq!(other.code, 1, "{}", other.stdout);
    assert!(other.stderr.contains("does not match"), "{}", other.stderr);
}

#[test]
fn tracer_exports_keep_their_shape_and_carry_the_record() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["legacy.json", "masked.json"] {
        let input = format!("tests/fixtures/tracer/{f}");
        let out = dir.path().join(f);
        let out_s = out.display().to_string();
        let r = cli(&["redact", &input, "-o", &out_s]).run();
        assert_eq!(r.code, 0, "{f}: {}", r.stderr);
        let text = std::fs::read_to_string(&out).unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        assert!(v["requests"].is_array());
        assert!(v["samlintRedaction"]["payloads"].is_array(), "{f}");
        assert!(!text.contains("jane.doe"), "{f}: {text}");
        let r = cli(&["check", &out_s]).run();
        assert!(
            r.stdout.contains("redacted capture: signature was"),
            "{f}: {}",
            r.stdout
        );
        let ok = cli(&["redact", "--verify", &input, &out_s]).run();
        assert_eq!(ok.code, 0, "{f}: {}", ok.stderr);
    }
}

#[test]
fn raw_values_keep_their_encoding() {
    let dir = tempfile::tempdir().unwrap();
    // Base64 in 76-character CRLF lines stays so.
    let out = dir.path().join("wrapped.b64");
    let out_s = out.display().to_string();
    let r = cli(&[
        "redact",
        "tests/fixtures/decode/line-wrapped.b64",
        "-o",
        &out_s,
    ])
    .run();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("\r\n"));
    let widths: Vec<usize> = text.trim_end().split("\r\n").map(str::len).collect();
    assert!(
        widths[..widths.len() - 1].iter().all(|&w| w == 76),
        "{widths:?}"
    );
    let decoded = cli(&["decode", &out_s]).run();
    assert!(
        decoded.stdout.contains("<saml2:NameID"),
        "{}",
        decoded.stderr
    );
    assert!(!decoded.stdout.contains("jane.doe"));
    // No room for the record in base64: it goes beside the output.
    assert!(dir.path().join("wrapped.b64.samlint-record").is_file());
    let checked = cli(&["check", &out_s]).run();
    assert!(
        checked.stdout.contains("redacted capture: signature was"),
        "{}",
        checked.stdout
    );
    // Found by walking its directory, the output still has its record read.
    let walked = cli(&["check", &dir.path().display().to_string()]).run();
    assert!(
        walked.stdout.contains("redacted capture: signature was"),
        "{}",
        walked.stdout
    );
    let ok = cli(&[
        "redact",
        "--verify",
        "tests/fixtures/decode/line-wrapped.b64",
        &out_s,
    ])
    .run();
    assert_eq!(ok.code, 0, "{}", ok.stderr);

    // A redirect URL stays a URL with a deflated value; XML gets the record.
    for (f, name) in [
        ("tests/fixtures/decode/redirect-url.txt", "url.txt"),
        ("tests/fixtures/responses/okta-iam.xml", "r.xml"),
        ("tests/fixtures/decode/double-urlencoded.txt", "double.txt"),
    ] {
        let out = dir.path().join(name);
        let out_s = out.display().to_string();
        let r = cli(&["redact", f, "-o", &out_s]).run();
        assert_eq!(r.code, 0, "{f}: {}", r.stderr);
        let r = cli(&["decode", &out_s]).run();
        assert_eq!(r.code, 0, "{f}: {}", r.stderr);
        assert!(
            !r.stdout.contains("jane.doe") && !r.stdout.contains("Jane.Doe"),
            "{f}"
        );
    }
    let url = std::fs::read_to_string(dir.path().join("url.txt")).unwrap();
    assert!(
        url.starts_with("https://signin.aws.amazon.com/saml?SAMLResponse="),
        "{url}"
    );
    let decoded = cli(&["decode", &dir.path().join("url.txt").display().to_string()]).run();
    assert!(decoded.stderr.contains("inflate"), "{}", decoded.stderr);
    let xml = cli(&["check", &dir.path().join("r.xml").display().to_string()]).run();
    assert!(
        xml.stdout.contains("redacted capture: signature was"),
        "{}",
        xml.stdout
    );
}

#[test]
fn html_form_values_are_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let b64 = std::fs::read_to_string("samples/okta-aws-iam.b64").unwrap();
    let page = format!(
        "<!DOCTYPE html><html><body><p>jane.doe@example.com</p><form method=\"post\" \
         action=\"https://signin.aws.amazon.com/saml\"><input type=\"hidden\" name=\"SAMLResponse\" \
         value=\"{}\"/><input type=\"hidden\" name=\"csrf_token\" value=\"csrf-SECRET\"/></form></body></html>",
        b64.trim().replace('+', "&#43;")
    );
    let input = dir.path().join("page.html");
    std::fs::write(&input, page).unwrap();
    let out = dir.path().join("out.html");
    let out_s = out.display().to_string();
    let r = cli(&["redact", &input.display().to_string(), "-o", &out_s]).run();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        !text.contains("jane.doe") && !text.contains("csrf-SECRET"),
        "{text}"
    );
    assert!(text.contains("name=\"SAMLResponse\""));
    assert!(text.starts_with("<!--samlint-redaction/1 "), "{text}");
}

#[test]
fn dry_run_lists_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = har_with_credentials(dir.path());
    let out = dir.path().join("never.har");
    let r = cli(&[
        "redact",
        &input,
        "-o",
        &out.display().to_string(),
        "--dry-run",
    ])
    .run();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!out.exists());
    for s in [
        "entry 4 request.postData: SAMLResponse decoded (url, base64)",
        "header Authorization removed",
        "request cookies removed",
        "request body removed",
        "jane.doe@example.com → ",
    ] {
        assert!(r.stdout.contains(s), "{s} not in:\n{}", r.stdout);
    }
}

#[test]
fn several_inputs_go_to_a_directory_and_one_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let outdir = dir.path().join("shared");
    let r = cli(&[
        "redact",
        "tests/fixtures/har/firefox.har",
        "tests/fixtures/tracer/legacy.json",
        "-o",
        &outdir.display().to_string(),
    ])
    .run();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(outdir.join("firefox.har").is_file() && outdir.join("legacy.json").is_file());
    let r = cli(&["redact", "samples/okta-aws-iam.form.txt", "-o", "-"]).run();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("SAMLResponse="), "{}", r.stdout);
    let r = cli(&[
        "redact",
        "samples/okta-aws-iam.b64",
        "-o",
        "samples/okta-aws-iam.b64",
    ])
    .run();
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("would overwrite the input"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_record_cannot_hide_the_findings_of_a_signature_that_was_not_blanked() {
    let dir = tempfile::tempdir().unwrap();
    let input = "tests/fixtures/har/five-signins.har";
    let out = dir.path().join("out.har");
    let r = cli(&["redact", input, "-o", &out.display().to_string()]).run();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let redacted: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let comment = redacted["log"]["comment"].as_str().unwrap();
    let mut record: Value =
        serde_json::from_str(comment.strip_prefix("samlint-redaction/1 ").unwrap()).unwrap();
    // A forged record that names the original (still signed) payloads.
    for p in record["payloads"].as_array_mut().unwrap() {
        p["redacted_sha256"] = p["original_sha256"].clone();
    }
    let mut original: Value = serde_json::from_slice(&std::fs::read(input).unwrap()).unwrap();
    original["log"]["comment"] = Value::String(format!("samlint-redaction/1 {record}"));
    let forged = dir.path().join("forged.har");
    std::fs::write(&forged, serde_json::to_vec(&original).unwrap()).unwrap();
    let (_, doc) = check_json(&[&forged.display().to_string()]);
    let rules = rules_of(&doc["inputs"][0]);
    // No trust was given: the signatures that still verify say so.
    assert!(rules.contains(&"trust-not-given".to_owned()), "{rules:?}");
    assert!(!doc.to_string().contains("redacted capture"));
}

#[test]
fn mask_accounts_keeps_the_findings() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.har");
    let out_s = out.display().to_string();
    let input = "tests/fixtures/har/five-signins.har";
    let r = cli(&["redact", input, "-o", &out_s, "--mask-accounts"]).run();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let decoded = cli(&["decode", &out_s]).run();
    assert!(
        decoded.stdout.contains(":saml-provider/Okta"),
        "{}",
        decoded.stdout
    );
    assert!(!decoded.stdout.contains("123456789012"));
    assert!(
        !std::fs::read_to_string(&out)
            .unwrap()
            .contains("123456789012")
    );
    let (_, before) = check_json(&[input]);
    let (_, after) = check_json(&[&out_s]);
    assert_eq!(
        non_signature(rules_of(&before["inputs"][0])),
        non_signature(rules_of(&after["inputs"][0]))
    );
}

#[test]
fn unreadable_content_is_a_one_line_error() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in [
        ("empty.txt", &b""[..]),
        ("binary.b64", &b"\xff\xfe\x00garbage"[..]),
        (
            "broken.har",
            &b"{\"log\": {\"entries\": [{\"request\": 5}]}}"[..],
        ),
    ] {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        let out = dir.path().join(format!("{name}.out"));
        let r = cli(&[
            "redact",
            &p.display().to_string(),
            "-o",
            &out.display().to_string(),
        ])
        .run();
        assert!(r.code == 0 || r.code == 2, "{name}: {}", r.stderr);
        assert!(!r.stderr.contains("panicked"), "{name}: {}", r.stderr);
        assert_eq!(r.stderr.trim().lines().count(), 1, "{name}: {}", r.stderr);
    }
}
