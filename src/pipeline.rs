//! The pipeline, once per payload: decode → xml → saml → verify → lint, into the
//! report model. Front-ends (`check`, `inspect`, `proxy`) call it; it never prints.

use std::fmt::Write as _;

use chrono::{DateTime, TimeDelta, Utc};

use crate::decode::{self, DecodeError};
use crate::input::form::Duplicate;
use crate::input::html::{self, PageKind};
use crate::input::{self, InputError, InputSpec, Payload, Scanned};
use crate::input::{Binding, SamlParam};
use crate::limits::Limits;
use crate::lint::{self, Ctx, Expected, Finding, NowSource, Profile, rules};
use crate::report::{
    InputReport, MessageKind, NowUsed, PayloadReport, Report, RolePair, SourceText, Summary,
};
use crate::saml::{self, Assertion, Response, Root};
use crate::verify::decrypt::SpKey;
use crate::verify::{self, Engine, TrustStore};
use crate::xml::{self, Element, XmlErrorKind};

/// `--now`: the instant time rules are evaluated at (parsed in `cli::values`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NowMode {
    At(DateTime<Utc>),
    /// The payload's capture time, else the clock (said in the report).
    Capture,
    /// The Response's IssueInstant.
    IssueInstant,
    Clock,
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
    /// `--engine`.
    pub engine: Engine,
    /// `--sp-key`: opens an EncryptedAssertion.
    pub sp_key: Option<SpKey>,
    pub expected: Expected,
    /// `--aws`: the account as exported, read once per run.
    pub aws: Option<std::sync::Arc<crate::aws::Account>>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            limits: Limits::default(),
            now: NowMode::Capture,
            // Whole seconds: reports show the clock, and nanoseconds are noise there.
            clock: chrono::SubsecRound::trunc_subsecs(Utc::now(), 0),
            skew: TimeDelta::minutes(5),
            profile: None,
            trust: TrustStore::default(),
            engine: Engine::Rust,
            sp_key: None,
            expected: Expected::default(),
            aws: None,
        }
    }
}

/// Checks every input, in parallel, into one report that keeps the order they were
/// given in.
pub fn check_all(specs: &[Result<InputSpec, InputError>], opts: &Options) -> Report {
    Report {
        inputs: check_each(specs, opts, &|r| r),
        ..Report::default()
    }
}

/// Checks every input in parallel and hands each report to `then` on the worker that
/// checked it, as soon as it is checked; returns what `then` made of each, in the
/// order the inputs were given.
pub fn check_each<T: Send>(
    specs: &[Result<InputSpec, InputError>],
    opts: &Options,
    then: &(dyn Fn(InputReport) -> T + Sync),
) -> Vec<T> {
    let mut out = Vec::with_capacity(specs.len());
    check_in_order(specs, opts, then, &mut |t| out.push(t));
    out
}

/// Checks every input in parallel, hands each report to `then` on the worker that
/// checked it, and what `then` made of it to `deliver` in the order the inputs were
/// given, as soon as it and every input before it are done.
///
/// `check` renders in `then` and writes in `deliver`, so that a batch holds neither
/// the decoded documents nor the rendered report of all its inputs at once: memory
/// stays flat and the report flows while the batch runs. Workers take the inputs in
/// order (one counter, not rayon's halving splits), so few results wait for an
/// earlier one; `deliver` runs on the worker that completes the run, under a lock.
pub fn check_in_order<T: Send>(
    specs: &[Result<InputSpec, InputError>],
    opts: &Options,
    then: &(dyn Fn(InputReport) -> T + Sync),
    deliver: &mut (dyn FnMut(T) + Send),
) {
    use std::collections::BTreeMap;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Mutex, PoisonError};

    struct InOrder<'d, T> {
        next: usize,
        waiting: BTreeMap<usize, T>,
        deliver: &'d mut (dyn FnMut(T) + Send),
    }
    let taken = AtomicUsize::new(0);
    let order = Mutex::new(InOrder {
        next: 0,
        waiting: BTreeMap::new(),
        deliver,
    });
    let work = || {
        loop {
            let i = taken.fetch_add(1, Ordering::Relaxed);
            let Some(spec) = specs.get(i) else { break };
            let done = then(match spec {
                Ok(spec) => check_spec(spec, opts),
                Err(e) => {
                    let mut r = InputReport::new(error_source(e));
                    r.error = Some(e.to_string());
                    r
                }
            });
            let mut o = order.lock().unwrap_or_else(PoisonError::into_inner);
            if i != o.next {
                o.waiting.insert(i, done);
                continue;
            }
            (o.deliver)(done);
            o.next += 1;
            while let Some(done) = {
                let next = o.next;
                o.waiting.remove(&next)
            } {
                (o.deliver)(done);
                o.next += 1;
            }
        }
    };
    let workers = rayon::current_num_threads().min(specs.len());
    if workers <= 1 {
        work();
        return;
    }
    rayon::scope(|s| {
        for _ in 0..workers {
            s.spawn(|_| work());
        }
    });
}

