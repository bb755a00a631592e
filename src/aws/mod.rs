//! The AWS side (`--aws`): what the account holds, read offline from AWS CLI and
//! Terraform exports, and what STS will do with each Role pair of a captured
//! assertion.
//!
//! `export` reads the files once per run into an [`Account`] (indexed by ARN);
//! per payload, `context_keys` computes the request context, `simulate` decides
//! each pair with `policy`, and `cloudtrail` matches logged failures.

pub(crate) mod cloudtrail;
pub(crate) mod context_keys;
pub(crate) mod export;
pub(crate) mod policy;
pub(crate) mod simulate;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

pub(crate) use export::{Account, Source};

use crate::lint::{Expected, Finding, rules};
use crate::saml::{self, Assertion, Response};
use crate::verify::SignatureReport;
use crate::xml::Span;

/// What STS will do with a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Allowed,
    Denied,
    Unknown,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Allowed => "allowed",
            Outcome::Denied => "denied",
            Outcome::Unknown => "unknown",
        }
    }
}

/// One Role pair, simulated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairOutcome {
    pub role_arn: String,
    pub provider_arn: String,
    pub outcome: Outcome,
    /// The rule that decided a denial.
    pub rule: Option<&'static str>,
    pub aws_error: Option<String>,
    /// The statement (Sid or `#n`) that allowed or decided.
    pub statement: Option<String>,
    /// The failed condition, with both values (denials by a condition only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<policy::Failed>,
    pub detail: String,
    /// Seconds of the console session STS will give.
    pub session_duration: Option<u64>,
    /// Shared by the pairs of a payload, which all carry the assertion's tags.
    pub session_tags: Arc<BTreeMap<String, String>>,
    pub source_identity: Option<String>,
    #[serde(skip)]
    pub span: Span,
}

impl PairOutcome {
    fn new(role: &str, provider: &str, span: Span) -> Self {
        PairOutcome {
            role_arn: role.to_owned(),
            provider_arn: provider.to_owned(),
            outcome: Outcome::Unknown,
            rule: None,
            aws_error: None,
            statement: None,
            condition: None,
            detail: String::new(),
            session_duration: None,
            session_tags: Arc::default(),
            source_identity: None,
            span,
        }
    }

    /// One line: "allowed, 1h session, 2 tags", or the denial and why.
    pub fn describe(&self) -> String {
        match self.outcome {
            Outcome::Allowed => {
                let mut parts = vec!["allowed".to_owned()];
                if let Some(d) = self.session_duration {
                    parts.push(format!("{} session", human(d)));
                }
                match self.session_tags.len() {
                    0 => {}
                    1 => parts.push("1 tag".to_owned()),
                    n => parts.push(format!("{n} tags")),
                }
                if let Some(s) = &self.source_identity {
                    parts.push(format!("source identity {s}"));
                }
                parts.join(", ")
            }
            Outcome::Denied => format!("denied ({}): {}", self.rule.unwrap_or("?"), self.detail),
            Outcome::Unknown => format!("unknown: {}", self.detail),
        }
    }
}

/// `3600` → `1h`, `5400` → `1h30m`, `900` → `15m`.
fn human(secs: u64) -> String {
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let mut out = String::new();
    if h > 0 {
        let _ = write!(out, "{h}h");
    }
    if m > 0 {
        let _ = write!(out, "{m}m");
    }
    if s > 0 || out.is_empty() {
        let _ = write!(out, "{s}s");
    }
    out
}

/// A CloudTrail event matched to a capture (or standing alone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrailMatch {
    pub time: String,
    pub event: String,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub role_arn: Option<String>,
    pub provider_arn: Option<String>,
    /// The rule that explains the error.
    pub rule: Option<&'static str>,
    pub event_id: Option<String>,
}

impl TrailMatch {
    fn of(e: &cloudtrail::Event) -> Self {
        TrailMatch {
            time: e.time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            event: e.name.clone(),
            error_code: e.error_code.clone(),
            error_message: e.error_message.clone(),
            role_arn: e.role_arn.clone(),
            provider_arn: e.principal_arn.clone(),
            rule: cloudtrail::explaining_rule(e),
            event_id: e.event_id.clone(),
        }
    }
}

/// The payload's `aws` object (DESIGN.md JSON).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PayloadAws {
    pub sources: Arc<Vec<Source>>,
    pub context_keys: context_keys::ContextKeys,
    pub roles: Vec<PairOutcome>,
    pub cloudtrail: Vec<TrailMatch>,
}

impl PayloadAws {
    /// Masks values with `mask` (`--redact`).
    pub fn redact(&mut self, mask: &dyn Fn(&str) -> String) {
        for v in self.context_keys.values_mut().flatten() {
            *v = mask(v);
        }
        for r in &mut self.roles {
            r.detail = mask(&r.detail);
            if let Some(c) = &mut r.condition {
                for v in &mut c.actual {
                    *v = mask(v);
                }
            }
            for v in Arc::make_mut(&mut r.session_tags).values_mut() {
                *v = mask(v);
            }
            if let Some(s) = &mut r.source_identity {
                *s = mask(s);
            }
        }
    }
}

