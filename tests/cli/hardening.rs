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
