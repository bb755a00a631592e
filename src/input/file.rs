//! Reading an input (file, stdin, bytes in memory) and recognising its container
//! by content: HAR, SAML-tracer export, or a text value handed to `decode` whole. Uses
//! `har` and `tracer` (the JSON containers), `html`, `form` and `walk`; none of them uses it.

use std::fmt;
use std::fs::{self, File};
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};

use super::walk::io_error;
use super::{
    Binding, Container, InputError, InputSpec, OriginKind, Payload, RawForm, Scanned, form, har,
    html, tracer,
};
use crate::limits::Limits;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How much of a regular file is read at a time while looking for its first
/// significant byte.
const SNIFF_CHUNK: u64 = 8 * 1024;

/// Regular files up to this size are read whole in one go; larger ones are sniffed
/// first, and streamed when they are JSON (HAR files can be hundreds of MB).
const SMALL_FILE: u64 = 1024 * 1024;

/// Buffer for streaming JSON containers (HAR files can be hundreds of MB).
const STREAM_BUFFER: usize = 256 * 1024;

pub(super) fn scan(spec: &InputSpec, limits: &Limits) -> Result<Scanned, InputError> {
    scan_seeing(spec, limits, &mut |_| {})
}

/// [`scan`]; `whole` sees the content of a regular file read whole (see
/// `input::scan_seeing`).
pub(super) fn scan_seeing(
    spec: &InputSpec,
    limits: &Limits,
    whole: &mut dyn FnMut(&[u8]),
) -> Result<Scanned, InputError> {
    match spec {
        InputSpec::Stdin => scan_stdin(limits),
        InputSpec::Path(path) | InputSpec::Listed(path) => {
            scan_path_reading_whole(path, limits, SMALL_FILE, whole)
        }
    }
}

pub(super) fn scan_bytes(bytes: &[u8], kind: OriginKind, limits: &Limits) -> Scanned {
    scan_memory(bytes, kind, limits, false)
}

fn scan_stdin(limits: &Limits) -> Result<Scanned, InputError> {
    let mut bytes = Vec::new();
    io::stdin()
        .lock()
        .take(read_bound(limits.max_payload_bytes))
        .read_to_end(&mut bytes)
        .map_err(|source| InputError::Io {
            path: "-".to_owned(),
            source,
        })?;
    if bytes.len() > limits.max_payload_bytes {
        let mut scanned = Scanned::empty(Container::Text);
        scanned.limit_exceeded = Some(format!(
            "standard input is over the limit of {} bytes (limits.max_payload_bytes); \
             a large HAR file is streamed when it is named by path",
            limits.max_payload_bytes
        ));
        return Ok(scanned);
    }
    Ok(scan_memory(&bytes, OriginKind::Stdin, limits, false))
}

