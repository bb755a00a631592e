//! Looks for SAML in a form body while it streams through, keeping only what
//! that needs: the whole body while it is small, and past that only the values
//! of `SAMLResponse`, `SAMLRequest` and `RelayState` (each up to the payload
//! limit). A large upload without SAML costs a bounded buffer, not its size.
//! What is kept is read by the one form reader ([`crate::input::form`]), like any
//! other form.

use bytes::Bytes;

use crate::input::form;

/// Bodies up to this size are kept whole (a SAML POST is a few to a few hundred
/// KiB), so the HAR records them exactly as sent.
pub(crate) const KEEP_WHOLE: usize = 1024 * 1024;
/// A field name longer than this is not one we look for.
const MAX_NAME: usize = 64;

const WANTED: &[&str] = &["SAMLResponse", "SAMLRequest", "RelayState"];

#[derive(Debug)]
pub(crate) struct FormScanner {
    whole: Option<Vec<u8>>,
    total: usize,
    name: Vec<u8>,
    name_too_long: bool,
    in_value: bool,
    /// The field whose value is being kept, and the value so far.
    keeping: Option<(String, Vec<u8>)>,
    kept: Vec<(String, Vec<u8>)>,
    max_value: usize,
    keep_whole: usize,
}

impl FormScanner {
    /// `max_value`: the largest SAML value kept (the payload limit).
    pub(crate) fn new(max_value: usize) -> Self {
        FormScanner {
            whole: Some(Vec::new()),
            total: 0,
            name: Vec::new(),
            name_too_long: false,
            in_value: false,
            keeping: None,
            kept: Vec::new(),
            max_value,
            keep_whole: KEEP_WHOLE.min(max_value),
        }
    }

    pub(crate) fn feed(&mut self, mut chunk: &[u8]) {
        self.total = self.total.saturating_add(chunk.len());
        if let Some(whole) = &mut self.whole {
            if whole.len() + chunk.len() <= self.keep_whole {
                whole.extend_from_slice(chunk);
            } else {
                self.whole = None;
            }
        }
        while !chunk.is_empty() {
            if self.in_value {
                let stop = chunk.iter().position(|&b| b == b'&');
                let (value, rest) = chunk.split_at(stop.unwrap_or(chunk.len()));
                if let Some((_, kept)) = &mut self.keeping {
                    if kept.len() + value.len() <= self.max_value {
                        kept.extend_from_slice(value);
                    } else {
                        // Too large to be checked anyway: not kept.
                        self.keeping = None;
                    }
                }
                if stop.is_some() {
                    self.end_field();
                    chunk = &rest[1..];
                } else {
                    chunk = rest;
                }
            } else {
                let stop = chunk.iter().position(|&b| b == b'&' || b == b'=');
                let (name, rest) = chunk.split_at(stop.unwrap_or(chunk.len()));
                if self.name.len() + name.len() <= MAX_NAME * 3 {
                    self.name.extend_from_slice(name);
                } else {
                    self.name_too_long = true;
                }
                match rest.first() {
                    Some(b'=') => {
                        self.in_value = true;
                        self.start_value();
                        chunk = &rest[1..];
                    }
                    Some(_) => {
                        self.end_field();
                        chunk = &rest[1..];
                    }
                    None => chunk = rest,
                }
            }
        }
    }

    fn start_value(&mut self) {
        if self.name_too_long {
            return;
        }
        if WANTED.contains(&form::component(&self.name).as_str()) {
            let name = String::from_utf8_lossy(&self.name).into_owned();
            self.keeping = Some((name, Vec::new()));
        }
    }

    fn end_field(&mut self) {
        if let Some(k) = self.keeping.take() {
            self.kept.push(k);
        }
        self.name.clear();
        self.name_too_long = false;
        self.in_value = false;
    }

    /// The body's size and the body to record: the whole body when it was
    /// small, else only its SAML fields.
    pub(crate) fn finish(mut self) -> (usize, Bytes) {
        self.end_field();
        let recorded = if let Some(whole) = self.whole {
            whole
        } else {
            let mut form = Vec::new();
            for (name, value) in &self.kept {
                if !form.is_empty() {
                    form.push(b'&');
                }
                form.extend_from_slice(name.as_bytes());
                form.push(b'=');
                form.extend_from_slice(value);
            }
            form
        };
        (self.total, Bytes::from(recorded))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::SamlParam;
    use crate::proxy::capture::{Found, find};

    /// The body's size, the SAML values the proxy finds in what is kept, and that.
    fn scan(chunks: &[&[u8]], max: usize) -> (usize, Vec<Found>, Bytes) {
        let mut s = FormScanner::new(max);
        for c in chunks {
            s.feed(c);
        }
        let (total, kept) = s.finish();
        (total, find("https://sp/acs", Some(&kept)), kept)
    }

    #[test]
    fn small_bodies_are_kept_whole_whatever_the_chunking() {
        let body = b"a=1&SAMLResponse=PD94%2B&RelayState=r%20s&b=2";
        for split in 0..body.len() {
            let (total, found, kept) = scan(&[&body[..split], &body[split..]], 1000);
            assert_eq!(total, body.len());
            assert_eq!(&kept[..], body);
            assert_eq!(found.len(), 1);
            assert_eq!(found[0].param, SamlParam::Response);
            assert_eq!(found[0].raw, "PD94%2B");
            assert_eq!(found[0].relay_state.as_deref(), Some("r s"));
        }
    }

    #[test]
    fn large_bodies_keep_only_the_saml_fields() {
        let filler = vec![b'x'; KEEP_WHOLE + 10];
        let mut chunks: Vec<&[u8]> = vec![b"file="];
        chunks.extend(filler.chunks(4096));
        chunks.push(b"&SAML");
        chunks.push(b"Request=fZ%2B&Relay");
        chunks.push(b"State=k");
        let (total, found, kept) = scan(&chunks, usize::MAX);
        assert_eq!(total, 5 + filler.len() + 5 + 19 + 7);
        assert_eq!(&kept[..], b"SAMLRequest=fZ%2B&RelayState=k");
        assert_eq!(found[0].param, SamlParam::Request);
        assert_eq!(found[0].relay_state.as_deref(), Some("k"));
    }

    #[test]
    fn an_oversized_value_is_dropped_not_kept() {
        let big = vec![b'A'; KEEP_WHOLE + 1];
        let (_, found, kept) = scan(&[b"SAMLResponse=", &big], 100);
        assert!(found.is_empty());
        assert!(kept.is_empty());
        let (_, found, kept) = scan(&[b"SAMLResponse=", &[b'A'; 101]], 100);
        assert!(found.is_empty());
        assert!(kept.is_empty());
    }
}
