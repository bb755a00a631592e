//! Trust material: signing certificates from IdP metadata and `--idp-cert`, and
//! certificate fingerprints from `--idp-fingerprint`. Loaded once per run.

use std::cell::RefCell;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use base64::Engine as _;
use chrono::{DateTime, Utc};
use x509_parser::prelude::{FromDer, X509Certificate};

use super::CertificateInfo;
use super::crypto::PublicKey;
use crate::limits::Limits;

/// A parsed X.509 certificate: what verification needs from it. Everything in it
/// follows from `der`, so two are equal when their DER is.
#[derive(Debug, Clone)]
pub struct ParsedCert {
    pub der: Vec<u8>,
    /// The whole DER SubjectPublicKeyInfo (keys are compared on it).
    pub spki: Vec<u8>,
    pub key: PublicKey,
    /// Shared with every signature this certificate verifies (the report copies it).
    pub info: Arc<CertificateInfo>,
    pub not_before: Option<DateTime<Utc>>,
    pub not_after: Option<DateTime<Utc>>,
    /// SHA-256 of the DER certificate (`info.sha256` is its display form).
    pub sha256: [u8; 32],
    /// SHA-1 of the DER certificate, computed when a SHA-1 `--idp-fingerprint` asks.
    sha1: OnceLock<[u8; 20]>,
}

impl PartialEq for ParsedCert {
    fn eq(&self, other: &Self) -> bool {
        self.der == other.der
    }
}

impl Eq for ParsedCert {}

impl ParsedCert {
    /// SHA-1 of the DER certificate (for SHA-1 `--idp-fingerprint` values only).
    pub fn sha1(&self) -> &[u8; 20] {
        self.sha1.get_or_init(|| {
            let d = super::crypto::digest(super::algorithms::DigestAlg::Sha1, &self.der);
            let mut out = [0u8; 20];
            out.copy_from_slice(d.as_ref());
            out
        })
    }

    /// Whether a trusted fingerprint (SHA-256, or SHA-1) names this certificate.
    pub fn matches_fingerprint(&self, digest: &[u8]) -> bool {
        match digest.len() {
            32 => digest == self.sha256,
            20 => digest == self.sha1(),
            _ => false,
        }
    }
}

/// A trusted certificate and where it came from.
#[derive(Debug, Clone)]
pub struct TrustedCert {
    pub cert: ParsedCert,
    /// `file` or `file#n` (n-th signing certificate of a metadata file).
    pub source: String,
    /// The Issuer this key is trusted for: the entityID whose `IDPSSODescriptor`
    /// lists it; `None` for `--idp-cert`, trusted for any Issuer.
    pub entity: Option<String>,
}

/// A metadata key that trusts nothing (an SP's, encryption only, or of a role that
/// is not a SAML 2.0 IdP), kept to say whose key verified a signature.
#[derive(Debug, Clone)]
pub struct KnownKey {
    /// The whole DER SubjectPublicKeyInfo.
    pub spki: Vec<u8>,
    /// `the SP signing key of entity https://sp.example (file)`.
    pub owner: String,
}

/// A trusted certificate fingerprint.
#[derive(Debug, Clone)]
pub struct TrustedFingerprint {
    /// SHA-256 (32 bytes) or SHA-1 (20 bytes) of the DER certificate.
    pub digest: Vec<u8>,
    pub source: String,
}

/// Trust material: IdP metadata, certificates and fingerprints.
#[derive(Debug, Clone, Default)]
pub struct TrustStore {
    /// entityIDs of loaded IdP metadata (for `issuer-mismatch`).
    pub entity_ids: Vec<String>,
    pub certs: Vec<TrustedCert>,
    pub fingerprints: Vec<TrustedFingerprint>,
    /// Metadata keys that trust nothing, for messages.
    pub known: Vec<KnownKey>,
    /// Things to tell the user once (a SHA-1 fingerprint was given).
    pub warnings: Vec<String>,
}

