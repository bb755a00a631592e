//! The containers: HAR 1.2, SAML-tracer exports, saved HTML pages and single values.
//! JSON documents are rewritten as a tree and written back; every field the format
//! defines stays, so the output opens where the original opened.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

use super::{REMOVED, Redactor, carries_saml, html};
use crate::input::SamlParam;

/// What kind of file was redacted (the output is the same kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Har,
    Tracer,
    /// A saved HTML page with an auto-post form.
    Html,
    /// One value: XML, base64, a form body or a URL.
    Text,
}

impl Format {}

/// A redacted file before it is written.
#[derive(Debug)]
pub(crate) enum Body {
    Json(Value),
    Text(String),
}

/// Recognises and redacts one file's content.
///
/// # Errors
/// The content is not UTF-8 (a one-line reason).
pub(crate) fn redact_file(r: &mut Redactor, bytes: &[u8]) -> Result<(Format, Body), String> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("not UTF-8 text: {e}"))?;
    if let Ok(mut v) = serde_json::from_str::<Value>(text) {
        let format = if v.get("log").is_some_and(Value::is_object) {
            Some(Format::Har)
        } else if v.get("requests").is_some_and(Value::is_array) {
            Some(Format::Tracer)
        } else {
            None
        };
        if let Some(format) = format {
            let mut copy = v.clone();
            r.learn(|r| container(r, format, &mut copy));
            container(r, format, &mut v);
            return Ok((format, Body::Json(v)));
        }
    }
    let format = if is_html(text) {
        Format::Html
    } else {
        Format::Text
    };
    r.learn(|r| {
        value(r, format, text);
    });
    Ok((format, Body::Text(value(r, format, text))))
}

fn is_html(text: &str) -> bool {
    let head = text
        .get(..text.len().min(4096))
        .unwrap_or(text)
        .to_ascii_lowercase();
    head.contains("<html") || head.contains("<!doctype html") || head.contains("<form")
}

fn value(r: &mut Redactor, format: Format, text: &str) -> String {
    "payload".clone_into(&mut r.place);
    if format == Format::Html {
        return html::page(r, text).0;
    }
    let t = text.trim();
    if super::codec::is_markup(t.as_bytes()) {
        let lead = &text[..text.len() - text.trim_start().len()];
        let trail = &text[text.trim_end().len()..];
        return format!("{lead}{}{trail}", r.saml_xml(t));
    }
    let lead = &text[..text.len() - text.trim_start().len()];
    let trail = &text[text.trim_end().len()..];
    if let Some(inner) = super::envelope(t) {
        // A whole form body or query string that was URL-encoded once more.
        let body = value(r, format, &inner);
        return format!("{lead}{}{trail}", super::form_encode(&body));
    }
    if carries_saml(t) {
        let one_token = !t.contains(char::is_whitespace);
        let body = if one_token && t.contains('?') {
            r.url(t)
        } else if one_token && t.starts_with("SAML") {
            r.form(t)
        } else {
            r.in_text(t)
        };
        return format!("{lead}{body}{trail}");
    }
    r.saml_value("payload", text)
}

fn container(r: &mut Redactor, format: Format, v: &mut Value) {
    match format {
        Format::Har => har(r, v),
        Format::Tracer => tracer(r, v),
        Format::Html | Format::Text => {}
    }
}

fn har(r: &mut Redactor, v: &mut Value) {
    let Some(log) = v.get_mut("log") else { return };
    if let Some(entries) = log.get_mut("entries").and_then(Value::as_array_mut) {
        for (i, e) in entries.iter_mut().enumerate() {
            har_entry(r, i, e);
        }
    }
    "log".clone_into(&mut r.place);
    if let Some(pages) = log.get_mut("pages") {
        sweep_all(r, pages);
    }
}

