//! Okta's AWS Account Federation group mapping, simulated (DESIGN.md `okta-map`).
//!
//! Okta's Group Filter is a Java regular expression with captures written
//! `(?{{role}}...)` and `(?{{accountid}}...)`; it must match the whole group name (Java's
//! `matches`). The Role Value Pattern fills `${accountid}` and `${role}` from them.

use regex::Regex;

use super::expected::Expected;
use super::role_value::{RoleFinding, check_role_value};
use super::rule::Severity;

/// Java's ASCII meaning of the predefined classes, as class bodies.
const WORD: &str = "A-Za-z0-9_";
const DIGIT: &str = "0-9";
const SPACE: &str = r"\t\n\x0B\x0C\r ";

/// Translates an Okta Group Filter into the regex crate's syntax.
///
/// # Errors
/// A capture written `(?{{` without its closing `}}`, or a `\Q` without `\E`.
pub(crate) fn translate(okta: &str) -> Result<String, String> {
    let chars: Vec<char> = okta.chars().collect();
    let mut out = String::with_capacity(okta.len() + 16);
    let mut depth = 0usize;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if i + 1 < chars.len() => {
                let e = chars[i + 1];
                i += 2;
                let (body, negated) = match e {
                    'w' => (WORD, false),
                    'd' => (DIGIT, false),
                    's' => (SPACE, false),
                    'W' => (WORD, true),
                    'D' => (DIGIT, true),
                    'S' => (SPACE, true),
                    'Q' => {
                        let rest: String = chars[i..].iter().collect();
                        let Some(end) = rest.find("\\E") else {
                            return Err("\\Q without \\E".to_owned());
                        };
                        out.push_str(&regex::escape(&rest[..end]));
                        i += rest[..end].chars().count() + 2;
                        continue;
                    }
                    // Java: literal `<` and `>`; regex: word boundaries.
                    '<' | '>' => {
                        out.push(e);
                        continue;
                    }
                    _ => {
                        out.push('\\');
                        out.push(e);
                        continue;
                    }
                };
                match (depth > 0, negated) {
                    (true, false) => out.push_str(body),
                    (_, true) => {
                        out.push_str("[^");
                        out.push_str(body);
                        out.push(']');
                    }
                    (false, false) => {
                        out.push('[');
                        out.push_str(body);
                        out.push(']');
                    }
                }
                continue;
            }
            '[' => {
                depth += 1;
                out.push('[');
                // A `]` right after `[` or `[^` is a literal in Java.
                if chars.get(i + 1) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                if chars.get(i + 1) == Some(&']') {
                    out.push_str("\\]");
                    i += 1;
                }
            }
            ']' if depth > 0 => {
                depth -= 1;
                out.push(']');
            }
            '(' if depth == 0 && chars[i..].starts_with(&['(', '?', '{', '{']) => {
                let rest: String = chars[i + 4..].iter().collect();
                let Some(end) = rest.find("}}") else {
                    return Err(format!(
                        "the capture at character {} has no closing '}}}}'",
                        i + 1
                    ));
                };
                out.push_str("(?P<");
                out.push_str(&rest[..end]);
                out.push('>');
                i += 4 + rest[..end].chars().count() + 2;
                continue;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    Ok(out)
}

/// A compiled Group Filter.
#[derive(Debug, Clone)]
pub(crate) struct GroupFilter {
    /// As the admin wrote it in Okta.
    pub okta: String,
    /// Translated to the regex crate's syntax.
    pub translated: String,
    whole: Regex,
    anywhere: Regex,
}

impl GroupFilter {
    /// # Errors
    /// The filter cannot be translated or compiled; the message says why.
    pub(crate) fn new(okta: &str) -> Result<Self, String> {
        let translated = translate(okta)?;
        let anywhere = Regex::new(&translated).map_err(|e| {
            format!("the Group Filter is not a regular expression samlint can run: {e}")
        })?;
        let whole = Regex::new(&format!("^(?:{translated})$"))
            .map_err(|e| format!("the Group Filter cannot be anchored: {e}"))?;
        Ok(GroupFilter {
            okta: okta.to_owned(),
            translated,
            whole,
            anywhere,
        })
    }

    /// The capture names, in order.
    pub(crate) fn names(&self) -> Vec<&str> {
        self.whole.capture_names().flatten().collect()
    }
}

/// Checks a Role Value Pattern against the filter's captures.
///
/// # Errors
/// A `${name}` the filter does not capture.
pub(crate) fn check_pattern(pattern: &str, filter: &GroupFilter) -> Result<(), String> {
    let names = filter.names();
    let mut rest = pattern;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            return Err("the Role Value Pattern has a '${' without '}'".to_owned());
        };
        let name = &after[..end];
        if !names.contains(&name) {
            return Err(format!(
                "the Role Value Pattern uses ${{{name}}} but the Group Filter captures {}",
                if names.is_empty() {
                    "nothing (write captures as (?{{accountid}}...) and (?{{role}}...))".to_owned()
                } else {
                    names
                        .iter()
                        .map(|n| format!("'{n}'"))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            ));
        }
        rest = &after[end + 1..];
    }
    Ok(())
}

