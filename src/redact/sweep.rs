//! The sweep of free text: every identity value learnt from the payloads (and every
//! email address) replaced by its pseudonym wherever it appears, plain, URL-encoded
//! or HTML-escaped.

use std::collections::HashMap;
use std::sync::LazyLock;

use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use regex::Regex;

use super::pseudonym::{Kind, Pseudonyms};

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
        .unwrap_or_else(|e| unreachable!("EMAIL: {e}"))
});

/// An email address with its `@` percent-encoded (a `login_hint` in a URL).
static EMAIL_ENCODED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9._+-]+%40[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
        .unwrap_or_else(|e| unreachable!("EMAIL_ENCODED: {e}"))
});

/// Values shorter than this are not swept: they match too much unrelated text.
const MIN_LEN: usize = 4;

#[derive(Debug, Default)]
pub(super) struct Sweep {
    /// One alternation of every variant, longest first.
    pattern: Option<Regex>,
    replace: HashMap<String, String>,
}

impl Sweep {
    pub(super) fn new(names: &mut Pseudonyms) -> Self {
        let mut replace = HashMap::new();
        for (kind, orig, pseudo) in names.pairs() {
            if matches!(kind, Kind::Address | Kind::Domain) || orig.trim().len() < MIN_LEN {
                continue;
            }
            for (o, p) in variants(orig.trim(), pseudo.trim()) {
                replace.entry(o).or_insert(p);
            }
        }
        let mut keys: Vec<&String> = replace.keys().collect();
        keys.sort_by_key(|k| std::cmp::Reverse(k.len()));
        let alternation = keys
            .iter()
            .map(|k| regex::escape(k))
            .collect::<Vec<_>>()
            .join("|");
        let pattern = if keys.is_empty() {
            None
        } else {
            Regex::new(&alternation).ok()
        };
        Sweep { pattern, replace }
    }

    /// `s` with known values and email addresses replaced.
    pub(super) fn apply(&self, s: &str, names: &mut Pseudonyms) -> String {
        let known = match &self.pattern {
            Some(p) if p.is_match(s) => p
                .replace_all(s, |c: &regex::Captures<'_>| {
                    self.replace.get(&c[0]).cloned().unwrap_or_default()
                })
                .into_owned(),
            _ => s.to_owned(),
        };
        let known = if EMAIL_ENCODED.is_match(&known) {
            EMAIL_ENCODED
                .replace_all(&known, |c: &regex::Captures<'_>| {
                    let email = c[0].replace("%40", "@");
                    if names.is_pseudonym(&email) {
                        c[0].to_owned()
                    } else {
                        names.get(Kind::Identity, &email).replace('@', "%40")
                    }
                })
                .into_owned()
        } else {
            known
        };
        if EMAIL.is_match(&known) {
            EMAIL
                .replace_all(&known, |c: &regex::Captures<'_>| {
                    if names.is_pseudonym(&c[0]) {
                        c[0].to_owned()
                    } else {
                        names.get(Kind::Identity, &c[0])
                    }
                })
                .into_owned()
        } else {
            known
        }
    }
}

/// A value and its pseudonym as they may be written in text: plain, percent-encoded
/// (`%20` and `+` for spaces) and HTML-escaped.
fn variants(orig: &str, pseudo: &str) -> Vec<(String, String)> {
    let pct = |s: &str| utf8_percent_encode(s, NON_ALPHANUMERIC).to_string();
    let html = |s: &str| super::document::escape(s, true);
    vec![
        (orig.to_owned(), pseudo.to_owned()),
        (pct(orig), pct(pseudo)),
        (
            pct(orig).replace("%20", "+"),
            pct(pseudo).replace("%20", "+"),
        ),
        (html(orig), html(pseudo)),
        (orig.replace('@', "%40"), pseudo.replace('@', "%40")),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_emails_are_replaced_plain_and_encoded() {
        let mut names = Pseudonyms::new();
        let known = names.get(Kind::Identity, "jane.doe@acme.example");
        let sweep = Sweep::new(&mut names);
        let out = sweep.apply(
            "/authorize?login_hint=bob.smith%40other.example&u=jane.doe%40acme.example&c=carol@x.example",
            &mut names,
        );
        for s in ["bob.smith", "jane.doe", "carol@"] {
            assert!(!out.contains(s), "{s} in {out}");
        }
        assert!(out.contains(&known.replace('@', "%40")), "{out}");
        assert_eq!(
            sweep.apply(&out, &mut names),
            out,
            "pseudonyms are left alone"
        );
    }
}
