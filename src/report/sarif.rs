//! `--format sarif`: SARIF 2.1.0, as GitHub code scanning and other SARIF consumers
//! read it.
//!
//! `tool.driver.rules` lists every enabled rule of the registry, in registry order,
//! whether or not it fired, so a rule's `ruleIndex` is the same in every run. Each
//! finding is one result. Its location is the input file; the region is the line and
//! column in the payload's decoded XML (for an XML file that is the file itself; for
//! base64, HAR and tracer inputs it is the decoded document, and `properties` say
//! which HAR entry and which payload of the input it came from).

use std::io;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Map, Value, json};

use super::Part;
use super::model::{InputReport, MessageKind, PayloadReport};
use crate::lint::registry::RULES;
use crate::lint::{Finding, RuleMeta, Severity};
use crate::xml::Span;

/// The schema this output follows (the OASIS errata 01 schema).
pub(crate) const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The project's repository, from Cargo.toml `repository`. Rule help links and the
/// tool's `informationUri` point into it; while none is set they are left out rather
/// than made up (the full rule text is in each descriptor anyway).
const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// Where a rule is documented: `docs/rules.md#<id>` in the repository.
fn rule_doc(id: &str) -> Option<String> {
    (!REPOSITORY.is_empty()).then(|| format!("{REPOSITORY}/blob/main/docs/rules.md#{id}"))
}

/// SARIF's three result levels.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Characters left as they are in an artifact URI: unreserved ones and `/`.
const URI_KEEP: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// The input's name as a URI reference: relative paths stay relative (code scanning
/// resolves them against the checkout), absolute ones become `file://` URIs, and
/// standard input is `stdin`.
fn artifact_uri(source: &str) -> String {
    if source == "-" {
        return "stdin".to_owned();
    }
    let slashed = source.replace('\\', "/");
    let trimmed = slashed.strip_prefix("./").unwrap_or(&slashed);
    let encoded = utf8_percent_encode(trimmed, URI_KEEP).to_string();
    if trimmed.starts_with('/') {
        format!("file://{encoded}")
    } else {
        encoded
    }
}

