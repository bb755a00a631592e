//! Recognising markup and turning decoded bytes into text.

use super::DecodeError;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Drops a UTF-8 byte-order mark.
pub(super) fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes)
}

/// Skips ASCII whitespace and a UTF-8 byte-order mark at the start.
pub(super) fn trim_start(bytes: &[u8]) -> &[u8] {
    strip_bom(bytes.trim_ascii_start()).trim_ascii_start()
}

/// Whether the bytes are markup: the first thing after a BOM and whitespace is `<`.
/// XML and HTML both qualify; the XML stage tells them apart.
pub(super) fn is_markup(bytes: &[u8]) -> bool {
    trim_start(bytes).first() == Some(&b'<')
}

/// Whether `bytes` holds any ASCII whitespace (`u8::is_ascii_whitespace`).
///
/// Whole blocks are OR-reduced without an early exit so the compiler vectorizes the
/// loop: a multi-kilobyte base64 value is the common input and holds none.
pub(crate) fn has_ascii_whitespace(bytes: &[u8]) -> bool {
    bytes.chunks(256).any(|block| {
        block.iter().fold(false, |seen, &b| {
            seen | matches!(b, b' ' | b'\t' | b'\n' | b'\x0C' | b'\r')
        })
    })
}

/// Whether markup text ends mid-document: every well-formed XML document (and every
/// real HTML page) ends with `>` once trailing whitespace is dropped. Used on text that
/// came out of base64, where a cut-off value is the usual cause.
pub(super) fn ends_mid_document(bytes: &[u8]) -> bool {
    bytes.trim_ascii_end().last() != Some(&b'>')
}

/// The byte-order mark of UTF-16 text, if the bytes start with one.
pub(super) fn utf16_bom(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xFE, ..] => Some("FF FE"),
        [0xFE, 0xFF, ..] => Some("FE FF"),
        _ => None,
    }
}

/// Whether the text looks like an HTML page (checked near the start only).
fn is_html(bytes: &[u8]) -> bool {
    let head = trim_start(bytes);
    let head = head.get(..head.len().min(1024)).unwrap_or(head);
    head.windows(5).any(|w| w.eq_ignore_ascii_case(b"<html"))
        || head
            .windows(14)
            .any(|w| w.eq_ignore_ascii_case(b"<!doctype html"))
}

/// The `encoding` named in an XML declaration at the start, if any.
fn declared_encoding(bytes: &[u8]) -> Option<&str> {
    let head = trim_start(bytes);
    let decl = head.strip_prefix(b"<?xml")?;
    let end = memchr::memmem::find(decl, b"?>")?;
    let decl = decl.get(..end)?;
    let at = memchr::memmem::find(decl, b"encoding")?;
    let rest = decl.get(at + b"encoding".len()..)?.trim_ascii_start();
    let rest = rest.strip_prefix(b"=")?.trim_ascii_start();
    let (&quote, rest) = rest.split_first()?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let close = memchr::memchr(quote, rest)?;
    std::str::from_utf8(rest.get(..close)?).ok()
}

