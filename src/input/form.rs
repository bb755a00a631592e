//! Form bodies and query strings (`application/x-www-form-urlencoded`), read the way
//! SAML values need: names and ordinary values (`RelayState`) are form-decoded with
//! `form_urlencoded`, while `SAMLResponse` / `SAMLRequest` values are kept exactly as
//! they were sent, because whether a `+` is base64's `+` or an encoded space, and how
//! many times the value was URL-encoded, is decided later, on the value alone
//! (`decode`'s percent rules). Every repetition of a parameter is kept: a form with two
//! `SAMLResponse` values is ambiguous, and each value is checked (`form-parameter-duplicate`).
//!
//! One reader for the HAR and SAML-tracer scanners, pasted values (`decode`) and the
//! proxy: [`find`] takes a URL and an optional body, [`parse`] one form.

use super::{Binding, SamlParam};

/// Where a value sits among the values of the same parameter, when the parameter or
/// `RelayState` appears more than once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duplicate {
    /// 1-based position in the form or query.
    pub position: usize,
    /// How many values the parameter has.
    pub count: usize,
    /// How many `RelayState` values the form has.
    pub relay_states: usize,
    /// Where the values were: `"form body"`, `"query string"`, `"HTML form"`.
    pub place: &'static str,
}

impl Duplicate {
    /// The marker of value `position` of `count`, when anything repeats.
    pub fn of(
        position: usize,
        count: usize,
        relay_states: usize,
        place: &'static str,
    ) -> Option<Self> {
        (count > 1 || relay_states > 1).then_some(Duplicate {
            position,
            count,
            relay_states,
            place,
        })
    }
}

/// One `SAMLResponse` / `SAMLRequest` value, still percent-encoded as it was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Field<'a> {
    pub param: SamlParam,
    pub raw: &'a str,
    /// Set when the parameter (or `RelayState`) appears more than once.
    pub duplicate: Option<Duplicate>,
}

/// The SAML side of one form body or query string.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SamlForm<'a> {
    /// `SAMLResponse` values first, then `SAMLRequest` values, each in form order.
    pub fields: Vec<Field<'a>>,
    /// Every `RelayState`, form-decoded, in order.
    pub relay_states: Vec<String>,
    /// Every parameter name, form-decoded, in order (repeats included).
    pub names: Vec<String>,
}

impl SamlForm<'_> {
    /// The `RelayState` a server reading the first value would see.
    pub(crate) fn relay_state(&self) -> Option<&str> {
        self.relay_states.first().map(String::as_str)
    }
}

/// Form-decodes a name or an ordinary value: `+` is a space, `%XX` a byte, invalid
/// UTF-8 replaced.
pub(crate) fn component(s: &[u8]) -> String {
    // `form_urlencoded::parse` reads `name=value`; a lone component has no `=` or `&`
    // of its own once decoded, so it is the name of a one-pair form.
    let mut out = String::new();
    for (i, (name, value)) in form_urlencoded::parse(s).enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(&name);
        if !value.is_empty() || s.contains(&b'=') {
            out.push('=');
            out.push_str(&value);
        }
    }
    out
}

/// `name=value` pairs split on `&`, raw. A name copied out of HTML (`&amp;RelayState=`)
/// is read without its `amp;`.
fn raw_pairs(form: &str) -> impl Iterator<Item = (&str, &str)> {
    form.split('&').filter(|p| !p.is_empty()).map(|pair| {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        (name.strip_prefix("amp;").unwrap_or(name), value)
    })
}

/// Reads the SAML parameters of a form body or query string.
pub(crate) fn parse<'a>(form: &'a str, place: &'static str) -> SamlForm<'a> {
    let mut out = SamlForm::default();
    let mut responses = Vec::new();
    let mut requests = Vec::new();
    for (name, value) in raw_pairs(form) {
        let name = component(name.trim_start().as_bytes());
        match SamlParam::from_name(&name) {
            Some(SamlParam::Response) => responses.push(value),
            Some(SamlParam::Request) => requests.push(value),
            None if name == "RelayState" => out.relay_states.push(component(value.as_bytes())),
            None => {}
        }
        out.names.push(name);
    }
    let relay_states = out.relay_states.len();
    for (param, values) in [
        (SamlParam::Response, responses),
        (SamlParam::Request, requests),
    ] {
        let count = values.len();
        out.fields
            .extend(values.into_iter().enumerate().map(|(i, raw)| Field {
                param,
                raw,
                duplicate: Duplicate::of(i + 1, count, relay_states, place),
            }));
    }
    out
}