fn error_source(e: &InputError) -> String {
    match e {
        InputError::Io { path, .. } | InputError::NotFound { path } => path.clone(),
    }
}

/// Reads and checks one input.
pub fn check_spec(spec: &InputSpec, opts: &Options) -> InputReport {
    let source = spec.display_name();
    // A file written by `samlint redact` carries the verdict taken before: looked for
    // in the content the scan reads anyway (reading each file a second time for it
    // cost 8% of `check`'s time on 3,000 small files, perf).
    let mut inside = None;
    let scanned = input::scan_seeing(spec, &opts.limits, &mut |bytes| {
        inside = Some(crate::redact::record::read_content(bytes));
    });
    match scanned {
        Ok(scanned) => {
            let recorded = crate::redact::record::Recorded::find(spec, &scanned, inside);
            let mut r = check_scanned(source, scanned, opts);
            recorded.apply(&mut r);
            r
        }
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
    r.idp = lint::idp::detect(&lint::idp::Clues {
        entity_ids: &opts.trust.entity_ids,
        ..lint::idp::Clues::default()
    });
    r.container = Some(scanned.container);
    r.stats = scanned.stats;
    r.notes = scanned.notes;
    if let Some(e) = scanned.limit_exceeded {
        r.findings
            .push(Finding::new(&rules::xml_limits_exceeded::META, e));
    }
    if let Some(e) = scanned.error {
        // An empty or unreadable container never reached AWS: the fix is the capture.
        r.findings.push(capture_problem(
            Finding::new(&rules::input_not_saml::META, e),
            RECAPTURE,
        ));
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
    lint::flow::check(&mut r.payloads);
    r
}

/// Runs one payload through decode, XML, SAML, verify and lint.
pub fn check_payload(index: usize, payload: &Payload, opts: &Options) -> PayloadReport {
    let mut rep = PayloadReport {
        index,
        origin: payload.origin.clone(),
        binding: payload.binding,
        param: payload.param,
        kind: payload.param.map(|p| match p {
            SamlParam::Response => MessageKind::Response,
            SamlParam::Request => MessageKind::Request,
        }),
        request: None,
        decoded: Vec::new(),
        decode_notes: Vec::new(),
        profile: None,
        profile_reason: None,
        idp: idp_of(None, payload, opts),
        now: None,
        signature: None,
        summary: None,
        findings: Vec::new(),
        document: None,
        is_saml: false,
        aws: None,
    };
    let what = payload.param.map_or("the payload", |p| p.name());
    if let (Some(d), Some(param)) = (payload.duplicate, payload.param) {
        rep.findings.push(duplicate_finding(d, param));
    }
    let role_page = payload
        .origin
        .html_form
        .as_ref()
        .is_some_and(|f| f.page == PageKind::AwsRoleSelection);
    if role_page {
        rep.decode_notes.push(
            "read from AWS's role-selection page, which AWS shows only after it accepted \
             this response"
                .to_owned(),
        );
    }
    let decoded = match decode::decode(payload, &opts.limits) {
        Ok(d) => d,
        Err(e) => {
            let f = match e {
                DecodeError::TooLarge { .. } => Finding::new(
                    &rules::xml_limits_exceeded::META,
                    format!("{what} could not be decoded: {e}"),
                ),
                // A cut or altered value is a copy problem, not an AWS rejection.
                _ => capture_problem(
                    Finding::new(
                        &rules::input_not_saml::META,
                        format!("{what} could not be decoded: {e}"),
                    ),
                    RECOPY,
                ),
            };
            let mut f = f;
            if role_page {
                // AWS accepted the response this page was made from: the value was
                // altered or removed when the page was saved, not by the IdP.
                f.message.push_str(
                    "; the page is AWS's role selection, so AWS accepted the original \
                     response: the value was removed or altered when the page was saved",
                );
                f = f.aws_error(
                    "none: AWS shows its role-selection page only after it accepted the response",
                );
            }
            rep.findings.push(f);
            return rep;
        }
    };
    rep.decoded = decoded.steps;
    rep.binding = decoded.binding;
    rep.param = decoded.param.or(payload.param);
    rep.decode_notes.extend(decoded.notes);

    if xml::looks_like_html(&decoded.text) {
        // A page with a SAML form was split into its fields by the input stage; one
        // that reaches here (base64 of a page, a page inside a form value) is read here.
        let page = html::read(&decoded.text);
        let title = page
            .title
            .as_deref()
            .filter(|t| t.len() <= 120)
            .map_or_else(String::new, |t| format!(" (\"{t}\")"));
        let message = if page.has_saml() {
            format!(
                "{what} holds an HTML page{title} with a SAML form inside it; pass the page \
                 itself (samlint reads the form's fields) or the form value"
            )
        } else {
            format!(
                "an HTML page{title} was captured, not the SAMLResponse POST: {} with no SAML form",
                page.kind()
            )
        };
        let f = Finding::new(&rules::input_not_saml::META, message);
        rep.findings.push(if page.has_saml() {
            f
        } else {
            capture_problem(f, RECAPTURE)
        });
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
            let mut f = Finding::new(meta, message).at(span, "here");
            if e.kind == XmlErrorKind::Syntax {
                f = f.capture_fix(MALFORMED);
            }
            rep.findings.push(f);
            rep.document = Some(SourceText::new(fail.text));
            return rep;
        }
    };
    let doc = match saml::soap::unwrap(&doc) {
        None => doc,
        Some(Err(soap)) => {
            let span = doc.span(doc.root());
            rep.findings.push(
                Finding::new(&rules::input_not_saml::META, format!("{what} is {soap}"))
                    .at(xml::Span::new(span.start, span.start + 1), "SOAP envelope"),
            );
            let (text, lines) = doc.into_text();
            rep.document = Some(SourceText { text, lines });
            return rep;
        }
        Some(Ok(unwrapped)) => {
            rep.binding = Binding::Soap;
            rep.decode_notes.push(format!(
                "the Response was taken out of a SOAP envelope ({}); line numbers refer to it",
                unwrapped.path
            ));
            match xml::parse_owned(unwrapped.text, &opts.limits) {
                Ok(inner) => inner,
                Err(fail) => {
                    rep.findings.push(Finding::new(
                        &rules::input_not_saml::META,
                        format!(
                            "the Response in the SOAP envelope could not be read: {}",
                            fail.error.message
                        ),
                    ));
                    rep.document = Some(SourceText::new(fail.text));
                    return rep;
                }
            }
        }
    };
    if let Some(mut request) = saml::request::read(&doc) {
        redirect_signature(&mut request, payload);
        rep.kind = Some(MessageKind::Request);
        rep.request = Some(request);
        let (text, lines) = doc.into_text();
        rep.document = Some(SourceText { text, lines });
        return rep;
    }
    if let Some(f) = not_a_response(&doc) {
        rep.findings.push(f);
        let (text, lines) = doc.into_text();
        rep.document = Some(SourceText { text, lines });
        return rep;
    }
    rep.is_saml = true;
    rep.kind = Some(MessageKind::Response);
    let response = Response::read(&doc);
    if let Some(f) = too_many_signatures(&doc, &response, &opts.limits) {
        rep.findings.push(f);
        let (text, lines) = doc.into_text();
        rep.document = Some(SourceText { text, lines });
        return rep;
    }
    let mut verification = verify::verify_engine(&doc, &response, &opts.trust, opts.engine);
    // C is an EncryptedAssertion when the Response has no Assertion child (RULES.md
    // "C, the consumed assertion"; the wrapping analysis picks it the same way).
    let encrypted_c = if response.assertions.is_empty() {
        response.encrypted_assertions.first().copied()
    } else {
        None
    };
    let mut encrypted = None;
    let opened = match encrypted_c.map(|ea| (ea, open_encrypted(&doc, ea, opts))) {
        Some((_, Ok(o))) => Some(o),
        Some((ea, Err(why))) => {
            encrypted = Some(lint::Encrypted {
                span: doc
                    .element(ea)
                    .map_or_else(|| doc.span(ea), Element::start_tag),
                unread: Some(why),
            });
            None
        }
        None => None,
    };
    if let (Some(o), Some(ea)) = (&opened, encrypted_c) {
        // One decision for the whole payload, taken on the document shown.
        verification = verify::verify_decrypted(
            (&doc, &response, ea),
            &o.doc,
            &o.response,
            o.node,
            &opts.trust,
            opts.engine,
        );
        encrypted = Some(lint::Encrypted {
            span: o
                .doc
                .element(o.node)
                .map_or_else(|| o.doc.span(o.node), Element::start_tag),
            unread: None,
        });
    }
    // Lint reads the document the assertion lives in: the outer one, or the
    // Response with the decrypted Assertion in place of the EncryptedAssertion.
    let (lint_doc, lint_response) = match &opened {
        Some(o) => (&o.doc, &o.response),
        None => (&doc, &response),
    };
    let assertion = match &opened {
        Some(o) => Some(Assertion::read(&o.doc, o.node)),
        None => verification.consumed.map(|n| Assertion::read(&doc, n)),
    };
    let url = payload.origin.url.as_deref();
    let (profile, reason) = match opts.profile {
        Some(p) => (p, "--profile".to_owned()),
        None => lint::profile::detect(url, lint_response, assertion.as_ref()),
    };
    let now = resolve_now(opts, payload, &response, assertion.as_ref());
    let role_checks = lint::RoleChecks::default();
    let cx = Ctx {
        role_checks: &role_checks,
        doc: lint_doc,
        response: lint_response,
        assertion: assertion.as_ref(),
        profile,
        now: now.at,
        now_source: now.source,
        skew: opts.skew,
        base64_len: decoded.base64_len,
        url,
        expected: &opts.expected,
        entity_ids: &opts.trust.entity_ids,
        encrypted: encrypted.as_ref(),
    };
    let mut findings: Vec<Finding> = verify::cert_findings(&verification, now.at, opts.skew)
        .iter()
        .chain(&verification.findings)
        .map(lint::signature::finding)
        .collect();
    findings.extend(lint::registry::run(&cx));
    // Identity Center payloads have no Role pairs, but CloudTrail matches them by user.
    let aws_profile = matches!(profile, Profile::AwsIam | Profile::AwsIdentityCenter);
    if let (Some(acct), Some(a), true) = (&opts.aws, assertion.as_ref(), aws_profile) {
        let (aws, found) = crate::aws::evaluate(
            acct,
            &crate::aws::PayloadInput {
                response: lint_response,
                assertion: a,
                signature: verification.report.as_ref(),
                now: now.at,
                skew: opts.skew,
            },
        );
        crate::aws::merge_findings(&mut findings, found, &aws);
        rep.aws = Some(aws);
    }
    findings.sort_by_key(Finding::sort_key);
    rep.findings.extend(findings);
    rep.summary = Some(summarize(lint_response, assertion.as_ref()));
    rep.signature = verification.report;
    rep.profile = Some(profile);
    rep.profile_reason = Some(reason);
    rep.idp = idp_of(rep.summary.as_ref(), payload, opts);
    rep.now = Some(now);
    let shown = opened.map_or(doc, |o| o.doc);
    let (text, lines) = shown.into_text();
    rep.document = Some(SourceText { text, lines });
    rep
}

/// A decrypted `EncryptedAssertion`.
///
/// The decrypted `<Assertion>` text is put in place of the EncryptedAssertion and that
/// Response is parsed again, with the normal limits, into a second document (`doc`).
/// Both verification and the rules read this document:
/// - the signature inside the assertion was made with the assertion in the Response
///   (inclusive c14n takes every namespace declared on its ancestors, exclusive c14n's
///   PrefixList the ones it names), and SPs decrypt in place before verifying; the
///   assertion alone would lose those declarations. [`verify::verify_decrypted`]
///   decides the status on it, taking the maths of the Response's own signature (which
///   covers the EncryptedAssertion) from the outer document;
/// - every rule keeps reading one document through `Ctx::doc`, response rules and
///   assertion rules alike, and every finding's span indexes the text the report shows
///   (the decrypted Assertion where the EncryptedAssertion was), so line numbers stay
///   right.
struct Opened {
    doc: xml::Document,
    response: Response,
    /// The decrypted Assertion in `doc`.
    node: xml::NodeId,
}

/// How an EncryptedAssertion is encrypted, for messages: algorithms and the
/// certificate it was encrypted to.
fn describe_encryption(doc: &xml::Document, ea: xml::NodeId) -> String {
    let short = |uri: &str| uri.rsplit('#').next().unwrap_or(uri).to_owned();
    match verify::decrypt::describe_encryption(doc, ea) {
        Err(e) => format!("its encryption cannot be read: {e}"),
        Ok(info) => {
            let content = info
                .content_algorithm
                .as_deref()
                .map_or_else(|| "an unnamed algorithm".to_owned(), short);
            let keys: Vec<String> = info
                .keys
                .iter()
                .map(|k| {
                    let mut parts = vec![
                        k.algorithm
                            .as_deref()
                            .map_or_else(|| "unnamed key transport".to_owned(), short),
                    ];
                    match (&k.certificate_sha256, k.rsa_bits) {
                        (Some(c), _) => parts.push(format!("to certificate {c}")),
                        (None, Some(b)) => parts.push(format!(
                            "to an RSA-{b} key (the message names no certificate)"
                        )),
                        (None, None) => {
                            parts.push("to a key the message does not name".to_owned());
                        }
                    }
                    if let Some(n) = &k.key_name {
                        parts.push(format!("key name {n}"));
                    }
                    if let Some(r) = &k.recipient {
                        parts.push(format!("recipient {r}"));
                    }
                    if let (Some(_), Some(b)) = (&k.certificate_sha256, k.rsa_bits) {
                        parts.push(format!("RSA-{b}"));
                    }
                    parts.join(", ")
                })
                .collect();
            if keys.is_empty() {
                format!("content {content}, no EncryptedKey in the message")
            } else {
                format!("content {content}, key {}", keys.join("; "))
            }
        }
    }
}

/// Decrypts C with `--sp-key`, or says why its content cannot be read.
fn open_encrypted(doc: &xml::Document, ea: xml::NodeId, opts: &Options) -> Result<Opened, String> {
    let how = describe_encryption(doc, ea);
    let Some(key) = &opts.sp_key else {
        return Err(format!(
            "{how}; pass --sp-key FILE with the SP's private key to decrypt, verify and lint it"
        ));
    };
    let text = verify::decrypt::decrypt_assertion(doc, ea, key)
        .map_err(|e| format!("{how}; --sp-key could not open it: {e}"))?;
    // The parser reads CR LF as LF: normalise first so offsets agree.
    let mut body = text.replace("\r\n", "\n").replace('\r', "\n");
    if body.trim_start().starts_with("<?xml") {
        let end = body.find("?>").map_or(0, |i| i + 2);
        body = body[end..].trim_start().to_owned();
    }
    let refused = |m: String| format!("{how}; the decrypted assertion was refused: {m}");
    let ea_span = doc.span(ea);
    let outer = doc.text();
    let spliced = format!(
        "{}{}{}",
        outer.get(..ea_span.start).unwrap_or_default(),
        body,
        outer.get(ea_span.end..).unwrap_or_default()
    );
    let sdoc = xml::parse_owned(spliced, &opts.limits).map_err(|f| refused(f.error.message))?;
    let response = Response::read(&sdoc);
    if response.signatures.len() > opts.limits.max_signatures {
        return Err(refused(format!(
            "it brings the document to {} signatures, more than {} (limits.max_signatures)",
            response.signatures.len(),
            opts.limits.max_signatures
        )));
    }
    let node = response
        .assertions
        .iter()
        .copied()
        .find(|&n| sdoc.span(n).start == ea_span.start)
        .ok_or_else(|| refused("it is not an Assertion in place".to_owned()))?;
    Ok(Opened {
        doc: sdoc,
        response,
        node,
    })
}

/// What AWS shows for a capture that holds no readable SAML message: nothing, it was
/// never sent in this form.
const NOT_SENT: &str =
    "none: this capture holds no SAML message AWS could have received, so no AWS error applies";

/// The fix for an empty, unreadable or non-HAR capture.
const RECAPTURE: &str = "Capture the sign-in again: browser DevTools -> Network, Preserve log on, sign in, then Save all as HAR (with content); or SAML-tracer -> Export; or copy the whole SAMLResponse form value.";

/// The fix for a payload value that was cut or altered on its way to samlint.
const RECOPY: &str = "Copy the whole SAMLResponse value again (from the POST to the AWS ACS in DevTools or SAML-tracer): it was cut or altered after the IdP sent it.";

/// The fix for XML that is not well-formed: IdPs emit well-formed XML, so the text
/// was changed after it was issued.
const MALFORMED: &str = "IdPs send well-formed XML: this text was edited after it was issued (by hand, a script or a proxy). Check the original capture, not an edited copy.";

fn capture_problem(f: Finding, fix: &str) -> Finding {
    f.aws_error(NOT_SENT).capture_fix(fix)
}

/// The IdP a payload's fixes speak of: from its Issuer, the trusted metadata, and the
/// URL it was captured at.
fn idp_of(summary: Option<&Summary>, payload: &Payload, opts: &Options) -> lint::Idp {
    let urls: Vec<&str> = payload.origin.url.as_deref().into_iter().collect();
    lint::idp::detect(&lint::idp::Clues {
        issuer: summary.and_then(|s| s.issuer.as_deref()),
        entity_ids: &opts.trust.entity_ids,
        urls: &urls,
    })
}

/// `form-parameter-duplicate` for one of the repeated values (or a value beside a
/// repeated `RelayState`).
fn duplicate_finding(d: Duplicate, param: SamlParam) -> Finding {
    let name = param.name();
    let mut message = if d.count < 2 {
        format!(
            "the {} carries RelayState {} times",
            d.place, d.relay_states
        )
    } else {
        let which = if d.position == 1 {
            format!(
                "this is the first, which a server that reads the first value uses (one that \
                 reads the last uses value {})",
                d.count
            )
        } else if d.position == d.count {
            format!(
                "this is value {} of {}, which a server that reads the last value uses (one \
                 that reads the first uses value 1)",
                d.position, d.count
            )
        } else {
            format!(
                "this is value {} of {}, which neither a server that reads the first value \
                 nor one that reads the last uses",
                d.position, d.count
            )
        };
        format!(
            "the {} carries {name} {} times; each value is checked on its own: {which}",
            d.place, d.count
        )
    };
    if d.relay_states > 1 {
        if d.count > 1 {
            let _ = write!(message, "; RelayState appears {} times too", d.relay_states);
        }
        message.push_str(
            " (the first RelayState is shown; a server that reads the last sends the user elsewhere)",
        );
    }
    Finding::new(&rules::form_parameter_duplicate::META, message)
}

/// The HTTP-Redirect signature of a request (`SigAlg`, `Signature` query parameters),
/// from the URL it was sent to or the pasted URL.
fn redirect_signature(request: &mut saml::request::RequestSummary, payload: &Payload) {
    let raw = std::str::from_utf8(&payload.raw).ok();
    let queries = [payload.origin.url.as_deref(), raw.map(str::trim)];
    for query in queries.into_iter().flatten() {
        let query = input::form::query_of(query).unwrap_or(query);
        if !query.contains("SAMLRequest=") {
            continue;
        }
        request.sig_alg = input::form::value_of(query, "SigAlg");
        request.redirect_signature = input::form::value_of(query, "Signature").is_some();
        return;
    }
}

/// `xml-limits-exceeded` for a document with more signatures than `max_signatures`:
/// each is checked over what it references (a `URI=""` one over the whole document),
/// so the count bounds verification at that many passes over the document.
fn too_many_signatures(
    doc: &xml::Document,
    response: &Response,
    limits: &Limits,
) -> Option<Finding> {
    let extra = response.signatures.get(limits.max_signatures)?;
    let span = doc
        .element(extra.node)
        .map_or_else(|| doc.span(extra.node), Element::start_tag);
    Some(
        Finding::new(
            &rules::xml_limits_exceeded::META,
            format!(
                "the document was refused: it has {} signatures, more than {} (limits.max_signatures)",
                response.signatures.len(),
                limits.max_signatures
            ),
        )
        .at(span, "one signature too many"),
    )
}

/// Names what the document is when it is not a SAML 2.0 Response.
fn not_a_response(doc: &xml::Document) -> Option<Finding> {
    // The caret goes under the element name, not the whole start tag.
    let span = doc.element(doc.root()).map_or(xml::Span::default(), |e| {
        let name = e.start_tag().start + 1;
        xml::Span::new(name, name + e.qname().len())
    });
    let message = match Root::of(doc) {
        Root::Response => return None,
        Root::OtherProtocol(name) => {
            format!(
                "the root is samlp:{name}, not a Response; capture the SAMLResponse POST to the AWS ACS"
            )
        }
        Root::Saml11 => {
            "this is a SAML 1.1 message; AWS accepts SAML 2.0 Responses only".to_owned()
        }
        // A `<Response>` in no namespace: the xmlns declaration was lost (hand edits,
        // tools that strip prefixes).
        Root::Other {
            name,
            namespace: None,
        } if matches!(
            name.rsplit(':').next(),
            Some("Response" | "Assertion" | "AuthnRequest")
        ) =>
        {
            format!(
                "the root element <{name}> has no namespace: a SAML 2.0 {} is in namespace {}; the xmlns declaration is missing",
                name.rsplit(':').next().unwrap_or_default(),
                if name.ends_with("Assertion") {
                    saml::ASSERTION_NS
                } else {
                    saml::PROTOCOL_NS
                }
            )
        }
        // IdP metadata has its own command.
        Root::Other { name, namespace }
            if namespace.as_deref() == Some("urn:oasis:names:tc:SAML:2.0:metadata") =>
        {
            format!(
                "this is SAML metadata (<{name}>), not a Response: lint it with `samlint metadata FILE`"
            )
        }
        Root::Other { name, namespace } => format!(
            "the root element is <{name}>{}, not a SAML 2.0 Response",
            namespace.map_or(String::new(), |n| format!(" in namespace {n}"))
        ),
    };
    Some(Finding::new(&rules::input_not_saml::META, message).at(span, "root element"))
}

fn resolve_now(
    opts: &Options,
    payload: &Payload,
    response: &Response,
    assertion: Option<&Assertion>,
) -> NowUsed {
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
        // A Response without IssueInstant (time-format-invalid says so) is judged at
        // C's: the wall clock would report a years-old capture as expired.
        NowMode::IssueInstant => {
            let of = |v: Option<&saml::Value>, source| {
                v.and_then(saml::Value::time)
                    .map(|at| NowUsed { at, source })
            };
            of(response.issue_instant.as_ref(), NowSource::IssueInstant)
                .or_else(|| {
                    of(
                        assertion.and_then(|a| a.issue_instant.as_ref()),
                        NowSource::AssertionIssueInstant,
                    )
                })
                .unwrap_or_else(|| clock(NowSource::ClockNoIssueInstant))
        }
    }
}

