//! `--engine` and `--sp-key` through the real binary.

use serde_json::Value;

use crate::common::{check_json, cli};

const SP_KEY: &str = "tests/fixtures/gen/keys/sp-key.pem";
const OKTA: &str = "samples/trust/okta-signing.pem";
const ENC: &str = "tests/fixtures/encrypted";

fn payload(doc: &Value) -> &Value {
    &doc["inputs"][0]["payloads"][0]
}

fn finding<'a>(p: &'a Value, rule: &str) -> Option<&'a Value> {
    p["findings"]
        .as_array()?
        .iter()
        .find(|f| f["rule"].as_str() == Some(rule))
}

#[test]
fn the_rust_engine_is_the_default_and_can_be_named() {
    for extra in [&[][..], &["--engine", "rust"][..]] {
        let mut args = vec![
            "samples/okta-aws-iam.xml",
            "--idp-cert",
            OKTA,
            "--now",
            "issue-instant",
        ];
        args.extend_from_slice(extra);
        let (_, doc) = check_json(&args);
        let sig = &payload(&doc)["signature"];
        assert_eq!(sig["engine"], "rust");
        assert_eq!(sig["status"], "valid");
    }
}

#[test]
fn an_unknown_engine_is_a_usage_error() {
    let run = cli(&["check", "samples/okta-aws-iam.xml", "--engine", "openssl"]).run();
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("rust, xmlsec, both"), "{}", run.stderr);
}

#[cfg(not(feature = "xmlsec"))]
#[test]
fn xmlsec_engines_need_the_feature() {
    for engine in ["xmlsec", "both"] {
        let run = cli(&["check", "samples/okta-aws-iam.xml", "--engine", engine]).run();
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(
            run.stderr
                .contains("built without the xmlsec feature; rebuild with --features xmlsec"),
            "{}",
            run.stderr
        );
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    }
}

#[cfg(feature = "xmlsec")]
#[test]
fn xmlsec_and_both_engines_report_themselves() {
    for (engine, file, status) in [
        ("xmlsec", "samples/okta-aws-iam.xml", "valid"),
        ("both", "samples/okta-aws-iam.xml", "valid"),
        ("xmlsec", "samples/broken/tampered.b64", "invalid"),
        ("both", "samples/broken/tampered.b64", "invalid"),
        ("both", "tests/fixtures/signature/xsw1.xml", "wrapped"),
    ] {
        let (_, doc) = check_json(&[
            file,
            "--idp-cert",
            OKTA,
            "--engine",
            engine,
            "--now",
            "issue-instant",
        ]);
        let p = payload(&doc);
        assert_eq!(p["signature"]["engine"], engine, "{file}");
        assert_eq!(p["signature"]["status"], status, "{file} with {engine}");
        assert!(finding(p, "engine-disagreement").is_none(), "{file}: {p}");
    }
}

#[test]
fn sp_key_decrypts_every_encrypted_fixture() {
    for (file, name_id, status) in [
        (
            "oaep-mgf1p-aes128-cbc.xml",
            "enc-oaep-cbc@example.com",
            "unsigned",
        ),
        ("rsa15-aes256-cbc.xml", "enc-rsa15@example.com", "unsigned"),
        (
            "oaep11-sha256-aes256-gcm.xml",
            "enc-oaep11-gcm@example.com",
            "unsigned",
        ),
        (
            "sibling-key-aes256-gcm.xml",
            "enc-sibling@example.com",
            "unsigned",
        ),
        ("signed-response.xml", "enc-signed@example.com", "valid"),
        (
            "signed-assertion.xml",
            "enc-signed-assertion@example.com",
            "valid",
        ),
    ] {
        let path = format!("{ENC}/{file}");
        let (_, doc) = check_json(&[&path, "--sp-key", SP_KEY, "--idp-cert", OKTA]);
        let p = payload(&doc);
        assert_eq!(p["summary"]["subject"], name_id, "{file}");
        assert_eq!(p["signature"]["status"], status, "{file}");
        let f = finding(p, "encrypted-assertion").unwrap();
        assert!(
            f["message"]
                .as_str()
                .unwrap()
                .contains("decrypted with --sp-key"),
            "{file}: {f}"
        );
        // Assertion findings point into the decrypted assertion shown in `document`.
        assert!(finding(p, "assertion-expired").is_some(), "{file}");
    }
}

#[test]
fn the_decrypted_assertions_signature_is_verified() {
    let path = format!("{ENC}/signed-assertion.xml");
    let (_, doc) = check_json(&[&path, "--sp-key", SP_KEY, "--idp-cert", OKTA]);
    let sigs = &payload(&doc)["signature"]["signatures"];
    assert_eq!(sigs[0]["covers"], "Assertion");
    assert_eq!(sigs[0]["signature_ok"], true);
    assert_eq!(sigs[0]["trust_entry"], OKTA);
    // Without the key, nothing covers the encrypted content: the Response is unsigned.
    let (_, doc) = check_json(&[&path, "--idp-cert", OKTA]);
    assert_eq!(payload(&doc)["signature"]["status"], "unsigned");
}

#[test]
fn the_text_report_shows_decrypted_lines() {
    let run = cli(&[
        "check",
        &format!("{ENC}/signed-response.xml"),
        "--sp-key",
        SP_KEY,
        "--idp-cert",
        OKTA,
    ])
    .run();
    assert!(
        run.stdout.contains("enc-signed@example.com"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_wrong_sp_key_is_a_finding_not_a_crash() {
    let (_, doc) = check_json(&[&format!("{ENC}/other-key.xml"), "--sp-key", SP_KEY]);
    let p = payload(&doc);
    let m = finding(p, "encrypted-assertion").unwrap()["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(m.contains("--sp-key could not open it"), "{m}");
    assert!(m.contains("another key"), "{m}");
    assert!(p["summary"]["subject"].is_null());
}

#[test]
fn without_a_key_the_finding_names_the_flag_and_the_encryption() {
    let (_, doc) = check_json(&[&format!("{ENC}/signed-response.xml"), "--idp-cert", OKTA]);
    let p = payload(&doc);
    // A valid trusted signature over the root Response is still `valid`.
    assert_eq!(p["signature"]["status"], "valid");
    let m = finding(p, "encrypted-assertion").unwrap()["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(m.contains("pass --sp-key FILE"), "{m}");
    assert!(
        m.contains("aes128-cbc") && m.contains("rsa-oaep-mgf1p"),
        "{m}"
    );
    assert!(m.contains("to an RSA-2048 key"), "{m}");
    // Identity Center refuses encrypted assertions outright.
    let (_, doc) = check_json(&[
        &format!("{ENC}/signed-response.xml"),
        "--profile",
        "aws-identity-center",
    ]);
    assert!(finding(payload(&doc), "ic-encrypted-assertion").is_some());
}

#[test]
fn a_bad_sp_key_file_is_a_one_line_usage_error() {
    for key in [OKTA, "no/such/key.pem"] {
        let run = cli(&["check", "samples/okta-aws-iam.xml", "--sp-key", key]).run();
        assert_eq!(run.code, 2, "{key}: {}", run.stderr);
        assert!(
            run.stderr.starts_with("samlint: --sp-key"),
            "{}",
            run.stderr
        );
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    }
}
