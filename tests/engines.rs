//! `--engine both` over every sample, every signature fixture and every encrypted
//! fixture: the Rust engine and libxmlsec1 must agree (no `engine-disagreement`), and
//! `--engine xmlsec` must reach the same status as the Rust engine.

#![allow(clippy::unwrap_used, clippy::print_stderr)]

use std::path::{Path, PathBuf};

use samlint::input::InputSpec;
use samlint::pipeline::{self, Options};
use samlint::report::PayloadReport;
use samlint::verify::decrypt::SpKey;
use samlint::verify::{Engine, TrustStore};

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn trust_from(path: &str) -> TrustStore {
    let mut t = TrustStore::default();
    if path == "-" {
        return t;
    }
    let path = crate_dir().join(path);
    if path.extension().is_some_and(|e| e == "xml") {
        t.add_metadata_file(&path).unwrap();
    } else {
        t.add_cert_file(&path).unwrap();
    }
    t
}

fn sp_key() -> SpKey {
    let pem = std::fs::read(crate_dir().join("tests/fixtures/gen/keys/sp-key.pem")).unwrap();
    SpKey::from_pem(&pem).unwrap()
}

fn run(file: &Path, trust: &TrustStore, engine: Engine, key: Option<SpKey>) -> Vec<PayloadReport> {
    let opts = Options {
        trust: trust.clone(),
        engine,
        sp_key: key,
        now: pipeline::NowMode::IssueInstant,
        ..Options::default()
    };
    pipeline::check_spec(&InputSpec::Path(file.to_path_buf()), &opts).payloads
}

/// Every (file, trust, SP key) the agreement tests run over.
#[cfg_attr(not(feature = "xmlsec"), allow(dead_code))]
fn corpus() -> Vec<(PathBuf, String, bool)> {
    let dir = crate_dir();
    let mut out = Vec::new();
    for sub in ["samples", "samples/broken"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join(sub))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file() && p.extension().is_some_and(|e| e != "md"))
            .collect();
        files.sort();
        for f in files {
            let trust = if f.to_string_lossy().contains("identity-center") {
                "samples/trust/identity-center-signing.pem"
            } else {
                "samples/trust/okta-metadata.xml"
            };
            out.push((f.clone(), trust.to_owned(), false));
            out.push((f, "-".to_owned(), false));
        }
    }
    for har in [
        "tests/fixtures/har/five-signins.har",
        "tests/fixtures/har/firefox.har",
    ] {
        out.push((
            dir.join(har),
            "samples/trust/okta-metadata.xml".to_owned(),
            false,
        ));
    }
    let cases = std::fs::read_to_string(dir.join("tests/fixtures/signature/cases.tsv")).unwrap();
    for line in cases.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        out.push((dir.join(cols[0]), cols[1].to_owned(), false));
    }
    let enc = std::fs::read_to_string(dir.join("tests/fixtures/encrypted/cases.tsv")).unwrap();
    for line in enc.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let file = dir.join(line.split('\t').next().unwrap());
        for trust in ["samples/trust/okta-signing.pem", "-"] {
            out.push((file.clone(), trust.to_owned(), true));
            out.push((file.clone(), trust.to_owned(), false));
        }
    }
    out
}

#[test]
fn the_rust_engine_is_the_default() {
    let file = crate_dir().join("samples/okta-aws-iam.xml");
    let p = run(
        &file,
        &trust_from("samples/trust/okta-signing.pem"),
        Engine::default(),
        None,
    );
    let sig = p[0].signature.as_ref().unwrap();
    assert_eq!(sig.engine, "rust");
    assert_eq!(sig.status.as_str(), "valid");
}

