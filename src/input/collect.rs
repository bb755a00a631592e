//! What the JSON container readers (`har`, `tracer`) share: the `Collector` that gathers
//! payloads under the per-input limit, and `LenientString` for partial exports. Uses only
//! the input model (`super`) and `limits`; `file`, `har` and `tracer` use it.

use std::fmt;

use serde::de::{self, IgnoredAny, MapAccess, Visitor};

use super::{Container, ContainerStats, Payload, Scanned};
use crate::limits::Limits;

/// Payloads, notes and counts gathered from a HAR or tracer export, with the
/// per-input payload limit applied.
pub(super) struct Collector {
    max_payloads: usize,
    payloads: Vec<Payload>,
    notes: Vec<String>,
    pub(super) stats: ContainerStats,
    dropped: usize,
}

impl Collector {
    pub(super) fn new(limits: &Limits) -> Self {
        Collector {
            max_payloads: limits.max_payloads_per_input,
            payloads: Vec::new(),
            notes: Vec::new(),
            stats: ContainerStats::default(),
            dropped: 0,
        }
    }

    pub(super) fn push(&mut self, payload: Payload) {
        if self.payloads.len() < self.max_payloads {
            self.payloads.push(payload);
        } else {
            self.dropped += 1;
        }
    }

    /// The container entries the kept payloads came from (sorted, deduplicated).
    pub(super) fn entries_kept(&self) -> Vec<usize> {
        let mut entries: Vec<usize> = self
            .payloads
            .iter()
            .filter_map(|p| p.origin.entry)
            .collect();
        entries.dedup();
        entries
    }

    /// Keeps the payloads `keep` accepts, in order.
    pub(super) fn retain(&mut self, keep: impl FnMut(&Payload) -> bool) {
        self.payloads.retain(keep);
    }

    pub(super) fn note(&mut self, note: String) {
        self.notes.push(note);
    }

    pub(super) fn finish(self, container: Container, error: Option<String>) -> Scanned {
        let limit_exceeded = (self.dropped > 0).then(|| {
            format!(
                "{} more SAML payloads were skipped: only the first {} are kept \
                 (limits.max_payloads_per_input)",
                self.dropped, self.max_payloads
            )
        });
        Scanned {
            container,
            payloads: self.payloads,
            stats: Some(self.stats),
            notes: self.notes,
            error,
            limit_exceeded,
        }
    }
}

/// A JSON value read as a string when it is one; any other value (null, number,
/// object...) is skipped and read as absent, so partial exports never stop a scan.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct LenientString(pub(super) Option<String>);

impl LenientString {
    /// The string, when present and not empty.
    pub(super) fn non_empty(&self) -> Option<&str> {
        self.0.as_deref().filter(|s| !s.is_empty())
    }
}

impl<'de> de::Deserialize<'de> for LenientString {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = LenientString;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<LenientString, E> {
                Ok(LenientString(Some(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<LenientString, E> {
                Ok(LenientString(Some(v)))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<LenientString, E> {
                Ok(LenientString(None))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<LenientString, E> {
                Ok(LenientString(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<LenientString, E> {
                Ok(LenientString(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<LenientString, E> {
                Ok(LenientString(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<LenientString, E> {
                Ok(LenientString(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<LenientString, E> {
                Ok(LenientString(None))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<LenientString, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(LenientString(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<LenientString, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(LenientString(None))
            }
        }
        deserializer.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_string_reads_anything() {
        let v: Vec<LenientString> =
            serde_json::from_str(r#"["a", null, 1, 2.5, true, [1, [2]], {"k": {"x": 1}}, ""]"#)
                .unwrap();
        let got: Vec<Option<&str>> = v.iter().map(|s| s.0.as_deref()).collect();
        assert_eq!(
            got,
            vec![Some("a"), None, None, None, None, None, None, Some("")]
        );
        assert_eq!(v[7].non_empty(), None);
    }
}
