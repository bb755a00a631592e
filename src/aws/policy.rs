//! A trust policy, evaluated as IAM evaluates one for `sts:AssumeRoleWithSAML`,
//! `sts:TagSession` and `sts:SetSourceIdentity`: explicit Deny wins, then an Allow
//! whose Principal, Action and every Condition match.
//!
//! Only what a role trust policy can hold is read; a trust policy names no Resource.
//! The evaluator is small on purpose: the Rust IAM crates evaluate identity
//! policies with their own request models, and none documents the SAML keys or the
//! per-operator rules for absent and multi-valued keys that a trust policy relies on.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use serde_json::Value;

/// A parsed trust policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub statements: Vec<Statement>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

/// A statement as messages name it: `"Sid"` quoted, or `#n` (1-based index).
pub(crate) fn named(label: &str) -> String {
    if label.starts_with('#') {
        label.to_owned()
    } else {
        format!("\"{label}\"")
    }
}

/// One statement, with its Sid or its index (`#n`) for messages.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub label: String,
    pub effect: Effect,
    pub principal: Principals,
    pub actions: Actions,
    pub conditions: Vec<Condition>,
}

/// `Principal` or `NotPrincipal`, as the federated ARNs it names (`*` for any).
#[derive(Debug, Clone, PartialEq)]
pub enum Principals {
    /// `Principal`: a Federated principal among these, or `*`.
    Only(Vec<String>),
    /// `NotPrincipal`: any principal but these.
    AllBut(Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Actions {
    Only(Vec<String>),
    AllBut(Vec<String>),
}

/// One operator, key and its values from a `Condition` block.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// As written (`ForAnyValue:StringLikeIfExists`).
    pub operator: String,
    pub key: String,
    pub values: Vec<String>,
    /// `operator` read once; `None` for one samlint does not know (and `Null`).
    parsed: Option<Operator>,
}

impl Condition {
    pub fn new(operator: String, key: String, values: Vec<String>) -> Condition {
        Condition {
            parsed: self::operator(&operator),
            operator,
            key,
            values,
        }
    }
}

/// The request context: condition keys to their values, names compared without
/// case. A key absent from it is absent from the request; a key in `unknown` may or
/// may not be present and its value cannot be computed offline.
///
/// A request holds a dozen keys: a scan without allocation beats hashing a
/// lowercased copy of each key looked up, and the keys computed from the assertion
/// are borrowed, not copied, into each provider's request (measured with
/// `scripts/bench-aws`).
#[derive(Debug, Clone, Default)]
pub struct Request<'k> {
    keys: Vec<(Cow<'k, str>, Cow<'k, [String]>)>,
    /// Keys shared by the payloads of one Issuer and provider (`SAML:doc`,
    /// `SAML:namequalifier`), looked up after `keys`.
    pub shared: Option<std::rc::Rc<super::context_keys::ContextKeys>>,
    /// Set for a request to STS, at this time: `aws:CurrentTime`, `aws:EpochTime`
    /// and `aws:SecureTransport` (`true`), written out only when a condition asks
    /// for them (most trust policies never do).
    pub now: Option<DateTime<Utc>>,
    sts_keys: std::cell::OnceCell<[Vec<String>; 3]>,
    /// Keys that may or may not be present and cannot be computed offline: names
    /// compared without case, a trailing `*` standing for any suffix. Three lists,
    /// borrowed where they can be: these,
    pub unknown: Vec<Cow<'static, str>>,
    /// the keys no offline request can know (`aws:SourceIp`, ...),
    pub unknowable: &'static [&'static str],
    /// and the keys an attribute gives when IAM does not document how (with why).
    pub unknown_also: &'k [(&'static str, String)],
}

impl<'k> Request<'k> {
    /// Sets `key`, replacing its values if it is set.
    pub fn set(&mut self, key: &str, values: Vec<String>) {
        match self
            .keys
            .iter_mut()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
        {
            Some((_, v)) => *v = Cow::Owned(values),
            None => self
                .keys
                .push((Cow::Owned(key.to_owned()), Cow::Owned(values))),
        }
    }

    /// Adds the keys of a map, borrowed, to an empty request: a map's keys are
    /// distinct, so none replaces another.
    pub fn borrow_all(&mut self, keys: &'k super::context_keys::ContextKeys) {
        debug_assert!(self.keys.is_empty());
        self.keys.extend(
            keys.iter()
                .map(|(k, v)| (Cow::Borrowed(k.as_ref()), Cow::Borrowed(v.as_slice()))),
        );
    }