/// Why a trust file could not be loaded (the CLI prints `samlint: <file>: <what>`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {what}")]
pub struct TrustError {
    pub file: String,
    pub what: String,
}

impl TrustStore {
    /// No trust was given at all (no metadata, certificate or fingerprint).
    pub fn is_empty(&self) -> bool {
        self.certs.is_empty()
            && self.fingerprints.is_empty()
            && self.known.is_empty()
            && self.entity_ids.is_empty()
    }

    /// Whether the key of `cert` is trusted for `issuer`: by a trust entry for that
    /// entity or for any Issuer (`--idp-cert`), or by a fingerprint. Returns the
    /// entry; `Err` says whose key it is when it is known but not for this Issuer.
    ///
    /// # Errors
    /// The key is not trusted for `issuer`; the message names its owner when known.
    pub fn entry_for(&self, cert: &ParsedCert, issuer: Option<&str>) -> Result<String, String> {
        let mut elsewhere = None;
        for t in self.certs.iter().filter(|t| t.cert.spki == cert.spki) {
            match &t.entity {
                None => return Ok(t.source.clone()),
                Some(e) if Some(e.as_str()) == issuer => return Ok(t.source.clone()),
                Some(e) => {
                    elsewhere.get_or_insert_with(|| {
                        format!(
                            "the IdP signing key of entity {e} ({}), not of the Issuer {}",
                            t.source,
                            issuer.map_or_else(|| "(none)".to_owned(), |i| format!("'{i}'"))
                        )
                    });
                }
            }
        }
        if let Some(f) = self
            .fingerprints
            .iter()
            .find(|f| cert.matches_fingerprint(&f.digest))
        {
            return Ok(f.source.clone());
        }
        if let Some(why) = elsewhere {
            return Err(why);
        }
        match self.known.iter().find(|k| k.spki == cert.spki) {
            Some(k) => Err(format!("{}, which trusts nothing", k.owner)),
            None => Err(String::new()),
        }
    }

    /// The trust flags, for messages when no trust was given.
    pub const FLAGS: &'static str =
        "--idp-metadata FILE, --idp-cert FILE or --idp-fingerprint SHA256:hex";

    /// Loads `--idp-metadata`.
    ///
    /// # Errors
    /// The file cannot be read, is not metadata, or holds no usable signing certificate.
    pub fn add_metadata_file(&mut self, path: &Path) -> Result<(), TrustError> {
        let file = path.display().to_string();
        let err = |what: String| TrustError {
            file: file.clone(),
            what,
        };
        let bytes = std::fs::read(path).map_err(|e| err(e.to_string()))?;
        let text = String::from_utf8(bytes).map_err(|_| err("not UTF-8 text".to_owned()))?;
        self.add_metadata(&text, &file).map_err(err)
    }

