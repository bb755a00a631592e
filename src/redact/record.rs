//! The verdict taken before redaction, carried inside the redacted file: a HAR's
//! `log.comment`, a SAML-tracer export's `samlintRedaction` field, or an XML comment
//! ahead of a raw XML payload or an HTML page. `check` reads it back; `redact
//! --verify` compares its hashes with an original.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::LazyLock;

use regex::Regex;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{Body, Format};
use crate::lint::Finding;
use crate::report::{InputReport, PayloadReport};

/// Leads the record in a HAR comment and in an XML comment.
pub(crate) const MARK: &str = "samlint-redaction/1 ";
/// The SAML-tracer export field holding the record.
pub(crate) const TRACER_FIELD: &str = "samlintRedaction";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Record {
    /// The samlint version that redacted.
    pub samlint: String,
    pub payloads: Vec<PayloadRecord>,
}

/// One payload, in the order `check` finds them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PayloadRecord {
    /// Where it is (`entry 3 (POST https://signin.aws.amazon.com/saml)`).
    pub place: String,
    /// SHA-256 (hex) of the payload value as found in the original.
    pub original_sha256: String,
    /// SHA-256 of the redacted value, as found in this file.
    pub redacted_sha256: String,
    /// Signature status before redaction (`valid`, `invalid`, ...).
    pub signature: Option<String>,
    /// The key that verified, `SHA256:hex`.
    pub key: Option<String>,
    /// Findings before redaction: `CODE rule-id` → count (no messages: they quote values).
    pub findings: BTreeMap<String, usize>,
}

