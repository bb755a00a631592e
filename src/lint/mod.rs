//! The lint stage: a registry of rules run over the assertion verification resolved.

pub mod arn;
pub mod aws;
pub mod common;
pub mod context;
pub mod expected;
pub mod finding;
pub mod flow;
pub mod idp;
pub mod metadata;
pub mod okta;
pub mod overrides;
pub mod profile;
pub mod registry;
pub mod role_value;
pub mod rule;
pub mod rules;
pub mod session_name;
pub mod signature;
pub mod tags;
pub mod timecheck;

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
