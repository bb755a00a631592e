//! Signature verification against the generated fixtures (`tests/fixtures/signature`)
//! and the shared corpus of real responses (`../shared/corpus`).

#![allow(clippy::unwrap_used, clippy::print_stderr)]

use std::path::{Path, PathBuf};

use samlint::input::InputSpec;
use samlint::pipeline::{self, Options};
use samlint::report::PayloadReport;
use samlint::verify::TrustStore;

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn trust_from(path: &Path) -> TrustStore {
    let mut t = TrustStore::default();
    if path.extension().is_some_and(|e| e == "xml") {
        t.add_metadata_file(path).unwrap();
    } else {
        t.add_cert_file(path).unwrap();
    }
    t
}

fn check(file: &Path, trust: TrustStore) -> PayloadReport {
    let opts = Options {
        trust,
        now: pipeline::NowMode::IssueInstant,
        ..Options::default()
    };
    let mut r = pipeline::check_spec(&InputSpec::Path(file.to_path_buf()), &opts);
    assert!(r.error.is_none(), "{}: {:?}", file.display(), r.error);
    assert!(!r.payloads.is_empty(), "{}: no payload", file.display());
    r.payloads.swap_remove(0)
}

fn status(p: &PayloadReport) -> &'static str {
    p.signature.as_ref().map_or("none", |s| s.status.as_str())
}

fn ids(p: &PayloadReport) -> Vec<&'static str> {
    p.findings.iter().map(|f| f.rule.id).collect()
}

#[test]
fn fixture_cases_match_their_expected_status() {
    let dir = crate_dir();
    let cases = std::fs::read_to_string(dir.join("tests/fixtures/signature/cases.tsv")).unwrap();
    let mut n = 0;
    for line in cases.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (file, trust, expected) = (cols[0], cols[1], cols[2]);
        let trust = if trust == "-" {
            TrustStore::default()
        } else {
            trust_from(&dir.join(trust))
        };
        let p = check(&dir.join(file), trust);
        let got = status(&p);
        // A signed document that is not a Response stops before verification.
        let ok = got == expected
            || (expected == "error" && got == "none" && ids(&p).contains(&"input-not-saml"));
        assert!(
            ok,
            "{file}: expected {expected}, got {got}: {:?}",
            p.findings
        );
        n += 1;
    }
    assert!(n >= 40, "only {n} cases");
}

fn fixture(name: &str, trust: Option<&str>) -> PayloadReport {
    let dir = crate_dir();
    let t = trust.map_or_else(TrustStore::default, |t| trust_from(&dir.join(t)));
    check(&dir.join("tests/fixtures/signature").join(name), t)
}

const OKTA: Option<&str> = Some("samples/trust/okta-metadata.xml");

#[test]
fn findings_name_the_problem() {
    // No trust at all: a warning naming the flags and the embedded certificate.
    let p = fixture("valid-assertion-signed.xml", None);
    assert_eq!(status(&p), "untrusted");
    assert!(!ids(&p).contains(&"signature-untrusted"));
    let f = finding(&p, "trust-not-given");
    assert_eq!(f.severity, samlint::lint::Severity::Warning);
    assert!(f.message.contains("--idp-metadata"), "{}", f.message);
    assert!(f.message.contains("maths hold"), "{}", f.message);
    assert!(
        f.message.contains("CN=okta-example IdP, SHA256:"),
        "{}",
        f.message
    );

    let p = fixture("tampered-nameid.xml", OKTA);
    let f = p
        .findings
        .iter()
        .find(|f| f.rule.id == "signature-invalid")
        .unwrap();
    assert!(f.message.contains("digest"), "{}", f.message);
    let sig = &p.signature.as_ref().unwrap().signatures[0];
    assert_eq!(sig.digest_ok, Some(false));

    let p = fixture("tampered-signature-value.xml", OKTA);
    let sig = &p.signature.as_ref().unwrap().signatures[0];
    assert_eq!((sig.digest_ok, sig.signature_ok), (Some(true), Some(false)));

    let p = fixture("nameid-comment.xml", OKTA);
    let f = p
        .findings
        .iter()
        .find(|f| f.rule.id == "nameid-comment")
        .unwrap();
    assert!(
        f.message.contains("admin@example.com.evil.example"),
        "{}",
        f.message
    );
    assert!(f.message.contains("'admin@example.com'"), "{}", f.message);

    let p = fixture("rsa-sha1.xml", OKTA);
    assert!(ids(&p).contains(&"signature-weak-algorithm"));
    let p = fixture("hmac-sha256.xml", OKTA);
    assert!(ids(&p).contains(&"signature-algorithm-unsupported"));
    let p = fixture(
        "expired-cert.xml",
        Some("tests/fixtures/signature/trust/idp-expired.pem"),
    );
    assert!(ids(&p).contains(&"cert-expired"));
    let p = fixture("xsw3.xml", OKTA);
    assert!(ids(&p).iter().all(|&i| i != "signature-invalid"));
    assert!(ids(&p).contains(&"signature-wrapping"));
}

