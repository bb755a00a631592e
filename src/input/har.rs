//! HAR 1.2 archives, streamed: `log.entries` is visited one entry at a time and
//! only the request fields that can carry SAML are deserialized; responses,
//! headers, cookies, timings and content are skipped unread.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::collect::{Collector, LenientString};
use super::form::{self, Found};
use super::{Binding, Container, Origin, OriginKind, Payload, RawForm, SamlParam, Scanned, html};
use crate::limits::Limits;

/// State of a HAR scan, kept outside the deserializer so a document that breaks
/// off still yields every payload found before the break.
pub(super) struct HarScan {
    /// A `log` object was seen at the top level.
    recognized: bool,
    collector: Collector,
    /// Keys ([`value_key`]) of the SAML values requests sent.
    sent: std::collections::HashSet<Vec<u8>>,
    /// Entries whose only SAML is a form in their response page.
    form_only: Vec<usize>,
}

impl HarScan {
    pub(super) fn new(limits: &Limits) -> Self {
        HarScan {
            recognized: false,
            collector: Collector::new(limits),
            sent: std::collections::HashSet::new(),
            form_only: Vec::new(),
        }
    }

    pub(super) fn recognized(&self) -> bool {
        self.recognized
    }

    /// Ends the scan. A value read from an IdP page's auto-post form that a request of
    /// the same capture also sent is reported once, from the request: that is what the
    /// browser delivered (with its URL and capture time), and the page only repeats it.
    /// A form value no request carried (the POST entry is missing) is kept.
    pub(super) fn finish(mut self, error: Option<String>) -> Scanned {
        let sent = std::mem::take(&mut self.sent);
        self.collector
            .retain(|p| p.origin.html_form.is_none() || !sent.contains(&value_key(&p.raw)));
        // An entry whose only SAML is a page form counts when its payload was kept.
        let kept: Vec<usize> = self.collector.entries_kept();
        self.collector.stats.with_saml += self
            .form_only
            .iter()
            .filter(|e| kept.binary_search(e).is_ok())
            .count();
        self.collector.finish(Container::Har, error)
    }

    fn entry(&mut self, index: usize, entry: Option<HarEntry>) {
        self.collector.stats.entries += 1;
        let Some(entry) = entry else { return };
        let Some(request) = entry.request else { return };
        let method = request.method.0;
        let url = request.url.0;
        let label = EntryLabel {
            index,
            method: method.as_deref(),
            url: url.as_deref(),
        };

        let mut found: Vec<Found> = Vec::new();
        if let Some(post_data) = &request.post_data {
            found = from_post_data(post_data);
            let has_text = post_data.text.non_empty().is_some();
            let has_params = post_data.params.as_ref().is_some_and(|p| !p.is_empty());
            if !has_text
                && !has_params
                && looks_like_saml_post(
                    method.as_deref(),
                    url.as_deref(),
                    post_data.mime_type.0.as_deref(),
                )
            {
                self.collector.note(format!(
                    "{label}: the HAR was saved without request bodies; export it again with \
                     content (\"Save all as HAR with content\")"
                ));
            }
        }
        if let Some(url) = url.as_deref() {
            let carried: Vec<SamlParam> = found.iter().map(|f| f.param).collect();
            found.extend(
                form::find(Some(url), None)
                    .into_iter()
                    .filter(|q| !carried.contains(&q.param)),
            );
        }
        let page = entry
            .response
            .as_ref()
            .and_then(|r| r.content.as_ref())
            .and_then(page_of)
            .filter(html::Page::has_saml);
        if found.is_empty() {
            if page.is_none() {
                return;
            }
            self.form_only.push(index);
        } else {
            self.collector.stats.with_saml += 1;
        }

        let time = if let Some(s) = entry.started.0.as_deref() {
            let time = parse_time(s);
            if time.is_none() {
                self.collector.note(format!(
                    "{label}: startedDateTime \"{s}\" is not an RFC 3339 time; \
                     the capture time is unknown"
                ));
            }
            time
        } else {
            self.collector.note(format!(
                "{label}: no startedDateTime; the capture time is unknown"
            ));
            None
        };
        let origin = Origin {
            kind: OriginKind::Har,
            entry: Some(index),
            url: url.clone(),
            time,
            method: method.clone(),
            html_form: None,
        };
        for f in found {
            self.sent.insert(value_key(f.raw.as_bytes()));
            self.collector.push(Payload {
                origin: origin.clone(),
                binding: f.binding,
                param: Some(f.param),
                relay_state: f.relay_state,
                raw: f.raw.into_bytes(),
                form: RawForm::Encoded,
                duplicate: f.duplicate,
            });
        }
        if let Some(page) = page {
            for p in html::payloads(&page, &origin) {
                self.collector.push(p);
            }
        }
    }
}