/// Hex SHA-256.
pub(crate) fn sha256(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(64);
    for b in Sha256::digest(bytes) {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// The SHA-256 of a payload value found in a redacted file, without the record
/// comment that redaction put ahead of a raw XML payload or an HTML page.
pub(crate) fn payload_hash(raw: &[u8]) -> String {
    let open = format!("<!--{MARK}");
    let Some(start) = memchr::memmem::find(raw, open.as_bytes()) else {
        return sha256(raw);
    };
    let Some(len) = memchr::memmem::find(&raw[start..], b"-->") else {
        return sha256(raw);
    };
    let mut v = raw[..start].to_vec();
    v.extend_from_slice(&raw[start + len + 3..]);
    sha256(&v)
}

/// The signature rules: a redacted payload cannot verify, so `check` on it reports
/// the recorded status instead of these.
pub(crate) fn is_signature_rule(code: &str) -> bool {
    code.starts_with("SL02") && code != "SL0208"
}

fn finding_key(f: &Finding) -> String {
    format!("{} {}", f.rule.code, f.rule.id)
}

/// The record entry of one checked original payload.
pub(crate) fn payload_record(
    place: String,
    original: &[u8],
    redacted: &[u8],
    p: &PayloadReport,
) -> PayloadRecord {
    let mut findings = BTreeMap::new();
    for f in &p.findings {
        *findings.entry(finding_key(f)).or_insert(0) += 1;
    }
    let key = p.signature.as_ref().and_then(|s| {
        s.signatures.iter().find_map(|d| {
            d.trusted_key.clone().or_else(|| {
                (d.signature_ok == Some(true))
                    .then(|| d.certificate.as_ref().map(|c| c.sha256.clone()))
                    .flatten()
            })
        })
    });
    PayloadRecord {
        place,
        original_sha256: sha256(original),
        redacted_sha256: sha256(redacted),
        signature: p.signature.as_ref().map(|s| s.status.as_str().to_owned()),
        key,
        findings,
    }
}

/// Puts the record into the output. `false`: the format has no place for it (a
/// base64, form or URL value).
pub(crate) fn embed(format: Format, body: &mut Body, record: &Record) -> bool {
    let json = serde_json::to_string(record).unwrap_or_default();
    match (format, body) {
        (Format::Har, Body::Json(v)) => {
            if let Some(log) = v.get_mut("log").and_then(Value::as_object_mut) {
                log.insert("comment".to_owned(), Value::String(format!("{MARK}{json}")));
                return true;
            }
            false
        }
        (Format::Tracer, Body::Json(v)) => {
            if let (Some(o), Ok(r)) = (v.as_object_mut(), serde_json::to_value(record)) {
                o.insert(TRACER_FIELD.to_owned(), r);
                return true;
            }
            false
        }
        (Format::Html | Format::Text, Body::Text(t)) if super::codec::is_markup(t.as_bytes()) => {
            // `--` may not appear in a comment; inside JSON strings it can be escaped.
            let comment = format!("<!--{MARK}{}-->", json.replace("--", "-\\u002d"));
            let t2 = t.trim_start();
            let at = t.len() - t2.len()
                + if t2.starts_with("<?xml") {
                    t2.find("?>").map_or(0, |i| i + 2)
                } else {
                    0
                };
            t.insert_str(at, &comment);
            true
        }
        _ => false,
    }
}

/// Beside a raw base64, form or URL value, which has no room for the record: the
/// output's name with this appended (not an extension `check` searches directories for).
pub(crate) const SIDECAR: &str = crate::input::RECORD_SIDECAR;

/// The sidecar path of an output.
pub(crate) fn sidecar(path: &std::path::Path) -> std::path::PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(SIDECAR);
    p.into()
}

/// The record of a file: inside it, or in its sidecar. The file is read whole only
/// when its head or tail shows a record (redaction writes it there), so checking a
/// large capture does not read it twice.
pub(crate) fn read_path(path: &std::path::Path) -> Option<Record> {
    let inside = marked(path)
        .unwrap_or(false)
        .then(|| std::fs::read(path).ok().and_then(|b| read(&b)))
        .flatten();
    inside.or_else(|| read_sidecar(path))
}

/// The record in the sidecar of `path`, if there is one.
fn read_sidecar(path: &std::path::Path) -> Option<Record> {
    let side = std::fs::read(sidecar(path)).ok()?;
    serde_json::from_slice(&side).ok()
}

/// How much of a file's head and of its tail is searched for the record's mark.
const WINDOW: usize = 64 * 1024;

/// Whether `buf` holds the record's mark.
///
/// Both marks start with `samlint`: one search for that, and a compare where it is,
/// instead of one search per mark over every input `check` reads (two searches were
/// 0.9% of `check`'s instructions on 3,000 small files, callgrind).
fn has_mark(buf: &[u8]) -> bool {
    const COMMON: &[u8] = b"samlint";
    let marks = [MARK.trim_end().as_bytes(), TRACER_FIELD.as_bytes()];
    debug_assert!(marks.iter().all(|m| m.starts_with(COMMON)));
    memchr::memmem::find_iter(buf, COMMON).any(|at| {
        let rest = buf.get(at..).unwrap_or_default();
        marks.iter().any(|m| rest.starts_with(m))
    })
}

/// Whether the first or last 64 KiB of the file hold the record's mark.
fn marked(path: &std::path::Path) -> std::io::Result<bool> {
    use std::io::{Read, Seek, SeekFrom};
    const WINDOW_LEN: u64 = WINDOW as u64;
    let mut f = std::fs::File::open(path)?;
    let len = f.metadata()?.len();
    let mut head = Vec::new();
    (&mut f).take(WINDOW_LEN).read_to_end(&mut head)?;
    if has_mark(&head) {
        return Ok(true);
    }
    if len <= WINDOW_LEN {
        return Ok(false);
    }
    f.seek(SeekFrom::Start(len.saturating_sub(WINDOW_LEN)))?;
    let mut tail = Vec::new();
    f.take(WINDOW_LEN).read_to_end(&mut tail)?;
    Ok(has_mark(&tail))
}

/// The record inside a file's whole content, found as [`read_path`] finds it on disk
/// (the mark in the first or last 64 KiB, then the record read from the content).
pub(crate) fn read_content(bytes: &[u8]) -> Option<Record> {
    let head = bytes.get(..WINDOW).unwrap_or(bytes);
    let tail = bytes
        .get(bytes.len().saturating_sub(WINDOW)..)
        .unwrap_or(bytes);
    let marked = has_mark(head) || (bytes.len() > WINDOW && has_mark(tail));
    marked.then(|| read(bytes)).flatten()
}

/// The record a file carries, if any.
pub(crate) fn read(bytes: &[u8]) -> Option<Record> {
    #[derive(Deserialize)]
    struct Top {
        log: Option<Log>,
        #[serde(rename = "samlintRedaction")]
        tracer: Option<Record>,
    }
    #[derive(Deserialize)]
    struct Log {
        comment: Option<String>,
    }
    let has = |needle: &[u8]| memchr::memmem::find(bytes, needle).is_some();
    if !has(MARK.trim_end().as_bytes()) && !has(TRACER_FIELD.as_bytes()) {
        return None;
    }
    if let Ok(top) = serde_json::from_slice::<Top>(bytes) {
        if let Some(r) = top.tracer {
            return Some(r);
        }
        let c = top.log?.comment?;
        return serde_json::from_str(c.strip_prefix(MARK)?).ok();
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let start = text.find(&format!("<!--{MARK}"))? + 4 + MARK.len();
    let end = start + text[start..].find("-->")?;
    serde_json::from_str(&text[start..end]).ok()
}

/// The record of an input being checked, with the hashes of its payloads.
pub(crate) struct Recorded(Option<(Record, Vec<String>)>);

impl Recorded {
    /// Reads the record of a file input (inside it or beside it), if it has one.
    /// `inside`: what [`read_content`] found in the file's content when the scan read
    /// it whole (the file is then not read again); `None` reads the file.
    #[allow(clippy::option_option)] // not read yet / read, no record / read, a record
    pub(crate) fn find(
        spec: &crate::input::InputSpec,
        scanned: &crate::input::Scanned,
        inside: Option<Option<Record>>,
    ) -> Self {
        use crate::input::InputSpec;
        let (path, beside) = match spec {
            InputSpec::Path(path) => (path, true),
            // The directory's listing had no record beside this file.
            InputSpec::Listed(path) => (path, false),
            InputSpec::Stdin => return Recorded(None),
        };
        if scanned.payloads.is_empty() {
            return Recorded(None);
        }
        let record = match inside {
            Some(inside) => inside.or_else(|| beside.then(|| read_sidecar(path)).flatten()),
            None => read_path(path),
        };
        Recorded(record.map(|r| {
            let hashes = scanned.payloads.iter().map(|p| payload_hash(&p.raw));
            (r, hashes.collect())
        }))
    }

    /// [`apply`] when there is a record.
    pub(crate) fn apply(&self, report: &mut InputReport) {
        if let Some((record, hashes)) = &self.0 {
            apply(record, hashes, report);
        }
    }
}

/// Applies a record to the report of the redacted file: each payload whose value
/// is the one redaction wrote gets a note with the recorded verdict, and loses the
/// signature findings (the signature was blanked on purpose).
pub(crate) fn apply(record: &Record, hashes: &[String], report: &mut InputReport) {
    for p in &mut report.payloads {
        let Some(hash) = hashes.get(p.index) else {
            continue;
        };
        let Some(rec) = record.payloads.iter().find(|r| &r.redacted_sha256 == hash) else {
            continue;
        };
        // Only a payload whose signatures were blanked by redaction: a record must
        // not be able to hide the signature findings of a payload that could verify.
        if !p
            .document
            .as_ref()
            .is_some_and(|d| signatures_blanked(&d.text))
        {
            continue;
        }
        p.findings.retain(|f| !is_signature_rule(f.rule.code));
        p.decode_notes.push(describe(rec));
    }
}

static SIGNATURE_VALUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<(?:[A-Za-z_][\w.-]*:)?SignatureValue\b[^>]*>([^<]*)<")
        .unwrap_or_else(|e| unreachable!("SIGNATURE_VALUE: {e}"))
});

