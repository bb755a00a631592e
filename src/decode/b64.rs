//! Base64: lenient about layout (whitespace, line wraps, URL-safe alphabet, missing
//! padding), strict about content (any other character, mixed alphabets, extra
//! padding, truncation).

use std::borrow::Cow;

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

use super::DecodeError;

/// Padding is removed before decoding, and a final group with leftover bits is
/// refused: canonical encoders leave those bits zero, so they mean a cut-off value.
const CONFIG: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_encode_padding(false)
    .with_decode_padding_mode(DecodePaddingMode::RequireNone)
    .with_decode_allow_trailing_bits(false);
const STANDARD: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, CONFIG);
const URL_SAFE: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, CONFIG);

/// What one byte of base64 text is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    /// `A-Z a-z 0-9`: in both alphabets.
    Common,
    /// `+ /`: standard alphabet only.
    Standard,
    /// `- _`: URL-safe alphabet only.
    UrlSafe,
    Pad,
    Space,
    Other,
}

const CLASSES: [Class; 256] = {
    let mut table = [Class::Other; 256];
    let mut b = 0;
    while b < 256 {
        #[allow(clippy::cast_possible_truncation)]
        let byte = b as u8;
        table[b] = match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => Class::Common,
            b'+' | b'/' => Class::Standard,
            b'-' | b'_' => Class::UrlSafe,
            b'=' => Class::Pad,
            b' ' | b'\t' | b'\n' | b'\r' | 0x0C => Class::Space,
            _ => Class::Other,
        };
        b += 1;
    }
    table
};

const F_COMMON: u8 = 1;
const F_STANDARD: u8 = 2;
const F_URL_SAFE: u8 = 4;
const F_OTHER: u8 = 8;

/// [`CLASSES`] as bit flags: the definition [`alphabet_flags`] is tested against.
#[cfg(test)]
const FLAGS: [u8; 256] = {
    let mut table = [F_OTHER; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match CLASSES[b] {
            Class::Common => F_COMMON,
            Class::Standard => F_STANDARD,
            Class::UrlSafe => F_URL_SAFE,
            Class::Pad | Class::Space | Class::Other => F_OTHER,
        };
        b += 1;
    }
    table
};

fn class(b: u8) -> Class {
    CLASSES[usize::from(b)]
}

/// Base64 text checked and ready to decode.
#[derive(Debug)]
pub(super) struct Base64Text<'a> {
    /// The symbols, whitespace and padding removed.
    symbols: Cow<'a, [u8]>,
    /// Length with padding, whitespace removed (what `response-too-large` measures).
    pub(super) len: usize,
    pub(super) url_safe: bool,
    pub(super) padding_missing: bool,
}

impl Base64Text<'_> {
    pub(super) fn is_empty(&self) -> bool {
        self.symbols.is_empty()
    }

    /// The exact number of bytes decoding yields (checked before allocating).
    pub(super) fn decoded_len(&self) -> usize {
        let n = self.symbols.len();
        n / 4 * 3 + (n % 4).saturating_sub(1)
    }

    /// Decodes the symbols.
    pub(super) fn decode(&self) -> Result<Vec<u8>, DecodeError> {
        // The symbols were checked by `prepare`: a SIMD decoder takes the usual value.
        // It refuses what the exact decoder below refuses (a test holds them
        // together), and the exact decoder then says what is wrong.
        let fast = if self.url_safe {
            &base64_simd::URL_SAFE_NO_PAD
        } else {
            &base64_simd::STANDARD_NO_PAD
        };
        if let Ok(out) = fast.decode_to_vec(&self.symbols) {
            return Ok(out);
        }
        let engine = if self.url_safe { &URL_SAFE } else { &STANDARD };
        let mut out = Vec::with_capacity(self.decoded_len());
        engine
            .decode_vec(&self.symbols, &mut out)
            .map_err(|err| match err {
                base64::DecodeError::InvalidLastSymbol { .. } => DecodeError::Invalid(format!(
                    "base64 is truncated: the last group of {} characters ends with leftover \
                     bits, so the value was cut off",
                    self.symbols.len() % 4
                )),
                other => DecodeError::Invalid(format!("not base64: {other}")),
            })?;
        Ok(out)
    }
}

