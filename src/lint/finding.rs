//! Findings: built from a rule's metadata, so a finding cannot carry the wrong id.

use super::idp::IdpKind;
use super::rule::{IdpFix, RuleMeta, Severity};
use crate::xml::Span;

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
