//! The proxy's HAR file, appended to in place.
//!
//! The file is laid out as one head line, one line per entry and a fixed closing
//! line:
//!
//! ```text
//! {"log":{"version":"1.2",...,"entries":[
//! {...entry...},
//! {...entry...}
//! ]}}
//! ```
//!
//! A capture overwrites the closing line with `,` + its entry + the closing line,
//! so what it costs does not depend on how many entries the file already has, and
//! the file is a complete HAR again as soon as the write returns. An entry whose
//! response has not come yet stays in memory (with the ones after it) until it is
//! settled, so it can be rewritten in place with its response. A write cut short
//! (the proxy killed mid-write, a full disk) leaves a torn last line, which the
//! next start cuts off. Only a HAR in another layout (from a browser, say) is
//! rewritten once, at start, through a temporary file that is removed on failure.

use std::collections::VecDeque;
use std::fs::{self, File};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

/// Why the HAR file cannot be opened or written.
#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    #[error("{}: {cause}", path.display())]
    Io { path: PathBuf, cause: io::Error },
    #[error(
        "{}: exists but is not a HAR file ({reason}); choose another --har file",
        path.display()
    )]
    NotHar { path: PathBuf, reason: String },
}

impl CaptureError {
    /// The reason alone, without the path (for a status line).
    pub fn reason(&self) -> String {
        match self {
            CaptureError::Io { cause, .. } => cause.to_string(),
            CaptureError::NotHar { reason, .. } => reason.clone(),
        }
    }
}

/// The line that ends the file; every append starts where it starts.
const CLOSE: &[u8] = b"\n]}}\n";
/// An entry still waiting for its response is kept in memory with the entries
/// after it; past this many, the oldest is left as written.
const MAX_UNSETTLED_TAIL: usize = 256;

/// What the writer had to repair when it opened the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// Created, or appended to as it was.
    Clean,
    /// A torn last entry (an interrupted write) was cut off.
    TornTail { dropped_bytes: u64 },
    /// A HAR in another layout was rewritten once in the append layout.
    Rewritten,
}

/// One entry from the oldest unsettled one on: where it starts in the file and
/// its JSON, to rewrite it (and those after it) when its response comes.
#[derive(Debug)]
struct TailEntry {
    id: u64,
    offset: u64,
    entry: Value,
    unsettled: bool,
    /// The file's first entry (no `,` before it).
    first: bool,
}

/// The bytes of the file from one tail entry on: the entries and [`CLOSE`], where
/// each entry starts, and where [`CLOSE`] starts.
struct Rewrite {
    bytes: Vec<u8>,
    starts: Vec<u64>,
    end: u64,
}

/// A HAR file that is a complete HAR 1.2 document after every append.
#[derive(Debug)]
pub(crate) struct HarWriter {
    path: PathBuf,
    file: File,
    redact: bool,
    entries: usize,
    /// Where [`CLOSE`] starts.
    end: u64,
    tail: VecDeque<TailEntry>,
    opened: Opened,
    bytes_written: u64,
    /// Flush each capture to the disk before the next (off only in tests).
    sync: bool,
    /// Writes reaching past this size fail part-way, as past a file-size limit
    /// or on a full disk (tests only).
    #[cfg(test)]
    limit: Option<u64>,
}

