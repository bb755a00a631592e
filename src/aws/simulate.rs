//! `AssumeRoleWithSAML`, simulated per Role pair against the export: the provider,
//! its metadata, the role, its trust policy (then `sts:TagSession` and
//! `sts:SetSourceIdentity`), and the session length.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use super::context_keys::{ContextKeys, SamlKeys};
use super::export::{Account, Role, arn_account, provider_name};
use super::policy::{Decision, Failed, Request, named};
use super::{Outcome, PairOutcome};
use crate::lint::rules;
use crate::lint::{Finding, RuleMeta, Severity};
use crate::verify::{SignatureReport, SignatureStatus};
use crate::xml::Span;

/// IAM's default MaxSessionDuration, and the session STS gives without a
/// SessionDuration attribute.
const DEFAULT_SESSION: u64 = 3600;

/// One Role pair as the assertion sends it.
pub(crate) struct Pair<'a> {
    pub role: &'a str,
    pub provider: &'a str,
    pub span: Span,
}

/// What the payload offers the simulation.
pub(crate) struct Payload<'a> {
    pub keys: &'a SamlKeys,
    pub signature: Option<&'a SignatureReport>,
    /// The request context per provider, built once (the pairs of a payload
    /// usually share one provider).
    pub requests: RefCell<Vec<ProviderRequest<'a>>>,
    /// Decisions per trust policy and provider: the roles a payload names usually
    /// share one policy (see [`Role::trust_policy`]).
    pub decided: RefCell<Vec<Decided>>,
    /// The session tags every allowed pair gets, collected once.
    pub session_tags: std::cell::OnceCell<std::sync::Arc<BTreeMap<String, String>>>,
}

/// One trust policy's decisions for one provider.
pub(crate) struct Decided {
    /// The policy, by address: cloning its `Arc` would write to a count that every
    /// worker shares, once per pair.
    policy: *const super::export::TrustPolicy,
    provider: String,
    decisions: Vec<Decision>,
}

/// The request context for one provider, and the keys that depend on the pair.
pub(crate) struct ProviderRequest<'k> {
    pub provider: String,
    pub pair_keys: Rc<ContextKeys>,
    pub request: Rc<Request<'k>>,
}

impl<'a> Payload<'a> {
    /// The pair keys and the request context for `provider`, computed once.
    pub(crate) fn request_for(&self, provider: &str) -> (Rc<ContextKeys>, Rc<Request<'a>>) {
        if let Some(r) = self
            .requests
            .borrow()
            .iter()
            .find(|r| r.provider == provider)
        {
            return (Rc::clone(&r.pair_keys), Rc::clone(&r.request));
        }
        let account = arn_account(provider).unwrap_or("");
        let pair_keys = shared_pair_keys(self.keys, account, provider_name(provider));
        let request = Rc::new(self.keys.request(Rc::clone(&pair_keys)));
        self.requests.borrow_mut().push(ProviderRequest {
            provider: provider.to_owned(),
            pair_keys: Rc::clone(&pair_keys),
            request: Rc::clone(&request),
        });
        (pair_keys, request)
    }
}

/// [`SamlKeys::pair_keys`], computed once for a run of payloads from the same Issuer
/// to the same provider (a batch is usually one IdP and one provider): the SHA-1 of
/// `SAML:namequalifier` and the map were an eighth of the simulation's instructions
/// (callgrind, `scripts/bench-aws`).
fn shared_pair_keys(keys: &SamlKeys, account: &str, provider_name: &str) -> Rc<ContextKeys> {
    type Memo = Option<(Option<String>, String, String, Rc<ContextKeys>)>;
    thread_local! {
        static LAST: RefCell<Memo> = const { RefCell::new(None) };
    }
    LAST.with_borrow_mut(|last| {
        if let Some((issuer, a, n, computed)) = last.as_ref()
            && *issuer == keys.issuer
            && a == account
            && n == provider_name
        {
            return Rc::clone(computed);
        }
        let computed = Rc::new(keys.pair_keys(account, provider_name));
        *last = Some((
            keys.issuer.clone(),
            account.to_owned(),
            provider_name.to_owned(),
            Rc::clone(&computed),
        ));
        computed
    })
}

