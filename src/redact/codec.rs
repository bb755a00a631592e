//! One SAML value, taken apart layer by layer (URL encoding, base64, DEFLATE) with
//! the way each layer was written remembered, so the rewritten document goes back in
//! exactly as the original came: same alphabet, padding, line wrapping, `+` or `%20`.

use std::io::{Read, Write};

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use crate::limits::Limits;

/// What a form encoder leaves alone (RFC 3986 unreserved).
pub(super) const FORM: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-decoding passes applied to one value at most (a value encoded twice is common).
const MAX_PASSES: usize = 4;

/// How a value was encoded, outermost layer last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Encoding {
    /// One entry per percent-decoding pass, innermost first: whether `+` stood for a space.
    url: Vec<bool>,
    base64: Option<Base64Style>,
    deflate: bool,
    bom: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Base64Style {
    url_safe: bool,
    padded: bool,
    /// Line length and line end, when the text was wrapped.
    wrap: Option<(usize, &'static str)>,
    lead: String,
    trail: String,
}

impl Encoding {
    /// The layers, outermost first, as `check` names decode steps.
    pub(crate) fn layers(&self) -> Vec<&'static str> {
        let mut v = vec!["url"; self.url.len()];
        if self.base64.is_some() {
            v.push("base64");
        }
        if self.deflate {
            v.push("deflate");
        }
        v
    }
}

