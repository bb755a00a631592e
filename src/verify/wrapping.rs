//! Wrapping analysis: is the assertion AWS consumes the very node a signature
//! covers? Decides the payload's status by the ordered table of DESIGN.md. Uses
//! `engine_rust` (the evaluated signatures) and `ids`; neither uses it.

use super::SignatureStatus;
use super::engine_rust::SigEval;
use super::ids::IdIndex;
use crate::saml::{ASSERTION_NS, PROTOCOL_NS, Response};
use crate::xml::{Document, Element, NodeId, Span};

/// What the analysis decided.
#[derive(Debug, Clone)]
pub(crate) struct Outcome {
    pub status: SignatureStatus,
    /// C: the first Assertion (else EncryptedAssertion) child of the root Response.
    pub consumed: Option<NodeId>,
    /// Indexes of the signatures that cover C.
    pub covering: Vec<usize>,
    /// Indexes of the signatures that are children of the root Response or of C: an
    /// SP checks each of them, so `valid` needs every one to verify with a trusted key.
    pub checked: Vec<usize>,
    /// Why the payload is `wrapped`, each with where.
    pub wrap_reasons: Vec<(String, Span)>,
}

/// Carriers of a duplicate ID named in the message.
const MAX_NAMED: usize = 5;

fn start_tag(doc: &Document, n: NodeId) -> Span {
    doc.element(n)
        .map_or_else(|| doc.span(n), Element::start_tag)
}

