//! SESSION_NAME (`^[A-Za-z0-9_+=,.@-]{2,64}$`): RoleSessionName and SourceIdentity.

/// Why `text` is not a SESSION_NAME, or `None` when it is one. Nothing is trimmed.
pub(crate) fn problem(text: &str) -> Option<String> {
    let n = text.chars().count();
    let mut bad: Vec<char> = text
        .chars()
        .filter(|c| !(c.is_ascii_alphanumeric() || "_+=,.@-".contains(*c)))
        .collect();
    bad.dedup();
    if !bad.is_empty() {
        let shown: Vec<String> = bad.iter().map(|c| format!("{c:?}")).collect();
        return Some(format!("contains {}", shown.join(", ")));
    }
    if n < 2 {
        return Some(format!(
            "is {n} character{} long",
            if n == 1 { "" } else { "s" }
        ));
    }
    (n > 64).then(|| format!("is {n} characters long"))
}

#[cfg(test)]
mod tests {
    use super::problem;

    #[test]
    fn session_names() {
        assert_eq!(problem("alice@example.com"), None);
        assert_eq!(problem("Alice Smith").as_deref(), Some("contains ' '"));
        assert!(problem("a").is_some());
        assert!(problem(&"a".repeat(65)).is_some());
        assert!(problem(&"a".repeat(64)).is_none());
        assert!(problem(" alice").is_some());
    }
}
