//! SAML-tracer exports: `{"requests": [...], "timestamp": ...}`.
//!
//! Current exports (SAML-tracer 1.x) give each request a `requestId`, a `post`
//! list of `[name, value]` pairs for POSTs and a `get` list for GETs (values
//! already URL-decoded), the decoded message in `saml`, and an ISO 8601
//! `timestamp` for the export. Legacy exports use `id`, carry `get` on every
//! request and a `timestamp` in milliseconds since the epoch. The "Mask values"
//! and "Remove values" export profiles replace every `post` value with
//! `{hash:...}` / `{obf:...}`; the decoded `saml` field is then all that is left.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::collect::{Collector, LenientString};
use super::har::parse_time;
use super::{Binding, Container, Origin, OriginKind, Payload, RawForm, SamlParam, Scanned};
use crate::limits::Limits;

/// State of a tracer scan. Requests are kept until the document ends, since
/// the export's `timestamp` (the capture time of every payload) follows them.
pub(super) struct TracerScan {
    /// A `requests` list was seen at the top level.
    recognized: bool,
    limits: Limits,
    requests: Vec<Option<TracerRequest>>,
    pub(super) timestamp: Timestamp,
}

impl TracerScan {
    pub(super) fn new(limits: &Limits) -> Self {
        TracerScan {
            recognized: false,
            limits: *limits,
            requests: Vec::new(),
            timestamp: Timestamp::default(),
        }
    }

    pub(super) fn recognized(&self) -> bool {
        self.recognized
    }

    pub(super) fn finish(self, error: Option<String>) -> Scanned {
        let mut collector = Collector::new(&self.limits);
        let (time, time_note) = self.timestamp.resolve();
        for (index, request) in self.requests.into_iter().enumerate() {
            collector.stats.entries += 1;
            let Some(request) = request else { continue };
            request.collect(index, time, &mut collector);
        }
        if collector.stats.with_saml > 0
            && let Some(note) = time_note
        {
            collector.note(note);
        }
        collector.finish(Container::Tracer, error)
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TracerRequest {
    method: LenientString,
    url: LenientString,
    post: Pairs,
    get: Pairs,
    saml: LenientString,
    samlart: LenientString,
}

/// The SAML parameter found in a `post` or `get` list.
struct Named<'a> {
    param: SamlParam,
    value: Option<&'a str>,
}

impl TracerRequest {
    fn collect(self, index: usize, time: Option<DateTime<Utc>>, collector: &mut Collector) {
        let method = self.method.0;
        let url = self.url.0;
        let label = match (&method, &url) {
            (Some(m), Some(u)) => format!("request {index} ({m} {u})"),
            (None, Some(u)) => format!("request {index} ({u})"),
            _ => format!("request {index}"),
        };
        let in_post = self.post.saml();
        let in_get = self.get.saml();
        let usable = |n: &Option<Named<'_>>| {
            n.as_ref()
                .and_then(|n| n.value.filter(|v| !v.is_empty() && !is_masked(v)))
                .is_some()
        };

        let (binding, named, raw, form, relay_state) = if usable(&in_post) {
            let n = in_post.as_ref();
            (
                Binding::Post,
                n.map(|n| n.param),
                n.and_then(|n| n.value).unwrap_or_default().to_owned(),
                RawForm::Encoded,
                self.post.relay_state(),
            )
        } else if usable(&in_get) {
            let n = in_get.as_ref();
            (
                Binding::Redirect,
                n.map(|n| n.param),
                n.and_then(|n| n.value).unwrap_or_default().to_owned(),
                RawForm::Encoded,
                self.get.relay_state(),
            )
        } else if let Some(xml) = self.saml.non_empty() {
            let (binding, param, relay_state) = match (&in_post, &in_get) {
                (Some(n), _) => (Binding::Post, Some(n.param), self.post.relay_state()),
                (None, Some(n)) => (Binding::Redirect, Some(n.param), self.get.relay_state()),
                (None, None) => {
                    let binding = match method.as_deref() {
                        Some(m) if m.eq_ignore_ascii_case("POST") => Binding::Post,
                        Some(m) if m.eq_ignore_ascii_case("GET") => Binding::Redirect,
                        _ => Binding::Unknown,
                    };
                    (binding, None, None)
                }
            };
            (
                binding,
                param,
                xml.to_owned(),
                RawForm::DecodedXml,
                relay_state,
            )
        } else {
            if let Some(n) = in_post.as_ref().or(in_get.as_ref()) {
                collector.note(format!(
                    "{label}: the {} value is empty or masked and the export has no decoded \
                     `saml` field",
                    n.param.name()
                ));
            } else if self.samlart.non_empty().is_some() {
                collector.note(format!(
                    "{label}: carries a SAML artifact (SAMLart), not a SAML message"
                ));
            }
            return;
        };

