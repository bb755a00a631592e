//! Decoding a payload's raw value into XML text, leniently and explained: every
//! transformation applied is recorded as a [`Step`] so the user sees what was done.

use serde::Serialize;

use crate::input::{Binding, Payload, SamlParam};
use crate::limits::Limits;

/// One transformation applied while decoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Step {
    /// Percent-decoding of a URL or form value (recorded once per pass).
    Url,
    Base64,
    /// Raw DEFLATE (HTTP-Redirect binding).
    Inflate,
    /// Bytes checked as UTF-8 (a BOM is dropped).
    Utf8,
}

/// The result of decoding one payload.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The decoded document text (normally XML; may be an HTML page or other text,
    /// which the XML stage classifies).
    pub text: String,
    pub steps: Vec<Step>,
    /// The binding, refined from the payload's (a pasted value that inflated is Redirect).
    pub binding: Binding,
    /// The parameter that carried it, if known from the container or found in the text.
    pub param: Option<SamlParam>,
    pub relay_state: Option<String>,
    /// Length of the base64 text (URL-decoded, whitespace removed), for `response-too-large`.
    pub base64_len: Option<usize>,
    /// Leniencies applied, one line each ("value was URL-encoded twice",
    /// "SAMLResponse taken from a log line").
    pub notes: Vec<String>,
}

/// Why a payload could not be decoded. Each message says what was wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("the payload is empty")]
    Empty,
    #[error("{0}")]
    Invalid(String),
    #[error("{what} is {size} bytes, over the limit of {limit} bytes")]
    TooLarge {
        what: &'static str,
        size: usize,
        limit: usize,
    },
}

/// Decodes a payload's raw value.
///
/// # Errors
/// A [`DecodeError`] naming what was wrong when no XML or text can be recovered.
pub fn decode(payload: &Payload, limits: &Limits) -> Result<Decoded, DecodeError> {
    let _ = (payload, limits);
    unimplemented!("decode")
}
