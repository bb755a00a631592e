//! AWS reference values (RULES.md "Reference values"): sign-in hosts, partitions,
//! ACS and audience shapes.

/// An AWS partition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Partition {
    Aws,
    AwsUsGov,
    AwsCn,
}

impl Partition {
    pub fn as_str(self) -> &'static str {
        match self {
            Partition::Aws => "aws",
            Partition::AwsUsGov => "aws-us-gov",
            Partition::AwsCn => "aws-cn",
        }
    }

    /// The partition's global IAM sign-in host.
    pub fn signin_host(self) -> &'static str {
        match self {
            Partition::Aws => "signin.aws.amazon.com",
            Partition::AwsUsGov => "signin.amazonaws-us-gov.com",
            Partition::AwsCn => "signin.amazonaws.cn",
        }
    }
}

/// The parts of an absolute URL that the rules look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UrlParts<'a> {
    pub scheme: &'a str,
    pub host: &'a str,
    /// From the first `/` up to `?` or `#` (may be empty).
    pub path: &'a str,
    pub has_query_or_fragment: bool,
}

pub fn split_url(url: &str) -> Option<UrlParts<'_>> {
    let (scheme, rest) = url.split_once("://")?;
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..host_end];
    let tail = &rest[host_end..];
    let path_end = tail.find(['?', '#']).unwrap_or(tail.len());
    Some(UrlParts {
        scheme,
        host,
        path: &tail[..path_end],
        has_query_or_fragment: path_end < tail.len(),
    })
}

/// `[a-z]{2}(-gov)?-[a-z]+-[0-9]+`
pub fn is_region(s: &str) -> bool {
    let mut parts = s.split('-');
    let Some(cc) = parts.next() else { return false };
    if cc.len() != 2 || !cc.bytes().all(|b| b.is_ascii_lowercase()) {
        return false;
    }
    let mut rest: Vec<&str> = parts.collect();
    if rest.first() == Some(&"gov") {
        rest.remove(0);
    }
    matches!(rest.as_slice(), [name, num]
        if !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase())
            && !num.is_empty() && num.bytes().all(|b| b.is_ascii_digit()))
}

/// The partition of an IAM sign-in host H (global or regional), if it is one.
pub fn iam_host_partition(host: &str) -> Option<Partition> {
    [Partition::Aws, Partition::AwsUsGov, Partition::AwsCn]
        .into_iter()
        .find(|p| {
            let global = p.signin_host();
            host == global
                || host
                    .strip_suffix(global)
                    .and_then(|r| r.strip_suffix('.'))
                    .is_some_and(is_region)
        })
}

/// `REGION.signin.aws.amazon.com` or `REGION.sso.signin.aws`: Identity Center hosts.
pub fn is_identity_center_host(host: &str) -> bool {
    ["signin.aws.amazon.com", "sso.signin.aws"]
        .iter()
        .any(|suffix| {
            host.strip_suffix(suffix)
                .and_then(|r| r.strip_suffix('.'))
                .is_some_and(is_region)
        })
}

/// An Identity Center URL: an IC host and a path under `/platform/saml/`.
pub fn is_identity_center_url(url: &str) -> bool {
    split_url(url.trim())
        .is_some_and(|u| is_identity_center_host(u.host) && u.path.starts_with("/platform/saml/"))
}

/// The partition of the IAM SP entity URN `urn:amazon:webservices[...]`, if it is one.
pub fn iam_audience_urn_partition(value: &str) -> Option<Partition> {
    match value {
        "urn:amazon:webservices" => Some(Partition::Aws),
        "urn:amazon:webservices:govcloud" => Some(Partition::AwsUsGov),
        "urn:amazon:webservices:cn-north-1" => Some(Partition::AwsCn),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_regions() {
        assert!(is_region("us-east-2"));
        assert!(is_region("us-gov-west-1"));
        assert!(!is_region("us-east"));
        assert!(!is_region("US-east-1"));
        assert_eq!(
            iam_host_partition("signin.aws.amazon.com"),
            Some(Partition::Aws)
        );
        assert_eq!(
            iam_host_partition("us-gov-west-1.signin.amazonaws-us-gov.com"),
            Some(Partition::AwsUsGov)
        );
        assert_eq!(iam_host_partition("evil.signin.aws.amazon.com"), None);
        assert!(is_identity_center_url(
            "https://us-east-1.signin.aws.amazon.com/platform/saml/acs/3f6e1c2a"
        ));
        assert!(is_identity_center_url(
            "https://eu-west-1.sso.signin.aws/platform/saml/x"
        ));
        assert!(!is_identity_center_url(
            "https://signin.aws.amazon.com/saml"
        ));
        let u = split_url("https://h.example/p/q?x=1").unwrap();
        assert_eq!(
            (u.host, u.path, u.has_query_or_fragment),
            ("h.example", "/p/q", true)
        );
    }
}