/// Decides the status from the evaluated signatures.
pub(crate) fn decide(
    doc: &Document,
    response: &Response,
    ids: &IdIndex<'_>,
    evals: &[SigEval],
) -> Outcome {
    let root = doc.root();
    let consumed = response
        .assertions
        .first()
        .or(response.encrypted_assertions.first())
        .copied();
    let c_is_assertion = consumed.is_some_and(|c| doc.is_element(c, ASSERTION_NS, "Assertion"));
    let root_is_response = doc.is_element(root, PROTOCOL_NS, "Response");
    // A signature may cover C from the root Response or from C itself.
    let at_cover_point = |p: Option<NodeId>| {
        p.is_some_and(|p| {
            (p == root && root_is_response) || (Some(p) == consumed && c_is_assertion)
        })
    };
    let covering: Vec<usize> = evals
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            at_cover_point(e.parent)
                && e.structure.is_empty()
                && (e.target.is_none() || e.target == e.parent)
        })
        .map(|(i, _)| i)
        .collect();
    let checked: Vec<usize> = evals
        .iter()
        .enumerate()
        .filter(|(_, e)| at_cover_point(e.parent))
        .map(|(i, _)| i)
        .collect();
    let mut out = Outcome {
        status: SignatureStatus::Unsigned,
        consumed,
        covering,
        checked,
        wrap_reasons: Vec::new(),
    };
    if evals.is_empty() {
        return out;
    }

    // 1. error: nothing could be evaluated, or a covering signature is unsupported.
    if evals.iter().all(|e| e.unsupported.is_some())
        || out
            .covering
            .iter()
            .any(|&i| evals.get(i).is_some_and(|e| e.unsupported.is_some()))
    {
        out.status = SignatureStatus::Error;
        return out;
    }

    // 2. wrapped.
    let mut reasons: Vec<(String, Span)> = Vec::new();
    let mut dups: Vec<(&str, Vec<NodeId>)> = ids.duplicates().collect();
    dups.sort_by_key(|(_, nodes)| nodes.first().copied());
    for (id, nodes) in dups {
        // A few paths name the shape; a path costs a pass over its siblings, so
        // naming thousands of carriers would be quadratic.
        let mut names: Vec<String> = nodes.iter().take(MAX_NAMED).map(|&n| doc.path(n)).collect();
        if nodes.len() > MAX_NAMED {
            names.push(format!("and {} more", nodes.len() - MAX_NAMED));
        }
        let span = nodes
            .get(1)
            .map_or_else(Span::default, |&n| start_tag(doc, n));
        reasons.push((
            format!(
                "the ID '{id}' is carried by {} elements: {}",
                nodes.len(),
                names.join(", ")
            ),
            span,
        ));
    }
    for e in evals {
        let span = start_tag(doc, e.node);
        for s in &e.structure {
            reasons.push((s.clone(), span));
        }
        if let Some(t) = e.target
            && Some(t) != e.parent
        {
            reasons.push((
                format!(
                    "the Signature at {} references {}, not the element it sits in",
                    doc.path(e.node),
                    doc.path(t)
                ),
                span,
            ));
        }
    }
    // Signed content is only what a covering signature that verifies with a trusted
    // key covers: an attacker's own signature over the Response marks nothing.
    let region = |counts: &dyn Fn(&SigEval) -> bool| {
        let cover = |at: Option<NodeId>| {
            out.covering
                .iter()
                .filter_map(|&i| evals.get(i))
                .any(|e| counts(e) && (at.is_none() || e.parent == at))
        };
        if cover(Some(root)) {
            Some(root)
        } else if cover(None) {
            consumed
        } else {
            None
        }
    };
    let covered_region = region(&SigEval::trusted);
    // What a failing covering signature claims to cover: unsigned too, but a node in it
    // is no wrapping of its own, since that signature already makes the status
    // `invalid` (rule 3); one that holds with an unknown key gets no such allowance.
    let failing_region = region(&|e: &SigEval| !e.holds());
    // The enveloped Signatures themselves are not signed content (their ds:Object
    // is where XSW hides things).
    let unsigned_holes: Vec<NodeId> = out
        .covering
        .iter()
        .filter_map(|&i| evals.get(i).map(|e| e.node))
        .collect();
    let within = |region: Option<NodeId>, n: NodeId| {
        region.is_some_and(|r| doc.contains(r, n))
            && !unsigned_holes.iter().any(|&h| doc.contains(h, n))
    };
    let inside = |n: NodeId| within(covered_region, n) || within(failing_region, n);
    for n in std::iter::once(root).chain(doc.descendants(root)) {
        let Some(e) = doc.element(n) else { continue };
        let is_assertion = e.namespace() == Some(ASSERTION_NS)
            && matches!(e.local(), "Assertion" | "EncryptedAssertion");
        if is_assertion && Some(n) != consumed && !inside(n) {
            let why = if covered_region.is_some() {
                "outside the signed content"
            } else {
                "beside the consumed assertion, and no signature covers it"
            };
            reasons.push((
                format!("an {} at {} is {why}", e.local(), doc.path(n)),
                e.start_tag(),
            ));
        }
    }
    for e in evals {
        if at_cover_point(e.parent) || e.parent.is_some_and(inside) {
            continue;
        }
        let what = if e.holds() {
            "a valid Signature"
        } else {
            "a Signature"
        };
        let at = e
            .parent
            .map_or_else(|| "the document".to_owned(), |p| doc.path(p));
        reasons.push((
            format!(
                "{what} sits in {at}, which is neither the Response nor the consumed Assertion"
            ),
            start_tag(doc, e.node),
        ));
    }
    // "A valid signature exists but none covers C" needs no check of its own: with no
    // covering signature, each signature is either misplaced, malformed or pointing
    // elsewhere, and the loops above already gave its reason.
    if !reasons.is_empty() {
        reasons.dedup_by(|a, b| a.0 == b.0);
        out.wrap_reasons = reasons;
        out.status = SignatureStatus::Wrapped;
        return out;
    }

    // 3.–5. invalid, untrusted, valid: an SP checks every signature it finds on the
    // Response and on C, so each of them must verify with a trusted key.
    let at_points: Vec<&SigEval> = out.checked.iter().filter_map(|&i| evals.get(i)).collect();
    out.status = status_of(&at_points, out.covering.is_empty());
    out
}

/// Rules 3 to 5 of the status table over the signatures that are children of the root
/// Response or of C (`at_points`); `no_cover` when none of them covers C.
pub(crate) fn status_of(at_points: &[&SigEval], no_cover: bool) -> SignatureStatus {
    if no_cover {
        SignatureStatus::Unsigned
    } else if at_points.iter().any(|e| !e.holds()) {
        SignatureStatus::Invalid
    } else if at_points.iter().all(|e| e.trusted()) {
        SignatureStatus::Valid
    } else {
        SignatureStatus::Untrusted
    }
}