    /// Loads metadata text; `source` names it in trust entries. Only the signing
    /// keys of an entity's SAML 2.0 `IDPSSODescriptor` are trusted, and only for that
    /// entity; every other key (an SP's, encryption only) is kept to name it in
    /// messages. A file with no trusting key loads with a warning: it trusts nothing.
    ///
    /// # Errors
    /// A message saying what is wrong.
    pub fn add_metadata(&mut self, text: &str, source: &str) -> Result<(), String> {
        use crate::saml::metadata;
        let doc = crate::xml::parse(text, &Limits::default())
            .map_err(|e| format!("not well-formed XML: {}", e.message))?;
        let entities = metadata::entities(&doc).ok_or_else(|| {
            "not SAML metadata (EntityDescriptor or EntitiesDescriptor)".to_owned()
        })?;
        for (entity, _) in metadata::idp_roles(&doc, &entities) {
            if let Some(id) = doc.element(entity).and_then(|e| e.attr_value("entityID"))
                && !self.entity_ids.iter().any(|e| e == id)
            {
                self.entity_ids.push(id.to_owned());
            }
        }
        let mut trusting = 0usize;
        for (i, key) in metadata::keys(&doc, &entities).iter().enumerate() {
            let n = i + 1;
            let parsed = decode_b64(&key.text)
                .ok_or_else(|| format!("certificate {n} is not valid base64"))
                .and_then(|der| parse_cert(&der).map_err(|e| format!("certificate {n}: {e}")));
            let parsed = match parsed {
                Ok(p) => p,
                // A broken key that trusts nothing does not stop the file.
                Err(e) if key.trusts() => return Err(e),
                Err(_) => continue,
            };
            if key.trusts() {
                trusting += 1;
                self.certs.push(TrustedCert {
                    cert: parsed,
                    source: format!("{source}#{n}"),
                    entity: Some(key.entity_id.unwrap_or_default().to_owned()),
                });
            } else {
                self.known.push(KnownKey {
                    spki: parsed.spki,
                    owner: format!("{} ({source}#{n})", key.owner()),
                });
            }
        }
        if trusting == 0 {
            self.warnings.push(format!(
                "{source}: no signing certificate of a SAML 2.0 IDPSSODescriptor (KeyDescriptor use=\"signing\" or no use): this metadata trusts no key"
            ));
        }
        Ok(())
    }

    /// Loads `--idp-cert` (PEM, possibly several certificates, or DER).
    ///
    /// # Errors
    /// The file cannot be read or holds no certificate.
    pub fn add_cert_file(&mut self, path: &Path) -> Result<(), TrustError> {
        let file = path.display().to_string();
        let err = |what: String| TrustError {
            file: file.clone(),
            what,
        };
        let bytes = std::fs::read(path).map_err(|e| err(e.to_string()))?;
        self.add_cert_bytes(&bytes, &file).map_err(err)
    }

    /// Adds PEM or DER certificate bytes.
    ///
    /// # Errors
    /// A message saying what is wrong.
    pub fn add_cert_bytes(&mut self, bytes: &[u8], source: &str) -> Result<(), String> {
        let ders = match std::str::from_utf8(bytes) {
            Ok(text) if text.contains("-----BEGIN") => pem_blocks(text)?,
            _ => vec![bytes.to_vec()],
        };
        let many = ders.len() > 1;
        for (i, der) in ders.iter().enumerate() {
            let cert = parse_cert(der).map_err(|e| {
                if many {
                    format!("certificate {}: {e}", i + 1)
                } else {
                    e
                }
            })?;
            self.certs.push(TrustedCert {
                cert,
                entity: None,
                source: if many {
                    format!("{source}#{}", i + 1)
                } else {
                    source.to_owned()
                },
            });
        }
        Ok(())
    }

    /// Adds `--idp-fingerprint` (`SHA256:hex`, colons optional; SHA-1 accepted with
    /// a warning).
    ///
    /// # Errors
    /// A message naming the value.
    pub fn add_fingerprint(&mut self, value: &str) -> Result<(), String> {
        let bad = || {
            format!(
                "'{value}' is not a certificate fingerprint such as SHA256:ab12... (64 hex digits)"
            )
        };
        let (alg, hex) = match value.split_once(':') {
            Some((a, rest))
                if a.eq_ignore_ascii_case("sha256") || a.eq_ignore_ascii_case("sha1") =>
            {
                (Some(a.to_ascii_lowercase()), rest)
            }
            _ => (None, value),
        };
        let digits: String = hex.chars().filter(|&c| c != ':').collect();
        let digest = hex_decode(&digits).ok_or_else(bad)?;
        match (alg.as_deref(), digest.len()) {
            (Some("sha256") | None, 32) => {}
            (Some("sha1") | None, 20) => self.warnings.push(format!(
                "--idp-fingerprint {value} is SHA-1; prefer the SHA-256 fingerprint of the certificate"
            )),
            _ => return Err(bad()),
        }
        self.fingerprints.push(TrustedFingerprint {
            digest,
            source: format!("--idp-fingerprint {value}"),
        });
        Ok(())
    }
}

