//! What the proxy records: SAML values found in a request, the HAR file they are
//! appended to, and the recorder thread that writes it and feeds the live view.
//!
//! A request is recorded as soon as its body is complete, before the upstream
//! answers; the response is added when (and if) it comes. Only requests that
//! carry `SAMLResponse` or `SAMLRequest` are written (see [`super::har`]).

use std::io;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender};

use bytes::Bytes;
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

use crate::input::form;
use crate::input::{Origin, OriginKind, Payload, RawForm};
use crate::limits::Limits;
use crate::redact::record::{self, PayloadRecord};
use crate::redact::{Policy, Redactor};
use crate::report::PayloadReport;

use super::har::{CaptureError, HarWriter};

pub(crate) use crate::input::form::Found;

/// The check run on an original payload before it is redacted (the live view's
/// check), so the HAR's record says what the original showed.
#[derive(Clone)]
pub struct Verdict(pub std::sync::Arc<dyn Fn(&Payload) -> PayloadReport + Send + Sync>);

impl std::fmt::Debug for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Verdict")
    }
}

/// Whether a request's body is worth buffering to look for SAML: a form POST.
pub(crate) fn is_form_post(method: &str, content_type: Option<&str>) -> bool {
    method.eq_ignore_ascii_case("POST")
        && content_type.is_some_and(|c| {
            const FORM: &str = "application/x-www-form-urlencoded";
            c.trim_start()
                .as_bytes()
                .get(..FORM.len())
                .is_some_and(|start| start.eq_ignore_ascii_case(FORM.as_bytes()))
        })
}

/// SAML values in a request: the form body of a POST (HTTP-POST binding) first,
/// then the query string of the URL (HTTP-Redirect binding), read by the one form
/// reader ([`form::find`]). An empty value is not a capture.
pub(crate) fn find(url: &str, form_body: Option<&[u8]>) -> Vec<Found> {
    let body = form_body.map(String::from_utf8_lossy);
    let mut found = form::find(Some(url), body.as_deref());
    found.retain(|f| !f.raw.is_empty());
    found
}

/// The response as the client received it (its body is not recorded).
#[derive(Debug, Clone)]
pub(crate) struct ResponseHead {
    pub status: u16,
    pub status_text: String,
    pub http_version: String,
    pub headers: Vec<(String, String)>,
}

/// One request that carried SAML, handed to the recorder as soon as its body is
/// complete; its response follows as a [`Record::Response`] if it comes.
#[derive(Debug, Clone)]
pub(crate) struct Exchange {
    pub started: DateTime<Utc>,
    pub method: String,
    pub url: String,
    pub http_version: String,
    pub request_headers: Vec<(String, String)>,
    /// The form body as recorded (the whole body, or only its SAML fields when
    /// it was large), when the request was a form POST.
    pub body: Option<Bytes>,
    /// The size of the body the client sent.
    pub body_size: usize,
    pub mime_type: Option<String>,
    /// Already known when the upstream answered before the body ended.
    pub response: Option<ResponseHead>,
    /// Milliseconds from the request to the response head.
    pub wait_ms: f64,
    pub found: Vec<Found>,
}

/// What the recorder is told, in order.
#[derive(Debug)]
pub(crate) enum Record {
    /// A request that carried SAML, its body complete.
    Request { id: u64, exchange: Box<Exchange> },
    /// The upstream's answer to request `id`.
    Response {
        id: u64,
        response: ResponseHead,
        wait_ms: f64,
    },
    /// Request `id` will get no response: why.
    NoResponse { id: u64, reason: String },
}

/// The HAR's state, shared with whoever shows it (the live view's status line,
/// the final line on stderr).
#[derive(Debug, Default)]
pub struct HarHealth {
    /// SAML payloads captured (handed to the live view).
    pub payloads: AtomicUsize,
    /// Captures handed to the recorder and not yet written (or failed).
    pub pending: AtomicUsize,
    /// Entries this run wrote to the file.
    pub written: AtomicUsize,
    /// Captures this run could not write.
    pub failed: AtomicUsize,
    /// Responses (or why none came) that could not be added to an entry already
    /// written: the entry stays as first written, with status 0.
    pub responses_failed: AtomicUsize,
    /// Why the last write failed.
    pub last_error: Mutex<Option<String>>,
}

