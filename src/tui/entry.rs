//! One checked payload as the terminal UI shows it: the report's findings, summary
//! and roles, the pretty-printed and highlighted XML with the lines each verified
//! signature covers, prepared once when the payload arrives so that drawing only reads.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use ratatui::text::{Line, Span};

use super::theme;
use crate::lint::{Finding, Severity};
use crate::pipeline::Options;
use crate::report::InputReport;
use crate::report::text::sanitize;
use crate::report::{PayloadReport, RolePair};
use crate::xml::{self, Document};

const DSIG_NS: &str = "http://www.w3.org/2000/09/xmldsig#";

/// One row of the payload list: a payload, or an input that yielded none.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// The input as named (file, `paste`, proxy URL).
    pub source: String,
    /// The input could not be read at all.
    pub error: Option<String>,
    /// Input-level findings, then the payload's.
    pub findings: Vec<Finding>,
    /// The pretty-printed XML line of each finding, when it has a span.
    pub finding_lines: Vec<Option<usize>>,
    pub payload: Option<PayloadReport>,
    /// Pretty-printed, highlighted XML (shared, so a view's cache can tell one
    /// entry's lines from another's).
    pub xml: Arc<[XmlLine]>,
    /// Line ranges (inclusive) of signed elements: once the verifier ran, the
    /// elements that the signatures which hold digested (from the byte spans
    /// verification resolved); before, the elements that carry a ds:Signature.
    pub signed: Vec<(usize, usize)>,
    /// Whether `signed` comes from the verifier.
    pub signed_verified: bool,
    /// ds:Signature elements as written in the document.
    pub declared: Vec<DeclaredSignature>,
    pub not_before: Option<DateTime<Utc>>,
    pub not_on_or_after: Option<DateTime<Utc>>,
    /// The decoded text, sanitised, line by line.
    pub raw_lines: Vec<String>,
    /// The Role pairs, split for the roles table.
    pub roles: Vec<RoleRow>,
    /// SessionDuration, when it is a number of seconds.
    pub session_seconds: Option<i64>,
    /// Notes on the input (a HAR saved without content...) and the decoder's notes.
    pub notes: Vec<String>,
}

/// One row of the roles table, sanitised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RoleRow {
    pub account: String,
    pub name: String,
    pub provider: String,
    /// `--aws`: what STS will do (`allowed`, `denied`, `unknown`) and why.
    pub sts: Option<(&'static str, String)>,
    /// Not a role ARN and a provider ARN of one 12-digit account (see Findings).
    pub malformed: bool,
}

impl RoleRow {
    /// Account id, role name and provider name out of a Role pair.
    fn new(pair: &RolePair, aws: Option<&crate::aws::PayloadAws>) -> Self {
        let role = pair.role.as_str();
        let provider = pair.provider.as_str();
        let account = |arn: &str| arn.split(':').nth(4).map(str::to_owned);
        let twelve = |a: &Option<String>| {
            a.as_ref()
                .is_some_and(|a| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()))
        };
        let (ra, pa) = (account(role), account(provider));
        let malformed = !role.contains(":role/")
            || !provider.contains(":saml-provider/")
            || !twelve(&ra)
            || ra != pa;
        let sts = aws
            .and_then(|a| {
                a.roles
                    .iter()
                    .find(|o| o.role_arn == role && o.provider_arn == provider)
            })
            .map(|o| (o.outcome.as_str(), sanitize(&o.describe())));
        RoleRow {
            sts,
            malformed,
            account: sanitize(role.split(':').nth(4).unwrap_or("")),
            name: sanitize(role.split_once(":role/").map_or(role, |(_, n)| n)),
            provider: sanitize(
                provider
                    .split_once(":saml-provider/")
                    .map_or(provider, |(_, n)| n),
            ),
        }
    }
}

/// One pretty-printed XML line, highlighted once when the payload is checked.
#[derive(Debug, Clone)]
pub(crate) struct XmlLine {
    pub line: Line<'static>,
    /// The sanitised text, for search and copy.
    pub text: String,
    pub close: Option<usize>,
}