/// Whether every SignatureValue in `xml` is the blank redaction writes (`AAAA...`).
fn signatures_blanked(xml: &str) -> bool {
    SIGNATURE_VALUE.captures_iter(xml).all(|c| {
        c[1].chars()
            .all(|ch| ch == 'A' || ch == '=' || ch.is_ascii_whitespace())
    })
}

/// `redacted capture: signature was valid at redaction (key SHA256:…)`.
pub(crate) fn describe(rec: &PayloadRecord) -> String {
    let status = rec.signature.as_deref().unwrap_or("not checked");
    let key = rec
        .key
        .as_deref()
        .map_or(String::new(), |k| format!(" (key {k})"));
    let sig: Vec<String> = rec
        .findings
        .iter()
        .filter(|(k, _)| is_signature_rule(k))
        .map(|(k, n)| {
            if *n == 1 {
                k.clone()
            } else {
                format!("{k} ×{n}")
            }
        })
        .collect();
    let sig = if sig.is_empty() {
        String::new()
    } else {
        format!("; signature findings then: {}", sig.join(", "))
    };
    format!(
        "redacted capture: signature was {status} at redaction{key}{sig}; original payload SHA-256 {}",
        rec.original_sha256
    )
}

/// `redact --verify`: every recorded original hash is the hash of a payload of
/// `original`, in order. The error names the first that is not.
///
/// # Errors
/// A one-line reason.
pub(crate) fn verify(record: &Record, original: &[Vec<u8>]) -> Result<usize, String> {
    if record.payloads.len() != original.len() {
        return Err(format!(
            "the record lists {} payloads, the original has {}",
            record.payloads.len(),
            original.len()
        ));
    }
    for (i, (rec, raw)) in record.payloads.iter().zip(original).enumerate() {
        let got = sha256(raw);
        if got != rec.original_sha256 {
            return Err(format!(
                "payload {i} ({}): the original's SHA-256 is {got}, the record says {}",
                rec.place, rec.original_sha256
            ));
        }
    }
    Ok(original.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_blanked_signatures_count_as_redacted() {
        assert!(signatures_blanked(
            "<ds:SignatureValue>AAAA\nAA==</ds:SignatureValue>"
        ));
        assert!(signatures_blanked("<Response/>"));
        assert!(!signatures_blanked(
            "<ds:SignatureValue>AAAB</ds:SignatureValue>"
        ));
    }

    #[test]
    fn hash_ignores_the_record_comment() {
        let with = format!("<!--{MARK}{{}}--><Response/>");
        assert_eq!(payload_hash(with.as_bytes()), sha256(b"<Response/>"));
    }

    #[test]
    fn either_mark_is_found() {
        for (text, found) in [
            ("{\"samlintRedaction\": {}}", true),
            ("<!--samlint-redaction/1 {}-->", true),
            ("samlint samlintsamlint-redaction/1", true),
            ("samlint-redaction/2 samlintredaction", false),
            ("", false),
        ] {
            assert_eq!(has_mark(text.as_bytes()), found, "{text}");
        }
    }

    /// A record found in content read whole is the one found on disk: the mark only
    /// counts in the first or last 64 KiB, on disk and in memory alike.
    #[test]
    fn content_and_path_find_the_same_record() {
        let record = Record {
            samlint: "0.1.0".to_owned(),
            payloads: Vec::new(),
        };
        let comment = format!("<!--{MARK}{}-->", serde_json::to_string(&record).unwrap());
        let filler = "x".repeat(100 * 1024);
        let cases = [
            (format!("{comment}<Response/>"), true),
            (format!("{filler}{comment}<Response/>"), true),
            (format!("{comment}{filler}{filler}<Response/>"), true),
            // Past the head and before the tail: not looked for.
            (format!("{filler}{comment}{filler}<Response/>"), false),
            ("<Response/>".to_owned(), false),
        ];
        let dir = tempfile::tempdir().unwrap();
        for (i, (text, found)) in cases.iter().enumerate() {
            let path = dir.path().join(format!("{i}.xml"));
            std::fs::write(&path, text).unwrap();
            let on_disk = read_path(&path);
            assert_eq!(read_content(text.as_bytes()), on_disk, "case {i}");
            assert_eq!(on_disk.is_some(), *found, "case {i}");
        }
    }
}