/// Rules the export decides per pair: their registry findings (from the expected
/// context) give way to the simulation's. `trust-policy-actions-needed` and
/// `recipient-regional-trust-policy`, which guess at the trust policies, give way
/// when every pair's trust policy was evaluated.
pub(crate) const DECIDED_RULES: &[&str] = &[
    "role-unknown",
    "role-provider-unknown",
    "session-duration-over-role-max",
];

/// Puts the simulation's findings in place of the registry's for the rules the
/// export decides ([`DECIDED_RULES`]).
pub(crate) fn merge_findings(findings: &mut Vec<Finding>, found: Vec<Finding>, aws: &PayloadAws) {
    let evaluated = !aws.roles.is_empty()
        && aws.roles.iter().all(|r| {
            r.outcome != Outcome::Unknown && r.rule.is_none_or(|id| id.starts_with("trust-policy-"))
        });
    let superseded = [
        rules::trust_policy_actions_needed::META.id,
        rules::recipient_regional_trust_policy::META.id,
    ];
    findings.retain(|f| {
        let replaced = evaluated && superseded.contains(&f.rule.id);
        !DECIDED_RULES.contains(&f.rule.id) && !replaced
    });
    findings.extend(found);
}

/// Splits a Role value into (role, provider), in either order; `None` when it is
/// not one of each (`role-pair-malformed` reports it).
fn split_pair(value: &str) -> Option<(&str, &str)> {
    let (a, b) = value.split_once(',')?;
    let (a, b) = (a.trim(), b.trim());
    if names(a, ":role/") && names(b, ":saml-provider/") {
        Some((a, b))
    } else if names(b, ":role/") && names(a, ":saml-provider/") {
        Some((b, a))
    } else {
        None
    }
}

/// Whether `arn` holds `mark` (which starts with `:`), found at its colons: a
/// substring search sets up a searcher per call, and this runs four times per pair.
fn names(arn: &str, mark: &str) -> bool {
    memchr::memchr_iter(b':', arn.as_bytes())
        .any(|i| arn.get(i..).is_some_and(|rest| rest.starts_with(mark)))
}

/// What the AWS stage reads of a payload.
pub(crate) struct PayloadInput<'a> {
    pub response: &'a Response,
    pub assertion: &'a Assertion,
    pub signature: Option<&'a SignatureReport>,
    pub now: DateTime<Utc>,
    pub skew: TimeDelta,
}