fn finding<'p>(p: &'p PayloadReport, rule: &str) -> &'p samlint::lint::Finding {
    p.findings
        .iter()
        .find(|f| f.rule.id == rule)
        .unwrap_or_else(|| panic!("no {rule}: {:?}", ids(p)))
}

/// An attacker who signs the whole Response with their own key marks nothing as signed:
/// the evil Assertion beside the IdP-signed one is still wrapping.
#[test]
fn attacker_signatures_mark_nothing_signed() {
    for name in [
        "attacker-signed-extensions.xml",
        "attacker-signed-sibling.xml",
        "attacker-signed-first.xml",
        "attacker-signed-status-detail.xml",
        "attacker-signed-encrypted-sibling.xml",
    ] {
        let p = fixture(name, OKTA);
        assert_eq!(status(&p), "wrapped", "{name}: {:?}", p.findings);
        let f = finding(&p, "signature-wrapping");
        assert!(
            f.message.contains("Assertion at /Response/"),
            "{name}: {}",
            f.message
        );
        // The attacker's signature itself holds: the maths are not what is wrong.
        let sigs = &p.signature.as_ref().unwrap().signatures;
        let response_sig = sigs.iter().find(|s| s.covers == "Response").unwrap();
        assert_eq!(response_sig.signature_ok, Some(true), "{name}");
        assert!(response_sig.trusted_key.is_none(), "{name}");
        // With no trust, the attacker's signature is no more signed content.
        let p = fixture(name, None);
        assert_eq!(status(&p), "wrapped", "{name}: {:?}", p.findings);
    }
}

/// AWS checks every signature it finds: a Response signed by an unknown key over the
/// IdP-signed Assertion is `untrusted`, and the finding is on the Response's signature.
#[test]
fn every_signature_on_the_response_and_c_must_be_trusted() {
    let p = fixture("attacker-response-over-idp-assertion.xml", OKTA);
    assert_eq!(status(&p), "untrusted");
    let f = finding(&p, "signature-untrusted");
    assert!(f.message.contains("in no trust entry"), "{}", f.message);
    let sigs = &p.signature.as_ref().unwrap().signatures;
    let trusted: Vec<(&str, bool)> = sigs
        .iter()
        .map(|s| (s.covers.as_str(), s.trusted_key.is_some()))
        .collect();
    assert_eq!(trusted, [("Response", false), ("Assertion", true)]);
    // The finding points at the Response's signature (line 1, before the Assertion).
    let doc = p.document.as_ref().unwrap();
    let at = f.primary.as_ref().unwrap().span.start;
    assert!(
        doc.text[at..].starts_with("<ds:Signature"),
        "{}",
        &doc.text[at..at + 40]
    );
    assert!(at < doc.text.find("<saml2:Assertion").unwrap());
}