fn pem_blocks(text: &str) -> Result<Vec<Vec<u8>>, String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN CERTIFICATE-----") {
        let body_start = start + "-----BEGIN CERTIFICATE-----".len();
        let Some(end) = rest[body_start..].find("-----END CERTIFICATE-----") else {
            return Err("PEM certificate without its END line".to_owned());
        };
        let body = &rest[body_start..body_start + end];
        out.push(decode_b64(body).ok_or("PEM certificate is not valid base64")?);
        rest = &rest[body_start + end..];
    }
    if out.is_empty() {
        return Err("no CERTIFICATE block in the PEM file".to_owned());
    }
    Ok(out)
}

/// Decodes base64 ignoring XML whitespace.
pub(crate) fn decode_b64(text: &str) -> Option<Vec<u8>> {
    let engine = &base64::engine::general_purpose::STANDARD;
    if !text.bytes().any(|b| b.is_ascii_whitespace()) {
        return engine.decode(text).ok();
    }
    let clean: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    engine.decode(clean).ok()
}

fn hex_decode(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

const OID_RSA: &str = "1.2.840.113549.1.1.1";
const OID_EC: &str = "1.2.840.10045.2.1";
const OID_P256: &str = "1.2.840.10045.3.1.7";
const OID_P384: &str = "1.3.132.0.34";
const OID_P521: &str = "1.3.132.0.35";

/// An x509-parser error as a sentence: its own text shows parser internals
/// ("Parsing Error: NomError(Eof)").
pub(crate) fn der_error_sentence(
    e: &x509_parser::nom::Err<x509_parser::error::X509Error>,
) -> String {
    use x509_parser::error::X509Error;
    use x509_parser::nom::{Err, error::ErrorKind};
    match e {
        Err::Incomplete(_)
        | Err::Error(X509Error::NomError(ErrorKind::Eof))
        | Err::Failure(X509Error::NomError(ErrorKind::Eof)) => {
            "the certificate data ends early (truncated or cut base64)".to_owned()
        }
        Err::Error(X509Error::NomError(_) | X509Error::Der(_))
        | Err::Failure(X509Error::NomError(_) | X509Error::Der(_)) => {
            "the certificate's DER structure is malformed".to_owned()
        }
        Err::Error(other) | Err::Failure(other) => {
            format!("the certificate is not valid X.509 ({other})")
        }
    }
}

/// Parses a DER certificate.
///
/// # Errors
/// A message when it is not an X.509 certificate.
pub(crate) fn parse_cert(der: &[u8]) -> Result<ParsedCert, String> {
    let (_, cert) = X509Certificate::from_der(der)
        .map_err(|e| format!("not an X.509 certificate: {}", der_error_sentence(&e)))?;
    let spki = cert.public_key();
    let alg = spki.algorithm.algorithm.to_id_string();
    let bits = spki.subject_public_key.data.to_vec();
    let key = match alg.as_str() {
        OID_RSA => match spki.parsed() {
            Ok(x509_parser::public_key::PublicKey::RSA(rsa)) if rsa.key_size() < 1024 => {
                PublicKey::Unsupported(format!(
                    "RSA key of {} bits (fewer than 1024)",
                    rsa.key_size()
                ))
            }
            Ok(x509_parser::public_key::PublicKey::RSA(rsa)) => {
                PublicKey::Rsa(bits, rsa.key_size())
            }
            _ => PublicKey::Unsupported("RSA key that cannot be parsed".to_owned()),
        },
        OID_EC => {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.as_oid().ok())
                .map(|o| o.to_id_string())
                .unwrap_or_default();
            match curve.as_str() {
                OID_P256 => PublicKey::EcP256(bits),
                OID_P384 => PublicKey::EcP384(bits),
                OID_P521 => PublicKey::EcP521(bits),
                other => PublicKey::Unsupported(format!("EC curve {other}")),
            }
        }
        other => PublicKey::Unsupported(format!("key algorithm {other}")),
    };
    let digest = super::crypto::digest(super::algorithms::DigestAlg::Sha256, der);
    let mut sha256 = [0u8; 32];
    sha256.copy_from_slice(digest.as_ref());
    let time = |t: &x509_parser::time::ASN1Time| DateTime::<Utc>::from_timestamp(t.timestamp(), 0);
    let validity = cert.validity();
    let not_before = time(&validity.not_before);
    let not_after = time(&validity.not_after);
    let show = |t: Option<DateTime<Utc>>| {
        t.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .unwrap_or_default()
    };
    let info = CertificateInfo {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        serial: cert.raw_serial_as_string(),
        not_before: show(not_before),
        not_after: show(not_after),
        sha256: format!("SHA256:{}", hex(&sha256)),
    };
    Ok(ParsedCert {
        der: der.to_vec(),
        spki: spki.raw.to_vec(),
        key,
        info: Arc::new(info),
        not_before,
        not_after,
        sha256,
        sha1: OnceLock::new(),
    })
}