impl HarHealth {
    /// `written 3, pending 1, failed 2 (last: No space left on device)`, with
    /// `, 1 response not added` before the reason when that happened too.
    pub fn summary(&self) -> String {
        use std::fmt::Write as _;
        let failed = self.failed.load(Ordering::SeqCst);
        let responses = self.responses_failed.load(Ordering::SeqCst);
        let mut s = format!(
            "written {}, pending {}, failed {failed}",
            self.written.load(Ordering::SeqCst),
            self.pending.load(Ordering::SeqCst),
        );
        if responses > 0 {
            let plural = if responses == 1 { "" } else { "s" };
            let _ = write!(s, ", {responses} response{plural} not added");
        }
        if self.any_failed()
            && let Ok(last) = self.last_error.lock()
            && let Some(e) = last.as_deref()
        {
            s.push_str(" (last: ");
            s.push_str(e);
            s.push(')');
        }
        s
    }

    /// Whether any write to the HAR failed (a capture or a response).
    pub fn any_failed(&self) -> bool {
        self.failed.load(Ordering::SeqCst) > 0 || self.responses_failed.load(Ordering::SeqCst) > 0
    }

    /// The last write error, if any.
    pub fn last_error(&self) -> Option<String> {
        self.last_error.lock().ok().and_then(|l| l.clone())
    }
}

const NO_RESPONSE_YET: &str =
    "no response yet: recorded when the request body was complete; the upstream had not answered";

impl Exchange {
    /// The exchange's SAML values as pipeline payloads; `entry` is the capture index.
    pub(crate) fn payloads(&self, entry: usize) -> Vec<Payload> {
        self.found
            .iter()
            .map(|f| Payload {
                origin: Origin {
                    kind: OriginKind::Proxy,
                    entry: Some(entry),
                    url: Some(self.url.clone()),
                    time: Some(self.started),
                    method: Some(self.method.clone()),
                    html_form: None,
                },
                binding: f.binding,
                param: Some(f.param),
                relay_state: f.relay_state.clone(),
                raw: f.raw.clone().into_bytes(),
                form: RawForm::Encoded,
                duplicate: f.duplicate,
            })
            .collect()
    }

