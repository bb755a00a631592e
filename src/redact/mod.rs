//! `samlint redact`: a capture that can be shared. Every SAML payload in a HAR,
//! SAML-tracer export, raw value or saved HTML page is decoded, its identities are
//! replaced by consistent pseudonyms on the parsed tree, and it is put back, encoded
//! as it was, in every place it appears; credentials (cookies, `Authorization` and
//! other secret headers, tokens in URLs, bodies of other requests) are removed; the
//! verdict taken before redaction travels inside the output ([`record`]).
//!
//! A file is rewritten twice: the first pass only learns every identity value of
//! every payload, so that the second can also replace those values where they leak
//! into free text (a `login_hint` in a URL, a header, a page title).

mod codec;
pub(crate) mod document;
mod html;
mod json;
pub(crate) mod pseudonym;
pub(crate) mod record;
mod sweep;

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use crate::input::SamlParam;
use crate::limits::Limits;

pub(crate) use document::Policy;
pub(crate) use json::{Body, Format, redact_file};
pub(crate) use pseudonym::Pseudonyms;

use sweep::Sweep;

/// What replaces a credential.
pub(crate) const REMOVED: &str = "[redacted]";

/// Query and form parameters that carry credentials or one-time codes.
static SECRET_PARAM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(code|token|.*_token|.*token$|access[-_]?token|id[-_]?token|session.*|sid|password|passwd|pwd|secret|client[-_]?secret|.*secret|api[-_]?key|apikey|key|auth|authorization|assertion|samlart|signature|otp|mfa.*|passcode|state|nonce|csrf.*|xsrf.*)$",
    )
    .unwrap_or_else(|e| unreachable!("SECRET_PARAM: {e}"))
});

/// Header names whose values are credentials.
static SECRET_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(cookie|set-cookie|set-cookie2|authorization|proxy-authorization|www-authenticate|.*token.*|.*secret.*|.*session.*|.*api-?key.*|.*auth.*|.*csrf.*|.*xsrf.*|x-amz-security-token|x-okta-.*|.*signature.*)$")
        .unwrap_or_else(|e| unreachable!("SECRET_HEADER: {e}"))
});

/// Whether a header's value is a credential.
pub(crate) fn is_secret_header(name: &str) -> bool {
    // HTTP/2 pseudo-headers (`:authority`, `:path`) are the request line.
    !name.starts_with(':') && SECRET_HEADER.is_match(name.trim())
}

fn is_secret_param(name: &str) -> bool {
    SECRET_PARAM.is_match(name.trim())
}

/// One change made (or, with `--dry-run`, that would be made).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Change {
    /// Where: `entry 3 request.postData.text`, `request 2 saml`.
    pub place: String,
    pub what: String,
}

/// A redaction in progress over one output file: the pseudonym map and the list of
/// changes. The proxy keeps one per HAR file and hands it each captured entry
/// ([`Redactor::har_entry`]).
#[derive(Debug)]
pub(crate) struct Redactor {
    names: Pseudonyms,
    policy: Policy,
    limits: Limits,
    sweep: Sweep,
    /// First pass: learn identities, record nothing.
    learning: bool,
    changes: Vec<Change>,
    /// Where the current value is, for [`Change::place`].
    place: String,
}

impl Redactor {
    pub(crate) fn new(policy: Policy, limits: Limits) -> Self {
        Redactor {
            names: Pseudonyms::new(),
            policy,
            limits,
            sweep: Sweep::default(),
            learning: false,
            changes: Vec::new(),
            place: String::new(),
        }
    }

    /// Redacts one HAR 1.2 entry in place (the proxy's `--redact`).
    pub(crate) fn har_entry(&mut self, entry: &mut Value) {
        let mut copy = entry.clone();
        self.learn(|r| json::har_entry(r, 0, &mut copy));
        json::har_entry(self, 0, entry);
    }

    /// The changes made so far.
    pub(crate) fn changes(&self) -> &[Change] {
        &self.changes
    }

