//! Per-response cost of the stages: decode, parse, lint, and the whole check of one
//! payload (decode → report; without trust, and with the IdP certificate as trust),
//! plus rendering. (c14n and verify have their own benches.)

#![allow(clippy::expect_used)] // a benchmark on a bundled sample may abort

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

use samlint::decode::decode;
use samlint::input::{Binding, Origin, OriginKind, Payload, RawForm};
use samlint::limits::Limits;
use samlint::lint::{Ctx, Expected, NowSource, Profile, RoleChecks};
use samlint::pipeline::{Options, check_payload};
use samlint::report::{Format, InputReport, RenderOptions, Report};
use samlint::saml::{Assertion, Response};
use samlint::verify::{TrustStore, verify};

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
        duplicate: None,
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

fn bench_lint_and_check(c: &mut Criterion) {
    let limits = Limits::default();
    let payload = sample_payload();
    let xml = decode(&payload, &limits).expect("decodes").text;
    let doc = samlint::xml::parse_owned(xml, &limits).expect("parses");
    let response = Response::read(&doc);
    let consumed = verify(&doc, &response, &TrustStore::default()).consumed;
    let assertion = consumed.map(|n| Assertion::read(&doc, n));
    let expected = Expected::default();
    let now = chrono::DateTime::parse_from_rfc3339("2026-01-15T10:00:02Z")
        .expect("time")
        .to_utc();
    // A fresh context per iteration: RoleChecks caches the Role parsing on first use.
    c.bench_function("lint (all rules, one response)", |b| {
        b.iter(|| {
            let role_checks = RoleChecks::default();
            let cx = Ctx {
                doc: &doc,
                response: &response,
                assertion: assertion.as_ref(),
                profile: Profile::AwsIam,
                now,
                now_source: NowSource::Given,
                skew: chrono::TimeDelta::minutes(5),
                base64_len: Some(payload.raw.len()),
                url: None,
                expected: &expected,
                entity_ids: &[],
                encrypted: None,
                role_checks: &role_checks,
            };
            samlint::lint::registry::run(black_box(&cx))
        });
    });

    let opts = Options {
        now: samlint::pipeline::NowMode::At(now),
        ..Options::default()
    };
    c.bench_function("check one payload (decode → report)", |b| {
        b.iter(|| check_payload(0, black_box(&payload), &opts));
    });

    // The batch case: the IdP certificate given as trust (`--idp-cert`), so the
    // payload is `valid`.
    let mut trusted = opts.clone();
    trusted
        .trust
        .add_cert_file(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/samples/trust/okta-signing.pem"
        )))
        .expect("samples/trust/okta-signing.pem");
    c.bench_function(
        "check trusted payload (--idp-cert, decode → report)",
        |b| {
            b.iter(|| check_payload(0, black_box(&payload), &trusted));
        },
    );

    let mut input = InputReport::new("samples/okta-aws-iam.b64".to_owned());
    input.payloads.push(check_payload(0, &payload, &opts));
    let report = Report {
        inputs: vec![input],
        ..Report::default()
    };
    let mut out = Vec::with_capacity(64 * 1024);
    for format in [Format::Json, Format::Sarif, Format::Junit, Format::Github] {
        let name = format!("render {format:?} (one payload)");
        c.bench_function(&name, |b| {
            b.iter(|| {
                out.clear();
                format
                    .render(black_box(&report), &RenderOptions::default(), &mut out)
                    .expect("renders");
            });
        });
    }
}

criterion_group!(benches, bench, bench_lint_and_check);
criterion_main!(benches);
