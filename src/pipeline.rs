//! The pipeline, once per payload: decode → xml → saml → verify → lint, into the
//! report model. Front-ends (`check`, `inspect`, `proxy`) call it; it never prints.

use chrono::{DateTime, TimeDelta, Utc};
use rayon::prelude::*;

use crate::decode::{self, DecodeError};
use crate::input::{self, InputError, InputSpec, Payload, Scanned};
use crate::limits::Limits;
use crate::lint::{self, Ctx, Expected, Finding, NowSource, Profile, rules};
use crate::report::{InputReport, NowUsed, PayloadReport, Report, RolePair, SourceText, Summary};
use crate::saml::{self, Assertion, Response, Root};
use crate::verify::{self, TrustStore};
use crate::xml::{self, XmlErrorKind};

/// `--now`: the instant time rules are evaluated at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NowMode {
    At(DateTime<Utc>),
    /// The payload's capture time, else the clock (said in the report).
    Capture,
    /// The Response's IssueInstant.
    IssueInstant,
    Clock,
}

impl std::str::FromStr for NowMode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "capture" => Ok(NowMode::Capture),
            "issue-instant" => Ok(NowMode::IssueInstant),
            "clock" => Ok(NowMode::Clock),
            _ => DateTime::parse_from_rfc3339(s)
                .map(|t| NowMode::At(t.with_timezone(&Utc)))
                .map_err(|_| {
                    format!(
                        "'{s}' is not an RFC 3339 time nor one of capture, issue-instant, clock"
                    )
                }),
        }
    }
}

/// Parses `90s`, `5m`, `1h`, `0`.
///
/// # Errors
/// A message naming the value when it is not a duration.
pub fn parse_duration(s: &str) -> Result<TimeDelta, String> {
    let bad = || format!("'{s}' is not a duration such as 90s, 5m, 1h or 0");
    if s == "0" {
        return Ok(TimeDelta::zero());
    }
    let split = s.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    let n: i64 = s[..split].parse().map_err(|_| bad())?;
    match &s[split..] {
        "ms" => Ok(TimeDelta::milliseconds(n)),
        "s" => Ok(TimeDelta::seconds(n)),
        "m" => Ok(TimeDelta::minutes(n)),
        "h" => Ok(TimeDelta::hours(n)),
        _ => Err(bad()),
    }
}

/// Everything the pipeline needs besides the inputs. Built once per run, shared
/// read-only by every worker.
#[derive(Debug, Clone)]
pub struct Options {
    pub limits: Limits,
    pub now: NowMode,
    /// The system clock, read once per run.
    pub clock: DateTime<Utc>,
    pub skew: TimeDelta,
    /// `None`: detect per payload.
    pub profile: Option<Profile>,
    pub trust: TrustStore,
    pub expected: Expected,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            limits: Limits::default(),
            now: NowMode::Capture,
            clock: Utc::now(),
            skew: TimeDelta::minutes(5),
            profile: None,
            trust: TrustStore::default(),
            expected: Expected::default(),
        }
    }
}

/// Checks every input, in parallel, keeping the order they were given in.
pub fn check_all(specs: Vec<Result<InputSpec, InputError>>, opts: &Options) -> Report {
    check_all_with(specs, opts, &|| {})
}

/// [`check_all`], calling `done` (from any worker thread) as each input finishes,
/// for progress display.
pub fn check_all_with(
    specs: Vec<Result<InputSpec, InputError>>,
    opts: &Options,
    done: &(dyn Fn() + Sync),
) -> Report {
    let inputs = specs
        .into_par_iter()
        .map(|spec| {
            let r = match spec {
                Ok(spec) => check_spec(&spec, opts),
                Err(e) => {
                    let mut r = InputReport::new(error_source(&e));
                    r.error = Some(e.to_string());
                    r
                }
            };
            done();
            r
        })
        .collect();
    Report {
        inputs,
        ..Report::default()
    }
}

fn error_source(e: &InputError) -> String {
    match e {
        InputError::Io { path, .. } | InputError::NotFound { path } => path.clone(),
    }
}

