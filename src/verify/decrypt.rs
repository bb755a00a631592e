//! Decryption of `EncryptedAssertion` (W3C XML Encryption 1.0 / 1.1) with the SP's
//! private key (`--sp-key`).
//!
//! Supported:
//! - key transport: `xmlenc#rsa-oaep-mgf1p` (digest SHA-1 unless a `ds:DigestMethod`
//!   says otherwise; MGF1 always SHA-1), `xmlenc11#rsa-oaep` (`ds:DigestMethod` and
//!   `xenc11:MGF`, both SHA-1 by default), `xmlenc#rsa-1_5`; `xenc:OAEPparams` is the
//!   OAEP label;
//! - content: `xmlenc#aes128-cbc` / `aes192-cbc` / `aes256-cbc` (IV prefix, ISO 10126
//!   padding: only the last byte counts) and `xmlenc11#aes128-gcm` / `aes192-gcm` /
//!   `aes256-gcm` (12-byte IV prefix, 16-byte tag suffix, no AAD);
//! - the `xenc:EncryptedKey` inside the `EncryptedData`'s `ds:KeyInfo`, or a sibling of
//!   the `EncryptedData` under the `EncryptedAssertion` (found through
//!   `ds:RetrievalMethod` or directly). With several EncryptedKeys (one per recipient),
//!   each is tried in turn.
//!
//! Key transport is the `rsa` crate (aws-lc-rs offers OAEP only with one hash for the
//! digest and MGF1, while `rsa-oaep-mgf1p` pairs any digest with MGF1-SHA1); content
//! decryption is aws-lc-rs.
//!
//! The result is the decrypted `<Assertion>` text, checked to be well-formed XML whose
//! root is a SAML 2.0 `Assertion`; callers parse it again to verify and lint it.
//!
//! ## Side channels (RUSTSEC-2023-0071, "Marvin")
//!
//! The RSA private-key operation of the `rsa` crate is not constant-time; an attacker
//! who can submit many chosen ciphertexts and time the decryptions precisely (a network
//! oracle, as in a TLS server or an SP endpoint) could recover the plaintext or forge
//! with the key. samlint is an offline, one-shot tool: it decrypts an assertion the user
//! captured, with the user's own key, on the user's machine, and answers no one. No
//! attacker gets to submit ciphertexts and observe timings, so the attack has no oracle
//! to work with. RSA-1.5 additionally uses implicit rejection (a wrong key yields a
//! synthetic key, not a padding error), which we then report as a wrong key because the
//! content decryption fails. Do not reuse this module in a service that decrypts
//! attacker-supplied ciphertexts on request.

use aws_lc_rs::{aead, cipher};
use base64::Engine as _;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::digest::{Digest, FixedOutputReset};
use rsa::traits::Decryptor;

use crate::limits::Limits;
use crate::saml::{ASSERTION_NS, DSIG_NS, XENC_NS};
use crate::xml::{Document, NodeId};

/// XML Encryption 1.1 namespace (`xenc11:MGF`, GCM and `rsa-oaep` URIs).
pub const XENC11_NS: &str = "http://www.w3.org/2009/xmlenc11#";

const RSA_OAEP_MGF1P: &str = "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p";
const RSA_OAEP_11: &str = "http://www.w3.org/2009/xmlenc11#rsa-oaep";
const RSA_1_5: &str = "http://www.w3.org/2001/04/xmlenc#rsa-1_5";
const ENCRYPTED_KEY_TYPE: &str = "http://www.w3.org/2001/04/xmlenc#EncryptedKey";

/// Why an `EncryptedAssertion` could not be decrypted. Each message is one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecryptError {
    /// The `--sp-key` file is not a usable RSA private key.
    #[error("the SP key is not usable: {0}")]
    Key(String),
    /// The XML Encryption structure is missing a required part or is malformed.
    #[error("malformed EncryptedAssertion: {0}")]
    Malformed(String),
    /// An algorithm URI samlint does not implement (the URI is named).
    #[error("unsupported {what} algorithm {uri}")]
    UnsupportedAlgorithm { what: &'static str, uri: String },
    /// The EncryptedKey could not be opened with the given key.
    #[error("the EncryptedKey was made for another key ({0})")]
    WrongKey(String),
    /// The content did not decrypt (corrupted ciphertext, bad tag or padding).
    #[error("the encrypted content did not decrypt: {0}")]
    Content(String),
    /// It decrypted, but the plaintext is not an `Assertion`.
    #[error("the decrypted content is not a SAML Assertion: {0}")]
    NotAssertion(String),
}