        collector.stats.with_saml += 1;
        let origin = Origin {
            kind: OriginKind::Tracer,
            entry: Some(index),
            url,
            time,
            method,
            html_form: None,
        };
        let list = match binding {
            Binding::Post if form == RawForm::Encoded => Some((&self.post, "form body")),
            Binding::Redirect if form == RawForm::Encoded => Some((&self.get, "query string")),
            _ => None,
        };
        let repeated = list.zip(named).and_then(|((pairs, place), param)| {
            let (values, relay_states) = pairs.values_of(param);
            (values.len() > 1 || relay_states > 1).then_some((values, relay_states, place))
        });
        if let Some((values, relay_states, place)) = repeated {
            let count = values.len();
            for (i, value) in values.into_iter().enumerate() {
                collector.push(Payload {
                    origin: origin.clone(),
                    binding,
                    param: named,
                    relay_state: relay_state.clone(),
                    raw: value.as_bytes().to_vec(),
                    form,
                    duplicate: super::form::Duplicate::of(i + 1, count, relay_states, place),
                });
            }
            return;
        }
        collector.push(Payload {
            origin,
            binding,
            param: named,
            relay_state,
            raw: raw.into_bytes(),
            form,
            duplicate: None,
        });
    }
}

/// A value replaced by the export's "Mask values" (`{hash:...}`) or "Remove
/// values" (`{obf:alternative_N}`) profile, or overwritten.
fn is_masked(value: &str) -> bool {
    value.ends_with('}')
        && (value.starts_with("{hash:") || value.starts_with("{obf:") || value == "{overwritten}")
}

/// A `post` or `get` list: `[[name, value], ...]`. Anything else reads as empty;
/// pairs written as `{"name": .., "value": ..}` are accepted too.
#[derive(Default)]
struct Pairs(Vec<Pair>);

#[derive(Default)]
struct Pair {
    name: LenientString,
    value: LenientString,
}

impl Pairs {
    fn saml(&self) -> Option<Named<'_>> {
        self.0.iter().find_map(|p| {
            let param = SamlParam::from_name(p.name.0.as_deref()?.trim())?;
            Some(Named {
                param,
                value: p.value.0.as_deref(),
            })
        })
    }

    fn relay_state(&self) -> Option<String> {
        self.0
            .iter()
            .find(|p| p.name.0.as_deref() == Some("RelayState"))
            .and_then(|p| p.value.0.clone())
            .filter(|v| !is_masked(v))
    }

    /// Every value of `param`, in order, and how many `RelayState`s the list has: a
    /// repeated parameter is checked once per value (`form-parameter-duplicate`).
    fn values_of(&self, param: SamlParam) -> (Vec<&str>, usize) {
        let named = |p: &&Pair, name: &str| p.name.0.as_deref().map(str::trim) == Some(name);
        let values = self
            .0
            .iter()
            .filter(|p| named(p, param.name()))
            .map(|p| p.value.0.as_deref().unwrap_or_default())
            .collect();
        let relay_states = self.0.iter().filter(|p| named(p, "RelayState")).count();
        (values, relay_states)
    }
}

