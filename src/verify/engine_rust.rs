//! The pure-Rust engine: checks one `ds:Signature`'s Reference digest and
//! SignatureValue, with c14n written from the document tree and ring for the maths.

use std::cell::RefCell;
use std::sync::Arc;

use ring::signature::{self as sig, UnparsedPublicKey, VerificationAlgorithm};

use super::CertificateInfo;
use super::algorithms::{C14nAlg, DigestAlg, ENVELOPED, KeyKind, SignatureAlg, is_hmac, is_weak};
use super::c14n::{self, Method};
use super::trust::{KeyInfoCertError, ParsedCert, PublicKey, TrustStore, decode_b64, keyinfo_cert};
use super::wrapping::IdIndex;
use crate::saml::{DSIG_NS, Signature};
use crate::xml::{Document, NodeId, NodeKind, Span};

/// The engine's verdict on one signature.
#[derive(Debug, Clone)]
pub struct SigEval {
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
    pub fn holds(&self) -> bool {
        self.digest_ok == Some(true) && self.signature_ok == Some(true)
    }

    /// Holds, with a key trusted for the Issuer: only such a signature marks
    /// content as signed.
    pub fn trusted(&self) -> bool {
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
pub fn evaluate(
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
    let computed = ring::digest::digest(digest_alg.ring(), &scratch.buf);
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

/// Checks a signature with ring. `Err` names a key/algorithm pair ring cannot check.
fn verify_raw(
    key: &PublicKey,
    alg: SignatureAlg,
    signed: &[u8],
    value: &[u8],
) -> Result<bool, String> {
    let check = |a: &'static dyn VerificationAlgorithm, k: &[u8], v: &[u8]| {
        UnparsedPublicKey::new(a, k).verify(signed, v).is_ok()
    };
    match (key, alg.key) {
        (PublicKey::Rsa(k, bits), KeyKind::Rsa) => {
            use aws_lc_rs::signature as lc;
            let a: &'static lc::RsaParameters = match alg.digest {
                DigestAlg::Sha1 => &lc::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY,
                DigestAlg::Sha256 => &lc::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY,
                DigestAlg::Sha384 if *bits < 2048 => {
                    return Err(format!("RSA-SHA384 with a {bits}-bit key is not supported"));
                }
                DigestAlg::Sha384 => &lc::RSA_PKCS1_2048_8192_SHA384,
                DigestAlg::Sha512 => &lc::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY,
            };
            Ok(rsa_keys::verify(a, k, signed, value))
        }
        (PublicKey::Rsa(k, bits), KeyKind::RsaPss) => {
            let a: &'static dyn VerificationAlgorithm = match alg.digest {
                _ if *bits < 2048 => {
                    return Err(format!("RSA-PSS with a {bits}-bit key is not supported"));
                }
                DigestAlg::Sha256 => &sig::RSA_PSS_2048_8192_SHA256,
                DigestAlg::Sha384 => &sig::RSA_PSS_2048_8192_SHA384,
                DigestAlg::Sha512 => &sig::RSA_PSS_2048_8192_SHA512,
                DigestAlg::Sha1 => return Err("RSA-PSS with SHA-1 is not supported".to_owned()),
            };
            Ok(check(a, k, value))
        }
        (PublicKey::EcP256(k), KeyKind::Ecdsa) => match alg.digest {
            DigestAlg::Sha256 => Ok(check(&sig::ECDSA_P256_SHA256_FIXED, k, value)),
            DigestAlg::Sha384 => Ok(raw_to_der(value, 32)
                .is_some_and(|der| check(&sig::ECDSA_P256_SHA384_ASN1, k, &der))),
            DigestAlg::Sha512 => Ok(rust_crypto::p256(k, &prehash(alg, signed), value)),
            DigestAlg::Sha1 => Err("ECDSA with SHA-1 is not supported".to_owned()),
        },
        (PublicKey::EcP384(k), KeyKind::Ecdsa) => match alg.digest {
            DigestAlg::Sha384 => Ok(check(&sig::ECDSA_P384_SHA384_FIXED, k, value)),
            DigestAlg::Sha256 => Ok(raw_to_der(value, 48)
                .is_some_and(|der| check(&sig::ECDSA_P384_SHA256_ASN1, k, &der))),
            DigestAlg::Sha512 => Ok(rust_crypto::p384(k, &prehash(alg, signed), value)),
            DigestAlg::Sha1 => Err("ECDSA with SHA-1 is not supported".to_owned()),
        },
        (PublicKey::EcP521(k), KeyKind::Ecdsa) => match alg.digest {
            DigestAlg::Sha1 => Err("ECDSA with SHA-1 is not supported".to_owned()),
            _ => Ok(rust_crypto::p521(k, &prehash(alg, signed), value)),
        },
        (PublicKey::Unsupported(what), _) => Err(format!("the {what} is not supported")),
        _ => Ok(false),
    }
}