/// Describes the character at `at` for a message: `'x'`, `'\u{7}'`, `'é' (U+00E9)` or
/// `byte 0xFF`.
pub(super) fn describe_char(bytes: &[u8], at: usize) -> String {
    let rest = bytes.get(at..).unwrap_or_default();
    let Some(&b) = rest.first() else {
        return "end of input".to_owned();
    };
    if b.is_ascii_graphic() {
        return format!("'{}'", char::from(b));
    }
    if b.is_ascii() {
        return format!("'{}'", char::from(b).escape_debug());
    }
    let head = rest.get(..rest.len().min(4)).unwrap_or(rest);
    match head
        .utf8_chunks()
        .next()
        .and_then(|c| c.valid().chars().next())
    {
        Some(c) => format!("'{c}' (U+{:04X})", u32::from(c)),
        None => format!("byte 0x{b:02X}"),
    }
}

/// The class flags (`F_*`, as [`CLASSES`] defines them) of every byte of `body`,
/// OR-ed together.
///
/// Computed with range checks rather than a table lookup so the loop vectorizes;
/// a test holds it to the table.
fn alphabet_flags(body: &[u8]) -> u8 {
    // One accumulator per class, so the loop is four independent OR-reductions.
    let (mut common, mut standard, mut url_safe, mut other) = (0u8, 0u8, 0u8, 0u8);
    for &b in body {
        let letter = (b | 0x20).wrapping_sub(b'a') < 26;
        let digit = b.wrapping_sub(b'0') < 10;
        let std = b == b'+' || b == b'/';
        let url = b == b'-' || b == b'_';
        common |= u8::from(letter | digit);
        standard |= u8::from(std);
        url_safe |= u8::from(url);
        other |= u8::from(!(letter | digit | std | url));
    }
    (common * F_COMMON) | (standard * F_STANDARD) | (url_safe * F_URL_SAFE) | (other * F_OTHER)
}

/// Checks `value` as base64 and removes whitespace, in one pass. Offsets in messages
/// are offsets into `value`.
pub(super) fn prepare(value: &[u8]) -> Result<Base64Text<'_>, DecodeError> {
    // Fast path for the shape nearly every capture has (one alphabet, no whitespace,
    // padding only at the end): one branch-free pass. Anything else takes the exact
    // loop below, which names the offending character.
    // A line break at the end (a saved file) or around the value does not count.
    let trimmed = value.trim_ascii();
    let lead = value.len() - value.trim_ascii_start().len();
    let trailing = trimmed.iter().rev().take_while(|&&b| b == b'=').count();
    let body = trimmed.get(..trimmed.len() - trailing).unwrap_or_default();
    let seen = alphabet_flags(body);
    if seen & !(F_COMMON | F_STANDARD | F_URL_SAFE) == 0
        && seen & (F_STANDARD | F_URL_SAFE) != (F_STANDARD | F_URL_SAFE)
    {
        return finish(
            trimmed,
            Scan {
                spaces: false,
                url_safe: seen & F_URL_SAFE != 0,
                first_pad: (trailing > 0).then_some(lead + body.len()),
                pads: trailing,
            },
        );
    }
    let mut spaces = false;
    let mut first_standard = None;
    let mut first_url_safe = None;
    let mut first_pad = None;
    let mut pads = 0usize;
    for (at, &b) in value.iter().enumerate() {
        let class = class(b);
        if class == Class::Space {
            spaces = true;
            continue;
        }
        if let Some(pad_at) = first_pad
            && class != Class::Pad
        {
            return Err(DecodeError::Invalid(format!(
                "not base64: padding '=' at offset {pad_at} is followed by {} at offset {at}",
                describe_char(value, at)
            )));
        }
        match class {
            Class::Common | Class::Space => {}
            Class::Standard => {
                first_standard.get_or_insert(at);
            }
            Class::UrlSafe => {
                first_url_safe.get_or_insert(at);
            }
            Class::Pad => {
                first_pad.get_or_insert(at);
                pads += 1;
            }
            Class::Other => {
                return Err(DecodeError::Invalid(format!(
                    "not base64: unexpected character {} at offset {at}",
                    describe_char(value, at)
                )));
            }
        }
    }
    if let (Some(s), Some(u)) = (first_standard, first_url_safe) {
        return Err(DecodeError::Invalid(format!(
            "not base64: mixes the standard alphabet ({} at offset {s}) and the URL-safe \
             alphabet ({} at offset {u})",
            describe_char(value, s),
            describe_char(value, u)
        )));
    }
    finish(
        value,
        Scan {
            spaces,
            url_safe: first_url_safe.is_some(),
            first_pad,
            pads,
        },
    )
}