/// A value as a comparison key: URL-decoded as often as it was encoded, `+` read as
/// base64's `+`, whitespace dropped. A value posted in one entry and the same value in
/// the auto-post form of another entry's response have the same key.
fn value_key(raw: &[u8]) -> Vec<u8> {
    let mut value = raw.to_vec();
    for _ in 0..4 {
        if !value.contains(&b'%') {
            break;
        }
        value = percent_encoding::percent_decode(&value).collect();
    }
    value
        .into_iter()
        .filter_map(|b| match b {
            b' ' => Some(b'+'),
            b if b.is_ascii_whitespace() => None,
            b => Some(b),
        })
        .collect()
}

/// The HTML page of a response body, when it may hold a SAML form. Bodies that do not
/// mention a SAML parameter are not parsed.
fn page_of(content: &HarContent) -> Option<html::Page> {
    let text = content.text.non_empty()?;
    let decoded;
    let text = if content
        .encoding
        .0
        .as_deref()
        .is_some_and(|e| e.eq_ignore_ascii_case("base64"))
    {
        use base64::Engine as _;
        decoded = base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .ok()?;
        std::str::from_utf8(&decoded).ok()?
    } else {
        text
    };
    let mentions = |needle: &[u8]| memchr::memmem::find(text.as_bytes(), needle).is_some();
    if !(mentions(b"SAMLResponse") || mentions(b"SAMLRequest")) {
        return None;
    }
    Some(html::read(text))
}

/// `entry N (METHOD url)`, as notes name an entry.
struct EntryLabel<'a> {
    index: usize,
    method: Option<&'a str>,
    url: Option<&'a str>,
}

impl fmt::Display for EntryLabel<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "entry {}", self.index)?;
        match (self.method, self.url) {
            (Some(m), Some(u)) => write!(f, " ({m} {u})"),
            (None, Some(u)) => write!(f, " ({u})"),
            (Some(m), None) => write!(f, " ({m})"),
            (None, None) => Ok(()),
        }
    }
}

pub(super) fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// SAML values in a request body. `text` (the raw form body) is preferred;
/// `params` describe the same body and are read only when `text` is absent,
/// empty or holds no SAML parameter (a multipart body, say).
fn from_post_data(post_data: &HarPostData) -> Vec<Found> {
    if let Some(text) = post_data.text.non_empty() {
        let found = form::find(None, Some(text));
        if !found.is_empty() {
            return found;
        }
    }
    let Some(params) = &post_data.params else {
        return Vec::new();
    };
    let mut values: Vec<(SamlParam, String)> = Vec::new();
    let mut relay_state = None;
    let mut relay_states = 0;
    for param in params.iter().flatten() {
        let Some(name) = param.name.0.as_deref() else {
            continue;
        };
        let name = form::component(name.as_bytes());
        if name == "RelayState" {
            relay_states += 1;
            if relay_state.is_none() {
                // Chrome writes params percent-encoded, Firefox decoded.
                relay_state = param.value.0.as_deref().map(decode_param_value);
            }
            continue;
        }
        if let Some(saml) = SamlParam::from_name(&name) {
            values.push((saml, param.value.0.clone().unwrap_or_default()));
        }
    }
    // Counted once, so a body with many repeats stays linear.
    let total = |param| values.iter().filter(|(p, _)| *p == param).count();
    let totals = [total(SamlParam::Response), total(SamlParam::Request)];
    let mut seen = [0usize; 2];
    values
        .into_iter()
        .map(|(param, raw)| {
            let slot = usize::from(param == SamlParam::Request);
            seen[slot] += 1;
            let count = totals[slot];
            Found {
                param,
                binding: Binding::Post,
                raw,
                relay_state: relay_state.clone(),
                duplicate: form::Duplicate::of(seen[slot], count, relay_states, "form body"),
            }
        })
        .collect()
}

