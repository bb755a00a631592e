//! Finding the SAML value in what was given: a bare value, a form body, a URL or query
//! string, or a line of text around a `SAMLResponse=` parameter.

use std::sync::LazyLock;

use memchr::memmem;

use super::DecodeError;
use super::percent;
use crate::input::{Binding, SamlParam, form};

/// Where the value was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Source {
    /// The whole input is the value.
    Bare,
    /// A parameter of a form body (`SAMLResponse=...&RelayState=...`).
    Form,
    /// A parameter of a URL's query string.
    Query,
    /// A `SAMLResponse=` found inside other text (a log line).
    Text,
}

/// The SAML value and what came with it.
#[derive(Debug)]
pub(super) struct Extracted<'a> {
    /// The value, still URL-encoded if it was.
    pub(super) value: &'a [u8],
    pub(super) source: Source,
    pub(super) param: Option<SamlParam>,
    pub(super) relay_state: Option<String>,
    /// The binding the container implies (`Unknown` when it says nothing).
    pub(super) binding: Binding,
}

/// Parameter names shown when a form has no SAML parameter.
const MAX_NAMES_SHOWN: usize = 8;
/// Characters of one name shown.
const MAX_NAME_CHARS: usize = 40;

/// Bytes that may be part of a parameter name, for the boundary before a match.
fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

/// Bytes a URL-encoded or decoded base64 value is made of.
fn is_value_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_' | b'%')
}

/// The shape of the (trimmed) input.
enum Shape<'a> {
    /// A URL, path or query string; holds the query (empty when there is none).
    Url(&'a [u8]),
    /// `name=value&...` with no whitespace.
    Form,
    Other,
}

fn shape(t: &[u8]) -> Shape<'_> {
    if super::text::has_ascii_whitespace(t) {
        return Shape::Other;
    }
    let scheme = [&b"https://"[..], b"http://"].into_iter().any(|s| {
        t.get(..s.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(s))
    });
    let question = memchr::memchr(b'?', t);
    // A bare base64 value may start with '/', but never holds '?'.
    if scheme || t.first() == Some(&b'?') || (t.first() == Some(&b'/') && question.is_some()) {
        let query = question.map_or(&[][..], |q| t.get(q + 1..).unwrap_or_default());
        let query = memchr::memchr(b'#', query).map_or(query, |h| query.get(..h).unwrap_or(query));
        return Shape::Url(query);
    }
    if looks_like_form(t) {
        Shape::Form
    } else {
        Shape::Other
    }
}

/// `name=value...`: a short name of name bytes, then `=`, then either more pairs or a
/// value. A base64 value only has `=` as padding at its very end, so `abc=` or `ab==`
/// are not forms.
fn looks_like_form(t: &[u8]) -> bool {
    let Some(eq) = memchr::memchr(b'=', t) else {
        return false;
    };
    let name = t.get(..eq).unwrap_or_default();
    let name_ok =
        (1..=64).contains(&name.len()) && name.iter().all(|&b| is_name_byte(b) || b == b'%');
    let after = t.get(eq + 1).copied();
    name_ok && (memchr::memchr(b'&', t).is_some() || after.is_some_and(|b| b != b'='))
}

/// The SAML parameter of a form body or query string, read by the one form reader
/// ([`form::parse`]). `SAMLResponse` wins over `SAMLRequest`; of repeated parameters
/// the first is used here and a note says so (the input stage splits a pasted form
/// with repeated values into one payload per value before it gets here).
fn from_pairs<'a>(
    query: &'a [u8],
    notes: &mut Vec<String>,
) -> Option<(SamlParam, &'a [u8], Option<String>)> {
    let text = std::str::from_utf8(query).ok()?;
    let parsed = form::parse(text, "form body");
    let first = parsed.fields.first()?;
    if first.param == SamlParam::Response
        && parsed.fields.iter().any(|f| f.param == SamlParam::Request)
    {
        notes.push(
            "both SAMLResponse and SAMLRequest are present; SAMLResponse was used".to_owned(),
        );
    }
    if let Some(d) = first.duplicate.filter(|d| d.count > 1) {
        notes.push(format!(
            "{} {} parameters; the first was used",
            d.count,
            first.param.name()
        ));
    }
    Some((
        first.param,
        first.raw.as_bytes(),
        parsed.relay_state().map(str::to_owned),
    ))
}

/// The parameter names of a form body or query string, for an error message.
fn names(query: &[u8]) -> String {
    let text = String::from_utf8_lossy(query);
    let mut shown: Vec<String> = Vec::new();
    let mut more = false;
    for mut name in form::parse(&text, "form body").names {
        if let Some((cut, _)) = name.char_indices().nth(MAX_NAME_CHARS) {
            name.truncate(cut);
            name.push_str("...");
        }
        if shown.contains(&name) {
            continue;
        }
        if shown.len() == MAX_NAMES_SHOWN {
            more = true;
            break;
        }
        shown.push(name);
    }
    if shown.is_empty() {
        return "no parameters".to_owned();
    }
    let mut list = shown.join(", ");
    if more {
        list.push_str(", ...");
    }
    list
}