/// A metadata key trusts only the entity whose IDPSSODescriptor lists it for signing;
/// the message says whose key verified.
#[test]
fn metadata_keys_trust_only_their_idp() {
    for (md, owner) in [
        (
            "aggregate-sp-key.xml",
            "the SP signing key of entity urn:amazon:webservices",
        ),
        (
            "aggregate-other-idp.xml",
            "the IdP signing key of entity https://idp.attacker.example",
        ),
        (
            "encryption-only-key.xml",
            "the encryption-only key of entity http://www.okta.com/exk1fxp0h4KeDbOKs5d7",
        ),
        (
            "sp-only.xml",
            "the SP signing key of entity http://www.okta.com/exk1fxp0h4KeDbOKs5d7",
        ),
    ] {
        let trust = format!("tests/fixtures/signature/trust/{md}");
        let p = fixture("attacker-keyinfo.xml", Some(&trust));
        assert_eq!(status(&p), "untrusted", "{md}");
        let f = finding(&p, "signature-untrusted");
        assert!(f.message.contains(owner), "{md}: {}", f.message);
        assert!(f.message.contains(&format!("{md}#")), "{md}: {}", f.message);
    }
    // The second IdP's key is good for that IdP's own Issuer.
    let p = fixture(
        "other-idp-own-issuer.xml",
        Some("tests/fixtures/signature/trust/aggregate-other-idp.xml"),
    );
    assert_eq!(status(&p), "valid");
    // --idp-cert vouches for any Issuer.
    let p = fixture(
        "other-idp-own-issuer.xml",
        Some("tests/fixtures/signature/trust/attacker.pem"),
    );
    assert_eq!(status(&p), "valid");
}

/// The decrypted Assertion is judged by the same decision as any other.
#[test]
fn decrypted_assertions_are_decided_once() {
    let dir = crate_dir();
    let pem = std::fs::read(dir.join("tests/fixtures/gen/keys/sp-key.pem")).unwrap();
    let run = |name: &str| {
        let opts = Options {
            trust: trust_from(&dir.join("samples/trust/okta-metadata.xml")),
            now: pipeline::NowMode::IssueInstant,
            sp_key: Some(samlint::verify::decrypt::SpKey::from_pem(&pem).unwrap()),
            ..Options::default()
        };
        let file = dir.join("tests/fixtures/encrypted").join(name);
        pipeline::check_spec(&InputSpec::Path(file), &opts)
            .payloads
            .swap_remove(0)
    };
    let p = run("signed-assertion.xml");
    assert_eq!(status(&p), "valid", "{:?}", p.findings);
    let p = run("tampered-signed-assertion.xml");
    assert_eq!(status(&p), "invalid", "{:?}", p.findings);
    assert!(finding(&p, "signature-invalid").message.contains("digest"));
    let p = run("wrapped-signed-assertion.xml");
    assert_eq!(status(&p), "wrapped", "{:?}", p.findings);
    let f = finding(&p, "signature-wrapping");
    // Spans index the decrypted text the report shows.
    let doc = p.document.as_ref().unwrap();
    let at = f.primary.as_ref().unwrap().span.start;
    assert!(doc.text[at..].starts_with('<'), "{}", &doc.text[at..]);
    let p = run("signed-response.xml");
    assert_eq!(status(&p), "valid", "{:?}", p.findings);
}

#[test]
fn report_describes_the_signature() {
    let p = fixture("valid-assertion-signed.xml", OKTA);
    let r = p.signature.as_ref().unwrap();
    assert_eq!(r.engine, "rust");
    let s = &r.signatures[0];
    assert_eq!(s.covers, "Assertion");
    assert!(s.id.is_some());
    assert_eq!(s.path, "/Response/Assertion");
    assert_eq!(s.algorithm.as_deref(), Some("rsa-sha256"));
    assert_eq!(s.c14n.as_deref(), Some("exc-c14n"));
    assert_eq!(s.digest_algorithm.as_deref(), Some("sha256"));
    assert_eq!((s.digest_ok, s.signature_ok), (Some(true), Some(true)));
    assert!(s.trusted_key.as_deref().unwrap().starts_with("SHA256:"));
    assert!(
        s.trust_entry
            .as_deref()
            .unwrap()
            .contains("okta-metadata.xml")
    );
    let cert = s.certificate.as_ref().unwrap();
    assert!(!cert.subject.is_empty() && !cert.serial.is_empty());
}

