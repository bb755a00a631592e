//! `--format json`, contract version 1 (DESIGN.md). Its own serde structs, converted
//! from the model, so internal refactors cannot change the contract. The contract is
//! additive: fields may be added, never renamed.

use std::cell::RefCell;
use std::io;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

mod aws;

use super::Part;
use super::model::{InputReport, MessageKind, PayloadReport, Summary};
use crate::decode::Step;
use crate::input::html::FormOrigin;
use crate::input::{Binding, Container, OriginKind, SamlParam};
use crate::lint::{Finding, Idp, IdpKind, Profile};
use crate::saml::request::RequestSummary;
use crate::verify::SignatureReport;

#[derive(Serialize)]
struct V1<'a> {
    version: u32,
    inputs: Vec<Input<'a>>,
}

/// `payloads` comes last: [`render`] writes the payloads after the rest.
#[derive(Serialize)]
struct Input<'a> {
    source: &'a str,
    error: Option<&'a str>,
    container: Option<Container>,
    stats: Option<Stats>,
    notes: &'a [String],
    findings: Vec<JsonFinding<'a>>,
    payloads: Vec<Payload<'a>>,
}

#[derive(Serialize)]
struct Stats {
    entries: usize,
    with_saml: usize,
    undecodable: usize,
}

#[derive(Serialize)]
struct Payload<'a> {
    index: usize,
    origin: JsonOrigin<'a>,
    binding: Binding,
    parameter: Option<SamlParam>,
    /// `request` or `response`, once known.
    kind: Option<MessageKind>,
    /// What a request asks for (`kind` is `request`).
    request: Option<&'a RequestSummary>,
    decoded: &'a [Step],
    decode_notes: &'a [String],
    profile: Option<Profile>,
    profile_reason: Option<&'a str>,
    idp: JsonIdp<'a>,
    now: Option<Now>,
    signature: Option<&'a SignatureReport>,
    summary: Option<JsonSummary<'a>>,
    findings: Vec<JsonFinding<'a>>,
    /// `--aws`: sources, context keys, per-pair outcomes, CloudTrail events. Last:
    /// [`render`] writes it by hand after the rest.
    #[serde(skip_serializing_if = "Option::is_none")]
    aws: Option<&'a crate::aws::PayloadAws>,
}

#[derive(Serialize)]
struct JsonOrigin<'a> {
    kind: OriginKind,
    entry: Option<usize>,
    url: Option<&'a str>,
    time: Option<String>,
    method: Option<&'a str>,
    /// Set when the value was read from an HTML page's form.
    #[serde(skip_serializing_if = "Option::is_none")]
    html_form: Option<&'a FormOrigin>,
    /// "HTML form in entry 7's response, action https://…".
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
}

#[derive(Serialize)]
struct Now {
    time: String,
    source: &'static str,
}

#[derive(Serialize)]
struct JsonSummary<'a> {
    issuer: Option<&'a str>,
    subject: Option<&'a str>,
    subject_format: Option<&'a str>,
    roles: Vec<Role<'a>>,
    session_name: Option<&'a str>,
    /// Seconds, when SessionDuration is a whole number.
    session_duration: Option<u64>,
    not_before: Option<&'a str>,
    not_on_or_after: Option<&'a str>,
    issue_instant: Option<&'a str>,
    destination: Option<&'a str>,
    audiences: &'a [String],
    in_response_to: Option<&'a str>,
    recipient: Option<&'a str>,
}

#[derive(Serialize)]
struct Role<'a> {
    role: &'a str,
    provider: &'a str,
}

#[derive(Serialize)]
pub(crate) struct JsonFinding<'a> {
    rule: &'static str,
    code: &'static str,
    severity: &'static str,
    message: &'a str,
    aws_error: &'a str,
    fix: Fix<'a>,
    location: Option<Location>,
}

#[derive(Serialize)]
struct Fix<'a> {
    /// The IdP-side fix for the payload's IdP (its own text, else the generic one).
    idp: &'static str,
    /// Which IdP `idp` speaks of (`Okta`, `AD FS`, …; `the IdP` for the generic text).
    idp_name: Option<&'static str>,
    aws: &'a str,
    /// The fix when the capture itself is the problem; then `idp` and `aws` are empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    capture: Option<&'a str>,
}

/// The IdP a payload's fixes speak of, and why.
#[derive(Serialize)]
struct JsonIdp<'a> {
    id: &'static str,
    name: &'static str,
    reason: &'a str,
}

fn idp(i: &Idp) -> JsonIdp<'_> {
    JsonIdp {
        id: i.kind.id(),
        name: i.kind.name(),
        reason: &i.reason,
    }
}

