//! Verify per response: the pure-Rust engine on a signed response (parse excluded).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use samlint::limits::Limits;
use samlint::saml::Response;
use samlint::verify::{self, TrustStore};

fn bench(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut trust = TrustStore::default();
    trust
        .add_metadata_file(&dir.join("samples/trust/okta-metadata.xml"))
        .unwrap();
    for name in ["valid-assertion-signed.xml", "valid-both-signed.xml"] {
        let text =
            std::fs::read_to_string(dir.join("tests/fixtures/signature").join(name)).unwrap();
        let doc = samlint::xml::parse(&text, &Limits::default()).unwrap();
        let response = Response::read(&doc);
        let mut scratch = verify::Scratch::default();
        assert_eq!(
            verify::verify(&doc, &response, &trust)
                .report
                .unwrap()
                .status,
            verify::SignatureStatus::Valid
        );
        c.bench_function(&format!("verify {name} ({} bytes)", text.len()), |b| {
            b.iter(|| verify::verify_with(black_box(&doc), &response, &trust, &mut scratch));
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