/// One HAR entry: request, response and whatever a browser added.
pub(super) fn har_entry(r: &mut Redactor, index: usize, entry: &mut Value) {
    r.place = format!("entry {index}");
    sweep_all(r, entry);
    let Some(entry) = entry.as_object_mut() else {
        return;
    };
    let mut saml = false;
    if let Some(req) = entry.get_mut("request").and_then(Value::as_object_mut) {
        saml = request_carries_saml(req);
        if let Some(u) = req.get_mut("url") {
            map_str(u, |s| r.url(s));
        }
        headers(r, "request", req.get_mut("headers"));
        cookies(r, "request", req.get_mut("cookies"));
        if let Some(q) = req.get_mut("queryString") {
            params(r, q);
        }
        if let Some(pd) = req.get_mut("postData").and_then(Value::as_object_mut) {
            if saml {
                r.place = format!("entry {index} request.postData");
                if let Some(t) = pd.get_mut("text") {
                    map_str(t, |s| r.form(s));
                }
                if let Some(p) = pd.get_mut("params") {
                    params(r, p);
                }
            } else {
                body_removed(r, pd, "request body");
            }
        }
    }
    if let Some(resp) = entry.get_mut("response").and_then(Value::as_object_mut) {
        r.place = format!("entry {index} response");
        headers(r, "response", resp.get_mut("headers"));
        cookies(r, "response", resp.get_mut("cookies"));
        if let Some(u) = resp.get_mut("redirectURL") {
            map_str(u, |s| r.url(s));
        }
        if let Some(c) = resp.get_mut("content").and_then(Value::as_object_mut) {
            content(r, c);
        }
    }
    if saml {
        let note = "samlint redact: SAML payload redacted; see log.comment";
        entry.insert("comment".to_owned(), Value::String(note.to_owned()));
    }
}

fn request_carries_saml(req: &serde_json::Map<String, Value>) -> bool {
    let in_params = |key: &str| {
        req.get(key).and_then(Value::as_array).is_some_and(|a| {
            a.iter().any(|p| {
                p.get("name")
                    .and_then(Value::as_str)
                    .is_some_and(|n| SamlParam::from_name(n).is_some())
            })
        })
    };
    let text = req
        .get("postData")
        .and_then(|p| p.get("text"))
        .and_then(Value::as_str)
        .is_some_and(carries_saml);
    let params = req
        .get("postData")
        .and_then(|p| p.get("params"))
        .and_then(Value::as_array)
        .is_some_and(|a| {
            a.iter().any(|p| {
                p.get("name")
                    .and_then(Value::as_str)
                    .is_some_and(|n| SamlParam::from_name(n).is_some())
            })
        });
    text || params
        || in_params("queryString")
        || req
            .get("url")
            .and_then(Value::as_str)
            .is_some_and(carries_saml)
}

/// A response body: an auto-post page keeps its form (rewritten); any other body
/// goes.
fn content(r: &mut Redactor, c: &mut serde_json::Map<String, Value>) {
    let Some(text) = c.get("text").and_then(Value::as_str) else {
        return;
    };
    let encoded = c.get("encoding").and_then(Value::as_str) == Some("base64");
    let decoded = if encoded {
        STANDARD
            .decode(text.trim())
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
    } else {
        Some(text.to_owned())
    };
    // A body that names SAML but holds no form (a script, JSON) cannot be rewritten.
    let page = decoded
        .filter(|b| carries_saml(b))
        .map(|b| html::page(r, &b))
        .filter(|(_, forms)| *forms > 0);
    if let Some((new, _)) = page {
        let new = if encoded { STANDARD.encode(new) } else { new };
        c.insert("text".to_owned(), Value::String(new));
        return;
    }
    if !text.is_empty() {
        r.note("response body removed");
    }
    c.remove("text");
    c.remove("encoding");
    c.insert(
        "comment".to_owned(),
        Value::String("samlint redact: body removed".to_owned()),
    );
}

fn body_removed(r: &mut Redactor, pd: &mut serde_json::Map<String, Value>, what: &str) {
    let has_text = pd
        .get("text")
        .and_then(Value::as_str)
        .is_some_and(|t| !t.is_empty());
    let has_params = pd
        .get("params")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty());
    if has_text || has_params {
        r.note(format!("{what} removed"));
    }
    if pd.contains_key("text") {
        pd.insert("text".to_owned(), Value::String(String::new()));
    }
    if pd.contains_key("params") {
        pd.insert("params".to_owned(), Value::Array(Vec::new()));
    }
}

/// `[{name, value}]` (HAR) or `[[name, value]]` (SAML-tracer).
fn headers(r: &mut Redactor, _side: &str, list: Option<&mut Value>) {
    let Some(list) = list.and_then(Value::as_array_mut) else {
        return;
    };
    for h in list {
        let Some((name, value)) = pair_mut(h) else {
            continue;
        };
        let new = r.header(&name, value);
        *value = new;
    }
}

