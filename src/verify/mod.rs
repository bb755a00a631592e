//! The verify stage: which signature covers the assertion AWS would consume, whether
//! it holds, and whether its key is trusted. Lint reads assertion content only from
//! the node this stage resolves.

pub(crate) mod algorithms;
pub(crate) mod c14n;
pub(crate) mod crypto;
pub mod decrypt;
pub(crate) mod engine_rust;
#[cfg(feature = "xmlsec")]
pub(crate) mod engine_xmlsec;
pub(crate) mod engines;
pub(crate) mod ids;
pub(crate) mod trust;
pub(crate) mod wrapping;

use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

use crate::saml::Response;
use crate::xml::{Document, Element, NodeId, Span};

pub use engine_rust::Scratch;
pub use engines::{Engine, verify_decrypted, verify_engine};
pub use trust::{TrustError, TrustStore};

/// What verification found, in its own terms; the lint stage names the rule
/// (`lint::signature`). Verification knows no rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Issue {
    /// No signature covers C (status `unsigned`).
    Missing,
    /// A signature on the Response or C fails (status `invalid`).
    Invalid,
    /// A signature verifies with a key not trusted for its Issuer (status `untrusted`).
    Untrusted,
    /// No trust was given at all (status `untrusted`).
    TrustNotGiven,
    /// The wrapping analysis fails (status `wrapped`).
    Wrapping,
    /// An algorithm or key samlint does not evaluate.
    AlgorithmUnsupported,
    /// SHA-1 in a covering signature.
    WeakAlgorithm,
    /// A KeyInfo certificate outside its validity period.
    CertExpired,
    /// `--engine both`: the engines answer differently.
    EngineDisagreement,
}

/// One thing verification reports, with where it is in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub issue: Issue,
    /// One line, with the observed value.
    pub message: String,
    /// Where, with a short label; `None` for the whole input.
    pub at: Option<(Span, &'static str)>,
}

impl Note {
    pub fn new(issue: Issue, message: impl Into<String>) -> Self {
        Note {
            issue,
            message: message.into(),
            at: None,
        }
    }

    #[must_use]
    pub fn at(mut self, span: Span, label: &'static str) -> Self {
        self.at = Some((span, label));
        self
    }
}

/// One status per payload, decided by the ordered table in DESIGN.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SignatureStatus {
    Error,
    Wrapped,
    Invalid,
    Untrusted,
    Valid,
    Unsigned,
}

impl SignatureStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureStatus::Error => "error",
            SignatureStatus::Wrapped => "wrapped",
            SignatureStatus::Invalid => "invalid",
            SignatureStatus::Untrusted => "untrusted",
            SignatureStatus::Valid => "valid",
            SignatureStatus::Unsigned => "unsigned",
        }
    }
}

/// Details of one certificate (from x509-parser).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificateInfo {
    pub subject: String,
    pub issuer: String,
    pub serial: String,
    pub not_before: String,
    pub not_after: String,
    pub sha256: String,
}

/// One `ds:Signature` as verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignatureDetail {
    /// Local name of the element the signature covers (`Assertion`, `Response`).
    pub covers: String,
    pub id: Option<String>,
    pub path: String,
    /// Bytes `start..end`, in the decoded document the report shows, of the element
    /// the Reference resolved to: the very node whose digest was computed (for an
    /// enveloped signature, its parent). `None` when the Reference resolved to no
    /// element (a duplicate or unknown ID, a URI that is not same-document). The TUI
    /// marks signed lines from it; nothing re-reads IDs to find the element again.
    pub covered_span: Option<Span>,
    /// Short signature algorithm name (`rsa-sha256`).
    pub algorithm: Option<String>,
    pub c14n: Option<String>,
    pub digest_algorithm: Option<String>,
    pub digest_ok: Option<bool>,
    pub signature_ok: Option<bool>,
    /// `SHA256:hex` of the key that verified, when it is trusted.
    pub trusted_key: Option<String>,
    pub certificate: Option<CertificateInfo>,
    /// Which trust entry matched (file and index).
    pub trust_entry: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignatureReport {
    pub status: SignatureStatus,
    pub engine: &'static str,
    pub signatures: Vec<SignatureDetail>,
}

