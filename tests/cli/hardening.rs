//! Issue: hostile and broken input never crashes samlint or loses a result.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

use crate::common::{check_json, rules_of, samlint};

/// A small seeded generator (xorshift64*), so the batch is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap()
    }
}

const MARKUP: &[&str] = &[
    "<",
    "<x>",
    "</saml2:Assertion>",
    "<!--",
    "]]>",
    "<!DOCTYPE x [<!ENTITY e \"e\">]>",
    "&e;",
    "<?pi?>",
    "\"",
    "&#0;",
    "<saml2:Assertion xmlns:saml2=\"urn:oasis:names:tc:SAML:2.0:assertion\">",
];

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut b = input.to_vec();
    match rng.below(6) {
        // Bit flips.
        0 => {
            for _ in 0..=rng.below(8) {
                let i = rng.below(b.len());
                b[i] ^= 1 << rng.below(8);
            }
        }
        // Truncation.
        1 => b.truncate(rng.below(b.len())),
        // Inserted markup.
        2 => {
            let at = rng.below(b.len());
            let m = MARKUP[rng.below(MARKUP.len())].as_bytes();
            b.splice(at..at, m.iter().copied());
        }
        // A duplicated chunk.
        3 => {
            let start = rng.below(b.len());
            let len = rng.below(b.len() - start).min(4096);
            let chunk = b[start..start + len].to_vec();
            let at = rng.below(b.len());
            b.splice(at..at, chunk);
        }
        // Re-encoded base64 of mutated XML: the damage is inside the document.
        4 => {
            let mut xml = std::fs::read("samples/okta-aws-iam.xml").unwrap();
            let at = rng.below(xml.len());
            let m = MARKUP[rng.below(MARKUP.len())].as_bytes();
            xml.splice(at..at, m.iter().copied());
            let mut text = STANDARD.encode(&xml);
            if rng.below(2) == 0 {
                // Line-wrapped, as mail and logs do.
                let wrapped: Vec<String> = text
                    .as_bytes()
                    .chunks(76)
                    .map(|c| String::from_utf8_lossy(c).into_owned())
                    .collect();
                text = wrapped.join("\r\n");
            }
            b = text.into_bytes();
        }
        // Random bytes.
        _ => {
            let n = rng.below(512);
            b = (0..n).map(|_| (rng.next() & 0xff) as u8).collect();
        }
    }
    b
}