/// Turns decoded bytes into text: a UTF-8 BOM is dropped; anything that is not UTF-8
/// is an error naming the first bad byte (and a non-UTF-8 encoding the XML declares).
/// An HTML page that is not UTF-8 is kept, with invalid bytes replaced, so the XML
/// stage can still say that an HTML page was captured.
pub(super) fn into_text(
    mut bytes: Vec<u8>,
    notes: &mut Vec<String>,
) -> Result<String, DecodeError> {
    if let Some(bom) = utf16_bom(&bytes) {
        return Err(DecodeError::Invalid(format!(
            "not UTF-8: the text is UTF-16 (byte-order mark {bom}); samlint reads UTF-8 only"
        )));
    }
    let skipped = if bytes.starts_with(UTF8_BOM) {
        bytes.drain(..UTF8_BOM.len());
        UTF8_BOM.len()
    } else {
        0
    };
    // The declaration, not the bytes, says how the text reads: libxml2 (and so an SP)
    // transcodes by it, so bytes that merely happen to be valid UTF-8 must not be
    // read as UTF-8 when another encoding is declared.
    if let Some(enc) = declared_encoding(&bytes).map(str::to_ascii_lowercase)
        && !matches!(enc.as_str(), "utf-8" | "utf8")
    {
        if let Some(at) = bytes.iter().position(|b| !b.is_ascii()) {
            if matches!(
                enc.as_str(),
                "iso-8859-1" | "iso_8859-1" | "iso8859-1" | "latin1" | "l1"
            ) {
                // ISO-8859-1 is byte n = U+00nn; findings point into this text.
                notes.push(format!(
                    "decoded as ISO-8859-1, as the XML declaration says (first non-ASCII byte at {})",
                    at + skipped
                ));
                return Ok(bytes.iter().copied().map(char::from).collect());
            }
            return Err(DecodeError::Invalid(format!(
                "the XML declares encoding=\"{enc}\" and has non-ASCII bytes (the first at byte {}); \
                 samlint decodes UTF-8 and ISO-8859-1 only, and reading them otherwise would check other text than the SP reads",
                at + skipped
            )));
        }
        if enc.starts_with("utf-16") || enc.starts_with("utf-32") || enc.starts_with("ucs") {
            return Err(DecodeError::Invalid(format!(
                "the XML declares encoding=\"{enc}\" but the text is 8-bit; samlint reads UTF-8 only"
            )));
        }
        // ASCII text reads the same in every ASCII-compatible encoding.
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(err) => {
            let at = err.utf8_error().valid_up_to() + skipped;
            let bytes = err.into_bytes();
            if is_html(&bytes) {
                notes.push(format!(
                    "HTML page is not UTF-8 (at byte {at}): invalid bytes replaced"
                ));
                return Ok(String::from_utf8_lossy(&bytes).into_owned());
            }
            Err(DecodeError::Invalid(format!("not UTF-8 at byte {at}")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_declared_encoding_decides_how_the_text_reads() {
        let read = |b: &[u8]| into_text(b.to_vec(), &mut Vec::new());
        // Valid UTF-8 bytes under an ISO-8859-1 declaration are Latin-1 characters.
        let text =
            read("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>caf\u{e9}</a>".as_bytes())
                .unwrap();
        assert!(text.ends_with("<a>caf\u{c3}\u{a9}</a>"), "{text}");
        let mut notes = Vec::new();
        let text = into_text(
            b"<?xml version='1.0' encoding='latin1'?><a>\xE9</a>".to_vec(),
            &mut notes,
        )
        .unwrap();
        assert!(text.ends_with("<a>\u{e9}</a>"));
        assert!(notes[0].contains("ISO-8859-1"), "{notes:?}");
        // Other encodings with non-ASCII bytes are refused, never read as UTF-8.
        let e =
            read("<?xml version=\"1.0\" encoding=\"windows-1252\"?><a>caf\u{e9}</a>".as_bytes())
                .unwrap_err()
                .to_string();
        assert!(e.contains("encoding=\"windows-1252\""), "{e}");
        assert!(e.contains("byte 51"), "{e}");
        assert!(read(b"<?xml version=\"1.0\" encoding=\"UTF-16\"?><a/>").is_err());
        // ASCII text reads the same whatever ASCII-compatible encoding is declared.
        assert!(read(b"<?xml version=\"1.0\" encoding=\"windows-1252\"?><a/>").is_ok());
        assert_eq!(read("<a>\u{e9}</a>".as_bytes()).unwrap(), "<a>\u{e9}</a>");
    }

    #[test]
    fn markup_after_bom_and_whitespace() {
        assert!(is_markup(b"\xEF\xBB\xBF \r\n<x/>"));
        assert!(is_markup(b"  <x/>"));
        assert!(!is_markup(b"PHg+"));
        assert!(!is_markup(b""));
    }

    #[test]
    fn whitespace_anywhere_is_found() {
        let long = vec![b'A'; 1000];
        assert!(!has_ascii_whitespace(&long));
        assert!(!has_ascii_whitespace(b""));
        for ws in [b' ', b'\t', b'\n', b'\x0C', b'\r'] {
            for at in [0, 255, 256, 999] {
                let mut v = long.clone();
                v[at] = ws;
                assert!(has_ascii_whitespace(&v), "{ws:#x} at {at}");
            }
        }
        // Vertical tab is not ASCII whitespace in Rust's definition.
        assert!(!has_ascii_whitespace(b"a\x0Bb"));
    }

    #[test]
    fn mid_document() {
        assert!(!ends_mid_document(b"<a></a>\r\n"));
        assert!(ends_mid_document(b"<a></a"));
        assert!(ends_mid_document(b""));
    }

    #[test]
    fn declared_encoding_is_found() {
        assert_eq!(
            declared_encoding(b"<?xml version=\"1.0\" encoding='ISO-8859-1'?><a/>"),
            Some("ISO-8859-1")
        );
        assert_eq!(declared_encoding(b"<?xml version=\"1.0\"?><a/>"), None);
        assert_eq!(declared_encoding(b"<a encoding=\"x\"/>"), None);
    }

    #[test]
    fn bom_is_dropped() {
        let mut notes = Vec::new();
        let text = into_text(b"\xEF\xBB\xBF<a/>".to_vec(), &mut notes);
        assert_eq!(text.as_deref(), Ok("<a/>"));
    }

    #[test]
    fn utf16_is_named() {
        let mut notes = Vec::new();
        let err = into_text(b"\xFF\xFE<\0a\0/\0>\0".to_vec(), &mut notes);
        assert!(matches!(err, Err(DecodeError::Invalid(m)) if m.contains("UTF-16")));
    }

    #[test]
    fn html_that_is_not_utf8_is_kept() {
        let mut notes = Vec::new();
        let text = into_text(b"<!DOCTYPE html><html>caf\xE9</html>".to_vec(), &mut notes);
        assert_eq!(
            text.as_deref(),
            Ok("<!DOCTYPE html><html>caf\u{FFFD}</html>")
        );
        assert_eq!(notes.len(), 1);
    }
}