/// The SP's RSA private key (PKCS#1 `RSA PRIVATE KEY` or PKCS#8 `PRIVATE KEY` PEM).
#[derive(Clone)]
pub struct SpKey {
    key: rsa::PrivateKey,
}

impl std::fmt::Debug for SpKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SpKey(RSA-{})", self.bits())
    }
}

impl SpKey {
    /// Reads the first private key block of a PEM file (other blocks, such as the
    /// certificate in a combined file, are skipped).
    pub fn from_pem(bytes: &[u8]) -> Result<SpKey, DecryptError> {
        let text = std::str::from_utf8(bytes)
            .map_err(|_| DecryptError::Key("not a PEM text file".into()))?;
        if text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") {
            return Err(DecryptError::Key(
                "the private key is password-protected; export it unencrypted first \
                 (openssl pkey -in KEY -out plain.pem)"
                    .into(),
            ));
        }
        if let Some(block) = pem_block(text, "RSA PRIVATE KEY") {
            return rsa::PrivateKey::from_pkcs1_pem(&block)
                .map(|key| SpKey { key })
                .map_err(|e| DecryptError::Key(format!("bad PKCS#1 RSA private key: {e}")));
        }
        if let Some(block) = pem_block(text, "PRIVATE KEY") {
            return rsa::PrivateKey::from_pkcs8_pem(&block)
                .map(|key| SpKey { key })
                .map_err(|e| {
                    DecryptError::Key(format!("bad PKCS#8 private key (RSA keys only): {e}"))
                });
        }
        if text.contains("PRIVATE KEY-----") {
            return Err(DecryptError::Key(
                "only RSA private keys can open an EncryptedKey".into(),
            ));
        }
        Err(DecryptError::Key(
            "no PEM private key block (BEGIN PRIVATE KEY / BEGIN RSA PRIVATE KEY) found".into(),
        ))
    }

    /// Modulus size in bits.
    pub fn bits(&self) -> usize {
        use rsa::traits::PublicKeyParts as _;
        self.key.size() * 8
    }
}

