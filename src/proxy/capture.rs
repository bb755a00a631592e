//! What the proxy records: SAML values found in a request, the HAR file they are
//! appended to, and the recorder thread that writes it and feeds the live view.
//!
//! The HAR is rewritten whole after each capture, to a temporary file beside it
//! that is then renamed over it, so a reader (or a crash) only ever sees a
//! complete HAR 1.2 document. Only requests that carry `SAMLResponse` or
//! `SAMLRequest` are written.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
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
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error(
        "{}: exists but is not a HAR file ({reason}); choose another --har file",
        path.display()
    )]
    NotHar { path: PathBuf, reason: String },
}

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
    let mut found = form_body
        .map(|b| from_form(&String::from_utf8_lossy(b), Binding::Post))
        .unwrap_or_default();
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
fn from_form(form: &str, binding: Binding) -> Vec<Found> {
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

/// One request/response exchange that carried SAML, handed to the recorder.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub started: DateTime<Utc>,
    pub method: String,
    pub url: String,
    pub http_version: String,
    pub request_headers: Vec<(String, String)>,
    /// The form body, when the request was a form POST.
    pub body: Option<Bytes>,
    pub mime_type: Option<String>,
    pub response: ResponseHead,
    /// Milliseconds from the request to the response head.
    pub wait_ms: f64,
    pub found: Vec<Found>,
}

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

    /// The HAR 1.2 entry for this exchange.
    pub fn har_entry(&self, redact: bool) -> Value {
        let headers = |list: &[(String, String)]| -> Vec<Value> {
            list.iter()
                .filter(|(n, _)| {
                    !(redact && SECRET_HEADERS.contains(&n.to_ascii_lowercase().as_str()))
                })
                .map(|(n, v)| json!({"name": n, "value": v}))
                .collect()
        };
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
        let header = |list: &[(String, String)], name: &str| {
            list.iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.clone())
        };
        let mut request = json!({
            "method": self.method,
            "url": self.url,
            "httpVersion": self.http_version,
            "cookies": [],
            "headers": headers(&self.request_headers),
            "queryString": query,
            "headersSize": -1,
            "bodySize": self.body.as_ref().map_or(0, Bytes::len),
        });
        if let Some(body) = &self.body {
            request["postData"] = json!({
                "mimeType": self.mime_type.clone().unwrap_or_default(),
                "text": String::from_utf8_lossy(body),
            });
        }
        let r = &self.response;
        let content_length: i64 = header(&r.headers, "content-length")
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(-1);
        json!({
            "startedDateTime": self.started.to_rfc3339_opts(SecondsFormat::Millis, true),
            "time": self.wait_ms,
            "request": request,
            "response": {
                "status": r.status,
                "statusText": r.status_text,
                "httpVersion": r.http_version,
                "cookies": [],
                "headers": headers(&r.headers),
                "content": {
                    "size": content_length.max(0),
                    "mimeType": header(&r.headers, "content-type").unwrap_or_default(),
                    "comment": "response body not recorded",
                },
                "redirectURL": header(&r.headers, "location").unwrap_or_default(),
                "headersSize": -1,
                "bodySize": content_length,
            },
            "cache": {},
            "timings": {"send": 0, "wait": self.wait_ms, "receive": 0},
        })
    }
}

/// A HAR file that stays a complete HAR 1.2 document after every append.
#[derive(Debug)]
pub struct HarWriter {
    path: PathBuf,
    doc: Value,
    redact: bool,
}

impl HarWriter {
    /// Opens `path`: an existing HAR is appended to (its entries are kept), an
    /// absent or empty file is started. Anything else is refused, not overwritten.
    /// The file is written at once, so it exists and is valid from the start.
    pub fn open(path: &Path, redact: bool) -> Result<Self, CaptureError> {
        let doc = match fs::read(path) {
            Ok(bytes) if bytes.iter().all(u8::is_ascii_whitespace) => Self::empty_doc(),
            Ok(bytes) => {
                let not_har = |reason: String| CaptureError::NotHar {
                    path: path.to_owned(),
                    reason,
                };
                let doc: Value =
                    serde_json::from_slice(&bytes).map_err(|e| not_har(e.to_string()))?;
                if !doc["log"]["entries"].is_array() {
                    return Err(not_har("no log.entries array".to_owned()));
                }
                doc
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Self::empty_doc(),
            Err(source) => {
                return Err(CaptureError::Io {
                    path: path.to_owned(),
                    source,
                });
            }
        };
        let writer = HarWriter {
            path: path.to_owned(),
            doc,
            redact,
        };
        writer.write()?;
        Ok(writer)
    }

    fn empty_doc() -> Value {
        json!({
            "log": {
                "version": "1.2",
                "creator": {"name": "samlint proxy", "version": env!("CARGO_PKG_VERSION")},
                "pages": [],
                "entries": [],
            }
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Number of entries in the file.
    pub fn len(&self) -> usize {
        self.doc["log"]["entries"].as_array().map_or(0, Vec::len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Appends one exchange and rewrites the file.
    pub fn append(&mut self, exchange: &Exchange) -> Result<(), CaptureError> {
        let entry = exchange.har_entry(self.redact);
        if let Some(entries) = self.doc["log"]["entries"].as_array_mut() {
            entries.push(entry);
        }
        self.write()
    }

    /// Writes the whole document to a temporary file beside the HAR, then renames it over.
    fn write(&self) -> Result<(), CaptureError> {
        let name = self
            .path
            .file_name()
            .map_or_else(|| "capture.har".into(), |n| n.to_string_lossy());
        let tmp = self
            .path
            .with_file_name(format!(".{name}.{}.tmp", std::process::id()));
        let err = |path: &Path| {
            let path = path.to_owned();
            move |source| CaptureError::Io { path, source }
        };
        let bytes = serde_json::to_vec_pretty(&self.doc).map_err(|e| CaptureError::Io {
            path: self.path.clone(),
            source: io::Error::other(e),
        })?;
        let mut options = fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            // The HAR holds SAML assertions: owner-only, like the CA key.
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&tmp).map_err(err(&tmp))?;
        file.write_all(&bytes).map_err(err(&tmp))?;
        file.write_all(b"\n").map_err(err(&tmp))?;
        file.sync_all().map_err(err(&tmp))?;
        drop(file);
        fs::rename(&tmp, &self.path).map_err(|e| {
            let _ = fs::remove_file(&tmp);
            CaptureError::Io {
                path: self.path.clone(),
                source: e,
            }
        })
    }
}

/// Runs until every exchange sender is gone: appends each exchange to the HAR,
/// then hands its payloads to the live view. Problems go to `notices`.
pub fn record(
    mut har: Option<HarWriter>,
    exchanges: &Receiver<Exchange>,
    captures: &Sender<Payload>,
    notices: &Sender<String>,
) {
    for (index, exchange) in exchanges.iter().enumerate() {
        if let Some(h) = har.as_mut()
            && let Err(e) = h.append(&exchange)
        {
            let _ = notices.send(format!("could not write the HAR: {e}"));
        }
        for payload in exchange.payloads(index) {
            // The live view may have gone; recording goes on.
            let _ = captures.send(payload);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{self, InputSpec};
    use crate::limits::Limits;

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
            body,
            mime_type: Some("application/x-www-form-urlencoded".to_owned()),
            response: ResponseHead {
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
            },
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
            har.append(ex).unwrap();
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
        again.append(&post).unwrap();
        assert_eq!(scan(&path).payloads.len(), 3);
        // No temporary file is left beside it.
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
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
