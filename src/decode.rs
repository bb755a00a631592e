//! Decoding a payload's raw value into XML text, leniently and explained: every
//! transformation applied is recorded as a [`Step`] so the user sees what was done.

mod b64;
mod extract;
mod inflate;
mod percent;
mod text;

use serde::Serialize;

use crate::input::{Binding, Payload, RawForm, SamlParam};
use crate::limits::Limits;

use extract::Source;
use inflate::Inflated;

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
    /// "`SAMLResponse` taken from surrounding text").
    pub notes: Vec<String>,
}

/// Why a payload could not be decoded. Each message says what was wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("the payload is empty")]
    Empty,
    #[error("{0}")]
    Invalid(String),
    /// A size limit was exceeded. `size` is exact for the payload and the decoded
    /// XML (checked before decoding); for an inflated payload inflating stops at
    /// `limit + 1` bytes, so `size` is that lower bound.
    #[error("{what} is {size} bytes, over the limit of {limit} bytes")]
    TooLarge {
        what: &'static str,
        size: usize,
        limit: usize,
    },
}

/// Decodes a payload's raw value.
///
/// Decoded XML (`RawForm::DecodedXml`) and values that already are markup are only
/// checked as UTF-8. Anything else is a base64 value, bare or inside a form body, URL
/// or line of text: it is URL-decoded (as often as it was encoded), base64-decoded and,
/// when the bytes are raw DEFLATE rather than markup, inflated.
///
/// # Errors
/// A [`DecodeError`] naming what was wrong when no XML or text can be recovered.
pub fn decode(payload: &Payload, limits: &Limits) -> Result<Decoded, DecodeError> {
    let raw = payload.raw.as_slice();
    check_size("payload", raw.len(), limits.max_payload_bytes)?;
    if text::trim_start(raw).trim_ascii_end().is_empty() {
        return Err(DecodeError::Empty);
    }
    let mut out = Decoded {
        text: String::new(),
        steps: Vec::with_capacity(4),
        binding: payload.binding,
        param: payload.param,
        relay_state: payload.relay_state.clone(),
        base64_len: None,
        notes: Vec::new(),
    };
    let raw = text::strip_bom(raw);
    if payload.form == RawForm::DecodedXml || text::is_markup(raw) {
        check_size("decoded XML", raw.len(), limits.max_xml_bytes)?;
        out.text = text::into_text(raw.to_vec(), &mut out.notes)?;
        out.steps.push(Step::Utf8);
        return Ok(out);
    }
    if let Some(bom) = text::utf16_bom(raw) {
        return Err(DecodeError::Invalid(format!(
            "the payload is UTF-16 text (byte-order mark {bom}); samlint reads UTF-8 or ASCII"
        )));
    }
    decode_value(raw, limits, out)
}

fn check_size(what: &'static str, size: usize, limit: usize) -> Result<(), DecodeError> {
    if size > limit {
        Err(DecodeError::TooLarge { what, size, limit })
    } else {
        Ok(())
    }
}