fn params(r: &mut Redactor, list: &mut Value) {
    let Some(list) = list.as_array_mut() else {
        return;
    };
    for p in list {
        let Some((name, value)) = pair_mut(p) else {
            continue;
        };
        *value = r.param(&name, value);
    }
}

/// The name and a handle on the value of a `{name, value}` object or `[name, value]` pair.
fn pair_mut(v: &mut Value) -> Option<(String, &mut String)> {
    match v {
        Value::Object(o) => {
            let name = o.get("name").and_then(Value::as_str)?.to_owned();
            match o.get_mut("value")? {
                Value::String(s) => Some((name, s)),
                _ => None,
            }
        }
        Value::Array(a) => {
            let name = a.first().and_then(Value::as_str)?.to_owned();
            match a.get_mut(1)? {
                Value::String(s) => Some((name, s)),
                _ => None,
            }
        }
        _ => None,
    }
}

fn cookies(r: &mut Redactor, side: &str, list: Option<&mut Value>) {
    let Some(list) = list.and_then(Value::as_array_mut) else {
        return;
    };
    if !list.is_empty() {
        r.note(format!("{side} cookies removed"));
        list.clear();
    }
}

fn map_str(v: &mut Value, f: impl FnOnce(&str) -> String) {
    if let Value::String(s) = v {
        *s = f(s);
    }
}

/// Sweeps every string that carries no SAML value: browsers' extra fields, page
/// titles, comments.
fn sweep_all(r: &mut Redactor, v: &mut Value) {
    match v {
        Value::String(s) if !carries_saml(s) => *s = r.text(s),
        Value::Array(a) => {
            let saml_pair = a
                .first()
                .and_then(Value::as_str)
                .is_some_and(|n| SamlParam::from_name(n).is_some());
            for (i, x) in a.iter_mut().enumerate() {
                if !(saml_pair && i == 1) {
                    sweep_all(r, x);
                }
            }
        }
        Value::Object(o) => {
            let saml_pair = o
                .get("name")
                .and_then(Value::as_str)
                .is_some_and(|n| SamlParam::from_name(n).is_some());
            for (k, x) in o.iter_mut() {
                if (saml_pair && k == "value") || k == "saml" {
                    continue;
                }
                sweep_all(r, x);
            }
        }
        _ => {}
    }
}