/// Scans a path, reading regular files up to `whole` bytes in one go; `seen` gets the
/// content of a regular file read so.
fn scan_path_reading_whole(
    path: &Path,
    limits: &Limits,
    whole: u64,
    seen: &mut dyn FnMut(&[u8]),
) -> Result<Scanned, InputError> {
    let meta = fs::metadata(path).map_err(|e| io_error(path, e))?;
    if meta.is_dir() {
        return Err(InputError::Io {
            path: path.display().to_string(),
            source: io::Error::new(io::ErrorKind::IsADirectory, "is a directory"),
        });
    }
    let har_hint = has_har_extension(path);
    if meta.is_file() && meta.len() == 0 {
        return Ok(empty_input(OriginKind::File));
    }
    let mut file = File::open(path).map_err(|e| io_error(path, e))?;
    let small = meta.len() <= whole.min(read_bound(limits.max_payload_bytes) - 1);
    if !meta.is_file() || small {
        // A small file is read whole in one go instead of being sniffed, seeked and
        // read again. A pipe or device (`<(cmd)`, /dev/stdin) has no size and no
        // seeking, so it is read into memory too, bounded.
        let size_hint = if meta.is_file() { meta.len() + 1 } else { 0 };
        let mut bytes = Vec::with_capacity(usize::try_from(size_hint).unwrap_or(0));
        (&mut file)
            .take(read_bound(limits.max_payload_bytes))
            .read_to_end(&mut bytes)
            .map_err(|e| io_error(path, e))?;
        if bytes.len() > limits.max_payload_bytes {
            // Over the limit, or a regular file that grew while it was being read.
            return Ok(too_large("the file", None, limits));
        }
        if meta.is_file() {
            seen(&bytes);
        }
        return Ok(scan_owned(bytes, OriginKind::File, limits, har_hint));
    }

    let sniffed = sniff_reader(&mut file).map_err(|e| io_error(path, e))?;
    let Some(first) = sniffed.first else {
        return Ok(whitespace_only());
    };
    if first == b'{' || har_hint {
        file.seek(SeekFrom::Start(sniffed.bom_len))
            .map_err(|e| io_error(path, e))?;
        let reader = BufReader::with_capacity(STREAM_BUFFER, &mut file);
        let mut json = JsonScan::new(limits);
        let mut de = serde_json::Deserializer::from_reader(reader);
        let result = TopSeed(&mut json)
            .deserialize(&mut de)
            .and_then(|()| de.end());
        match json.finish(result) {
            JsonOutcome::Recognized(scanned) => return Ok(scanned),
            JsonOutcome::NotRecognized(Some(e)) if e.is_io() => {
                return Err(io_error(path, io::Error::from(e)));
            }
            JsonOutcome::NotRecognized(e) if har_hint => return Ok(not_a_har(e.as_ref())),
            JsonOutcome::NotRecognized(_) => {}
        }
    }

    // A text value: one payload holding the whole file.
    let size = meta.len();
    if usize::try_from(size).map_or(true, |s| s > limits.max_payload_bytes) {
        return Ok(too_large("the file", Some(size), limits));
    }
    file.seek(SeekFrom::Start(0))
        .map_err(|e| io_error(path, e))?;
    let mut bytes = Vec::new();
    file.take(read_bound(limits.max_payload_bytes))
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(path, e))?;
    if bytes.len() > limits.max_payload_bytes {
        // The file grew while it was being read.
        return Ok(too_large("the file", None, limits));
    }
    Ok(text_value(bytes, OriginKind::File, limits))
}

/// Detection over bytes already in memory.
fn scan_memory(bytes: &[u8], kind: OriginKind, limits: &Limits, har_hint: bool) -> Scanned {
    match scan_container(bytes, kind, limits, har_hint) {
        Some(scanned) => scanned,
        None => text_value(bytes.to_vec(), kind, limits),
    }
}

/// [`scan_memory`] on bytes it may keep, without copying a text value.
fn scan_owned(bytes: Vec<u8>, kind: OriginKind, limits: &Limits, har_hint: bool) -> Scanned {
    match scan_container(&bytes, kind, limits, har_hint) {
        Some(scanned) => scanned,
        None => text_value(bytes, kind, limits),
    }
}

/// What the bytes are when they are not one text value: empty, whitespace, a JSON
/// container, or over the size limit. `None`: a text value.
fn scan_container(
    bytes: &[u8],
    kind: OriginKind,
    limits: &Limits,
    har_hint: bool,
) -> Option<Scanned> {
    if bytes.is_empty() {
        return Some(empty_input(kind));
    }
    let bom_len = if bytes.starts_with(BOM) { BOM.len() } else { 0 };
    let body = bytes.get(bom_len..).unwrap_or_default();
    let Some(first) = body.iter().copied().find(|b| !b.is_ascii_whitespace()) else {
        return Some(whitespace_only());
    };
    if first == b'{' || har_hint {
        let mut json = JsonScan::new(limits);
        let mut de = serde_json::Deserializer::from_slice(body);
        let result = TopSeed(&mut json)
            .deserialize(&mut de)
            .and_then(|()| de.end());
        match json.finish(result) {
            JsonOutcome::Recognized(scanned) => return Some(scanned),
            JsonOutcome::NotRecognized(e) if har_hint => return Some(not_a_har(e.as_ref())),
            JsonOutcome::NotRecognized(_) => {}
        }
    }
    if bytes.len() > limits.max_payload_bytes {
        return Some(too_large("the input", Some(bytes.len() as u64), limits));
    }
    None
}