/// The enabled rules (all but the ignored ones), in registry order: the `ruleIndex`
/// of a result is a position in this list.
fn enabled_rules(ignored: &[&'static str]) -> Vec<&'static RuleMeta> {
    RULES
        .iter()
        .map(|r| r.meta)
        .filter(|m| !ignored.contains(&m.id))
        .collect()
}

fn rule_descriptor(m: &RuleMeta) -> Value {
    let help = if m.explain.is_empty() {
        m.summary
    } else {
        m.explain
    };
    let mut descriptor = json!({
        "id": m.code,
        "name": m.id,
        "shortDescription": { "text": m.summary },
        "fullDescription": { "text": m.explain, "markdown": m.explain },
        "help": { "text": help, "markdown": help },
        "defaultConfiguration": { "level": level(m.default_severity) },
        "properties": {
            "id": m.id,
            "tags": m.profiles.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
            "awsError": m.aws_error,
            "since": m.since,
        },
    });
    if let (Some(uri), Some(obj)) = (rule_doc(m.id), descriptor.as_object_mut()) {
        obj.insert("helpUri".to_owned(), Value::String(uri));
    }
    descriptor
}

fn region(p: &PayloadReport, span: Span) -> Option<Value> {
    let doc = p.document.as_ref()?;
    let start = doc.line_col(span);
    let end = doc.line_col(Span::new(span.end.max(span.start), span.end));
    let mut r = Map::new();
    r.insert("startLine".into(), start.line.into());
    r.insert("startColumn".into(), start.column.into());
    if end.line > start.line || (end.line == start.line && end.column > start.column) {
        r.insert("endLine".into(), end.line.into());
        r.insert("endColumn".into(), end.column.into());
    }
    if let Some(snippet) = doc.text.get(span.start..span.end)
        && !snippet.is_empty()
        && snippet.len() <= 400
    {
        r.insert("snippet".into(), json!({ "text": snippet }));
    }
    Some(Value::Object(r))
}

fn physical(uri: &str, region: Option<Value>) -> Value {
    let mut loc = Map::new();
    loc.insert("artifactLocation".into(), json!({ "uri": uri }));
    if let Some(r) = region {
        loc.insert("region".into(), r);
    }
    Value::Object(loc)
}

fn result(
    rules: &[&'static RuleMeta],
    input: &InputReport,
    payload: Option<&PayloadReport>,
    f: &Finding,
) -> Value {
    let uri = artifact_uri(&input.source);
    let primary_region = f
        .primary
        .as_ref()
        .and_then(|l| payload.and_then(|p| region(p, l.span)));
    let mut res = Map::new();
    res.insert("ruleId".into(), f.rule.code.into());
    if let Some(i) = rules.iter().position(|m| std::ptr::eq(*m, f.rule)) {
        res.insert("ruleIndex".into(), i.into());
    }
    res.insert("level".into(), level(f.severity).into());
    res.insert(
        "message".into(),
        json!({ "text": format!("{}: {}", f.rule.id, f.message) }),
    );
    let mut location = Map::new();
    location.insert("physicalLocation".into(), physical(&uri, primary_region));
    if let Some(l) = &f.primary
        && !l.label.is_empty()
    {
        location.insert("message".into(), json!({ "text": l.label }));
    }
    res.insert("locations".into(), json!([Value::Object(location)]));
    if let Some(p) = payload {
        let related: Vec<Value> = f
            .related
            .iter()
            .enumerate()
            .map(|(i, l)| {
                json!({
                    "id": i,
                    "physicalLocation": physical(&uri, region(p, l.span)),
                    "message": { "text": l.label },
                })
            })
            .collect();
        if !related.is_empty() {
            res.insert("relatedLocations".into(), related.into());
        }
    }
    let mut props = Map::new();
    props.insert("rule".into(), f.rule.id.into());
    props.insert("severity".into(), f.severity.as_str().into());
    props.insert("input".into(), input.source.clone().into());
    if let Some(p) = payload {
        props.insert("payload".into(), p.index.into());
        if let Some(entry) = p.origin.entry {
            props.insert("harEntry".into(), entry.into());
        }
        if let Some(url) = &p.origin.url {
            props.insert("url".into(), url.clone().into());
        }
        if let Some(origin) = p.origin.form_description() {
            props.insert("origin".into(), origin.into());
        }
        if let Some(kind) = p.kind {
            props.insert(
                "kind".into(),
                match kind {
                    MessageKind::Request => "request",
                    MessageKind::Response => "response",
                }
                .into(),
            );
        }
        props.insert(
            "regionIn".into(),
            if p.document.is_some() {
                "decoded-xml"
            } else {
                "none"
            }
            .into(),
        );
    }
    props.insert("awsError".into(), f.aws_error_text().into());
    let idp = input.idp_of(payload);
    props.insert("idp".into(), idp.kind.id().into());
    if !idp.reason.is_empty() {
        props.insert("idpReason".into(), idp.reason.clone().into());
    }
    if let Some(fix) = f.idp_fix(idp.kind) {
        props.insert("fixIdp".into(), fix.text.into());
        props.insert("fixIdpName".into(), fix.idp.name().into());
    }
    props.insert("fixAws".into(), f.aws_fix().into());
    if let Some(fix) = &f.capture_fix {
        props.insert("fixCapture".into(), fix.clone().into());
    }
    res.insert("properties".into(), Value::Object(props));
    Value::Object(res)
}

fn notification(input: &InputReport) -> Option<Value> {
    input.error.as_ref().map(|e| {
        json!({
            "level": "error",
            "message": { "text": e },
            "locations": [{ "physicalLocation": physical(&artifact_uri(&input.source), None) }],
        })
    })
}

/// The log around its results and notifications.
fn log(rules: &[&'static RuleMeta], results: Vec<Value>, notifications: Vec<Value>) -> Value {
    let mut invocation = Map::new();
    invocation.insert(
        "executionSuccessful".into(),
        notifications.is_empty().into(),
    );
    if !notifications.is_empty() {
        invocation.insert("toolExecutionNotifications".into(), notifications.into());
    }
    let results = Value::Array(results);
    let mut driver = json!({
        "name": "samlint",
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "version": env!("CARGO_PKG_VERSION"),
        "rules": rules.iter().map(|m| rule_descriptor(m)).collect::<Vec<_>>(),
    });
    if let Some(obj) = driver.as_object_mut().filter(|_| !REPOSITORY.is_empty()) {
        obj.insert("informationUri".to_owned(), REPOSITORY.into());
    }
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": driver,
            },
            "invocations": [Value::Object(invocation)],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

/// Builds the whole SARIF log as one JSON value.
#[cfg(test)]
pub(crate) fn to_value(report: &super::model::Report) -> Value {
    let rules = enabled_rules(&report.ignored);
    let results = report
        .findings()
        .map(|(i, p, f)| result(&rules, i, p, f))
        .collect();
    let notifications = report.inputs.iter().filter_map(notification).collect();
    log(&rules, results, notifications)
}

/// Where a result and a notification sit in the pretty log (`runs[0].results[i]`,
/// `runs[0].invocations[0].toolExecutionNotifications[i]`).
const RESULT_INDENT: &[u8] = b"        ";
const NOTIFICATION_INDENT: &[u8] = b"            ";

/// Stand-ins for the parts in the log around them; a JSON string written with them
/// cannot occur anywhere else (the control character is always escaped).
const RESULTS_MARK: &str = "\u{1}results";
const NOTIFICATIONS_MARK: &str = "\u{1}notifications";

/// Values as elements of a pretty array at the given indentation, comma-separated.
fn pretty_elements(values: &[Value], pad: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for (n, v) in values.iter().enumerate() {
        if n > 0 {
            out.extend_from_slice(b",\n");
        }
        // A `Value` always serializes.
        if let Ok(text) = serde_json::to_vec_pretty(v) {
            for (l, line) in text.split(|&b| b == b'\n').enumerate() {
                if l > 0 {
                    out.push(b'\n');
                }
                out.extend_from_slice(pad);
                out.extend_from_slice(line);
            }
        }
    }
    out
}

/// One input's results (the body) and its tool notification (the head), as elements
/// of their arrays in the pretty log.
pub(super) fn part(input: &InputReport, ignored: &[&'static str]) -> Part {
    let rules = enabled_rules(ignored);
    let results: Vec<Value> = input
        .all_findings()
        .map(|(p, f)| result(&rules, input, p, f))
        .collect();
    let notifications: Vec<Value> = notification(input).into_iter().collect();
    Part {
        body: pretty_elements(&results, RESULT_INDENT),
        head: pretty_elements(&notifications, NOTIFICATION_INDENT),
        ..Part::default()
    }
}

/// Writes the SARIF log as pretty JSON followed by a newline: the bytes of
/// serializing [`to_value`] at once.
///
/// # Errors
/// Errors of the writer.
pub(super) fn write(
    parts: &[Part],
    ignored: &[&'static str],
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let mark = |any: bool, m: &str| {
        if any {
            vec![Value::String(m.to_owned())]
        } else {
            Vec::new()
        }
    };
    let results = mark(parts.iter().any(|p| !p.body.is_empty()), RESULTS_MARK);
    let notifications = mark(parts.iter().any(|p| !p.head.is_empty()), NOTIFICATIONS_MARK);
    let skeleton =
        serde_json::to_string_pretty(&log(&enabled_rules(ignored), results, notifications))?;
    let quoted = |m: &str| Value::String(m.to_owned()).to_string();
    let (results_line, notifications_line) = (quoted(RESULTS_MARK), quoted(NOTIFICATIONS_MARK));
    for (n, line) in skeleton.split('\n').enumerate() {
        if n > 0 {
            out.write_all(b"\n")?;
        }
        let section: Option<fn(&Part) -> &Vec<u8>> = match line.trim_start() {
            l if l == results_line => Some(|p| &p.body),
            l if l == notifications_line => Some(|p| &p.head),
            _ => None,
        };
        let Some(section) = section else {
            out.write_all(line.as_bytes())?;
            continue;
        };
        let mut first = true;
        for bytes in parts.iter().map(section).filter(|b| !b.is_empty()) {
            if !first {
                out.write_all(b",\n")?;
            }
            out.write_all(bytes)?;
            first = false;
        }
    }
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::model::Report;

    #[test]
    fn artifact_uris() {
        assert_eq!(artifact_uri("captures/a b.har"), "captures/a%20b.har");
        assert_eq!(artifact_uri("./x.b64"), "x.b64");
        assert_eq!(artifact_uri("/tmp/x.xml"), "file:///tmp/x.xml");
        assert_eq!(artifact_uri("dir\\x.xml"), "dir/x.xml");
        assert_eq!(artifact_uri("-"), "stdin");
    }

    /// Input-by-input rendering gives the bytes of serializing the whole log at once,
    /// with and without results, notifications and ignored rules.
    #[test]
    fn parts_give_the_whole_log() {
        let full = crate::report::tests::sample_report();
        let mut ignoring = full.clone();
        ignoring.ignored = vec!["response-too-large"];
        let mut readable = full.clone();
        readable.inputs.retain(|i| i.error.is_none());
        let mut quiet = full.clone();
        quiet.inputs.retain(|i| i.error.is_some());
        for report in [full, ignoring, readable, quiet, Report::default()] {
            let mut ours = Vec::new();
            crate::report::Format::Sarif
                .render(&report, &crate::report::RenderOptions::default(), &mut ours)
                .unwrap();
            let mut whole = serde_json::to_vec_pretty(&to_value(&report)).unwrap();
            whole.push(b'\n');
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                String::from_utf8(whole).unwrap()
            );
        }
    }

    #[test]
    fn rules_are_listed_in_registry_order() {
        let v = to_value(&Report::default());
        let rules = v["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(rules.len(), RULES.len());
        for (r, d) in RULES.iter().zip(&rules) {
            assert_eq!(d["id"], r.meta.code);
            assert_eq!(d["name"], r.meta.id);
        }
    }
}
