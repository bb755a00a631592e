//! ARN parsing for the Role attribute (RULES.md "Reference values" and section 6).
//! Parsing only: `role_value.rs` judges a Role value with it for the role rules
//! and `samlint okta-map`, and `partition-mismatch` reads partitions with it.
//!
//! `ROLE_ARN` and `PROVIDER_ARN` are read by hand: every Role value of every payload
//! goes through them (several times: pairs, partitions), and the grammar is a fixed
//! prefix, twelve digits and one ASCII class per part. The tests hold the RULES.md
//! regular expressions and check that both agree.

use super::aws;

/// ARN length limits (characters).
pub(crate) const ARN_MIN: usize = 20;
pub(crate) const ARN_MAX: usize = 2048;
/// Longest role path, `/` included.
pub(crate) const ROLE_PATH_MAX: usize = 512;

/// A role ARN that matches `ROLE_ARN`, in parts borrowed from the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RoleArn<'a> {
    pub arn: &'a str,
    pub partition: &'a str,
    pub account: &'a str,
    /// `/` when the role has no path, else the path with its slashes (`/team/`).
    pub path: &'a str,
    pub name: &'a str,
}

/// A SAML provider ARN that matches `PROVIDER_ARN`, in parts borrowed from the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ProviderArn<'a> {
    pub arn: &'a str,
    pub partition: &'a str,
    pub account: &'a str,
    pub name: &'a str,
}

fn length_ok(s: &str) -> bool {
    (ARN_MIN..=ARN_MAX).contains(&s.chars().count())
}

/// `arn:(aws|aws-us-gov|aws-cn):iam::([0-9]{12}):` then the resource: partition,
/// account and the rest.
fn iam_prefix(s: &str) -> Option<(&str, &str, &str)> {
    let rest = s.strip_prefix("arn:")?;
    let (partition, rest) = rest.split_once(':')?;
    if !matches!(partition, "aws" | "aws-us-gov" | "aws-cn") {
        return None;
    }
    let rest = rest.strip_prefix("iam::")?;
    let account = rest.get(..12)?;
    if !account.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let resource = rest.get(12..)?.strip_prefix(':')?;
    Some((partition, account, resource))
}

/// `[\x21-\x2B\x2D-\x7E]`: a role path character (printable ASCII but the comma).
fn is_path_byte(b: u8) -> bool {
    matches!(b, 0x21..=0x2B | 0x2D..=0x7E)
}

/// `[A-Za-z0-9_+=.@-]`: a role name character.
fn is_role_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'+' | b'=' | b'.' | b'@' | b'-')
}

/// `[A-Za-z0-9_.-]`: a SAML provider name character.
fn is_provider_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-')
}

/// Parses a role ARN: `ROLE_ARN`, the ARN length limits and the role path limit.
pub(crate) fn parse_role_arn(s: &str) -> Option<RoleArn<'_>> {
    let (partition, account, resource) = iam_prefix(s)?;
    let resource = resource.strip_prefix("role/")?;
    // `([\x21-\x2B\x2D-\x7E]+/)?` then a name without `/`: the path runs to the
    // last `/`, and needs a character before it.
    let (path_body, name) = match resource.rfind('/') {
        Some(i) => (Some(&resource[..i]), &resource[i + 1..]),
        None => (None, resource),
    };
    if path_body.is_some_and(|p| p.is_empty() || !p.bytes().all(is_path_byte)) {
        return None;
    }
    if !(1..=64).contains(&name.len()) || !name.bytes().all(is_role_name_byte) {
        return None;
    }
    // Everything matched is ASCII: lengths in bytes are lengths in characters.
    if !length_ok(s) {
        return None;
    }
    // The path keeps the `/` of `role/`: `/` alone, or `/team/a/`.
    let path_start = s.len() - resource.len() - 1;
    let path_end = s.len() - name.len();
    let path = &s[path_start..path_end];
    if path.len() > ROLE_PATH_MAX {
        return None;
    }
    Some(RoleArn {
        arn: s,
        partition,
        account,
        path,
        name,
    })
}

