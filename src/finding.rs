//! The vocabulary every stage shares: a rule's metadata ([`RuleMeta`], [`Severity`],
//! [`Profile`], the [`IdpKind`] its IdP-side fixes are written for) and a [`Finding`]
//! built from it, so a finding cannot carry the wrong id.
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

/// An IdP product whose setting names the fixes use; `Other` is "the IdP".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum IdpKind {
    Okta,
    /// Microsoft Entra ID (formerly Azure AD).
    Entra,
    /// Active Directory Federation Services.
    Adfs,
    /// Google Workspace.
    Google,
    /// PingFederate or PingOne.
    Ping,
    #[value(name = "onelogin")]
    OneLogin,
    #[value(name = "jumpcloud")]
    JumpCloud,
    Keycloak,
    Auth0,
    /// Shibboleth IdP.
    Shibboleth,
    /// NetIQ (OpenText) Access Manager.
    #[value(name = "netiq")]
    NetIq,
    /// Not recognised: the generic text.
    Other,
}

impl IdpKind {
    pub const ALL: &'static [IdpKind] = &[
        IdpKind::Okta,
        IdpKind::Entra,
        IdpKind::Adfs,
        IdpKind::Google,
        IdpKind::Ping,
        IdpKind::OneLogin,
        IdpKind::JumpCloud,
        IdpKind::Keycloak,
        IdpKind::Auth0,
        IdpKind::Shibboleth,
        IdpKind::NetIq,
        IdpKind::Other,
    ];

    /// Stable id, as `--idp` and JSON `idp.id` spell it.
    pub fn id(self) -> &'static str {
        match self {
            IdpKind::Okta => "okta",
            IdpKind::Entra => "entra",
            IdpKind::Adfs => "adfs",
            IdpKind::Google => "google",
            IdpKind::Ping => "ping",
            IdpKind::OneLogin => "onelogin",
            IdpKind::JumpCloud => "jumpcloud",
            IdpKind::Keycloak => "keycloak",
            IdpKind::Auth0 => "auth0",
            IdpKind::Shibboleth => "shibboleth",
            IdpKind::NetIq => "netiq",
            IdpKind::Other => "other",
        }
    }

    /// The product name shown in "fix (…)".
    pub fn name(self) -> &'static str {
        match self {
            IdpKind::Okta => "Okta",
            IdpKind::Entra => "Microsoft Entra ID",
            IdpKind::Adfs => "AD FS",
            IdpKind::Google => "Google Workspace",
            IdpKind::Ping => "PingFederate / PingOne",
            IdpKind::OneLogin => "OneLogin",
            IdpKind::JumpCloud => "JumpCloud",
            IdpKind::Keycloak => "Keycloak",
            IdpKind::Auth0 => "Auth0",
            IdpKind::Shibboleth => "Shibboleth IdP",
            IdpKind::NetIq => "NetIQ Access Manager",
            IdpKind::Other => "the IdP",
        }
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
    /// The fix when the capture itself is the problem (an empty or cut file): neither
    /// the IdP nor AWS is at fault, so it replaces both sides' fixes.
    pub capture_fix: Option<String>,
    /// The AWS-side fix for this case, when it depends on the value seen; `None`
    /// means `rule.fix_aws`.
    pub fix_aws: Option<String>,
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
            capture_fix: None,
            fix_aws: None,
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

    #[must_use]
    pub fn capture_fix(mut self, text: impl Into<String>) -> Self {
        self.capture_fix = Some(text.into());
        self
    }

    /// The IdP-side fix for the payload's IdP; `None` when the fix is elsewhere.
    pub fn idp_fix(&self, idp: IdpKind) -> Option<IdpFix> {
        if self.capture_fix.is_some() {
            return None;
        }
        self.rule.fix_for(idp)
    }

    #[must_use]
    pub fn fix_aws(mut self, text: impl Into<String>) -> Self {
        self.fix_aws = Some(text.into());
        self
    }

    /// The AWS-side fix; empty when the fix is elsewhere.
    pub fn aws_fix(&self) -> &str {
        if self.capture_fix.is_some() {
            ""
        } else {
            self.fix_aws.as_deref().unwrap_or(self.rule.fix_aws)
        }
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