/// Takes a value apart into its XML text.
///
/// # Errors
/// A message saying why the value is not an encoded XML document.
pub(crate) fn decode(value: &str, limits: &Limits) -> Result<(Encoding, String), String> {
    let mut enc = Encoding {
        url: Vec::new(),
        base64: None,
        deflate: false,
        bom: false,
    };
    let mut v = value.to_owned();
    while enc.url.len() < MAX_PASSES && has_escape(&v) {
        // As `decode::percent`: `+` is a space only when the encoder also escaped `/` and `=`.
        let plus = !v.contains('/') && !v.contains('=');
        let spaced = if plus { v.replace('+', " ") } else { v.clone() };
        v = percent_decode_str(&spaced)
            .decode_utf8()
            .map_err(|_| "the URL-decoded value is not UTF-8".to_owned())?
            .into_owned();
        enc.url.insert(0, plus);
    }
    let trimmed = v.trim();
    if is_markup(trimmed.as_bytes()) {
        return Ok((enc, v));
    }
    let lead = v[..v.len() - v.trim_start().len()].to_owned();
    let trail = v[v.trim_end().len()..].to_owned();
    let wrap = trimmed.find('\n').map(|at| {
        let eol = if trimmed.contains("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        (trimmed[..at].trim_end_matches('\r').len(), eol)
    });
    let compact: String = trimmed.split_ascii_whitespace().collect();
    if compact.is_empty() {
        return Err("the value is empty".to_owned());
    }
    let url_safe = compact.contains(['-', '_']);
    let style = Base64Style {
        url_safe,
        padded: compact.ends_with('='),
        wrap,
        lead,
        trail,
    };
    let bytes = engine(url_safe, true)
        .decode(compact.as_bytes())
        .map_err(|e| format!("not base64: {e}"))?;
    enc.base64 = Some(style);
    let mut bytes = if is_markup(&bytes) {
        bytes
    } else {
        enc.deflate = true;
        let mut out = Vec::new();
        let limit = u64::try_from(limits.max_inflated_bytes).unwrap_or(u64::MAX);
        flate2::read::DeflateDecoder::new(bytes.as_slice())
            .take(limit.saturating_add(1))
            .read_to_end(&mut out)
            .map_err(|e| format!("neither XML nor DEFLATE data: {e}"))?;
        if out.len() > limits.max_inflated_bytes {
            return Err(format!(
                "the inflated value is over the limit of {} bytes",
                limits.max_inflated_bytes
            ));
        }
        if !is_markup(&out) {
            return Err("the value does not decode to XML".to_owned());
        }
        out
    };
    if bytes.starts_with(BOM) {
        enc.bom = true;
        bytes.drain(..BOM.len());
    }
    let text = String::from_utf8(bytes).map_err(|_| "the decoded XML is not UTF-8".to_owned())?;
    Ok((enc, text))
}

/// Puts rewritten XML text back into the layers it came out of.
pub(crate) fn encode(enc: &Encoding, xml: &str) -> String {
    let mut s = match &enc.base64 {
        None => xml.to_owned(),
        Some(style) => {
            let mut bytes = Vec::with_capacity(xml.len() + 3);
            if enc.bom {
                bytes.extend_from_slice(BOM);
            }
            bytes.extend_from_slice(xml.as_bytes());
            if enc.deflate {
                let mut e =
                    flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
                // Writing into a Vec cannot fail.
                let _ = e.write_all(&bytes);
                bytes = e.finish().unwrap_or_default();
            }
            let flat = engine(style.url_safe, style.padded).encode(&bytes);
            let body = match style.wrap {
                Some((width, eol)) if width > 0 => flat
                    .as_bytes()
                    .chunks(width)
                    .map(|c| String::from_utf8_lossy(c).into_owned())
                    .collect::<Vec<_>>()
                    .join(eol),
                _ => flat,
            };
            format!("{}{body}{}", style.lead, style.trail)
        }
    };
    for &plus in &enc.url {
        let e = utf8_percent_encode(&s, FORM).to_string();
        s = if plus { e.replace("%20", "+") } else { e };
    }
    s
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

fn engine(url_safe: bool, pad: bool) -> GeneralPurpose {
    let config = GeneralPurposeConfig::new()
        .with_encode_padding(pad)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true);
    let alphabet = if url_safe {
        &alphabet::URL_SAFE
    } else {
        &alphabet::STANDARD
    };
    GeneralPurpose::new(alphabet, config)
}

fn has_escape(v: &str) -> bool {
    let b = v.as_bytes();
    b.windows(3)
        .any(|w| w[0] == b'%' && w[1].is_ascii_hexdigit() && w[2].is_ascii_hexdigit())
}

/// Begins with `<` after a BOM and whitespace.
pub(crate) fn is_markup(bytes: &[u8]) -> bool {
    let b = bytes.strip_prefix(BOM).unwrap_or(bytes);
    b.trim_ascii_start().first() == Some(&b'<')
}

#[cfg(test)]
mod tests {
    use super::*;

    const XML: &str = "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\"/>";

    fn round_trip(value: &str) {
        let (enc, xml) = decode(value, &Limits::default()).unwrap();
        assert_eq!(xml, XML, "{value}");
        assert_eq!(encode(&enc, &xml), value, "{enc:?}");
    }

    #[test]
    fn every_encoding_comes_back_identical() {
        let b64 = base64::engine::general_purpose::STANDARD.encode(XML);
        round_trip(XML);
        round_trip(&b64);
        round_trip(&utf8_percent_encode(&b64, FORM).to_string());
        let once = utf8_percent_encode(&b64, FORM).to_string();
        round_trip(&utf8_percent_encode(&once, FORM).to_string());
        let wrapped: Vec<String> = b64
            .as_bytes()
            .chunks(16)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect();
        round_trip(&format!("\n{}\r\n", wrapped.join("\r\n")));
        let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(XML.as_bytes()).unwrap();
        let deflated = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(e.finish().unwrap());
        let (enc, xml) = decode(&deflated, &Limits::default()).unwrap();
        assert_eq!(xml, XML);
        assert_eq!(enc.layers(), ["base64", "deflate"]);
        assert_eq!(
            decode(&encode(&enc, XML), &Limits::default()).unwrap().1,
            XML
        );
    }

    #[test]
    fn masked_and_broken_values_are_refused() {
        for v in ["{hash:abc}", "", "!!!!", "QUJD"] {
            assert!(decode(v, &Limits::default()).is_err(), "{v}");
        }
    }
}
