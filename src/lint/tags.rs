//! Session tag keys and values (RULES.md TAG_KEY, TAG_VALUE).

use std::sync::LazyLock;

use regex::Regex;

/// The characters of TAG_KEY and TAG_VALUE. The lengths (TAG_KEY `{1,128}`,
/// TAG_VALUE `{0,256}`) are counted apart: bounded repetition of Unicode classes
/// would exceed the regex size limit.
#[allow(clippy::expect_used)] // constant pattern, checked by the tests below
static TAG_CHARS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$").expect("TAG_CHARS is a valid pattern")
});

fn bad_chars(s: &str) -> String {
    let mut bad: Vec<String> = s
        .chars()
        .filter(|c| !(c.is_alphanumeric() || c.is_whitespace() || "_.:/=+-@".contains(*c)))
        .map(|c| format!("{c:?}"))
        .collect();
    bad.dedup();
    bad.join(", ")
}

/// Why `key` is not a session tag key, or `None`.
pub(crate) fn key_problem(key: &str) -> Option<String> {
    if key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:")) {
        return Some("begins with the reserved prefix aws:".to_owned());
    }
    let n = key.chars().count();
    if (1..=128).contains(&n) && TAG_CHARS.is_match(key) {
        return None;
    }
    Some(if n == 0 {
        "is empty; tag keys are 1-128 characters".to_owned()
    } else if n > 128 {
        format!("is {n} characters; tag keys are at most 128")
    } else {
        format!(
            "contains {}; tag keys allow letters, digits, spaces and _ . : / = + - @",
            bad_chars(key)
        )
    })
}

/// Why `value` is not a session tag value, or `None`.
pub(crate) fn value_problem(value: &str) -> Option<String> {
    let n = value.chars().count();
    if n <= 256 && TAG_CHARS.is_match(value) {
        return None;
    }
    Some(if n > 256 {
        format!("is {n} characters; tag values are at most 256")
    } else {
        format!(
            "contains {}; tag values allow letters, digits, spaces and _ . : / = + - @",
            bad_chars(value)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags() {
        assert!(key_problem("CostCenter").is_none());
        assert!(key_problem("Département").is_none());
        assert!(key_problem("aws:foo").is_some());
        assert!(key_problem("a,b").is_some());
        assert!(value_problem("").is_none());
        assert!(value_problem("eng;ops").is_some());
        assert!(value_problem(&"x".repeat(257)).is_some());
    }
}
