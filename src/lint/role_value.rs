//! The role checks of RULES.md section 6 that need only a Role value and the expected
//! context, run once per Role value: the context keeps what they say for the role
//! rules (each rule's file says so), and `samlint okta-map` shows it per mapping.

use super::arn::{closest, parse_role_pair};
use super::expected::Expected;
use super::rule::RuleMeta;
use super::rules::{
    role_arn_whitespace, role_pair_malformed, role_provider_account_mismatch,
    role_provider_unknown, role_reserved_sso, role_unknown,
};

/// One problem with a Role value, named by the rule that reports it.
#[derive(Debug, Clone)]
pub struct RoleFinding {
    /// The rule (`role-pair-malformed`, ...).
    pub rule: &'static RuleMeta,
    pub message: String,
}

/// Runs the role checks of RULES.md section 6 that need only the value and the expected
/// context: `role-pair-malformed`, `role-arn-whitespace`, `role-provider-account-mismatch`,
/// `role-reserved-sso`, `role-provider-unknown`, `role-unknown`.
pub(crate) fn check_role_value(value: &str, expected: &Expected) -> Vec<RoleFinding> {
    let mut out = Vec::new();
    let mut push =
        |rule: &'static RuleMeta, message: String| out.push(RoleFinding { rule, message });
    let pair = match parse_role_pair(value) {
        Ok(p) => p,
        Err(e) => {
            push(&role_pair_malformed::META, e.to_string());
            return out;
        }
    };
    if pair.whitespace {
        push(
            &role_arn_whitespace::META,
            "the Role value has whitespace around an ARN or next to the comma".to_owned(),
        );
    }
    if pair.role.account != pair.provider.account {
        push(
            &role_provider_account_mismatch::META,
            format!(
                "the role is in account {} but the SAML provider is in account {}",
                pair.role.account, pair.provider.account
            ),
        );
    }
    if pair.role.name.starts_with("AWSReservedSSO_")
        || pair
            .role
            .path
            .starts_with("/aws-reserved/sso.amazonaws.com/")
    {
        push(
            &role_reserved_sso::META,
            format!(
                "'{}' is an IAM Identity Center permission-set role; AssumeRoleWithSAML does not work on it",
                pair.role.name
            ),
        );
    }
    if !expected.saml_providers.is_empty()
        && !expected
            .saml_providers
            .iter()
            .any(|p| p == pair.provider.arn)
    {
        let near = closest(
            pair.provider.arn,
            expected.saml_providers.iter().map(String::as_str),
        )
        .map_or(String::new(), |c| format!("; closest: {c}"));
        push(
            &role_provider_unknown::META,
            format!(
                "SAML provider {} is not one of the configured providers{near}",
                pair.provider.arn
            ),
        );
    }
    if !expected.roles.is_empty() && !expected.roles.contains(pair.role.arn) {
        let case = expected
            .roles
            .iter()
            .find(|r| r.eq_ignore_ascii_case(pair.role.arn))
            .map_or(String::new(), |r| {
                format!("; {r} differs only in case, and role names are case-sensitive")
            });
        push(
            &role_unknown::META,
            format!(
                "role {} is not one of the configured roles{case}",
                pair.role.arn
            ),
        );
    } else if !expected.accounts.is_empty()
        && !expected.accounts.iter().any(|a| a == pair.role.account)
    {
        push(
            &role_unknown::META,
            format!(
                "role {} is in account {}, which is not one of the configured accounts",
                pair.role.arn, pair.role.account
            ),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROLE: &str = "arn:aws:iam::123456789012:role/Admin";
    const PROVIDER: &str = "arn:aws:iam::123456789012:saml-provider/Okta";

    #[test]
    fn context_checks() {
        let expected = Expected {
            saml_providers: vec!["arn:aws:iam::123456789012:saml-provider/OktaProd".to_owned()],
            ..Expected::default()
        };
        let f = check_role_value(
            &format!("arn:aws:iam::999999999999:saml-provider/Okta,{ROLE}"),
            &expected,
        );
        let rules: Vec<&str> = f.iter().map(|f| f.rule.id).collect();
        assert_eq!(
            rules,
            ["role-provider-account-mismatch", "role-provider-unknown"]
        );
        assert!(
            f[1].message
                .contains("closest: arn:aws:iam::123456789012:saml-provider/OktaProd")
        );
        let sso = check_role_value(
            &format!(
                "{PROVIDER},arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_1"
            ),
            &Expected::default(),
        );
        assert_eq!(sso[0].rule.code, role_reserved_sso::META.code);
    }
}
