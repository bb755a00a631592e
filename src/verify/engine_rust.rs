//! The pure-Rust engine: checks one `ds:Signature`'s Reference digest and
//! SignatureValue, with c14n written from the document tree and aws-lc-rs for the maths
//! ([`super::crypto`]). Uses `c14n`, `crypto`, `algorithms` and `ids`; `wrapping` reads
//! its evaluations.

use std::cell::RefCell;
use std::sync::Arc;

use super::CertificateInfo;
use super::algorithms::{C14nAlg, DigestAlg, ENVELOPED, KeyKind, SignatureAlg, is_hmac, is_weak};
use super::c14n::{self, Method};
use super::crypto::PublicKey;
use super::crypto::{self, verify_raw};
use super::ids::IdIndex;
use super::trust::{KeyInfoCertError, ParsedCert, TrustStore, decode_b64, keyinfo_cert};
use crate::saml::{DSIG_NS, Signature};
use crate::xml::{Document, NodeId, NodeKind, Span};

/// The engine's verdict on one signature.
#[derive(Debug, Clone)]
pub(crate) struct SigEval {
    pub node: NodeId,
    pub parent: Option<NodeId>,
    /// The node the single Reference resolved to.
    pub target: Option<NodeId>,
    /// Shapes that are wrapping by themselves (more than one SignedInfo/Reference).
    pub structure: Vec<String>,
    /// An algorithm or form samlint does not evaluate.
    pub unsupported: Option<String>,
    pub c14n: Option<&'static str>,
    pub digest_alg: Option<&'static str>,
    pub sig_alg: Option<&'static str>,
    /// SHA-1 signature or digest method.
    pub weak: Vec<String>,
    pub digest_ok: Option<bool>,
    pub signature_ok: Option<bool>,
    /// Why it fails (digest, value, key), for `signature-invalid`.
    pub failures: Vec<String>,
    /// A form samlint refuses whatever the maths (fail closed): a DigestValue or
    /// SignatureValue that is not one text node, a Reference with no canonical bytes.
    /// Another engine's answer does not override it.
    pub refused_form: Option<String>,
    /// The trust entry whose key verified (for the Issuer, once [`super::conclude`]
    /// scoped it).
    pub trust_entry: Option<String>,
    /// Whose key verified when it is known but trusts nothing for this Issuer
    /// (another entity's, an SP's, encryption only).
    pub key_owner: Option<String>,
    /// The certificate whose key verified (its `sha256` is the key's fingerprint).
    pub certificate: Option<Arc<CertificateInfo>>,
    /// The first KeyInfo certificate, parsed (shared with the per-thread cache of
    /// [`super::trust::keyinfo_cert`]), and where it is.
    pub keyinfo_cert: Option<(Arc<ParsedCert>, Span)>,
}

impl SigEval {
    /// Digest and SignatureValue both hold.
    pub(crate) fn holds(&self) -> bool {
        self.digest_ok == Some(true) && self.signature_ok == Some(true)
    }

    /// Holds, with a key trusted for the Issuer: only such a signature marks
    /// content as signed.
    pub(crate) fn trusted(&self) -> bool {
        self.holds() && self.trust_entry.is_some()
    }
}

/// Reusable buffers: the canonical bytes of a Reference or SignedInfo.
#[derive(Debug, Default)]
pub struct Scratch {
    buf: Vec<u8>,
}

/// A buffer grown past this by a large document is not kept for the next one.
const SCRATCH_KEEP: usize = 1 << 20;

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

impl Scratch {
    /// Runs `f` with this thread's buffers, kept from one payload to the next (a
    /// fresh set if they are already in use).
    pub fn with<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut kept) => {
                let r = f(&mut kept);
                if kept.buf.capacity() > SCRATCH_KEEP {
                    *kept = Scratch::default();
                }
                r
            }
            Err(_) => f(&mut Scratch::default()),
        })
    }
}

/// The text of an element that must hold exactly one text node (DigestValue,
/// SignatureValue): `None` when it holds comments, PIs, elements or several nodes.
fn single_text(doc: &Document, node: NodeId) -> Option<&str> {
    match doc.children(node) {
        [only] => match doc.kind(*only) {
            NodeKind::Text(t) => Some(t),
            _ => None,
        },
        _ => None,
    }
}