/// Parses a SAML provider ARN: `PROVIDER_ARN` and the ARN length limits.
pub(crate) fn parse_provider_arn(s: &str) -> Option<ProviderArn<'_>> {
    let (partition, account, resource) = iam_prefix(s)?;
    let name = resource.strip_prefix("saml-provider/")?;
    if !(1..=128).contains(&name.len()) || !name.bytes().all(is_provider_name_byte) {
        return None;
    }
    if !length_ok(s) {
        return None;
    }
    Some(ProviderArn {
        arn: s,
        partition,
        account,
        name,
    })
}

/// A well-formed Role value: one role ARN and one provider ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RolePairParsed<'a> {
    pub role: RoleArn<'a>,
    pub provider: ProviderArn<'a>,
    /// AWS documents the role first; Okta sends the provider first. Both work.
    pub role_first: bool,
    /// Whitespace around the value or next to the comma (`role-arn-whitespace`).
    pub whitespace: bool,
}

/// Why a Role value is not a well-formed pair (`role-pair-malformed`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RoleProblem {
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
    let fields = ArnFields::of(part);
    let why = if part.is_empty() {
        "is empty".to_owned()
    } else if let Some(f) = fields.filter(|f| f.service == "iam" && !f.region.is_empty()) {
        // GovCloud tools write the region in; IAM is global and STS rejects it.
        format!(
            "has region '{}', but IAM ARNs have an empty region field (arn:{}:iam::<account>:…)",
            f.region, f.partition
        )
    } else if let Some(f) =
        fields.filter(|f| f.service != "iam" && aws::partition_named(f.partition).is_some())
    {
        format!("is an ARN of service '{}', not an IAM ARN", f.service)
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

/// The fields of any `arn:partition:service:region:account:resource` string, valid or
/// not: to say what is wrong with a malformed ARN, and which partition it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ArnFields<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
}

impl<'a> ArnFields<'a> {
    pub(crate) fn of(s: &'a str) -> Option<Self> {
        let mut fields = s.strip_prefix("arn:")?.splitn(5, ':');
        let partition = fields.next()?;
        let service = fields.next()?;
        let region = fields.next()?;
        // Account and resource must follow.
        fields.next()?;
        fields.next()?;
        Some(ArnFields {
            partition,
            service,
            region,
        })
    }
}

/// Parses a Role attribute value: `provider,role` or `role,provider`, whitespace around
/// the ARNs removed (and reported in `whitespace`).
///
/// # Errors
/// The reason the value is not a well-formed pair.
pub(crate) fn parse_role_pair(value: &str) -> Result<RolePairParsed<'_>, RoleProblem> {
    if value.trim().is_empty() {
        return Err(RoleProblem::Empty);
    }
    let parts = value.split(',').count();
    let Some((raw_a, raw_b)) = value.split_once(',').filter(|_| parts == 2) else {
        return Err(RoleProblem::PartCount(parts));
    };
    let whitespace = raw_a.trim() != raw_a || raw_b.trim() != raw_b;
    let (a, b) = (raw_a.trim(), raw_b.trim());
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

/// The role and provider parts of a Role value, for the summary: the parsed ARNs of a
/// well-formed pair, else the first two comma-separated parts (trimmed) in the order
/// their text suggests, so a malformed value is still shown as sent.
pub(crate) fn role_and_provider(value: &str) -> (&str, &str) {
    if let Ok(pair) = parse_role_pair(value) {
        return (pair.role.arn, pair.provider.arn);
    }
    let mut parts = value.split(',').map(str::trim);
    let a = parts.next().unwrap_or("");
    let b = parts.next().unwrap_or("");
    if a.contains(":saml-provider/") || b.contains(":role/") {
        (b, a)
    } else {
        (a, b)
    }
}

