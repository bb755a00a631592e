//! What a rule sees: the parsed document, the Response, the consumed assertion, the
//! profile, the evaluation time and the optional expected AWS context. Uses `expected`
//! and `arn` (the Role value checks it caches); neither uses it.

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

pub(crate) use super::expected::Expected;
use super::role_value::{RoleFinding, check_role_value};
use super::rule::Profile;
use crate::saml::{Assertion, AttributeValue, Response};
use crate::xml::{Document, Span};

/// Where the evaluation time `now` came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NowSource {
    /// `--now RFC3339`.
    Given,
    /// The capture time of the payload (HAR `startedDateTime`, tracer `timestamp`).
    Capture,
    /// The Response's IssueInstant.
    IssueInstant,
    /// The consumed assertion's IssueInstant, because the Response has none.
    AssertionIssueInstant,
    /// The system clock, asked for with `--now clock`.
    Clock,
    /// The system clock because the requested source had no time.
    ClockFallback,
    /// The system clock because neither the Response nor the assertion has an
    /// IssueInstant.
    ClockNoIssueInstant,
}

impl NowSource {
    pub fn describe(self) -> &'static str {
        match self {
            NowSource::Given => "--now",
            NowSource::Capture => "capture time",
            NowSource::IssueInstant => "IssueInstant",
            NowSource::AssertionIssueInstant => "assertion IssueInstant; the Response has none",
            NowSource::Clock => "clock",
            NowSource::ClockFallback => "clock; no capture time",
            NowSource::ClockNoIssueInstant => "clock; no IssueInstant",
        }
    }
}

/// Everything a rule's check reads.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    pub doc: &'a Document,
    pub response: &'a Response,
    /// C, the consumed assertion, as verification resolved it.
    pub assertion: Option<&'a Assertion>,
    pub profile: Profile,
    pub now: DateTime<Utc>,
    pub now_source: NowSource,
    pub skew: TimeDelta,
    /// Length of the base64 text, when the payload was base64.
    pub base64_len: Option<usize>,
    /// The URL the payload was sent to, when the container recorded it.
    pub url: Option<&'a str>,
    pub expected: &'a Expected,
    /// entityIDs of the IdP metadata given as trust (for `issuer-mismatch`).
    pub entity_ids: &'a [String],
    /// Set when C is an `EncryptedAssertion` (`encrypted-assertion`,
    /// `ic-encrypted-assertion`).
    pub encrypted: Option<&'a Encrypted>,
    /// The Role values' checks, computed once per payload for all the role rules.
    pub role_checks: &'a RoleChecks<'a>,
}

/// C is an `EncryptedAssertion`: where it is in `Ctx::doc` and whether it was read.
///
/// When it was decrypted, `Ctx::doc` is the Response with the decrypted Assertion
/// put in place of the EncryptedAssertion, and `span` is that Assertion's start tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encrypted {
    pub span: Span,
    /// `None` when decrypted with `--sp-key`; else why its content was not read (the
    /// algorithms and key it was encrypted to, and the flag to pass or the
    /// decryption error).
    pub unread: Option<String>,
}

/// Every Role value of C with what [`crate::lint::role_value::check_role_value`] says of it,
/// computed on first use: five rules read it, and ARN parsing is the costly part.
#[derive(Debug, Default)]
pub struct RoleChecks<'a> {
    cell: std::cell::OnceCell<Vec<(&'a AttributeValue, Vec<RoleFinding>)>>,
}

impl<'a> RoleChecks<'a> {
    pub fn get(
        &self,
        assertion: Option<&'a Assertion>,
        expected: &Expected,
    ) -> &[(&'a AttributeValue, Vec<RoleFinding>)] {
        self.cell.get_or_init(|| {
            assertion
                .into_iter()
                .flat_map(|a| a.attributes_named(crate::saml::aws::ROLE))
                .flat_map(|attr| attr.values.iter())
                .map(|v| (v, check_role_value(&v.value.text, expected)))
                .collect()
        })
    }
}
