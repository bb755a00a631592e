//! Hardening limits shared by every stage (RULES.md `xml-limits-exceeded`, SL0103).
//! Configurable in `samlint.toml` under `[limits]`.

use serde::{Deserialize, Serialize};

const MIB: usize = 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Raw payload as found (base64, form body...), in bytes.
    pub max_payload_bytes: usize,
    /// Decoded XML, in bytes.
    pub max_xml_bytes: usize,
    /// Output of inflating a Redirect-binding payload, in bytes.
    pub max_inflated_bytes: usize,
    /// Element nesting depth.
    pub max_depth: usize,
    /// Elements in one document.
    pub max_elements: usize,
    /// Attributes on one element.
    pub max_attributes: usize,
    /// Length of one attribute value or text node, in bytes.
    pub max_text_bytes: usize,
    /// SAML payloads taken from one HAR or tracer export.
    pub max_payloads_per_input: usize,
    /// `ds:Signature` elements in one document. Each is checked over the content it
    /// references (a `URI=""` one over the whole document), so this bounds the work
    /// at this many passes over the document.
    pub max_signatures: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_payload_bytes: 50 * MIB,
            max_xml_bytes: 10 * MIB,
            max_inflated_bytes: 10 * MIB,
            max_depth: 256,
            max_elements: 200_000,
            max_attributes: 256,
            max_text_bytes: MIB,
            max_payloads_per_input: 10_000,
            max_signatures: 100,
        }
    }
}