/// Reads and checks one input.
pub fn check_spec(spec: &InputSpec, opts: &Options) -> InputReport {
    let source = spec.display_name();
    match input::scan(spec, &opts.limits) {
        Ok(scanned) => check_scanned(source, scanned, opts),
        Err(e) => {
            let mut r = InputReport::new(source);
            r.error = Some(e.to_string());
            r
        }
    }
}

/// Checks the payloads of a scanned input.
pub fn check_scanned(source: String, scanned: Scanned, opts: &Options) -> InputReport {
    let mut r = InputReport::new(source);
    r.container = Some(scanned.container);
    r.stats = scanned.stats;
    r.notes = scanned.notes;
    if let Some(e) = scanned.limit_exceeded {
        r.findings
            .push(Finding::new(&rules::xml_limits_exceeded::META, e));
    }
    if let Some(e) = scanned.error {
        r.findings
            .push(Finding::new(&rules::input_not_saml::META, e));
    } else if scanned.payloads.is_empty() && r.findings.is_empty() {
        let what = match scanned.stats {
            Some(s) => format!(
                "no SAMLResponse or SAMLRequest in any of the {} entries",
                s.entries
            ),
            None => "no SAML payload found".to_owned(),
        };
        r.findings
            .push(Finding::new(&rules::input_not_saml::META, what));
    }
    r.payloads = scanned
        .payloads
        .into_iter()
        .enumerate()
        .map(|(i, p)| check_payload(i, &p, opts))
        .collect();
    r
}

/// Runs one payload through decode, XML, SAML, verify and lint.
pub fn check_payload(index: usize, payload: &Payload, opts: &Options) -> PayloadReport {
    let mut rep = PayloadReport {
        index,
        origin: payload.origin.clone(),
        binding: payload.binding,
        param: payload.param,
        decoded: Vec::new(),
        decode_notes: Vec::new(),
        profile: None,
        profile_reason: None,
        now: None,
        signature: None,
        summary: None,
        findings: Vec::new(),
        document: None,
        is_saml: false,
    };
    let what = payload.param.map_or("the payload", |p| p.name());
    let decoded = match decode::decode(payload, &opts.limits) {
        Ok(d) => d,
        Err(e) => {
            let meta = match e {
                DecodeError::TooLarge { .. } => &rules::xml_limits_exceeded::META,
                _ => &rules::input_not_saml::META,
            };
            rep.findings.push(Finding::new(
                meta,
                format!("{what} could not be decoded: {e}"),
            ));
            return rep;
        }
    };
    rep.decoded = decoded.steps;
    rep.binding = decoded.binding;
    rep.param = decoded.param.or(payload.param);
    rep.decode_notes = decoded.notes;

    if xml::looks_like_html(&decoded.text) {
        let title = html_title(&decoded.text);
        rep.findings.push(Finding::new(
            &rules::input_not_saml::META,
            format!(
                "an HTML page{title} was captured, not the SAMLResponse POST (a login, MFA or error page)"
            ),
        ));
        rep.document = Some(SourceText::new(decoded.text));
        return rep;
    }
    let doc = match xml::parse_owned(decoded.text, &opts.limits) {
        Ok(doc) => doc,
        Err(fail) => {
            let e = fail.error;
            let meta = match e.kind {
                XmlErrorKind::Dtd | XmlErrorKind::Entity => &rules::xml_dtd_forbidden::META,
                XmlErrorKind::Limit => &rules::xml_limits_exceeded::META,
                XmlErrorKind::Syntax => &rules::input_not_saml::META,
            };
            let span = xml::Span::new(e.offset, e.offset + 1);
            let message = match e.kind {
                XmlErrorKind::Syntax => format!("{what} is not well-formed XML: {}", e.message),
                _ => format!("{what} was refused: {}", e.message),
            };
            rep.findings
                .push(Finding::new(meta, message).at(span, "here"));
            rep.document = Some(SourceText::new(fail.text));
            return rep;
        }
    };
    if let Some(f) = not_a_response(&doc) {
        rep.findings.push(f);
        let (text, lines) = doc.into_text();
        rep.document = Some(SourceText { text, lines });
        return rep;
    }
    rep.is_saml = true;
    let response = Response::read(&doc);
    let verification = verify::verify(&doc, &response, &opts.trust);
    let assertion = verification.consumed.map(|n| Assertion::read(&doc, n));
    let url = payload.origin.url.as_deref();
    let (profile, reason) = match opts.profile {
        Some(p) => (p, "--profile".to_owned()),
        None => lint::profile::detect(url, &response, assertion.as_ref()),
    };
    let now = resolve_now(opts, payload, &response);
    let cx = Ctx {
        doc: &doc,
        response: &response,
        assertion: assertion.as_ref(),
        profile,
        now: now.at,
        now_source: now.source,
        skew: opts.skew,
        base64_len: decoded.base64_len,
        url,
        expected: &opts.expected,
        entity_ids: &opts.trust.entity_ids,
    };
    let mut findings = verify::cert_findings(&verification, now.at, opts.skew);
    findings.extend(verification.findings);
    findings.extend(lint::registry::run(&cx));
    findings.sort_by_key(Finding::sort_key);
    rep.findings = findings;
    rep.summary = Some(summarize(&response, assertion.as_ref()));
    rep.signature = verification.report;
    rep.profile = Some(profile);
    rep.profile_reason = Some(reason);
    rep.now = Some(now);
    let (text, lines) = doc.into_text();
    rep.document = Some(SourceText { text, lines });
    rep
}

