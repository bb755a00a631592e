//! Engine selection: `--engine rust|xmlsec|both`.
//!
//! Whatever the engine, samlint's own code reads the signatures (algorithms,
//! Reference, structure), runs the wrapping analysis and decides the status by the
//! ordered table of DESIGN.md. An engine only answers the maths of each
//! `ds:Signature`: does the Reference digest match, does the SignatureValue verify,
//! and with which key.
//!
//! - `rust`: the pure-Rust engine ([`super::engine_rust`]).
//! - `xmlsec`: libxmlsec1 ([`super::engine_xmlsec`], cargo feature `xmlsec`) answers
//!   the maths; the report says `engine: "xmlsec"`.
//! - `both`: the Rust engine's result is reported (`engine: "both"`), and each
//!   signature where libxmlsec1 answers differently is an `engine-disagreement`.
//!
//! Keys given to libxmlsec1 mirror the Rust engine's: the trusted certificates
//! first, then the signature's own KeyInfo certificates (trusted only when a
//! `--idp-fingerprint` names them). libxmlsec1 never reads KeyInfo itself.
//!
//! What is not a disagreement:
//! - libxmlsec1 1.2 stops at the first failing Reference, so a `None` facing a value
//!   (`signature_ok` not checked after a digest mismatch) is no difference;
//! - samlint's fail-closed reading of a signature (`SigEval::refused_form`: a
//!   DigestValue or SignatureValue that is not one text node, CVE-2025-29775; a
//!   Reference with no canonical bytes), which libxmlsec1 accepts: the finding is
//!   samlint's own `signature-invalid`, and the xmlsec engine keeps it too;
//! - a signature samlint does not evaluate (more than one SignedInfo or Reference, an
//!   unsupported algorithm) in a document it calls `wrapped` or `error`, whatever
//!   libxmlsec1 makes of it;
//! - libxmlsec1 refusing a whole document (duplicate IDs, which it will not resolve)
//!   or refusing one signature (a node it does not expect inside `ds:Signature`) when
//!   samlint's status is already `wrapped` or `error`: both refuse it.

use serde::Serialize;

use super::engine_rust::{Scratch, SigEval};
use super::ids::IdIndex;
use super::{CertificateInfo, Issue, Note, SignatureStatus, TrustStore, Verification};
use crate::saml::Response;
use crate::xml::{Document, Element};

/// Which engine answers the signature maths.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    /// The pure-Rust engine (always built).
    #[default]
    Rust,
    /// libxmlsec1 (needs the `xmlsec` cargo feature).
    Xmlsec,
    /// Both, reporting the Rust engine's result and every disagreement.
    Both,
}

impl Engine {
    pub fn as_str(self) -> &'static str {
        match self {
            Engine::Rust => "rust",
            Engine::Xmlsec => "xmlsec",
            Engine::Both => "both",
        }
    }

    /// Whether this build can run the engine.
    ///
    /// # Errors
    /// The one-line usage message for an engine this build lacks.
    pub fn available(self) -> Result<(), String> {
        if self == Engine::Rust || cfg!(feature = "xmlsec") {
            Ok(())
        } else {
            Err(format!(
                "--engine {}: built without the xmlsec feature; rebuild with --features xmlsec",
                self.as_str()
            ))
        }
    }
}

/// The second engine's answer for one signature, engine-neutral (so the comparison
/// is testable without libxmlsec1).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct MathAnswer {
    /// The ID the Reference points at, as the engine resolved it.
    pub covered_id: Option<String>,
    pub digest_ok: Option<bool>,
    pub signature_ok: Option<bool>,
    /// A refusal or failure before the maths completed.
    pub error: Option<String>,
    /// The trust entry of the key that verified; `None` when untrusted or none did.
    pub trust_entry: Option<String>,
    /// The certificate whose key verified.
    pub key: Option<CertificateInfo>,
}

impl MathAnswer {
    pub(crate) fn holds(&self) -> bool {
        self.digest_ok == Some(true) && self.signature_ok == Some(true)
    }
}

/// Per signature (in the order of `Response::signatures`), or the whole document
/// refused (the message).
pub(crate) type Answers = Result<Vec<Option<MathAnswer>>, String>;

