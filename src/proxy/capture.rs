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

use crate::input::{Binding, Origin, OriginKind, Payload, RawForm, SamlParam};

/// Request and response headers never written with `--redact`.
const SECRET_HEADERS: &[&str] = &[
    "cookie",
    "set-cookie",
    "authorization",
    "proxy-authorization",
];

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

pub use super::har::HarWriter;

/// One SAML value found in a request, still encoded as it was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub param: SamlParam,
    pub binding: Binding,
    /// The value as it appeared in the form or query (still percent-encoded).
    pub raw: String,
    pub relay_state: Option<String>,
}

/// Whether a request's body is worth buffering to look for SAML: a form POST.
pub fn is_form_post(method: &str, content_type: Option<&str>) -> bool {
    method.eq_ignore_ascii_case("POST")
        && content_type.is_some_and(|c| {
            c.trim_start()
                .to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        })
}

/// SAML values in a request: the form body of a POST (HTTP-POST binding) first,
/// then the query string of the URL (HTTP-Redirect binding).
pub fn find(url: &str, form_body: Option<&[u8]>) -> Vec<Found> {
    let found = form_body
        .map(|b| from_form(&String::from_utf8_lossy(b), Binding::Post))
        .unwrap_or_default();
    with_query(found, url)
}

/// Adds the SAML values of `url`'s query to those of the body (the body's win).
pub fn with_query(mut found: Vec<Found>, url: &str) -> Vec<Found> {
    let before_fragment = url.split_once('#').map_or(url, |(u, _)| u);
    if let Some((_, query)) = before_fragment.split_once('?') {
        for q in from_form(query, Binding::Redirect) {
            if !found.iter().any(|f| f.param == q.param) {
                found.push(q);
            }
        }
    }
    found
}

/// SAML values of a query string or form body, kept percent-encoded (as a HAR keeps them).
pub(crate) fn from_form(form: &str, binding: Binding) -> Vec<Found> {
    let mut values: Vec<Found> = Vec::new();
    let mut relay_state = None;
    for pair in form.split('&') {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = decode_component(name);
        if name == "RelayState" {
            if relay_state.is_none() {
                relay_state = Some(decode_component(value));
            }
            continue;
        }
        let Some(param) = SamlParam::from_name(&name) else {
            continue;
        };
        if value.is_empty() || values.iter().any(|f| f.param == param) {
            continue;
        }
        values.push(Found {
            param,
            binding,
            raw: value.to_owned(),
            relay_state: None,
        });
    }
    for f in &mut values {
        f.relay_state.clone_from(&relay_state);
    }
    values
}

fn decode_component(s: &str) -> String {
    let spaced = s.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8_lossy()
        .into_owned()
}

/// The response as the client received it (its body is not recorded).
#[derive(Debug, Clone)]
pub struct ResponseHead {
    pub status: u16,
    pub status_text: String,
    pub http_version: String,
    pub headers: Vec<(String, String)>,
}

/// One request that carried SAML, handed to the recorder as soon as its body is
/// complete; its response follows as a [`Record::Response`] if it comes.
#[derive(Debug, Clone)]
pub struct Exchange {
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
pub enum Record {
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
    /// Why the last write failed.
    pub last_error: Mutex<Option<String>>,
}

impl HarHealth {
    /// `written 3, pending 1, failed 2 (last: No space left on device)`.
    pub fn summary(&self) -> String {
        let failed = self.failed.load(Ordering::SeqCst);
        let mut s = format!(
            "written {}, pending {}, failed {failed}",
            self.written.load(Ordering::SeqCst),
            self.pending.load(Ordering::SeqCst),
        );
        if failed > 0
            && let Ok(last) = self.last_error.lock()
            && let Some(e) = last.as_deref()
        {
            s.push_str(" (last: ");
            s.push_str(e);
            s.push(')');
        }
        s
    }
}

const NO_RESPONSE_YET: &str =
    "no response yet: recorded when the request body was complete; the upstream had not answered";

impl Exchange {
    /// The exchange's SAML values as pipeline payloads; `entry` is the capture index.
    pub fn payloads(&self, entry: usize) -> Vec<Payload> {
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
                duplicate: None,
            })
            .collect()
    }

    /// The HAR 1.2 entry for this exchange; without a response yet, a response
    /// with status 0 and a comment (as browsers write for a request that got none).
    pub fn har_entry(&self, redact: bool) -> Value {
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
                        json!({"name": decode_component(n), "value": decode_component(v)})
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut request = json!({
            "method": self.method,
            "url": self.url,
            "httpVersion": self.http_version,
            "cookies": [],
            "headers": header_values(&self.request_headers, redact),
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
            set_response(&mut entry, r, self.wait_ms, redact);
        }
        entry
    }
}

fn header_values(list: &[(String, String)], redact: bool) -> Vec<Value> {
    list.iter()
        .filter(|(n, _)| !(redact && SECRET_HEADERS.contains(&n.to_ascii_lowercase().as_str())))
        .map(|(n, v)| json!({"name": n, "value": v}))
        .collect()
}

/// Puts the response (status and headers; never its body) into a HAR entry.
pub fn set_response(entry: &mut Value, r: &ResponseHead, wait_ms: f64, redact: bool) {
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
        "headers": header_values(&r.headers, redact),
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
/// Problems go to `notices`; the HAR's state to `health`.
pub fn record(
    mut har: Option<HarWriter>,
    records: &Receiver<Record>,
    captures: &Sender<Payload>,
    notices: &Sender<String>,
    health: &HarHealth,
) {
    let mut index = 0;
    let fail = |e: &CaptureError| {
        health.failed.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut last) = health.last_error.lock() {
            *last = Some(e.reason());
        }
        let _ = notices.send(format!("could not write the HAR: {e}"));
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
                    let entry = exchange.har_entry(h.redact());
                    match h.append(id, entry, exchange.response.is_none()) {
                        Ok(()) => {
                            health.written.fetch_add(1, Ordering::SeqCst);
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
                    let redact = h.redact();
                    if let Err(e) =
                        h.settle(id, |entry| set_response(entry, &response, wait_ms, redact))
                    {
                        fail(&e);
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
                    fail(&e);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{self, InputSpec};
    use crate::limits::Limits;
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
            har.append(n as u64, ex.har_entry(false), false).unwrap();
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
        again.append(9, post.har_entry(false), false).unwrap();
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
        record(Some(har), &rx, &captures_tx, &notices_tx, &health);
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
        // The file is still the valid, empty HAR it was.
        let doc: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(doc["log"]["entries"], json!([]));
    }

    #[test]
    fn redact_drops_cookies_and_credentials_but_not_the_payload() {
        let ex = exchange("https://x/saml", Some("SAMLResponse=abc&RelayState=x"));
        let plain = ex.har_entry(false).to_string();
        assert!(plain.contains("session=secret"));
        assert!(plain.contains("aws-creds=secret"));
        let redacted = ex.har_entry(true).to_string();
        assert!(!redacted.contains("secret"), "{redacted}");
        assert!(redacted.contains("SAMLResponse=abc"));
        assert!(redacted.contains("console.aws.amazon.com"));
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