/// Decodes an encoded value: extract, URL-decode, base64-decode, inflate if needed.
fn decode_value(raw: &[u8], limits: &Limits, mut out: Decoded) -> Result<Decoded, DecodeError> {
    // A value copied out of a page's source keeps its character references
    // (`&#x2b;` for `+`): decode them as the browser would have. A value without `&`
    // has none; one memchr pass says so (validating UTF-8 and a char search for `&`
    // cost 1.4% of `check`'s instructions on 7.8 KB base64 values, callgrind).
    let unescaped;
    let raw = match memchr::memchr(b'&', raw)
        .and_then(|_| std::str::from_utf8(raw).ok())
        .and_then(crate::input::html::decode_references)
    {
        Some(text) => {
            unescaped = text;
            out.notes
                .push("HTML character references were decoded (&#x2b; is +)".to_owned());
            unescaped.as_bytes()
        }
        None => raw,
    };
    let envelope;
    let raw = if percent::is_encoded_envelope(raw) {
        envelope = percent::decode_envelope(raw);
        out.steps.push(Step::Url);
        out.notes
            .push("the whole form body or query string was URL-encoded".to_owned());
        envelope.as_slice()
    } else {
        raw
    };
    let found = extract::extract(raw, &mut out.notes)?;
    if found.param.is_some() {
        out.param = found.param;
    }
    if found.relay_state.is_some() {
        out.relay_state = found.relay_state;
    }
    // The container knows best; what the input's shape implies comes next.
    let hint = if out.binding == Binding::Unknown {
        found.binding
    } else {
        out.binding
    };

    let (value, passes) = percent::url_decode(found.value);
    out.steps.extend(std::iter::repeat_n(Step::Url, passes));
    match passes {
        0 | 1 => {}
        2 => out.notes.push("URL-encoded twice".to_owned()),
        n => out.notes.push(format!("URL-encoded {n} times")),
    }
    if text::is_markup(&value) {
        // URL-encoded XML, or XML given as a form value.
        check_size("decoded XML", value.len(), limits.max_xml_bytes)?;
        out.text = text::into_text(value.into_owned(), &mut out.notes)?;
        out.steps.push(Step::Utf8);
        return Ok(out);
    }

    let base64 = b64::prepare(&value)?;
    if base64.is_empty() {
        return Err(match (found.source, out.param) {
            (Source::Bare, _) | (_, None) => DecodeError::Empty,
            (_, Some(param)) => {
                DecodeError::Invalid(format!("the {} parameter is empty", param.name()))
            }
        });
    }
    out.base64_len = Some(base64.len);
    check_size("decoded XML", base64.decoded_len(), limits.max_xml_bytes)?;
    let bytes = base64.decode()?;
    out.steps.push(Step::Base64);
    if base64.url_safe {
        out.notes
            .push("base64 used the URL-safe alphabet ('-' and '_')".to_owned());
    }
    if base64.padding_missing {
        out.notes.push("base64 padding '=' was missing".to_owned());
    }
    drop(base64);
    drop(value);

    let (bytes, inflated) = after_base64(bytes, limits)?;
    if inflated {
        out.steps.push(Step::Inflate);
        if hint == Binding::Post {
            out.notes.push(
                "the form value was DEFLATE-compressed (HTTP-Redirect encoding) and was inflated"
                    .to_owned(),
            );
        }
        out.binding = Binding::Redirect;
    } else {
        if hint == Binding::Redirect {
            out.notes.push(
                "the value was not DEFLATE-compressed, which the HTTP-Redirect binding requires"
                    .to_owned(),
            );
        }
        out.binding = match hint {
            Binding::Unknown => Binding::Post,
            known => known,
        };
    }
    out.text = text::into_text(bytes, &mut out.notes)?;
    out.steps.push(Step::Utf8);
    Ok(out)
}

