//! Rule metadata: declared once per rule, read by everything that shows a rule
//! (`rules`, `explain`, docs, SARIF, findings).

use serde::{Deserialize, Serialize};

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