/// 2,000 mutated captures in one run: every input is reported, nothing panics, and
/// garbled content gives findings (exit 0 or 1), never exit 2.
#[test]
fn mutation_batch_reports_every_input() {
    const N: usize = 2000;
    let seeds: Vec<(&str, Vec<u8>)> = [
        "samples/okta-aws-iam.b64",
        "samples/okta-aws-iam.form.txt",
        "samples/okta-aws-iam.xml",
        "samples/okta-signin.har",
        "samples/saml-tracer.json",
        "samples/identity-center.b64",
    ]
    .iter()
    .map(|p| {
        let ext = Path::new(p).extension().unwrap().to_str().unwrap();
        (ext, std::fs::read(p).unwrap())
    })
    .collect();
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(0x5EED_CAFE_F00D_BEEF);
    for i in 0..N {
        let (ext, seed) = &seeds[i % seeds.len()];
        let bytes = mutate(&mut rng, seed);
        std::fs::write(dir.path().join(format!("{i:04}.{ext}")), bytes).unwrap();
    }
    let out = samlint()
        .args(["check", "--format", "json", "--now", "2026-01-15T10:00:02Z"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let code = out.status.code();
    assert!(matches!(code, Some(0 | 1)), "exit {code:?}: {stderr}");
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let inputs = doc["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), N);
    for (i, input) in inputs.iter().enumerate() {
        assert!(
            input["source"]
                .as_str()
                .unwrap()
                .contains(&format!("{i:04}.")),
            "order kept"
        );
        assert_eq!(input["error"], Value::Null, "{}", input["source"]);
        // Every input says something: payloads, or a finding on the input.
        assert!(
            !input["payloads"].as_array().unwrap().is_empty()
                || !input["findings"].as_array().unwrap().is_empty(),
            "{input}"
        );
    }
}

/// Checks one file, which must be refused with exit 1 and exactly one finding of
/// `rule`; returns that finding's message.
fn refused(path: &Path, rule: &str) -> String {
    let (code, doc) = check_json(&[path.to_str().unwrap()]);
    assert_eq!(code, 1);
    let input = &doc["inputs"][0];
    assert_eq!(rules_of(input), vec![rule]);
    crate::common::findings_of(input)[0]["message"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn a_60_mb_base64_blob_is_refused_by_the_size_limit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.b64");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let line = "QUFB".repeat(19) + "\n";
    for _ in 0..(60 * 1024 * 1024 / line.len()) {
        f.write_all(line.as_bytes()).unwrap();
    }
    f.flush().unwrap();
    drop(f);
    let msg = refused(&path, "xml-limits-exceeded");
    assert!(msg.contains("over the limit of 52428800 bytes"), "{msg}");
}

#[test]
fn deep_nesting_is_refused_by_the_depth_limit() {
    let depth = 200_000;
    let mut xml =
        String::from("<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\">");
    xml.push_str(&"<a>".repeat(depth));
    xml.push_str(&"</a>".repeat(depth));
    xml.push_str("</samlp:Response>");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deep.xml");
    std::fs::write(&path, xml).unwrap();
    let msg = refused(&path, "xml-limits-exceeded");
    assert!(msg.contains("deeper than 256"), "{msg}");
}

#[test]
fn billion_laughs_is_refused_before_expansion() {
    let mut xml =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
    for i in 1..10 {
        let prev = if i == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", i - 1)
        };
        let _ = writeln!(
            xml,
            "<!ENTITY lol{i} \"{}\">",
            format!("&{prev};").repeat(10)
        );
    }
    xml.push_str("]>\n<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\">&lol9;</samlp:Response>");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lolz.xml");
    std::fs::write(&path, &xml).unwrap();
    refused(&path, "xml-dtd-forbidden");
    // Base64 of the same is refused the same way.
    let b64 = dir.path().join("lolz.b64");
    std::fs::write(&b64, STANDARD.encode(&xml)).unwrap();
    refused(&b64, "xml-dtd-forbidden");
}

#[test]
fn a_deflate_bomb_is_refused_by_the_inflate_limit() {
    use flate2::Compression;
    use flate2::write::DeflateEncoder;
    let mut enc = DeflateEncoder::new(Vec::new(), Compression::best());
    enc.write_all(b"<samlp:Response>").unwrap();
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..20 {
        enc.write_all(&zeros).unwrap();
    }
    let deflated = enc.finish().unwrap();
    let value = STANDARD.encode(deflated);
    let url = format!(
        "https://signin.aws.amazon.com/saml?SAMLResponse={}",
        value
            .replace('+', "%2B")
            .replace('/', "%2F")
            .replace('=', "%3D")
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.txt");
    std::fs::write(&path, url).unwrap();
    let msg = refused(&path, "xml-limits-exceeded");
    assert!(msg.contains("inflated payload"), "{msg}");
}

/// Nothing read from a payload can drive the terminal: C0 and C1 control characters
/// from a HAR URL or the XML are escaped in text output.
#[test]
fn control_characters_never_reach_the_terminal() {
    let har = std::fs::read_to_string("samples/okta-signin.har").unwrap();
    let hostile = har.replace(
        "https://signin.aws.amazon.com/saml\"",
        "https://signin.aws.amazon.com/saml\\u001b]0;pwned\\u0007\\u001b[2J\"",
    );
    assert_ne!(hostile, har, "the sample has the URL to replace");
    let xml = std::fs::read_to_string("samples/okta-aws-iam.xml")
        .unwrap()
        .replace(
            "jane.doe@example.com</saml2:NameID>",
            "jane&#x9b;31m&#x7f;</saml2:NameID>",
        );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.har"), hostile).unwrap();
    std::fs::write(dir.path().join("b.xml"), xml).unwrap();
    let out = samlint().arg("check").arg(dir.path()).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("\\u{1b}"), "escaped, still visible: {text}");
    for c in text.chars() {
        assert!(c == '\n' || !c.is_control(), "raw control {c:?} in output");
    }
}

const NS: &str = "xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" \
    xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" \
    xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"";

/// A `ds:Signature` over `uri` (enveloped, exclusive c14n) whose digest and value are
/// wrong: checking it still costs a canonicalization of what it references.
fn bogus_signature(uri: &str) -> String {
    format!(
        "<ds:Signature><ds:SignedInfo>\
         <ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>\
         <ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\"/>\
         <ds:Reference URI=\"{uri}\"><ds:Transforms>\
         <ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>\
         <ds:Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/></ds:Transforms>\
         <ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/>\
         <ds:DigestValue>AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=</ds:DigestValue>\
         </ds:Reference></ds:SignedInfo><ds:SignatureValue>AAAA</ds:SignatureValue>\
         </ds:Signature>"
    )
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Thousands of `URI=""` signatures would each canonicalize the whole document: past
/// `max_signatures` (100) the document is refused before any is checked.
#[test]
fn thousands_of_whole_document_signatures_are_refused_by_the_signature_limit() {
    let dir = tempfile::tempdir().unwrap();
    let doc = |n: usize| {
        format!(
            "<samlp:Response {NS} ID=\"_r\" Version=\"2.0\">{}</samlp:Response>",
            bogus_signature("").repeat(n)
        )
    };
    let many = write(dir.path(), "many.xml", &doc(6000));
    let msg = refused(&many, "xml-limits-exceeded");
    assert!(
        msg.contains("6000 signatures, more than 100 (limits.max_signatures)"),
        "{msg}"
    );
    // At the limit, every signature is checked (each digest fails: they are zeros).
    let at_limit = write(dir.path(), "at-limit.xml", &doc(100));
    let (_, out) = check_json(&[at_limit.to_str().unwrap()]);
    let signature = &out["inputs"][0]["payloads"][0]["signature"];
    assert_eq!(signature["status"], "wrapped");
    let checked = signature["signatures"].as_array().unwrap();
    assert_eq!(checked.len(), 100);
    assert!(checked.iter().all(|s| s["digest_ok"] == false));
    assert!(!rules_of(&out["inputs"][0]).contains(&"xml-limits-exceeded".to_owned()));
}

/// 50,000 elements carrying one ID: the wrapping analysis reports the duplicate,
/// naming a few carriers and counting the rest.
#[test]
fn fifty_thousand_elements_with_one_id_are_wrapped() {
    let dir = tempfile::tempdir().unwrap();
    let xml = format!(
        "<samlp:Response {NS} ID=\"_r\" Version=\"2.0\"><saml:Assertion ID=\"x\" Version=\"2.0\">{}{}</saml:Assertion></samlp:Response>",
        bogus_signature("#x"),
        "<a ID=\"x\"/>".repeat(50_000)
    );
    let path = write(dir.path(), "same-id.xml", &xml);
    let (_, out) = check_json(&[path.to_str().unwrap()]);
    let payload = &out["inputs"][0]["payloads"][0];
    assert_eq!(payload["signature"]["status"], "wrapped");
    let wrapping = crate::common::findings_of(&out["inputs"][0])
        .into_iter()
        .find(|f| f["rule"] == "signature-wrapping")
        .unwrap_or_else(|| panic!("no signature-wrapping finding: {out}"));
    let msg = wrapping["message"].as_str().unwrap();
    assert!(
        msg.contains("the ID 'x' is carried by 50001 elements: /Response/Assertion, /Response/Assertion/a[1], "),
        "{msg}"
    );
    assert!(msg.contains("and 49996 more"), "{msg}");
}

/// A 3 MB one-line document with 20,000 findings: every finding of the text report
/// has its line:column and a snippet cut around it, far into the line.
#[test]
fn twenty_thousand_findings_on_one_long_line_are_all_reported() {
    let value = format!(
        "<saml:AttributeValue>arn:aws:iam::12345:role/not-a-pair-{}</saml:AttributeValue>",
        "x".repeat(60)
    );
    let xml = format!(
        "<samlp:Response {NS} ID=\"_r\" Version=\"2.0\"><saml:Assertion ID=\"_a\" Version=\"2.0\">\
         <saml:AttributeStatement><saml:Attribute Name=\"https://aws.amazon.com/SAML/Attributes/Role\">\
         {}</saml:Attribute></saml:AttributeStatement></saml:Assertion></samlp:Response>",
        value.repeat(20_000)
    );
    assert!(!xml.contains('\n'));
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "one-line.xml", &xml);
    let out = samlint().arg("check").arg(&path).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let malformed = text.matches("role-pair-malformed:").count();
    assert_eq!(malformed, 20_000);
    // The last value's column: its offset in the line, plus one.
    let last = xml.rfind("<saml:AttributeValue>").unwrap();
    let col = last + "<saml:AttributeValue>".len() + 1;
    assert!(
        text.contains(&format!("one-line.xml #0:1:{col}")),
        "no finding at column {col}"
    );
    // Snippets are windows of the line, not the line.
    assert!(text.lines().all(|l| l.chars().count() < 400));
    let (_, json) = check_json(&[path.to_str().unwrap()]);
    let rules = rules_of(&json["inputs"][0]);
    assert_eq!(
        rules.iter().filter(|r| *r == "role-pair-malformed").count(),
        20_000
    );
}

/// Signatures inside an EncryptedAssertion count once it is opened: 101 `URI=""` ones
/// (encrypted to the test SP key by python `cryptography`) are refused unchecked.
#[test]
fn an_encrypted_assertion_with_too_many_signatures_is_refused_once_opened() {
    let (_, out) = check_json(&[
        "--sp-key",
        "tests/fixtures/gen/keys/sp-key.pem",
        "tests/fixtures/hostile/encrypted-101-signatures.xml",
    ]);
    let payload = &out["inputs"][0]["payloads"][0];
    let encrypted = crate::common::findings_of(&out["inputs"][0])
        .into_iter()
        .find(|f| f["rule"] == "encrypted-assertion")
        .unwrap_or_else(|| panic!("no encrypted-assertion finding: {out}"));
    let msg = encrypted["message"].as_str().unwrap();
    assert!(
        msg.contains("the decrypted assertion was refused: it brings the document to 101 signatures, more than 100 (limits.max_signatures)"),
        "{msg}"
    );
    // None of the 101 was checked: the outer document has no signature of its own.
    assert_eq!(payload["signature"]["status"], "unsigned");
}

/// `[limits] max_signatures` is read from samlint.toml: at 1, a response signed on the
/// Response and on the Assertion is refused; at the default it verifies.
#[test]
fn max_signatures_is_configurable() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(dir.path(), "samlint.toml", "[limits]\nmax_signatures = 1\n");
    let fixture = "tests/fixtures/signature/valid-both-signed.xml";
    let out = samlint()
        .env_remove("SAMLINT_NO_CONFIG")
        .args(["check", "--format", "json", "--config"])
        .arg(&config)
        .arg(fixture)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let msg = refused_message(&doc["inputs"][0], "xml-limits-exceeded");
    assert!(
        msg.contains("2 signatures, more than 1 (limits.max_signatures)"),
        "{msg}"
    );
    let (_, doc) = check_json(&["--idp-metadata", "samples/trust/okta-metadata.xml", fixture]);
    assert_eq!(
        doc["inputs"][0]["payloads"][0]["signature"]["status"],
        "valid"
    );
}

fn refused_message(input: &Value, rule: &str) -> String {
    crate::common::findings_of(input)
        .into_iter()
        .find(|f| f["rule"] == rule)
        .unwrap_or_else(|| panic!("no {rule}: {input}"))["message"]
        .as_str()
        .unwrap()
        .to_owned()
}