/// Verifies with the chosen engine. In a build without the `xmlsec` feature,
/// `xmlsec` and `both` run the Rust engine alone (the CLI refuses them earlier with
/// [`Engine::available`]).
pub fn verify_engine(
    doc: &Document,
    response: &Response,
    trust: &TrustStore,
    engine: Engine,
) -> Verification {
    let ids = IdIndex::build(doc);
    let evals = Scratch::with(|scratch| super::evaluate_all(doc, response, &ids, trust, scratch));
    match engine {
        #[cfg(feature = "xmlsec")]
        Engine::Xmlsec => {
            let answers = xmlsec_answers(doc, response, trust);
            let mapped = apply(&evals, &answers);
            super::conclude(doc, response, trust, &ids, &mapped, "xmlsec")
        }
        #[cfg(feature = "xmlsec")]
        Engine::Both => {
            let answers = xmlsec_answers(doc, response, trust);
            let mut v = super::conclude(doc, response, trust, &ids, &evals, "both");
            let status = v
                .report
                .as_ref()
                .map_or(SignatureStatus::Error, |r| r.status);
            v.findings
                .extend(disagreements(doc, &evals, &answers, status));
            v
        }
        _ => super::conclude(doc, response, trust, &ids, &evals, "rust"),
    }
}

/// Verifies a Response whose EncryptedAssertion C was decrypted: `doc` is the Response
/// with the decrypted Assertion (`decrypted`) in place of the EncryptedAssertion
/// (`encrypted`, in `outer`). Signatures inside the decrypted Assertion are checked
/// on `doc`; the others signed the outer bytes (the EncryptedAssertion), so their maths
/// are taken from `outer`. The wrapping analysis and the status are then decided once,
/// on `doc`, by the same code as for any Response.
#[allow(clippy::too_many_arguments)]
pub fn verify_decrypted(
    outer: (&Document, &Response, crate::xml::NodeId),
    doc: &Document,
    response: &Response,
    decrypted: crate::xml::NodeId,
    trust: &TrustStore,
    engine: Engine,
) -> Verification {
    let (outer_doc, outer_response, encrypted) = outer;
    let outer_ids = IdIndex::build(outer_doc);
    let outer_evals = engine_evals(outer_doc, outer_response, &outer_ids, trust, engine);
    let ids = IdIndex::build(doc);
    let mut evals = engine_evals(doc, response, &ids, trust, engine);
    #[cfg(feature = "xmlsec")]
    let raw = (engine == Engine::Both).then(|| (outer_evals.clone(), evals.clone()));
    // Outside the decrypted Assertion both documents hold the same signatures in the
    // same order.
    let outside_outer = outer_evals
        .iter()
        .filter(|o| !outer_doc.contains(encrypted, o.node));
    let outside = evals
        .iter_mut()
        .filter(|e| !doc.contains(decrypted, e.node));
    let mut pairs = Vec::new();
    for (e, o) in outside.zip(outside_outer) {
        pairs.push((o.node, e.node));
        *e = SigEval {
            node: e.node,
            parent: e.parent,
            target: e.target,
            structure: std::mem::take(&mut e.structure),
            keyinfo_cert: e.keyinfo_cert.take(),
            ..o.clone()
        };
    }
    let name = match engine {
        #[cfg(feature = "xmlsec")]
        Engine::Xmlsec | Engine::Both => engine.as_str(),
        _ => "rust",
    };
    #[cfg_attr(not(feature = "xmlsec"), allow(unused_mut))]
    let mut v = super::conclude(doc, response, trust, &ids, &evals, name);
    #[cfg(feature = "xmlsec")]
    if let Some((outer_raw, inner_raw)) = raw {
        // Each engine's answers where they were computed: the decrypted Assertion's
        // signatures on `doc`, the others on the outer bytes (located in `doc`).
        let status = v
            .report
            .as_ref()
            .map_or(SignatureStatus::Error, |r| r.status);
        let tag = |d: &Document, n: crate::xml::NodeId| {
            d.element(n).map_or_else(|| d.span(n), Element::start_tag)
        };
        let inner = disagreements(
            doc,
            &inner_raw,
            &xmlsec_answers(doc, response, trust),
            status,
        );
        let inside = doc.span(decrypted);
        v.findings.extend(inner.into_iter().filter(|n| {
            n.at.is_some_and(|(s, _)| s.start >= inside.start && s.end <= inside.end)
        }));
        let outer_notes = disagreements(
            outer_doc,
            &outer_raw,
            &xmlsec_answers(outer_doc, outer_response, trust),
            status,
        );
        for mut n in outer_notes {
            if let Some((span, label)) = n.at {
                let moved = pairs
                    .iter()
                    .find(|(o, _)| tag(outer_doc, *o) == span)
                    .map_or_else(|| tag(doc, doc.root()), |&(_, e)| tag(doc, e));
                n.at = Some((moved, label));
            }
            v.findings.push(n);
        }
    }
    #[cfg(not(feature = "xmlsec"))]
    let _ = pairs;
    v
}

