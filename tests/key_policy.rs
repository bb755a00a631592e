//! One key-size policy for every signature algorithm (docs/verification.md, "Algorithms
//! and keys"), against `tests/fixtures/key-policy`: responses signed by signxml with
//! RSA 512–4096 and EC P-256/384/521 keys, one per algorithm.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use samlint::input::InputSpec;
use samlint::pipeline::{self, Options};
use samlint::verify::TrustStore;

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The signature status of `file` with `cert` as the only trust.
fn status(file: &Path, cert: &Path) -> String {
    let mut trust = TrustStore::default();
    trust.add_cert_file(cert).unwrap();
    let opts = Options {
        trust,
        now: pipeline::NowMode::IssueInstant,
        ..Options::default()
    };
    let r = pipeline::check_spec(&InputSpec::Path(file.to_path_buf()), &opts);
    r.payloads[0]
        .signature
        .as_ref()
        .map_or("none", |s| s.status.as_str())
        .to_owned()
}

struct Case {
    file: PathBuf,
    cert: PathBuf,
    expected: String,
}

fn cases() -> Vec<Case> {
    let dir = crate_dir();
    let tsv = std::fs::read_to_string(dir.join("tests/fixtures/key-policy/cases.tsv")).unwrap();
    tsv.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            Case {
                file: dir.join(cols[0]),
                cert: dir.join(cols[1]),
                expected: cols[2].to_owned(),
            }
        })
        .collect()
}

/// Every algorithm gives the policy's answer for its key: `valid` for RSA 1024–4096
/// bits (PKCS#1 v1.5 SHA-1/256/384/512 and PSS SHA-256/384/512) and every curve with
/// every SHA-2 digest; `error` for a 512-bit key and for ECDSA-SHA1.
#[test]
fn every_algorithm_and_key_size_gets_the_policy_answer() {
    let cases = cases();
    assert!(cases.len() >= 31, "only {} cases", cases.len());
    let mut by_key: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for c in &cases {
        let got = status(&c.file, &c.cert);
        assert_eq!(got, c.expected, "{}", c.file.display());
        let key = c.cert.file_name().unwrap().to_string_lossy().into_owned();
        by_key.entry(key).or_default().push(got);
    }
    // The same key gets the same answer whatever SHA-2 method it signed with.
    for (key, answers) in &by_key {
        if key.starts_with("rsa-1024") || key.starts_with("rsa-2048") || key.starts_with("rsa-4096")
        {
            assert!(answers.iter().all(|a| a == "valid"), "{key}: {answers:?}");
        }
    }
    // RSA-SHA384 and RSA-PSS on a 1024-bit key are evaluated like RSA-SHA256.
    for name in [
        "rsa-1024-rsa-sha384.xml",
        "rsa-1024-rsa-pss-sha256.xml",
        "rsa-1024-rsa-pss-sha384.xml",
    ] {
        assert!(
            cases
                .iter()
                .any(|c| c.file.ends_with(name) && c.expected == "valid"),
            "{name}"
        );
    }
}

/// The maths is checked for every pair: one changed SignatureValue character makes
/// each valid case `invalid`.
#[test]
fn a_changed_signature_value_fails_for_every_algorithm_and_key_size() {
    let tmp = tempfile::tempdir().unwrap();
    for c in cases().iter().filter(|c| c.expected == "valid") {
        let xml = std::fs::read_to_string(&c.file).unwrap();
        let at = xml.find("SignatureValue>").unwrap() + "SignatureValue>".len() + 8;
        let mut bytes = xml.into_bytes();
        bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
        let path = tmp.path().join(c.file.file_name().unwrap());
        std::fs::write(&path, bytes).unwrap();
        assert_eq!(status(&path, &c.cert), "invalid", "{}", c.file.display());
    }
}
