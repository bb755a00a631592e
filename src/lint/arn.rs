//! Role and provider ARNs of the AWS `Role` attribute (RULES.md ROLE_ARN,
//! PROVIDER_ARN), and the Role pair they form.

use std::sync::LazyLock;

use regex::Regex;

#[allow(clippy::expect_used)] // constant pattern, checked by the tests below
static ROLE_ARN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^arn:(aws|aws-us-gov|aws-cn):iam::([0-9]{12}):role/([\x21-\x2B\x2D-\x7E]+/)?([A-Za-z0-9_+=.@-]{1,64})$",
    )
    .expect("ROLE_ARN is a valid pattern")
});

#[allow(clippy::expect_used)] // constant pattern, checked by the tests below
static PROVIDER_ARN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^arn:(aws|aws-us-gov|aws-cn):iam::([0-9]{12}):saml-provider/([A-Za-z0-9_.-]{1,128})$",
    )
    .expect("PROVIDER_ARN is a valid pattern")
});

/// ARN length limits, in characters.
const ARN_LEN: std::ops::RangeInclusive<usize> = 20..=2048;
const ROLE_PATH_MAX: usize = 512;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleArn<'a> {
    pub text: &'a str,
    pub partition: &'a str,
    pub account: &'a str,
    /// `/` or `/path/.../`.
    pub path: String,
    pub name: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderArn<'a> {
    pub text: &'a str,
    pub partition: &'a str,
    pub account: &'a str,
    pub name: &'a str,
}

pub fn parse_role(text: &str) -> Option<RoleArn<'_>> {
    if !ARN_LEN.contains(&text.chars().count()) {
        return None;
    }
    let c = ROLE_ARN.captures(text)?;
    let path = format!("/{}", c.get(3).map_or("", |m| m.as_str()));
    if path.chars().count() > ROLE_PATH_MAX {
        return None;
    }
    Some(RoleArn {
        text,
        partition: c.get(1)?.as_str(),
        account: c.get(2)?.as_str(),
        path,
        name: c.get(4)?.as_str(),
    })
}

pub fn parse_provider(text: &str) -> Option<ProviderArn<'_>> {
    if !ARN_LEN.contains(&text.chars().count()) {
        return None;
    }
    let c = PROVIDER_ARN.captures(text)?;
    Some(ProviderArn {
        text,
        partition: c.get(1)?.as_str(),
        account: c.get(2)?.as_str(),
        name: c.get(3)?.as_str(),
    })
}

/// A well-formed Role value: one role ARN and one provider ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RolePair<'a> {
    pub role: RoleArn<'a>,
    pub provider: ProviderArn<'a>,
    /// Whether the provider came first (Okta's order).
    pub provider_first: bool,
}

/// Parses a Role value (whitespace around the ARNs removed), or says why it is not
/// a pair.
pub fn parse_pair(value: &str) -> Result<RolePair<'_>, String> {
    let parts: Vec<&str> = value.split(',').map(str::trim).collect();
    let [a, b] = parts.as_slice() else {
        return Err(format!(
            "has {} comma-separated part{}, not 2 (a role ARN and a provider ARN)",
            parts.len(),
            if parts.len() == 1 { "" } else { "s" }
        ));
    };
    if let (Some(role), Some(provider)) = (parse_role(a), parse_provider(b)) {
        return Ok(RolePair {
            role,
            provider,
            provider_first: false,
        });
    }
    if let (Some(provider), Some(role)) = (parse_provider(a), parse_role(b)) {
        return Ok(RolePair {
            role,
            provider,
            provider_first: true,
        });
    }
    let roles = [a, b].iter().filter(|p| parse_role(p).is_some()).count();
    let providers = [a, b]
        .iter()
        .filter(|p| parse_provider(p).is_some())
        .count();
    let bad: Vec<&str> = [a, b]
        .into_iter()
        .filter(|p| parse_role(p).is_none() && parse_provider(p).is_none())
        .copied()
        .collect();
    Err(match (roles, providers, bad.as_slice()) {
        (2, _, _) => "has two role ARNs and no saml-provider ARN".to_owned(),
        (_, 2, _) => "has two saml-provider ARNs and no role ARN".to_owned(),
        (_, _, ["", ..]) => "has an empty part".to_owned(),
        (_, _, [p, ..]) => format!(
            "has '{p}', which is neither a role ARN (arn:aws:iam::123456789012:role/Name) nor a saml-provider ARN (arn:aws:iam::123456789012:saml-provider/Name)"
        ),
        _ => "is not a role ARN and a saml-provider ARN".to_owned(),
    })
}

/// Levenshtein distance in characters (for "did you mean").
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The candidate closest to `value`, if any.
pub fn closest<'c>(value: &str, candidates: &'c [String]) -> Option<&'c str> {
    candidates
        .iter()
        .min_by_key(|c| edit_distance(value, c))
        .map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_arns_and_pairs() {
        let r = parse_role(
            "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_1",
        )
        .unwrap();
        assert_eq!(r.path, "/aws-reserved/sso.amazonaws.com/");
        assert_eq!(r.name, "AWSReservedSSO_Admin_1");
        assert_eq!(
            parse_role("arn:aws:iam::123456789012:role/Admin")
                .unwrap()
                .path,
            "/"
        );
        assert!(parse_role("arn:aws:iam::12345678901:role/Admin").is_none());
        assert!(parse_role("arn:aws:iam::123456789012:role/Ad min").is_none());
        assert!(parse_provider("arn:aws-cn:iam::123456789012:saml-provider/Okta").is_some());
        let p = parse_pair(
            "arn:aws:iam::123456789012:saml-provider/Okta, arn:aws:iam::123456789012:role/Admin",
        )
        .unwrap();
        assert!(p.provider_first);
        assert!(parse_pair("arn:aws:iam::123456789012:role/Admin").is_err());
        assert!(
            parse_pair("arn:aws:iam::123456789012:role/A,arn:aws:iam::123456789012:role/B")
                .is_err()
        );
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
