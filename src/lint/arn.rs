//! ARN parsing for the Role attribute (RULES.md "Reference values" and section 6).
//! Shared by the role rules and `samlint okta-map`, so both judge a Role value the same way.

use std::sync::LazyLock;

use regex::Regex;

use super::context::Expected;

/// `ROLE_ARN` of RULES.md.
pub static ROLE_ARN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^arn:(aws|aws-us-gov|aws-cn):iam::([0-9]{12}):role/([\x21-\x2B\x2D-\x7E]+/)?[A-Za-z0-9_+=.@-]{1,64}$")
        .unwrap_or_else(|e| unreachable!("ROLE_ARN: {e}"))
});

/// `PROVIDER_ARN` of RULES.md.
pub static PROVIDER_ARN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^arn:(aws|aws-us-gov|aws-cn):iam::([0-9]{12}):saml-provider/[A-Za-z0-9_.-]{1,128}$",
    )
    .unwrap_or_else(|e| unreachable!("PROVIDER_ARN: {e}"))
});

/// ARN length limits (characters).
pub const ARN_MIN: usize = 20;
pub const ARN_MAX: usize = 2048;
/// Longest role path, `/` included.
pub const ROLE_PATH_MAX: usize = 512;

/// A role ARN that matches `ROLE_ARN`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleArn {
    pub arn: String,
    pub partition: String,
    pub account: String,
    /// `/` when the role has no path, else the path with its slashes (`/team/`).
    pub path: String,
    pub name: String,
}

/// A SAML provider ARN that matches `PROVIDER_ARN`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderArn {
    pub arn: String,
    pub partition: String,
    pub account: String,
    pub name: String,
}

fn length_ok(s: &str) -> bool {
    (ARN_MIN..=ARN_MAX).contains(&s.chars().count())
}

/// Parses a role ARN.
pub fn parse_role_arn(s: &str) -> Option<RoleArn> {
    let caps = ROLE_ARN.captures(s)?;
    if !length_ok(s) {
        return None;
    }
    let path = caps.get(3).map_or("", |m| m.as_str());
    if path.chars().count() + 1 > ROLE_PATH_MAX {
        return None;
    }
    let resource = s.split_once(":role/").map_or("", |(_, r)| r);
    let name = resource.rsplit('/').next().unwrap_or(resource);
    Some(RoleArn {
        arn: s.to_owned(),
        partition: caps[1].to_owned(),
        account: caps[2].to_owned(),
        path: format!("/{path}"),
        name: name.to_owned(),
    })
}

/// Parses a SAML provider ARN.
pub fn parse_provider_arn(s: &str) -> Option<ProviderArn> {
    let caps = PROVIDER_ARN.captures(s)?;
    if !length_ok(s) {
        return None;
    }
    let name = s.split_once(":saml-provider/").map_or("", |(_, n)| n);
    Some(ProviderArn {
        arn: s.to_owned(),
        partition: caps[1].to_owned(),
        account: caps[2].to_owned(),
        name: name.to_owned(),
    })
}

/// A well-formed Role value: one role ARN and one provider ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RolePairParsed {
    pub role: RoleArn,
    pub provider: ProviderArn,
    /// AWS documents the role first; Okta sends the provider first. Both work.
    pub role_first: bool,
    /// Whitespace around the value or next to the comma (`role-arn-whitespace`).
    pub whitespace: bool,
}

/// Why a Role value is not a well-formed pair (`role-pair-malformed`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoleProblem {
    Empty,
    /// Not exactly two comma-separated parts.
    PartCount(usize),
    /// Two parts, but not one role ARN and one provider ARN; says what each part is.
    NotAPair {
        first: String,
        second: String,
    },
}

impl std::fmt::Display for RoleProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RoleProblem::Empty => f.write_str("the Role value is empty"),
            RoleProblem::PartCount(n) => write!(
                f,
                "the Role value has {n} comma-separated part{}, not 2 (a role ARN and a SAML provider ARN)",
                if *n == 1 { "" } else { "s" }
            ),
            RoleProblem::NotAPair { first, second } => {
                write!(f, "the first part {first}, the second {second}")
            }
        }
    }
}

/// Says what one part of a Role value is, for messages.
fn describe_part(part: &str) -> String {
    let shown = if part.chars().count() > 80 {
        format!("'{}…'", part.chars().take(80).collect::<String>())
    } else {
        format!("'{part}'")
    };
    if parse_role_arn(part).is_some() {
        return format!("{shown} is a role ARN");
    }
    if parse_provider_arn(part).is_some() {
        return format!("{shown} is a SAML provider ARN");
    }
    let why = if part.is_empty() {
        "is empty".to_owned()
    } else if let Some(rest) = part
        .strip_prefix("arn:aws:iam::")
        .or_else(|| part.strip_prefix("arn:aws-us-gov:iam::"))
        .or_else(|| part.strip_prefix("arn:aws-cn:iam::"))
    {
        let account: String = rest.chars().take_while(|c| *c != ':').collect();
        if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
            format!("has account '{account}', not 12 digits")
        } else if rest.contains(":role/") {
            "is not a valid role ARN (bad role name or path)".to_owned()
        } else if rest.contains(":saml-provider/") {
            "is not a valid SAML provider ARN (bad provider name)".to_owned()
        } else {
            "is neither a role nor a saml-provider ARN".to_owned()
        }
    } else if part.starts_with("arn:") {
        "is not an IAM ARN of the aws, aws-us-gov or aws-cn partition".to_owned()
    } else {
        "is not an ARN".to_owned()
    };
    format!("{shown} {why}")
}