    /// The HAR 1.2 entry for this exchange; without a response yet, a response
    /// with status 0 and a comment (as browsers write for a request that got none).
    pub(crate) fn har_entry(&self) -> Value {
        let query: Vec<Value> = self
            .url
            .split_once('#')
            .map_or(self.url.as_str(), |(u, _)| u)
            .split_once('?')
            .map(|(_, q)| {
                q.split('&')
                    .filter(|p| !p.is_empty())
                    .map(|p| {
                        let (n, v) = p.split_once('=').unwrap_or((p, ""));
                        json!({"name": form::component(n.as_bytes()), "value": form::component(v.as_bytes())})
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut request = json!({
            "method": self.method,
            "url": self.url,
            "httpVersion": self.http_version,
            "cookies": [],
            "headers": header_values(&self.request_headers),
            "queryString": query,
            "headersSize": -1,
            "bodySize": self.body_size,
        });
        if let Some(body) = &self.body {
            request["postData"] = json!({
                "mimeType": self.mime_type.clone().unwrap_or_default(),
                "text": String::from_utf8_lossy(body),
            });
            if body.len() != self.body_size {
                request["postData"]["comment"] = Value::from(format!(
                    "only the SAML fields of a {}-byte form are recorded",
                    self.body_size
                ));
            }
        }
        let mut entry = json!({
            "startedDateTime": self.started.to_rfc3339_opts(SecondsFormat::Millis, true),
            "time": self.wait_ms,
            "request": request,
            "response": {
                "status": 0,
                "statusText": "",
                "httpVersion": "",
                "cookies": [],
                "headers": [],
                "content": {"size": 0, "mimeType": ""},
                "redirectURL": "",
                "headersSize": -1,
                "bodySize": -1,
                "comment": NO_RESPONSE_YET,
            },
            "cache": {},
            "timings": {"send": 0, "wait": self.wait_ms, "receive": 0},
        });
        if let Some(r) = &self.response {
            set_response(&mut entry, r, self.wait_ms);
        }
        entry
    }
}

fn header_values(list: &[(String, String)]) -> Vec<Value> {
    list.iter()
        .map(|(n, v)| json!({"name": n, "value": v}))
        .collect()
}

/// Puts the response (status and headers; never its body) into a HAR entry.
pub(crate) fn set_response(entry: &mut Value, r: &ResponseHead, wait_ms: f64) {
    let header = |name: &str| {
        r.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    let content_length: i64 = header("content-length")
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(-1);
    entry["time"] = json!(wait_ms);
    entry["timings"]["wait"] = json!(wait_ms);
    entry["response"] = json!({
        "status": r.status,
        "statusText": r.status_text,
        "httpVersion": r.http_version,
        "cookies": [],
        "headers": header_values(&r.headers),
        "content": {
            "size": content_length.max(0),
            "mimeType": header("content-type").unwrap_or_default(),
            "comment": "response body not recorded",
        },
        "redirectURL": header("location").unwrap_or_default(),
        "headersSize": -1,
        "bodySize": content_length,
    });
}

/// Runs until every sender is gone: hands each capture's payloads to the live
/// view, then writes it to the HAR (so the live line never waits for the disk).
/// With `--redact` every entry goes through the same [`Redactor`] as `samlint
/// redact`, one per run, so a person keeps one pseudonym across the file; the live
/// view still gets the real payloads (it is the user's own terminal).
/// Problems go to `notices`; the HAR's state to `health`.
pub(crate) fn record(
    mut har: Option<HarWriter>,
    limits: &Limits,
    verdict: Option<&Verdict>,
    records: &Receiver<Record>,
    captures: &Sender<Payload>,
    notices: &Sender<String>,
    health: &HarHealth,
) {
    let mut redactor = har
        .as_ref()
        .filter(|h| h.redact())
        .map(|_| Redactor::new(Policy::default(), *limits));
    let mut kept = har
        .as_ref()
        .filter(|_| redactor.is_some() && verdict.is_some())
        .map(|h| Kept::open(h.path()));
    let mut index = 0;
    let fail = |e: &CaptureError| {
        health.failed.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut last) = health.last_error.lock() {
            *last = Some(e.reason());
        }
        let _ = notices.send(format!("could not write the HAR: {e}"));
    };
    // The capture is on disk; what it got back is not.
    let fail_response = |e: &CaptureError| {
        health.responses_failed.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut last) = health.last_error.lock() {
            *last = Some(e.reason());
        }
        let _ = notices.send(format!(
            "could not add a response to its entry in the HAR (the entry stays, with status 0): {e}"
        ));
    };
    for record in records {
        match record {
            Record::Request { id, exchange } => {
                for payload in exchange.payloads(index) {
                    health.payloads.fetch_add(1, Ordering::SeqCst);
                    // The live view may have gone; recording goes on.
                    let _ = captures.send(payload);
                }
                index += 1;
                if let Some(h) = har.as_mut() {
                    let mut entry = exchange.har_entry();
                    if let Some(r) = redactor.as_mut() {
                        r.har_entry(&mut entry);
                    }
                    if let (Some(k), Some(v)) = (kept.as_mut(), verdict) {
                        k.add(&exchange, &entry, h.len(), v);
                    }
                    match h.append(id, entry, exchange.response.is_none()) {
                        Ok(()) => {
                            health.written.fetch_add(1, Ordering::SeqCst);
                            if let Some(Err(e)) = kept.as_ref().map(Kept::write) {
                                fail(&e);
                            }
                        }
                        Err(e) => fail(&e),
                    }
                }
                health.pending.fetch_sub(1, Ordering::SeqCst);
            }
            Record::Response {
                id,
                response,
                wait_ms,
            } => {
                if let Some(h) = har.as_mut() {
                    let settled = h.settle(id, |entry| {
                        let Some(r) = redactor.as_mut() else {
                            set_response(entry, &response, wait_ms);
                            return;
                        };
                        // Only the response is redacted: the request already was,
                        // and its pseudonyms must not be replaced again.
                        let mut alone = json!({"timings": {}});
                        set_response(&mut alone, &response, wait_ms);
                        r.har_entry(&mut alone);
                        entry["response"] = alone["response"].take();
                        entry["time"] = json!(wait_ms);
                        entry["timings"]["wait"] = json!(wait_ms);
                    });
                    if let Err(e) = settled {
                        fail_response(&e);
                    }
                }
            }
            Record::NoResponse { id, reason } => {
                if let Some(h) = har.as_mut()
                    && let Err(e) = h.settle(id, |entry| {
                        entry["response"]["comment"] =
                            Value::from(format!("no response: {reason}"));
                    })
                {
                    fail_response(&e);
                }
            }
        }
    }
}

/// The verdicts taken before redaction, kept beside a redacted HAR in the sidecar
/// `samlint check` reads (`FILE.samlint-record`): the HAR's own `log.comment` is
/// on its first line, which appending in place never rewrites.
struct Kept {
    path: PathBuf,
    record: record::Record,
}

impl Kept {
    /// Starts from the sidecar an earlier run left, so appending keeps its records.
    fn open(har: &std::path::Path) -> Self {
        let path = record::sidecar(har);
        let earlier = std::fs::read(&path)
            .ok()
            .and_then(|b| serde_json::from_slice::<record::Record>(&b).ok());
        Kept {
            path,
            record: earlier.unwrap_or_else(|| record::Record {
                samlint: env!("CARGO_PKG_VERSION").to_owned(),
                payloads: Vec::new(),
            }),
        }
    }

    /// Records each payload of `exchange` (checked now) against its redacted value
    /// in `entry`, the HAR's entry number `at`.
    fn add(&mut self, exchange: &Exchange, entry: &Value, at: usize, verdict: &Verdict) {
        let url = entry["request"]["url"].as_str().unwrap_or_default();
        let text = entry["request"]["postData"]["text"].as_str();
        let redacted = find(url, text.map(str::as_bytes));
        for (payload, red) in exchange.payloads(at).iter().zip(&redacted) {
            let report = (verdict.0)(payload);
            let place = format!(
                "{} in entry {at}",
                payload.param.map_or("payload", |p| p.name())
            );
            let rec: PayloadRecord =
                record::payload_record(place, &payload.raw, red.raw.as_bytes(), &report);
            self.record.payloads.push(rec);
        }
    }

    /// Replaces the sidecar whole (through a temporary file, so it is never torn).
    fn write(&self) -> Result<(), CaptureError> {
        let io_err = |cause| CaptureError::Io {
            path: self.path.clone(),
            cause,
        };
        let mut bytes =
            serde_json::to_vec_pretty(&self.record).map_err(|e| io_err(io::Error::other(e)))?;
        bytes.push(b'\n');
        let mut tmp = self.path.as_os_str().to_owned();
        tmp.push(".tmp");
        let written = std::fs::write(&tmp, &bytes).and_then(|()| std::fs::rename(&tmp, &self.path));
        if written.is_err() {
            // A full disk: no half-written copy is left beside the HAR.
            let _ = std::fs::remove_file(&tmp);
        }
        written.map_err(io_err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{self, Binding, InputSpec, SamlParam};
    use std::fs;
    use std::path::Path;

    fn exchange(url: &str, body: Option<&str>) -> Exchange {
        let body = body.map(|b| Bytes::from(b.to_owned()));
        Exchange {
            started: "2026-01-15T10:00:02Z".parse().unwrap(),
            method: if body.is_some() { "POST" } else { "GET" }.to_owned(),
            url: url.to_owned(),
            http_version: "HTTP/1.1".to_owned(),
            request_headers: vec![
                ("Host".to_owned(), "signin.aws.amazon.com".to_owned()),
                ("Cookie".to_owned(), "session=secret".to_owned()),
                ("Authorization".to_owned(), "Bearer secret".to_owned()),
            ],
            found: find(url, body.as_deref()),
            body_size: body.as_ref().map_or(0, Bytes::len),
            body,
            mime_type: Some("application/x-www-form-urlencoded".to_owned()),
            response: Some(ResponseHead {
                status: 302,
                status_text: "Found".to_owned(),
                http_version: "HTTP/1.1".to_owned(),
                headers: vec![
                    (
                        "Location".to_owned(),
                        "https://console.aws.amazon.com/".to_owned(),
                    ),
                    ("Set-Cookie".to_owned(), "aws-creds=secret".to_owned()),
                ],
            }),
            wait_ms: 12.5,
        }
    }

    #[test]
    fn finds_post_and_redirect_values() {
        let f = find(
            "https://x/saml?SAMLRequest=fZ%2B&RelayState=a",
            Some(b"SAMLResponse=PD94%2Bbw%3D%3D&RelayState=r%20s"),
        );
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].param, SamlParam::Response);
        assert_eq!(f[0].binding, Binding::Post);
        assert_eq!(f[0].raw, "PD94%2Bbw%3D%3D");
        assert_eq!(f[0].relay_state.as_deref(), Some("r s"));
        assert_eq!(f[1].param, SamlParam::Request);
        assert_eq!(f[1].binding, Binding::Redirect);
        assert!(find("https://x/?q=SAMLResponse", Some(b"a=b")).is_empty());
        assert!(find("https://x/?SAMLResponse=", None).is_empty());
    }

    #[test]
    fn form_posts_are_recognised() {
        assert!(is_form_post(
            "POST",
            Some("Application/X-WWW-Form-Urlencoded; charset=UTF-8")
        ));
        assert!(!is_form_post(
            "GET",
            Some("application/x-www-form-urlencoded")
        ));
        assert!(!is_form_post("POST", Some("application/json")));
        assert!(!is_form_post("POST", None));
        assert!(is_form_post(
            "post",
            Some(" application/x-www-form-urlencoded")
        ));
        assert!(!is_form_post("POST", Some("application/x-www")));
    }

    #[test]
    fn har_is_valid_after_each_append_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("capture.har");
        let mut har = HarWriter::open(&path, false).unwrap();
        let limits = Limits::default();
        let scan = |path: &Path| input::scan(&InputSpec::Path(path.to_owned()), &limits).unwrap();
        // Valid (and empty) before the first capture.
        let empty = scan(&path);
        assert_eq!(empty.error, None);
        assert!(empty.payloads.is_empty());

        let sample = fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/okta-aws-iam.b64"),
        )
        .unwrap();
        let encoded: String = form_urlencoded::byte_serialize(sample.trim().as_bytes()).collect();
        let post = exchange(
            "https://signin.aws.amazon.com/saml",
            Some(&format!("SAMLResponse={encoded}&RelayState=x")),
        );
        let get = exchange(
            "https://idp.example/sso?SAMLRequest=fZBBT8MwDIX%2F&RelayState=y",
            None,
        );
        for (n, ex) in [&post, &get].into_iter().enumerate() {
            har.append(n as u64, ex.har_entry(), false).unwrap();
            let text = fs::read_to_string(&path).unwrap();
            let doc: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(doc["log"]["version"], "1.2");
            assert_eq!(doc["log"]["entries"].as_array().unwrap().len(), n + 1);
            let scanned = scan(&path);
            assert_eq!(scanned.error, None);
            assert_eq!(scanned.payloads.len(), n + 1);
        }
        let scanned = scan(&path);
        assert_eq!(scanned.payloads[0].raw, encoded.as_bytes());
        assert_eq!(scanned.payloads[0].relay_state.as_deref(), Some("x"));
        assert_eq!(scanned.payloads[1].binding, Binding::Redirect);
        // Reopening appends rather than truncates.
        drop(har);
        let mut again = HarWriter::open(&path, false).unwrap();
        assert_eq!(again.len(), 2);
        again.append(9, post.har_entry(), false).unwrap();
        assert_eq!(scan(&path).payloads.len(), 3);
        // No temporary file is left beside it.
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_failed_write_is_counted_and_named_and_the_capture_still_shown() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.har");
        let mut har = HarWriter::open(&path, false).unwrap();
        har.fail_writes();
        let (tx, rx) = std::sync::mpsc::channel();
        let (captures_tx, captures) = std::sync::mpsc::channel();
        let (notices_tx, notices) = std::sync::mpsc::channel();
        let health = HarHealth::default();
        let ex = exchange("https://x/saml", Some("SAMLResponse=abc"));
        health.pending.fetch_add(1, Ordering::SeqCst);
        tx.send(Record::Request {
            id: 1,
            exchange: Box::new(ex),
        })
        .unwrap();
        drop(tx);
        record(
            Some(har),
            &Limits::default(),
            None,
            &rx,
            &captures_tx,
            &notices_tx,
            &health,
        );
        assert_eq!(
            captures.try_iter().count(),
            1,
            "shown even though not written"
        );
        assert_eq!(health.failed.load(Ordering::SeqCst), 1);
        assert_eq!(health.written.load(Ordering::SeqCst), 0);
        let summary = health.summary();
        assert!(
            summary.starts_with("written 0, pending 0, failed 1 (last: "),
            "{summary}"
        );
        let notice = notices.try_recv().unwrap();
        assert!(notice.starts_with("could not write the HAR: "), "{notice}");
        health.responses_failed.fetch_add(2, Ordering::SeqCst);
        let summary = health.summary();
        assert!(
            summary.starts_with("written 0, pending 0, failed 1, 2 responses not added (last: "),
            "{summary}"
        );
        // The file is still the valid, empty HAR it was.
        let doc: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(doc["log"]["entries"], json!([]));
    }

    #[test]
    fn redact_writes_pseudonyms_and_no_credentials_and_shows_the_real_payload() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.har");
        let har = HarWriter::open(&path, true).unwrap();
        let sample = fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/okta-aws-iam.b64"),
        )
        .unwrap();
        let encoded: String = form_urlencoded::byte_serialize(sample.trim().as_bytes()).collect();
        let body = format!("SAMLResponse={encoded}&RelayState=jane.doe%40example.com");
        let mut first = exchange("https://signin.aws.amazon.com/saml", Some(&body));
        let response = first.response.take().unwrap();
        let second = exchange("https://signin.aws.amazon.com/saml", Some(&body));
        let (tx, rx) = std::sync::mpsc::channel();
        let (captures_tx, captures) = std::sync::mpsc::channel();
        let (notices_tx, _notices) = std::sync::mpsc::channel();
        let health = HarHealth::default();
        health.pending.fetch_add(2, Ordering::SeqCst);
        for (id, ex) in [(1, first), (2, second)] {
            tx.send(Record::Request {
                id,
                exchange: Box::new(ex),
            })
            .unwrap();
        }
        // The first request's response comes after the second request.
        tx.send(Record::Response {
            id: 1,
            response,
            wait_ms: 3.0,
        })
        .unwrap();
        drop(tx);
        let verdict = Verdict(std::sync::Arc::new(|p: &Payload| {
            crate::pipeline::check_payload(0, p, &crate::pipeline::Options::default())
        }));
        record(
            Some(har),
            &Limits::default(),
            Some(&verdict),
            &rx,
            &captures_tx,
            &notices_tx,
            &health,
        );
        assert_eq!(
            health.failed.load(Ordering::SeqCst),
            0,
            "{}",
            health.summary()
        );
        let sidecar = fs::read_to_string(record::sidecar(&path)).unwrap();
        let kept: record::Record = serde_json::from_str(&sidecar).unwrap();
        assert_eq!(kept.payloads.len(), 2, "{sidecar}");
        assert!(!sidecar.contains("jane.doe"), "{sidecar}");