/// What verification hands to lint and report.
#[derive(Debug, Clone)]
pub struct Verification {
    /// `None` until an engine ran (the JSON `signature` is then null).
    pub report: Option<SignatureReport>,
    /// C, the assertion AWS would consume, as resolved by verification.
    pub consumed: Option<NodeId>,
    pub findings: Vec<Note>,
    /// Validity of the first KeyInfo certificate of each covering signature, for
    /// `cert-expired` (checked once `now` is known).
    pub certificates: Vec<CertValidity>,
}

/// A KeyInfo certificate (its subject and validity period) and where it is.
#[derive(Debug, Clone)]
pub struct CertValidity {
    pub span: Span,
    pub cert: Arc<trust::ParsedCert>,
}

/// Verifies a parsed Response with the pure-Rust engine.
pub fn verify(doc: &Document, response: &Response, trust: &TrustStore) -> Verification {
    engine_rust::Scratch::with(|scratch| verify_with(doc, response, trust, scratch))
}

/// [`verify`] with reusable buffers (one per worker).
pub fn verify_with(
    doc: &Document,
    response: &Response,
    trust: &TrustStore,
    scratch: &mut engine_rust::Scratch,
) -> Verification {
    let ids = ids::IdIndex::build(doc);
    let evals = evaluate_all(doc, response, &ids, trust, scratch);
    conclude(doc, response, trust, &ids, &evals, "rust")
}

/// The pure-Rust engine's answer for every signature of the document, in order.
pub(crate) fn evaluate_all(
    doc: &Document,
    response: &Response,
    ids: &ids::IdIndex<'_>,
    trust: &TrustStore,
    scratch: &mut engine_rust::Scratch,
) -> Vec<engine_rust::SigEval> {
    response
        .signatures
        .iter()
        .map(|s| engine_rust::evaluate(doc, s, ids, trust, scratch))
        .collect()
}

/// Wrapping analysis, status and findings from per-signature answers (whichever
/// engine gave the maths).
pub(crate) fn conclude(
    doc: &Document,
    response: &Response,
    trust: &TrustStore,
    ids: &ids::IdIndex<'_>,
    evals: &[engine_rust::SigEval],
    engine: &'static str,
) -> Verification {
    let scoped = scope_trust(doc, response, trust, evals);
    let evals = scoped.as_slice();
    let outcome = wrapping::decide(doc, response, ids, evals);
    let findings = findings(doc, trust, evals, &outcome);
    let certificates = outcome
        .covering
        .iter()
        .filter_map(|&i| evals.get(i)?.keyinfo_cert.as_ref())
        .map(|(c, span)| CertValidity {
            span: *span,
            cert: Arc::clone(c),
        })
        .collect();
    let signatures = evals.iter().map(|e| detail(doc, e)).collect();
    let consumed = outcome
        .consumed
        .filter(|&c| doc.is_element(c, crate::saml::ASSERTION_NS, "Assertion"));
    Verification {
        report: Some(SignatureReport {
            status: outcome.status,
            engine,
            signatures,
        }),
        consumed,
        findings,
        certificates,
    }
}

/// The Issuer a signature speaks for: the `saml:Issuer` of the element it sits in,
/// else the Response's.
fn issuer_of(doc: &Document, response: &Response, parent: Option<NodeId>) -> Option<String> {
    let own = parent
        .and_then(|p| doc.first_child(p, crate::saml::ASSERTION_NS, "Issuer"))
        .or_else(|| response.issuer.as_ref().map(|i| i.node))?;
    Some(doc.text_content(own).trim().to_owned())
}

