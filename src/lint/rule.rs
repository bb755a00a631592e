//! Rule metadata: declared once per rule, read by everything that shows a rule
//! (`rules`, `explain`, docs, SARIF, findings).

use serde::{Deserialize, Serialize};

use super::idp::IdpKind;

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
    /// The IdP-side fix for every other IdP: `IdpKind::Other` is the generic ("the
    /// IdP") text, shown where the IdP has no entry of its own. Empty when the fix does
    /// not live at the IdP.
    pub fix_idp: &'static [(IdpKind, &'static str)],
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

    /// The IdP-side fix for `idp`: its own text, else the generic one; `None` when the
    /// fix does not live at the IdP.
    pub fn fix_for(&self, idp: IdpKind) -> Option<IdpFix> {
        let own = self.own_fix(idp).map(|text| IdpFix { idp, text });
        own.or_else(|| {
            self.own_fix(IdpKind::Other).map(|text| IdpFix {
                idp: IdpKind::Other,
                text,
            })
        })
    }

    /// The text written for `idp` itself (Okta's included), without the fallback.
    pub fn own_fix(&self, idp: IdpKind) -> Option<&'static str> {
        if idp == IdpKind::Okta {
            return Some(self.fix_okta).filter(|t| !t.is_empty());
        }
        self.fix_idp
            .iter()
            .find(|(k, _)| *k == idp)
            .map(|(_, text)| *text)
    }
}

/// An IdP-side fix and the IdP it was written for (`Other` for the generic text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdpFix {
    pub idp: IdpKind,
    pub text: &'static str,
}

impl IdpFix {
    /// "Okta", "AD FS", …; "IdP" for the generic text (as in "fix (IdP)").
    pub fn label(&self) -> &'static str {
        match self.idp {
            IdpKind::Other => "IdP",
            kind => kind.name(),
        }
    }
}