/// What AWS would read, filled whatever the verdicts.
fn summarize(response: &Response, assertion: Option<&Assertion>) -> Summary {
    let mut s = Summary {
        issuer: response.issuer.as_ref().map(|i| i.value.text.clone()),
        destination: response.destination.as_ref().map(|d| d.text.clone()),
        issue_instant: response.issue_instant.as_ref().map(|v| v.text.clone()),
        in_response_to: response.in_response_to.as_ref().map(|v| v.text.clone()),
        ..Summary::default()
    };
    let Some(a) = assertion else { return s };
    let bearer = a
        .subject
        .iter()
        .flat_map(|s| s.confirmations.iter())
        .filter(|c| c.method.as_ref().is_some_and(|m| m.text == saml::BEARER))
        .find_map(|c| c.data.as_ref());
    if let Some(d) = bearer {
        s.recipient = d.recipient.as_ref().map(|v| v.text.clone());
        if s.in_response_to.is_none() {
            s.in_response_to = d.in_response_to.as_ref().map(|v| v.text.clone());
        }
    }
    if let Some(i) = &a.issuer {
        s.issuer = Some(i.value.text.clone());
    }
    if let Some(n) = a.name_id() {
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
        .map(|v| {
            let (role, provider) = lint::arn::role_and_provider(&v.value.text);
            RolePair {
                role: role.to_owned(),
                provider: provider.to_owned(),
            }
        })
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

    fn payload(raw: Vec<u8>, form: input::RawForm) -> Payload {
        Payload {
            origin: input::Origin::new(input::OriginKind::Paste),
            binding: input::Binding::Unknown,
            param: None,
            relay_state: None,
            raw,
            form,
            duplicate: None,
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
    fn decrypted_findings_point_into_the_document_shown() {
        let xml = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/encrypted/signed-response.xml"
        ))
        .unwrap();
        let pem = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/gen/keys/sp-key.pem"
        ))
        .unwrap();
        let opts = Options {
            sp_key: Some(SpKey::from_pem(&pem).unwrap()),
            ..Options::default()
        };
        let rep = check_payload(0, &payload(xml.clone(), input::RawForm::DecodedXml), &opts);
        let doc = rep.document.as_ref().unwrap();
        let at = |rule: &str| {
            let f = rep.findings.iter().find(|f| f.rule.id == rule).unwrap();
            let span = f.primary.as_ref().unwrap().span;
            doc.text[span.start..span.end].to_owned()
        };
        assert!(at("encrypted-assertion").starts_with("<saml2:Assertion"));
        assert_eq!(at("assertion-expired"), "2026-01-15T10:05:00.000Z");

        // The Response's own signature, verified on the outer bytes, is shown in the
        // decrypted document too.
        assert!(at("trust-not-given").starts_with("<ds:Signature"));
        assert_eq!(
            rep.signature.as_ref().map(|s| s.status),
            Some(verify::SignatureStatus::Untrusted)
        );
    }

    /// The KeyInfo certificate is parsed once per thread and kept: its validity is
    /// still judged against each payload's own `now`.
    #[test]
    fn kept_certificates_are_judged_at_each_now() {
        let xml = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/samples/okta-aws-iam.xml"
        ))
        .unwrap();
        let p = payload(xml, input::RawForm::DecodedXml);
        let at = |now: &str| Options {
            now: now.parse().unwrap(),
            ..Options::default()
        };
        let expired = |rep: &PayloadReport| {
            rep.findings
                .iter()
                .filter(|f| f.rule.id == rules::cert_expired::META.id)
                .map(|f| f.message.clone())
                .collect::<Vec<_>>()
        };
        // The certificate is valid from 2025-01-01 to 2035-01-01.
        let valid = check_payload(0, &p, &at("2026-01-15T10:00:02Z"));
        assert!(expired(&valid).is_empty());
        let later = check_payload(0, &p, &at("2035-06-01T00:00:00Z"));
        assert_eq!(
            expired(&later),
            [
                "the signing certificate CN=okta-example IdP expired at 2035-01-01T00:00:00Z (now 2035-06-01T00:00:00Z)"
            ]
        );
        let earlier = check_payload(0, &p, &at("2024-06-01T00:00:00Z"));
        assert_eq!(expired(&earlier).len(), 1);
        assert!(expired(&check_payload(0, &p, &at("2026-01-15T10:00:02Z"))).is_empty());
        // The report shows the same certificate each time.
        let cert = |rep: &PayloadReport| {
            rep.signature.as_ref().unwrap().signatures[0]
                .certificate
                .clone()
                .unwrap()
        };
        assert_eq!(cert(&valid), cert(&later));
    }

    /// Two IdP certificates in one batch (one thread): each payload is verified and
    /// reported with its own.
    #[test]
    fn kept_certificates_stay_with_their_payload() {
        let fixture = |name: &str| {
            let xml = std::fs::read(format!(
                "{}/tests/fixtures/signature/{name}",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap();
            payload(xml, input::RawForm::DecodedXml)
        };
        let mut opts = Options {
            now: "2026-01-15T10:00:02Z".parse().unwrap(),
            ..Options::default()
        };
        opts.trust
            .add_metadata_file(std::path::Path::new(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/samples/trust/okta-metadata.xml"
            )))
            .unwrap();
        let signature = |rep: &PayloadReport| rep.signature.clone().unwrap();
        for _ in 0..2 {
            let okta = signature(&check_payload(
                0,
                &fixture("valid-assertion-signed.xml"),
                &opts,
            ));
            let attacker = signature(&check_payload(0, &fixture("attacker-keyinfo.xml"), &opts));
            assert_eq!(okta.status, verify::SignatureStatus::Valid);
            assert_eq!(attacker.status, verify::SignatureStatus::Untrusted);
            let (o, a) = (&okta.signatures[0], &attacker.signatures[0]);
            assert!(o.trusted_key.is_some() && a.trusted_key.is_none());
            let (oc, ac) = (
                o.certificate.as_ref().unwrap(),
                a.certificate.as_ref().unwrap(),
            );
            assert_eq!(o.trusted_key.as_ref(), Some(&oc.sha256));
            assert_ne!(oc.sha256, ac.sha256);
            assert_ne!(oc.subject, ac.subject);
        }
    }

    /// Inputs that finish out of order still reach `deliver` in the order given, each
    /// once, and the rest of the batch runs past an unreadable one.
    #[test]
    fn results_are_delivered_in_input_order() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let names: Vec<std::ffi::OsString> = (0..120)
            .map(|i| {
                if i % 10 == 3 {
                    root.join("samples/okta-aws-iam.xml").into_os_string()
                } else {
                    format!("no/such/input-{i}").into()
                }
            })
            .collect();
        let specs = input::expand(&names);
        assert_eq!(specs.len(), names.len());
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .unwrap();
        let mut seen = Vec::new();
        pool.install(|| {
            check_in_order(
                &specs,
                &Options::default(),
                &|r| {
                    // Later inputs of each run of seven finish first.
                    let n: u64 = r
                        .source
                        .rsplit('-')
                        .next()
                        .and_then(|n| n.parse().ok())
                        .unwrap_or(0);
                    std::thread::sleep(std::time::Duration::from_micros(300 * (7 - n % 7)));
                    r.source
                },
                &mut |source| seen.push(source),
            );
        });
        let expected: Vec<String> = names
            .iter()
            .map(|n| std::path::Path::new(n).display().to_string())
            .collect();
        assert_eq!(seen, expected);
    }
}