/// Keeps a signature's trust entry only when its key is trusted for the signature's
/// Issuer (a metadata key trusts only the entity that lists it); otherwise records
/// whose key it is.
fn scope_trust(
    doc: &Document,
    response: &Response,
    trust: &TrustStore,
    evals: &[engine_rust::SigEval],
) -> Vec<engine_rust::SigEval> {
    let mut out = evals.to_vec();
    for e in out.iter_mut().filter(|e| e.holds()) {
        let Some(sha) = e.certificate.as_ref().map(|c| c.sha256.as_str()) else {
            continue;
        };
        let cert = trust
            .certs
            .iter()
            .map(|t| &t.cert)
            .find(|c| c.info.sha256 == sha)
            .or_else(|| {
                e.keyinfo_cert
                    .as_ref()
                    .map(|(c, _)| c.as_ref())
                    .filter(|c| c.info.sha256 == sha)
            });
        let Some(cert) = cert else { continue };
        match trust.entry_for(cert, issuer_of(doc, response, e.parent).as_deref()) {
            Ok(entry) => e.trust_entry = Some(entry),
            Err(owner) => {
                e.trust_entry = None;
                e.key_owner = (!owner.is_empty()).then_some(owner);
            }
        }
    }
    out
}

fn detail(doc: &Document, e: &engine_rust::SigEval) -> SignatureDetail {
    let node = e.target.or(e.parent).unwrap_or(e.node);
    let el = doc.element(node);
    SignatureDetail {
        covers: el.map(|x| x.local().to_owned()).unwrap_or_default(),
        id: el.and_then(|x| {
            ["ID", "Id", "id", "AssertionID", "ResponseID"]
                .iter()
                .find_map(|a| x.attr_value(a))
                .map(str::to_owned)
        }),
        path: doc.path(node),
        covered_span: e.target.map(|t| doc.span(t)),
        algorithm: e.sig_alg.map(str::to_owned),
        c14n: e.c14n.map(str::to_owned),
        digest_algorithm: e.digest_alg.map(str::to_owned),
        digest_ok: e.digest_ok,
        signature_ok: e.signature_ok,
        trusted_key: e
            .trust_entry
            .as_ref()
            .and(e.certificate.as_ref())
            .map(|c| c.sha256.clone()),
        certificate: e
            .certificate
            .as_ref()
            .or_else(|| e.keyinfo_cert.as_ref().map(|(c, _)| &c.info))
            .map(|c| CertificateInfo::clone(c)),
        trust_entry: e.trust_entry.clone(),
    }
}

fn sig_span(doc: &Document, e: &engine_rust::SigEval) -> Span {
    doc.element(e.node)
        .map_or_else(|| doc.span(e.node), Element::start_tag)
}