/// The closest candidate by edit distance (for "did you mean").
pub(crate) fn closest<'a>(
    value: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(value, c), c))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance over characters.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_and_provider_in_either_order() {
        let role = "arn:aws:iam::123456789012:role/Admin";
        let provider = "arn:aws:iam::123456789012:saml-provider/Okta";
        assert_eq!(
            role_and_provider(&format!("{provider},{role}")),
            (role, provider)
        );
        assert_eq!(
            role_and_provider(&format!("{role}, {provider}")),
            (role, provider)
        );
        // Malformed: still split, by what each part looks like.
        assert_eq!(
            role_and_provider("x:saml-provider/P,y"),
            ("y", "x:saml-provider/P")
        );
        assert_eq!(role_and_provider("only"), ("only", ""));
    }

    const ROLE: &str = "arn:aws:iam::123456789012:role/Admin";
    const PROVIDER: &str = "arn:aws:iam::123456789012:saml-provider/Okta";

    #[test]
    fn arn_fields_are_read_from_malformed_arns_too() {
        let gov = "arn:aws-us-gov:iam:us-gov-west-1:123456789012:role/Admin";
        assert_eq!(
            ArnFields::of(gov),
            Some(ArnFields {
                partition: "aws-us-gov",
                service: "iam",
                region: "us-gov-west-1",
            })
        );
        assert_eq!(ArnFields::of("arn:aws:iam"), None);
        assert_eq!(ArnFields::of("not-an-arn"), None);
        let Err(RoleProblem::NotAPair { first, .. }) =
            parse_role_pair(&format!("{gov},{PROVIDER}"))
        else {
            panic!("a region in a role ARN is malformed");
        };
        assert!(first.contains("has region 'us-gov-west-1'"), "{first}");
        let Err(RoleProblem::NotAPair { first, .. }) = parse_role_pair(&format!(
            "arn:aws:sts::123456789012:assumed-role/A/b,{PROVIDER}"
        )) else {
            panic!("an STS ARN is not a role ARN");
        };
        assert!(
            first.contains("is an ARN of service 'sts', not an IAM ARN"),
            "{first}"
        );
    }

    #[test]
    fn pairs_parse_in_either_order() {
        let okta = format!("{PROVIDER},{ROLE}");
        let okta = parse_role_pair(&okta).unwrap_or_else(|e| panic!("{e}"));
        assert!(!okta.role_first);
        assert_eq!(okta.role.name, "Admin");
        assert_eq!(okta.provider.name, "Okta");
        let aws = format!("{ROLE}, {PROVIDER}");
        let aws = parse_role_pair(&aws).unwrap_or_else(|e| panic!("{e}"));
        assert!(aws.role_first && aws.whitespace);
    }

    #[test]
    fn paths_and_names() {
        let r =
            parse_role_arn("arn:aws:iam::123456789012:role/team/a/Dev").unwrap_or_else(|| panic!());
        assert_eq!((r.path, r.name), ("/team/a/", "Dev"));
        assert!(parse_role_arn("arn:aws:iam::12345678901:role/Admin").is_none());
        assert!(parse_provider_arn("arn:aws:iam::123456789012:saml-provider/Ok ta").is_none());
    }

    /// `ROLE_ARN` of RULES.md, as written there.
    static ROLE_ARN: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^arn:(aws|aws-us-gov|aws-cn):iam::([0-9]{12}):role/([\x21-\x2B\x2D-\x7E]+/)?[A-Za-z0-9_+=.@-]{1,64}$").unwrap()
    });

    /// `PROVIDER_ARN` of RULES.md, as written there.
    static PROVIDER_ARN: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"^arn:(aws|aws-us-gov|aws-cn):iam::([0-9]{12}):saml-provider/[A-Za-z0-9_.-]{1,128}$",
        )
        .unwrap()
    });

    /// A role ARN read with the RULES.md expression and the limits: partition,
    /// account, path, name.
    fn role_by_regex(s: &str) -> Option<(String, String, String, String)> {
        let caps = ROLE_ARN.captures(s)?;
        let path = caps.get(3).map_or("", |m| m.as_str());
        if !length_ok(s) || path.chars().count() + 1 > ROLE_PATH_MAX {
            return None;
        }
        let name = s.rsplit('/').next().unwrap_or(s);
        Some((
            caps[1].to_owned(),
            caps[2].to_owned(),
            format!("/{path}"),
            name.to_owned(),
        ))
    }

    fn provider_by_regex(s: &str) -> Option<(String, String, String)> {
        let caps = PROVIDER_ARN.captures(s)?;
        if !length_ok(s) {
            return None;
        }
        let name = s.split_once(":saml-provider/").map_or("", |(_, n)| n);
        Some((caps[1].to_owned(), caps[2].to_owned(), name.to_owned()))
    }

    fn arn_like() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        // Weighted so that about one value in ten is a well-formed ARN.
        let prefix = prop_oneof![
            4 => Just("arn:aws:iam::"),
            1 => Just("arn:aws-us-gov:iam::"),
            1 => Just("arn:aws-cn:iam::"),
            1 => Just("arn:aws-iso:iam::"),
            1 => Just("arn:aws:iam:"),
            1 => Just("arn:aws:sts::"),
            1 => Just("ARN:aws:iam::"),
            1 => Just(""),
        ];
        let account = prop_oneof![
            6 => "[0-9]{12}",
            1 => "[0-9]{10,14}",
            1 => "[0-9a ]{12}",
            1 => Just(String::new()),
        ];
        let sep = prop_oneof![7 => Just(":"), 1 => Just(""), 1 => Just("::"), 1 => Just(":role/:")];
        let kind = prop_oneof![
            4 => Just("role/"),
            4 => Just("saml-provider/"),
            1 => Just("user/"),
            1 => Just("role"),
            1 => Just("")
        ];
        let tail = prop_oneof![
            4 => "[A-Za-z0-9_+=.@-]{0,70}",
            2 => "[A-Za-z0-9_.-]{120,135}",
            4 => "[a-z/]{0,12}[A-Za-z0-9_+=.@-]{0,6}",
            2 => "[ -~]{0,40}",
            2 => "[a-z/,é\\x7f ]{0,20}",
            1 => "/?([a-z]{1,3}/){160,175}[a-z]{1,4}",
        ];
        (prefix, account, sep, kind, tail).prop_map(|(p, a, s, k, t)| format!("{p}{a}{s}{k}{t}"))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]

        /// The hand-written reading agrees with the RULES.md expressions, parts included.
        #[test]
        fn arns_read_as_the_rules_md_expressions_say(s in arn_like(), junk in ".{0,40}") {
            for s in [s.as_str(), junk.as_str()] {
                let role = parse_role_arn(s).map(|r| {
                    proptest::prop_assert_eq!(r.arn, s);
                    Ok((r.partition.to_owned(), r.account.to_owned(), r.path.to_owned(), r.name.to_owned()))
                }).transpose()?;
                proptest::prop_assert_eq!(role, role_by_regex(s), "role {:?}", s);
                let provider = parse_provider_arn(s).map(|p| {
                    (p.partition.to_owned(), p.account.to_owned(), p.name.to_owned())
                });
                proptest::prop_assert_eq!(provider, provider_by_regex(s), "provider {:?}", s);
            }
        }
    }

    #[test]
    fn limits_of_the_hand_reading() {
        let acct = "arn:aws:iam::123456789012:";
        let name64 = "N".repeat(64);
        let role = |r: &str| {
            parse_role_arn(&format!("{acct}role/{r}"))
                .map(|a| (a.path.to_owned(), a.name.to_owned()))
        };
        assert_eq!(role(&name64).map(|(p, _)| p).as_deref(), Some("/"));
        assert!(role(&format!("{name64}x")).is_none());
        assert!(role("/Admin").is_none());
        assert_eq!(role("//Admin").map(|(p, _)| p).as_deref(), Some("///"));
        assert!(role("a,b/Admin").is_none());
        assert!(role("team/").is_none());
        let path = format!("{}/", "p".repeat(ROLE_PATH_MAX - 2));
        assert_eq!(
            role(&format!("{path}X")).map(|(p, _)| p.len()),
            Some(ROLE_PATH_MAX)
        );
        assert!(role(&format!("p{path}X")).is_none());
        let provider = |n: &str| parse_provider_arn(&format!("{acct}saml-provider/{n}")).is_some();
        assert!(provider(&"o".repeat(128)));
        assert!(!provider(&"o".repeat(129)));
        assert!(!provider(""));
        assert!(!provider("Okta/x"));
        assert!(parse_provider_arn("arn:aws:iam::12345678901é:saml-provider/Okta").is_none());
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
}