impl HarWriter {
    /// Opens `path`: an existing HAR is appended to (its entries are kept), an
    /// absent or empty file is started. Anything else is refused, not overwritten.
    /// The file exists and is valid once this returns.
    pub(crate) fn open(path: &Path, redact: bool) -> Result<Self, CaptureError> {
        let io_err = |source: io::Error| CaptureError::Io {
            path: path.to_owned(),
            cause: source,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
            && !dir.is_dir()
        {
            return Err(CaptureError::Io {
                path: path.to_owned(),
                cause: io::Error::new(
                    io::ErrorKind::NotFound,
                    format!("directory {} does not exist", dir.display()),
                ),
            });
        }
        remove_stale_temporaries(path);
        let mut options = fs::OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            // The HAR holds SAML assertions: owner-only, like the CA key.
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(path).map_err(io_err)?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(io_err)?;

        let mut writer = HarWriter {
            path: path.to_owned(),
            file,
            redact,
            entries: 0,
            end: 0,
            tail: VecDeque::new(),
            opened: Opened::Clean,
            bytes_written: 0,
            sync: true,
            #[cfg(test)]
            limit: None,
        };
        if bytes.iter().all(u8::is_ascii_whitespace) {
            let head = head_line(&empty_log());
            writer.replace_all(&head, &[])?;
            return Ok(writer);
        }
        if let Some(layout) = read_layout(&bytes) {
            writer.entries = layout.entries;
            writer.end = layout.end;
            let exact = !layout.torn && len_u64(&bytes) == layout.end + len_u64(CLOSE);
            if !exact {
                // A torn entry, or bytes after a complete document: cut back to
                // the last complete entry.
                writer.write_at(layout.end, CLOSE)?;
                writer
                    .file
                    .set_len(layout.end + len_u64(CLOSE))
                    .map_err(io_err)?;
                writer.file.sync_data().map_err(io_err)?;
                if layout.torn {
                    writer.opened = Opened::TornTail {
                        dropped_bytes: len_u64(&bytes).saturating_sub(layout.end),
                    };
                }
            }
            return Ok(writer);
        }
        let not_har = |reason: String| CaptureError::NotHar {
            path: path.to_owned(),
            reason,
        };
        let mut doc: Value = serde_json::from_slice(&bytes).map_err(|e| not_har(e.to_string()))?;
        let Some(log) = doc.get_mut("log").and_then(Value::as_object_mut) else {
            return Err(not_har("no log object".to_owned()));
        };
        let Some(Value::Array(entries)) = log.remove("entries") else {
            return Err(not_har("no log.entries array".to_owned()));
        };
        let head = head_line(log);
        let lines: Vec<Vec<u8>> = entries
            .iter()
            .map(serde_json::to_vec)
            .collect::<Result<_, _>>()
            .map_err(|e| io_err(io::Error::other(e)))?;
        writer.rewrite_through_temporary(&head, &lines)?;
        writer.opened = Opened::Rewritten;
        Ok(writer)
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Number of entries in the file.
    pub(crate) fn len(&self) -> usize {
        self.entries
    }

    /// Bytes written to the file so far (what a capture costs).
    #[cfg(test)]
    pub(crate) fn bytes_written(&self) -> u64 {
        self.bytes_written
    }

    /// What opening the file had to repair.
    pub(crate) fn opened(&self) -> &Opened {
        &self.opened
    }

    pub(crate) fn redact(&self) -> bool {
        self.redact
    }

    /// Appends one entry. `unsettled`: its response may still come
    /// ([`HarWriter::settle`] rewrites it then).
    pub(crate) fn append(
        &mut self,
        id: u64,
        entry: Value,
        unsettled: bool,
    ) -> Result<(), CaptureError> {
        let offset = self.end;
        let first = self.entries == 0;
        let mut line = Vec::with_capacity(1024);
        if !first {
            line.push(b',');
        }
        line.push(b'\n');
        serde_json::to_writer(&mut line, &entry).map_err(|e| self.io_error(io::Error::other(e)))?;
        let entry_end = offset + len_u64(&line);
        line.extend_from_slice(CLOSE);
        if let Err(e) = self.write_at(offset, &line).and_then(|()| self.flush()) {
            self.repair();
            return Err(e);
        }
        self.end = entry_end;
        self.entries += 1;
        if unsettled || !self.tail.is_empty() {
            self.tail.push_back(TailEntry {
                id,
                offset,
                entry,
                unsettled,
                first,
            });
            self.trim_tail();
        }
        Ok(())
    }

    /// Gives the entry `id` its final form (`update` edits its JSON) and rewrites
    /// it and the entries after it. Returns false when the entry is no longer
    /// kept (it was written long ago, or never).
    ///
    /// When the rewrite fails (a full disk: the settled entry is longer), the
    /// entries are put back as they were, which needs no new space: the file stays
    /// a valid HAR with the entry as first written, and is not settled again.
    pub(crate) fn settle(
        &mut self,
        id: u64,
        update: impl FnOnce(&mut Value),
    ) -> Result<bool, CaptureError> {
        let Some(index) = self.tail.iter().position(|t| t.id == id && t.unsettled) else {
            return Ok(false);
        };
        let before = self.tail[index].entry.clone();
        update(&mut self.tail[index].entry);
        self.tail[index].unsettled = false;
        let written = self
            .tail_bytes(index)
            .and_then(|rewrite| self.rewrite_tail(index, &rewrite));
        if let Err(e) = written {
            self.tail[index].entry = before;
            if let Ok(rewrite) = self.tail_bytes(index) {
                let _ = self.rewrite_tail(index, &rewrite);
            }
            self.pop_settled();
            return Err(e);
        }
        self.pop_settled();
        Ok(true)
    }

    /// The file from tail entry `index` on, as it is to be written.
    fn tail_bytes(&self, index: usize) -> Result<Rewrite, CaptureError> {
        let start = self.tail[index].offset;
        let mut bytes = Vec::new();
        let mut starts = Vec::new();
        for t in self.tail.iter().skip(index) {
            starts.push(start + len_u64(&bytes));
            if !t.first {
                bytes.push(b',');
            }
            bytes.push(b'\n');
            serde_json::to_writer(&mut bytes, &t.entry)
                .map_err(|e| self.io_error(io::Error::other(e)))?;
        }
        let end = start + len_u64(&bytes);
        bytes.extend_from_slice(CLOSE);
        Ok(Rewrite { bytes, starts, end })
    }

    /// Writes a [`Rewrite`] of the tail from entry `index` in place and cuts the
    /// file after it.
    fn rewrite_tail(&mut self, index: usize, rewrite: &Rewrite) -> Result<(), CaptureError> {
        self.write_at(self.tail[index].offset, &rewrite.bytes)?;
        self.file
            .set_len(rewrite.end + len_u64(CLOSE))
            .map_err(|e| self.io_error(e))?;
        self.flush()?;
        for (t, &offset) in self.tail.iter_mut().skip(index).zip(&rewrite.starts) {
            t.offset = offset;
        }
        self.end = rewrite.end;
        Ok(())
    }

    fn pop_settled(&mut self) {
        while self.tail.front().is_some_and(|t| !t.unsettled) {
            self.tail.pop_front();
        }
    }

    fn trim_tail(&mut self) {
        while self.tail.len() > MAX_UNSETTLED_TAIL {
            self.tail.pop_front();
        }
        self.pop_settled();
    }

    /// Makes every later write fail, as a full disk would.
    #[cfg(test)]
    pub(crate) fn fail_writes(&mut self) {
        if let Ok(read_only) = File::open(&self.path) {
            self.file = read_only;
        }
    }

    /// After a failed write (a full disk): puts the closing line back where the
    /// last complete entry ends, so the file stays a valid HAR without the entry.
    /// Overwriting bytes the file already has needs no new space.
    fn repair(&mut self) {
        let end = self.end;
        if self.write_at(end, CLOSE).is_ok() {
            let _ = self.file.set_len(end + len_u64(CLOSE));
            let _ = self.file.sync_data();
        }
    }

    fn flush(&self) -> Result<(), CaptureError> {
        if self.sync {
            self.file.sync_data().map_err(|e| self.io_error(e))?;
        }
        Ok(())
    }

    fn io_error(&self, source: io::Error) -> CaptureError {
        CaptureError::Io {
            path: self.path.clone(),
            cause: source,
        }
    }

    fn write_at(&mut self, offset: u64, bytes: &[u8]) -> Result<(), CaptureError> {
        #[cfg(test)]
        if let Some(limit) = self.limit
            && offset + len_u64(bytes) > limit
        {
            let fits = usize::try_from(limit.saturating_sub(offset)).unwrap_or(usize::MAX);
            let _ = self
                .file
                .seek(SeekFrom::Start(offset))
                .and_then(|_| self.file.write_all(&bytes[..fits.min(bytes.len())]));
            return Err(self.io_error(io::ErrorKind::FileTooLarge.into()));
        }
        self.file
            .seek(SeekFrom::Start(offset))
            .and_then(|_| self.file.write_all(bytes))
            .map_err(|e| self.io_error(e))?;
        self.bytes_written += len_u64(bytes);
        Ok(())
    }

    /// Writes the whole file in place (a new or empty file: nothing to lose).
    fn replace_all(&mut self, head: &[u8], lines: &[Vec<u8>]) -> Result<(), CaptureError> {
        let (bytes, end) = layout_bytes(head, lines);
        self.write_at(0, &bytes)?;
        self.file
            .set_len(len_u64(&bytes))
            .map_err(|e| self.io_error(e))?;
        self.file.sync_data().map_err(|e| self.io_error(e))?;
        self.entries = lines.len();
        self.end = end;
        Ok(())
    }

    /// Writes the whole file beside it and renames it over (an existing HAR in
    /// another layout: never left half-converted).
    fn rewrite_through_temporary(
        &mut self,
        head: &[u8],
        lines: &[Vec<u8>],
    ) -> Result<(), CaptureError> {
        let (bytes, end) = layout_bytes(head, lines);
        let tmp = temporary_path(&self.path);
        let result = (|| {
            let mut options = fs::OpenOptions::new();
            options.read(true).write(true).create(true).truncate(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            let mut file = options.open(&tmp)?;
            file.write_all(&bytes)?;
            file.sync_all()?;
            fs::rename(&tmp, &self.path)?;
            Ok::<_, io::Error>(file)
        })();
        match result {
            Ok(file) => {
                self.file = file;
                self.bytes_written += len_u64(&bytes);
                self.entries = lines.len();
                self.end = end;
                Ok(())
            }
            Err(e) => {
                let _ = fs::remove_file(&tmp);
                Err(self.io_error(e))
            }
        }
    }
}

/// What a HAR file holds now: its number of entries, and whether its end is
/// torn (an interrupted write the next start will cut off).
pub(crate) fn on_disk(path: &Path) -> io::Result<(usize, bool)> {
    let bytes = fs::read(path)?;
    if let Some(layout) = read_layout(&bytes) {
        return Ok((layout.entries, layout.torn));
    }
    let doc: Value = serde_json::from_slice(&bytes).map_err(io::Error::other)?;
    Ok((doc["log"]["entries"].as_array().map_or(0, Vec::len), false))
}

fn len_u64(b: &[u8]) -> u64 {
    u64::try_from(b.len()).unwrap_or(u64::MAX)
}

fn empty_log() -> Map<String, Value> {
    let mut log = Map::new();
    log.insert("version".to_owned(), Value::from("1.2"));
    log.insert(
        "creator".to_owned(),
        serde_json::json!({"name": "samlint proxy", "version": env!("CARGO_PKG_VERSION")}),
    );
    log.insert("pages".to_owned(), Value::Array(Vec::new()));
    log
}

/// `{"log":{...the log's other fields...,"entries":[`
fn head_line(log: &Map<String, Value>) -> Vec<u8> {
    let mut head = b"{\"log\":".to_vec();
    let fields = Value::Object(log.clone()).to_string();
    let inner = fields.strip_suffix('}').unwrap_or("{");
    head.extend_from_slice(inner.as_bytes());
    if !log.is_empty() {
        head.push(b',');
    }
    head.extend_from_slice(b"\"entries\":[");
    head
}

/// The file's bytes for a head and entry lines, and where [`CLOSE`] starts.
fn layout_bytes(head: &[u8], lines: &[Vec<u8>]) -> (Vec<u8>, u64) {
    let mut bytes = head.to_vec();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            bytes.push(b',');
        }
        bytes.push(b'\n');
        bytes.extend_from_slice(line);
    }
    let end = len_u64(&bytes);
    bytes.extend_from_slice(CLOSE);
    (bytes, end)
}

/// A file in the append layout: how many entries, where the last complete one
/// ends, and whether something torn follows it.
struct Layout {
    entries: usize,
    end: u64,
    torn: bool,
}

fn read_layout(bytes: &[u8]) -> Option<Layout> {
    let head_len = bytes.iter().position(|&b| b == b'\n')?;
    let head = &bytes[..head_len];
    if !head.starts_with(b"{\"log\":") || !head.ends_with(b"\"entries\":[") {
        return None;
    }
    let mut entries = 0;
    let mut end = len_u64(head);
    let mut pos = head_len + 1;
    while pos < bytes.len() {
        let line_end = bytes[pos..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| pos + i);
        let line = &bytes[pos..line_end];
        if line == b"]}}" {
            return Some(Layout {
                entries,
                end,
                torn: false,
            });
        }
        let json = line.strip_suffix(b",").unwrap_or(line);
        if serde_json::from_slice::<Map<String, Value>>(json).is_err() {
            break;
        }
        entries += 1;
        end = len_u64(&bytes[..pos]) + len_u64(json);
        pos = line_end + 1;
    }
    Some(Layout {
        entries,
        end,
        torn: true,
    })
}

fn temporary_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "capture.har".into(), |n| n.to_string_lossy());
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

