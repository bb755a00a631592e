//! `floor PUBKEY.der THREADS tree|tokens FILE...`: the least work any verifier does per
//! response, on the same files as the peers: parse the XML once, hash the Assertion
//! and the SignedInfo with SHA-256, and verify one RSA-2048 signature (aws-lc with the
//! public key parsed once). `tree` parses into a namespace-resolved tree (roxmltree),
//! which canonicalization needs; `tokens` only tokenizes (quick-xml), a looser bound.
//! Nothing is canonicalized, resolved or checked beyond that, so this bounds what a
//! complete verifier can reach. Files are read and base64-decoded before timing.
//! Prints `ok=N rejected=M seconds=S` (ok: the signature verified).

use aws_lc_rs::digest::{SHA256, digest};
use aws_lc_rs::signature::{ParsedPublicKey, RSA_PKCS1_2048_8192_SHA256};
use base64::Engine as _;
use quick_xml::Reader;
use quick_xml::events::Event;

/// One response, with the byte ranges the timed loop hashes and verifies.
struct Doc {
    xml: String,
    assertion: std::ops::Range<usize>,
    /// SignedInfo as exclusive c14n writes it: the text with the `ds` namespace
    /// declaration it inherits (signxml puts no other namespace on it).
    signed_info: Vec<u8>,
    signature: Vec<u8>,
}

fn between(text: &str, open: &str, close: &str) -> std::ops::Range<usize> {
    let start = text.find(open).expect("opening tag");
    let end = text[start..].find(close).expect("closing tag") + start + close.len();
    start..end
}

/// `<a x="1"/>` as c14n writes it: `<a x="1"></a>` (SignedInfo's attribute values
/// hold no `/>`).
fn expand_empty(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 256);
    let mut rest = text;
    while let Some(end) = rest.find("/>") {
        let open = rest[..end].rfind('<').expect("start of the empty element");
        let name = rest[open + 1..end]
            .split(|c: char| c.is_ascii_whitespace())
            .next()
            .unwrap_or_default();
        out.push_str(&rest[..end]);
        out.push_str("></");
        out.push_str(name);
        out.push('>');
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    out
}

fn load(path: &str) -> Doc {
    let raw = std::fs::read(path).expect("read file");
    let clean: Vec<u8> = raw
        .into_iter()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    let xml = String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(clean)
            .expect("base64"),
    )
    .expect("utf-8");
    let assertion = between(&xml, "<saml2:Assertion", "</saml2:Assertion>");
    let si = &xml[between(&xml, "<ds:SignedInfo", "</ds:SignedInfo>")];
    let signed_info = expand_empty(&si.replacen(
        "<ds:SignedInfo",
        "<ds:SignedInfo xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"",
        1,
    ))
    .into_bytes();
    let sv = &xml[between(&xml, "<ds:SignatureValue>", "</ds:SignatureValue>")];
    let sv = &sv["<ds:SignatureValue>".len()..sv.len() - "</ds:SignatureValue>".len()];
    let sv: String = sv.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let signature = base64::engine::general_purpose::STANDARD
        .decode(sv)
        .expect("signature base64");
    Doc {
        xml,
        assertion,
        signed_info,
        signature,
    }
}

fn check(doc: &Doc, key: &ParsedPublicKey, tree: bool) -> bool {
    if tree {
        let parsed = roxmltree::Document::parse(&doc.xml).expect("well-formed");
        std::hint::black_box(parsed.descendants().count());
    } else {
        let mut reader = Reader::from_str(&doc.xml);
        let mut events = 0usize;
        loop {
            match reader.read_event() {
                Ok(Event::Eof) => break,
                Ok(_) => events += 1,
                Err(e) => panic!("not well-formed: {e}"),
            }
        }
        std::hint::black_box(events);
    }
    std::hint::black_box(digest(&SHA256, &doc.xml.as_bytes()[doc.assertion.clone()]));
    std::hint::black_box(digest(&SHA256, &doc.signed_info));
    key.verify_sig(&doc.signed_info, &doc.signature).is_ok()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let key = std::fs::read(args.next().expect("PUBKEY.der")).expect("read key");
    let threads: usize = args
        .next()
        .expect("THREADS")
        .parse()
        .expect("THREADS is a number");
    let tree = match args.next().as_deref() {
        Some("tree") => true,
        Some("tokens") => false,
        _ => panic!("the third argument is tree or tokens"),
    };
    let docs: Vec<Doc> = args.map(|f| load(&f)).collect();
    let key = ParsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, &key).expect("RSA public key");

    samael_harness::run_timed(&docs, threads, |d| check(d, &key, tree));
}