    /// The pseudonyms given so far: (original, replacement), sorted by original.
    pub(crate) fn pseudonyms(&self) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = self
            .names
            .pairs()
            .map(|(_, o, p)| (o.to_owned(), p.to_owned()))
            .collect();
        v.sort();
        v
    }

    /// The original values that must not survive anywhere (email domains aside).
    pub(crate) fn originals(&self) -> Vec<String> {
        self.names
            .pairs()
            .filter(|(k, _, _)| *k != pseudonym::Kind::Domain)
            .map(|(_, o, _)| o.to_owned())
            .collect()
    }

    /// Runs `f` as a learning pass, then rebuilds the free-text sweep.
    fn learn(&mut self, f: impl FnOnce(&mut Self)) {
        self.learning = true;
        f(self);
        self.learning = false;
        self.sweep = Sweep::new(&mut self.names);
    }

    fn note(&mut self, what: impl Into<String>) {
        if !self.learning {
            self.changes.push(Change {
                place: self.place.clone(),
                what: what.into(),
            });
        }
    }

    /// An encoded SAML value, rewritten and encoded the same way; a value that cannot
    /// be decoded is removed (it may still hold identities).
    fn saml_value(&mut self, param: &str, value: &str) -> String {
        if value.starts_with("{hash:") || value.starts_with("{obf:") || value.is_empty() {
            return value.to_owned();
        }
        let before = self.names.len();
        let done = codec::decode(value, &self.limits).and_then(|(enc, xml)| {
            let out = document::rewrite(&xml, &mut self.names, self.policy, &self.limits)?;
            Ok((codec::encode(&enc, &out), enc.layers()))
        });
        match done {
            Ok((v, layers)) => {
                let layers = if layers.is_empty() {
                    "XML".to_owned()
                } else {
                    layers.join(", ")
                };
                let fresh = self.names.len() - before;
                self.note(format!(
                    "{param} decoded ({layers}), identities replaced ({fresh} new), signature and digest values blanked, re-encoded"
                ));
                v
            }
            Err(e) => {
                self.note(format!("{param} removed: {e}"));
                REMOVED.to_owned()
            }
        }
    }

    /// Decoded XML (the tracer's `saml` field): rewritten, or removed when it does
    /// not parse.
    fn saml_xml(&mut self, xml: &str) -> String {
        match document::rewrite(xml, &mut self.names, self.policy, &self.limits) {
            Ok(out) => {
                self.note("decoded SAML message: identities replaced");
                out
            }
            Err(e) => {
                self.note(format!("decoded SAML message removed: {e}"));
                String::new()
            }
        }
    }

    /// Free text with every known identity replaced.
    fn text(&mut self, s: &str) -> String {
        let out = self.sweep.apply(s, &mut self.names);
        if out != s {
            self.note("identity values in text replaced");
        }
        out
    }

    /// A URL: SAML values rewritten, credential parameters removed, identities in
    /// the rest replaced.
    fn url(&mut self, url: &str) -> String {
        let (head, fragment) = match url.split_once('#') {
            Some((h, f)) => (h, Some(f)),
            None => (url, None),
        };
        let mut out = match head.split_once('?') {
            Some((path, query)) => format!("{}?{}", self.text(path), self.form(query)),
            None => self.text(head),
        };
        if let Some(f) = fragment {
            out.push('#');
            // Implicit-flow tokens travel in the fragment.
            if f.contains('=') {
                out.push_str(&self.form(f));
            } else {
                out.push_str(&self.text(f));
            }
        }
        out
    }

    /// A form body or query string, pair by pair, separators kept.
    fn form(&mut self, body: &str) -> String {
        let mut out = String::with_capacity(body.len());
        for (i, pair) in body.split('&').enumerate() {
            if i > 0 {
                out.push('&');
            }
            let Some((name, value)) = pair.split_once('=') else {
                out.push_str(&self.text(pair));
                continue;
            };
            let decoded_name = percent_encoding::percent_decode_str(name).decode_utf8_lossy();
            out.push_str(name);
            out.push('=');
            out.push_str(&self.param(&decoded_name, value));
        }
        out
    }

    /// The value of a named parameter (form, query, HAR `params`, tracer pairs).
    fn param(&mut self, name: &str, value: &str) -> String {
        if SamlParam::from_name(name).is_some() {
            self.saml_value(name, value)
        } else if name == "SigAlg" || name == "RelayState" {
            self.text(value)
        } else if is_secret_param(name) && !value.is_empty() {
            self.note(format!("parameter {name} removed"));
            REMOVED.to_owned()
        } else {
            self.text(value)
        }
    }

    /// Free text holding `SAMLResponse=...` somewhere: each value rewritten, the rest
    /// swept.
    fn in_text(&mut self, s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut at = 0;
        let found: Vec<(usize, usize, String)> = IN_TEXT
            .captures_iter(s)
            .filter_map(|c| {
                let v = c.get(2)?;
                Some((v.start(), v.end(), c[1].to_owned()))
            })
            .collect();
        for (start, end, name) in found {
            out.push_str(&self.text(&s[at..start]));
            out.push_str(&self.saml_value(&name, &s[start..end]));
            at = end;
        }
        out.push_str(&self.text(&s[at..]));
        out
    }

    /// A header value: removed when it is a credential, URLs rewritten, text swept.
    fn header(&mut self, name: &str, value: &str) -> String {
        if is_secret_header(name) {
            self.note(format!("header {name} removed"));
            REMOVED.to_owned()
        } else if value.contains("://") || value.starts_with('/') {
            self.url(value)
        } else {
            self.text(value)
        }
    }
}

/// `SAMLResponse=value` anywhere in text (a log line).
static IN_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\b(SAMLResponse|SAMLRequest)=([^&\s"'<>]*)"#)
        .unwrap_or_else(|e| unreachable!("IN_TEXT: {e}"))
});

/// The percent-decoded text when `t` is a form body or query string encoded as a
/// whole (`SAMLResponse%3D...`).
fn envelope(t: &str) -> Option<String> {
    let upper = t.to_ascii_uppercase();
    (upper.contains("SAMLRESPONSE%3D") || upper.contains("SAMLREQUEST%3D")).then(|| {
        percent_encoding::percent_decode_str(t)
            .decode_utf8_lossy()
            .into_owned()
    })
}

/// Percent-encodes a whole form body again, as [`envelope`] found it.
fn form_encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, codec::FORM).to_string()
}

/// Whether free text carries a SAML message (a form, query or HTML page).
fn carries_saml(s: &str) -> bool {
    s.contains("SAMLResponse") || s.contains("SAMLRequest")
}

#[cfg(test)]
mod tests;