/// Temporary files an earlier run left behind (killed while converting a HAR):
/// they hold assertions.
fn remove_stale_temporaries(path: &Path) {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return;
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    let prefix = format!(".{name}.");
    let Ok(read) = fs::read_dir(dir) else { return };
    for entry in read.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        if file.starts_with(&prefix)
            && Path::new(&file)
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("tmp"))
        {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry(n: u64) -> Value {
        json!({
            "startedDateTime": "2026-01-15T10:00:02.000Z",
            "time": 1.0,
            "request": {"method": "GET", "url": format!("https://idp.example/sso?SAMLRequest=fZ{n:08}")},
            "response": {"status": 0, "comment": "no response yet"},
        })
    }

    fn read(path: &Path) -> Value {
        serde_json::from_slice(&fs::read(path).unwrap()).unwrap()
    }

    #[test]
    fn the_write_per_capture_does_not_grow_with_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.har");
        let mut har = HarWriter::open(&path, false).unwrap();
        // What is measured is the bytes written, not the disk's flush time.
        har.sync = false;
        let mut sizes = Vec::new();
        for n in 0..10_000 {
            let before = har.bytes_written();
            har.append(n, entry(n), false).unwrap();
            sizes.push(har.bytes_written() - before);
        }
        // Every capture after the first (which has no `,`) writes the same bytes.
        assert!(
            sizes[1..].iter().all(|&s| s == sizes[1]),
            "{:?}",
            &sizes[..3]
        );
        assert_eq!(sizes[0] + 1, sizes[1]);
        assert!(sizes[1] < 200, "{}", sizes[1]);
        assert_eq!(
            read(&path)["log"]["entries"].as_array().unwrap().len(),
            10_000
        );
        // Reopening 10,000 entries costs nothing to write.
        drop(har);
        let mut again = HarWriter::open(&path, false).unwrap();
        assert_eq!((again.len(), again.bytes_written()), (10_000, 0));
        again.append(10_000, entry(10_000), false).unwrap();
        assert_eq!(again.bytes_written(), sizes[1]);
    }

    #[test]
    fn a_response_is_written_into_its_entry_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.har");
        let mut har = HarWriter::open(&path, false).unwrap();
        har.append(1, entry(1), true).unwrap();
        har.append(2, entry(2), false).unwrap();
        har.append(3, entry(3), true).unwrap();
        let settled = har
            .settle(1, |e| {
                e["response"] = json!({"status": 302, "statusText": "Found"});
            })
            .unwrap();
        assert!(settled);
        let doc = read(&path);
        let entries = doc["log"]["entries"].as_array().unwrap();
        assert_eq!(entries.len(), 3);
        assert_eq!(entries[0]["response"]["status"], 302);
        assert_eq!(entries[1]["request"]["url"], entry(2)["request"]["url"]);
        assert!(
            har.settle(3, |e| e["response"]["comment"] = json!("no response: gone"))
                .unwrap()
        );
        assert_eq!(
            read(&path)["log"]["entries"][2]["response"]["comment"],
            "no response: gone"
        );
        // Settled once: a second answer is not written.
        assert!(!har.settle(1, |_| {}).unwrap());
        har.append(4, entry(4), false).unwrap();
        assert_eq!(read(&path)["log"]["entries"].as_array().unwrap().len(), 4);
    }

    #[test]
    fn a_response_that_does_not_fit_leaves_the_entry_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("full.har");
        let mut har = HarWriter::open(&path, false).unwrap();
        har.append(1, entry(1), true).unwrap();
        har.append(2, entry(2), false).unwrap();
        let before = fs::read(&path).unwrap();
        // The disk fills up: the file cannot grow by more than a few bytes.
        har.limit = Some(len_u64(&before) + 10);
        let grow = |e: &mut Value| {
            e["response"] =
                json!({"status": 302, "statusText": "Found", "headers": "x".repeat(100)});
        };
        assert!(har.settle(1, grow).is_err());
        // The file is the valid HAR it was, not the torn start of the longer entry.
        assert_eq!(fs::read(&path).unwrap(), before);
        // The entry is not settled again; later captures go on where the file ends.
        assert!(!har.settle(1, grow).unwrap());
        let e = har.append(3, entry(3), false).unwrap_err();
        assert!(e.to_string().contains("too large"), "{e}");
        assert_eq!(fs::read(&path).unwrap(), before);
        har.limit = None;
        har.append(4, entry(4), false).unwrap();
        let doc = read(&path);
        let entries = doc["log"]["entries"].as_array().unwrap();
        assert_eq!(entries.len(), 3);
        assert_eq!(entries[0]["response"]["status"], 0);
        assert_eq!(entries[2]["request"]["url"], entry(4)["request"]["url"]);
    }

    #[test]
    fn a_torn_last_entry_is_cut_off_on_the_next_start() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("torn.har");
        let mut har = HarWriter::open(&path, false).unwrap();
        har.append(1, entry(1), false).unwrap();
        har.append(2, entry(2), false).unwrap();
        drop(har);
        // A write cut short in the middle of the second entry.
        let full = fs::read(&path).unwrap();
        let cut = full.len() - CLOSE.len() - 20;
        fs::write(&path, &full[..cut]).unwrap();
        assert!(serde_json::from_slice::<Value>(&full[..cut]).is_err());

        let mut har = HarWriter::open(&path, false).unwrap();
        assert!(
            matches!(har.opened(), Opened::TornTail { .. }),
            "{:?}",
            har.opened()
        );
        assert_eq!(har.len(), 1);
        assert_eq!(read(&path)["log"]["entries"].as_array().unwrap().len(), 1);
        har.append(3, entry(3), false).unwrap();
        let doc = read(&path);
        assert_eq!(
            doc["log"]["entries"][1]["request"]["url"],
            entry(3)["request"]["url"]
        );
    }

    #[test]
    fn a_har_in_another_layout_is_converted_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("browser.har");
        let doc = json!({"log": {"version": "1.2", "creator": {"name": "Firefox"},
            "browser": {"name": "Firefox"}, "entries": [entry(1), entry(2)]}});
        fs::write(&path, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
        // A temporary file left by a killed run holds assertions: removed.
        let stale = dir.path().join(".browser.har.999.tmp");
        fs::write(&stale, "SAMLResponse").unwrap();
        let mut har = HarWriter::open(&path, false).unwrap();
        assert_eq!(har.opened(), &Opened::Rewritten);
        assert!(!stale.exists());
        har.append(3, entry(3), false).unwrap();
        let back = read(&path);
        assert_eq!(back["log"]["creator"]["name"], "Firefox");
        assert_eq!(back["log"]["browser"]["name"], "Firefox");
        assert_eq!(back["log"]["entries"].as_array().unwrap().len(), 3);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_missing_directory_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nope/c.har");
        let e = HarWriter::open(&path, false).unwrap_err().to_string();
        assert!(e.starts_with(&path.display().to_string()), "{e}");
        assert!(e.contains("does not exist"), "{e}");
        assert!(!e.contains(".c.har."), "{e}");
    }
}