#[derive(Serialize)]
struct Location {
    line: usize,
    column: usize,
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

pub(crate) fn finding<'a>(
    f: &'a Finding,
    payload: Option<&PayloadReport>,
    idp: IdpKind,
) -> JsonFinding<'a> {
    let idp_fix = f.idp_fix(idp);
    JsonFinding {
        rule: f.rule.id,
        code: f.rule.code,
        severity: f.severity.as_str(),
        message: &f.message,
        aws_error: f.aws_error_text(),
        fix: Fix {
            idp: idp_fix.map_or("", |x| x.text),
            idp_name: idp_fix.map(|x| x.idp.name()),
            aws: f.aws_fix(),
            capture: f.capture_fix.as_deref(),
        },
        location: f
            .primary
            .as_ref()
            .and_then(|l| payload?.location(l.span))
            .map(|lc| Location {
                line: lc.line,
                column: lc.column,
            }),
    }
}

fn summary(s: &Summary) -> JsonSummary<'_> {
    JsonSummary {
        issuer: s.issuer.as_deref(),
        subject: s.subject.as_deref(),
        subject_format: s.subject_format.as_deref(),
        roles: s
            .roles
            .iter()
            .map(|r| Role {
                role: &r.role,
                provider: &r.provider,
            })
            .collect(),
        session_name: s.session_name.as_deref(),
        session_duration: s.session_duration.as_deref().and_then(|d| d.parse().ok()),
        not_before: s.not_before.as_deref(),
        not_on_or_after: s.not_on_or_after.as_deref(),
        issue_instant: s.issue_instant.as_deref(),
        destination: s.destination.as_deref(),
        audiences: &s.audiences,
        in_response_to: s.in_response_to.as_deref(),
        recipient: s.recipient.as_deref(),
    }
}

fn payload(p: &PayloadReport) -> Payload<'_> {
    Payload {
        index: p.index,
        origin: JsonOrigin {
            kind: p.origin.kind,
            entry: p.origin.entry,
            url: p.origin.url.as_deref(),
            time: p.origin.time.map(time),
            method: p.origin.method.as_deref(),
            html_form: p.origin.html_form.as_ref(),
            description: p.origin.form_description(),
        },
        binding: p.binding,
        parameter: p.param,
        kind: p.kind,
        request: p.request.as_ref(),
        decoded: &p.decoded,
        decode_notes: &p.decode_notes,
        profile: p.profile,
        profile_reason: p.profile_reason.as_deref(),
        idp: idp(&p.idp),
        now: p.now.map(|n| Now {
            time: time(n.at),
            source: n.source.describe(),
        }),
        signature: p.signature.as_ref(),
        summary: p.summary.as_ref().map(summary),
        findings: p
            .findings
            .iter()
            .map(|f| finding(f, Some(p), p.idp.kind))
            .collect(),
        aws: p.aws.as_ref(),
    }
}

fn input(i: &InputReport) -> Input<'_> {
    Input {
        source: &i.source,
        error: i.error.as_deref(),
        container: i.container,
        stats: i.stats.map(|s| Stats {
            entries: s.entries,
            with_saml: s.with_saml,
            undecodable: i.undecodable(),
        }),
        notes: &i.notes,
        findings: i
            .findings
            .iter()
            .map(|f| finding(f, None, i.idp.kind))
            .collect(),
        payloads: i.payloads.iter().map(payload).collect(),
    }
}

/// One input as an element of the top-level `inputs` array, indented as the pretty
/// document has it.
pub(super) fn part(i: &InputReport) -> Part {
    thread_local! {
        /// Rendering scratch, kept per thread: the part keeps an exact-size copy, so
        /// memory follows the size of the report and no fresh buffer is grown per input.
        static SCRATCH: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    }
    let body = SCRATCH.with_borrow_mut(|buf| {
        buf.clear();
        buf.extend_from_slice(INPUT_INDENT);
        // The model serializes into memory and holds nothing serde cannot represent.
        let body = match render(input(i), buf) {
            Ok(()) => buf.as_slice().to_vec(),
            Err(e) => {
                let message = serde_json::Value::String(format!("cannot render this input: {e}"));
                format!("    {{\"error\": {message}}}").into_bytes()
            }
        };
        // One very large input does not hold its buffer for the rest of the run.
        if buf.capacity() > SCRATCH_KEPT {
            *buf = Vec::new();
        }
        body
    });
    Part {
        body,
        ..Part::default()
    }
}