/// Searchers for `SAMLResponse=` then `SAMLRequest=`, built once (every payload that
/// is not a form or URL is searched for both).
static PARAM_FINDERS: LazyLock<[(SamlParam, memmem::Finder<'static>); 2]> = LazyLock::new(|| {
    [
        (SamlParam::Response, memmem::Finder::new(b"SAMLResponse=")),
        (SamlParam::Request, memmem::Finder::new(b"SAMLRequest=")),
    ]
});

/// A searcher for `SAMLRe`, which both parameter names start with, built once.
static PARAM_PREFIX_FINDER: LazyLock<memmem::Finder<'static>> =
    LazyLock::new(|| memmem::Finder::new(b"SAMLRe"));

/// A searcher for `RelayState=`, built once.
static RELAY_STATE_FINDER: LazyLock<memmem::Finder<'static>> =
    LazyLock::new(|| memmem::Finder::new(b"RelayState="));

/// The first `SAMLResponse=` in free text at a name boundary (else the first
/// `SAMLRequest=`): the parameter and the offset where its value starts.
fn find_in_text(t: &[u8]) -> Option<(SamlParam, usize)> {
    // Text without either name (a bare base64 value, the usual input) is answered by
    // one search for their common start instead of one search for each (half of 0.8%
    // of `check`'s instructions on 7.8 KB values, callgrind); text with one is searched
    // from there on (every match of a name starts with `SAMLRe`).
    let from = PARAM_PREFIX_FINDER.find(t)?;
    PARAM_FINDERS.iter().find_map(|(param, finder)| {
        finder
            .find_iter(t.get(from..).unwrap_or_default())
            .map(|at| from + at)
            .find(|&at| {
                at.checked_sub(1)
                    .and_then(|p| t.get(p))
                    .is_none_or(|&b| !is_name_byte(b))
            })
            .map(|at| (*param, at + finder.needle().len()))
    })
}

/// A value in free text: up to `&` or whitespace, without trailing punctuation (a
/// closing quote, comma or bracket of the surrounding text).
fn text_value(rest: &[u8]) -> &[u8] {
    let end = rest
        .iter()
        .position(|&b| b == b'&' || b.is_ascii_whitespace())
        .unwrap_or(rest.len());
    let value = rest.get(..end).unwrap_or_default();
    let keep = value
        .iter()
        .rposition(|&b| is_value_byte(b))
        .map_or(0, |p| p + 1);
    value.get(..keep).unwrap_or_default()
}

/// Takes the value at `start` out of free text, with a `RelayState` found in the same
/// whitespace-delimited word.
fn from_text<'a>(
    t: &'a [u8],
    param: SamlParam,
    start: usize,
    notes: &mut Vec<String>,
) -> Extracted<'a> {
    let rest = t.get(start..).unwrap_or_default();
    let value = text_value(rest);
    let name_at = start.saturating_sub(param.name().len() + 1);
    let word_start = t
        .get(..name_at)
        .and_then(|head| head.iter().rposition(u8::is_ascii_whitespace))
        .map_or(0, |p| p + 1);
    let word_end = rest
        .iter()
        .position(u8::is_ascii_whitespace)
        .map_or(t.len(), |p| start + p);
    let word = t.get(word_start..word_end).unwrap_or_default();
    let relay_state = RELAY_STATE_FINDER
        .find_iter(word)
        .find(|&at| {
            at.checked_sub(1)
                .and_then(|p| word.get(p))
                .is_none_or(|&b| !is_name_byte(b))
        })
        .map(|at| percent::form_value(text_value(word.get(at + 11..).unwrap_or_default())));
    let binding = if name_at.checked_sub(1).and_then(|p| t.get(p)) == Some(&b'?') {
        Binding::Redirect
    } else {
        Binding::Unknown
    };
    notes.push(format!("{} taken from surrounding text", param.name()));
    Extracted {
        value,
        source: Source::Text,
        param: Some(param),
        relay_state,
        binding,
    }
}