fn read_bound(limit: usize) -> u64 {
    u64::try_from(limit).map_or(u64::MAX, |l| l.saturating_add(1))
}

fn has_har_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| ext.eq_ignore_ascii_case("har"))
}

/// Where a regular file's content starts.
struct Sniffed {
    bom_len: u64,
    /// The first byte after the BOM that is not whitespace.
    first: Option<u8>,
}

fn sniff_reader<R: Read>(reader: &mut R) -> io::Result<Sniffed> {
    let mut chunk = Vec::new();
    reader.take(SNIFF_CHUNK).read_to_end(&mut chunk)?;
    let bom_len = if chunk.starts_with(BOM) { BOM.len() } else { 0 };
    let mut rest = chunk.get(bom_len..).unwrap_or_default();
    loop {
        if let Some(first) = rest.iter().copied().find(|b| !b.is_ascii_whitespace()) {
            return Ok(Sniffed {
                bom_len: bom_len as u64,
                first: Some(first),
            });
        }
        if (chunk.len() as u64) < SNIFF_CHUNK {
            return Ok(Sniffed {
                bom_len: bom_len as u64,
                first: None,
            });
        }
        chunk.clear();
        reader.take(SNIFF_CHUNK).read_to_end(&mut chunk)?;
        rest = &chunk;
    }
}

fn empty_input(kind: OriginKind) -> Scanned {
    let mut scanned = Scanned::empty(Container::Empty);
    scanned.error = Some(match kind {
        OriginKind::File => "the file is empty".to_owned(),
        _ => "the input is empty".to_owned(),
    });
    scanned
}

fn whitespace_only() -> Scanned {
    let mut scanned = Scanned::empty(Container::Empty);
    scanned.error = Some("the input contains only whitespace".to_owned());
    scanned
}

fn too_large(what: &str, size: Option<u64>, limits: &Limits) -> Scanned {
    let mut scanned = Scanned::empty(Container::Text);
    scanned.limit_exceeded = Some(match size {
        Some(size) => format!(
            "{what} is {size} bytes, over the limit of {} bytes (limits.max_payload_bytes)",
            limits.max_payload_bytes
        ),
        None => format!(
            "{what} is over the limit of {} bytes (limits.max_payload_bytes)",
            limits.max_payload_bytes
        ),
    });
    scanned
}

fn not_a_har(error: Option<&serde_json::Error>) -> Scanned {
    let mut scanned = Scanned::empty(Container::Har);
    scanned.error = Some(match error {
        Some(e) => format!("not a HAR file: {e}"),
        None => "not a HAR file: the JSON object has no \"log\" member".to_owned(),
    });
    scanned
}

fn text_value(raw: Vec<u8>, kind: OriginKind, limits: &Limits) -> Scanned {
    let split = html_page(&raw, kind).or_else(|| repeated_parameters(&raw, kind));
    if let Some(mut scanned) = split {
        // A page or form with many SAML fields is held to the per-input payload limit.
        let max = limits.max_payloads_per_input;
        if scanned.payloads.len() > max {
            scanned.limit_exceeded = Some(format!(
                "{} more SAML payloads were skipped: only the first {max} are kept \
                 (limits.max_payloads_per_input)",
                scanned.payloads.len() - max
            ));
            scanned.payloads.truncate(max);
        }
        return scanned;
    }
    let mut scanned = Scanned::empty(Container::Text);
    scanned.payloads.push(Payload {
        origin: super::Origin::new(kind),
        binding: Binding::Unknown,
        param: None,
        relay_state: None,
        raw,
        form: RawForm::Encoded,
        duplicate: None,
    });
    scanned
}