/// Why a KeyInfo `X509Certificate` gives no certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum KeyInfoCertError {
    NotBase64,
    /// The DER does not parse (x509-parser's message).
    NotCertificate(String),
}

/// A KeyInfo `X509Certificate` text, parsed: the base64 decoded (XML whitespace
/// ignored) and the DER read by [`parse_cert`].
///
/// A batch carries the same IdP certificate in every response, so the answer is
/// kept per thread, keyed by the exact text: the same text always decodes to the
/// same DER and so the same certificate, and a certificate written with other line
/// breaks is merely a second entry. Nothing that depends on time or trust is kept
/// (validity is checked against `now` by the caller). KeyInfo is attacker input: the
/// cache holds at most [`KEYINFO_CACHE_ENTRIES`] answers (emptied when full) and
/// texts longer than [`KEYINFO_CACHE_TEXT`] bytes are parsed every time.
///
/// # Errors
/// The text is not base64, or its DER is not an X.509 certificate.
pub(crate) fn keyinfo_cert(text: &str) -> Result<Arc<ParsedCert>, KeyInfoCertError> {
    if text.len() > KEYINFO_CACHE_TEXT {
        return parse_keyinfo_cert(text);
    }
    KEYINFO_CERTS.with_borrow_mut(|cache| {
        if let Some((_, found)) = cache.iter().find(|(t, _)| **t == *text) {
            return found.clone();
        }
        let parsed = parse_keyinfo_cert(text);
        if cache.len() >= KEYINFO_CACHE_ENTRIES {
            cache.clear();
        }
        cache.push((text.into(), parsed.clone()));
        parsed
    })
}

/// Most KeyInfo certificates kept per thread.
pub(crate) const KEYINFO_CACHE_ENTRIES: usize = 32;
/// Longest KeyInfo certificate text kept (a 4096-bit RSA certificate is about 2 KiB).
pub(crate) const KEYINFO_CACHE_TEXT: usize = 16 * 1024;

type KeyInfoEntry = (Box<str>, Result<Arc<ParsedCert>, KeyInfoCertError>);

thread_local! {
    static KEYINFO_CERTS: RefCell<Vec<KeyInfoEntry>> = const { RefCell::new(Vec::new()) };
}