        let shown: Vec<Payload> = captures.try_iter().collect();
        assert_eq!(shown.len(), 2);
        assert_eq!(
            shown[0].raw,
            encoded.as_bytes(),
            "the live view gets the original"
        );
        let text = fs::read_to_string(&path).unwrap();
        for gone in ["secret", "jane.doe", &encoded] {
            assert!(!text.contains(gone), "{gone} left in the HAR");
        }
        let doc: Value = serde_json::from_str(&text).unwrap();
        let entries = doc["log"]["entries"].as_array().unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(
            entries[0]["response"]["status"], 302,
            "settled after redaction"
        );
        // The same person has the same pseudonym in both entries.
        assert_eq!(
            entries[0]["request"]["postData"]["text"],
            entries[1]["request"]["postData"]["text"]
        );
        let scanned = input::scan(&InputSpec::Path(path.clone()), &Limits::default()).unwrap();
        assert_eq!(scanned.payloads.len(), 2);
        let decoded = crate::decode::decode(&scanned.payloads[0], &Limits::default()).unwrap();
        assert!(decoded.text.contains("<saml2:NameID"), "{}", decoded.text);
        assert!(decoded.text.contains("role/Admin"), "Role ARNs are kept");
    }

    #[test]
    fn a_file_that_is_not_a_har_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.har");
        fs::write(&path, "my notes").unwrap();
        let e = HarWriter::open(&path, false).unwrap_err();
        assert!(matches!(e, CaptureError::NotHar { .. }), "{e}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "my notes");
    }

    #[test]
    fn payloads_carry_the_proxy_origin() {
        let ex = exchange(
            "https://signin.aws.amazon.com/saml",
            Some("SAMLResponse=abc"),
        );
        let p = ex.payloads(3);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].origin.kind, OriginKind::Proxy);
        assert_eq!(p[0].origin.entry, Some(3));
        assert_eq!(p[0].origin.method.as_deref(), Some("POST"));
        assert_eq!(p[0].origin.time, Some(ex.started));
        assert_eq!(p[0].raw, b"abc");
    }
}