#[test]
fn fingerprint_trust() {
    let dir = crate_dir();
    let p = fixture("valid-assertion-signed.xml", OKTA);
    let fp = p.signature.unwrap().signatures[0]
        .trusted_key
        .clone()
        .unwrap();
    let mut t = TrustStore::default();
    t.add_fingerprint(&fp).unwrap();
    let p = check(
        &dir.join("tests/fixtures/signature/valid-assertion-signed.xml"),
        t,
    );
    assert_eq!(status(&p), "valid");
    let mut t = TrustStore::default();
    t.add_fingerprint(&format!("SHA256:{}", "00".repeat(32)))
        .unwrap();
    let p = check(
        &dir.join("tests/fixtures/signature/valid-assertion-signed.xml"),
        t,
    );
    assert_eq!(status(&p), "untrusted");
}

// ---------------------------------------------------------------- corpus

fn expected_status(verdict: &str) -> &'static [&'static str] {
    match verdict {
        "signature_valid" => &["valid"],
        "signature_invalid" => &["invalid", "error"],
        "xsw" => &["wrapped"],
        "unsigned" => &["unsigned"],
        "wrong_cert" => &["untrusted"],
        _ => &[],
    }
}

/// Every row of the corpus where samlint's status differs from the source library's
/// verdict: `(path, samlint's status, why)`. The list is exact: a new disagreement, or
/// one that goes away, fails `corpus_conformance` until it is written here (and in
/// docs/conformance.md). `none` is an input that never reached verification.
const EXPECTED_DISAGREEMENTS: &[(&str, &str, &str)] = &[
    (
        "responses/python3-saml/response_without_assertion_reference_uri.b64",
        "wrapped",
        "the Assertion's Signature has URI=\"\", so it references the Response, not its parent",
    ),
    (
        "responses/ruby-saml/response_test_rb_inline_fp49EC3FA4.b64",
        "error",
        "a 512-bit RSA key: keys under 1024 bits are not evaluated",
    ),
    (
        "responses/ruby-saml/adfs_response_sha1.xml",
        "error",
        "xmldsig-more#rsa-sha1 and xmlenc#sha1 are not registered URIs (xmlsec1 refuses them too)",
    ),
    (
        "responses/ruby-saml/adfs_response_sha384.xml",
        "error",
        "xmlenc#sha384 is not a registered DigestMethod (xmlsec1 refuses it too)",
    ),
    (
        "responses/crewjam-saml/TestSPMultipleAssertions.xml",
        "wrapped",
        "two Assertions share one ID, one unsigned: duplicate IDs are wrapping",
    ),
    (
        "responses/goxmldsig/validate_test_ecdsaResponse.xml",
        "invalid",
        "an ASN.1 DER ECDSA SignatureValue, not the r||s XML-DSig requires (xmlsec1 agrees)",
    ),
    (
        "responses/goxmldsig/validate_test_spoofedAsTodd.xml",
        "none",
        "xmlns:ds=\"\" is not well-formed XML 1.0: input-not-saml, never verified",
    ),
    (
        "responses/node-saml/valid_response.root-signed.assertion-signed.2advice-signed.xml",
        "wrapped",
        "a SignedInfo with two References; exactly one is allowed",
    ),
    (
        "responses/node-saml/invalid_response.root-signed.assertion-signed.2advice-signed.xml",
        "wrapped",
        "the same two-Reference shape; wrapped comes before invalid",
    ),
    (
        "responses/node-saml/response.root-signed.message-signed-double-subjectconfirmation.xml",
        "invalid",
        "the Assertion's own signature fails its digest; node-saml checks only the Response's",
    ),
    (
        "responses/node-saml/response.root-signed.message-signed-no-subjectconfirmation.xml",
        "invalid",
        "the Assertion's own signature fails its digest; node-saml checks only the Response's",
    ),
    (
        "responses/node-saml/response.root-signed.message-signed-empty-subjectconfirmation.xml",
        "invalid",
        "the Assertion's own signature fails its digest; node-saml checks only the Response's",
    ),
    (
        "responses/node-saml/invalid_response.root-signed.multiple-root-elements.xml",
        "none",
        "two document elements are not well-formed XML: input-not-saml, never verified",
    ),
];