/// Every signature's evaluation, the maths answered by the chosen engine (`both`
/// reports the Rust engine's).
fn engine_evals(
    doc: &Document,
    response: &Response,
    ids: &IdIndex<'_>,
    trust: &TrustStore,
    engine: Engine,
) -> Vec<SigEval> {
    let evals = Scratch::with(|scratch| super::evaluate_all(doc, response, ids, trust, scratch));
    match engine {
        #[cfg(feature = "xmlsec")]
        Engine::Xmlsec => apply(&evals, &xmlsec_answers(doc, response, trust)),
        _ => evals,
    }
}

/// The Rust engine's evaluations with the maths replaced by the second engine's
/// answers (structure, algorithms and the resolved Reference stay samlint's).
#[cfg_attr(not(feature = "xmlsec"), allow(dead_code))]
pub(crate) fn apply(evals: &[SigEval], answers: &Answers) -> Vec<SigEval> {
    let mut out = evals.to_vec();
    for (i, e) in out.iter_mut().enumerate() {
        if e.refused_form.is_some() {
            // samlint's fail-closed reading stands whatever the maths says.
            continue;
        }
        e.trust_entry = None;
        e.certificate = None;
        e.failures.clear();
        let answer = match answers {
            Err(why) => {
                e.digest_ok = None;
                e.signature_ok = None;
                e.failures
                    .push(format!("libxmlsec1 refused the document: {why}"));
                continue;
            }
            Ok(list) => list.get(i).cloned().flatten().unwrap_or_default(),
        };
        e.digest_ok = answer.digest_ok;
        e.signature_ok = answer.signature_ok;
        if answer.digest_ok == Some(false) {
            e.failures
                .push("the Reference digest does not match (libxmlsec1)".to_owned());
        }
        if answer.signature_ok == Some(false) {
            e.failures
                .push("the SignatureValue verifies with none of the keys (libxmlsec1)".to_owned());
        }
        if let Some(err) = &answer.error {
            e.failures.push(format!("libxmlsec1: {err}"));
        }
        if answer.holds() {
            e.certificate = answer.key.map(std::sync::Arc::new);
            e.trust_entry = answer.trust_entry;
        }
    }
    out
}

#[cfg_attr(not(feature = "xmlsec"), allow(dead_code))]
fn verdict(digest_ok: Option<bool>, signature_ok: Option<bool>, error: Option<&str>) -> String {
    let show = |v: Option<bool>| match v {
        Some(true) => "ok",
        Some(false) => "fails",
        None => "not checked",
    };
    let detail = error.map_or_else(String::new, |e| format!(" ({e})"));
    format!(
        "digest {}, signature {}{detail}",
        show(digest_ok),
        show(signature_ok)
    )
}

#[cfg_attr(not(feature = "xmlsec"), allow(dead_code))]
fn id_of(doc: &Document, node: crate::xml::NodeId) -> Option<String> {
    let e = doc.element(node)?;
    ["ID", "Id", "id", "AssertionID", "ResponseID"]
        .iter()
        .find_map(|a| e.attr_value(a))
        .map(str::to_owned)
}