/// A pasted form body or URL that carries a SAML parameter more than once: one payload
/// per value, each checked on its own (`form-parameter-duplicate`). Any other value is
/// handed to `decode` whole.
fn repeated_parameters(raw: &[u8], kind: OriginKind) -> Option<Scanned> {
    // Without a `&` there is at most one parameter, so nothing repeats: a bare base64
    // value (the usual paste) is not parsed as a form at all.
    memchr::memchr(b'&', raw)?;
    let text = std::str::from_utf8(raw).ok()?.trim();
    if text.contains(char::is_whitespace) {
        return None;
    }
    let (body, binding, place) = match form::query_of(text) {
        Some(query) if text.contains("://") || text.starts_with(['/', '?']) => {
            (query, Binding::Redirect, "query string")
        }
        _ => (text, Binding::Post, "form body"),
    };
    let parsed = form::parse(body, place);
    if parsed.fields.iter().all(|f| f.duplicate.is_none()) {
        return None;
    }
    let mut scanned = Scanned::empty(Container::Text);
    let mut origin = super::Origin::new(kind);
    if binding == Binding::Redirect {
        origin.url = Some(text.to_owned());
    }
    scanned.payloads = parsed
        .fields
        .iter()
        .map(|f| Payload {
            origin: origin.clone(),
            binding,
            param: Some(f.param),
            relay_state: parsed.relay_state().map(str::to_owned),
            raw: f.raw.as_bytes().to_vec(),
            form: RawForm::Encoded,
            duplicate: f.duplicate,
        })
        .collect();
    Some(scanned)
}

/// A saved HTML page holding a SAML form: one payload per SAML field. A page without
/// one is left to the pipeline, which names it (login, MFA or error page).
fn html_page(raw: &[u8], kind: OriginKind) -> Option<Scanned> {
    // A page starts with `<` after a BOM and white space; anything else (a base64
    // value) is decided on its first byte, before a UTF-8 pass over the whole value.
    let body = raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw);
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    if first.is_some_and(|&b| b != b'<' && b.is_ascii()) {
        return None;
    }
    let text = String::from_utf8_lossy(raw);
    if !html::may_hold_form(&text) {
        return None;
    }
    let page = html::read(&text);
    if !page.has_saml() {
        return None;
    }
    let mut scanned = Scanned::empty(Container::Html);
    scanned.payloads = html::payloads(&page, &super::Origin::new(kind));
    Some(scanned)
}

/// What a JSON document turned out to be, filled in while it streams by.
struct JsonScan {
    har: har::HarScan,
    tracer: tracer::TracerScan,
}

enum JsonOutcome {
    Recognized(Scanned),
    /// Neither a HAR nor a tracer export (with the parse error, if it was not JSON).
    NotRecognized(Option<serde_json::Error>),
}

impl JsonScan {
    fn new(limits: &Limits) -> Self {
        JsonScan {
            har: har::HarScan::new(limits),
            tracer: tracer::TracerScan::new(limits),
        }
    }

    fn finish(self, result: Result<(), serde_json::Error>) -> JsonOutcome {
        if self.har.recognized() {
            let error = result
                .err()
                .map(|e| format!("the HAR file breaks off or is malformed: {e}"));
            JsonOutcome::Recognized(self.har.finish(error))
        } else if self.tracer.recognized() {
            let error = result
                .err()
                .map(|e| format!("the SAML-tracer export breaks off or is malformed: {e}"));
            JsonOutcome::Recognized(self.tracer.finish(error))
        } else {
            JsonOutcome::NotRecognized(result.err())
        }
    }
}

/// The top-level JSON object: routes `log` (HAR) and `requests` / `timestamp`
/// (SAML-tracer) to their scanners and skips everything else unread.
struct TopSeed<'a>(&'a mut JsonScan);