#[test]
fn corpus_conformance() {
    // `SAMLINT_CORPUS` points elsewhere (e.g. from a worktree).
    let corpus = std::env::var_os("SAMLINT_CORPUS")
        .map_or_else(|| crate_dir().join("../shared/corpus"), PathBuf::from);
    let Ok(manifest) = std::fs::read_to_string(corpus.join("MANIFEST.tsv")) else {
        // In CI shared/ is cloned beside the repository: missing, it is a failure.
        assert!(
            std::env::var_os("CI").is_none(),
            "{} is missing in CI",
            corpus.display()
        );
        eprintln!(
            "SKIPPED: {} is absent (CI clones shared/ beside the repository)",
            corpus.display()
        );
        return;
    };
    let mut problems = Vec::new();
    let mut rows = 0;
    let mut seen = std::collections::BTreeSet::new();
    for line in manifest.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (path, trust, verdict, source) = (cols[0], cols[3], cols[4], cols[5]);
        let p = check(&corpus.join(path), trust_from(&corpus.join(trust)));
        let got = status(&p);
        rows += 1;
        let agrees = expected_status(verdict).contains(&got);
        let listed = EXPECTED_DISAGREEMENTS.iter().find(|(p, _, _)| *p == path);
        if listed.is_some() {
            seen.insert(path.to_owned());
        }
        match (agrees, listed) {
            (true, None) => {}
            (false, Some((_, want, _))) if *want == got => {}
            (false, Some((_, want, _))) => problems.push(format!(
                "{path}: listed as {want}, now {got} (expected {verdict} from {source})"
            )),
            (true, Some(_)) => problems.push(format!(
                "{path}: now agrees ({got}): drop it from EXPECTED_DISAGREEMENTS"
            )),
            (false, None) => {
                let why: Vec<&str> = p
                    .findings
                    .iter()
                    .map(|f| f.message.as_str())
                    .take(2)
                    .collect();
                problems.push(format!(
                    "{path} ({source}): expected {verdict}, got {got}: {why:?}"
                ));
            }
        }
        // A false `valid` is never acceptable, listed or not.
        if got == "valid" && verdict != "signature_valid" {
            problems.push(format!("{path}: FALSE VALID (expected {verdict})"));
        }
    }
    for (path, _, _) in EXPECTED_DISAGREEMENTS {
        if !seen.contains(*path) {
            problems.push(format!("{path}: listed but not in the manifest"));
        }
    }
    assert!(rows > 0, "the manifest lists no rows");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// ------------------------------------------------- fail-closed mutations

fn verify_text(text: &str, trust: &TrustStore) -> samlint::verify::Verification {
    let doc = samlint::xml::parse(text, &samlint::limits::Limits::default()).unwrap();
    let response = samlint::saml::Response::read(&doc);
    samlint::verify::verify(&doc, &response, trust)
}

fn okta() -> TrustStore {
    trust_from(&crate_dir().join("samples/trust/okta-metadata.xml"))
}

fn good() -> String {
    std::fs::read_to_string(crate_dir().join("tests/fixtures/signature/valid-assertion-signed.xml"))
        .unwrap()
}

/// Replaces the text of the first `<ds:{local}>` element.
fn replace_text(text: &str, local: &str, with: &str) -> String {
    let open = format!("<ds:{local}>");
    let close = format!("</ds:{local}>");
    let start = text.find(&open).unwrap() + open.len();
    let end = start + text[start..].find(&close).unwrap();
    format!("{}{with}{}", &text[..start], &text[end..])
}

fn status_of(v: &samlint::verify::Verification) -> &'static str {
    v.report.as_ref().unwrap().status.as_str()
}

