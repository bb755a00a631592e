//! Consistent pseudonyms: the same original value always gets the same replacement
//! within one run, and the replacement keeps the value's shape (length, letter case,
//! digits, punctuation, whitespace), so every rule that looks at the form of a value
//! (an email, a session name's character set and length) sees the same thing.
//!
//! Replacements are drawn from a generator seeded with the order in which values are
//! first met, never from the value itself, so a pseudonym says nothing about the
//! original.

use std::collections::{HashMap, HashSet};

/// Non-ASCII letters a non-ASCII letter is replaced with, so a value that fails an
/// ASCII-only character rule still fails it.
const WIDE: [char; 8] = ['é', 'ü', 'ö', 'ñ', 'ç', 'à', 'ø', 'å'];

/// What a value is, which decides how it is replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    /// A person's identifier or attribute value: shape kept.
    Identity,
    /// A 12-digit AWS account ID (`--mask-accounts`).
    Account,
    /// An IP address (SubjectLocality, SubjectConfirmationData).
    Address,
    /// The domain of an email address (shared by its users, so never swept alone).
    Domain,
}

/// The pseudonym map of one redaction run (one output file).
#[derive(Debug, Default)]
pub(crate) struct Pseudonyms {
    map: HashMap<(Kind, String), String>,
    used: HashSet<String>,
}

impl Pseudonyms {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// The replacement of `value`, created on first use.
    pub(crate) fn get(&mut self, kind: Kind, value: &str) -> String {
        if let Some(p) = self.map.get(&(kind, value.to_owned())) {
            return p.clone();
        }
        let p = match kind {
            Kind::Identity => self.identity(value),
            Kind::Domain => self.fresh(value, |seed| shaped(value, seed)),
            Kind::Account => self.fresh(value, |seed| {
                let mut g = Gen::new(seed);
                // First digit non-zero, so it still reads as an account number.
                std::iter::once(char::from(b'1' + g.below(9)))
                    .chain((1..value.len()).map(|_| char::from(b'0' + g.below(10))))
                    .collect()
            }),
            Kind::Address => self.fresh(value, |seed| {
                if value.contains(':') {
                    format!("2001:db8::{:x}", seed + 1)
                } else {
                    // TEST-NET-3 (RFC 5737), one host per original address.
                    format!("203.0.113.{}", seed % 254 + 1)
                }
            }),
        };
        self.map.insert((kind, value.to_owned()), p.clone());
        p
    }

    /// An email keeps its shape part by part, the domain keyed on its own so that
    /// users of one domain still share one (pseudonymous) domain.
    fn identity(&mut self, value: &str) -> String {
        if let Some((local, domain)) = value.rsplit_once('@')
            && !local.is_empty()
            && domain.contains('.')
            && !local.contains('@')
        {
            let domain = self.get(Kind::Domain, domain);
            let local = self.fresh(local, |seed| shaped(local, seed));
            return format!("{local}@{domain}");
        }
        self.fresh(value, |seed| shaped(value, seed))
    }

    /// Draws replacements until one is new and differs from the original.
    fn fresh(&mut self, original: &str, make: impl Fn(u64) -> String) -> String {
        let base = self.map.len() as u64;
        let mut seed = base;
        loop {
            let p = make(seed);
            // Values without a letter or digit (punctuation only) cannot change shape.
            let stuck = seed > base + 64;
            if stuck || (p != original && !self.used.contains(&p)) {
                self.used.insert(p.clone());
                return p;
            }
            seed += 1;
        }
    }

    /// Every original value replaced so far with its pseudonym, for the sweep of
    /// free text (URLs, headers) and for `--dry-run`.
    pub(crate) fn pairs(&self) -> impl Iterator<Item = (Kind, &str, &str)> {
        self.map
            .iter()
            .map(|((k, orig), p)| (*k, orig.as_str(), p.as_str()))
    }

    /// Whether `s` is one of the replacements given.
    pub(crate) fn is_pseudonym(&self, s: &str) -> bool {
        self.used.contains(s)
            || s.rsplit_once('@')
                .is_some_and(|(l, d)| self.used.contains(l) && self.used.contains(d))
    }

    pub(crate) fn len(&self) -> usize {
        self.map.len()
    }
}

/// `value` with each letter and digit replaced by one of the same class and case.
fn shaped(value: &str, seed: u64) -> String {
    let mut g = Gen::new(seed);
    value
        .chars()
        .map(|c| {
            if c.is_ascii_lowercase() {
                char::from(b'a' + g.below(26))
            } else if c.is_ascii_uppercase() {
                char::from(b'A' + g.below(26))
            } else if c.is_ascii_digit() {
                char::from(b'0' + g.below(10))
            } else if c.is_alphanumeric() {
                WIDE[usize::from(g.below(8))]
            } else {
                c
            }
        })
        .collect()
}

/// SplitMix64: small, fast and good enough to make different seeds look unrelated.
struct Gen(u64);

impl Gen {
    fn new(seed: u64) -> Self {
        Gen(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    fn below(&mut self, n: u8) -> u8 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        // `n` is at most 26: the remainder fits in a u8.
        u8::try_from(z % u64::from(n)).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_value_same_pseudonym_and_shape_kept() {
        let mut p = Pseudonyms::new();
        let a = p.get(Kind::Identity, "jane.doe@acme.example");
        assert_eq!(a, p.get(Kind::Identity, "jane.doe@acme.example"));
        assert_ne!(a, "jane.doe@acme.example");
        assert_eq!(a.len(), "jane.doe@acme.example".len());
        let (local, domain) = a.split_once('@').unwrap();
        assert_eq!(local.find('.'), Some(4));
        let b = p.get(Kind::Identity, "john@acme.example");
        assert_eq!(
            b.split_once('@').unwrap().1,
            domain,
            "one domain, one pseudonym"
        );
        let s = p.get(Kind::Identity, "Jane_Doe-01");
        assert!(s.chars().next().unwrap().is_ascii_uppercase());
        assert_eq!(&s[4..5], "_");
        assert!(s[9..].chars().all(|c| c.is_ascii_digit()));
        assert_eq!(p.get(Kind::Identity, "Zoë").chars().count(), 3);
        assert!(!p.get(Kind::Identity, "Zoë").is_ascii());
    }

    #[test]
    fn accounts_and_addresses() {
        let mut p = Pseudonyms::new();
        let a = p.get(Kind::Account, "123456789012");
        assert_eq!(a.len(), 12);
        assert!(a.bytes().all(|b| b.is_ascii_digit()));
        assert_ne!(a, "123456789012");
        assert_ne!(a, p.get(Kind::Account, "210987654321"));
        assert!(p.get(Kind::Address, "10.1.2.3").starts_with("203.0.113."));
    }
}