    fn get(&self, key: &str) -> Lookup<'_> {
        if let Some((_, v)) = self.keys.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)) {
            return Lookup::Present(v);
        }
        if let Some(v) = self.shared.as_ref().and_then(|shared| {
            shared
                .iter()
                .find_map(|(k, v)| k.eq_ignore_ascii_case(key).then_some(v))
        }) {
            return Lookup::Present(v);
        }
        if let Some(now) = self.now {
            const STS_KEYS: [&str; 3] = ["aws:CurrentTime", "aws:EpochTime", "aws:SecureTransport"];
            if let Some(n) = STS_KEYS.iter().position(|k| k.eq_ignore_ascii_case(key)) {
                let values = self.sts_keys.get_or_init(|| {
                    [
                        vec![now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)],
                        vec![now.timestamp().to_string()],
                        vec!["true".to_owned()],
                    ]
                });
                return Lookup::Present(values.get(n).map_or(&[], Vec::as_slice));
            }
        }
        let named = |u: &str| match u.strip_suffix('*') {
            Some(prefix) => key
                .get(..prefix.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(prefix)),
            None => key.eq_ignore_ascii_case(u),
        };
        let unknown = self.unknown.iter().any(|u| named(u))
            || self.unknowable.iter().any(|u| named(u))
            || self.unknown_also.iter().any(|(u, _)| named(u));
        if unknown {
            Lookup::Unknown
        } else {
            Lookup::Absent
        }
    }
}

enum Lookup<'a> {
    Present(&'a [String]),
    Absent,
    Unknown,
}

/// The condition that failed a statement, with both values.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Failed {
    #[serde(skip)]
    pub statement: String,
    pub operator: String,
    pub key: String,
    pub expected: Vec<String>,
    /// The request's values; empty when the key is absent.
    pub actual: Vec<String>,
}

/// The answer for one action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Allowed by this statement.
    Allowed { statement: String },
    /// A Deny statement matches.
    Denied { statement: String },
    /// No Allow statement names this principal and action.
    NoStatement,
    /// Allow statements name the principal and action, and each fails a condition
    /// (the first failure of the first such statement).
    ConditionFailed(Failed),
    /// The answer depends on a key that cannot be known offline.
    Unknown { statement: String, key: String },
}

impl Policy {
    /// Reads a policy document (an object).
    ///
    /// # Errors
    /// A message naming what is not a policy.
    pub fn parse(doc: &Value) -> Result<Policy, String> {
        let stmts = match doc.get("Statement") {
            Some(Value::Array(a)) => a.iter().collect::<Vec<_>>(),
            Some(s @ Value::Object(_)) => vec![s],
            _ => return Err("no Statement".to_owned()),
        };
        let statements = stmts
            .into_iter()
            .enumerate()
            .map(|(i, s)| Statement::parse(i, s))
            .collect::<Result<_, _>>()?;
        Ok(Policy { statements })
    }

    /// Decides `action` for the SAML provider `provider` with `request`.
    pub fn decide(&self, provider: &str, action: &str, request: &Request<'_>) -> Decision {
        self.decide_in(provider, action, request, &mut [])
    }

    /// [`decide`](Self::decide) for each of `actions` against one request, each
    /// statement's conditions evaluated once for all of them (a pair asks for
    /// `sts:AssumeRoleWithSAML`, then `sts:TagSession`, under the same statement).
    pub fn decide_each(
        &self,
        provider: &str,
        actions: &[&str],
        request: &Request<'_>,
    ) -> Vec<Decision> {
        let mut memo = vec![None; self.statements.len()];
        actions
            .iter()
            .map(|a| self.decide_in(provider, a, request, &mut memo))
            .collect()
    }