fn messages(v: &samlint::verify::Verification) -> String {
    v.findings
        .iter()
        .map(samlint::lint::signature::finding)
        .map(|f| format!("{}: {}", f.rule.id, f.message))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn corrupt_signature_value_is_invalid() {
    let v = verify_text(
        &replace_text(&good(), "SignatureValue", "@@not base64@@"),
        &okta(),
    );
    assert_eq!(status_of(&v), "invalid", "{}", messages(&v));
    assert!(messages(&v).contains("not base64"));
}

#[test]
fn comment_in_signature_value_is_invalid() {
    let text = good();
    let start = text.find("<ds:SignatureValue>").unwrap() + "<ds:SignatureValue>".len();
    let mutated = format!("{}<!---->{}", &text[..start], &text[start..]);
    let v = verify_text(&mutated, &okta());
    assert_eq!(status_of(&v), "invalid", "{}", messages(&v));
}

#[test]
fn unparsable_keyinfo_without_trust_is_invalid() {
    let v = verify_text(
        &replace_text(&good(), "X509Certificate", "AAAA"),
        &TrustStore::default(),
    );
    assert_eq!(status_of(&v), "invalid", "{}", messages(&v));
}

#[test]
fn reference_to_another_node_is_wrapped() {
    let text = good();
    // Point the Assertion's Reference at the Response.
    let resp_id = {
        let i = text.find(" ID=\"").unwrap() + 5;
        text[i..i + text[i..].find('"').unwrap()].to_owned()
    };
    let uri_at = text.find("URI=\"#").unwrap() + 6;
    let uri_end = uri_at + text[uri_at..].find('"').unwrap();
    let mutated = format!("{}{resp_id}{}", &text[..uri_at], &text[uri_end..]);
    let v = verify_text(&mutated, &okta());
    assert_eq!(status_of(&v), "wrapped", "{}", messages(&v));
    assert!(messages(&v).contains("not the element it sits in"));
}

#[test]
fn unresolvable_reference_is_invalid() {
    let text = good();
    let uri_at = text.find("URI=\"#").unwrap() + 6;
    let mutated = format!("{}nowhere-{}", &text[..uri_at], &text[uri_at..]);
    let v = verify_text(&mutated, &okta());
    assert_eq!(status_of(&v), "invalid", "{}", messages(&v));
}

#[test]
fn xpath_transform_is_refused() {
    let text = good().replace(
        "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
        "http://www.w3.org/TR/1999/REC-xpath-19991116",
    );
    let v = verify_text(&text, &okta());
    assert_eq!(status_of(&v), "error", "{}", messages(&v));
    assert!(
        v.findings
            .iter()
            .any(|f| f.issue == samlint::verify::Issue::AlgorithmUnsupported)
    );
}

#[test]
fn consumed_is_the_first_assertion_child() {
    let text = good();
    let doc = samlint::xml::parse(&text, &samlint::limits::Limits::default()).unwrap();
    let response = samlint::saml::Response::read(&doc);
    let v = samlint::verify::verify(&doc, &response, &okta());
    assert_eq!(v.consumed, response.assertions.first().copied());
}

#[test]
fn bad_trust_file_is_a_usage_error() {
    let dir = crate_dir();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_samlint"))
        .args(["check", "--idp-cert"])
        .arg(dir.join("Cargo.toml"))
        .arg(dir.join("tests/fixtures/signature/valid-assertion-signed.xml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("samlint: ") && err.contains("Cargo.toml: "),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_samlint"))
        .args(["check", "--format", "json", "--idp-fingerprint"])
        .arg("SHA1:00112233445566778899aabbccddeeff00112233")
        .arg(dir.join("tests/fixtures/signature/valid-assertion-signed.xml"))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("SHA-1"));
}

#[test]
fn assertion_hidden_in_the_response_signature_object_is_wrapped() {
    let text = std::fs::read_to_string(
        crate_dir().join("tests/fixtures/signature/valid-response-signed.xml"),
    )
    .unwrap();
    let evil = r#"<ds:Object><saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" ID="evil"/></ds:Object></ds:Signature>"#;
    let at = text.find("</ds:Signature>").unwrap();
    let mutated = format!(
        "{}{evil}{}",
        &text[..at],
        &text[at + "</ds:Signature>".len()..]
    );
    let v = verify_text(&mutated, &okta());
    assert_eq!(status_of(&v), "wrapped", "{}", messages(&v));
}