#[cfg(feature = "xmlsec")]
#[test]
fn both_engines_agree_on_every_sample_and_fixture() {
    let mut n = 0;
    let mut failures = Vec::new();
    for (file, trust, key) in corpus() {
        let t = trust_from(&trust);
        let key = key.then(sp_key);
        let both = run(&file, &t, Engine::Both, key.clone());
        let rust = run(&file, &t, Engine::Rust, key);
        for (b, r) in both.iter().zip(&rust) {
            n += 1;
            let name = format!("{} (trust {trust}, payload {})", file.display(), b.index);
            for f in b
                .findings
                .iter()
                .filter(|f| f.rule.id == "engine-disagreement")
            {
                failures.push(format!("{name}: {}", f.message));
            }
            let (bs, rs) = (b.signature.as_ref(), r.signature.as_ref());
            assert_eq!(bs.map(|s| s.status), rs.map(|s| s.status), "{name}");
            if let Some(s) = bs {
                assert_eq!(s.engine, "both", "{name}");
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(n >= 100, "only {n} payloads");
}

#[cfg(feature = "xmlsec")]
#[test]
fn the_xmlsec_engine_reaches_the_rust_engines_status() {
    let mut failures = Vec::new();
    for (file, trust, key) in corpus() {
        let t = trust_from(&trust);
        let key = key.then(sp_key);
        let x = run(&file, &t, Engine::Xmlsec, key.clone());
        let r = run(&file, &t, Engine::Rust, key);
        for (x, r) in x.iter().zip(&r) {
            let (xs, rs) = (x.signature.as_ref(), r.signature.as_ref());
            if xs.map(|s| s.status) != rs.map(|s| s.status) {
                failures.push(format!(
                    "{} (trust {trust}): xmlsec {:?}, rust {:?}",
                    file.display(),
                    xs.map(|s| s.status),
                    rs.map(|s| s.status)
                ));
            }
            if let Some(s) = xs {
                assert_eq!(s.engine, "xmlsec");
            }
            // The covered element is samlint's resolution of the Reference, whose
            // maths libxmlsec1 answered: the same span as the Rust engine's (none where
            // samlint resolves no single Reference, such as two References or a
            // duplicate ID, whatever libxmlsec1 makes of them).
            let spans = |s: Option<&samlint::verify::SignatureReport>| {
                s.map(|s| {
                    s.signatures
                        .iter()
                        .map(|d| d.covered_span)
                        .collect::<Vec<_>>()
                })
            };
            if spans(xs) != spans(rs) {
                failures.push(format!(
                    "{} (trust {trust}): covered spans xmlsec {:?}, rust {:?}",
                    file.display(),
                    spans(xs),
                    spans(rs)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn encrypted_fixtures_decrypt_and_report_their_name_id() {
    let dir = crate_dir();
    let enc = std::fs::read_to_string(dir.join("tests/fixtures/encrypted/cases.tsv")).unwrap();
    for line in enc.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let file = dir.join(cols[0]);
        let p = run(
            &file,
            &trust_from("samples/trust/okta-signing.pem"),
            Engine::Rust,
            Some(sp_key()),
        );
        let p = &p[0];
        let enc = p
            .findings
            .iter()
            .find(|f| f.rule.id == "encrypted-assertion")
            .unwrap_or_else(|| panic!("{}: no encrypted-assertion", cols[0]));
        if let Some(name_id) = cols[2].strip_prefix("nameid:") {
            let summary = p.summary.as_ref().unwrap();
            assert_eq!(summary.subject.as_deref(), Some(name_id), "{}", cols[0]);
            assert!(
                enc.message.contains("decrypted with --sp-key"),
                "{}",
                enc.message
            );
            // Every span indexes the document shown (the decrypted assertion in place).
            let doc = p.document.as_ref().unwrap();
            for f in &p.findings {
                if let Some(l) = &f.primary {
                    assert!(
                        doc.text.get(l.span.start..l.span.end).is_some(),
                        "{}: {f:?}",
                        cols[0]
                    );
                }
            }
            let expected = if cols[0].contains("/signed-") {
                "valid"
            } else if cols[0].contains("/tampered-") {
                "invalid"
            } else if cols[0].contains("/wrapped-") {
                "wrapped"
            } else {
                "unsigned"
            };
            assert_eq!(
                p.signature.as_ref().map(|s| s.status.as_str()),
                Some(expected),
                "{}",
                cols[0]
            );
        } else {
            let want = cols[2].strip_prefix("error:").unwrap();
            assert!(enc.message.contains(want), "{}: {}", cols[0], enc.message);
            assert!(p.summary.as_ref().unwrap().subject.is_none());
        }
    }
}