fn prehash(alg: SignatureAlg, signed: &[u8]) -> ring::digest::Digest {
    ring::digest::digest(alg.digest.ring(), signed)
}

/// ECDSA that ring does not offer (SHA-512 on P-256/P-384, and P-521), with
/// RustCrypto over a digest computed by ring. Values are r‖s.
mod rust_crypto {
    use p256::ecdsa::signature::hazmat::PrehashVerifier;

    pub(super) fn p256(key: &[u8], digest: &ring::digest::Digest, value: &[u8]) -> bool {
        let (Ok(k), Ok(s)) = (
            p256::ecdsa::VerifyingKey::from_sec1_bytes(key),
            p256::ecdsa::Signature::from_slice(value),
        ) else {
            return false;
        };
        k.verify_prehash(digest.as_ref(), &s).is_ok()
    }

    pub(super) fn p384(key: &[u8], digest: &ring::digest::Digest, value: &[u8]) -> bool {
        let (Ok(k), Ok(s)) = (
            p384::ecdsa::VerifyingKey::from_sec1_bytes(key),
            p384::ecdsa::Signature::from_slice(value),
        ) else {
            return false;
        };
        k.verify_prehash(digest.as_ref(), &s).is_ok()
    }

    pub(super) fn p521(key: &[u8], digest: &ring::digest::Digest, value: &[u8]) -> bool {
        let (Ok(k), Ok(s)) = (
            p521::ecdsa::VerifyingKey::from_sec1_bytes(key),
            p521::ecdsa::Signature::from_slice(value),
        ) else {
            return false;
        };
        k.verify_prehash(digest.as_ref(), &s).is_ok()
    }
}