/// The first value of parameter `name` in a form body or query string, form-decoded.
pub(crate) fn value_of(form: &str, name: &str) -> Option<String> {
    raw_pairs(form)
        .find(|(n, _)| component(n.as_bytes()) == name)
        .map(|(_, v)| component(v.as_bytes()))
}

/// The query string of a URL (without the fragment), if it has one.
pub(crate) fn query_of(url: &str) -> Option<&str> {
    let before_fragment = url.split_once('#').map_or(url, |(u, _)| u);
    before_fragment.split_once('?').map(|(_, q)| q)
}

/// One SAML value found in a request, still encoded as it was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    pub param: SamlParam,
    pub binding: Binding,
    pub raw: String,
    pub relay_state: Option<String>,
    pub duplicate: Option<Duplicate>,
}

fn found_in(form: &SamlForm<'_>, binding: Binding) -> impl Iterator<Item = Found> {
    let relay_state = form.relay_state().map(str::to_owned);
    form.fields.iter().map(move |f| Found {
        param: f.param,
        binding,
        raw: f.raw.to_owned(),
        relay_state: relay_state.clone(),
        duplicate: f.duplicate,
    })
}

/// SAML values in a request: the form body (HTTP-POST binding) first, then the query
/// string of the URL (HTTP-Redirect binding) for a parameter the body does not carry.
pub(crate) fn find(url: Option<&str>, body: Option<&str>) -> Vec<Found> {
    let mut found: Vec<Found> = body
        .map(|b| found_in(&parse(b, "form body"), Binding::Post).collect())
        .unwrap_or_default();
    if let Some(query) = url.and_then(query_of) {
        let query = parse(query, "query string");
        let carried: Vec<SamlParam> = found.iter().map(|f| f.param).collect();
        found.extend(found_in(&query, Binding::Redirect).filter(|q| !carried.contains(&q.param)));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_are_form_decoded() {
        assert_eq!(component(b"https%3A%2F%2Fa%2Fb+c"), "https://a/b c");
        assert_eq!(component(b"Relay%53tate"), "RelayState");
        assert_eq!(component(b""), "");
    }

    #[test]
    fn saml_values_stay_raw_and_relay_state_is_decoded() {
        let f = parse("SAMLResponse=PHg%2B+a&amp;RelayState=x%2Fy+z", "form body");
        assert_eq!(f.fields.len(), 1);
        assert_eq!(f.fields[0].raw, "PHg%2B+a");
        assert_eq!(f.fields[0].duplicate, None);
        assert_eq!(f.relay_state(), Some("x/y z"));
        assert_eq!(f.names, ["SAMLResponse", "RelayState"]);
    }

    #[test]
    fn every_repeated_value_is_kept_in_order() {
        let f = parse(
            "SAMLResponse=A&RelayState=r1&SAMLResponse=B&SAMLRequest=Q&RelayState=r2",
            "form body",
        );
        let got: Vec<_> = f
            .fields
            .iter()
            .map(|f| (f.param, f.raw, f.duplicate))
            .collect();
        let dup = |position| {
            Some(Duplicate {
                position,
                count: 2,
                relay_states: 2,
                place: "form body",
            })
        };
        assert_eq!(
            got,
            [
                (SamlParam::Response, "A", dup(1)),
                (SamlParam::Response, "B", dup(2)),
                (
                    SamlParam::Request,
                    "Q",
                    dup(1).map(|d| Duplicate { count: 1, ..d })
                ),
            ]
        );
        assert_eq!(f.relay_states, ["r1", "r2"]);
    }

    #[test]
    fn body_first_then_query_for_other_parameters() {
        let found = find(
            Some("https://sp/acs?SAMLResponse=Q1&SAMLRequest=R1&RelayState=q#SAMLRequest=no"),
            Some("SAMLResponse=B1&RelayState=b"),
        );
        let got: Vec<_> = found
            .iter()
            .map(|f| (f.param, f.binding, f.raw.as_str(), f.relay_state.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (SamlParam::Response, Binding::Post, "B1", Some("b")),
                (SamlParam::Request, Binding::Redirect, "R1", Some("q")),
            ]
        );
        assert!(find(Some("https://sp/acs"), None).is_empty());
    }
}