/// What the character scan found, for [`finish`].
#[derive(Clone, Copy)]
struct Scan {
    spaces: bool,
    url_safe: bool,
    /// Offset of the first `=`; all later characters are `=` or whitespace.
    first_pad: Option<usize>,
    pads: usize,
}

fn finish(value: &[u8], scan: Scan) -> Result<Base64Text<'_>, DecodeError> {
    let Scan {
        spaces,
        url_safe,
        first_pad,
        pads,
    } = scan;
    let stripped: Cow<'_, [u8]> = if spaces {
        Cow::Owned(
            value
                .iter()
                .copied()
                .filter(|&b| class(b) != Class::Space)
                .collect(),
        )
    } else {
        Cow::Borrowed(value)
    };
    let len = stripped.len();
    let n = len - pads;
    // Padding completes the last group of 4: 2 symbols take "==", 3 take "=".
    let needed = match n % 4 {
        0 => 0,
        // A SAML message in base64 is hundreds of characters at least: a short
        // value (`hello`) is not a cut-off one.
        1 if n < 64 => {
            return Err(DecodeError::Invalid(format!(
                "not a SAML value: {n} characters of text, neither XML nor a base64 SAML message"
            )));
        }
        1 => {
            return Err(DecodeError::Invalid(format!(
                "base64 is truncated: {n} characters leave 1 character over after the last \
                 whole group of 4, so the value was cut off"
            )));
        }
        2 => 2,
        _ => 1,
    };
    if pads > needed {
        let at = first_pad.unwrap_or_default();
        return Err(DecodeError::Invalid(format!(
            "not base64: {pads} padding '=' at offset {at}, where {needed} can follow \
             {n} characters"
        )));
    }
    let symbols = match stripped {
        Cow::Borrowed(b) => Cow::Borrowed(b.get(..n).unwrap_or(b)),
        Cow::Owned(mut v) => {
            v.truncate(n);
            Cow::Owned(v)
        }
    };
    Ok(Base64Text {
        symbols,
        len,
        url_safe,
        padding_missing: pads < needed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(value: &str) -> Result<Vec<u8>, DecodeError> {
        prepare(value.as_bytes())?.decode()
    }

    proptest::proptest! {
        /// The SIMD path gives what the exact decoder gives, for any symbols of either
        /// alphabet, any length, canonical last group or not.
        #[test]
        fn fast_and_exact_decoders_agree(
            picks in proptest::collection::vec(0usize..64, 0..300),
            url_safe in proptest::bool::ANY,
        ) {
            let alphabet: &[u8] = if url_safe {
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
            } else {
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
            };
            let symbols: Vec<u8> = picks.iter().map(|&i| alphabet[i]).collect();
            let text = Base64Text {
                symbols: Cow::Borrowed(&symbols),
                len: symbols.len(),
                url_safe,
                padding_missing: false,
            };
            let engine = if url_safe { &URL_SAFE } else { &STANDARD };
            let exact = engine.decode(&symbols).ok();
            // The SIMD decoder alone accepts and refuses exactly what the exact one
            // does, and the two together (what `decode` does) give the same bytes.
            let fast = if url_safe {
                &base64_simd::URL_SAFE_NO_PAD
            } else {
                &base64_simd::STANDARD_NO_PAD
            };
            proptest::prop_assert_eq!(fast.decode_to_vec(&symbols).ok(), exact.clone());
            proptest::prop_assert_eq!(text.decode().ok(), exact);
        }
    }

    #[test]
    fn alphabet_flags_match_the_table() {
        for b in 0..=255u8 {
            assert_eq!(alphabet_flags(&[b]), FLAGS[usize::from(b)], "byte {b:#04x}");
        }
        assert_eq!(alphabet_flags(b""), 0);
        assert_eq!(
            alphabet_flags(b"Az09+-"),
            F_COMMON | F_STANDARD | F_URL_SAFE
        );
    }

    fn message(value: &str) -> String {
        match decode(value) {
            Err(DecodeError::Invalid(m)) => m,
            other => panic!("expected an error, got {other:?}"),
        }
    }

    #[test]
    fn standard_padded() {
        assert_eq!(decode("PGE+PC9hPg==").as_deref(), Ok(&b"<a></a>"[..]));
    }

    #[test]
    fn whitespace_anywhere() {
        let text = prepare(b" PGE+\r\nPC9h\tPg =\n= ").unwrap();
        assert_eq!(text.len, 12);
        assert_eq!(text.decode().as_deref(), Ok(&b"<a></a>"[..]));
    }

    #[test]
    fn url_safe_without_padding() {
        let text = prepare(b"PD8_Pz4-").unwrap();
        assert!(text.url_safe);
        assert_eq!(text.decode().as_deref(), Ok(&b"<???>>"[..]));
        let text = prepare(b"PGE-").unwrap();
        assert!(!text.padding_missing);
        let text = prepare(b"PGE-PC9hPg").unwrap();
        assert!(text.padding_missing);
        assert_eq!(text.decoded_len(), 7);
        assert_eq!(text.decode().as_deref(), Ok(&b"<a></a>"[..]));
    }

    #[test]
    fn partial_padding_is_accepted() {
        assert_eq!(decode("PGE+PC9hPg=").as_deref(), Ok(&b"<a></a>"[..]));
    }

    #[test]
    fn unexpected_character() {
        assert_eq!(
            message("PGE+P!9hPg=="),
            "not base64: unexpected character '!' at offset 5"
        );
        assert_eq!(
            message("PGE+P\u{e9}"),
            "not base64: unexpected character '\u{e9}' (U+00E9) at offset 5"
        );
        assert_eq!(describe_char(b"a\x00\xFF", 1), "'\\0'");
        assert_eq!(describe_char(b"a\x00\xFF", 2), "byte 0xFF");
    }

    #[test]
    fn mixed_alphabets() {
        assert!(message("PGE+PC9h_g==").contains("mixes the standard alphabet ('+' at offset 3)"));
    }

    #[test]
    fn padding_in_the_middle() {
        assert_eq!(
            message("PGE=PC9h"),
            "not base64: padding '=' at offset 3 is followed by 'P' at offset 4"
        );
    }

    #[test]
    fn too_much_padding() {
        assert!(message("PGE+===").starts_with("not base64: 3 padding"));
        assert!(message("PGE+=").starts_with("not base64: 1 padding"));
    }

    #[test]
    fn truncated() {
        let cut = format!("{}P", "PGE+".repeat(16));
        assert!(message(&cut).starts_with("base64 is truncated: 65 characters"));
        // Too short to be a cut-off SAML message (`hello`): said as such.
        assert!(message("PGE+P").starts_with("not a SAML value: 5 characters"));
        // Cut inside a group: leftover bits are set.
        assert!(message("PGE+PC9hPh").starts_with("base64 is truncated: the last group"));
    }
}