/// A role problem with its rule's code and severity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MappedFinding {
    pub rule: &'static str,
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
}

/// What one group yields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum GroupOutcome {
    Matched {
        captures: Vec<(String, String)>,
        role: String,
        findings: Vec<MappedFinding>,
    },
    NoMatch {
        /// What a substring search would have matched (Okta matches the whole name).
        substring: Option<String>,
    },
}

fn mapped(f: RoleFinding) -> MappedFinding {
    MappedFinding {
        rule: f.rule.id,
        code: f.rule.code,
        severity: f.rule.default_severity,
        message: f.message,
    }
}

/// Maps one group name through the filter and pattern, and lints the Role value.
pub(crate) fn map_group(
    filter: &GroupFilter,
    pattern: &str,
    group: &str,
    expected: &Expected,
) -> GroupOutcome {
    let Some(caps) = filter.whole.captures(group) else {
        return GroupOutcome::NoMatch {
            substring: filter.anywhere.find(group).map(|m| m.as_str().to_owned()),
        };
    };
    let captures: Vec<(String, String)> = filter
        .whole
        .capture_names()
        .flatten()
        .map(|n| {
            (
                n.to_owned(),
                caps.name(n).map_or("", |m| m.as_str()).to_owned(),
            )
        })
        .collect();
    let mut role = pattern.to_owned();
    for (name, value) in &captures {
        role = role.replace(&format!("${{{name}}}"), value);
    }
    let findings = check_role_value(&role, expected)
        .into_iter()
        .map(mapped)
        .collect();
    GroupOutcome::Matched {
        captures,
        role,
        findings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Okta's two documented default Group Filters.
    pub(super) const HASH_FILTER: &str = r"^aws\#\S+\#(?{{role}}[\w\-]+)\#(?{{accountid}}\d+)$";
    pub(super) const UNDERSCORE_FILTER: &str =
        r"aws_(?{{accountid}}\d+)_(?{{role}}[a-zA-Z0-9+=,.@\-_]+)";
    const PATTERN: &str =
        "arn:aws:iam::${accountid}:saml-provider/Okta,arn:aws:iam::${accountid}:role/${role}";

    #[test]
    fn translates_okta_syntax() {
        assert_eq!(
            translate(HASH_FILTER).unwrap(),
            r"^aws\#[^\t\n\x0B\x0C\r ]+\#(?P<role>[A-Za-z0-9_\-]+)\#(?P<accountid>[0-9]+)$"
        );
        assert_eq!(translate(r"[\W]\Qa.b\E").unwrap(), r"[[^A-Za-z0-9_]]a\.b");
        assert!(translate("(?{{role").is_err());
        assert!(GroupFilter::new(HASH_FILTER).is_ok());
        assert!(GroupFilter::new(UNDERSCORE_FILTER).is_ok());
    }

    #[test]
    fn java_classes_are_ascii() {
        let f = GroupFilter::new(r"aws_(?{{accountid}}\d+)_(?{{role}}\w+)").unwrap();
        let e = Expected::default();
        assert!(matches!(
            map_group(&f, PATTERN, "aws_１２３_Admin", &e),
            GroupOutcome::NoMatch { .. }
        ));
        assert!(matches!(
            map_group(&f, PATTERN, "aws_123456789012_Rôle", &e),
            GroupOutcome::NoMatch { .. }
        ));
    }

    #[test]
    fn whole_name_must_match() {
        let f = GroupFilter::new(UNDERSCORE_FILTER).unwrap();
        let e = Expected::default();
        let GroupOutcome::Matched { role, findings, .. } =
            map_group(&f, PATTERN, "aws_123456789012_Admin", &e)
        else {
            panic!()
        };
        assert_eq!(
            role,
            "arn:aws:iam::123456789012:saml-provider/Okta,arn:aws:iam::123456789012:role/Admin"
        );
        assert!(findings.is_empty());
        assert_eq!(
            map_group(&f, PATTERN, "team-aws_123456789012_Admin", &e),
            GroupOutcome::NoMatch {
                substring: Some("aws_123456789012_Admin".to_owned())
            }
        );
        let GroupOutcome::Matched { findings, .. } = map_group(&f, PATTERN, "aws_1234_Admin", &e)
        else {
            panic!()
        };
        assert_eq!(findings[0].rule, "role-pair-malformed");
        assert_eq!(findings[0].code, "SL0603");
    }

    #[test]
    fn pattern_names_must_be_captured() {
        let f = GroupFilter::new(r"aws_(?{{role}}\w+)").unwrap();
        let e = check_pattern(PATTERN, &f).unwrap_err();
        assert!(e.contains("${accountid}"), "{e}");
        assert!(check_pattern(PATTERN, &GroupFilter::new(HASH_FILTER).unwrap()).is_ok());
    }
}