/// A ds:Signature as the document declares it, before any verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DeclaredSignature {
    /// The element it sits in (`Response`, `Assertion`) and that element's ID.
    pub parent: String,
    pub parent_id: Option<String>,
    pub reference: Option<String>,
    pub c14n: Option<String>,
    pub signature_method: Option<String>,
    pub digest_method: Option<String>,
    pub has_certificate: bool,
}

/// The worst thing about an entry, for its badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    Ok,
    Warn,
    Fail,
    Error,
}

impl Entry {
    pub(crate) fn verdict(&self) -> Verdict {
        if self.error.is_some() {
            return Verdict::Error;
        }
        match self.findings.iter().map(|f| f.severity).max() {
            Some(Severity::Error) => Verdict::Fail,
            Some(Severity::Warning) => Verdict::Warn,
            _ => Verdict::Ok,
        }
    }
}

/// Turns a checked input into list entries, preparing everything the panels show so
/// that drawing does no parsing.
pub(super) fn entries_from_input(input: InputReport, opts: &Options) -> Vec<Entry> {
    let InputReport {
        source,
        error,
        findings,
        notes,
        payloads,
        ..
    } = input;
    if payloads.is_empty() {
        let n = findings.len();
        return vec![Entry {
            source,
            error,
            findings,
            finding_lines: vec![None; n],
            payload: None,
            xml: Arc::from([]),
            signed: Vec::new(),
            signed_verified: false,
            declared: Vec::new(),
            not_before: None,
            not_on_or_after: None,
            raw_lines: Vec::new(),
            roles: Vec::new(),
            session_seconds: None,
            notes: notes.iter().map(|n| sanitize(n)).collect(),
        }];
    }
    let mut input_findings = Some(findings);
    payloads
        .into_iter()
        .map(|p| {
            let mut findings = input_findings.take().unwrap_or_default();
            findings.extend(p.findings.iter().cloned());
            let mut entry = prepare(source.clone(), findings, p, opts);
            entry.notes = notes.iter().map(|n| sanitize(n)).collect();
            entry
        })
        .collect()
}

fn parse_time(s: Option<&String>) -> Option<DateTime<Utc>> {
    s.and_then(|t| DateTime::parse_from_rfc3339(t.trim()).ok())
        .map(|t| t.with_timezone(&Utc))
}

fn prepare(source: String, findings: Vec<Finding>, p: PayloadReport, opts: &Options) -> Entry {
    let mut xml_lines = Vec::new();
    let mut signed = Vec::new();
    let mut declared = Vec::new();
    let mut pretty = Vec::new();
    let text = p.document.as_ref().map_or("", |d| d.text.as_str());
    if p.document.is_some()
        && let Ok(doc) = xml::parse(text, &opts.limits)
    {
        pretty = xml::pretty_lines(&doc);
        signed = match &p.signature {
            // Once verified: the elements that the signatures which hold digested, at
            // the spans verification resolved (never found again by their ID, which a
            // wrapped document gives to more than one element).
            Some(r) => r
                .signatures
                .iter()
                .filter(|d| d.digest_ok == Some(true) && d.signature_ok == Some(true))
                .filter_map(|d| xml::lines_of_element(&pretty, d.covered_span?))
                .collect(),
            // Before: the elements that carry a signature, as declared.
            None => pretty
                .iter()
                .enumerate()
                .filter(|(_, l)| {
                    l.node
                        .is_some_and(|n| doc.first_child(n, DSIG_NS, "Signature").is_some())
                })
                .map(|(i, l)| (i, l.close.unwrap_or(i)))
                .collect(),
        };
        declared = declared_signatures(&doc);
        xml_lines = pretty
            .iter()
            .map(|l| {
                let text = sanitize(&l.text);
                XmlLine {
                    line: highlight(&text),
                    text,
                    close: l.close,
                }
            })
            .collect();
    }
    let finding_lines = findings
        .iter()
        .map(|f| {
            f.primary
                .as_ref()
                .filter(|_| !pretty.is_empty())
                .map(|l| xml::line_of_offset(&pretty, l.span.start))
        })
        .collect();
    let summary = p.summary.as_ref();
    Entry {
        source,
        error: None,
        finding_lines,
        findings,
        xml: xml_lines.into(),
        signed_verified: p.signature.is_some(),
        signed,
        declared,
        not_before: parse_time(summary.and_then(|s| s.not_before.as_ref())),
        not_on_or_after: parse_time(summary.and_then(|s| s.not_on_or_after.as_ref())),
        raw_lines: text.lines().map(sanitize).collect(),
        roles: summary.map_or_else(Vec::new, |s| {
            s.roles
                .iter()
                .map(|r| RoleRow::new(r, p.aws.as_ref()))
                .collect()
        }),
        session_seconds: summary
            .and_then(|s| s.session_duration.as_deref())
            .and_then(|d| d.trim().parse().ok()),
        notes: Vec::new(),
        payload: Some(p),
    }
}