fn tracer(r: &mut Redactor, v: &mut Value) {
    let Some(requests) = v.get_mut("requests").and_then(Value::as_array_mut) else {
        return;
    };
    for (i, req) in requests.iter_mut().enumerate() {
        r.place = format!("request {i}");
        sweep_all(r, req);
        let Some(req) = req.as_object_mut() else {
            continue;
        };
        let saml = req
            .get("saml")
            .and_then(Value::as_str)
            .is_some_and(|s| !s.is_empty())
            || ["post", "get"].iter().any(|k| {
                req.get(*k).and_then(Value::as_array).is_some_and(|a| {
                    a.iter().any(|p| {
                        p.get(0)
                            .and_then(Value::as_str)
                            .is_some_and(|n| SamlParam::from_name(n).is_some())
                    })
                })
            })
            || req
                .get("postData")
                .and_then(Value::as_str)
                .is_some_and(carries_saml);
        if let Some(u) = req.get_mut("url") {
            map_str(u, |s| r.url(s));
        }
        headers(r, "request", req.get_mut("requestHeaders"));
        headers(r, "response", req.get_mut("responseHeaders"));
        if let Some(g) = req.get_mut("get") {
            params(r, g);
        }
        if let Some(p) = req.get_mut("post") {
            if saml {
                params(r, p);
            } else if let Some(list) = p.as_array_mut() {
                for pair in list {
                    if let Some((_, value)) = pair_mut(pair) {
                        REMOVED.clone_into(value);
                    }
                }
            }
        }
        if let Some(pd) = req.get_mut("postData") {
            if saml {
                map_str(pd, |s| r.form(s));
            } else if pd.as_str().is_some_and(|s| !s.is_empty()) {
                r.note("request body removed");
                *pd = Value::String(String::new());
            }
        }
        if let Some(x) = req.get_mut("saml") {
            r.place = format!("request {i} saml");
            map_str(x, |s| {
                if s.is_empty() {
                    String::new()
                } else {
                    r.saml_xml(s)
                }
            });
        }
        for key in ["responseBody", "body"] {
            if let Some(Value::String(s)) = req.get_mut(key) {
                *s = match html::page(r, s) {
                    (page, forms) if forms > 0 => page,
                    _ => String::new(),
                };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;
    use crate::redact::Policy;

    #[test]
    fn har_credentials_go_and_payload_stays_decodable() {
        let bytes = std::fs::read("tests/fixtures/har/five-signins.har").unwrap();
        let mut r = Redactor::new(Policy::default(), Limits::default());
        let (format, Body::Json(v)) = redact_file(&mut r, &bytes).unwrap() else {
            panic!("not JSON")
        };
        assert_eq!(format, Format::Har);
        let out = serde_json::to_string(&v).unwrap();
        let scanned = crate::input::scan_bytes(
            out.as_bytes(),
            crate::input::OriginKind::File,
            &Limits::default(),
        );
        let before =
            crate::input::scan_bytes(&bytes, crate::input::OriginKind::File, &Limits::default());
        assert_eq!(scanned.payloads.len(), before.payloads.len());
        for p in &scanned.payloads {
            let d = crate::decode::decode(p, &Limits::default()).unwrap();
            assert!(!d.text.contains("jane.doe"), "{}", d.text);
        }
        assert!(!r.changes().is_empty());
    }

    #[test]
    fn one_entry_at_a_time_as_the_proxy_records() {
        let b64 = std::fs::read_to_string("samples/okta-aws-iam.b64").unwrap();
        let encoded: String = form_urlencoded::byte_serialize(b64.trim().as_bytes()).collect();
        let mut r = Redactor::new(Policy::default(), Limits::default());
        let mut names = Vec::new();
        for _ in 0..2 {
            let mut entry = serde_json::json!({
                "startedDateTime": "2026-01-15T10:00:02Z", "time": 0,
                "request": {"method": "POST", "url": "https://signin.aws.amazon.com/saml?login_hint=jane.doe%40example.com",
                    "httpVersion": "HTTP/1.1", "headers": [{"name": "Cookie", "value": "session=secret"}],
                    "cookies": [], "queryString": [], "headersSize": -1, "bodySize": -1,
                    "postData": {"mimeType": "application/x-www-form-urlencoded", "text": format!("SAMLResponse={encoded}&RelayState=x")}},
                "response": {"status": 302, "statusText": "", "httpVersion": "HTTP/1.1", "headers": [], "cookies": [],
                    "content": {"size": 0, "mimeType": "text/html"}, "redirectURL": "", "headersSize": -1, "bodySize": -1},
                "cache": {}, "timings": {"send": 0, "wait": 0, "receive": 0}
            });
            r.har_entry(&mut entry);
            let text = entry.to_string();
            assert!(
                !text.contains("secret") && !text.contains("jane.doe"),
                "{text}"
            );
            let har = serde_json::json!({"log": {"version": "1.2", "entries": [entry]}});
            let scanned = crate::input::scan_bytes(
                har.to_string().as_bytes(),
                crate::input::OriginKind::Proxy,
                &Limits::default(),
            );
            let d = crate::decode::decode(&scanned.payloads[0], &Limits::default()).unwrap();
            assert!(!d.text.contains("jane.doe"));
            let at = d.text.find("<saml2:NameID").unwrap();
            names.push(d.text[at..at + 120].to_owned());
        }
        assert_eq!(names[0], names[1], "one pseudonym per user across entries");
    }

    #[test]
    fn a_body_naming_saml_without_a_form_is_dropped() {
        let mut r = Redactor::new(Policy::default(), Limits::default());
        let mut c = serde_json::json!({"size": 1, "mimeType": "application/javascript",
            "text": "var SAMLResponse = 'PHNhbWw+amFuZUBleGFtcGxlLmNvbTwvc2FtbD4=';"});
        content(&mut r, c.as_object_mut().unwrap());
        assert!(c.get("text").is_none(), "{c}");
        assert_eq!(c["mimeType"], "application/javascript");
    }
}