/// Deleting any one character of a signed fixture never panics, and never makes a
/// tampered document valid.
#[test]
fn one_character_deletions_never_panic() {
    let dir = crate_dir().join("tests/fixtures/signature");
    let trust = okta();
    for name in [
        "valid-both-signed.xml",
        "xsw3.xml",
        "tampered-nameid.xml",
        "c14n-inclusive.xml",
    ] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let mut i = 0;
        while i < text.len() {
            if text.is_char_boundary(i) && text.is_char_boundary(i + 1) {
                let mutated = format!("{}{}", &text[..i], &text[i + 1..]);
                if let Ok(doc) = samlint::xml::parse(&mutated, &samlint::limits::Limits::default())
                {
                    let response = samlint::saml::Response::read(&doc);
                    let v = samlint::verify::verify(&doc, &response, &trust);
                    // (Deleting from xsw3's evil namespace URI leaves junk, not an
                    // Assertion, so only the tampered file is held to this.)
                    if name == "tampered-nameid.xml" {
                        assert_ne!(status_of(&v), "valid", "{name} without byte {i}");
                    }
                }
            }
            i += 7;
        }
    }
}

// ------------------------------------------------- decision-table mutations

/// A covering signature samlint cannot evaluate makes the status `error` even when
/// another signature on the Response can be evaluated (and fails).
#[test]
fn an_unsupported_covering_signature_is_an_error_beside_a_supported_one() {
    let text =
        std::fs::read_to_string(crate_dir().join("tests/fixtures/signature/valid-both-signed.xml"))
            .unwrap();
    let rsa = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
    let hmac = "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256";
    // The second SignatureMethod is the Assertion's.
    let at = text.rfind(rsa).unwrap();
    let text = format!("{}{hmac}{}", &text[..at], &text[at + rsa.len()..]);
    let v = verify_text(&text, &okta());
    assert_eq!(status_of(&v), "error", "{}", messages(&v));
    let sigs = &v.report.as_ref().unwrap().signatures;
    // The Response's signature was evaluated: its digest no longer matches.
    assert_eq!(sigs[0].covers, "Response");
    assert_eq!(sigs[0].digest_ok, Some(false));
}

/// Every wrapping reason is reported, each once.
#[test]
fn each_wrapping_reason_is_a_finding() {
    let p = fixture("attacker-signed-first.xml", OKTA);
    let reasons: Vec<&str> = p
        .findings
        .iter()
        .filter(|f| f.rule.id == "signature-wrapping")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(reasons[0].contains("/Response/Assertion[2] is beside the consumed assertion"));
    assert!(reasons[1].contains("a valid Signature sits in /Response/Assertion[2]"));
}

/// Trust given by one kind of entry only is still trust given: an unknown key is
/// `signature-untrusted` (an error), never `trust-not-given`.
#[test]
fn any_trust_entry_makes_an_unknown_key_untrusted() {
    let okta_fp = fixture("valid-assertion-signed.xml", OKTA)
        .signature
        .unwrap()
        .signatures[0]
        .trusted_key
        .clone()
        .unwrap();
    let mut fingerprint_only = TrustStore::default();
    fingerprint_only.add_fingerprint(&okta_fp).unwrap();
    let cert_only = trust_from(&crate_dir().join("samples/trust/okta-signing.pem"));
    let sp_only = trust_from(&crate_dir().join("tests/fixtures/signature/trust/sp-only.xml"));
    for (what, trust) in [
        ("fingerprint", fingerprint_only),
        ("certificate", cert_only),
        ("SP-only metadata", sp_only),
    ] {
        let p = check(
            &crate_dir().join("tests/fixtures/signature/attacker-keyinfo.xml"),
            trust,
        );
        assert_eq!(status(&p), "untrusted", "{what}");
        assert!(
            ids(&p).contains(&"signature-untrusted"),
            "{what}: {:?}",
            ids(&p)
        );
        assert!(!ids(&p).contains(&"trust-not-given"), "{what}");
    }
}