/// Writes `input` into `buf`, as serializing it whole would: each payload's `aws`
/// object by hand ([`aws::write`]), the rest through serde.
fn render(mut input: Input<'_>, buf: &mut Vec<u8>) -> serde_json::Result<()> {
    use serde::Serialize as _;

    let payloads = std::mem::take(&mut input.payloads);
    input.serialize(&mut serde_json::Serializer::with_formatter(
        &mut *buf,
        InputFormatter::default(),
    ))?;
    if payloads.is_empty() {
        return Ok(());
    }
    // `"payloads": []` and the input's closing brace, written again with the payloads.
    let mut tail = b"[]".to_vec();
    InputFormatter::at(0)
        .line(&mut tail)
        .map_err(serde_json::Error::io)?;
    tail.push(b'}');
    if !buf.ends_with(&tail) {
        return Err(serde::ser::Error::custom(
            "`payloads` is not the last field",
        ));
    }
    buf.truncate(buf.len() - tail.len());
    write_payloads(payloads, buf).map_err(serde_json::Error::io)
}

/// The input's `payloads` array and closing brace.
fn write_payloads(payloads: Vec<Payload<'_>>, buf: &mut Vec<u8>) -> io::Result<()> {
    use serde::Serialize as _;

    // A payload's closing brace, written again after `aws`.
    let mut end = Vec::new();
    InputFormatter::at(2).line(&mut end)?;
    end.push(b'}');
    let mut outer = InputFormatter::at(1);
    outer.begin(buf, b"[")?;
    for (n, mut payload) in payloads.into_iter().enumerate() {
        outer.item(buf, n == 0)?;
        let aws = payload.aws.take();
        payload.serialize(&mut serde_json::Serializer::with_formatter(
            &mut *buf,
            InputFormatter::at(2),
        ))?;
        if let Some(aws) = aws {
            if !buf.ends_with(&end) {
                return Err(io::Error::other("a payload did not end as expected"));
            }
            buf.truncate(buf.len() - end.len());
            buf.push(b',');
            InputFormatter::at(3).line(buf)?;
            buf.extend_from_slice(b"\"aws\": ");
            aws::write(buf, aws, 3);
            buf.extend_from_slice(&end);
        }
        outer.has_value = true;
    }
    outer.end(buf, b"]")?;
    outer.has_value = true;
    outer.end(buf, b"}")
}

/// The most rendering scratch a thread keeps between inputs.
const SCRATCH_KEPT: usize = 1 << 20;

/// Writes the document, pretty, followed by a newline: the bytes are exactly those
/// of serializing the whole document at once.
///
/// # Errors
/// Errors of the writer.
pub(super) fn write(parts: &[Part], out: &mut dyn io::Write) -> io::Result<()> {
    if parts.is_empty() {
        let doc = V1 {
            version: 1,
            inputs: Vec::new(),
        };
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        return writeln!(out);
    }
    for (n, part) in parts.iter().enumerate() {
        write_item(n, part, out)?;
    }
    out.write_all(CLOSE)
}

/// Writes the `n`th element of `inputs` (counting from 0), with what comes before it.
///
/// # Errors
/// Errors of the writer.
pub(super) fn write_item(n: usize, part: &Part, out: &mut dyn io::Write) -> io::Result<()> {
    out.write_all(if n == 0 { OPEN } else { b",\n" })?;
    out.write_all(&part.body)
}

/// What comes before the first element of `inputs`, and after the last.
const OPEN: &[u8] = b"{\n  \"version\": 1,\n  \"inputs\": [\n";
pub(super) const CLOSE: &[u8] = b"\n  ]\n}\n";

/// Where an element of the top-level `inputs` array starts in pretty output.
const INPUT_INDENT: &[u8] = b"    ";

/// serde_json's pretty format (`PrettyFormatter`: two spaces a level, `": "` after a
/// key) for an element of the top-level `inputs` array, every line [`INPUT_INDENT`]
/// further in, as the whole document has it.
///
/// Hand-written rather than re-indenting `PrettyFormatter`'s output afterwards: one
/// pass over one buffer instead of two, and a line break with its indentation is one
/// write instead of one per level (JSON rendering of a signed response: 36% fewer
/// instructions, callgrind). `parallel_rendering_matches_whole_document` holds it to
/// `PrettyFormatter`.
#[derive(Default)]
struct InputFormatter {
    /// Nesting level inside the element.
    level: usize,
    /// Whether the innermost array or object written last had a value (the one flag
    /// `PrettyFormatter` keeps).
    has_value: bool,
}

/// A line break and the most indentation written in one go.
const BREAK: &[u8] = b"\n                                                                ";

impl InputFormatter {
    /// A formatter for a value that starts at nesting `level`.
    fn at(level: usize) -> Self {
        InputFormatter {
            level,
            has_value: false,
        }
    }

    /// A line break, indented to the current level.
    fn line<W: ?Sized + io::Write>(&self, writer: &mut W) -> io::Result<()> {
        let mut spaces = INPUT_INDENT.len() + 2 * self.level;
        let first = spaces.min(BREAK.len() - 1);
        writer.write_all(BREAK.get(..=first).unwrap_or(BREAK))?;
        spaces -= first;
        while spaces > 0 {
            let n = spaces.min(BREAK.len() - 1);
            writer.write_all(BREAK.get(1..=n).unwrap_or_default())?;
            spaces -= n;
        }
        Ok(())
    }