#[cfg_attr(not(feature = "xmlsec"), allow(dead_code))]
/// `engine-disagreement` findings: one per signature the engines judge differently
/// (covered ID, `digest_ok`, `signature_ok` when both answered, or one passing what
/// the other refuses, trust included), or one for a document libxmlsec1 refused
/// while samlint did not.
pub(crate) fn disagreements(
    doc: &Document,
    evals: &[SigEval],
    answers: &Answers,
    status: SignatureStatus,
) -> Vec<Note> {
    let refused_anyway = matches!(status, SignatureStatus::Wrapped | SignatureStatus::Error);
    let root_tag = doc
        .element(doc.root())
        .map_or_else(|| doc.span(doc.root()), Element::start_tag);
    let list = match answers {
        Err(why) if !refused_anyway && !evals.is_empty() => {
            return vec![
                Note::new(
                    Issue::EngineDisagreement,
                    format!(
                        "libxmlsec1 refused the document ({why}) but the Rust engine's status is {}",
                        status.as_str()
                    ),
                )
                .at(root_tag, "document"),
            ];
        }
        Err(_) => return Vec::new(),
        Ok(list) => list,
    };
    let mut out = Vec::new();
    for (i, e) in evals.iter().enumerate() {
        let path = doc.path(e.node);
        let x = list.get(i).cloned().flatten().unwrap_or_default();
        // Not maths: samlint's fail-closed reading of the signature, or a signature
        // both refuse (libxmlsec1 with an error, samlint by structure or algorithm)
        // in a document samlint already calls wrapped or error.
        let rust_refused = e.digest_ok.is_none()
            && e.signature_ok.is_none()
            && (!e.structure.is_empty() || e.unsupported.is_some());
        if e.refused_form.is_some()
            || (refused_anyway && (rust_refused || (x.error.is_some() && x.digest_ok.is_none())))
        {
            continue;
        }
        let mut diffs = Vec::new();
        let rust_id = e.target.and_then(|t| id_of(doc, t));
        if e.target.is_some() && x.covered_id.is_some() && rust_id != x.covered_id {
            diffs.push(format!(
                "covered ID: rust {rust_id:?}, xmlsec {:?}",
                x.covered_id
            ));
        }
        if let (Some(a), Some(b)) = (e.digest_ok, x.digest_ok)
            && a != b
        {
            diffs.push(format!("digest_ok: rust {a}, xmlsec {b}"));
        }
        if let (Some(a), Some(b)) = (e.signature_ok, x.signature_ok)
            && a != b
        {
            diffs.push(format!("signature_ok: rust {a}, xmlsec {b}"));
        }
        if diffs.is_empty() && e.holds() != x.holds() {
            diffs.push(if e.holds() {
                "the Rust engine passes it, libxmlsec1 does not".to_owned()
            } else {
                "libxmlsec1 passes it, the Rust engine does not".to_owned()
            });
        }
        if e.holds() && x.holds() && e.trust_entry.is_some() != x.trust_entry.is_some() {
            diffs.push(format!(
                "trusted key: rust {}, xmlsec {}",
                e.trust_entry.as_deref().unwrap_or("none"),
                x.trust_entry.as_deref().unwrap_or("none")
            ));
        }
        if diffs.is_empty() {
            continue;
        }
        let span = doc
            .element(e.node)
            .map_or_else(|| doc.span(e.node), Element::start_tag);
        let rust_error = e.failures.first().or(e.unsupported.as_ref());
        out.push(
            Note::new(
                Issue::EngineDisagreement,
                format!(
                    "the engines disagree on {path}: {} (rust: {}; xmlsec: {})",
                    diffs.join("; "),
                    verdict(e.digest_ok, e.signature_ok, rust_error.map(String::as_str)),
                    verdict(x.digest_ok, x.signature_ok, x.error.as_deref()),
                ),
            )
            .at(span, "this signature"),
        );
    }
    out
}

