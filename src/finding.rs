//! The vocabulary every stage shares: a rule's metadata ([`RuleMeta`], [`Severity`],
//! [`Profile`]) and a [`Finding`] built from it, so a finding cannot carry the wrong id.
//! It sits below every stage (it knows spans and nothing else): verification and
//! lint both speak it without knowing each other.

use serde::{Deserialize, Serialize};

use crate::xml::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl std::str::FromStr for Severity {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "error" => Ok(Severity::Error),
            "warning" => Ok(Severity::Warning),
            "info" => Ok(Severity::Info),
            _ => Err(format!(
                "'{s}' is not a severity: use error, warning or info"
            )),
        }
    }
}

/// Which kind of service provider a payload is checked as (RULES.md "Profiles").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Profile {
    /// IAM SAML federation with the Role attribute (Okta "AWS Account Federation").
    AwsIam,
    /// AWS IAM Identity Center.
    AwsIdentityCenter,
    /// Any SAML service provider: SAML and signature rules only.
    Generic,
}

impl Profile {
    pub const ALL: &'static [Profile] = &[
        Profile::AwsIam,
        Profile::AwsIdentityCenter,
        Profile::Generic,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Profile::AwsIam => "aws-iam",
            Profile::AwsIdentityCenter => "aws-identity-center",
            Profile::Generic => "generic",
        }
    }
}

/// Everything about a rule except its check.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable kebab-case id, never renamed.
    pub id: &'static str,
    /// `SL` + section + number, never reused.
    pub code: &'static str,
    pub default_severity: Severity,
    pub profiles: &'static [Profile],
    /// One line, no observed value.
    pub summary: &'static str,
    /// The text AWS shows, as RULES.md gives it.
    pub aws_error: &'static str,
    pub fix_okta: &'static str,
    pub fix_aws: &'static str,
    /// Long explanation in markdown, with the fixed headings.
    pub explain: &'static str,
    /// The samlint version that introduced the rule.
    pub since: &'static str,
}

impl RuleMeta {
    pub fn runs_in(&self, profile: Profile) -> bool {
        self.profiles.contains(&profile)
    }
}

/// A span in the payload's decoded XML with a short label ("expected ...").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub label: String,
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static RuleMeta,
    /// The rule's default severity, or an override from config or the command line.
    pub severity: Severity,
    /// One line, with the observed value.
    pub message: String,
    /// Where in the decoded XML; `None` for input-level findings.
    pub primary: Option<Label>,
    pub related: Vec<Label>,
    /// The AWS error for this case, when it differs from the rule's general text
    /// (e.g. by profile); `None` means `rule.aws_error`.
    pub aws_error: Option<String>,
}

impl Finding {
    pub fn new(rule: &'static RuleMeta, message: impl Into<String>) -> Self {
        Finding {
            rule,
            severity: rule.default_severity,
            message: message.into(),
            primary: None,
            related: Vec::new(),
            aws_error: None,
        }
    }

    #[must_use]
    pub fn at(mut self, span: Span, label: impl Into<String>) -> Self {
        self.primary = Some(Label {
            span,
            label: label.into(),
        });
        self
    }

    #[must_use]
    pub fn related(mut self, span: Span, label: impl Into<String>) -> Self {
        self.related.push(Label {
            span,
            label: label.into(),
        });
        self
    }

    #[must_use]
    pub fn aws_error(mut self, text: impl Into<String>) -> Self {
        self.aws_error = Some(text.into());
        self
    }

    pub fn aws_error_text(&self) -> &str {
        self.aws_error.as_deref().unwrap_or(self.rule.aws_error)
    }

    /// Sort key: span start, then code (input-level findings first).
    pub fn sort_key(&self) -> (usize, &'static str) {
        (
            self.primary.as_ref().map_or(0, |l| l.span.start),
            self.rule.code,
        )
    }
}