/// Parses a Role attribute value: `provider,role` or `role,provider`, whitespace around
/// the ARNs removed (and reported in `whitespace`).
///
/// # Errors
/// The reason the value is not a well-formed pair.
pub fn parse_role_pair(value: &str) -> Result<RolePairParsed, RoleProblem> {
    if value.trim().is_empty() {
        return Err(RoleProblem::Empty);
    }
    let raw: Vec<&str> = value.split(',').collect();
    if raw.len() != 2 {
        return Err(RoleProblem::PartCount(raw.len()));
    }
    let whitespace = raw.iter().any(|p| p.trim() != *p);
    let (a, b) = (raw[0].trim(), raw[1].trim());
    let pair = match (parse_role_arn(a), parse_provider_arn(b)) {
        (Some(role), Some(provider)) => Some((role, provider, true)),
        _ => match (parse_role_arn(b), parse_provider_arn(a)) {
            (Some(role), Some(provider)) => Some((role, provider, false)),
            _ => None,
        },
    };
    match pair {
        Some((role, provider, role_first)) => Ok(RolePairParsed {
            role,
            provider,
            role_first,
            whitespace,
        }),
        None => Err(RoleProblem::NotAPair {
            first: describe_part(a),
            second: describe_part(b),
        }),
    }
}

/// One problem with a Role value, named by the rule that reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleFinding {
    /// The rule id (`role-pair-malformed`, ...).
    pub rule: &'static str,
    pub message: String,
}

/// The closest candidate by edit distance (for "did you mean").
pub fn closest<'a>(value: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(value, c), c))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Runs the role checks of RULES.md section 6 that need only the value and the expected
/// context: `role-pair-malformed`, `role-arn-whitespace`, `role-provider-account-mismatch`,
/// `role-reserved-sso`, `role-provider-unknown`, `role-unknown`.
pub fn check_role_value(value: &str, expected: &Expected) -> Vec<RoleFinding> {
    let mut out = Vec::new();
    let mut push = |rule: &'static str, message: String| out.push(RoleFinding { rule, message });
    let pair = match parse_role_pair(value) {
        Ok(p) => p,
        Err(e) => {
            push("role-pair-malformed", e.to_string());
            return out;
        }
    };
    if pair.whitespace {
        push(
            "role-arn-whitespace",
            "the Role value has whitespace around an ARN or next to the comma".to_owned(),
        );
    }
    if pair.role.account != pair.provider.account {
        push(
            "role-provider-account-mismatch",
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
            "role-reserved-sso",
            format!(
                "'{}' is an IAM Identity Center permission-set role; AssumeRoleWithSAML does not work on it",
                pair.role.name
            ),
        );
    }
    if !expected.saml_providers.is_empty() && !expected.saml_providers.contains(&pair.provider.arn)
    {
        let near = closest(
            &pair.provider.arn,
            expected.saml_providers.iter().map(String::as_str),
        )
        .map_or(String::new(), |c| format!("; closest: {c}"));
        push(
            "role-provider-unknown",
            format!(
                "SAML provider {} is not one of the configured providers{near}",
                pair.provider.arn
            ),
        );
    }
    if !expected.roles.is_empty() && !expected.roles.contains(&pair.role.arn) {
        let case = expected
            .roles
            .iter()
            .find(|r| r.eq_ignore_ascii_case(&pair.role.arn))
            .map_or(String::new(), |r| {
                format!("; {r} differs only in case, and role names are case-sensitive")
            });
        push(
            "role-unknown",
            format!(
                "role {} is not one of the configured roles{case}",
                pair.role.arn
            ),
        );
    } else if !expected.accounts.is_empty() && !expected.accounts.contains(&pair.role.account) {
        push(
            "role-unknown",
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
    fn pairs_parse_in_either_order() {
        let okta = parse_role_pair(&format!("{PROVIDER},{ROLE}")).unwrap_or_else(|e| panic!("{e}"));
        assert!(!okta.role_first);
        assert_eq!(okta.role.name, "Admin");
        assert_eq!(okta.provider.name, "Okta");
        let aws = parse_role_pair(&format!("{ROLE}, {PROVIDER}")).unwrap_or_else(|e| panic!("{e}"));
        assert!(aws.role_first && aws.whitespace);
    }

    #[test]
    fn paths_and_names() {
        let r =
            parse_role_arn("arn:aws:iam::123456789012:role/team/a/Dev").unwrap_or_else(|| panic!());
        assert_eq!((r.path.as_str(), r.name.as_str()), ("/team/a/", "Dev"));
        assert!(parse_role_arn("arn:aws:iam::12345678901:role/Admin").is_none());
        assert!(parse_provider_arn("arn:aws:iam::123456789012:saml-provider/Ok ta").is_none());
    }

    #[test]
    fn malformed_values_say_why() {
        assert_eq!(parse_role_pair(" "), Err(RoleProblem::Empty));
        assert_eq!(parse_role_pair(ROLE), Err(RoleProblem::PartCount(1)));
        let Err(e) = parse_role_pair(&format!("{ROLE},arn:aws:iam::1234:saml-provider/Okta"))
        else {
            panic!()
        };
        assert!(e.to_string().contains("not 12 digits"), "{e}");
    }

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
        let rules: Vec<&str> = f.iter().map(|f| f.rule).collect();
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
        assert_eq!(sso[0].rule, "role-reserved-sso");
    }
}