    fn begin<W: ?Sized + io::Write>(&mut self, writer: &mut W, open: &[u8]) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        writer.write_all(open)
    }

    fn end<W: ?Sized + io::Write>(&mut self, writer: &mut W, close: &[u8]) -> io::Result<()> {
        self.level = self.level.saturating_sub(1);
        if self.has_value {
            self.line(writer)?;
        }
        writer.write_all(close)
    }

    fn item<W: ?Sized + io::Write>(&self, writer: &mut W, first: bool) -> io::Result<()> {
        if !first {
            writer.write_all(b",")?;
        }
        self.line(writer)
    }
}

impl serde_json::ser::Formatter for InputFormatter {
    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.begin(writer, b"[")
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.end(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.item(writer, first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.begin(writer, b"{")
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.end(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.item(writer, first)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::{NowMode, Options, check_all};
    use crate::report::Report;

    /// The formatter writes what `PrettyFormatter` writes, each line moved in by
    /// `INPUT_INDENT`: empty and nested containers, and nesting deeper than one write
    /// of indentation.
    #[test]
    fn input_formatter_is_pretty_formatter_moved_in() {
        use serde::Serialize as _;

        let mut deep = serde_json::json!({"end": [1, {}, [], "a\nb"]});
        for i in 0..40 {
            deep = serde_json::json!({ "level": i, "inner": [deep, null, {"k": []}] });
        }
        for value in [
            serde_json::json!({}),
            serde_json::json!([]),
            serde_json::json!({"a": [], "b": {}, "c": [[]], "d": [{}], "e": "x"}),
            serde_json::json!([[[1, 2], []], {"x": {"y": [true, false]}}]),
            deep,
        ] {
            let pretty = serde_json::to_string_pretty(&value).unwrap();
            let expected: Vec<String> = pretty.lines().map(|l| format!("    {l}")).collect();
            let mut ours = INPUT_INDENT.to_vec();
            let mut ser =
                serde_json::Serializer::with_formatter(&mut ours, InputFormatter::default());
            value.serialize(&mut ser).unwrap();
            assert_eq!(String::from_utf8(ours).unwrap(), expected.join("\n"));
        }
    }

    /// Parallel rendering gives the bytes of one whole-document serialization.
    #[test]
    fn parallel_rendering_matches_whole_document() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let specs = |dir: &std::path::Path, paths: &[&str]| -> Vec<_> {
            paths
                .iter()
                .map(|p| crate::input::expand(&[dir.join(p).into_os_string()]).remove(0))
                .collect()
        };
        let samples = specs(
            root,
            &[
                "samples/okta-signin.har",
                "samples/broken/html-login-page.txt",
                "no/such/file",
                "samples/saml-tracer.json",
            ],
        );
        let opts = Options {
            now: "2026-01-15T10:00:02Z".parse::<NowMode>().unwrap(),
            ..Options::default()
        };
        // With an export, each payload's `aws` object is written by hand: a denial
        // with its condition, and a CloudTrail match among them.
        let fixtures = root.join("tests/fixtures/aws");
        let aws_specs = specs(
            &fixtures,
            &[
                "captures/regional.xml",
                "captures/rotated.xml",
                "captures/tags.xml",
            ],
        );
        let aws_opts = Options {
            now: NowMode::IssueInstant,
            aws: Some(std::sync::Arc::new(crate::aws::Account::load(&[
                fixtures.join("account"),
                fixtures.join("cloudtrail"),
            ]))),
            ..Options::default()
        };
        let with_aws = check_all(&aws_specs, &aws_opts);
        let aws: Vec<_> = with_aws
            .inputs
            .iter()
            .flat_map(|i| &i.payloads)
            .filter_map(|p| p.aws.as_ref())
            .collect();
        assert_eq!(aws.len(), 3, "every capture has an `aws` object");
        assert!(aws.iter().any(|a| !a.cloudtrail.is_empty()));
        assert!(
            aws.iter()
                .flat_map(|a| &a.roles)
                .any(|r| r.condition.is_some())
        );
        for report in [check_all(&samples, &opts), with_aws, Report::default()] {
            let mut ours = Vec::new();
            crate::report::Format::Json
                .render(&report, &crate::report::RenderOptions::default(), &mut ours)
                .unwrap();
            let whole = V1 {
                version: 1,
                inputs: report.inputs.iter().map(input).collect(),
            };
            let mut expected = serde_json::to_vec_pretty(&whole).unwrap();
            expected.push(b'\n');
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                String::from_utf8(expected).unwrap()
            );
        }
    }
}