/// The keys of the certificates the response verified with (`SHA256:hex`).
fn signing_keys(sig: Option<&SignatureReport>) -> Vec<String> {
    sig.map(|s| {
        s.signatures
            .iter()
            .filter(|d| d.signature_ok == Some(true))
            .filter_map(|d| {
                d.trusted_key
                    .clone()
                    .or_else(|| d.certificate.as_ref().map(|c| c.sha256.clone()))
            })
            .collect()
    })
    .unwrap_or_default()
}

struct Step {
    outcome: PairOutcome,
    findings: Vec<Finding>,
    /// What the export lacks that could change the answer; the pair is `unknown`
    /// unless a later step denies it.
    pending: Vec<String>,
}

impl Step {
    fn deny(&mut self, rule: &'static RuleMeta, statement: Option<String>, detail: String) {
        self.outcome.outcome = Outcome::Denied;
        self.outcome.rule = Some(rule.id);
        self.outcome.aws_error = Some(rule.aws_error.to_owned());
        self.outcome.statement = statement;
        let message = format!("{}: {detail}", self.outcome.role_arn);
        self.outcome.detail = detail;
        self.findings
            .push(Finding::new(rule, message).at(self.span(), "this pair"));
    }

    fn unknown(&mut self, detail: String, command: Option<String>) {
        match command {
            Some(c) => self.note(&format!("{detail}; `{c}` would supply it")),
            None => self.note(&detail),
        }
        self.pending.push(detail);
    }

    /// An `aws-export-incomplete` info.
    fn note(&mut self, message: &str) {
        self.findings.push(
            Finding::new(
                &rules::aws_export_incomplete::META,
                format!("{}: {message}", self.outcome.role_arn),
            )
            .at(self.span(), "this pair"),
        );
    }

    fn span(&self) -> Span {
        self.outcome.span
    }
}

fn describe_failed(f: &Failed) -> String {
    let actual = if f.actual.is_empty() {
        "the assertion gives no value".to_owned()
    } else {
        format!("the assertion gives {}", quote_list(&f.actual))
    };
    format!(
        "statement {} requires {} {} {}; {actual}",
        named(&f.statement),
        f.operator,
        f.key,
        quote_list(&f.expected)
    )
}

