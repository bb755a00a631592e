//! `samael-harness [--bare] CERT.pem THREADS FILE...`: reads every base64 SAMLResponse
//! file, then verifies each with samael's xmlsec provider on THREADS threads:
//! `reduce_xml_to_signed` (the call samael's service provider makes before reading a
//! response), or with `--bare` the bare `verify_signed_xml` (one libxmlsec1 verify of
//! the document, nothing reduced). Prints `ok=N rejected=M seconds=S` for the
//! verification phase (files already read).

use base64::Engine as _;
use samael::crypto::{CertificateDer, Crypto, CryptoProvider, ReduceMode};

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    let bare = args.next_if(|a| a == "--bare").is_some();
    let cert_path = args.next().expect("CERT.pem");
    let threads: usize = args
        .next()
        .expect("THREADS")
        .parse()
        .expect("THREADS is a number");
    let files: Vec<String> = args.collect();

    let pem = std::fs::read_to_string(&cert_path).expect("read cert");
    let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .expect("cert base64");
    let cert = CertificateDer::from(der);

    let docs: Vec<String> = files
        .iter()
        .map(|f| {
            let raw = std::fs::read(f).expect("read file");
            let clean: Vec<u8> = raw
                .into_iter()
                .filter(|b| !b.is_ascii_whitespace())
                .collect();
            let xml = base64::engine::general_purpose::STANDARD
                .decode(clean)
                .expect("base64");
            String::from_utf8(xml).expect("utf-8")
        })
        .collect();

    if bare {
        samael_harness::run_timed(&docs, threads, |xml| {
            Crypto::verify_signed_xml(xml, &cert, Some("ID")).is_ok()
        });
    } else {
        samael_harness::run_timed(&docs, threads, |xml| {
            Crypto::reduce_xml_to_signed(xml, std::slice::from_ref(&cert), ReduceMode::default())
                .is_ok()
        });
    }
}
