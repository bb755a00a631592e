//! Every renderer over one shared sample report: errors, warnings, infos, a finding
//! with no span, a related label, two payloads (one from a HAR entry), an input-level
//! finding and an unreadable input.

use super::model::{FailOn, Format, InputReport, RenderOptions, Report};
use crate::input::{Binding, Origin, OriginKind, Payload, RawForm};
use crate::lint::{Finding, Severity, rules};
use crate::pipeline::{NowMode, Options, check_payload};
use crate::xml::Span;

const XML: &str = include_str!("../../samples/okta-aws-iam.xml");

fn span_of(needle: &str) -> Span {
    let start = XML.find(needle).unwrap_or(0);
    Span::new(start, start + needle.len())
}

pub(crate) fn sample_report() -> Report {
    let opts = Options {
        now: NowMode::At(
            chrono::DateTime::parse_from_rfc3339("2026-01-15T10:00:02Z")
                .unwrap()
                .to_utc(),
        ),
        ..Options::default()
    };
    let payload = |kind: OriginKind, entry: Option<usize>| Payload {
        origin: Origin {
            entry,
            url: entry.map(|_| "https://signin.aws.amazon.com/saml".to_owned()),
            ..Origin::new(kind)
        },
        binding: Binding::Post,
        param: None,
        relay_state: None,
        raw: XML.as_bytes().to_vec(),
        form: RawForm::Encoded,
        duplicate: None,
    };

    let mut first = check_payload(0, &payload(OriginKind::Har, Some(3)), &opts);
    let mut error = Finding::new(
        &rules::input_not_saml::META,
        "Audience is 'urn:amazon:webservices' | \"quoted\" <b>50%</b>, a:b",
    )
    .at(span_of("urn:amazon:webservices"), "expected here")
    .related(span_of("<saml2:Issuer"), "issued by");
    error.severity = Severity::Error;
    let mut warning = Finding::new(
        &rules::response_too_large::META,
        "a warning\nover two lines",
    )
    .at(span_of("SessionDuration"), "");
    warning.severity = Severity::Warning;
    let mut info = Finding::new(&rules::xml_limits_exceeded::META, "an info without a span");
    info.severity = Severity::Info;
    first.findings = vec![error, warning, info];
    let second = check_payload(1, &payload(OriginKind::Har, Some(7)), &opts);

    let mut har = InputReport::new("captures/sign in,1.har".to_owned());
    har.payloads = vec![first, second];

    let mut empty = InputReport::new("captures/empty.txt".to_owned());
    empty.findings.push(Finding::new(
        &rules::input_not_saml::META,
        "the file is empty",
    ));

    let mut gone = InputReport::new("captures/gone.har".to_owned());
    gone.error = Some("captures/gone.har: no such file or directory".to_owned());

    Report {
        inputs: vec![har, empty, gone],
        ..Report::default()
    }
}

fn render(format: Format, fail_on: FailOn) -> String {
    let mut out = Vec::new();
    let opts = RenderOptions {
        color: false,
        fail_on,
        ..RenderOptions::default()
    };
    format.render(&sample_report(), &opts, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn sarif_sample_report() {
    let mut doc: serde_json::Value =
        serde_json::from_str(&render(Format::Sarif, FailOn::Error)).unwrap();
    let levels: Vec<&str> = doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels, ["error", "warning", "note", "warning", "error"]);
    let schema: serde_json::Value = serde_json::from_str(include_str!(
        "../../tests/fixtures/schemas/sarif-schema-2.1.0.json"
    ))
    .unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // Rule descriptors are the registry's; keep the snapshot to the results.
    doc["runs"][0]["tool"]["driver"]["rules"] = serde_json::Value::Null;
    doc["runs"][0]["tool"]["driver"]["version"] = "[version]".into();
    doc["runs"][0]["tool"]["driver"]["semanticVersion"] = "[version]".into();
    insta::assert_snapshot!(serde_json::to_string_pretty(&doc).unwrap());
}

#[test]
fn junit_sample_report() {
    insta::assert_snapshot!(render(Format::Junit, FailOn::Warning));
}

#[test]
fn github_sample_report() {
    insta::assert_snapshot!(render(Format::Github, FailOn::Error));
}

#[test]
fn github_summary_sample_report() {
    let mut out = Vec::new();
    super::github::render_summary(&sample_report(), &mut out).unwrap();
    insta::assert_snapshot!(String::from_utf8(out).unwrap());
}

#[test]
fn snippets_fit_the_terminal() {
    let render = |width| {
        let mut out = Vec::new();
        let opts = RenderOptions {
            width,
            ..RenderOptions::default()
        };
        Format::Text
            .render(&sample_report(), &opts, &mut out)
            .unwrap();
        String::from_utf8(out).unwrap()
    };
    let snippet = |l: &&str| l.starts_with(' ') && l.contains(" | ");
    let wide = render(None);
    assert!(wide.lines().filter(snippet).any(|l| l.chars().count() > 60));
    let narrow = render(Some(60));
    let rows: Vec<&str> = narrow.lines().filter(snippet).collect();
    assert!(!rows.is_empty());
    for l in rows {
        // A caret row may run on with its label; the carets stay inside.
        let shown = l.rfind('^').map_or(l, |i| &l[..=i]);
        assert!(shown.chars().count() <= 60, "{l}");
    }
}

/// Written part by part as inputs finish, every format gives the bytes of the whole
/// document: with no input, one, and several (an unreadable one among them).
#[test]
fn streamed_report_is_the_whole_document() {
    use super::stream::{RenderContext, Stream, Target};

    let report = sample_report();
    let cx = RenderContext {
        opts: RenderOptions {
            color: false,
            ..RenderOptions::default()
        },
        ignored: vec!["response-too-large"],
    };
    for target in [
        Target::Format(Format::Text),
        Target::Format(Format::Json),
        Target::Format(Format::Sarif),
        Target::Format(Format::Junit),
        Target::Format(Format::Github),
        Target::StepSummary,
    ] {
        for n in 0..=report.inputs.len() {
            let inputs = &report.inputs[..n];
            let parts: Vec<_> = inputs.iter().map(|i| target.part(i, &cx)).collect();
            let totals = Report {
                inputs: inputs.to_vec(),
                ..Report::default()
            }
            .totals();
            let mut whole = Vec::new();
            target.write(&parts, &totals, &cx, &mut whole).unwrap();
            let mut stream = Stream::new(target, Vec::new());
            for part in parts {
                stream.push(part).unwrap();
            }
            let streamed = stream.finish(&totals, &cx).unwrap();
            assert_eq!(
                String::from_utf8(streamed).unwrap(),
                String::from_utf8(whole).unwrap(),
                "{target:?} with {n} inputs"
            );
        }
    }
}