/// Asks libxmlsec1 about every signature, one key at a time so that the trust entry
/// of the verifying key is known: trusted certificates, then KeyInfo certificates
/// (each only for the signature that carries it).
#[cfg(feature = "xmlsec")]
fn xmlsec_answers(doc: &Document, response: &Response, trust: &TrustStore) -> Answers {
    use super::engine_xmlsec::{XmlsecError, verify_with_xmlsec};
    use super::trust::{decode_b64, parse_cert};

    struct Key {
        der: Vec<u8>,
        info: CertificateInfo,
        entry: Option<String>,
        trusted_cert: bool,
    }
    let mut keys: Vec<Key> = trust
        .certs
        .iter()
        .map(|t| Key {
            der: t.cert.der.clone(),
            info: (*t.cert.info).clone(),
            entry: Some(t.source.clone()),
            trusted_cert: true,
        })
        .collect();
    let keyinfo: Vec<Vec<Vec<u8>>> = response
        .signatures
        .iter()
        .map(|s| {
            s.certificates
                .iter()
                .filter_map(|c| decode_b64(&c.text))
                .collect()
        })
        .collect();
    for der in keyinfo.iter().flatten() {
        if keys.iter().any(|k| &k.der == der) {
            continue;
        }
        let Ok(p) = parse_cert(der) else { continue };
        let entry = trust
            .fingerprints
            .iter()
            .find(|f| p.matches_fingerprint(&f.digest))
            .map(|f| f.source.clone());
        keys.push(Key {
            der: der.clone(),
            info: (*p.info).clone(),
            entry,
            trusted_cert: false,
        });
    }
    let paths: Vec<String> = response
        .signatures
        .iter()
        .map(|s| doc.path(s.node))
        .collect();
    let mut answers: Vec<Option<MathAnswer>> = vec![None; paths.len()];
    for key in &keys {
        let results = match verify_with_xmlsec(doc.text(), std::slice::from_ref(&key.der)) {
            Ok(r) => r,
            Err(XmlsecError::Key { .. }) => continue,
            Err(e) => return Err(e.to_string()),
        };
        for r in results {
            let Some(i) = paths.iter().position(|p| *p == r.signature_path) else {
                continue;
            };
            let own = keyinfo.get(i).is_some_and(|k| k.contains(&key.der));
            if !key.trusted_cert && !own {
                continue;
            }
            let Some(slot) = answers.get_mut(i) else {
                continue;
            };
            let a = slot.get_or_insert_with(|| MathAnswer {
                covered_id: r.covered_id.clone(),
                ..MathAnswer::default()
            });
            if a.holds() {
                continue;
            }
            a.digest_ok = match (a.digest_ok, r.digest_ok) {
                (Some(true), _) | (_, Some(true)) => Some(true),
                (x, y) => y.or(x),
            };
            if r.signature_ok == Some(true) {
                a.signature_ok = Some(true);
                a.error = None;
                a.trust_entry.clone_from(&key.entry);
                a.key = Some(key.info.clone());
            } else {
                a.signature_ok = r.signature_ok.or(a.signature_ok);
                if a.error.is_none() {
                    a.error = r.error;
                }
            }
        }
    }
    for a in &mut answers {
        a.get_or_insert_with(|| MathAnswer {
            error: Some("no key to check with: no trusted or KeyInfo certificate".to_owned()),
            ..MathAnswer::default()
        });
    }
    Ok(answers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;

    const SIGNED: &str = include_str!("../../tests/fixtures/signature/valid-assertion-signed.xml");

    fn trust() -> TrustStore {
        let mut t = TrustStore::default();
        let pem = include_bytes!("../../samples/trust/okta-signing.pem");
        t.add_cert_bytes(pem, "okta-signing.pem")
            .unwrap_or_else(|e| panic!("{e}"));
        t
    }

    fn rust_evals(doc: &Document) -> (Response, Vec<SigEval>) {
        let response = Response::read(doc);
        let ids = IdIndex::build(doc);
        let evals =
            super::super::evaluate_all(doc, &response, &ids, &trust(), &mut Scratch::default());
        (response, evals)
    }

    fn agreeing(evals: &[SigEval], doc: &Document) -> Vec<Option<MathAnswer>> {
        evals
            .iter()
            .map(|e| {
                Some(MathAnswer {
                    covered_id: e.target.and_then(|t| id_of(doc, t)),
                    digest_ok: e.digest_ok,
                    signature_ok: e.signature_ok,
                    error: None,
                    trust_entry: e.trust_entry.clone(),
                    key: e.certificate.as_deref().cloned(),
                })
            })
            .collect()
    }

    #[test]
    fn engines_that_agree_give_no_finding() {
        let doc = crate::xml::parse(SIGNED, &Limits::default()).unwrap();
        let (_, evals) = rust_evals(&doc);
        assert!(evals.iter().all(SigEval::holds));
        let answers = Ok(agreeing(&evals, &doc));
        assert!(disagreements(&doc, &evals, &answers, SignatureStatus::Valid).is_empty());
        // libxmlsec1 1.2 does not check the value after a failed digest: no difference.
        let mut tampered = evals.clone();
        tampered[0].digest_ok = Some(false);
        tampered[0].signature_ok = Some(true);
        let mut stopped = agreeing(&evals, &doc);
        stopped[0] = Some(MathAnswer {
            digest_ok: Some(false),
            signature_ok: None,
            ..stopped[0].clone().unwrap()
        });
        assert!(disagreements(&doc, &tampered, &Ok(stopped), SignatureStatus::Invalid).is_empty());
    }

    #[test]
    fn a_fabricated_xmlsec_answer_is_a_disagreement() {
        let doc = crate::xml::parse(SIGNED, &Limits::default()).unwrap();
        let (_, evals) = rust_evals(&doc);
        let mut answers = agreeing(&evals, &doc);
        answers[0].as_mut().unwrap().digest_ok = Some(false);
        let found = disagreements(&doc, &evals, &Ok(answers), SignatureStatus::Valid);
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(f.issue, Issue::EngineDisagreement);
        assert!(
            f.message.contains("/Response/Assertion/Signature"),
            "{}",
            f.message
        );
        assert!(
            f.message.contains("digest_ok: rust true, xmlsec false"),
            "{}",
            f.message
        );

        let mut other = agreeing(&evals, &doc);
        other[0].as_mut().unwrap().covered_id = Some("_elsewhere".to_owned());
        let found = disagreements(&doc, &evals, &Ok(other), SignatureStatus::Valid);
        assert!(
            found[0].message.contains("covered ID"),
            "{}",
            found[0].message
        );

        let mut refused = agreeing(&evals, &doc);
        refused[0] = Some(MathAnswer {
            error: Some("unexpected node".to_owned()),
            ..MathAnswer::default()
        });
        let found = disagreements(&doc, &evals, &Ok(refused), SignatureStatus::Valid);
        assert!(
            found[0].message.contains("the Rust engine passes it"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn a_load_refusal_agrees_only_with_wrapped_or_error() {
        let doc = crate::xml::parse(SIGNED, &Limits::default()).unwrap();
        let (_, evals) = rust_evals(&doc);
        let refused: Answers = Err("duplicate ID".to_owned());
        assert!(disagreements(&doc, &evals, &refused, SignatureStatus::Wrapped).is_empty());
        assert!(disagreements(&doc, &evals, &refused, SignatureStatus::Error).is_empty());
        assert_eq!(
            disagreements(&doc, &evals, &refused, SignatureStatus::Valid).len(),
            1
        );
    }

    #[test]
    fn applied_answers_replace_only_the_maths() {
        let doc = crate::xml::parse(SIGNED, &Limits::default()).unwrap();
        let (_, evals) = rust_evals(&doc);
        let mut answers = agreeing(&evals, &doc);
        answers[0].as_mut().unwrap().signature_ok = Some(false);
        let mapped = apply(&evals, &Ok(answers));
        assert_eq!(mapped[0].signature_ok, Some(false));
        assert_eq!(mapped[0].target, evals[0].target);
        assert!(mapped[0].trust_entry.is_none());
        assert!(mapped[0].failures[0].contains("libxmlsec1"));
    }

    #[test]
    fn engines_missing_from_the_build_are_named() {
        assert!(Engine::Rust.available().is_ok());
        if !cfg!(feature = "xmlsec") {
            let e = Engine::Both.available().unwrap_err();
            assert!(e.contains("rebuild with --features xmlsec"), "{e}");
        }
    }
}