fn quote_list(v: &[String]) -> String {
    match v {
        [one] => format!("'{one}'"),
        _ => format!(
            "[{}]",
            v.iter()
                .map(|s| format!("'{s}'"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Simulates every pair; returns the outcomes and the findings of RULES.md
/// section 10 (and `role-unknown`, `role-provider-unknown`,
/// `session-duration-over-role-max`, which the export decides).
pub(crate) fn run(
    acct: &Account,
    p: &Payload<'_>,
    pairs: &[Pair<'_>],
) -> (Vec<PairOutcome>, Vec<Finding>) {
    let keys = signing_keys(p.signature);
    let status = p.signature.map(|s| s.status);
    let mut outcomes = Vec::with_capacity(pairs.len());
    let mut findings = Vec::new();
    for pair in pairs {
        let mut step = Step {
            outcome: PairOutcome::new(pair.role, pair.provider, pair.span),
            findings: Vec::new(),
            pending: Vec::new(),
        };
        simulate(acct, p, pair, &keys, status, &mut step);
        if step.outcome.outcome != Outcome::Denied && !step.pending.is_empty() {
            step.outcome.outcome = Outcome::Unknown;
            step.outcome.detail = step.pending.join("; ");
            step.outcome.session_duration = None;
            step.outcome.session_tags = std::sync::Arc::default();
            step.outcome.source_identity = None;
        }
        outcomes.push(step.outcome);
        findings.extend(step.findings);
    }
    (outcomes, findings)
}

fn simulate(
    acct: &Account,
    p: &Payload<'_>,
    pair: &Pair<'_>,
    keys: &[String],
    status: Option<SignatureStatus>,
    step: &mut Step,
) {
    let provider = pair.provider;
    // 1. The provider and the metadata IAM holds for it. (The ARN's parts are taken
    // apart only where a message needs them: this runs for every pair.)
    if !acct.provider_exists(provider) {
        let provider_account = arn_account(provider).unwrap_or("");
        if acct.provider_accounts.contains(provider_account) {
            let known: Vec<&str> = acct
                .providers
                .iter()
                .filter(|a| arn_account(a) == Some(provider_account))
                .map(String::as_str)
                .collect();
            step.deny(
                &rules::role_provider_unknown::META,
                None,
                format!(
                    "provider {provider} is not in account {provider_account} (it has {})",
                    if known.is_empty() {
                        "none".to_owned()
                    } else {
                        known.join(", ")
                    }
                ),
            );
        } else {
            step.unknown(
                format!(
                    "the export does not list the SAML providers of account {provider_account}"
                ),
                Some("aws iam list-saml-providers".to_owned()),
            );
        }
        if step.outcome.outcome == Outcome::Denied {
            return;
        }
    }
    match status {
        Some(SignatureStatus::Valid | SignatureStatus::Untrusted) | None => {}
        Some(s) => {
            let rule = match s {
                SignatureStatus::Unsigned => &rules::signature_missing::META,
                SignatureStatus::Wrapped => &rules::signature_wrapping::META,
                SignatureStatus::Error => &rules::signature_algorithm_unsupported::META,
                _ => &rules::signature_invalid::META,
            };
            // The verify stage already reported it; the pair only records why.
            step.outcome.outcome = Outcome::Denied;
            step.outcome.rule = Some(rule.id);
            step.outcome.aws_error = Some(rule.aws_error.to_owned());
            step.outcome.detail = format!("the signature is {}", s.as_str());
            return;
        }
    }
    if let Some(meta) = acct.metadata_for(provider) {
        if !provider_trusts(acct, p, provider, meta, keys, step) {
            return;
        }
    } else if acct.provider_exists(provider) {
        let name = provider_name(provider);
        step.unknown(
            format!("the export has no metadata for provider {provider}"),
            Some(format!(
                "aws iam get-saml-provider --saml-provider-arn {provider} > {name}.json"
            )),
        );
    }
    role_and_trust(acct, p, pair, step);
}

/// The Issuer and the signing key against the provider's metadata; `false` when
/// denied.
fn provider_trusts(
    acct: &Account,
    p: &Payload<'_>,
    provider: &str,
    meta: &super::export::Metadata,
    keys: &[String],
    step: &mut Step,
) -> bool {
    let name = || provider_name(provider);
    if let Some(issuer) = &p.keys.issuer
        && !meta.entity_ids.iter().any(|e| e == issuer)
    {
        let name = name();
        step.deny(
            &rules::provider_issuer_mismatch::META,
            None,
            format!(
                "the Issuer is '{issuer}' but provider {name} holds metadata for {}",
                quote_list(&meta.entity_ids)
            ),
        );
        return false;
    }
    let held = &meta.cert_keys;
    if !keys.is_empty()
        && !keys
            .iter()
            .any(|k| held.iter().any(|h| h.eq_ignore_ascii_case(k)))
    {
        let others: Vec<&str> = acct
            .metadata
            .iter()
            .filter(|(arn, m)| {
                arn.as_str() != provider
                    && m.cert_keys
                        .iter()
                        .any(|c| keys.iter().any(|k| k.eq_ignore_ascii_case(c)))
            })
            .map(|(arn, _)| arn.as_str())
            .collect();
        let elsewhere = if others.is_empty() {
            String::new()
        } else {
            format!(" (provider {} holds it)", others.join(", "))
        };
        step.deny(
            &rules::provider_key_mismatch::META,
            None,
            format!(
                "the response is signed with {} but provider {} holds {}{elsewhere}",
                keys.join(", "),
                name(),
                held.join(", ")
            ),
        );
        return false;
    }
    true
}

fn role_and_trust(acct: &Account, p: &Payload<'_>, pair: &Pair<'_>, step: &mut Step) {
    // 2. The role, by exact (case-sensitive) ARN.
    let Some(role) = acct.roles.get(pair.role) else {
        let role_account = arn_account(pair.role).unwrap_or("");
        let case = acct
            .roles_folded
            .get(&pair.role.to_ascii_lowercase())
            .map_or(String::new(), |r| {
                format!(" ({r} differs only in case: role names are case-sensitive)")
            });
        if acct.role_accounts.contains(role_account) {
            step.deny(
                &rules::role_unknown::META,
                None,
                format!(
                    "role {} does not exist in account {role_account}{case}",
                    pair.role
                ),
            );
            if let Some(f) = step.findings.last_mut() {
                f.severity = Severity::Error;
            }
        } else {
            step.unknown(
                format!("the export does not hold role {}{case}", pair.role),
                Some(format!("aws iam list-roles (account {role_account})")),
            );
        }
        return;
    };
    // 3. The trust policy, then the extra actions.
    if !trust(p, pair, role, step) {
        return;
    }
    // 4. The session.
    session(p, role, step);
}

/// Evaluates the trust policy for the three actions; `false` when decided (denied
/// or unknown).
fn trust(p: &Payload<'_>, pair: &Pair<'_>, exported: &Role, step: &mut Step) -> bool {
    let policy = match exported.trust() {
        None => {
            let name = pair.role.rsplit('/').next().unwrap_or(pair.role);
            step.unknown(
                format!("the export has no trust policy for {}", pair.role),
                Some(format!("aws iam get-role --role-name {name}")),
            );
            return false;
        }
        Some(Err(e)) => {
            step.unknown(e.clone(), None);
            return false;
        }
        Some(Ok(policy)) => policy,
    };
    let (_, request) = p.request_for(pair.provider);
    let transitive = p.keys.keys.contains_key("sts:TransitiveTagKeys");
    let actions = [
        ("sts:AssumeRoleWithSAML", None, true),
        (
            "sts:TagSession",
            Some(&rules::trust_policy_tag_session_denied::META),
            !p.keys.tags.is_empty() || transitive,
        ),
        (
            "sts:SetSourceIdentity",
            Some(&rules::trust_policy_source_identity_denied::META),
            p.keys.source_identity.is_some(),
        ),
    ];
    let asked = actions.iter().filter(|(.., asked)| *asked);
    let mut names = [""; 3];
    let mut n = 0;
    for ((name, ..), slot) in asked.clone().zip(&mut names) {
        *slot = name;
        n += 1;
    }
    let names = names.get(..n).unwrap_or_default();
    // The actions asked depend on the payload only, so one policy and provider
    // decide the same for every pair.
    let shared = exported.trust_policy.as_ref().map(std::sync::Arc::as_ptr);
    let known = p.decided.borrow().iter().find_map(|d| {
        (shared == Some(d.policy) && d.provider == pair.provider).then(|| d.decisions.clone())
    });
    let decisions = known.unwrap_or_else(|| {
        let decisions = policy.decide_each(pair.provider, names, &request);
        if let Some(policy) = shared {
            p.decided.borrow_mut().push(Decided {
                policy,
                provider: pair.provider.to_owned(),
                decisions: decisions.clone(),
            });
        }
        decisions
    });
    for (&(action, extra, _), decision) in asked.zip(decisions) {
        let not_allowed = |what: String| format!("{action} is not allowed: {what}");
        match decision {
            Decision::Allowed { statement } => {
                if action == "sts:AssumeRoleWithSAML" {
                    step.outcome.statement = Some(statement);
                }
            }
            Decision::Denied { statement } => {
                let rule = extra.unwrap_or(&rules::trust_policy_explicit_deny::META);
                step.deny(
                    rule,
                    Some(statement.clone()),
                    format!(
                        "statement {} denies {action} for {}",
                        named(&statement),
                        pair.provider
                    ),
                );
                return false;
            }
            Decision::NoStatement => {
                let rule = extra.unwrap_or(&rules::trust_policy_principal_missing::META);
                step.deny(
                    rule,
                    None,
                    not_allowed(format!(
                        "no Allow statement names Federated {} for it",
                        pair.provider
                    )),
                );
                return false;
            }
            Decision::ConditionFailed(f) => {
                let rule = extra.unwrap_or(&rules::trust_policy_condition_failed::META);
                let detail = if extra.is_some() {
                    not_allowed(describe_failed(&f))
                } else {
                    describe_failed(&f)
                };
                step.deny(rule, Some(f.statement.clone()), detail);
                step.outcome.condition = Some(f);
                return false;
            }
            Decision::Unknown { statement, key } => {
                step.outcome.statement = Some(statement.clone());
                let why = p
                    .keys
                    .uncertain
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(&key))
                    .map_or("which cannot be known offline", |(_, why)| why.as_str());
                step.unknown(
                    format!(
                        "{action}: statement {} tests {key}: {why}",
                        named(&statement)
                    ),
                    None,
                );
                return false;
            }
        }
    }
    true
}

fn session(p: &Payload<'_>, role: &Role, step: &mut Step) {
    let requested = p.keys.session_duration.unwrap_or(DEFAULT_SESSION);
    let max = role.max_session_duration.unwrap_or_else(|| {
        step.note(&format!(
            "the export has no MaxSessionDuration for the role (get-account-authorization-details omits it); IAM's default {DEFAULT_SESSION} s assumed"
        ));
        DEFAULT_SESSION
    });
    if p.keys.session_duration.is_some() && requested > max {
        step.findings.push(
            Finding::new(
                &rules::session_duration_over_role_max::META,
                format!(
                    "{}: SessionDuration is {requested} s but the role's MaxSessionDuration is {max} s; the console honours it, CLI/SDK tools that pass it as DurationSeconds fail",
                    step.outcome.role_arn
                ),
            )
            .at(step.span(), format!("over {max}")),
        );
    }
    // The console session: SessionDuration, cut short by SessionNotOnOrAfter.
    let got = p
        .keys
        .session_limit
        .and_then(|l| u64::try_from(l.max(0)).ok())
        .map_or(requested, |l| l.min(requested));
    step.outcome.outcome = Outcome::Allowed;
    step.outcome.session_duration = Some(got);
    step.outcome.session_tags = std::sync::Arc::clone(p.session_tags.get_or_init(|| {
        std::sync::Arc::new(p.keys.tags.iter().cloned().collect::<BTreeMap<_, _>>())
    }));
    step.outcome
        .source_identity
        .clone_from(&p.keys.source_identity);
    step.outcome.detail = format!(
        "allowed by statement {}",
        step.outcome
            .statement
            .as_deref()
            .map_or_else(|| "?".to_owned(), named)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pair keys kept from one payload are reused only for the same Issuer,
    /// account and provider name.
    #[test]
    fn shared_pair_keys_follow_their_inputs() {
        let issued_by = |issuer: &str| SamlKeys {
            issuer: Some(issuer.to_owned()),
            ..SamlKeys::default()
        };
        let (a, b) = (
            issued_by("https://idp.example/a"),
            issued_by("https://idp.example/b"),
        );
        for (keys, account, name) in [
            (&a, "111111111111", "Okta"),
            (&a, "111111111111", "Okta"),
            (&b, "111111111111", "Okta"),
            (&b, "222222222222", "Okta"),
            (&b, "222222222222", "Entra"),
            (&a, "111111111111", "Okta"),
        ] {
            assert_eq!(
                *shared_pair_keys(keys, account, name),
                keys.pair_keys(account, name),
                "{:?} {account} {name}",
                keys.issuer
            );
        }
    }
}