/// A `params` value as Chrome (percent-encoded) or Firefox (decoded) wrote it:
/// decoded only when it holds a `%XX` escape.
fn decode_param_value(s: &str) -> String {
    let bytes = s.as_bytes();
    let escaped = bytes
        .windows(3)
        .any(|w| matches!(w, [b'%', a, b] if a.is_ascii_hexdigit() && b.is_ascii_hexdigit()));
    if escaped {
        form::component(bytes)
    } else {
        s.to_owned()
    }
}

/// A POST that should have carried a SAML form: a form-encoded body, or a URL
/// path that names a SAML endpoint (`.../saml`, `.../saml/acs`, `.../acs`).
fn looks_like_saml_post(method: Option<&str>, url: Option<&str>, mime: Option<&str>) -> bool {
    if !method.is_some_and(|m| m.eq_ignore_ascii_case("POST")) {
        return false;
    }
    if mime.is_some_and(|m| {
        m.to_ascii_lowercase()
            .contains("application/x-www-form-urlencoded")
    }) {
        return true;
    }
    let Some(url) = url else { return false };
    let path = url_path(url).to_ascii_lowercase();
    let path = path.trim_end_matches('/');
    path.ends_with("/saml")
        || path.contains("/saml/acs")
        || path.contains("/saml2/acs")
        || path.ends_with("/acs")
}

/// The path of a URL, without scheme, host, query and fragment.
fn url_path(url: &str) -> &str {
    let url = url.split(['?', '#']).next().unwrap_or(url);
    match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |i| rest.get(i..).unwrap_or("")),
        None => url,
    }
}

// ---------------------------------------------------------------------------
// The typed slice of a HAR entry that is read; serde skips every other field.

#[derive(Deserialize, Default)]
#[serde(default)]
struct HarEntry {
    #[serde(rename = "startedDateTime")]
    started: LenientString,
    request: Option<HarRequest>,
    response: Option<HarResponse>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct HarResponse {
    content: Option<HarContent>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct HarContent {
    text: LenientString,
    encoding: LenientString,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct HarRequest {
    method: LenientString,
    url: LenientString,
    #[serde(rename = "postData")]
    post_data: Option<HarPostData>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct HarPostData {
    #[serde(rename = "mimeType")]
    mime_type: LenientString,
    text: LenientString,
    params: Option<Vec<Option<HarParam>>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct HarParam {
    name: LenientString,
    value: LenientString,
}

/// The `log` object: only `entries` is read.
pub(super) struct LogSeed<'a>(pub(super) &'a mut HarScan);

impl<'de> DeserializeSeed<'de> for LogSeed<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for LogSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a HAR log object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.0.recognized = true;
        while let Some(key) = map.next_key::<String>()? {
            if key == "entries" {
                map.next_value_seed(EntriesSeed(&mut *self.0))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// `log.entries`, one entry at a time.
struct EntriesSeed<'a>(&'a mut HarScan);

impl<'de> DeserializeSeed<'de> for EntriesSeed<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for EntriesSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of HAR entries")
    }

    /// `"entries": null` in a partial export: no entries.
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = self.0.collector.stats.entries;
        while let Some(entry) = seq.next_element::<Option<HarEntry>>()? {
            self.0.entry(index, entry);
            index += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{OriginKind, scan_bytes};

    fn scan(json: &str) -> Scanned {
        scan_bytes(json.as_bytes(), OriginKind::Stdin, &Limits::default())
    }

    fn har(entries: &[String]) -> String {
        format!(
            r#"{{"log": {{"version": "1.2", "creator": {{"name": "test", "version": "1"}},
                "pages": [], "entries": [{}]}}}}"#,
            entries.join(",")
        )
    }

