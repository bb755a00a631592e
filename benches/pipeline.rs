//! Per-response cost of the stages before verification: decode and parse.

#![allow(clippy::expect_used)] // a benchmark on a bundled sample may abort

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

use samlint::decode::decode;
use samlint::input::{Binding, Origin, OriginKind, Payload, RawForm};
use samlint::limits::Limits;
use samlint::saml::Response;

fn sample_payload() -> Payload {
    let raw = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/samples/okta-aws-iam.b64"
    ))
    .expect("samples/okta-aws-iam.b64");
    Payload {
        origin: Origin::new(OriginKind::File),
        binding: Binding::Unknown,
        param: None,
        relay_state: None,
        raw,
        form: RawForm::Encoded,
    }
}

fn bench(c: &mut Criterion) {
    let limits = Limits::default();
    let payload = sample_payload();
    let xml = decode(&payload, &limits).expect("decodes").text;

    c.bench_function("decode", |b| {
        b.iter(|| decode(black_box(&payload), &limits));
    });
    c.bench_function("parse", |b| {
        b.iter(|| samlint::xml::parse(black_box(&xml), &limits));
    });
    c.bench_function("decode+parse+model", |b| {
        b.iter(|| {
            let d = decode(black_box(&payload), &limits).expect("decodes");
            let doc = samlint::xml::parse_owned(d.text, &limits).expect("parses");
            black_box(Response::read(&doc));
        });
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