/// XML-DSig ECDSA values are r‖s; ring's ASN.1 forms want a DER SEQUENCE.
fn raw_to_der(value: &[u8], half: usize) -> Option<Vec<u8>> {
    if value.len() != 2 * half {
        return None;
    }
    let (r, s) = value.split_at(half);
    let int = |x: &[u8]| {
        let x = &x[x.iter().take_while(|&&b| b == 0).count()..];
        let mut out = vec![0x02];
        let pad = x.first().is_none_or(|&b| b >= 0x80);
        let len = x.len() + usize::from(pad);
        out.push(u8::try_from(len).unwrap_or(0));
        if pad {
            out.push(0);
        }
        out.extend_from_slice(x);
        out
    };
    let (r, s) = (int(r), int(s));
    let body = r.len() + s.len();
    let mut der = vec![0x30];
    if body >= 0x80 {
        der.push(0x81);
    }
    der.push(u8::try_from(body).ok()?);
    der.extend(r);
    der.extend(s);
    Some(der)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_ecdsa_values_become_der() {
        // r with a high bit (needs a 0 pad), s with leading zeros (trimmed).
        let mut raw = vec![0u8; 64];
        raw[0] = 0x80;
        raw[63] = 0x01;
        let der = raw_to_der(&raw, 32).unwrap();
        assert_eq!(&der[..4], &[0x30, 38, 0x02, 33]);
        assert_eq!(der[4], 0);
        assert_eq!(&der[der.len() - 3..], &[0x02, 1, 0x01]);
        assert!(raw_to_der(&raw[..63], 32).is_none());
    }

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

    fn unhex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// Test vectors signed with `openssl dgst -sha512 -sign` (DER turned into r‖s).
    #[test]
    fn ecdsa_sha512_on_p256_and_p521() {
        let msg = b"samlint ecdsa test vector";
        let alg = SignatureAlg {
            key: KeyKind::Ecdsa,
            digest: DigestAlg::Sha512,
        };
        let p256 = PublicKey::EcP256(unhex(
            "04947c8f9d46db205120bff52c67b9d797c5bd81a37b36027ff17d740a53a529f0d6e339a3720ef4cb0af1547d6aca9b95debd95055d63c3272dd10324c576e4a7",
        ));
        let sig256 = unhex(
            "4a25636b14658a8e3f448ff4876db0c668f53284510fc95da88d669804604472b02d8c4cde64fc2f46d5ae949a3e30cd27719f15fbb75b2bd166f422ffd7f50a",
        );
        assert_eq!(verify_raw(&p256, alg, msg, &sig256), Ok(true));
        assert_eq!(verify_raw(&p256, alg, b"other", &sig256), Ok(false));
        let p521 = PublicKey::EcP521(unhex(
            "040161e6e2f0f97a93d666b0768e60cf487efca541c302d467b160a614edeb452a7969cb3e22c0e522f084a79f19fec0221cfb9ac8e88caf74a8611ae3ee0435b3d66401cb34e33404667046060652935b1b39b699d33711372eece636f8fd2e1f2466bbba4ef940f9143186d60d8a2063b1e90c730e9f4c0ffcbc90a04f24db88446f33e5",
        ));
        let sig521 = unhex(
            "0117720126314b98172e89f935b41585d3f155cbb8439aff533046a13dcd3aa857d9409f8fd217c3b972812ab7d057fec4952249dc0a4fae6f7c5abf0444f879a8f101922e2f8cd44066012eeba253b0cafe8e8d7c8ad98154554dfc9676b18633965a1375d45db617a528f7fef057755ba54aa867fbb0018b2072db10b502a0c7f9fe64",
        );
        assert_eq!(verify_raw(&p521, alg, msg, &sig521), Ok(true));
        let mut bad = sig521.clone();
        bad[10] ^= 1;
        assert_eq!(verify_raw(&p521, alg, msg, &bad), Ok(false));
        assert_eq!(verify_raw(&p521, alg, msg, &sig256), Ok(false));
    }
}

/// RSA PKCS#1 v1.5 verification with parsed keys kept per thread: a batch checks
/// thousands of responses signed by the same IdP key, and parsing the modulus (its
/// Montgomery constants) is a third of an RSA-2048 verify.
mod rsa_keys {
    use std::cell::RefCell;

    use aws_lc_rs::signature::{ParsedPublicKey, RsaParameters};

    /// Keys come from trust and from KeyInfo (which an attacker controls): the cache
    /// is bounded, and simply emptied when full.
    const MAX_KEYS: usize = 32;

    /// (algorithm, key DER, parsed key or `None` when it does not parse).
    type Entry = (&'static RsaParameters, Vec<u8>, Option<ParsedPublicKey>);

    thread_local! {
        static KEYS: RefCell<Vec<Entry>> = const { RefCell::new(Vec::new()) };
    }

    /// Whether `value` is a valid signature of `signed` under the PKCS#1
    /// `RSAPublicKey` DER `key`; a key that does not parse verifies nothing.
    pub(super) fn verify(
        alg: &'static RsaParameters,
        key: &[u8],
        signed: &[u8],
        value: &[u8],
    ) -> bool {
        KEYS.with_borrow_mut(|keys| {
            let cached = keys
                .iter()
                .position(|(a, k, _)| std::ptr::eq(*a, alg) && k.as_slice() == key);
            let at = cached.unwrap_or_else(|| {
                if keys.len() >= MAX_KEYS {
                    keys.clear();
                }
                keys.push((alg, key.to_vec(), ParsedPublicKey::new(alg, key).ok()));
                keys.len() - 1
            });
            keys.get(at)
                .and_then(|(_, _, parsed)| parsed.as_ref())
                .is_some_and(|k| k.verify_sig(signed, value).is_ok())
        })
    }
}