    /// An entry with a request object given as JSON and a bulky response.
    fn entry(started: &str, request: &str) -> String {
        format!(
            r#"{{"startedDateTime": "{started}", "time": 12.5, "request": {request},
                "response": {{"status": 200, "content": {{"size": 9, "mimeType": "text/html",
                "text": "SAMLResponse=notthisone"}}, "headers": []}},
                "cache": {{}}, "timings": {{"send": 0, "wait": 1, "receive": 2}}}}"#
        )
    }

    fn post(url: &str, post_data: &str) -> String {
        format!(
            r#"{{"method": "POST", "url": "{url}", "httpVersion": "HTTP/1.1",
                "headers": [], "queryString": [], "cookies": [], "postData": {post_data}}}"#
        )
    }

    const ACS: &str = "https://signin.aws.amazon.com/saml";
    const T0: &str = "2026-01-15T10:00:00.000Z";

    #[test]
    fn text_and_params_are_counted_once_and_text_wins() {
        let pd = r#"{"mimeType": "application/x-www-form-urlencoded",
            "text": "SAMLResponse=PHNhbWw%2BPC9zYW1sPg%3D%3D&RelayState=https%3A%2F%2Fconsole",
            "params": [{"name": "SAMLResponse", "value": "PHNhbWw%2BPC9zYW1sPg%3D%3D"},
                       {"name": "RelayState", "value": "https%3A%2F%2Fconsole"}]}"#;
        let s = scan(&har(&[entry(T0, &post(ACS, pd))]));
        assert_eq!(s.container, Container::Har);
        assert_eq!(s.error, None);
        assert_eq!(s.notes, Vec::<String>::new());
        let [p] = s.payloads.as_slice() else {
            panic!("one payload expected, got {}", s.payloads.len())
        };
        assert_eq!(p.raw, b"PHNhbWw%2BPC9zYW1sPg%3D%3D");
        assert_eq!(p.form, RawForm::Encoded);
        assert_eq!(p.binding, Binding::Post);
        assert_eq!(p.param, Some(SamlParam::Response));
        assert_eq!(p.relay_state.as_deref(), Some("https://console"));
        assert_eq!(p.origin.kind, OriginKind::Har);
        assert_eq!(p.origin.entry, Some(0));
        assert_eq!(p.origin.url.as_deref(), Some(ACS));
        assert_eq!(p.origin.method.as_deref(), Some("POST"));
        assert_eq!(p.origin.time, parse_time(T0));
        assert!(p.origin.time.is_some());
        assert_eq!(
            s.stats,
            Some(crate::input::ContainerStats {
                entries: 1,
                with_saml: 1
            })
        );
    }

    #[test]
    fn params_only_chrome_and_firefox_are_passed_through() {
        let chrome = r#"{"mimeType": "application/x-www-form-urlencoded",
            "params": [{"name": "SAMLResponse", "value": "PHNhbWw%2BPC9zYW1sPg%3D%3D"},
                       {"name": "RelayState", "value": "https%3A%2F%2Fconsole"}]}"#;
        let firefox = r#"{"mimeType": "application/x-www-form-urlencoded", "text": "",
            "params": [{"name": "SAMLResponse", "value": "PHNhbWw+PC9zYW1sPg=="},
                       {"name": "RelayState", "value": "https://console"}]}"#;
        let s = scan(&har(&[
            entry(T0, &post(ACS, chrome)),
            entry(T0, &post(ACS, firefox)),
        ]));
        assert_eq!(s.error, None);
        assert_eq!(s.payloads.len(), 2);
        assert_eq!(s.payloads[0].raw, b"PHNhbWw%2BPC9zYW1sPg%3D%3D");
        assert_eq!(s.payloads[1].raw, b"PHNhbWw+PC9zYW1sPg==");
        for p in &s.payloads {
            assert_eq!(p.binding, Binding::Post);
            assert_eq!(p.relay_state.as_deref(), Some("https://console"));
        }
        assert_eq!(s.payloads[1].origin.entry, Some(1));
    }

    #[test]
    fn redirect_query_and_saml_request() {
        let get = r#"{"method": "GET", "url": "https://idp.example/sso/saml?SAMLRequest=fZJNT%2BMw&RelayState=abc%20d&SigAlg=x#frag",
                "headers": [], "queryString": [{"name": "SAMLRequest", "value": "fZJNT+Mw"}]}"#;
        let s = scan(&har(&[entry(T0, get)]));
        let [p] = s.payloads.as_slice() else {
            panic!("one payload expected")
        };
        assert_eq!(p.param, Some(SamlParam::Request));
        assert_eq!(p.binding, Binding::Redirect);
        assert_eq!(p.raw, b"fZJNT%2BMw");
        assert_eq!(p.relay_state.as_deref(), Some("abc d"));
        assert_eq!(p.origin.method.as_deref(), Some("GET"));

        // A SAMLRequest in a POST body is a Post binding.
        let pd =
            r#"{"mimeType": "application/x-www-form-urlencoded", "text": "SAMLRequest=PHg%2B"}"#;
        let s = scan(&har(&[entry(
            T0,
            &post("https://idp.example/sso/saml", pd),
        )]));
        assert_eq!(s.payloads.len(), 1);
        assert_eq!(s.payloads[0].param, Some(SamlParam::Request));
        assert_eq!(s.payloads[0].binding, Binding::Post);
        assert_eq!(s.payloads[0].relay_state, None);
    }

    #[test]
    fn null_fields_and_missing_post_data_are_tolerated() {
        let entries = [
            "null".to_owned(),
            r#"{"startedDateTime": null, "request": null, "response": null}"#.to_owned(),
            r#"{"request": {"method": null, "url": null, "postData": null}}"#.to_owned(),
            r#"{"request": {"method": "POST", "url": "https://example.com/api"}}"#.to_owned(),
            r#"{"request": {"method": "POST", "url": "https://x/saml",
                "postData": {"mimeType": null, "text": null, "params": null}}}"#
                .to_owned(),
            r#"{"request": {"method": "POST", "url": "https://x/other",
                "postData": {"mimeType": "application/x-www-form-urlencoded",
                "params": [null, {"name": null, "value": null}, {"name": "SAMLResponse", "value": 5}]}}}"#
                .to_owned(),
            entry(
                "yesterday",
                &post(ACS, r#"{"mimeType": "application/x-www-form-urlencoded", "text": "SAMLResponse=QUJD"}"#),
            ),
        ];
        let s = scan(&har(&entries));
        assert_eq!(s.error, None, "{:?}", s.notes);
        assert_eq!(s.stats.unwrap().entries, 7);
        // Entry 5 names a SAMLResponse with a non-string value: an empty payload.
        assert_eq!(s.stats.unwrap().with_saml, 2);
        assert_eq!(s.payloads.len(), 2);
        assert_eq!(s.payloads[0].origin.entry, Some(5));
        assert_eq!(s.payloads[0].raw, b"");
        assert_eq!(s.payloads[1].origin.entry, Some(6));
        assert_eq!(s.payloads[1].origin.time, None);
        assert!(
            s.notes.iter().any(|n| n.starts_with("entry 6 (POST")
                && n.contains("\"yesterday\" is not an RFC 3339 time")),
            "{:?}",
            s.notes
        );
        // Entry 4 is a POST to a SAML endpoint whose body was not saved.
        assert!(
            s.notes
                .iter()
                .any(|n| n.starts_with("entry 4 (POST https://x/saml)"))
        );
    }

    #[test]
    fn saved_without_content_note() {
        let pd = r#"{"mimeType": "application/x-www-form-urlencoded"}"#;
        let s = scan(&har(&[
            entry(
                T0,
                &post(
                    "https://www.example.com/page",
                    r#"{"mimeType": "application/json"}"#,
                ),
            ),
            entry(T0, &post(ACS, pd)),
        ]));
        assert!(s.payloads.is_empty());
        assert_eq!(s.error, None);
        assert_eq!(
            s.notes,
            vec![format!(
                "entry 1 (POST {ACS}): the HAR was saved without request bodies; export it \
                 again with content (\"Save all as HAR with content\")"
            )]
        );
        assert_eq!(s.stats.unwrap().with_saml, 0);
    }

    #[test]
    fn truncated_har_keeps_earlier_payloads() {
        let pd =
            r#"{"mimeType": "application/x-www-form-urlencoded", "text": "SAMLResponse=QUJD"}"#;
        let full = har(&[entry(T0, &post(ACS, pd)), entry(T0, &post(ACS, pd))]);
        let cut = full.find("\"response\"").map(|first| {
            // Cut inside the second entry.
            let second = full[first + 1..].find("\"response\"").unwrap() + first + 1;
            &full[..second]
        });
        let s = scan(cut.unwrap());
        assert_eq!(s.container, Container::Har);
        assert_eq!(s.payloads.len(), 1);
        assert_eq!(s.payloads[0].origin.entry, Some(0));
        let error = s.error.unwrap();
        assert!(error.contains("EOF while parsing"), "{error}");
        assert!(error.contains("line"), "{error}");
    }

    #[test]
    fn five_sign_ins_give_five_payloads_in_order() {
        let mut entries = Vec::new();
        for i in 0..5 {
            // A non-SAML request before each sign-in.
            entries.push(entry(
                &format!("2026-01-15T10:0{i}:00+01:00"),
                r#"{"method": "GET", "url": "https://cdn.example/app.js"}"#,
            ));
            entries.push(entry(
                &format!("2026-01-15T10:0{i}:30.250Z"),
                &post(
                    ACS,
                    &format!(
                        r#"{{"mimeType": "application/x-www-form-urlencoded",
                            "text": "SAMLResponse=UkVTUE9OU0U{i}&RelayState="}}"#
                    ),
                ),
            ));
        }
        let s = scan(&har(&entries));
        assert_eq!(s.payloads.len(), 5);
        for (i, p) in s.payloads.iter().enumerate() {
            assert_eq!(p.origin.entry, Some(2 * i + 1));
            assert_eq!(p.raw, format!("UkVTUE9OU0U{i}").into_bytes());
            let want = parse_time(&format!("2026-01-15T10:0{i}:30.250Z"));
            assert!(want.is_some());
            assert_eq!(p.origin.time, want);
            assert_eq!(p.relay_state.as_deref(), Some(""));
        }
        assert_eq!(
            s.stats,
            Some(crate::input::ContainerStats {
                entries: 10,
                with_saml: 5
            })
        );
    }

    #[test]
    fn payload_limit_per_input() {
        let pd =
            r#"{"mimeType": "application/x-www-form-urlencoded", "text": "SAMLResponse=QUJD"}"#;
        let entries: Vec<String> = (0..4).map(|_| entry(T0, &post(ACS, pd))).collect();
        let limits = Limits {
            max_payloads_per_input: 3,
            ..Limits::default()
        };
        let s = scan_bytes(har(&entries).as_bytes(), OriginKind::File, &limits);
        assert_eq!(s.payloads.len(), 3);
        assert_eq!(s.stats.unwrap().with_saml, 4);
        let limit = s.limit_exceeded.unwrap();
        assert!(limit.contains("max_payloads_per_input"), "{limit}");
    }

    #[test]
    fn multipart_text_falls_back_to_params() {
        let pd = r#"{"mimeType": "multipart/form-data; boundary=x",
            "text": "--x\r\nContent-Disposition: form-data; name=\"SAMLResponse\"\r\n\r\nQUJD\r\n--x--",
            "params": [{"name": "SAMLResponse", "value": "QUJD"}]}"#;
        let s = scan(&har(&[entry(T0, &post(ACS, pd))]));
        assert_eq!(s.payloads.len(), 1);
        assert_eq!(s.payloads[0].raw, b"QUJD");
    }

    #[test]
    fn har_file_on_disk_streams() {
        use std::io::Write;
        let pd =
            r#"{"mimeType": "application/x-www-form-urlencoded", "text": "SAMLResponse=QUJD"}"#;
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("login.har");
        let mut f = std::fs::File::create(&path).unwrap();
        f.write_all(har(&[entry(T0, &post(ACS, pd))]).as_bytes())
            .unwrap();
        drop(f);
        let s =
            crate::input::scan(&crate::input::InputSpec::Path(path), &Limits::default()).unwrap();
        assert_eq!(s.container, Container::Har);
        assert_eq!(s.payloads.len(), 1);
        assert_eq!(s.payloads[0].origin.kind, OriginKind::Har);
    }

    #[test]
    fn repeated_parameters_give_one_payload_each() {
        let pd = r#"{"mimeType": "application/x-www-form-urlencoded",
            "text": "SAMLResponse=QUJD&RelayState=a&SAMLResponse=REVG&RelayState=b"}"#;
        let s = scan(&har(&[entry(T0, &post(ACS, pd))]));
        let got: Vec<_> = s
            .payloads
            .iter()
            .map(|p| {
                (
                    p.raw.clone(),
                    p.duplicate.map(|d| (d.position, d.count, d.relay_states)),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (b"QUJD".to_vec(), Some((1, 2, 2))),
                (b"REVG".to_vec(), Some((2, 2, 2)))
            ]
        );
        assert_eq!(s.payloads[1].relay_state.as_deref(), Some("a"));
        // The same through Chrome's `params` only.
        let pd = r#"{"mimeType": "application/x-www-form-urlencoded",
            "params": [{"name": "SAMLResponse", "value": "QUJD"}, {"name": "SAMLResponse", "value": "REVG"}]}"#;
        let s = scan(&har(&[entry(T0, &post(ACS, pd))]));
        assert_eq!(s.payloads.len(), 2);
        assert_eq!(s.payloads[1].duplicate.map(|d| d.position), Some(2));
    }

    /// An entry whose response is the IdP's auto-post page, as Chrome saves it.
    fn idp_page_entry(value: &str, base64_body: bool) -> String {
        let page = format!(
            "<html><body><form method=\\\"post\\\" action=\\\"{ACS}\\\">\
             <input type=\\\"hidden\\\" name=\\\"SAMLResponse\\\" value=\\\"{value}\\\"/>\
             </form></body></html>"
        );
        let (text, encoding) = if base64_body {
            use base64::Engine as _;
            let raw = page.replace("\\\"", "\"");
            (
                base64::engine::general_purpose::STANDARD.encode(raw),
                r#", "encoding": "base64""#,
            )
        } else {
            (page, "")
        };
        format!(
            r#"{{"startedDateTime": "{T0}", "request": {{"method": "GET", "url": "https://idp.example/sso"}},
                "response": {{"status": 200, "content": {{"mimeType": "text/html", "text": "{text}"{encoding}}}}}}}"#
        )
    }

    #[test]
    fn the_idp_page_yields_the_payload_when_the_post_is_missing() {
        for base64_body in [false, true] {
            let s = scan(&har(&[idp_page_entry("PHg&#x2b;", base64_body)]));
            assert_eq!(s.error, None);
            let [p] = s.payloads.as_slice() else {
                panic!("one payload: {:?}", s.payloads)
            };
            assert_eq!(p.raw, b"PHg+");
            assert_eq!(p.origin.entry, Some(0));
            assert_eq!(p.origin.url.as_deref(), Some(ACS));
            assert_eq!(
                p.origin.form_description().as_deref(),
                Some("HTML form in entry 0's response, action https://signin.aws.amazon.com/saml")
            );
            assert_eq!(s.stats.unwrap().with_saml, 1);
        }
    }

    #[test]
    fn the_idp_page_and_the_post_of_the_same_value_give_one_payload() {
        let pd =
            r#"{"mimeType": "application/x-www-form-urlencoded", "text": "SAMLResponse=PHg%2B"}"#;
        let s = scan(&har(&[
            idp_page_entry("PHg+", false),
            entry(T0, &post(ACS, pd)),
        ]));
        let [p] = s.payloads.as_slice() else {
            panic!("one payload: {:?}", s.payloads)
        };
        assert_eq!(p.origin.entry, Some(1));
        assert_eq!(p.origin.html_form, None);
        assert_eq!(s.stats.unwrap().with_saml, 1);
        // A page value that no request sent is kept, in capture order.
        let s = scan(&har(&[
            idp_page_entry("T1RIRVI=", false),
            entry(T0, &post(ACS, pd)),
        ]));
        let entries: Vec<_> = s.payloads.iter().map(|p| p.origin.entry).collect();
        assert_eq!(entries, [Some(0), Some(1)]);
        assert_eq!(s.stats.unwrap().with_saml, 2);
    }

    #[test]
    fn url_paths() {
        assert_eq!(url_path("https://a.b/c/d?x=1#f"), "/c/d");
        assert_eq!(url_path("https://a.b"), "");
        assert!(looks_like_saml_post(
            Some("post"),
            Some("https://h/app/saml/acs/"),
            None
        ));
        assert!(!looks_like_saml_post(
            Some("GET"),
            Some("https://h/saml"),
            None
        ));
        assert!(!looks_like_saml_post(
            Some("POST"),
            Some("https://h/api"),
            None
        ));
    }
}