fn html_title(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let Some(start) = lower.find("<title>").map(|i| i + 7) else {
        return String::new();
    };
    let end = lower[start..].find("</title>").map_or(start, |e| start + e);
    let title = text.get(start..end).unwrap_or("").trim();
    if title.is_empty() || title.len() > 120 {
        String::new()
    } else {
        format!(" (\"{title}\")")
    }
}

/// Names what the document is when it is not a SAML 2.0 Response.
fn not_a_response(doc: &xml::Document) -> Option<Finding> {
    // The caret goes under the element name, not the whole start tag.
    let span = doc.element(doc.root()).map_or(xml::Span::default(), |e| {
        let name = e.start_tag.start + 1;
        xml::Span::new(name, name + e.qname().len())
    });
    let message = match Root::of(doc) {
        Root::Response => return None,
        Root::OtherProtocol(name) if name == "AuthnRequest" => {
            "this is a SAMLRequest (AuthnRequest), sent to the IdP to ask for a sign-in; capture the SAMLResponse POST to the AWS ACS instead".to_owned()
        }
        Root::OtherProtocol(name) => {
            format!("the root is samlp:{name}, not a Response; capture the SAMLResponse POST to the AWS ACS")
        }
        Root::Saml11 => "this is a SAML 1.1 message; AWS accepts SAML 2.0 Responses only".to_owned(),
        Root::Other { name, namespace } => format!(
            "the root element is <{name}>{}, not a SAML 2.0 Response",
            namespace.map_or(String::new(), |n| format!(" in namespace {n}"))
        ),
    };
    Some(Finding::new(&rules::input_not_saml::META, message).at(span, "root element"))
}

fn resolve_now(opts: &Options, payload: &Payload, response: &Response) -> NowUsed {
    let clock = |source| NowUsed {
        at: opts.clock,
        source,
    };
    match opts.now {
        NowMode::At(at) => NowUsed {
            at,
            source: NowSource::Given,
        },
        NowMode::Clock => clock(NowSource::Clock),
        NowMode::Capture => payload.origin.time.map_or_else(
            || clock(NowSource::ClockFallback),
            |at| NowUsed {
                at,
                source: NowSource::Capture,
            },
        ),
        NowMode::IssueInstant => response
            .issue_instant
            .as_ref()
            .and_then(saml::Value::time)
            .map_or_else(
                || clock(NowSource::ClockFallback),
                |at| NowUsed {
                    at,
                    source: NowSource::IssueInstant,
                },
            ),
    }
}

/// Splits a Role value into role and provider, in either order.
fn role_pair(value: &str) -> RolePair {
    let mut parts = value.split(',').map(str::trim);
    let a = parts.next().unwrap_or("").to_owned();
    let b = parts.next().unwrap_or("").to_owned();
    if a.contains(":saml-provider/") || b.contains(":role/") {
        RolePair {
            role: b,
            provider: a,
        }
    } else {
        RolePair {
            role: a,
            provider: b,
        }
    }
}