impl<'de> DeserializeSeed<'de> for TopSeed<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for TopSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "log" => map.next_value_seed(har::LogSeed(&mut self.0.har))?,
                "requests" => map.next_value_seed(tracer::RequestsSeed(&mut self.0.tracer))?,
                "timestamp" => self.0.tracer.timestamp = map.next_value()?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn limits() -> Limits {
        Limits::default()
    }

    #[test]
    fn saved_page_and_repeated_form_values_are_split_within_the_limit() {
        let page = "<!DOCTYPE html><form action=\"https://sp/acs\">\
                    <input name=SAMLResponse value=QQ><input name=SAMLResponse value=Qg>\
                    <input name=SAMLResponse value=Qw></form>";
        let s = scan_bytes(page.as_bytes(), OriginKind::File, &limits());
        assert_eq!(s.container, Container::Html);
        assert_eq!(s.payloads.len(), 3);
        assert_eq!(
            s.payloads[2].duplicate.map(|d| (d.position, d.count)),
            Some((3, 3))
        );
        let small = Limits {
            max_payloads_per_input: 2,
            ..Limits::default()
        };
        let s = scan_bytes(page.as_bytes(), OriginKind::File, &small);
        assert_eq!(s.payloads.len(), 2);
        assert!(
            s.limit_exceeded
                .unwrap()
                .starts_with("1 more SAML payloads")
        );

        let s = scan_bytes(
            b"SAMLResponse=QQ&SAMLResponse=Qg\n",
            OriginKind::Paste,
            &limits(),
        );
        let raws: Vec<&[u8]> = s.payloads.iter().map(|p| p.raw.as_slice()).collect();
        assert_eq!(raws, [&b"QQ"[..], b"Qg"]);
        assert!(s.payloads.iter().all(|p| p.binding == Binding::Post));
        // A single value is handed to decode whole, as before.
        let s = scan_bytes(
            b"SAMLResponse=QQ&RelayState=x",
            OriginKind::Paste,
            &limits(),
        );
        assert_eq!(s.payloads[0].raw, b"SAMLResponse=QQ&RelayState=x");
        assert_eq!(s.payloads[0].duplicate, None);
    }

    fn write_file(dir: &Path, name: &str, content: &[u8]) -> std::path::PathBuf {
        let path = dir.join(name);
        let mut f = File::create(&path).unwrap();
        f.write_all(content).unwrap();
        path
    }

    #[test]
    fn empty_file_is_empty_container() {
        let tmp = tempfile::tempdir().unwrap();
        let path = write_file(tmp.path(), "empty.txt", b"");
        let scanned = scan(&InputSpec::Path(path), &limits()).unwrap();
        assert_eq!(scanned.container, Container::Empty);
        assert!(scanned.payloads.is_empty());
        assert_eq!(scanned.error.as_deref(), Some("the file is empty"));
    }

    #[test]
    fn whitespace_only_file_is_empty_container() {
        let tmp = tempfile::tempdir().unwrap();
        let path = write_file(tmp.path(), "blank.b64", b"\xEF\xBB\xBF \n\t\r\n");
        let scanned = scan(&InputSpec::Path(path), &limits()).unwrap();
        assert_eq!(scanned.container, Container::Empty);
        assert!(scanned.payloads.is_empty());
        assert!(scanned.error.is_some());
    }

    #[test]
    fn missing_file_is_not_found() {
        let tmp = tempfile::tempdir().unwrap();
        let err = scan(&InputSpec::Path(tmp.path().join("gone.har")), &limits()).unwrap_err();
        assert!(matches!(err, InputError::NotFound { .. }));
    }

    #[test]
    fn directory_is_an_io_error() {
        let tmp = tempfile::tempdir().unwrap();
        let err = scan(&InputSpec::Path(tmp.path().to_path_buf()), &limits()).unwrap_err();
        assert!(matches!(err, InputError::Io { .. }));
    }

    #[test]
    fn text_file_is_one_payload_exactly_as_found() {
        let tmp = tempfile::tempdir().unwrap();
        let content = b"\n  SAMLResponse=PHNhbWxwOlJlc3BvbnNl%2B&RelayState=x\n";
        let path = write_file(tmp.path(), "body.txt", content);
        let scanned = scan(&InputSpec::Path(path), &limits()).unwrap();
        assert_eq!(scanned.container, Container::Text);
        assert_eq!(scanned.error, None);
        assert_eq!(scanned.stats, None);
        let [p] = scanned.payloads.as_slice() else {
            panic!("one payload expected")
        };
        assert_eq!(p.raw, content);
        assert_eq!(p.binding, Binding::Unknown);
        assert_eq!(p.param, None);
        assert_eq!(p.form, RawForm::Encoded);
        assert_eq!(p.origin.kind, OriginKind::File);
        assert_eq!(p.origin.entry, None);
    }

    #[test]
    fn xml_file_with_json_extension_is_text() {
        let tmp = tempfile::tempdir().unwrap();
        let content = b"<samlp:Response ID=\"x\"/>";
        let path = write_file(tmp.path(), "odd.json", content);
        let scanned = scan(&InputSpec::Path(path), &limits()).unwrap();
        assert_eq!(scanned.container, Container::Text);
        assert_eq!(scanned.payloads.len(), 1);
    }

    #[test]
    fn other_json_object_is_text() {
        let tmp = tempfile::tempdir().unwrap();
        let content = br#"{"SAMLResponse": "PHNhbWw+"}"#;
        let path = write_file(tmp.path(), "paste.json", content);
        let scanned = scan(&InputSpec::Path(path), &limits()).unwrap();
        assert_eq!(scanned.container, Container::Text);
        assert_eq!(scanned.payloads[0].raw, content);
        // Broken JSON that was never recognised is text too.
        let scanned = scan_bytes(b"{not json", OriginKind::Paste, &limits());
        assert_eq!(scanned.container, Container::Text);
        assert_eq!(scanned.payloads[0].origin.kind, OriginKind::Paste);
    }

    #[test]
    fn text_over_the_limit_has_no_payload() {
        let tmp = tempfile::tempdir().unwrap();
        let path = write_file(tmp.path(), "big.b64", &[b'A'; 100]);
        let small = Limits {
            max_payload_bytes: 64,
            ..Limits::default()
        };
        let scanned = scan(&InputSpec::Path(path), &small).unwrap();
        assert_eq!(scanned.container, Container::Text);
        assert!(scanned.payloads.is_empty());
        assert!(scanned.error.is_none());
        let error = scanned.limit_exceeded.unwrap();
        assert!(error.contains("100 bytes"), "{error}");
        assert!(error.contains("64 bytes"), "{error}");

        let scanned = scan_bytes(&[b'A'; 100], OriginKind::Paste, &small);
        assert!(scanned.payloads.is_empty());
        assert!(scanned.limit_exceeded.is_some());
    }

    #[test]
    fn har_extension_with_text_content_is_a_har_error() {
        let tmp = tempfile::tempdir().unwrap();
        let path = write_file(tmp.path(), "capture.har", b"PHNhbWxwOlJlc3BvbnNl\n");
        let scanned = scan(&InputSpec::Path(path), &limits()).unwrap();
        assert_eq!(scanned.container, Container::Har);
        assert!(scanned.payloads.is_empty());
        let error = scanned.error.unwrap();
        assert!(error.starts_with("not a HAR file: "), "{error}");
        assert!(error.contains("line 1 column"), "{error}");

        let path = write_file(tmp.path(), "other.har", br#"{"something": 1}"#);
        let scanned = scan(&InputSpec::Path(path), &limits()).unwrap();
        assert_eq!(scanned.container, Container::Har);
        assert!(scanned.error.unwrap().starts_with("not a HAR file"));
    }

    #[test]
    fn bom_and_whitespace_before_json_are_skipped() {
        let har = "\u{feff}\n\n  {\"log\": {\"entries\": [{\"request\": {\"method\": \"GET\", \
                   \"url\": \"https://sp.example/acs?SAMLRequest=abc\"}}]}}";
        let tmp = tempfile::tempdir().unwrap();
        let path = write_file(tmp.path(), "capture.json", har.as_bytes());
        let scanned = scan(&InputSpec::Path(path), &limits()).unwrap();
        assert_eq!(scanned.container, Container::Har);
        assert_eq!(scanned.payloads.len(), 1);

        let scanned = scan_bytes(har.as_bytes(), OriginKind::Stdin, &limits());
        assert_eq!(scanned.container, Container::Har);
        assert_eq!(scanned.payloads.len(), 1);
        assert_eq!(scanned.payloads[0].origin.kind, OriginKind::Har);
    }

    #[test]
    fn long_leading_whitespace_is_sniffed_past() {
        let mut content = vec![b' '; 20_000];
        content.extend_from_slice(br#"{"requests": [], "timestamp": "2026-01-15T10:00:00Z"}"#);
        let tmp = tempfile::tempdir().unwrap();
        let path = write_file(tmp.path(), "export.txt", &content);
        let scanned = scan(&InputSpec::Path(path), &limits()).unwrap();
        assert_eq!(scanned.container, Container::Tracer);
        assert_eq!(scanned.error, None);
    }

    /// Small files are read whole, large ones sniffed and streamed: both give the same
    /// result for every kind of content.
    #[test]
    fn whole_and_streamed_reads_agree() {
        let har = br#"{"log": {"entries": [{"request": {"method": "POST", "url": "https://signin.aws.amazon.com/saml", "postData": {"mimeType": "application/x-www-form-urlencoded", "text": "SAMLResponse=PHNhbWw%2B&RelayState=r"}}}]}}"#;
        let mut spaced = vec![b' '; 20_000];
        spaced.extend_from_slice(br#"{"requests": [], "timestamp": "2026-01-15T10:00:00Z"}"#);
        let cases: [(&str, &[u8]); 8] = [
            ("capture.har", har),
            (
                "capture.json",
                &[b"\xEF\xBB\xBF\n ".as_slice(), har].concat(),
            ),
            ("export.txt", &spaced),
            ("value.b64", b"PHNhbWxwOlJlc3BvbnNl\n"),
            ("body.txt", b"SAMLResponse=PHNhbWw%2B&RelayState=x"),
            ("broken.har", b"PHNhbWxwOlJlc3BvbnNl\n"),
            ("other.json", br#"{"SAMLResponse": "PHNhbWw+"}"#),
            ("truncated.har", &har[..har.len() - 3]),
        ];
        let tmp = tempfile::tempdir().unwrap();
        for (name, content) in cases {
            let path = write_file(tmp.path(), name, content);
            // The content read whole is shown to the caller as it is on disk; a
            // streamed file is not read whole, so there is nothing to show.
            let mut seen = None;
            let whole = scan_path_reading_whole(&path, &limits(), SMALL_FILE, &mut |b| {
                seen = Some(b.to_vec());
            })
            .unwrap();
            assert_eq!(seen.as_deref(), Some(content), "{name}");
            let streamed = scan_path_reading_whole(&path, &limits(), 0, &mut |_| {
                panic!("{name}: a streamed file was shown whole");
            })
            .unwrap();
            assert_eq!(format!("{whole:?}"), format!("{streamed:?}"), "{name}");
            if name.starts_with("capture") {
                assert_eq!(whole.payloads.len(), 1, "{name}");
            }
        }
    }

    #[test]
    fn empty_bytes_is_empty_input() {
        let scanned = scan_bytes(b"", OriginKind::Paste, &limits());
        assert_eq!(scanned.container, Container::Empty);
        assert_eq!(scanned.error.as_deref(), Some("the input is empty"));
    }
}