    /// `memo[i]` keeps what statement `i`'s conditions gave; an empty `memo` keeps
    /// nothing.
    fn decide_in(
        &self,
        provider: &str,
        action: &str,
        request: &Request<'_>,
        memo: &mut [Option<Holds>],
    ) -> Decision {
        let mut holds = |i: usize, s: &Statement| match memo.get_mut(i) {
            Some(slot) => slot
                .get_or_insert_with(|| s.conditions_hold(request))
                .clone(),
            None => s.conditions_hold(request),
        };
        let applies = |effect: Effect| {
            self.statements.iter().enumerate().filter(move |(_, s)| {
                s.effect == effect && s.principal.matches(provider) && s.actions.matches(action)
            })
        };
        let mut unknown = None;
        // Explicit Deny first: one that matches wins over any Allow.
        for (i, s) in applies(Effect::Deny) {
            match holds(i, s) {
                Holds::Yes => {
                    return Decision::Denied {
                        statement: s.label.clone(),
                    };
                }
                Holds::Unknown(key) => {
                    unknown.get_or_insert((s.label.clone(), key));
                }
                Holds::No(_) => {}
            }
        }
        let mut failed = None;
        let mut allowed = None;
        for (i, s) in applies(Effect::Allow) {
            match holds(i, s) {
                Holds::Yes => {
                    allowed.get_or_insert_with(|| s.label.clone());
                }
                Holds::Unknown(key) => {
                    unknown.get_or_insert((s.label.clone(), key));
                }
                Holds::No(f) => {
                    failed.get_or_insert(f);
                }
            }
        }
        // A Deny that may apply leaves an Allow undecided; an Allow that may apply
        // leaves a failed one undecided.
        match (allowed, unknown, failed) {
            (_, Some((statement, key)), _) => Decision::Unknown { statement, key },
            (Some(statement), None, _) => Decision::Allowed { statement },
            (None, None, Some(f)) => Decision::ConditionFailed(f),
            (None, None, None) => Decision::NoStatement,
        }
    }
}

#[derive(Clone)]
enum Holds {
    Yes,
    No(Failed),
    Unknown(String),
}