/// What AWS would read, filled whatever the verdicts.
fn summarize(response: &Response, assertion: Option<&Assertion>) -> Summary {
    let mut s = Summary {
        issuer: response.issuer.as_ref().map(|i| i.value.text.clone()),
        destination: response.destination.as_ref().map(|d| d.text.clone()),
        issue_instant: response.issue_instant.as_ref().map(|v| v.text.clone()),
        ..Summary::default()
    };
    let Some(a) = assertion else { return s };
    if let Some(i) = &a.issuer {
        s.issuer = Some(i.value.text.clone());
    }
    if let Some(n) = a.subject.as_ref().and_then(|s| s.name_id.as_ref()) {
        s.subject = Some(n.value.text.clone());
        s.subject_format = n.format.as_ref().map(|f| f.text.clone());
    }
    let first = |name: &str| {
        a.first_values(name)
            .and_then(|v| v.first())
            .map(|v| v.value.text.clone())
    };
    s.roles = a
        .attributes_named(saml::aws::ROLE)
        .flat_map(|attr| attr.values.iter())
        .map(|v| role_pair(&v.value.text))
        .collect();
    s.session_name = first(saml::aws::ROLE_SESSION_NAME);
    s.session_duration = first(saml::aws::SESSION_DURATION);
    if let Some(c) = &a.conditions {
        s.not_before = c.not_before.as_ref().map(|v| v.text.clone());
        s.not_on_or_after = c.not_on_or_after.as_ref().map(|v| v.text.clone());
        s.audiences = c
            .audience_restrictions
            .iter()
            .flat_map(|r| r.audiences.iter().map(|v| v.text.clone()))
            .collect();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_and_durations_parse() {
        assert_eq!("capture".parse::<NowMode>(), Ok(NowMode::Capture));
        assert!(matches!(
            "2026-01-15T10:00:00Z".parse::<NowMode>(),
            Ok(NowMode::At(_))
        ));
        assert!("tomorrow".parse::<NowMode>().is_err());
        assert_eq!(parse_duration("90s"), Ok(TimeDelta::seconds(90)));
        assert_eq!(parse_duration("5m"), Ok(TimeDelta::minutes(5)));
        assert_eq!(parse_duration("0"), Ok(TimeDelta::zero()));
        assert!(parse_duration("5 minutes").is_err());
        assert!(parse_duration("m").is_err());
    }

    fn payload(raw: Vec<u8>, form: input::RawForm) -> Payload {
        Payload {
            origin: input::Origin::new(input::OriginKind::Paste),
            binding: input::Binding::Unknown,
            param: None,
            relay_state: None,
            raw,
            form,
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        /// Any bytes through the whole pipeline give a report, never a panic: content
        /// problems are findings.
        #[test]
        fn any_bytes_give_a_report(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..4096)) {
            let opts = Options::default();
            let rep = check_payload(0, &payload(bytes.clone(), input::RawForm::Encoded), &opts);
            proptest::prop_assert!(rep.is_saml || !rep.findings.is_empty() || rep.document.is_some());
            let _ = check_payload(0, &payload(bytes, input::RawForm::DecodedXml), &opts);
        }

        /// Damage anywhere in a real response still gives a report.
        #[test]
        fn damaged_responses_give_a_report(at in 0usize..5200, cut in proptest::bool::ANY, byte in proptest::num::u8::ANY) {
            let mut xml = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/okta-aws-iam.xml")).unwrap();
            let at = at.min(xml.len());
            if cut { xml.truncate(at) } else { xml.insert(at, byte) }
            let rep = check_payload(0, &payload(xml, input::RawForm::Encoded), &Options::default());
            proptest::prop_assert!(rep.document.is_some() || !rep.findings.is_empty());
        }
    }

    #[test]
    fn role_pairs_in_either_order() {
        let okta = role_pair("arn:aws:iam::1:saml-provider/Okta,arn:aws:iam::1:role/Admin");
        let aws = role_pair("arn:aws:iam::1:role/Admin, arn:aws:iam::1:saml-provider/Okta");
        assert_eq!(okta, aws);
        assert_eq!(okta.role, "arn:aws:iam::1:role/Admin");
    }
}