/// Finds the SAML value in `raw` (a UTF-8 BOM already dropped, otherwise as given).
pub(super) fn extract<'a>(
    raw: &'a [u8],
    notes: &mut Vec<String>,
) -> Result<Extracted<'a>, DecodeError> {
    let t = raw.trim_ascii();
    let (query, source, binding, what) = match shape(t) {
        Shape::Url(query) => (query, Source::Query, Binding::Redirect, "URL"),
        Shape::Form => (t, Source::Form, Binding::Post, "form body"),
        Shape::Other => {
            return Ok(match find_in_text(t) {
                Some((param, start)) => from_text(t, param, start, notes),
                None => Extracted {
                    value: raw,
                    source: Source::Bare,
                    param: None,
                    relay_state: None,
                    binding: Binding::Unknown,
                },
            });
        }
    };
    if let Some((param, value, relay_state)) = from_pairs(query, notes) {
        return Ok(Extracted {
            value,
            source,
            param: Some(param),
            relay_state,
            binding,
        });
    }
    if let Some((param, start)) = find_in_text(t) {
        return Ok(from_text(t, param, start, notes));
    }
    let found = if source == Source::Query && query.is_empty() {
        "it has no query string".to_owned()
    } else {
        format!("found: {}", names(query))
    };
    Err(DecodeError::Invalid(format!(
        "no SAMLResponse or SAMLRequest parameter in the {what} ({found})"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(input: &str) -> (Result<Extracted<'_>, DecodeError>, Vec<String>) {
        let mut notes = Vec::new();
        let r = extract(input.as_bytes(), &mut notes);
        (r, notes)
    }

    fn value(input: &str) -> (String, Source, Option<SamlParam>, Option<String>) {
        let (r, _) = ex(input);
        let e = r.unwrap();
        (
            String::from_utf8(e.value.to_vec()).unwrap(),
            e.source,
            e.param,
            e.relay_state,
        )
    }

    #[test]
    fn bare_values() {
        for v in [
            "PHg+Pw==",
            "/PHg+Pw==",
            "PHg%2BPw%3D%3D",
            " PHg\r\nPw== \n",
            "PHg-",
        ] {
            let (got, source, param, _) = value(v);
            assert_eq!((got.as_str(), source, param), (v, Source::Bare, None));
        }
    }

    #[test]
    fn form_body() {
        let (v, s, p, r) = value("SAMLResponse=PHg%2BPw%3D%3D&RelayState=https%3A%2F%2Fx%2Fy");
        assert_eq!(v, "PHg%2BPw%3D%3D");
        assert_eq!(s, Source::Form);
        assert_eq!(p, Some(SamlParam::Response));
        assert_eq!(r.as_deref(), Some("https://x/y"));
        let (v, _, _, r) = value("RelayState=a&SAMLResponse=abc");
        assert_eq!((v.as_str(), r.as_deref()), ("abc", Some("a")));
    }

    #[test]
    fn response_wins_and_duplicates_are_noted() {
        let (r, notes) = ex("SAMLRequest=a&SAMLResponse=b&SAMLResponse=c");
        let e = r.unwrap();
        assert_eq!((e.value, e.param), (&b"b"[..], Some(SamlParam::Response)));
        assert_eq!(notes.len(), 2);
    }

    #[test]
    fn url_and_query() {
        let (v, s, p, r) =
            value("https://idp.example/sso?SAMLRequest=fZBd&amp;RelayState=xyz#frag");
        assert_eq!(
            (v.as_str(), s, p),
            ("fZBd", Source::Query, Some(SamlParam::Request))
        );
        assert_eq!(r.as_deref(), Some("xyz"));
        let (v, s, _, _) = value("?SAMLResponse=abc");
        assert_eq!((v.as_str(), s), ("abc", Source::Query));
        let (v, s, _, _) = value("/saml/acs?SAMLResponse=abc");
        assert_eq!((v.as_str(), s), ("abc", Source::Query));
    }

    #[test]
    fn log_line() {
        let line =
            "2026-01-15 INFO POST /saml SAMLResponse=PHg%2BPw%3D%3D&RelayState=abc user=jane";
        let (r, notes) = ex(line);
        let e = r.unwrap();
        assert_eq!(e.value, b"PHg%2BPw%3D%3D");
        assert_eq!(e.source, Source::Text);
        assert_eq!(e.relay_state.as_deref(), Some("abc"));
        assert_eq!(notes, ["SAMLResponse taken from surrounding text"]);
        let (v, _, _, _) = value("got \"SAMLResponse=PHg+Pw==\", done");
        assert_eq!(v, "PHg+Pw==");
        let (r, _) = ex("GET /sso?SAMLRequest=fZB HTTP/1.1");
        assert_eq!(r.unwrap().binding, Binding::Redirect);
    }

    #[test]
    fn name_boundary() {
        let (_, s, _, _) = value("xSAMLResponse=abc def");
        assert_eq!(s, Source::Bare);
        // A name inside a word is passed over for the next one, of either name.
        let (v, s, p, _) = value("xSAMLResponse=abc SAMLRequest=def");
        assert_eq!(
            (v.as_str(), s, p),
            ("def", Source::Text, Some(SamlParam::Request))
        );
        let (v, _, p, _) = value("SAMLRelay xSAMLRequest=a SAMLResponse=b SAMLRequest=c");
        assert_eq!((v.as_str(), p), ("b", Some(SamlParam::Response)));
    }

    #[test]
    fn no_saml_parameter() {
        let long = "n".repeat(100);
        let input = format!("a=1&{long}=2");
        let (r, _) = ex(&input);
        assert!(
            r.unwrap_err()
                .to_string()
                .ends_with(&format!("(found: a, {}...)", &long[..40]))
        );
        let (r, _) = ex("foo=1&bar=2&foo=3");
        assert_eq!(
            r.unwrap_err(),
            DecodeError::Invalid(
                "no SAMLResponse or SAMLRequest parameter in the form body (found: foo, bar)"
                    .to_owned()
            )
        );
        let (r, _) = ex("https://signin.aws.amazon.com/saml");
        assert_eq!(
            r.unwrap_err(),
            DecodeError::Invalid(
                "no SAMLResponse or SAMLRequest parameter in the URL (it has no query string)"
                    .to_owned()
            )
        );
    }
}