/// Evaluates one signature.
pub(crate) fn evaluate(
    doc: &Document,
    s: &Signature,
    ids: &IdIndex,
    trust: &TrustStore,
    scratch: &mut Scratch,
) -> SigEval {
    let mut ev = SigEval {
        node: s.node,
        parent: s.parent,
        target: None,
        structure: Vec::new(),
        unsupported: None,
        c14n: None,
        digest_alg: None,
        sig_alg: None,
        weak: Vec::new(),
        digest_ok: None,
        signature_ok: None,
        failures: Vec::new(),
        refused_form: None,
        trust_entry: None,
        key_owner: None,
        certificate: None,
        keyinfo_cert: None,
    };
    if s.signed_info.len() > 1 {
        ev.structure.push(format!(
            "the Signature has {} SignedInfo elements (exactly one is allowed)",
            s.signed_info.len()
        ));
    }
    if s.references.len() > 1 {
        ev.structure.push(format!(
            "the SignedInfo has {} References (exactly one is allowed)",
            s.references.len()
        ));
    }
    // More than one Signature in the same element: the schema allows one.
    if let Some(p) = s.parent
        && doc.children_named(p, DSIG_NS, "Signature").nth(1).is_some()
    {
        ev.structure.push(format!(
            "{} holds more than one Signature (one is allowed)",
            doc.path(p)
        ));
    }
    let (Some(&signed_info), [reference]) = (s.signed_info.first(), s.references.as_slice()) else {
        if s.signed_info.is_empty() {
            ev.failures
                .push("the Signature has no SignedInfo".to_owned());
        } else if s.references.is_empty() {
            ev.failures
                .push("the SignedInfo has no Reference".to_owned());
        }
        return ev;
    };

    // Algorithms.
    let sig_uri = s.signature_method.as_ref().map_or("", |v| v.text.as_str());
    if is_weak(sig_uri) {
        ev.weak.push(format!("SignatureMethod {sig_uri}"));
    }
    let sig_alg = if is_hmac(sig_uri) {
        ev.unsupported = Some(format!(
            "HMAC SignatureMethod {sig_uri} is refused: a shared secret proves nothing about the IdP"
        ));
        None
    } else {
        let a = SignatureAlg::from_uri(sig_uri);
        if a.is_none() {
            ev.unsupported = Some(if sig_uri.is_empty() {
                "the SignedInfo has no SignatureMethod".to_owned()
            } else {
                format!("SignatureMethod {sig_uri} is not supported")
            });
        }
        a
    };
    ev.sig_alg = sig_alg.map(SignatureAlg::short);
    let c14n_uri = s.canonicalization.as_ref().map_or("", |v| v.text.as_str());
    let si_c14n = C14nAlg::from_uri(c14n_uri);
    ev.c14n = si_c14n.map(C14nAlg::short);
    if si_c14n.is_none() && ev.unsupported.is_none() {
        ev.unsupported = Some(format!(
            "CanonicalizationMethod '{c14n_uri}' is not supported"
        ));
    }
    let digest_uri = reference
        .digest_method
        .as_ref()
        .map_or("", |v| v.text.as_str());
    if is_weak(digest_uri) {
        ev.weak.push(format!("DigestMethod {digest_uri}"));
    }
    let digest_alg = DigestAlg::from_uri(digest_uri);
    ev.digest_alg = digest_alg.map(DigestAlg::short);
    if digest_alg.is_none() && ev.unsupported.is_none() {
        ev.unsupported = Some(format!("DigestMethod '{digest_uri}' is not supported"));
    }

    // The Reference and its transforms.
    let uri = reference.uri.as_ref().map(|v| v.text.as_str());
    let target = match uri {
        Some("") => Some(doc.root()),
        Some(u) if u.starts_with('#') && !u.starts_with("#xpointer(") => {
            let id = &u[1..];
            let t = ids.resolve(id);
            if t.is_none() {
                ev.failures.push(format!(
                    "Reference URI {u} resolves to no element (or to several)"
                ));
            }
            t
        }
        Some(u) => {
            ev.unsupported.get_or_insert_with(|| {
                format!("Reference URI '{u}' is not a same-document reference")
            });
            None
        }
        None => {
            ev.unsupported
                .get_or_insert_with(|| "the Reference has no URI".to_owned());
            None
        }
    };
    ev.target = target;
    let mut exclude = None;
    let mut ref_c14n = None;
    for t in &reference.transforms {
        if ref_c14n.is_some() {
            ev.unsupported
                .get_or_insert_with(|| format!("Transform {} after canonicalization", t.text));
        } else if t.text == ENVELOPED {
            exclude = Some(s.node);
        } else if let Some(alg) = C14nAlg::from_uri(&t.text) {
            ref_c14n = Some(alg);
        } else {
            ev.unsupported
                .get_or_insert_with(|| format!("Transform {} is not supported", t.text));
        }
    }
    if ev.unsupported.is_some() {
        return ev;
    }
    let (Some(target), Some(digest_alg), Some(si_c14n), Some(sig_alg)) =
        (target, digest_alg, si_c14n, sig_alg)
    else {
        return ev;
    };

    // Digest over the referenced node.
    let ref_c14n = ref_c14n.unwrap_or(C14nAlg {
        method: Method::Inclusive10,
        with_comments: false,
    });
    let prefixes = reference
        .inclusive_prefixes
        .as_ref()
        .map_or("", |v| v.text.as_str());
    scratch.buf.clear();
    c14n::canonicalize(
        doc,
        target,
        c14n::Options {
            method: ref_c14n.method,
            // Same-document references drop comments (XML-DSig 4.3.3.3).
            with_comments: false,
            prefix_list: if ref_c14n.method == Method::Exclusive {
                prefixes
            } else {
                ""
            },
            exclude,
        },
        &mut scratch.buf,
    );
    let expected_digest = reference
        .digest_value
        .and_then(|n| single_text(doc, n))
        .map(|t| (t, decode_b64(t)));
    let computed = crypto::digest(digest_alg, &scratch.buf);
    ev.digest_ok = Some(false);
    if scratch.buf.is_empty() {
        let why = format!("Reference {} canonicalizes to no bytes", uri.unwrap_or(""));
        ev.refused_form = Some(why.clone());
        ev.failures.push(why);
    } else {
        match expected_digest {
            None => {
                let why = "the DigestValue is missing or is not a single text node (a comment or element inside it)";
                ev.refused_form = Some(why.to_owned());
                ev.failures.push(why.to_owned());
            }
            Some((text, None)) => ev
                .failures
                .push(format!("the DigestValue '{}' is not base64", text.trim())),
            Some((text, Some(bytes))) => {
                if bytes.as_slice() == computed.as_ref() {
                    ev.digest_ok = Some(true);
                } else {
                    ev.failures.push(format!(
                        "the digest of Reference URI=\"{}\" differs: DigestValue {}, computed {}",
                        uri.unwrap_or(""),
                        text.trim(),
                        b64(computed.as_ref())
                    ));
                }
            }
        }
    }

    // SignatureValue over SignedInfo.
    ev.signature_ok = Some(false);
    let value = s
        .signature_value
        .and_then(|n| single_text(doc, n))
        .map(decode_b64);
    let value = match value {
        None => {
            let why = "the SignatureValue is missing or is not a single text node";
            ev.refused_form = Some(why.to_owned());
            ev.failures.push(why.to_owned());
            return ev;
        }
        Some(None) => {
            ev.failures
                .push("the SignatureValue is not base64".to_owned());
            return ev;
        }
        Some(Some(v)) if v.is_empty() => {
            ev.failures.push("the SignatureValue is empty".to_owned());
            return ev;
        }
        Some(Some(v)) => v,
    };
    let si_prefixes = doc
        .first_child(signed_info, DSIG_NS, "CanonicalizationMethod")
        .and_then(|m| {
            doc.child_elements(m)
                .find(|(_, e)| e.local() == "InclusiveNamespaces")
                .and_then(|(_, e)| e.attr_value("PrefixList"))
        })
        .unwrap_or("");
    scratch.buf.clear();
    c14n::canonicalize(
        doc,
        signed_info,
        c14n::Options {
            method: si_c14n.method,
            with_comments: si_c14n.with_comments,
            prefix_list: if si_c14n.method == Method::Exclusive {
                si_prefixes
            } else {
                ""
            },
            exclude: None,
        },
        &mut scratch.buf,
    );
    check_keys(s, trust, sig_alg, &scratch.buf, &value, &mut ev);
    ev
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Tries the trusted keys (the one matching KeyInfo first), then the KeyInfo
/// certificate, and records which verified.
fn check_keys(
    s: &Signature,
    trust: &TrustStore,
    alg: SignatureAlg,
    signed: &[u8],
    value: &[u8],
    ev: &mut SigEval,
) {
    // KeyInfo certificates: the first is what the report shows.
    let mut keyinfo: Vec<Arc<ParsedCert>> = Vec::with_capacity(s.certificates.len());
    let mut key_errors = Vec::new();
    for (i, c) in s.certificates.iter().enumerate() {
        match keyinfo_cert(&c.text) {
            Ok(p) => {
                if i == 0 {
                    ev.keyinfo_cert = Some((Arc::clone(&p), c.span));
                }
                keyinfo.push(p);
            }
            Err(KeyInfoCertError::NotBase64) => {
                key_errors.push(format!("KeyInfo certificate {} is not base64", i + 1));
            }
            Err(KeyInfoCertError::NotCertificate(e)) => {
                key_errors.push(format!("KeyInfo certificate {}: {e}", i + 1));
            }
        }
    }

    let mut unsupported_key = None;
    let mut checked_any = false;
    let mut attempt = |key: &PublicKey| -> bool {
        match verify_raw(key, alg, signed, value) {
            Ok(ok) => {
                checked_any = true;
                ok
            }
            Err(why) => {
                unsupported_key.get_or_insert(why);
                false
            }
        }
    };
    let record = |ev: &mut SigEval, cert: &ParsedCert, entry: Option<String>| {
        ev.signature_ok = Some(true);
        ev.certificate = Some(Arc::clone(&cert.info));
        ev.trust_entry = entry;
    };

    // 1. Trusted certificates whose key is the KeyInfo key, then the others.
    let matches_keyinfo =
        |t: &&super::trust::TrustedCert| keyinfo.iter().any(|k| k.spki == t.cert.spki);
    let ordered = trust
        .certs
        .iter()
        .filter(matches_keyinfo)
        .chain(trust.certs.iter().filter(|t| !matches_keyinfo(t)));
    for t in ordered {
        if attempt(&t.cert.key) {
            record(ev, &t.cert, Some(t.source.clone()));
            return;
        }
    }
    // 2. KeyInfo certificates named by a trusted fingerprint, else untrusted.
    for k in &keyinfo {
        if attempt(&k.key) {
            let entry = trust
                .fingerprints
                .iter()
                .find(|f| k.matches_fingerprint(&f.digest));
            record(ev, k, entry.map(|f| f.source.clone()));
            return;
        }
    }
    // Unsupported only when no key at all could be checked.
    if let Some(why) = unsupported_key
        && !checked_any
    {
        ev.unsupported = Some(why);
        ev.signature_ok = None;
        return;
    }
    if keyinfo.is_empty() && trust.certs.is_empty() {
        ev.failures.extend(key_errors);
        ev.failures.push(if s.certificates.is_empty() {
            "no key to check the SignatureValue with: no KeyInfo certificate and no trust given"
                .to_owned()
        } else {
            "the KeyInfo key cannot be parsed".to_owned()
        });
        return;
    }
    ev.failures.extend(key_errors);
    if alg.key == KeyKind::Ecdsa && !matches!(value.len(), 64 | 96 | 132) {
        ev.failures.push(format!(
            "the ECDSA SignatureValue is {} bytes{}, not r‖s (64 bytes for P-256, 96 for P-384, 132 for P-521) as XML-DSig requires",
            value.len(),
            if value.first() == Some(&0x30) {
                " of ASN.1 DER"
            } else {
                ""
            }
        ));
    }
    ev.failures.push(format!(
        "the SignatureValue verifies with none of the keys ({} trusted, {} in KeyInfo)",
        trust.certs.len(),
        keyinfo.len()
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_text_refuses_comments() {
        let doc = crate::xml::parse(
            "<a><b>x</b><c>x<!---->y</c><d/></a>",
            &crate::limits::Limits::default(),
        )
        .unwrap();
        let kids: Vec<NodeId> = doc.child_elements(doc.root()).map(|(n, _)| n).collect();
        assert_eq!(single_text(&doc, kids[0]), Some("x"));
        assert_eq!(single_text(&doc, kids[1]), None);
        assert_eq!(single_text(&doc, kids[2]), None);
    }
}