/// Extracts one PEM block (BEGIN..END lines inclusive) with the given label.
fn pem_block(text: &str, label: &str) -> Option<String> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let start = text.find(&begin)?;
    let stop = text[start..].find(&end)? + start + end.len();
    Some(format!("{}\n", &text[start..stop]))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hash {
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    fn from_digest_uri(uri: &str) -> Option<Hash> {
        Some(match uri {
            "http://www.w3.org/2000/09/xmldsig#sha1" => Hash::Sha1,
            "http://www.w3.org/2001/04/xmldsig-more#sha224" => Hash::Sha224,
            "http://www.w3.org/2001/04/xmlenc#sha256" => Hash::Sha256,
            "http://www.w3.org/2001/04/xmldsig-more#sha384" => Hash::Sha384,
            "http://www.w3.org/2001/04/xmlenc#sha512" => Hash::Sha512,
            _ => return None,
        })
    }

    fn from_mgf_uri(uri: &str) -> Option<Hash> {
        Some(match uri.strip_prefix(XENC11_NS)? {
            "mgf1sha1" => Hash::Sha1,
            "mgf1sha224" => Hash::Sha224,
            "mgf1sha256" => Hash::Sha256,
            "mgf1sha384" => Hash::Sha384,
            "mgf1sha512" => Hash::Sha512,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Cbc,
    Gcm,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ContentAlg {
    mode: Mode,
    key_len: usize,
}

impl ContentAlg {
    fn from_uri(uri: &str) -> Option<ContentAlg> {
        let (mode, key_len) = match uri {
            "http://www.w3.org/2001/04/xmlenc#aes128-cbc" => (Mode::Cbc, 16),
            "http://www.w3.org/2001/04/xmlenc#aes192-cbc" => (Mode::Cbc, 24),
            "http://www.w3.org/2001/04/xmlenc#aes256-cbc" => (Mode::Cbc, 32),
            "http://www.w3.org/2009/xmlenc11#aes128-gcm" => (Mode::Gcm, 16),
            "http://www.w3.org/2009/xmlenc11#aes192-gcm" => (Mode::Gcm, 24),
            "http://www.w3.org/2009/xmlenc11#aes256-gcm" => (Mode::Gcm, 32),
            _ => return None,
        };
        Some(ContentAlg { mode, key_len })
    }

    fn name(self) -> String {
        let mode = match self.mode {
            Mode::Cbc => "CBC",
            Mode::Gcm => "GCM",
        };
        format!("AES-{}-{mode}", self.key_len * 8)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum KeyTransport {
    Oaep {
        digest: Hash,
        mgf: Hash,
        label: Vec<u8>,
    },
    Pkcs1v15,
}

impl KeyTransport {
    fn name(&self) -> &'static str {
        match self {
            KeyTransport::Oaep { .. } => "RSA-OAEP",
            KeyTransport::Pkcs1v15 => "RSA-1.5",
        }
    }
}

/// Decrypts the `EncryptedAssertion` element `encrypted_assertion` of `doc` with `key`
/// and returns the decrypted `<Assertion>` XML text.
pub fn decrypt_assertion(
    doc: &Document,
    encrypted_assertion: NodeId,
    key: &SpKey,
) -> Result<String, DecryptError> {
    let encrypted_data = doc
        .first_child(encrypted_assertion, XENC_NS, "EncryptedData")
        .ok_or_else(|| DecryptError::Malformed("no xenc:EncryptedData child".into()))?;
    let content_alg = content_algorithm(doc, encrypted_data)?;
    let ciphertext = cipher_value(doc, encrypted_data, "EncryptedData")?;

    let candidates = encrypted_keys(doc, encrypted_assertion, encrypted_data)?;
    let mut first_error = None;
    for ek in candidates {
        match open_with(doc, ek, key, content_alg, &ciphertext) {
            Ok(text) => return Ok(text),
            Err(e) => {
                // An algorithm we do not implement is the answer even when another
                // recipient's EncryptedKey also failed.
                if matches!(e, DecryptError::UnsupportedAlgorithm { .. }) {
                    return Err(e);
                }
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.unwrap_or_else(|| {
        DecryptError::Malformed(
            "no xenc:EncryptedKey (neither in EncryptedData's ds:KeyInfo nor beside it)".into(),
        )
    }))
}

/// What an `EncryptedAssertion` says about how to open it, for reporting one that
/// cannot be decrypted (no `--sp-key`, or the wrong one).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EncryptionInfo {
    /// Content encryption algorithm URI (`EncryptedData/EncryptionMethod`).
    pub content_algorithm: Option<String>,
    /// One entry per EncryptedKey found (in KeyInfo, by RetrievalMethod, or beside it).
    pub keys: Vec<EncryptedKeyInfo>,
}

/// One `xenc:EncryptedKey`: which key it was made for, as far as the message says.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EncryptedKeyInfo {
    /// Key transport algorithm URI.
    pub algorithm: Option<String>,
    /// The `Recipient` attribute (usually the SP entityID).
    pub recipient: Option<String>,
    /// `ds:KeyName` in the EncryptedKey's KeyInfo.
    pub key_name: Option<String>,
    /// `SHA256:hex` of the `ds:X509Certificate` in the EncryptedKey's KeyInfo (the SP
    /// certificate the IdP encrypted to; compare with the SP's certificate).
    pub certificate_sha256: Option<String>,
    /// Size of the RSA key it was encrypted to, from the ciphertext length.
    pub rsa_bits: Option<usize>,
}

/// Describes an `EncryptedAssertion` without decrypting it.
pub fn describe_encryption(
    doc: &Document,
    encrypted_assertion: NodeId,
) -> Result<EncryptionInfo, DecryptError> {
    let encrypted_data = doc
        .first_child(encrypted_assertion, XENC_NS, "EncryptedData")
        .ok_or_else(|| DecryptError::Malformed("no xenc:EncryptedData child".into()))?;
    let algorithm_of = |node: NodeId| {
        doc.first_child(node, XENC_NS, "EncryptionMethod")
            .and_then(|m| doc.element(m))
            .and_then(|m| m.attr_value("Algorithm"))
            .map(str::to_owned)
    };
    let keys = encrypted_keys(doc, encrypted_assertion, encrypted_data)?
        .into_iter()
        .map(|ek| {
            let key_info = doc.first_child(ek, DSIG_NS, "KeyInfo");
            let key_name = key_info
                .and_then(|ki| doc.first_child(ki, DSIG_NS, "KeyName"))
                .map(|n| doc.text_content(n).trim().to_owned());
            let certificate_sha256 = key_info
                .and_then(|ki| doc.first_child(ki, DSIG_NS, "X509Data"))
                .and_then(|xd| doc.first_child(xd, DSIG_NS, "X509Certificate"))
                .and_then(|c| decode_b64(&doc.text_content(c)).ok())
                .map(|der| {
                    use std::fmt::Write as _;
                    let mut out = String::from("SHA256:");
                    let digest = super::crypto::digest(super::algorithms::DigestAlg::Sha256, &der);
                    for b in digest.as_ref() {
                        let _ = write!(out, "{b:02x}");
                    }
                    out
                });
            EncryptedKeyInfo {
                algorithm: algorithm_of(ek),
                recipient: doc
                    .element(ek)
                    .and_then(|e| e.attr_value("Recipient"))
                    .map(str::to_owned),
                key_name,
                certificate_sha256,
                rsa_bits: cipher_value(doc, ek, "EncryptedKey")
                    .ok()
                    .map(|c| c.len() * 8),
            }
        })
        .collect();
    Ok(EncryptionInfo {
        content_algorithm: algorithm_of(encrypted_data),
        keys,
    })
}

fn open_with(
    doc: &Document,
    encrypted_key: NodeId,
    key: &SpKey,
    content_alg: ContentAlg,
    ciphertext: &[u8],
) -> Result<String, DecryptError> {
    let transport = key_transport(doc, encrypted_key)?;
    let wrapped = cipher_value(doc, encrypted_key, "EncryptedKey")?;
    if wrapped.len() * 8 != key.bits() {
        // An RSA ciphertext is exactly as long as the recipient's modulus.
        return Err(DecryptError::WrongKey(format!(
            "it was encrypted to a {}-bit RSA key; the SP key is {}-bit",
            wrapped.len() * 8,
            key.bits()
        )));
    }
    let session = unwrap_key(&key.key, &transport, &wrapped)?;
    if session.len() != content_alg.key_len {
        // With RSA-1.5 implicit rejection a wrong key gives a synthetic message of
        // arbitrary length; with OAEP this is a mismatched EncryptedKey.
        return Err(DecryptError::WrongKey(format!(
            "{} gave {} bytes, not an {} key",
            transport.name(),
            session.len(),
            content_alg.name()
        )));
    }
    let plain = decrypt_content(content_alg, &session, ciphertext).map_err(|e| {
        if transport == KeyTransport::Pkcs1v15 {
            DecryptError::WrongKey(format!(
                "RSA-1.5 gave a key that does not open the content: {e}"
            ))
        } else {
            e
        }
    })?;
    let text = String::from_utf8(plain).map_err(|_| {
        DecryptError::Content(format!(
            "{} output is not UTF-8 text (wrong key or corrupted ciphertext)",
            content_alg.name()
        ))
    })?;
    match check_assertion(&text) {
        Ok(()) => Ok(text),
        Err(first) => {
            // Some serializers leave out namespace declarations the plaintext inherits
            // from the EncryptedAssertion's ancestors: supply them on the root.
            let in_scope = doc.in_scope_namespaces(encrypted_key_context(doc, encrypted_key));
            match complete_namespaces(&text, &in_scope) {
                Some(completed) if check_assertion(&completed).is_ok() => Ok(completed),
                _ => Err(first),
            }
        }
    }
}

/// The element whose in-scope namespaces the plaintext inherits: the parent of the
/// `EncryptedData` (the EncryptedAssertion), reached from the EncryptedKey.
fn encrypted_key_context(doc: &Document, encrypted_key: NodeId) -> NodeId {
    doc.ancestors(encrypted_key)
        .find(|&a| doc.first_child(a, XENC_NS, "EncryptedData").is_some())
        .unwrap_or(encrypted_key)
}

/// Adds to the plaintext's root start tag the declarations of `in_scope` it does not
/// make itself. `None` when the root cannot be found.
fn complete_namespaces(text: &str, in_scope: &[(Option<&str>, &str)]) -> Option<String> {
    let start = text.find('<')?;
    let name_len = text[start + 1..].find(|c: char| c.is_whitespace() || c == '>' || c == '/')?;
    let insert_at = start + 1 + name_len;
    let tag_end = text[insert_at..].find('>')? + insert_at;
    let own_tag = &text[start..tag_end];
    let mut extra = String::new();
    for (prefix, uri) in in_scope {
        let attr = match prefix {
            Some(p) => format!("xmlns:{p}="),
            None => "xmlns=".to_owned(),
        };
        let declared = own_tag
            .match_indices(&attr)
            .any(|(i, _)| own_tag[..i].ends_with(char::is_whitespace));
        if !declared {
            let escaped = uri
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('"', "&quot;");
            extra.push(' ');
            extra.push_str(&attr);
            extra.push('"');
            extra.push_str(&escaped);
            extra.push('"');
        }
    }
    if extra.is_empty() {
        return None;
    }
    Some(format!(
        "{}{extra}{}",
        &text[..insert_at],
        &text[insert_at..]
    ))
}

fn content_algorithm(doc: &Document, encrypted_data: NodeId) -> Result<ContentAlg, DecryptError> {
    let method = doc
        .first_child(encrypted_data, XENC_NS, "EncryptionMethod")
        .and_then(|m| doc.element(m))
        .and_then(|m| m.attr_value("Algorithm"))
        .ok_or_else(|| {
            DecryptError::Malformed("EncryptedData has no xenc:EncryptionMethod Algorithm".into())
        })?;
    ContentAlg::from_uri(method).ok_or_else(|| DecryptError::UnsupportedAlgorithm {
        what: "content encryption",
        uri: method.to_owned(),
    })
}

fn key_transport(doc: &Document, encrypted_key: NodeId) -> Result<KeyTransport, DecryptError> {
    let method = doc
        .first_child(encrypted_key, XENC_NS, "EncryptionMethod")
        .ok_or_else(|| {
            DecryptError::Malformed("EncryptedKey has no xenc:EncryptionMethod".into())
        })?;
    let uri = doc
        .element(method)
        .and_then(|m| m.attr_value("Algorithm"))
        .ok_or_else(|| {
            DecryptError::Malformed("EncryptedKey's EncryptionMethod has no Algorithm".into())
        })?;
    let digest_uri = doc
        .first_child(method, DSIG_NS, "DigestMethod")
        .and_then(|d| doc.element(d))
        .and_then(|d| d.attr_value("Algorithm"));
    let digest = match digest_uri {
        None => Hash::Sha1,
        Some(d) => Hash::from_digest_uri(d).ok_or_else(|| DecryptError::UnsupportedAlgorithm {
            what: "OAEP digest",
            uri: d.to_owned(),
        })?,
    };
    let label = match doc.first_child(method, XENC_NS, "OAEPparams") {
        None => Vec::new(),
        Some(p) => decode_b64(&doc.text_content(p))
            .map_err(|e| DecryptError::Malformed(format!("OAEPparams is not base64: {e}")))?,
    };
    match uri {
        RSA_OAEP_MGF1P => Ok(KeyTransport::Oaep {
            digest,
            mgf: Hash::Sha1,
            label,
        }),
        RSA_OAEP_11 => {
            let mgf_uri = doc
                .first_child(method, XENC11_NS, "MGF")
                .and_then(|m| doc.element(m))
                .and_then(|m| m.attr_value("Algorithm"));
            let mgf = match mgf_uri {
                None => Hash::Sha1,
                Some(m) => {
                    Hash::from_mgf_uri(m).ok_or_else(|| DecryptError::UnsupportedAlgorithm {
                        what: "OAEP mask generation",
                        uri: m.to_owned(),
                    })?
                }
            };
            Ok(KeyTransport::Oaep { digest, mgf, label })
        }
        RSA_1_5 => Ok(KeyTransport::Pkcs1v15),
        other => Err(DecryptError::UnsupportedAlgorithm {
            what: "key transport",
            uri: other.to_owned(),
        }),
    }
}

/// The EncryptedKeys that may open `encrypted_data`, in the order to try them.
fn encrypted_keys(
    doc: &Document,
    encrypted_assertion: NodeId,
    encrypted_data: NodeId,
) -> Result<Vec<NodeId>, DecryptError> {
    let mut keys = Vec::new();
    let mut retrieval = Vec::new();
    if let Some(key_info) = doc.first_child(encrypted_data, DSIG_NS, "KeyInfo") {
        for (child, el) in doc.child_elements(key_info) {
            if el.is(XENC_NS, "EncryptedKey") {
                keys.push(child);
            } else if el.is(DSIG_NS, "RetrievalMethod") {
                if el
                    .attr_value("Type")
                    .is_some_and(|t| t != ENCRYPTED_KEY_TYPE)
                {
                    continue;
                }
                let uri = el.attr_value("URI").unwrap_or_default();
                let id = uri.strip_prefix('#').ok_or_else(|| {
                    DecryptError::Malformed(format!(
                        "RetrievalMethod URI {uri:?} is not a same-document reference (#id)"
                    ))
                })?;
                retrieval.push(id.to_owned());
            }
        }
    }
    let siblings: Vec<NodeId> = doc
        .child_elements(encrypted_assertion)
        .filter(|(_, el)| el.is(XENC_NS, "EncryptedKey"))
        .map(|(id, _)| id)
        .collect();
    for id in &retrieval {
        let found = siblings
            .iter()
            .copied()
            .find(|&k| doc.element(k).and_then(|e| e.attr_value("Id")) == Some(id.as_str()))
            .ok_or_else(|| {
                DecryptError::Malformed(format!(
                    "RetrievalMethod points at #{id}, but no EncryptedKey with that Id is in the EncryptedAssertion"
                ))
            })?;
        if !keys.contains(&found) {
            keys.push(found);
        }
    }
    for k in siblings {
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    Ok(keys)
}

fn cipher_value(doc: &Document, parent: NodeId, what: &str) -> Result<Vec<u8>, DecryptError> {
    let data = doc
        .first_child(parent, XENC_NS, "CipherData")
        .ok_or_else(|| DecryptError::Malformed(format!("{what} has no xenc:CipherData")))?;
    if doc.first_child(data, XENC_NS, "CipherReference").is_some() {
        return Err(DecryptError::Malformed(format!(
            "{what} uses xenc:CipherReference (ciphertext by reference), which is not supported"
        )));
    }
    let value = doc
        .first_child(data, XENC_NS, "CipherValue")
        .ok_or_else(|| DecryptError::Malformed(format!("{what} has no xenc:CipherValue")))?;
    let bytes = decode_b64(&doc.text_content(value))
        .map_err(|e| DecryptError::Malformed(format!("{what} CipherValue is not base64: {e}")))?;
    if bytes.is_empty() {
        return Err(DecryptError::Malformed(format!(
            "{what} CipherValue is empty"
        )));
    }
    Ok(bytes)
}

fn decode_b64(text: &str) -> Result<Vec<u8>, base64::DecodeError> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(compact)
}

fn unwrap_key(
    key: &rsa::PrivateKey,
    transport: &KeyTransport,
    wrapped: &[u8],
) -> Result<Vec<u8>, DecryptError> {
    match transport {
        KeyTransport::Pkcs1v15 => key
            .pkcs1v15_decrypt(wrapped)
            .map_err(|e| DecryptError::WrongKey(format!("RSA-1.5 decryption failed: {e}"))),
        KeyTransport::Oaep { digest, mgf, label } => {
            let result = match digest {
                Hash::Sha1 => oaep_with_mgf::<sha1::Sha1>(key, *mgf, label, wrapped),
                Hash::Sha224 => oaep_with_mgf::<sha2::Sha224>(key, *mgf, label, wrapped),
                Hash::Sha256 => oaep_with_mgf::<sha2::Sha256>(key, *mgf, label, wrapped),
                Hash::Sha384 => oaep_with_mgf::<sha2::Sha384>(key, *mgf, label, wrapped),
                Hash::Sha512 => oaep_with_mgf::<sha2::Sha512>(key, *mgf, label, wrapped),
            };
            result.map_err(|_| DecryptError::WrongKey("RSA-OAEP decryption failed".into()))
        }
    }
}

fn oaep_with_mgf<D>(
    key: &rsa::PrivateKey,
    mgf: Hash,
    label: &[u8],
    wrapped: &[u8],
) -> rsa::errors::Result<Vec<u8>>
where
    D: Digest,
{
    match mgf {
        Hash::Sha1 => oaep::<D, sha1::Sha1>(key, label, wrapped),
        Hash::Sha224 => oaep::<D, sha2::Sha224>(key, label, wrapped),
        Hash::Sha256 => oaep::<D, sha2::Sha256>(key, label, wrapped),
        Hash::Sha384 => oaep::<D, sha2::Sha384>(key, label, wrapped),
        Hash::Sha512 => oaep::<D, sha2::Sha512>(key, label, wrapped),
    }
}

fn oaep<D, M>(key: &rsa::PrivateKey, label: &[u8], wrapped: &[u8]) -> rsa::errors::Result<Vec<u8>>
where
    D: Digest,
    M: Digest + FixedOutputReset,
{
    let decrypting = if label.is_empty() {
        rsa::oaep::DecryptingKey::<D, M>::new(key.clone())
    } else {
        rsa::oaep::DecryptingKey::<D, M>::new_with_label(key.clone(), label.to_vec())
    };
    decrypting.decrypt(wrapped)
}

fn decrypt_content(alg: ContentAlg, key: &[u8], data: &[u8]) -> Result<Vec<u8>, DecryptError> {
    match alg.mode {
        Mode::Cbc => {
            if data.len() < 32 || !data.len().is_multiple_of(16) {
                return Err(DecryptError::Content(format!(
                    "{} ciphertext of {} bytes is not an IV plus whole blocks",
                    alg.name(),
                    data.len()
                )));
            }
            let (iv, body) = data.split_at(16);
            let mut buf = body.to_vec();
            let bad = |_| DecryptError::Content(format!("bad {} key or IV length", alg.name()));
            let aes = match alg.key_len {
                16 => &cipher::AES_128,
                24 => &cipher::AES_192,
                _ => &cipher::AES_256,
            };
            // Unpadded CBC: XML-Enc pads by ISO 10126, which no library mode removes.
            let key = cipher::UnboundCipherKey::new(aes, key)
                .and_then(cipher::DecryptingKey::cbc)
                .map_err(bad)?;
            let iv = aws_lc_rs::iv::FixedLength::<16>::try_from(iv).map_err(bad)?;
            let plain = key
                .decrypt(&mut buf, cipher::DecryptionContext::Iv128(iv))
                .map_err(bad)?
                .len();
            buf.truncate(plain);
            // ISO 10126: the last byte is the padding length; the others are arbitrary.
            let pad = usize::from(buf.last().copied().unwrap_or(0));
            if pad == 0 || pad > 16 || pad > buf.len() {
                return Err(DecryptError::Content(format!(
                    "{} padding byte {pad} is impossible (wrong key or corrupted ciphertext)",
                    alg.name()
                )));
            }
            buf.truncate(buf.len() - pad);
            Ok(buf)
        }
        Mode::Gcm => {
            if data.len() < 12 + 16 {
                return Err(DecryptError::Content(format!(
                    "{} ciphertext of {} bytes is shorter than IV and tag",
                    alg.name(),
                    data.len()
                )));
            }
            let (iv, body) = data.split_at(12);
            let nonce = aead::Nonce::try_assume_unique_for_key(iv)
                .map_err(|_| DecryptError::Content("bad GCM IV".into()))?;
            let gcm = match alg.key_len {
                16 => &aead::AES_128_GCM,
                24 => &aead::AES_192_GCM,
                _ => &aead::AES_256_GCM,
            };
            let key = aead::UnboundKey::new(gcm, key)
                .map(aead::LessSafeKey::new)
                .map_err(|_| DecryptError::Content(format!("bad {} key length", alg.name())))?;
            let mut buf = body.to_vec();
            let plain = key
                .open_in_place(nonce, aead::Aad::empty(), &mut buf)
                .map_err(|_| {
                    DecryptError::Content(format!(
                        "{} authentication failed: the ciphertext or its tag is corrupted",
                        alg.name()
                    ))
                })?
                .len();
            buf.truncate(plain);
            Ok(buf)
        }
    }
}

/// The plaintext must be one well-formed SAML 2.0 `Assertion` element.
fn check_assertion(text: &str) -> Result<(), DecryptError> {
    let doc = crate::xml::parse(text, &Limits::default())
        .map_err(|e| DecryptError::NotAssertion(format!("not well-formed XML: {e}")))?;
    let root = doc
        .element(doc.root())
        .ok_or_else(|| DecryptError::NotAssertion("no root element".into()))?;
    if root.is(ASSERTION_NS, "Assertion") {
        Ok(())
    } else {
        Err(DecryptError::NotAssertion(format!(
            "its root element is {} ({})",
            root.qname(),
            root.namespace().unwrap_or("no namespace")
        )))
    }
}

#[cfg(test)]
#[path = "decrypt_tests.rs"]
mod tests;