impl<'de> Deserialize<'de> for Pairs {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Pairs;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of [name, value] pairs")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Pairs, A::Error> {
                let mut pairs = Vec::new();
                while let Some(pair) = seq.next_element::<Pair>()? {
                    pairs.push(pair);
                }
                Ok(Pairs(pairs))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Pairs, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Pairs::default())
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Pairs, E> {
                Ok(Pairs::default())
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Pairs, E> {
                Ok(Pairs::default())
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Pairs, E> {
                Ok(Pairs::default())
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Pairs, E> {
                Ok(Pairs::default())
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Pairs, E> {
                Ok(Pairs::default())
            }
            fn visit_unit<E: de::Error>(self) -> Result<Pairs, E> {
                Ok(Pairs::default())
            }
        }
        deserializer.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for Pair {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Pair;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a [name, value] pair")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Pair, A::Error> {
                let name = seq.next_element::<LenientString>()?.unwrap_or_default();
                let value = seq.next_element::<LenientString>()?.unwrap_or_default();
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Pair { name, value })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Pair, A::Error> {
                let mut pair = Pair::default();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "name" => pair.name = map.next_value()?,
                        "value" => pair.value = map.next_value()?,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(pair)
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Pair, E> {
                Ok(Pair::default())
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Pair, E> {
                Ok(Pair::default())
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Pair, E> {
                Ok(Pair::default())
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Pair, E> {
                Ok(Pair::default())
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Pair, E> {
                Ok(Pair::default())
            }
            fn visit_unit<E: de::Error>(self) -> Result<Pair, E> {
                Ok(Pair::default())
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// The export's top-level `timestamp`: an ISO 8601 string (current exports) or
/// milliseconds since the epoch (legacy exports).
#[derive(Debug, Default, Clone, PartialEq)]
pub(super) enum Timestamp {
    #[default]
    Missing,
    Text(String),
    Millis(f64),
    Other,
}

impl Timestamp {
    /// The capture time, or a note saying why there is none.
    fn resolve(&self) -> (Option<DateTime<Utc>>, Option<String>) {
        let unknown = |what: String| (None, Some(format!("{what}; the capture time is unknown")));
        match self {
            Timestamp::Missing => unknown("the SAML-tracer export has no timestamp".to_owned()),
            Timestamp::Text(s) => match parse_time(s) {
                Some(t) => (Some(t), None),
                None => unknown(format!(
                    "the SAML-tracer export's timestamp \"{s}\" is not an RFC 3339 time"
                )),
            },
            Timestamp::Millis(ms) => {
                let t = if ms.is_finite() && ms.abs() < 1e15 {
                    // In range: |ms| < 1e15 fits an i64 exactly.
                    #[allow(clippy::cast_possible_truncation)]
                    DateTime::from_timestamp_millis(ms.round() as i64)
                } else {
                    None
                };
                match t {
                    Some(t) => (Some(t), None),
                    None => unknown(format!(
                        "the SAML-tracer export's timestamp {ms} is out of range"
                    )),
                }
            }
            Timestamp::Other => {
                unknown("the SAML-tracer export's timestamp is not a time".to_owned())
            }
        }
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Timestamp;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a time")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Timestamp, E> {
                Ok(Timestamp::Text(v.to_owned()))
            }
            #[allow(clippy::cast_precision_loss)]
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Timestamp, E> {
                Ok(Timestamp::Millis(v as f64))
            }
            #[allow(clippy::cast_precision_loss)]
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Timestamp, E> {
                Ok(Timestamp::Millis(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Timestamp, E> {
                Ok(Timestamp::Millis(v))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Timestamp, E> {
                Ok(Timestamp::Other)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Timestamp, E> {
                Ok(Timestamp::Missing)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Timestamp, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Timestamp::Other)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Timestamp, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Timestamp::Other)
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// The top-level `requests` list, one request at a time.
pub(super) struct RequestsSeed<'a>(pub(super) &'a mut TracerScan);

impl<'de> DeserializeSeed<'de> for RequestsSeed<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for RequestsSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of SAML-tracer requests")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.0.recognized = true;
        while let Some(request) = seq.next_element::<Option<TracerRequest>>()? {
            self.0.requests.push(request);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{ContainerStats, scan_bytes};

    fn scan(json: &str) -> Scanned {
        scan_bytes(json.as_bytes(), OriginKind::File, &Limits::default())
    }

    const XML: &str =
        r#"<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"r1\"/>"#;

    #[test]
    fn repeated_saml_response_in_a_post_gives_one_payload_each() {
        let json = r#"{"requests": [
            {"method": "POST", "url": "https://signin.aws.amazon.com/saml",
             "post": [["SAMLResponse", "QUJD"], ["SAMLResponse", "REVG"], ["RelayState", "r"]],
             "saml": "<x/>"}],
            "timestamp": "2026-01-15T10:00:00.000Z"}"#;
        let s = scan(json);
        let got: Vec<_> = s
            .payloads
            .iter()
            .map(|p| (p.raw.clone(), p.duplicate.map(|d| (d.position, d.count))))
            .collect();
        assert_eq!(
            got,
            [
                (b"QUJD".to_vec(), Some((1, 2))),
                (b"REVG".to_vec(), Some((2, 2)))
            ]
        );
        assert!(
            s.payloads
                .iter()
                .all(|p| p.relay_state.as_deref() == Some("r"))
        );
    }

    #[test]
    fn current_export() {
        let json = format!(
            r#"{{
  "requests": [
    {{"method": "GET", "url": "https://portal.example/", "requestId": "request-1-GET-ab",
      "requestHeaders": [{{"name": "Accept", "value": "*/*"}}], "get": [],
      "responseStatus": 200, "responseHeaders": []}},
    {{"method": "GET", "url": "https://idp.example/sso?SAMLRequest=fZJN&RelayState=s1",
      "requestId": "request-2-GET-cd", "get": [["SAMLRequest", "fZJN+w=="], ["RelayState", "s1"]],
      "protocol": "SAML-P", "saml": "<samlp:AuthnRequest/>"}},
    {{"method": "POST", "url": "https://signin.aws.amazon.com/saml", "requestId": "request-3-POST-ef",
      "postData": {{"SAMLResponse": ["PHNhbWw+"]}},
      "post": [["SAMLResponse", "PHNhbWw+"], ["RelayState", "https://console"]],
      "protocol": "SAML-P", "saml": "{XML}"}}
  ],
  "timestamp": "2026-01-15T10:00:00.000Z"
}}"#
        );
        let s = scan(&json);
        assert_eq!(s.container, Container::Tracer);
        assert_eq!(s.error, None);
        assert_eq!(s.notes, Vec::<String>::new());
        assert_eq!(
            s.stats,
            Some(ContainerStats {
                entries: 3,
                with_saml: 2
            })
        );
        let want_time = parse_time("2026-01-15T10:00:00Z");
        assert!(want_time.is_some());

        let [get, post] = s.payloads.as_slice() else {
            panic!("two payloads expected")
        };
        assert_eq!(get.origin.kind, OriginKind::Tracer);
        assert_eq!(get.origin.entry, Some(1));
        assert_eq!(get.origin.method.as_deref(), Some("GET"));
        assert_eq!(get.origin.time, want_time);
        assert_eq!(get.binding, Binding::Redirect);
        assert_eq!(get.param, Some(SamlParam::Request));
        assert_eq!(get.raw, b"fZJN+w==");
        assert_eq!(get.form, RawForm::Encoded);
        assert_eq!(get.relay_state.as_deref(), Some("s1"));

        assert_eq!(post.origin.entry, Some(2));
        assert_eq!(
            post.origin.url.as_deref(),
            Some("https://signin.aws.amazon.com/saml")
        );
        assert_eq!(post.origin.time, want_time);
        assert_eq!(post.binding, Binding::Post);
        assert_eq!(post.param, Some(SamlParam::Response));
        assert_eq!(post.raw, b"PHNhbWw+");
        assert_eq!(post.relay_state.as_deref(), Some("https://console"));
    }

    #[test]
    fn legacy_export() {
        let json = r#"{"requests": [
            {"id": 7, "method": "POST", "url": "https://signin.aws.amazon.com/saml",
             "requestHeaders": [["Content-Type", "application/x-www-form-urlencoded"]],
             "postData": "SAMLResponse=PHNhbWw%2B", "get": [],
             "post": [["SAMLResponse", "PHNhbWw+"]], "saml": "<x/>",
             "responseStatus": 200, "responseHeaders": [["Content-Type", "text/html"]]},
            {"id": 8, "method": "GET", "url": "https://x/", "get": [], "post": [], "saml": null}
        ], "timestamp": 1768471200000}"#;
        let s = scan(json);
        assert_eq!(s.container, Container::Tracer);
        assert_eq!(s.error, None);
        assert_eq!(s.notes, Vec::<String>::new());
        let [p] = s.payloads.as_slice() else {
            panic!("one payload expected")
        };
        assert_eq!(p.raw, b"PHNhbWw+");
        assert_eq!(p.binding, Binding::Post);
        assert_eq!(p.origin.entry, Some(0));
        assert_eq!(p.origin.time, parse_time("2026-01-15T10:00:00Z"));
        assert_eq!(s.stats.unwrap().entries, 2);
    }

    #[test]
    fn masked_export_falls_back_to_decoded_xml() {
        let json = format!(
            r#"{{"requests": [
            {{"requestId": "a", "method": "POST", "url": "https://signin.aws.amazon.com/saml",
              "postData": "{{overwritten}}",
              "post": [["SAMLResponse", "{{hash:3f9a}}"], ["RelayState", "{{hash:77}}"]],
              "saml": "{XML}"}},
            {{"requestId": "b", "method": "POST", "url": "https://signin.aws.amazon.com/saml",
              "post": [["SAMLResponse", "{{obf:alternative_0}}"]], "saml": "{XML}"}},
            {{"requestId": "c", "method": "POST", "url": "https://signin.aws.amazon.com/saml",
              "post": [["SAMLResponse", "{{obf:alternative_1}}"]]}},
            {{"requestId": "d", "method": "POST", "url": "https://sp/artifact",
              "post": [["SAMLart", "AAQAA"]], "samlart": "AAQAA"}}
        ], "timestamp": "2026-01-15T10:00:00Z"}}"#
        );
        let s = scan(&json);
        assert_eq!(s.error, None);
        assert_eq!(s.payloads.len(), 2);
        for (p, entry) in s.payloads.iter().zip([0, 1]) {
            assert_eq!(p.form, RawForm::DecodedXml);
            assert_eq!(p.binding, Binding::Post);
            assert_eq!(p.param, Some(SamlParam::Response));
            assert_eq!(p.relay_state, None);
            assert_eq!(p.origin.entry, Some(entry));
            assert!(p.raw.starts_with(b"<samlp:Response"));
        }
        assert_eq!(s.notes.len(), 2, "{:?}", s.notes);
        assert!(s.notes[0].starts_with("request 2 (POST"));
        assert!(s.notes[1].contains("SAMLart"));
    }

    #[test]
    fn decoded_only_request_uses_method_for_binding() {
        let json = r#"{"requests": [
            {"requestId": "a", "method": "GET", "url": "https://idp/sso", "get": null, "post": null,
             "saml": "<samlp:AuthnRequest/>"}
        ]}"#;
        let s = scan(json);
        let [p] = s.payloads.as_slice() else {
            panic!("one payload expected")
        };
        assert_eq!(p.binding, Binding::Redirect);
        assert_eq!(p.param, None);
        assert_eq!(p.form, RawForm::DecodedXml);
        assert_eq!(p.origin.time, None);
        assert_eq!(
            s.notes,
            vec!["the SAML-tracer export has no timestamp; the capture time is unknown"]
        );
    }

    #[test]
    fn truncated_export_keeps_complete_requests() {
        let json = r#"{"requests": [
            {"requestId": "a", "method": "POST", "url": "https://signin.aws.amazon.com/saml",
             "post": [["SAMLResponse", "QUJD"]]},
            {"requestId": "b", "method": "POST", "url": "https://signin.aws.amaz"#;
        let s = scan(json);
        assert_eq!(s.container, Container::Tracer);
        assert_eq!(s.payloads.len(), 1);
        assert!(s.error.is_some());
    }

    #[test]
    fn odd_shapes_are_tolerated() {
        let json = r#"{"timestamp": "garbage", "requests": [null, 3, "x"]}"#;
        // A request that is not an object is an error in the export.
        let s = scan(json);
        assert_eq!(s.container, Container::Tracer);
        assert!(s.error.is_some());
        let json = r#"{"requests": [null, {"method": 5, "post": "x", "get": [null, [1, 2, 3], {"name": "SAMLResponse", "value": "QUJD"}]}],
                       "timestamp": "garbage"}"#;
        let s = scan(json);
        assert_eq!(s.error, None);
        assert_eq!(s.payloads.len(), 1);
        assert_eq!(s.payloads[0].binding, Binding::Redirect);
        assert!(s.notes.iter().any(|n| n.contains("\"garbage\"")));
    }
}