/// Simulates every pair of the payload and matches CloudTrail events.
pub(crate) fn evaluate(acct: &Account, input: &PayloadInput<'_>) -> (PayloadAws, Vec<Finding>) {
    let keys = context_keys::SamlKeys::compute(input.response, input.assertion, input.now);
    let pairs: Vec<simulate::Pair<'_>> = input
        .assertion
        .attributes_named(saml::aws::ROLE)
        .flat_map(|a| a.values.iter())
        .filter_map(|v| {
            let (role, provider) = split_pair(&v.value.text)?;
            Some(simulate::Pair {
                role,
                provider,
                span: v.value.span,
            })
        })
        .collect();
    let payload = simulate::Payload {
        keys: &keys,
        signature: input.signature,
        requests: std::cell::RefCell::default(),
        decided: std::cell::RefCell::default(),
        session_tags: std::cell::OnceCell::new(),
    };
    let (roles, mut findings) = simulate::run(acct, &payload, &pairs);
    // The pair keys are shown when every pair names the same provider.
    let mut providers = pairs.iter().map(|p| p.provider);
    let shown_pair_keys = match providers.next() {
        Some(first) if providers.all(|p| p == first) => Some(payload.request_for(first).0),
        _ => None,
    };
    drop(payload);
    let mut context_keys = keys.keys;
    if let Some(pair_keys) = shown_pair_keys {
        context_keys.extend(pair_keys.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    let trail = match_events(acct, input, &pairs, &roles, &mut findings);
    (
        PayloadAws {
            sources: worker_sources(&acct.sources),
            context_keys,
            roles,
            cloudtrail: trail,
        },
        findings,
    )
}

/// The account's sources, for a payload of this thread: a copy per worker thread, so
/// that each payload's clone and drop write to a count this thread alone touches. One
/// count shared by every worker bounced between the cores twice per payload.
fn worker_sources(shared: &Arc<Vec<Source>>) -> Arc<Vec<Source>> {
    type Copy = Option<(Arc<Vec<Source>>, Arc<Vec<Source>>)>;
    thread_local! {
        /// (the account's sources, this thread's copy); holding the account's keeps
        /// its address from being reused by another account's.
        static COPY: std::cell::RefCell<Copy> = const { std::cell::RefCell::new(None) };
    }
    COPY.with_borrow_mut(|copy| match copy {
        Some((of, mine)) if Arc::ptr_eq(of, shared) => Arc::clone(mine),
        _ => {
            let mine = Arc::new(Vec::clone(shared));
            *copy = Some((Arc::clone(shared), Arc::clone(&mine)));
            mine
        }
    })
}

fn match_events(
    acct: &Account,
    input: &PayloadInput<'_>,
    pairs: &[simulate::Pair<'_>],
    outcomes: &[PairOutcome],
    findings: &mut Vec<Finding>,
) -> Vec<TrailMatch> {
    if acct.events.is_empty() {
        return Vec::new();
    }
    let owned: Vec<(String, String)> = pairs
        .iter()
        .map(|p| (p.role.to_owned(), p.provider.to_owned()))
        .collect();
    let user = input.assertion.name_id().map(|n| n.value.text.as_str());
    let capture = cloudtrail::Capture {
        time: input.now,
        assertion_id: input.assertion.id.as_ref().map(saml::Value::as_str),
        pairs: &owned,
        user,
    };
    let mut out = Vec::new();
    for e in acct
        .events
        .iter()
        .filter(|e| cloudtrail::matches(e, &capture, input.skew))
    {
        let mut m = TrailMatch::of(e);
        // The simulation of the same pair names the rule more exactly than the
        // error text can.
        if let Some(rule) = outcomes
            .iter()
            .find(|o| {
                Some(&o.role_arn) == e.role_arn.as_ref()
                    && Some(&o.provider_arn) == e.principal_arn.as_ref()
            })
            .and_then(|o| o.rule)
        {
            m.rule = Some(rule);
        }
        findings.push(trail_finding(&m));
        out.push(m);
    }
    out
}

fn trail_finding(m: &TrailMatch) -> Finding {
    let what = m
        .role_arn
        .as_deref()
        .map_or(String::new(), |r| format!(" for {r}"));
    Finding::new(
        &rules::cloudtrail_failure::META,
        format!(
            "CloudTrail {} at {}{what}: {} '{}'{}",
            m.event,
            m.time,
            m.error_code.as_deref().unwrap_or("?"),
            m.error_message.as_deref().unwrap_or(""),
            m.rule.map_or_else(
                || " (no rule explains it)".to_owned(),
                |r| format!(", explained by {r}")
            )
        ),
    )
    .aws_error(m.error_message.clone().unwrap_or_default())
}

/// Failed events that no capture matched, explained alone, as input-level
/// findings of the file that holds them.
pub(crate) fn unmatched_events(acct: &Account, matched: &[TrailMatch]) -> Vec<Finding> {
    acct.events
        .iter()
        .filter(|e| e.error_code.is_some())
        .map(TrailMatch::of)
        .filter(|m| {
            !matched
                .iter()
                .any(|x| x.event_id == m.event_id && x.time == m.time)
        })
        .map(|m| {
            let mut f = trail_finding(&m);
            if let (Some(role), Some(provider)) = (&m.role_arn, &m.provider_arn) {
                let _ = write!(f.message, "; {}", alone(acct, role, provider));
            }
            f
        })
        .collect()
}

/// What the export alone says of a failed pair (no assertion to evaluate).
fn alone(acct: &Account, role: &str, provider: &str) -> String {
    let account = export::arn_account(role).unwrap_or("");
    match acct.roles.get(role) {
        None if acct.role_accounts.contains(account) => {
            format!("role {role} does not exist (role-unknown)")
        }
        None => "the export does not hold this role".to_owned(),
        Some(r) => match r.trust() {
            Some(Ok(p)) => {
                let names = p.statements.iter().any(|s| {
                    s.effect == policy::Effect::Allow
                        && matches!(&s.principal, policy::Principals::Only(l) if l.iter().any(|x| x == "*" || x == provider))
                });
                if names {
                    "the trust policy trusts this provider: a Condition or a Deny decided (give the capture to tell which)".to_owned()
                } else {
                    format!(
                        "the trust policy does not trust {provider} (trust-policy-principal-missing)"
                    )
                }
            }
            _ => "the export has no trust policy for this role".to_owned(),
        },
    }
}

/// Fills the expected context from the export where the user gave none: the
/// providers and roles (only from exports that list them all), and the Identity
/// Center user names.
pub(crate) fn fill_expected(acct: &Account, expected: &mut Expected) {
    if expected.saml_providers.is_empty() && !acct.provider_accounts.is_empty() {
        expected.saml_providers = acct.providers.iter().cloned().collect();
    }
    let all_authoritative = acct
        .roles
        .keys()
        .all(|r| export::arn_account(r).is_some_and(|a| acct.role_accounts.contains(a)));
    if expected.roles.is_empty() && !acct.roles.is_empty() && all_authoritative {
        expected.roles = acct.roles.keys().cloned().collect();
    }
    if expected.accounts.is_empty() && all_authoritative {
        expected.accounts = acct.role_accounts.iter().cloned().collect();
    }
    if expected.ic_usernames.is_empty() {
        expected.ic_usernames.clone_from(&acct.ic_users);
    }
}

#[cfg(test)]
mod tests;
