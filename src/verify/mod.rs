//! The verify stage: which signature covers the assertion AWS would consume, whether
//! it holds, and whether its key is trusted. Lint reads assertion content only from
//! the node this stage resolves.

pub mod decrypt;
#[cfg(feature = "xmlsec")]
pub mod engine_xmlsec;

use serde::Serialize;

use crate::lint::Finding;
use crate::saml::Response;
use crate::xml::{Document, NodeId};

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
    pub findings: Vec<Finding>,
}

/// Trust material: IdP metadata, certificates and fingerprints.
#[derive(Debug, Clone, Default)]
pub struct TrustStore {
    /// entityIDs of loaded IdP metadata (for `issuer-mismatch`).
    pub entity_ids: Vec<String>,
}

/// Verifies a parsed Response.
pub fn verify(doc: &Document, response: &Response, trust: &TrustStore) -> Verification {
    let _ = (doc, trust);
    Verification {
        report: None,
        // C (RULES.md): the first Assertion child of the root Response.
        consumed: response.assertions.first().copied(),
        findings: Vec::new(),
    }
}
