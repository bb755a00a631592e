//! Percent-decoding of URL and form values, with the rule for `+`.
//!
//! A SAML value reaches us in one of three shapes:
//! - form-encoded (a raw POST body, Chrome's HAR `params`, a query string): base64's
//!   `+ / =` appear as `%2B %2F %3D`, and a literal `+` stands for a space;
//! - already decoded (Firefox's HAR `params`, a value copied from a tool): `+ / =`
//!   appear literally and there is no `%` at all (base64 never contains `%`);
//! - partly encoded by a tool that escapes only some characters (JavaScript's
//!   `encodeURI` escapes line breaks as `%0D%0A` but leaves `+ / =` alone).
//!
//! The rule, applied on each pass:
//! 1. A value without a single valid `%XX` escape is not percent-decoded at all, so a
//!    literal `+` stays a base64 `+`.
//! 2. Otherwise it is percent-decoded, and `+` becomes a space only when the value holds
//!    no literal `/` and no literal `=`. An encoder that escaped base64's `/` and `=`
//!    (every form encoder does) escaped `+` as well, so a literal `+` left in such a
//!    value can only be an encoded space. If `/` or `=` survived the encoder, it was a
//!    partial one that may have left `+` alone too, and `+` is kept.
//!
//! Spaces are removed before base64 decoding anyway, so reading `+` as a space simply
//! drops it. (A fully form-encoded value that happens to hold no `/` and no `=` is
//! read the same way; a partially encoded one without `/` or `=` is ambiguous, and
//! long base64 text essentially always contains a `/`.)
//!
//! A value is decoded again while it still holds escapes of base64 characters, `%`
//! or whitespace (`%2B %2F %3D %25 %0A`...): base64 text never contains `%`, so such
//! a value was URL-encoded twice. Passes are capped at [`MAX_PASSES`].

use std::borrow::Cow;

/// The most percent-decoding passes applied to one value.
pub(super) const MAX_PASSES: usize = 4;

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// The byte a `%XX` escape starting at the beginning of `bytes` stands for.
fn escape(bytes: &[u8]) -> Option<u8> {
    match bytes {
        [b'%', h, l, ..] => Some(hex(*h)? << 4 | hex(*l)?),
        _ => None,
    }
}

/// Whether `value` holds a valid `%XX` escape whose byte satisfies `wanted`.
fn has_escape_where(value: &[u8], wanted: impl Fn(u8) -> bool) -> bool {
    memchr::memchr_iter(b'%', value)
        .filter_map(|at| value.get(at..).and_then(escape))
        .any(wanted)
}

/// Whether `value` holds at least one valid `%XX` escape.
pub(super) fn has_escape(value: &[u8]) -> bool {
    has_escape_where(value, |_| true)
}

/// Whether a decoded value still holds escapes of characters base64 text is made of
/// (its alphabets, padding, whitespace) or of `%`: it was encoded more than once.
fn still_encoded(value: &[u8]) -> bool {
    has_escape_where(value, |b| {
        b.is_ascii_alphanumeric()
            || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_' | b'%')
            || b.is_ascii_whitespace()
    })
}

/// One percent-decoding pass (see the module docs for `+`). Invalid escapes are kept
/// as they are, so base64 decoding then names the stray `%`.
fn decode_pass(value: &[u8]) -> Vec<u8> {
    let plus_is_space = memchr::memchr2(b'/', b'=', value).is_none();
    let mut out = Vec::with_capacity(value.len());
    let mut rest = value;
    loop {
        let next = if plus_is_space {
            memchr::memchr2(b'%', b'+', rest)
        } else {
            memchr::memchr(b'%', rest)
        };
        let Some(at) = next else {
            out.extend_from_slice(rest);
            return out;
        };
        let (head, tail) = rest.split_at(at);
        out.extend_from_slice(head);
        if let Some(byte) = escape(tail) {
            out.push(byte);
            rest = tail.get(3..).unwrap_or_default();
        } else if let Some((&first, after)) = tail.split_first() {
            out.push(if first == b'+' { b' ' } else { first });
            rest = after;
        } else {
            return out;
        }
    }
}

/// Whether a whole form body or query string was URL-encoded once more, so that the
/// parameter name is followed by an encoded `=` (`SAMLResponse%3D...%26RelayState%3D`).
pub(super) fn is_encoded_envelope(raw: &[u8]) -> bool {
    // Both names end in an escape: a value without `%` (a bare base64 value) is
    // answered by one memchr pass instead of two substring searches (those were 0.9%
    // of `check`'s instructions on 7.8 KB values, callgrind).
    if memchr::memchr(b'%', raw).is_none() {
        return false;
    }
    ENVELOPE_FINDERS.iter().any(|finder| {
        let len = finder.needle().len();
        finder
            .find_iter(raw)
            .any(|at| matches!(raw.get(at + len), Some(b'D' | b'd')))
    })
}