/// What base64 decoding gave, made into document bytes: markup as it is, raw DEFLATE
/// inflated (the flag says so). Errors name truncation or binary data.
fn after_base64(bytes: Vec<u8>, limits: &Limits) -> Result<(Vec<u8>, bool), DecodeError> {
    if text::is_markup(&bytes) {
        let problem = if text::ends_mid_document(&bytes) {
            Some(DecodeError::Invalid(format!(
                "base64 is truncated: the decoded XML ends mid-document, with \"{}\"",
                tail(&bytes)
            )))
        } else {
            None
        };
        let utf8 = std::str::from_utf8(text::strip_bom(&bytes)).is_ok();
        if problem.is_none() && utf8 {
            return Ok((bytes, false));
        }
        // Raw DEFLATE may begin with '<' by chance: before reporting a problem with the
        // markup, see whether the bytes inflate to markup.
        if let Inflated::Complete(inflated) = inflate::inflate(&bytes, limits.max_inflated_bytes)
            && text::is_markup(&inflated)
        {
            check_size("decoded XML", inflated.len(), limits.max_xml_bytes)?;
            return Ok((inflated, true));
        }
        return match problem {
            Some(err) => Err(err),
            // `into_text` names the byte that is not UTF-8.
            None => Ok((bytes, false)),
        };
    }
    if let Some(bom) = text::utf16_bom(&bytes) {
        return Err(DecodeError::Invalid(format!(
            "not UTF-8: base64 decoded to UTF-16 text (byte-order mark {bom}); \
             samlint reads UTF-8 only"
        )));
    }
    match inflate::inflate(&bytes, limits.max_inflated_bytes) {
        Inflated::Complete(inflated)
            if text::is_markup(&inflated)
                || (!inflated.is_empty() && std::str::from_utf8(&inflated).is_ok()) =>
        {
            check_size("decoded XML", inflated.len(), limits.max_xml_bytes)?;
            Ok((inflated, true))
        }
        Inflated::Incomplete(partial) if text::is_markup(&partial) => {
            Err(DecodeError::Invalid(format!(
                "base64 is truncated: the DEFLATE data ends early, after {} bytes of XML \
                 ending with \"{}\"",
                partial.len(),
                tail(&partial)
            )))
        }
        Inflated::TooLarge(size) => Err(DecodeError::TooLarge {
            what: "inflated payload",
            size,
            limit: limits.max_inflated_bytes,
        }),
        Inflated::Complete(_) | Inflated::Incomplete(_) | Inflated::Invalid => {
            Err(DecodeError::Invalid(format!(
                "not a SAML value: base64 of {} bytes of binary data, neither XML nor DEFLATE{}",
                crate::report::text::group(bytes.len()),
                compression_hint(&bytes)
            )))
        }
    }
}

/// The last characters of a document, for a message.
fn tail(bytes: &[u8]) -> String {
    let bytes = bytes.trim_ascii_end();
    let from = bytes.len().saturating_sub(24);
    let tail = String::from_utf8_lossy(bytes.get(from..).unwrap_or_default());
    let tail = tail.trim_start_matches('\u{FFFD}');
    format!("...{}", tail.escape_debug())
}

