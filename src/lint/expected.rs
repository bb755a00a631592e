//! The expected AWS context the role and destination rules compare against. Plain data:
//! uses nothing else of `lint`, so `arn` and `context` can both read it.

use serde::{Deserialize, Serialize};

/// Expected AWS context (`[context]` in samlint.toml, or flags). Only the rules that
/// name a field use it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Expected {
    pub saml_providers: Vec<String>,
    pub accounts: Vec<String>,
    /// A set: filled from an export, it holds every role of the account, and each
    /// Role pair of each payload is looked up in it.
    pub roles: std::collections::BTreeSet<String>,
    pub max_session_duration: Option<u64>,
    pub acs_url: Option<String>,
    pub audience: Option<String>,
    pub ic_usernames: Vec<String>,
}