fn strings(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::String(s) => Some(vec![s.clone()]),
        Value::Bool(b) => Some(vec![b.to_string()]),
        Value::Number(n) => Some(vec![n.to_string()]),
        Value::Array(a) => a
            .iter()
            .map(|x| match x {
                Value::String(s) => Some(s.clone()),
                Value::Bool(b) => Some(b.to_string()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

impl Statement {
    fn parse(i: usize, s: &Value) -> Result<Statement, String> {
        let label = match s.get("Sid").and_then(Value::as_str) {
            Some(sid) if !sid.is_empty() => sid.to_owned(),
            _ => format!("#{}", i + 1),
        };
        let bad = |what: &str| format!("statement {}: {what}", named(&label));
        let effect = match s.get("Effect").and_then(Value::as_str) {
            Some("Allow") => Effect::Allow,
            Some("Deny") => Effect::Deny,
            _ => return Err(bad("Effect is neither Allow nor Deny")),
        };
        let principal = match (s.get("Principal"), s.get("NotPrincipal")) {
            (Some(p), None) => Principals::Only(federated(p).ok_or_else(|| bad("bad Principal"))?),
            (None, Some(p)) => {
                Principals::AllBut(federated(p).ok_or_else(|| bad("bad NotPrincipal"))?)
            }
            _ => return Err(bad("needs one Principal or NotPrincipal")),
        };
        let actions = match (s.get("Action"), s.get("NotAction")) {
            (Some(a), None) => Actions::Only(strings(a).ok_or_else(|| bad("bad Action"))?),
            (None, Some(a)) => Actions::AllBut(strings(a).ok_or_else(|| bad("bad NotAction"))?),
            _ => return Err(bad("needs one Action or NotAction")),
        };
        let mut conditions = Vec::new();
        if let Some(c) = s.get("Condition") {
            let ops = c
                .as_object()
                .ok_or_else(|| bad("Condition is not an object"))?;
            for (op, keys) in ops {
                let keys = keys
                    .as_object()
                    .ok_or_else(|| bad(&format!("{op} is not an object of keys")))?;
                for (key, values) in keys {
                    conditions.push(Condition::new(
                        op.clone(),
                        key.clone(),
                        strings(values)
                            .ok_or_else(|| bad(&format!("{op} {key}: values are not strings")))?,
                    ));
                }
            }
        }
        Ok(Statement {
            label,
            effect,
            principal,
            actions,
            conditions,
        })
    }

    fn conditions_hold(&self, request: &Request<'_>) -> Holds {
        let mut unknown = None;
        for c in &self.conditions {
            match c.evaluate(request) {
                Some(true) => {}
                Some(false) => {
                    return Holds::No(Failed {
                        statement: self.label.clone(),
                        operator: c.operator.clone(),
                        key: c.key.clone(),
                        expected: c.values.clone(),
                        actual: match request.get(&c.key) {
                            Lookup::Present(v) => v.to_vec(),
                            _ => Vec::new(),
                        },
                    });
                }
                None => {
                    unknown.get_or_insert_with(|| c.key.clone());
                }
            }
        }
        unknown.map_or(Holds::Yes, Holds::Unknown)
    }
}

/// The principals a `Principal` names for SAML federation: `*` for any principal,
/// else the `Federated` values (other principal types name no SAML provider).
fn federated(p: &Value) -> Option<Vec<String>> {
    match p {
        Value::String(s) if s == "*" => Some(vec!["*".to_owned()]),
        Value::Object(o) => {
            let mut out = Vec::new();
            for (kind, v) in o {
                let vals = strings(v)?;
                if kind == "Federated" {
                    out.extend(vals);
                } else if kind == "AWS" && vals.iter().any(|v| v == "*") {
                    // `{"AWS": "*"}` is the same as `"*"`.
                    out.push("*".to_owned());
                }
            }
            Some(out)
        }
        _ => None,
    }
}

impl Principals {
    fn matches(&self, provider: &str) -> bool {
        let named = |list: &[String]| list.iter().any(|p| p == "*" || p == provider);
        match self {
            Principals::Only(list) => named(list),
            Principals::AllBut(list) => !named(list),
        }
    }
}

impl Actions {
    fn matches(&self, action: &str) -> bool {
        // Action names are case-insensitive; `*` and `?` are wildcards.
        let named = |list: &[String]| list.iter().any(|a| glob(a, action, true));
        match self {
            Actions::Only(list) => named(list),
            Actions::AllBut(list) => !named(list),
        }
    }
}

/// `*` (any run) and `?` (one character) glob, linear in practice.
pub(crate) fn glob(pattern: &str, text: &str, ignore_case: bool) -> bool {
    if memchr::memchr2(b'*', b'?', pattern.as_bytes()).is_none() {
        return if ignore_case {
            if pattern.is_ascii() && text.is_ascii() {
                pattern.eq_ignore_ascii_case(text)
            } else {
                pattern.to_lowercase() == text.to_lowercase()
            }
        } else {
            pattern == text
        };
    }
    if pattern.is_ascii() && text.is_ascii() {
        // `*suffix` and `prefix*`, the usual trust-policy shapes (`*@example.com`),
        // need no matcher.
        let fixed = |p: &str, t: &str| {
            if ignore_case {
                p.eq_ignore_ascii_case(t)
            } else {
                p == t
            }
        };
        let rest = &pattern[1..];
        if pattern.starts_with('*') && memchr::memchr2(b'*', b'?', rest.as_bytes()).is_none() {
            return text.len() >= rest.len() && fixed(rest, &text[text.len() - rest.len()..]);
        }
        let head = &pattern[..pattern.len() - 1];
        if pattern.ends_with('*') && memchr::memchr2(b'*', b'?', head.as_bytes()).is_none() {
            return text.len() >= head.len() && fixed(head, &text[..head.len()]);
        }
        let eq = |a: u8, b: u8| {
            if ignore_case {
                a.eq_ignore_ascii_case(&b)
            } else {
                a == b
            }
        };
        return glob_units(pattern.as_bytes(), text.as_bytes(), eq, b'*', b'?');
    }
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let eq = |a: char, b: char| {
        if ignore_case {
            a.to_lowercase().eq(b.to_lowercase())
        } else {
            a == b
        }
    };
    glob_units(&p, &t, eq, '*', '?')
}

/// [`glob`] over units: bytes for ASCII (no allocation), else characters.
fn glob_units<U: Copy + PartialEq>(
    p: &[U],
    t: &[U],
    eq: impl Fn(U, U) -> bool,
    any: U,
    one: U,
) -> bool {
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == one || (p[pi] != any && eq(p[pi], t[ti]))) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == any {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == any)
}

/// How a set of request values is tested.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SetOp {
    Single,
    AnyValue,
    AllValues,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Base {
    StringEquals,
    StringEqualsIgnoreCase,
    StringLike,
    NumericEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    ArnLike,
}

/// An operator split into its parts: `ForAnyValue:` / `ForAllValues:`, the base
/// comparison, whether it is negated (`StringNotEquals`), and `IfExists`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Operator {
    set: SetOp,
    base: Base,
    negated: bool,
    if_exists: bool,
}

fn operator(name: &str) -> Option<Operator> {
    let (set, rest) = if let Some(r) = name.strip_prefix("ForAnyValue:") {
        (SetOp::AnyValue, r)
    } else if let Some(r) = name.strip_prefix("ForAllValues:") {
        (SetOp::AllValues, r)
    } else {
        (SetOp::Single, name)
    };
    let (rest, if_exists) = match rest.strip_suffix("IfExists") {
        Some(r) => (r, true),
        None => (rest, false),
    };
    let (base, negated) = match rest {
        "StringEquals" => (Base::StringEquals, false),
        "StringNotEquals" => (Base::StringEquals, true),
        "StringEqualsIgnoreCase" => (Base::StringEqualsIgnoreCase, false),
        "StringNotEqualsIgnoreCase" => (Base::StringEqualsIgnoreCase, true),
        "StringLike" => (Base::StringLike, false),
        "StringNotLike" => (Base::StringLike, true),
        "NumericEquals" => (Base::NumericEquals, false),
        "NumericNotEquals" => (Base::NumericEquals, true),
        "NumericLessThan" => (Base::NumericLessThan, false),
        "NumericLessThanEquals" => (Base::NumericLessThanEquals, false),
        "NumericGreaterThan" => (Base::NumericGreaterThan, false),
        "NumericGreaterThanEquals" => (Base::NumericGreaterThanEquals, false),
        "DateEquals" => (Base::DateEquals, false),
        "DateNotEquals" => (Base::DateEquals, true),
        "DateLessThan" => (Base::DateLessThan, false),
        "DateLessThanEquals" => (Base::DateLessThanEquals, false),
        "DateGreaterThan" => (Base::DateGreaterThan, false),
        "DateGreaterThanEquals" => (Base::DateGreaterThanEquals, false),
        "Bool" => (Base::Bool, false),
        "BinaryEquals" => (Base::BinaryEquals, false),
        "IpAddress" => (Base::IpAddress, false),
        "NotIpAddress" => (Base::IpAddress, true),
        "ArnEquals" | "ArnLike" => (Base::ArnLike, false),
        "ArnNotEquals" | "ArnNotLike" => (Base::ArnLike, true),
        _ => return None,
    };
    Some(Operator {
        set,
        base,
        negated,
        if_exists,
    })
}

impl Condition {
    /// `Some(holds)`, or `None` when it depends on a key that cannot be known
    /// (or the operator is one samlint does not know).
    pub fn evaluate(&self, request: &Request<'_>) -> Option<bool> {
        let found = request.get(&self.key);
        if self.operator == "Null" {
            // `"true"`: the key must be absent; `"false"`: present.
            let want_absent = self.values.iter().any(|v| v.eq_ignore_ascii_case("true"));
            return match found {
                Lookup::Unknown => None,
                Lookup::Present(v) => Some(!want_absent && !v.is_empty()),
                Lookup::Absent => Some(want_absent),
            };
        }
        let op = self.parsed?;
        let actual: &[String] = match found {
            Lookup::Unknown => return None,
            Lookup::Present(v) => v,
            Lookup::Absent => &[],
        };
        let values = substitute(&self.values, request);
        if actual.is_empty() {
            // Absent key (IAM: "the values do not match"): IfExists holds;
            // ForAllValues holds (no value fails); ForAnyValue fails (no value
            // matches); a single-valued negated operator holds.
            return Some(match op.set {
                _ if op.if_exists => true,
                SetOp::AllValues => true,
                SetOp::AnyValue => false,
                SetOp::Single => op.negated,
            });
        }
        // `matches(v)`: this request value equals (is like ...) one of the policy
        // values; negated operators hold when it matches none.
        let matches = |v: &str| values.iter().any(|p| compare(op.base, v, p));
        let holds_for = |v: &str| matches(v) != op.negated;
        Some(match op.set {
            // A key with several values and no set operator behaves as ForAnyValue
            // for a positive operator and as "none matches" for a negated one.
            SetOp::Single if op.negated => actual.iter().all(|v| holds_for(v)),
            SetOp::Single | SetOp::AnyValue => actual.iter().any(|v| holds_for(v)),
            SetOp::AllValues => actual.iter().all(|v| holds_for(v)),
        })
    }
}

/// Whether `v` holds a `${`: a byte scan, since this runs for every condition of
/// every pair and a `str` pattern search sets up a searcher each time.
fn has_variable(v: &str) -> bool {
    memchr::memchr_iter(b'$', v.as_bytes()).any(|i| v.as_bytes().get(i + 1) == Some(&b'{'))
}

/// Policy variables in condition values: `${saml:sub}`, and `${*}`, `${?}`,
/// `${$}` for the literal characters.
fn substitute<'a>(values: &'a [String], request: &Request<'_>) -> Cow<'a, [String]> {
    if !values.iter().any(|v| has_variable(v)) {
        return Cow::Borrowed(values);
    }
    let substituted = values
        .iter()
        .map(|v| {
            if !has_variable(v) {
                return v.clone();
            }
            let mut out = String::with_capacity(v.len());
            let mut rest = v.as_str();
            while let Some(i) = rest.find("${") {
                out.push_str(&rest[..i]);
                let after = &rest[i + 2..];
                let Some(end) = after.find('}') else {
                    out.push_str(&rest[i..]);
                    rest = "";
                    break;
                };
                let inner = &after[..end];
                let (name, default) = match inner.split_once(',') {
                    Some((n, d)) => (n.trim(), Some(d.trim().trim_matches('\'').to_owned())),
                    None => (inner.trim(), None),
                };
                match name {
                    "*" | "?" | "$" => out.push_str(name),
                    _ => match request.get(name) {
                        Lookup::Present(vals) if vals.len() == 1 => out.push_str(&vals[0]),
                        // A missing (or multi-valued) variable matches nothing.
                        _ => {
                            if let Some(d) = default {
                                out.push_str(&d);
                            } else {
                                out.push('\u{0}');
                            }
                        }
                    },
                }
                rest = &after[end + 1..];
            }
            out.push_str(rest);
            out
        })
        .collect();
    Cow::Owned(substituted)
}

fn compare(base: Base, actual: &str, policy: &str) -> bool {
    match base {
        // BinaryEquals compares the base64 text as given.
        Base::StringEquals | Base::BinaryEquals => actual == policy,
        Base::StringEqualsIgnoreCase => actual.to_lowercase() == policy.to_lowercase(),
        Base::StringLike => glob(policy, actual, false),
        Base::NumericEquals
        | Base::NumericLessThan
        | Base::NumericLessThanEquals
        | Base::NumericGreaterThan
        | Base::NumericGreaterThanEquals => {
            let (Ok(a), Ok(p)) = (actual.trim().parse::<f64>(), policy.trim().parse::<f64>())
            else {
                return false;
            };
            ordered(base, a.partial_cmp(&p))
        }
        Base::DateEquals
        | Base::DateLessThan
        | Base::DateLessThanEquals
        | Base::DateGreaterThan
        | Base::DateGreaterThanEquals => {
            let (Some(a), Some(p)) = (date(actual), date(policy)) else {
                return false;
            };
            ordered(base, Some(a.cmp(&p)))
        }
        Base::Bool => actual.eq_ignore_ascii_case(policy),
        Base::IpAddress => false,
        Base::ArnLike => arn_like(policy, actual),
    }
}

fn ordered(base: Base, o: Option<std::cmp::Ordering>) -> bool {
    use std::cmp::Ordering::{Equal, Greater, Less};
    matches!(
        (base, o),
        (Base::NumericEquals | Base::DateEquals, Some(Equal))
            | (Base::NumericLessThan | Base::DateLessThan, Some(Less))
            | (
                Base::NumericLessThanEquals | Base::DateLessThanEquals,
                Some(Less | Equal)
            )
            | (
                Base::NumericGreaterThan | Base::DateGreaterThan,
                Some(Greater)
            )
            | (
                Base::NumericGreaterThanEquals | Base::DateGreaterThanEquals,
                Some(Greater | Equal)
            )
    )
}

/// ISO 8601 (RFC 3339 or a date) or epoch seconds.
fn date(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
    }
    if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S") {
        return Some(t.and_utc());
    }
    s.parse::<i64>()
        .ok()
        .and_then(|n| DateTime::from_timestamp(n, 0))
}

/// `ArnLike`: each of the six colon-separated parts matched on its own, with `*`
/// and `?` (case-sensitive); the last part keeps its colons.
fn arn_like(pattern: &str, arn: &str) -> bool {
    let p: Vec<&str> = pattern.splitn(6, ':').collect();
    let a: Vec<&str> = arn.splitn(6, ':').collect();
    p.len() == 6 && a.len() == 6 && p.iter().zip(&a).all(|(p, a)| glob(p, a, false))
}

#[cfg(test)]
mod tests;