/// The trust entry reported is the one whose key verified (rollover metadata lists the
/// new certificate first, then the current one), not another entry of the same entity.
#[test]
fn the_trust_entry_is_the_verifying_one() {
    for (file, entry) in [
        ("rollover-signed.xml", "okta-rollover-metadata.xml#1"),
        ("valid-assertion-signed.xml", "okta-rollover-metadata.xml#2"),
    ] {
        let p = fixture(file, Some("samples/trust/okta-rollover-metadata.xml"));
        assert_eq!(status(&p), "valid", "{file}");
        let sig = &p.signature.as_ref().unwrap().signatures[0];
        let got = sig.trust_entry.as_deref().unwrap();
        assert!(got.ends_with(entry), "{file}: {got}");
    }
}

/// A duplicated ID names its first five carriers and counts the rest: exactly five are
/// all named with no "and 0 more", seven are five names and "and 2 more".
#[test]
fn duplicate_id_messages_name_five_carriers_and_count_the_rest() {
    let id = "ide89f93aa6bf0526903f4ecca8eb8ec77";
    let with_copies = |copies: usize| {
        let extra = format!(r#"<x ID="{id}"/>"#).repeat(copies);
        let status = r#"<saml2p:Status xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol">"#;
        let text = good();
        assert!(text.contains(status));
        text.replacen(
            status,
            &format!(
                r#"<saml2p:Extensions xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol">{extra}</saml2p:Extensions>{status}"#
            ),
            1,
        )
    };
    let five = verify_text(&with_copies(4), &okta());
    assert_eq!(status_of(&five), "wrapped", "{}", messages(&five));
    let m = messages(&five);
    assert!(
        m.contains(&format!("the ID '{id}' is carried by 5 elements")),
        "{m}"
    );
    assert!(!m.contains("more"), "{m}");
    let seven = verify_text(&with_copies(6), &okta());
    let m = messages(&seven);
    assert!(m.contains("and 2 more"), "{m}");
}

/// Each signature reports the span of the node its Reference resolved to (the node
/// digested; for an enveloped signature its parent): the element at its `path` in the
/// document the report shows. A Reference that resolves to nothing (a duplicate ID)
/// reports no span, so nothing is shown as covered by it.
#[test]
fn covered_span_is_the_digested_element() {
    let dir = crate_dir();
    let cases = std::fs::read_to_string(dir.join("tests/fixtures/signature/cases.tsv")).unwrap();
    let mut spans = 0;
    for line in cases.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let trust = if cols[1] == "-" {
            TrustStore::default()
        } else {
            trust_from(&dir.join(cols[1]))
        };
        let p = check(&dir.join(cols[0]), trust);
        let Some(report) = &p.signature else { continue };
        let text = &p.document.as_ref().unwrap().text;
        let doc = samlint::xml::parse(text, &samlint::limits::Limits::default()).unwrap();
        let root = doc.root();
        for d in &report.signatures {
            if d.digest_ok.is_some() {
                assert!(d.covered_span.is_some(), "{}: {d:?}", cols[0]);
            }
            let Some(span) = d.covered_span else { continue };
            let node = std::iter::once(root)
                .chain(doc.descendants(root))
                .find(|&n| doc.element(n).is_some() && doc.span(n) == span)
                .unwrap_or_else(|| panic!("{}: no element at {span:?}", cols[0]));
            assert_eq!(doc.path(node), d.path, "{}", cols[0]);
            spans += 1;
        }
    }
    assert!(spans >= 40, "only {spans} spans");

    // XSW3: the signed original is the second Assertion; the span is that one's.
    let p = fixture("xsw3.xml", OKTA);
    let text = &p.document.as_ref().unwrap().text;
    let d = &p.signature.as_ref().unwrap().signatures[0];
    let span = d.covered_span.unwrap();
    let second = text.rfind("<saml2:Assertion").unwrap();
    assert_eq!(span.start, second);
    assert!(text[..span.end].ends_with("</saml2:Assertion>"));
    assert!(!text[span.start..span.end].contains("_evil_assertion_ID"));
    // XSW7: the ID is carried twice, so the Reference resolves to nothing.
    let p = fixture("xsw7.xml", OKTA);
    let d = &p.signature.as_ref().unwrap().signatures[0];
    assert_eq!((d.covered_span, d.digest_ok), (None, None));
}