/// Searchers for the encoded parameter names, built once: every payload is asked
/// [`is_encoded_envelope`].
static ENVELOPE_FINDERS: std::sync::LazyLock<[memchr::memmem::Finder<'static>; 2]> =
    std::sync::LazyLock::new(|| {
        [
            memchr::memmem::Finder::new(b"SAMLResponse%3"),
            memchr::memmem::Finder::new(b"SAMLRequest%3"),
        ]
    });

/// Decodes the envelope of [`is_encoded_envelope`] once; the value inside is decoded
/// later like any other.
pub(super) fn decode_envelope(raw: &[u8]) -> Vec<u8> {
    decode_pass(raw)
}

/// Percent-decodes `value` as often as it is encoded. Returns the value (borrowed when
/// nothing was decoded) and the number of passes applied.
pub(super) fn url_decode(value: &[u8]) -> (Cow<'_, [u8]>, usize) {
    if !has_escape(value) {
        return (Cow::Borrowed(value), 0);
    }
    let mut current = decode_pass(value);
    let mut passes = 1;
    while passes < MAX_PASSES && still_encoded(&current) {
        current = decode_pass(&current);
        passes += 1;
    }
    (Cow::Owned(current), passes)
}

/// Decodes an ordinary form value (`RelayState`): `+` is a space, escapes decoded
/// once, invalid UTF-8 replaced.
pub(super) fn form_value(value: &[u8]) -> String {
    let plus_free: Cow<'_, [u8]> = if memchr::memchr(b'+', value).is_some() {
        Cow::Owned(
            value
                .iter()
                .map(|&b| if b == b'+' { b' ' } else { b })
                .collect(),
        )
    } else {
        Cow::Borrowed(value)
    };
    percent_encoding::percent_decode(&plus_free)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(value: &str) -> (String, usize) {
        let (out, passes) = url_decode(value.as_bytes());
        (String::from_utf8_lossy(&out).into_owned(), passes)
    }

    #[test]
    fn plain_value_is_borrowed() {
        let (out, passes) = url_decode(b"PHg+Pw/a==");
        assert!(matches!(out, Cow::Borrowed(_)));
        assert_eq!(passes, 0);
    }

    #[test]
    fn chrome_form_value() {
        // Fully form-encoded: '+' is an encoded space (a line wrap here).
        assert_eq!(decoded("PHg%2BPw%2Fa+b%3D%3D"), ("PHg+Pw/a b==".into(), 1));
    }

    #[test]
    fn firefox_decoded_value_is_untouched() {
        assert_eq!(decoded("PHg+Pw/a+b=="), ("PHg+Pw/a+b==".into(), 0));
    }

    #[test]
    fn partial_encoder_keeps_plus() {
        // encodeURI: line breaks escaped, '+' '/' '=' literal.
        assert_eq!(decoded("PHg+Pw/a%0D%0Ab=="), ("PHg+Pw/a\r\nb==".into(), 1));
    }

    #[test]
    fn twice_encoded() {
        assert_eq!(decoded("PHg%252BPw%252Fa%253D"), ("PHg+Pw/a=".into(), 2));
        assert_eq!(decoded("a%25252B"), ("a+".into(), 3));
    }

    #[test]
    fn escapes_of_other_bytes_stop_the_passes() {
        assert_eq!(decoded("a%253C"), ("a%3C".into(), 1));
    }

    #[test]
    fn invalid_escapes_are_kept() {
        assert_eq!(decoded("ab%2Bc%zz%"), ("ab+c%zz%".into(), 1));
        assert_eq!(decoded("ab%zz"), ("ab%zz".into(), 0));
    }

    #[test]
    fn passes_are_capped() {
        let mut v = "%2B".to_owned();
        for _ in 0..10 {
            v = v.replace('%', "%25");
        }
        let (_, passes) = decoded(&v);
        assert_eq!(passes, MAX_PASSES);
    }

    #[test]
    fn relay_state() {
        assert_eq!(form_value(b"https%3A%2F%2Fx%2Fa+b"), "https://x/a b");
    }
}

#[cfg(test)]
mod envelope_tests {
    use super::*;

    #[test]
    fn encoded_envelopes_are_recognised() {
        assert!(is_encoded_envelope(b"SAMLResponse%3DPD94%26RelayState%3D"));
        assert!(is_encoded_envelope(b"x SAMLRequest%3dabc"));
        assert!(!is_encoded_envelope(b"SAMLResponse=PD94%3D"));
        assert!(!is_encoded_envelope(b"SAMLResponse%3"));
        assert_eq!(
            decode_envelope(b"SAMLResponse%3DPD94%253D%26RelayState%3D"),
            b"SAMLResponse=PD94%3D&RelayState=".to_vec()
        );
    }
}