/// Names gzip or zlib data, which SAML bindings do not use.
fn compression_hint(bytes: &[u8]) -> &'static str {
    match bytes {
        [0x1F, 0x8B, ..] => " (it is gzip data; SAML bindings use raw DEFLATE)",
        [cmf, flg, ..] if cmf & 0x0F == 8 && (u16::from(*cmf) << 8 | u16::from(*flg)) % 31 == 0 => {
            " (it looks like zlib data; SAML bindings use raw DEFLATE)"
        }
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use base64::Engine as _;
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
    use flate2::Compression;
    use flate2::write::DeflateEncoder;
    use proptest::prelude::*;

    use super::*;
    use crate::input::{Origin, OriginKind};

    /// A small Response whose standard base64 holds '+', '/' and "==" padding.
    const XML: &str = concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?><samlp:Response "#,
        r#"xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="id4711??" Version="2.0" "#,
        r#"IssueInstant="2026-01-15T10:00:00Z" Destination="https://signin.aws.amazon.com/saml">"#,
        r#"<saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">http://www.okta.com/exk1"#,
        r#"</saml:Issuer><samlp:Status><samlp:StatusCode "#,
        r#"Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:Response>"#
    );

    const AUTHN_REQUEST: &str = concat!(
        r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" "#,
        r#"ID="_a1" Version="2.0" IssueInstant="2026-01-15T10:00:00Z" "#,
        r#"AssertionConsumerServiceURL="https://signin.aws.amazon.com/saml"/>"#
    );

    fn payload(raw: impl Into<Vec<u8>>) -> Payload {
        Payload {
            origin: Origin::new(OriginKind::Paste),
            binding: Binding::Unknown,
            param: None,
            relay_state: None,
            raw: raw.into(),
            form: RawForm::Encoded,
            duplicate: None,
        }
    }

    fn run(raw: impl Into<Vec<u8>>) -> Result<Decoded, DecodeError> {
        decode(&payload(raw), &Limits::default())
    }

    fn ok(raw: impl Into<Vec<u8>>) -> Decoded {
        match run(raw) {
            Ok(d) => d,
            Err(e) => panic!("decode failed: {e}"),
        }
    }

    fn invalid(raw: impl Into<Vec<u8>>) -> String {
        match run(raw) {
            Err(DecodeError::Invalid(m)) => m,
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    fn b64(data: &[u8]) -> String {
        STANDARD.encode(data)
    }

    fn deflate(data: &[u8]) -> Vec<u8> {
        let mut enc = DeflateEncoder::new(Vec::new(), Compression::default());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    /// `application/x-www-form-urlencoded`, as a browser sends a form (Chrome's HAR).
    fn form_encode(value: &str) -> String {
        form_urlencoded::byte_serialize(value.as_bytes()).collect()
    }

    fn wrap(text: &str, width: usize, eol: &str) -> String {
        text.as_bytes()
            .chunks(width)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect::<Vec<_>>()
            .join(eol)
    }

    use Step::{Base64, Inflate, Url, Utf8};

    #[test]
    fn sample_base64_has_plus_slash_and_padding() {
        let encoded = b64(XML.as_bytes());
        assert!(encoded.contains('+') && encoded.contains('/') && encoded.ends_with("=="));
    }

    #[test]
    fn plain_base64() {
        let encoded = b64(XML.as_bytes());
        let d = ok(encoded.clone());
        assert_eq!(d.text, XML);
        assert_eq!(d.steps, [Base64, Utf8]);
        assert_eq!(d.binding, Binding::Post);
        assert_eq!(d.base64_len, Some(encoded.len()));
        assert_eq!(d.param, None);
        assert!(d.notes.is_empty(), "{:?}", d.notes);
    }

    #[test]
    fn line_wrapped_crlf_base64() {
        let encoded = b64(XML.as_bytes());
        let d = ok(format!("{}\r\n", wrap(&encoded, 76, "\r\n")));
        assert_eq!(d.text, XML);
        assert_eq!(d.steps, [Base64, Utf8]);
        assert_eq!(d.base64_len, Some(encoded.len()));
    }

    #[test]
    fn whitespace_inside_base64() {
        let encoded = b64(XML.as_bytes());
        let d = ok(format!("\u{FEFF}  {}\n", wrap(&encoded, 10, " \t ")));
        assert_eq!(d.text, XML);
        assert_eq!(d.base64_len, Some(encoded.len()));
    }

    #[test]
    fn url_safe_without_padding() {
        let encoded = URL_SAFE_NO_PAD.encode(XML);
        assert!(encoded.contains('-') && encoded.contains('_'));
        let d = ok(encoded.clone());
        assert_eq!(d.text, XML);
        assert_eq!(d.steps, [Base64, Utf8]);
        assert_eq!(d.base64_len, Some(encoded.len()));
        assert_eq!(
            d.notes,
            [
                "base64 used the URL-safe alphabet ('-' and '_')",
                "base64 padding '=' was missing"
            ]
        );
    }

    #[test]
    fn form_body_chrome() {
        let encoded = b64(XML.as_bytes());
        let body = format!(
            "SAMLResponse={}&RelayState={}",
            form_encode(&encoded),
            form_encode("https://console.aws.amazon.com/ec2/home?a=b c")
        );
        assert!(body.contains("%2B") && body.contains("%2F") && body.contains("%3D"));
        let d = ok(body);
        assert_eq!(d.text, XML);
        assert_eq!(d.steps, [Url, Base64, Utf8]);
        assert_eq!(d.param, Some(SamlParam::Response));
        assert_eq!(
            d.relay_state.as_deref(),
            Some("https://console.aws.amazon.com/ec2/home?a=b c")
        );
        assert_eq!(d.binding, Binding::Post);
        assert_eq!(d.base64_len, Some(encoded.len()));
        assert!(d.notes.is_empty(), "{:?}", d.notes);
    }

    #[test]
    fn chrome_param_value_percent_encoded() {
        // Chrome's HAR `params` keep the value form-encoded; wrapped lines become '+'.
        let wrapped = wrap(&b64(XML.as_bytes()), 60, " ");
        let value = form_encode(&wrapped);
        assert!(value.contains('+') && value.contains("%2B"));
        let mut p = payload(value);
        p.param = Some(SamlParam::Response);
        p.binding = Binding::Post;
        let d = decode(&p, &Limits::default()).unwrap();
        assert_eq!(d.text, XML);
        assert_eq!(d.steps, [Url, Base64, Utf8]);
        assert_eq!(d.param, Some(SamlParam::Response));
    }

    #[test]
    fn firefox_decoded_value_keeps_plus() {
        // Firefox's HAR `params` hold the decoded value: '+' is base64's '+'.
        let encoded = b64(XML.as_bytes());
        let mut p = payload(encoded.clone());
        p.param = Some(SamlParam::Response);
        p.relay_state = Some("https://console.aws.amazon.com/".to_owned());
        p.binding = Binding::Post;
        let d = decode(&p, &Limits::default()).unwrap();
        assert_eq!(d.text, XML);
        assert_eq!(d.steps, [Base64, Utf8]);
        assert_eq!(
            d.relay_state.as_deref(),
            Some("https://console.aws.amazon.com/")
        );
        // The same decoded value inside a hand-written form body.
        let d = ok(format!("SAMLResponse={encoded}&RelayState=x"));
        assert_eq!(d.text, XML);
        assert_eq!(d.steps, [Base64, Utf8]);
        assert_eq!(d.relay_state.as_deref(), Some("x"));
    }

    #[test]
    fn double_url_encoded() {
        let twice = form_encode(&form_encode(&b64(XML.as_bytes())));
        assert!(twice.contains("%253D"));
        let d = ok(format!("SAMLResponse={twice}"));
        assert_eq!(d.text, XML);
        assert_eq!(d.steps, [Url, Url, Base64, Utf8]);
        assert_eq!(d.notes, ["URL-encoded twice"]);
    }

    #[test]
    fn log_line() {
        let line = format!(
            "2026-01-15T10:00:00Z INFO acs POST SAMLResponse={}&RelayState=abc user=jane\n",
            form_encode(&b64(XML.as_bytes()))
        );
        let d = ok(line);
        assert_eq!(d.text, XML);
        assert_eq!(d.steps, [Url, Base64, Utf8]);
        assert_eq!(d.param, Some(SamlParam::Response));
        assert_eq!(d.relay_state.as_deref(), Some("abc"));
        assert_eq!(d.notes, ["SAMLResponse taken from surrounding text"]);
    }

    #[test]
    fn redirect_url_with_raw_deflate() {
        let value = b64(&deflate(AUTHN_REQUEST.as_bytes()));
        let url = format!(
            "https://example.okta.com/app/amazon_aws/exk1/sso/saml?SAMLRequest={}&RelayState={}\
             &SigAlg=http%3A%2F%2Fwww.w3.org%2F2001%2F04%2Fxmldsig-more%23rsa-sha256&Signature=abc%3D",
            form_encode(&value),
            form_encode("https://signin.aws.amazon.com/")
        );
        let d = ok(url);
        assert_eq!(d.text, AUTHN_REQUEST);
        assert_eq!(d.steps, [Url, Base64, Inflate, Utf8]);
        assert_eq!(d.binding, Binding::Redirect);
        assert_eq!(d.param, Some(SamlParam::Request));
        assert_eq!(
            d.relay_state.as_deref(),
            Some("https://signin.aws.amazon.com/")
        );
        assert_eq!(d.base64_len, Some(value.len()));
        assert!(d.notes.is_empty(), "{:?}", d.notes);
    }

    #[test]
    fn saml_request_in_a_form_body() {
        let d = ok(format!(
            "SAMLRequest={}",
            form_encode(&b64(AUTHN_REQUEST.as_bytes()))
        ));
        assert_eq!(d.text, AUTHN_REQUEST);
        assert_eq!(d.param, Some(SamlParam::Request));
        assert_eq!(d.binding, Binding::Post);
    }

    #[test]
    fn form_value_that_is_deflated_is_inflated() {
        let d = ok(format!(
            "SAMLResponse={}",
            form_encode(&b64(&deflate(XML.as_bytes())))
        ));
        assert_eq!(d.text, XML);
        assert_eq!(d.steps, [Url, Base64, Inflate, Utf8]);
        assert_eq!(d.binding, Binding::Redirect);
        assert_eq!(d.notes.len(), 1);
    }

    #[test]
    fn query_value_that_is_not_deflated() {
        let d = ok(format!(
            "https://signin.aws.amazon.com/saml?SAMLResponse={}",
            form_encode(&b64(XML.as_bytes()))
        ));
        assert_eq!(d.text, XML);
        assert_eq!(d.steps, [Url, Base64, Utf8]);
        assert_eq!(d.binding, Binding::Redirect);
        assert_eq!(
            d.notes,
            ["the value was not DEFLATE-compressed, which the HTTP-Redirect binding requires"]
        );
    }

    #[test]
    fn deflate_that_looks_like_markup() {
        // A final stored block: header byte '\t', then LEN = 0x003C ('<' 0x00), NLEN.
        let data = format!("<a>{}</a>", "x".repeat(53));
        assert_eq!(data.len(), 0x3C);
        let mut stream = vec![0x09, 0x3C, 0x00, 0xC3, 0xFF];
        stream.extend_from_slice(data.as_bytes());
        let d = ok(b64(&stream));
        assert_eq!(d.text, data);
        assert_eq!(d.steps, [Base64, Inflate, Utf8]);
    }

    #[test]
    fn raw_xml() {
        let d = ok(format!("\u{FEFF}\n{XML}\n"));
        assert_eq!(d.text, format!("\n{XML}\n"));
        assert_eq!(d.steps, [Utf8]);
        assert_eq!(d.binding, Binding::Unknown);
        assert_eq!(d.base64_len, None);
    }

    #[test]
    fn decoded_xml_form() {
        let mut p = payload(XML);
        p.form = RawForm::DecodedXml;
        let d = decode(&p, &Limits::default()).unwrap();
        assert_eq!(d.text, XML);
        assert_eq!(d.steps, [Utf8]);
    }

    #[test]
    fn html_page_passes_through() {
        let html = "<!DOCTYPE html>\n<html><body><form method=\"post\">\
                    <input name=\"SAMLResponse\" value=\"PHg+\"/></form></body></html>";
        let d = ok(html);
        assert_eq!(d.text, html);
        assert_eq!(d.steps, [Utf8]);
        // Base64 of an HTML error page is text too.
        let d = ok(b64(html.as_bytes()));
        assert_eq!(d.text, html);
        assert_eq!(d.steps, [Base64, Utf8]);
    }

    #[test]
    fn url_encoded_xml() {
        let d = ok(format!("SAMLResponse={}", form_encode(XML)));
        assert_eq!(d.text, XML);
        assert_eq!(d.steps, [Url, Utf8]);
    }

    #[test]
    fn truncated_base64() {
        let encoded = b64(XML.as_bytes());
        let cut = encoded.get(..401).unwrap();
        assert!(invalid(cut).starts_with("base64 is truncated: 401 characters"));
        let cut = encoded.get(..400).unwrap();
        let msg = invalid(cut);
        assert!(
            msg.starts_with("base64 is truncated: the decoded XML ends mid-document"),
            "{msg}"
        );
        let cut = encoded.get(..402).unwrap();
        assert!(invalid(cut).starts_with("base64 is truncated"));
        // A Redirect value cut off inside the DEFLATE data.
        let big = XML.repeat(40);
        let deflated = deflate(big.as_bytes());
        let value = b64(deflated.get(..deflated.len() / 2).unwrap());
        let msg = invalid(format!("SAMLRequest={}", form_encode(&value)));
        assert!(
            msg.starts_with("base64 is truncated: the DEFLATE data ends early"),
            "{msg}"
        );
    }

    #[test]
    fn html_character_references_in_a_pasted_value() {
        let encoded = b64(XML.as_bytes());
        assert!(encoded.contains('+') || encoded.contains('='));
        let escaped = encoded.replace('+', "&#x2b;").replace('=', "&#61;");
        let d = ok(escaped);
        assert_eq!(d.text, XML);
        assert_eq!(
            d.notes,
            ["HTML character references were decoded (&#x2b; is +)"]
        );
        // In a form body copied from a page, `&amp;` separates the parameters.
        let d = ok(format!(
            "SAMLResponse={}&amp;RelayState=r",
            encoded.replace('+', "&#43;")
        ));
        assert_eq!(d.text, XML);
        assert_eq!(d.relay_state.as_deref(), Some("r"));
    }

    #[test]
    fn invalid_character() {
        let mut encoded = b64(XML.as_bytes());
        encoded.insert(10, '!');
        assert_eq!(
            invalid(encoded),
            "not base64: unexpected character '!' at offset 10"
        );
    }

    #[test]
    fn binary_that_is_not_xml() {
        let noise: Vec<u8> = (0..64u8).map(|i| i.wrapping_mul(97) | 0x80).collect();
        assert_eq!(
            invalid(b64(&noise)),
            "not a SAML value: base64 of 64 bytes of binary data, neither XML nor DEFLATE"
        );
        let gzip = [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00];
        assert!(invalid(b64(&gzip)).ends_with("(it is gzip data; SAML bindings use raw DEFLATE)"));
    }

    #[test]
    fn inflate_bomb_over_the_limit() {
        let bomb = deflate(&vec![b' '; 1 << 20]);
        let limits = Limits {
            max_inflated_bytes: 64 * 1024,
            ..Limits::default()
        };
        let url = format!(
            "https://idp.example/sso?SAMLRequest={}",
            form_encode(&b64(&bomb))
        );
        assert_eq!(
            decode(&payload(url), &limits).unwrap_err(),
            DecodeError::TooLarge {
                what: "inflated payload",
                size: 64 * 1024 + 1,
                limit: 64 * 1024
            }
        );
    }

    #[test]
    fn payload_over_the_limit() {
        let limits = Limits {
            max_payload_bytes: 100,
            ..Limits::default()
        };
        let err = decode(&payload(vec![b'A'; 101]), &limits).unwrap_err();
        assert_eq!(
            err,
            DecodeError::TooLarge {
                what: "payload",
                size: 101,
                limit: 100
            }
        );
    }

    #[test]
    fn decoded_xml_over_the_limit_is_refused_before_decoding() {
        let limits = Limits {
            max_xml_bytes: 300,
            ..Limits::default()
        };
        let encoded = b64(XML.as_bytes());
        let err = decode(&payload(encoded), &limits).unwrap_err();
        assert_eq!(
            err,
            DecodeError::TooLarge {
                what: "decoded XML",
                size: XML.len(),
                limit: 300
            }
        );
        assert_eq!(
            decode(&payload(XML), &limits).unwrap_err(),
            DecodeError::TooLarge {
                what: "decoded XML",
                size: XML.len(),
                limit: 300
            }
        );
    }

    #[test]
    fn empty() {
        assert_eq!(run("").err(), Some(DecodeError::Empty));
        assert_eq!(run(" \r\n\t").err(), Some(DecodeError::Empty));
        assert_eq!(run("\u{FEFF}\n").err(), Some(DecodeError::Empty));
        assert_eq!(run("%20%0A").err(), Some(DecodeError::Empty));
        assert_eq!(
            invalid("SAMLResponse=&RelayState=x"),
            "the SAMLResponse parameter is empty"
        );
        let mut p = payload("");
        p.form = RawForm::DecodedXml;
        assert_eq!(
            decode(&p, &Limits::default()).err(),
            Some(DecodeError::Empty)
        );
    }

    #[test]
    fn not_utf8() {
        let msg = invalid(b64(b"<a>caf\xE9</a>"));
        assert_eq!(msg, "not UTF-8 at byte 6");
        let msg = invalid(b64(
            b"<?xml version=\"1.0\" encoding=\"windows-1252\"?><a>caf\xE9</a>",
        ));
        assert!(
            msg.contains("the XML declares encoding=\"windows-1252\" and has non-ASCII bytes"),
            "{msg}"
        );
        let msg = invalid(b"<a>caf\xE9</a>".to_vec());
        assert_eq!(msg, "not UTF-8 at byte 6");
    }

    #[test]
    fn form_without_saml_parameter() {
        assert_eq!(
            invalid("username=jane&password=x&RelayState=abc"),
            "no SAMLResponse or SAMLRequest parameter in the form body \
             (found: username, password, RelayState)"
        );
    }

    #[test]
    fn utf16_payload() {
        assert!(invalid(b"\xFF\xFEP\0H\0".to_vec()).contains("UTF-16"));
    }

    proptest! {
        #[test]
        fn never_panics_on_bytes(raw in proptest::collection::vec(any::<u8>(), 0..600), xml in any::<bool>()) {
            let mut p = payload(raw);
            if xml {
                p.form = RawForm::DecodedXml;
            }
            let _ = decode(&p, &Limits::default());
            let small = Limits { max_payload_bytes: 400, max_xml_bytes: 200, max_inflated_bytes: 100, ..Limits::default() };
            let _ = decode(&p, &small);
        }

        #[test]
        fn never_panics_on_likely_text(
            raw in "(SAMLResponse=|SAMLRequest=|RelayState=|https://a/b\\?|[A-Za-z0-9+/=_%&?<> \r\n-]){0,40}"
        ) {
            let _ = decode(&payload(raw), &Limits::default());
        }

        #[test]
        fn never_panics_on_base64_of_bytes(data in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = decode(&payload(b64(&data)), &Limits::default());
            let _ = decode(&payload(b64(&deflate(&data))), &Limits::default());
        }

        #[test]
        fn base64_of_xml_round_trips(body in any::<String>(), width in 4usize..120) {
            let xml = format!("<r>{body}</r>");
            let encoded = b64(xml.as_bytes());
            prop_assert_eq!(&ok(encoded.clone()).text, &xml);
            prop_assert_eq!(&ok(wrap(&encoded, width, "\r\n")).text, &xml);
            prop_assert_eq!(&ok(URL_SAFE_NO_PAD.encode(&xml)).text, &xml);
            let form = ok(format!("SAMLResponse={}&RelayState=r", form_encode(&encoded)));
            prop_assert_eq!(&form.text, &xml);
            prop_assert_eq!(form.base64_len, Some(encoded.len()));
            let redirect = ok(format!(
                "https://idp.example/sso?SAMLRequest={}",
                form_encode(&b64(&deflate(xml.as_bytes())))
            ));
            prop_assert_eq!(&redirect.text, &xml);
            prop_assert!(redirect.steps.ends_with(&[Base64, Inflate, Utf8]));
            prop_assert_eq!(redirect.binding, Binding::Redirect);
        }
    }
}