fn declared_signatures(doc: &Document) -> Vec<DeclaredSignature> {
    let mut out = Vec::new();
    for n in doc.descendants(doc.root()) {
        if !doc.is_element(n, DSIG_NS, "Signature") {
            continue;
        }
        let parent = doc.parent(n).and_then(|p| doc.element(p));
        let signed_info = doc.first_child(n, DSIG_NS, "SignedInfo");
        let algo = |local: &str, within: Option<xml::NodeId>| {
            within
                .and_then(|si| doc.first_child(si, DSIG_NS, local))
                .and_then(|m| doc.element(m))
                .and_then(|e| e.attr_value("Algorithm"))
                .map(short_algorithm)
        };
        let reference = signed_info.and_then(|si| doc.first_child(si, DSIG_NS, "Reference"));
        out.push(DeclaredSignature {
            parent: parent.map_or_else(String::new, |e| e.local().to_owned()),
            parent_id: parent.and_then(|e| e.attr_value("ID")).map(sanitize),
            reference: reference
                .and_then(|r| doc.element(r))
                .and_then(|e| e.attr_value("URI"))
                .map(sanitize),
            c14n: algo("CanonicalizationMethod", signed_info),
            signature_method: algo("SignatureMethod", signed_info),
            digest_method: algo("DigestMethod", reference),
            has_certificate: doc
                .descendants(n)
                .any(|d| doc.is_element(d, DSIG_NS, "X509Certificate")),
        });
    }
    out
}

/// `http://www.w3.org/2001/04/xmldsig-more#rsa-sha256` → `rsa-sha256`.
fn short_algorithm(uri: &str) -> String {
    sanitize(uri.rsplit(['#', '/']).next().unwrap_or(uri))
}

/// Colours one pretty-printed line: tags, attribute names and values, comments.
fn highlight(text: &str) -> Line<'static> {
    let trimmed = text.trim_start();
    let indent = &text[..text.len() - trimmed.len()];
    let mut spans = vec![Span::raw(indent.to_owned())];
    if trimmed.starts_with("<!--") || trimmed.starts_with("<?") {
        spans.push(Span::styled(trimmed.to_owned(), theme::xml_comment()));
        return Line::from(spans);
    }
    let mut rest = trimmed;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('<') {
            // A tag: `<name attr="v" ...>` or `</name>`.
            let close = after.starts_with('/');
            let body = if close { &after[1..] } else { after };
            let end = body.find('>').map_or(body.len(), |i| i + 1);
            let tag = &body[..end];
            spans.push(Span::styled(
                if close { "</" } else { "<" }.to_owned(),
                theme::xml_punct(),
            ));
            highlight_tag(tag, &mut spans);
            rest = &body[end..];
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            spans.push(Span::raw(rest[..end].to_owned()));
            rest = &rest[end..];
        }
    }
    Line::from(spans)
}

fn highlight_tag(tag: &str, spans: &mut Vec<Span<'static>>) {
    let name_end = tag
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .unwrap_or(tag.len());
    spans.push(Span::styled(tag[..name_end].to_owned(), theme::xml_tag()));
    let mut rest = &tag[name_end..];
    while !rest.is_empty() {
        if let Some(eq) = rest.find("=\"") {
            let (name, after) = rest.split_at(eq);
            spans.push(Span::styled(name.to_owned(), theme::xml_attr()));
            let value_end = after[2..].find('"').map_or(after.len(), |i| i + 3);
            spans.push(Span::styled(
                after[..value_end].to_owned(),
                theme::xml_value(),
            ));
            rest = &after[value_end..];
        } else {
            spans.push(Span::styled(rest.to_owned(), theme::xml_punct()));
            break;
        }
    }
}
