//! Severity overrides and ignored rules, from `samlint.toml` and the command line.
//! Applied in one place, after the pipeline and before any renderer.

use super::finding::Finding;
use super::registry;
use super::rule::{RuleMeta, Severity};

/// `--severity RULE=LEVEL`.
#[derive(Debug, Clone, Copy)]
pub struct SeverityOverride {
    pub rule: &'static RuleMeta,
    pub severity: Severity,
}

/// Per-rule severity changes and ignored rules, by rule id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    /// Later entries win (config first, then the command line).
    pub severity: Vec<(&'static str, Severity)>,
    pub ignore: Vec<&'static str>,
}

impl Overrides {
    pub fn is_empty(&self) -> bool {
        self.severity.is_empty() && self.ignore.is_empty()
    }

    /// Drops ignored findings and sets overridden severities.
    pub fn apply(&self, findings: &mut Vec<Finding>) {
        if self.is_empty() {
            return;
        }
        findings.retain(|f| !self.ignore.contains(&f.rule.id));
        for f in findings {
            if let Some((_, sev)) = self.severity.iter().rev().find(|(id, _)| *id == f.rule.id) {
                f.severity = *sev;
            }
        }
    }
}

fn unknown_rule(name: &str) -> String {
    let hint = registry::suggest(name).map_or(String::new(), |s| format!(" (did you mean '{s}'?)"));
    format!("unknown rule '{name}'{hint}; `samlint rules` lists them")
}

/// clap value parser for a rule id or code.
///
/// # Errors
/// The name is no rule's id or code.
pub(crate) fn parse_rule(s: &str) -> Result<&'static RuleMeta, String> {
    registry::find(s).ok_or_else(|| unknown_rule(s))
}

/// clap value parser for `RULE=LEVEL`.
///
/// # Errors
/// Not `RULE=LEVEL`, an unknown rule, or an unknown level.
pub(crate) fn parse_severity_override(s: &str) -> Result<SeverityOverride, String> {
    let (rule, level) = s
        .split_once('=')
        .ok_or_else(|| format!("'{s}' is not RULE=LEVEL (e.g. response-too-large=error)"))?;
    Ok(SeverityOverride {
        rule: parse_rule(rule.trim())?,
        severity: level.trim().parse()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules;

    #[test]
    fn parsers_check_the_registry() {
        assert_eq!(parse_rule("SL0101").map(|m| m.id), Ok("input-not-saml"));
        let e = parse_rule("input-not-sml").unwrap_err();
        assert!(e.contains("did you mean 'input-not-saml'"), "{e}");
        let o =
            parse_severity_override("response-too-large=error").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(o.severity, Severity::Error);
        assert!(parse_severity_override("response-too-large").is_err());
        assert!(parse_severity_override("response-too-large=fatal").is_err());
    }

    #[test]
    fn apply_ignores_and_overrides() {
        let mut f = vec![
            Finding::new(&rules::input_not_saml::META, "a"),
            Finding::new(&rules::response_too_large::META, "b"),
        ];
        let o = Overrides {
            severity: vec![
                ("response-too-large", Severity::Info),
                ("response-too-large", Severity::Error),
            ],
            ignore: vec!["input-not-saml"],
        };
        o.apply(&mut f);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Error);
    }
}