/// The signature findings: the status's own finding, plus content findings
/// (weak algorithms) that never change it.
fn findings(
    doc: &Document,
    trust: &TrustStore,
    evals: &[engine_rust::SigEval],
    outcome: &wrapping::Outcome,
) -> Vec<Note> {
    let mut out = Vec::new();
    let covering = || outcome.covering.iter().filter_map(|&i| evals.get(i));
    let checked = || outcome.checked.iter().filter_map(|&i| evals.get(i));
    match outcome.status {
        SignatureStatus::Unsigned => {
            let span = outcome
                .consumed
                .or(Some(doc.root()))
                .and_then(|n| doc.element(n))
                .map_or_else(Span::default, Element::start_tag);
            let message = if evals.is_empty() {
                "no ds:Signature in the document: neither the Response nor the Assertion is signed"
            } else {
                "no signature covers the consumed assertion and none verifies"
            };
            out.push(Note::new(Issue::Missing, message).at(span, "unsigned"));
        }
        SignatureStatus::Error => {
            for e in evals {
                if let Some(why) = &e.unsupported {
                    out.push(
                        Note::new(Issue::AlgorithmUnsupported, why.clone())
                            .at(sig_span(doc, e), "this signature"),
                    );
                }
            }
        }
        SignatureStatus::Wrapped => {
            for (why, span) in &outcome.wrap_reasons {
                out.push(Note::new(Issue::Wrapping, why.clone()).at(*span, "here"));
            }
        }
        SignatureStatus::Invalid => {
            for e in checked().filter(|e| !e.holds()) {
                let message = if e.failures.is_empty() {
                    "the signature does not verify".to_owned()
                } else {
                    e.failures.join("; ")
                };
                out.push(Note::new(Issue::Invalid, message).at(sig_span(doc, e), "this signature"));
            }
        }
        SignatureStatus::Untrusted => {
            for e in checked().filter(|e| !e.trusted()) {
                out.push(untrusted(doc, trust, e));
            }
        }
        SignatureStatus::Valid => {}
    }
    if outcome.status != SignatureStatus::Error {
        for e in covering() {
            if let Some(why) = &e.unsupported {
                out.push(
                    Note::new(Issue::AlgorithmUnsupported, why.clone())
                        .at(sig_span(doc, e), "this signature"),
                );
            }
        }
    }
    for e in covering().filter(|e| !e.weak.is_empty()) {
        out.push(
            Note::new(
                Issue::WeakAlgorithm,
                format!("the signature uses SHA-1: {}", e.weak.join(", ")),
            )
            .at(sig_span(doc, e), "this signature"),
        );
    }
    out
}

/// The finding of a signature that verifies with a key not trusted for its Issuer:
/// `trust-not-given` when no trust was given at all, else `signature-untrusted`
/// naming whose key it is.
fn untrusted(doc: &Document, trust: &TrustStore, e: &engine_rust::SigEval) -> Note {
    let key = e
        .certificate
        .as_ref()
        .map_or_else(String::new, |c| format!(" ({}, {})", c.subject, c.sha256));
    if trust.is_empty() {
        return Note::new(
            Issue::TrustNotGiven,
            format!(
                "no trust was given, so whether the key is the IdP's is unknown: the signature's maths hold with its embedded KeyInfo certificate{key}; pass {}",
                TrustStore::FLAGS
            ),
        )
        .at(sig_span(doc, e), "this signature");
    }
    let message = if let Some(owner) = &e.key_owner {
        format!("the signature verifies with {owner}{key}: that key is not trusted for this Issuer")
    } else {
        let mut trusted: Vec<&str> = trust
            .certs
            .iter()
            .map(|c| c.cert.info.sha256.as_str())
            .take(3)
            .collect();
        if trust.certs.len() > 3 {
            trusted.push("...");
        }
        let prints = match trust.fingerprints.len() {
            0 => String::new(),
            1 => "; 1 fingerprint".to_owned(),
            n => format!("; {n} fingerprints"),
        };
        format!(
            "the signature verifies with its KeyInfo certificate{key}, which is in no trust entry (trusted: {}{prints})",
            if trusted.is_empty() {
                "no certificate".to_owned()
            } else {
                trusted.join(", ")
            }
        )
    };
    Note::new(Issue::Untrusted, message).at(sig_span(doc, e), "this signature")
}

/// `cert-expired`: the first KeyInfo certificate of each covering signature against
/// `now` ± skew.
pub fn cert_findings(v: &Verification, now: DateTime<Utc>, skew: TimeDelta) -> Vec<Note> {
    let show = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut out = Vec::new();
    for c in &v.certificates {
        let subject = &c.cert.info.subject;
        let message = match (c.cert.not_before, c.cert.not_after) {
            (_, Some(after)) if after < now - skew => format!(
                "the signing certificate {subject} expired at {} (now {})",
                show(after),
                show(now)
            ),
            (Some(before), _) if before > now + skew => format!(
                "the signing certificate {subject} is not valid before {} (now {})",
                show(before),
                show(now)
            ),
            _ => continue,
        };
        out.push(Note::new(Issue::CertExpired, message).at(c.span, "certificate"));
    }
    out
}
