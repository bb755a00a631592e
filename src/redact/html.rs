//! SAML values in HTML: the hidden `<input name="SAMLResponse" value="...">` of an
//! IdP's auto-post page (a saved page, or a HAR response body). The value is
//! HTML-unescaped, rewritten like any other value and escaped again; the rest of the
//! page is swept for identity values.

use std::sync::LazyLock;

use regex::Regex;

use super::Redactor;

/// An `<input>` tag (attributes in any order, either quote).
static INPUT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)<input\b[^>]*>").unwrap_or_else(|e| unreachable!("INPUT: {e}"))
});

static ATTR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?is)\b(name|value)\s*=\s*("([^"]*)"|'([^']*)')"#)
        .unwrap_or_else(|e| unreachable!("ATTR: {e}"))
});

/// The page with its SAML form values rewritten and its other text swept, and how
/// many SAML form values there were.
pub(super) fn page(r: &mut Redactor, html: &str) -> (String, usize) {
    let mut forms = 0;
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    for tag in INPUT.find_iter(html) {
        let t = tag.as_str();
        let mut name = None;
        let mut value = None;
        for c in ATTR.captures_iter(t) {
            let Some(v) = c.get(3).or_else(|| c.get(4)) else {
                continue;
            };
            if c[1].eq_ignore_ascii_case("name") {
                name = Some(v.as_str().to_owned());
            } else {
                value = Some(v.range());
            }
        }
        let (Some(name), Some(range)) = (name, value) else {
            continue;
        };
        let plain = unescape(&t[range.clone()]);
        if crate::input::SamlParam::from_name(&name).is_some() {
            forms += 1;
        }
        out.push_str(&r.text(&html[at..tag.start()]));
        out.push_str(&r.text(&t[..range.start]));
        let new = r.param(&name, &plain);
        out.push_str(&super::document::escape(&new, true));
        out.push_str(&r.text(&t[range.end..]));
        at = tag.end();
    }
    out.push_str(&r.text(&html[at..]));
    (out, forms)
}

/// HTML character references in an attribute value (the ones form values use).
fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| match &rest[1..e] {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            n if n.starts_with("#x") || n.starts_with("#X") => u32::from_str_radix(&n[2..], 16)
                .ok()
                .and_then(char::from_u32),
            n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        });
        if let (Some(c), Some(e)) = (decoded, end) {
            out.push(c);
            rest = &rest[e + 1..];
        } else {
            out.push('&');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references() {
        assert_eq!(
            unescape("a&#43;b&#x2F;c&amp;&quot;&bogus;"),
            "a+b/c&\"&bogus;"
        );
    }
}
