//! The lint stage: a registry of rules run over the assertion verification resolved.

pub(crate) mod arn;
pub(crate) mod aws;
pub(crate) mod common;
pub(crate) mod context;
pub(crate) mod expected;
pub(crate) mod finding;
pub(crate) mod flow;
pub(crate) mod idp;
pub(crate) mod metadata;
pub(crate) mod okta;
pub(crate) mod overrides;
pub(crate) mod profile;
pub mod registry;
pub(crate) mod role_value;
pub(crate) mod rule;
pub(crate) mod rules;
pub(crate) mod session_name;
pub mod signature;
pub(crate) mod tags;
pub(crate) mod timecheck;

#[cfg(test)]
mod tests;

pub use context::{Ctx, Encrypted, NowSource, RoleChecks};
pub use expected::Expected;
pub use finding::{Finding, Label};
pub use idp::{Idp, IdpKind};
pub use registry::{RULES, Rule};
pub use rule::{IdpFix, Profile, RuleMeta, Severity};

/// What AWS shows when it documents nothing more specific (RULES.md "generic").
pub const GENERIC_AWS_ERROR: &str = "Your request included an invalid SAML response. To logout, click here. (IAM Identity Center: An unexpected error has occurred)";