fn parse_keyinfo_cert(text: &str) -> Result<Arc<ParsedCert>, KeyInfoCertError> {
    let der = decode_b64(text).ok_or(KeyInfoCertError::NotBase64)?;
    parse_cert(&der)
        .map(Arc::new)
        .map_err(KeyInfoCertError::NotCertificate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_errors_read_as_sentences() {
        for der in [&b""[..], &[0x30, 0x82, 0x01][..], &[0x02, 0x01, 0x00][..]] {
            let err = parse_cert(der).err().unwrap_or_default();
            assert!(
                err.starts_with("not an X.509 certificate: the certificate"),
                "{err}"
            );
            assert!(
                !err.contains("NomError") && !err.contains("Parsing"),
                "{err}"
            );
        }
    }

    #[test]
    fn trust_store_is_shared_across_workers() {
        fn shared<T: Send + Sync>() {}
        shared::<TrustStore>();
    }

    #[test]
    fn fingerprints_parse_with_or_without_colons() {
        let mut t = TrustStore::default();
        let hex64 = "ab".repeat(32);
        t.add_fingerprint(&format!("SHA256:{hex64}")).unwrap();
        let colons: Vec<String> = (0..32).map(|_| "AB".to_owned()).collect();
        t.add_fingerprint(&format!("sha256:{}", colons.join(":")))
            .unwrap();
        assert_eq!(t.fingerprints[0].digest, t.fingerprints[1].digest);
        assert!(t.warnings.is_empty());
        t.add_fingerprint(&format!("SHA1:{}", "cd".repeat(20)))
            .unwrap();
        assert_eq!(t.warnings.len(), 1);
        assert!(t.add_fingerprint("SHA256:xyz").is_err());
        assert!(
            t.add_fingerprint(&format!("SHA256:{}", "ab".repeat(20)))
                .is_err()
        );
    }

    /// The base64 body of a PEM file of the fixtures, as KeyInfo carries it.
    fn pem_body(name: &str) -> String {
        let pem = std::fs::read_to_string(format!(
            "{}/tests/fixtures/gen/keys/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        pem.lines().filter(|l| !l.starts_with("-----")).collect()
    }

    #[test]
    fn keyinfo_certificates_are_kept_apart_and_reused() {
        let idp = pem_body("idp-cert.pem");
        let attacker = pem_body("attacker-cert.pem");
        let a = keyinfo_cert(&idp).unwrap();
        let b = keyinfo_cert(&attacker).unwrap();
        // Two certificates in one batch: each keeps its own facts.
        assert_ne!(a.der, b.der);
        assert_ne!(a.info.sha256, b.info.sha256);
        assert_ne!(a.spki, b.spki);
        assert_eq!(*a, parse_cert(&decode_b64(&idp).unwrap()).unwrap());
        assert_eq!(*b, parse_cert(&decode_b64(&attacker).unwrap()).unwrap());
        // The same text again is the kept answer, not a second parse.
        assert!(Arc::ptr_eq(&a, &keyinfo_cert(&idp).unwrap()));
        assert!(Arc::ptr_eq(&b, &keyinfo_cert(&attacker).unwrap()));
        // Other line breaks: the same certificate, read again.
        let wrapped: String = idp
            .as_bytes()
            .chunks(64)
            .flat_map(|c| [std::str::from_utf8(c).unwrap(), "\n"])
            .collect();
        assert_eq!(*keyinfo_cert(&wrapped).unwrap(), *a);
        // Failures are answers too, and say which failure.
        assert_eq!(
            keyinfo_cert("not base64!"),
            Err(KeyInfoCertError::NotBase64)
        );
        assert!(matches!(
            keyinfo_cert("AAAA"),
            Err(KeyInfoCertError::NotCertificate(_))
        ));
    }

    #[test]
    fn keyinfo_cache_is_bounded() {
        let idp = pem_body("idp-cert.pem");
        let first = keyinfo_cert(&idp).unwrap();
        // Distinct texts (whitespace changes the key, not the certificate) fill it.
        for i in 0..KEYINFO_CACHE_ENTRIES {
            let text = format!("{idp}{}", " ".repeat(i + 1));
            assert_eq!(*keyinfo_cert(&text).unwrap(), *first);
        }
        KEYINFO_CERTS.with_borrow(|c| assert!(c.len() <= KEYINFO_CACHE_ENTRIES));
        // Texts over the size bound are parsed every time and never kept.
        let long = format!("{idp}{}", " ".repeat(KEYINFO_CACHE_TEXT));
        assert_eq!(*keyinfo_cert(&long).unwrap(), *first);
        KEYINFO_CERTS
            .with_borrow(|c| assert!(c.iter().all(|(t, _)| t.len() <= KEYINFO_CACHE_TEXT)));
    }

    #[test]
    fn sha1_is_computed_on_demand() {
        let der = decode_b64(&pem_body("idp-cert.pem")).unwrap();
        let c = parse_cert(&der).unwrap();
        assert!(c.sha1.get().is_none());
        let sha1 = crate::verify::crypto::digest(crate::verify::algorithms::DigestAlg::Sha1, &der);
        assert!(c.matches_fingerprint(sha1.as_ref()));
        assert!(c.matches_fingerprint(&c.sha256));
        assert!(!c.matches_fingerprint(&[0u8; 32]));
        assert!(!c.matches_fingerprint(&[0u8; 20]));
    }

    #[test]
    fn metadata_without_a_signing_certificate_trusts_nothing() {
        let mut t = TrustStore::default();
        assert!(t.add_metadata("<a/>", "x").is_err());
        let md = r#"<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="e"><IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><KeyDescriptor use="encryption"/></IDPSSODescriptor></EntityDescriptor>"#;
        t.add_metadata(md, "x").unwrap();
        assert!(t.certs.is_empty());
        assert!(t.warnings[0].contains("trusts no key"), "{:?}", t.warnings);
        // Trust was given, though it trusts nothing.
        assert!(!t.is_empty());
    }

    fn md(entity: &str, role: &str, key_use: &str, cert: &str) -> String {
        format!(
            r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="{entity}"><md:{role} protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor{key_use}><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor></md:{role}></md:EntityDescriptor>"#
        )
    }

    #[test]
    fn a_metadata_key_is_trusted_only_for_its_entity() {
        let idp = pem_body("idp-cert.pem");
        let cert = parse_cert(&decode_b64(&idp).unwrap()).unwrap();
        let mut t = TrustStore::default();
        t.add_metadata(&md("https://idp", "IDPSSODescriptor", "", &idp), "m.xml")
            .unwrap();
        assert_eq!(t.entity_ids, ["https://idp"]);
        assert_eq!(
            t.entry_for(&cert, Some("https://idp")),
            Ok("m.xml#1".to_owned())
        );
        let other = t.entry_for(&cert, Some("https://evil")).unwrap_err();
        assert!(other.contains("entity https://idp"), "{other}");
        assert!(other.contains("'https://evil'"), "{other}");
        assert!(t.entry_for(&cert, None).is_err());
        // --idp-cert vouches for any Issuer.
        let pem = std::fs::read(format!(
            "{}/tests/fixtures/gen/keys/idp-cert.pem",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        t.add_cert_bytes(&pem, "c.pem").unwrap();
        assert_eq!(
            t.entry_for(&cert, Some("https://evil")),
            Ok("c.pem".to_owned())
        );

        for (role, key_use, owner) in [
            (
                "SPSSODescriptor",
                "",
                "the SP signing key of entity https://idp",
            ),
            (
                "IDPSSODescriptor",
                r#" use="encryption""#,
                "the encryption-only key of entity https://idp",
            ),
        ] {
            let mut t = TrustStore::default();
            t.add_metadata(&md("https://idp", role, key_use, &idp), "m.xml")
                .unwrap();
            assert!(t.certs.is_empty());
            let why = t.entry_for(&cert, Some("https://idp")).unwrap_err();
            assert!(why.starts_with(owner), "{why}");
        }
        // A fingerprint vouches for any Issuer.
        let mut t = TrustStore::default();
        t.add_fingerprint(&cert.info.sha256).unwrap();
        assert!(t.entry_for(&cert, Some("x")).is_ok());
        assert_eq!(
            TrustStore::default().entry_for(&cert, Some("x")),
            Err(String::new())
        );
    }
}
