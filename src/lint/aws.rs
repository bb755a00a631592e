//! AWS reference values (RULES.md "Reference values"): sign-in hosts, partitions,
//! ACS and audience shapes.

/// An AWS partition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Partition {
    Aws,
    AwsUsGov,
    AwsCn,
}

impl Partition {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Partition::Aws => "aws",
            Partition::AwsUsGov => "aws-us-gov",
            Partition::AwsCn => "aws-cn",
        }
    }

    /// The partition's global IAM sign-in host.
    pub(crate) fn signin_host(self) -> &'static str {
        match self {
            Partition::Aws => "signin.aws.amazon.com",
            Partition::AwsUsGov => "signin.amazonaws-us-gov.com",
            Partition::AwsCn => "signin.amazonaws.cn",
        }
    }
}

/// The parts of an absolute URL that the rules look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct UrlParts<'a> {
    pub scheme: &'a str,
    pub host: &'a str,
    /// From the first `/` up to `?` or `#` (may be empty).
    pub path: &'a str,
    pub has_query_or_fragment: bool,
}

/// Splits at the first `://`; the host runs to the first `/`, `?` or `#`.
pub(crate) fn split_url(url: &str) -> Option<UrlParts<'_>> {
    // Byte searches: every URL-valued attribute of every payload comes through here.
    let bytes = url.as_bytes();
    let sep = memchr::memchr_iter(b':', bytes).find(|&i| bytes.get(i + 1..i + 3) == Some(b"//"))?;
    let (scheme, rest) = (&url[..sep], &url[sep + 3..]);
    let host_end = rest
        .bytes()
        .position(|b| matches!(b, b'/' | b'?' | b'#'))
        .unwrap_or(rest.len());
    let host = &rest[..host_end];
    let tail = &rest[host_end..];
    let path_end = memchr::memchr2(b'?', b'#', tail.as_bytes()).unwrap_or(tail.len());
    Some(UrlParts {
        scheme,
        host,
        path: &tail[..path_end],
        has_query_or_fragment: path_end < tail.len(),
    })
}

/// `[a-z]{2}(-gov)?-[a-z]+-[0-9]+`
pub(crate) fn is_region(s: &str) -> bool {
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
pub(crate) fn iam_host_partition(host: &str) -> Option<Partition> {
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
pub(crate) fn is_identity_center_host(host: &str) -> bool {
    ["signin.aws.amazon.com", "sso.signin.aws"]
        .iter()
        .any(|suffix| {
            host.strip_suffix(suffix)
                .and_then(|r| r.strip_suffix('.'))
                .is_some_and(is_region)
        })
}

/// An Identity Center URL: an IC host and a path under `/platform/saml/`.
pub(crate) fn is_identity_center_url(url: &str) -> bool {
    split_url(url.trim())
        .is_some_and(|u| is_identity_center_host(u.host) && u.path.starts_with("/platform/saml/"))
}

/// The partition of the IAM SP entity URN `urn:amazon:webservices[...]`, if it is one.
pub(crate) fn iam_audience_urn_partition(value: &str) -> Option<Partition> {
    match value {
        "urn:amazon:webservices" => Some(Partition::Aws),
        "urn:amazon:webservices:govcloud" => Some(Partition::AwsUsGov),
        "urn:amazon:webservices:cn-north-1" => Some(Partition::AwsCn),
        _ => None,
    }
}

/// Removes the XML whitespace `xs:anyURI` collapses (RULES.md "Reference values").
pub(crate) fn trim_uri(s: &str) -> &str {
    s.trim_matches([' ', '\t', '\n', '\r'])
}

/// An accepted URL: `https`, no query or fragment (after trimming XML whitespace).
fn https_url(url: &str) -> Option<UrlParts<'_>> {
    split_url(trim_uri(url)).filter(|u| u.scheme == "https" && !u.has_query_or_fragment)
}

/// PID: `[A-Z0-9]{22,64}`, an IAM SAML provider ID.
pub(crate) fn is_pid(s: &str) -> bool {
    (22..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

fn is_lower_hex(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// ACSID: `[0-9a-f]+(-[0-9a-f]+){4}`.
pub(crate) fn is_acsid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5 && parts.iter().all(|p| is_lower_hex(p))
}

/// ISID: `d-[0-9a-f]{10}` or a lowercase UUID.
pub(crate) fn is_isid(s: &str) -> bool {
    if let Some(rest) = s.strip_prefix("d-") {
        return rest.len() == 10 && is_lower_hex(rest);
    }
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && is_lower_hex(p))
}

/// The partition of an IAM-ACS URL (`https://H/saml`, `https://H/saml/acs/PID`,
/// `https://signin.aws.amazon.com/static/saml`), if it is one.
pub(crate) fn iam_acs_partition(url: &str) -> Option<Partition> {
    let u = https_url(url)?;
    let p = iam_host_partition(u.host)?;
    let ok = u.path == "/saml"
        || u.path.strip_prefix("/saml/acs/").is_some_and(is_pid)
        || (u.host == "signin.aws.amazon.com" && u.path == "/static/saml");
    ok.then_some(p)
}

/// Whether an IAM-ACS URL is the `/saml/acs/PID` form (needed for encrypted assertions).
pub(crate) fn is_iam_acs_with_pid(url: &str) -> bool {
    https_url(url).is_some_and(|u| {
        iam_host_partition(u.host).is_some()
            && u.path.strip_prefix("/saml/acs/").is_some_and(is_pid)
    })
}

/// The partition's global IAM ACS URL, `https://signin.aws.amazon.com/saml`.
pub(crate) fn global_acs(p: Partition) -> String {
    format!("https://{}/saml", p.signin_host())
}

/// Whether `url` (after trimming XML whitespace) is [`global_acs`] of `p`.
pub(crate) fn is_global_acs(p: Partition, url: &str) -> bool {
    trim_uri(url)
        .strip_prefix("https://")
        .and_then(|rest| rest.strip_suffix("/saml"))
        == Some(p.signin_host())
}

/// IC-ACS: `https://REGION.signin.aws.amazon.com/platform/saml/acs/ACSID` or
/// `https://REGION.sso.signin.aws/platform/saml/acs/ACSID`.
pub(crate) fn is_ic_acs(url: &str) -> bool {
    https_url(url).is_some_and(|u| {
        is_identity_center_host(u.host)
            && u.path
                .strip_prefix("/platform/saml/acs/")
                .is_some_and(is_acsid)
    })
}

/// IC-ISSUER: `https://REGION.signin.aws.amazon.com/platform/saml/ISID`.
pub(crate) fn is_ic_issuer(url: &str) -> bool {
    https_url(url).is_some_and(|u| {
        u.host
            .strip_suffix(".signin.aws.amazon.com")
            .is_some_and(is_region)
            && u.path.strip_prefix("/platform/saml/").is_some_and(is_isid)
    })
}

/// The partition of an IAM-AUDIENCE value (URN, `https://H/saml`, or the aws
/// `/static/saml` URL), if it is one.
pub(crate) fn iam_audience_partition(value: &str) -> Option<Partition> {
    let v = trim_uri(value);
    if let Some(p) = iam_audience_urn_partition(v) {
        return Some(p);
    }
    let u = https_url(v)?;
    let p = iam_host_partition(u.host)?;
    (u.path == "/saml" || (u.host == "signin.aws.amazon.com" && u.path == "/static/saml"))
        .then_some(p)
}

/// The partition of an ARN prefix (`arn:aws:`, `arn:aws-us-gov:`, `arn:aws-cn:`).
pub(crate) fn partition_named(name: &str) -> Option<Partition> {
    match name {
        "aws" => Some(Partition::Aws),
        "aws-us-gov" => Some(Partition::AwsUsGov),
        "aws-cn" => Some(Partition::AwsCn),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `split_url` as first written, with `str` searches.
    fn split_url_by_str(url: &str) -> Option<UrlParts<'_>> {
        let (scheme, rest) = url.split_once("://")?;
        let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (host, tail) = rest.split_at(host_end);
        let path_end = tail.find(['?', '#']).unwrap_or(tail.len());
        Some(UrlParts {
            scheme,
            host,
            path: &tail[..path_end],
            has_query_or_fragment: path_end < tail.len(),
        })
    }

    proptest::proptest! {
        #[test]
        fn urls_split_as_with_str_searches(url in "([a-z:]{0,4}(://)?[a-zé:./?#]{0,8}){0,3}") {
            proptest::prop_assert_eq!(split_url(&url), split_url_by_str(&url));
        }
    }

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
        assert_eq!(
            iam_acs_partition(
                "https://us-east-2.signin.aws.amazon.com/saml/acs/SAMLSPD9IMTW2LM46J042K"
            ),
            Some(Partition::Aws)
        );
        assert!(is_iam_acs_with_pid(
            "https://signin.aws.amazon.com/saml/acs/SAMLSPD9IMTW2LM46J042K"
        ));
        assert_eq!(
            iam_acs_partition("https://signin.aws.amazon.com/saml/"),
            None
        );
        assert_eq!(iam_acs_partition("http://signin.aws.amazon.com/saml"), None);
        assert_eq!(
            iam_acs_partition(" https://signin.amazonaws.cn/saml\n"),
            Some(Partition::AwsCn)
        );
        assert!(is_ic_acs(
            "https://us-east-1.signin.aws.amazon.com/platform/saml/acs/3f6e1c2a-1b2c-4d5e-8f90-a1b2c3d4e5f6"
        ));
        assert!(is_ic_acs(
            "https://eu-west-1.sso.signin.aws/platform/saml/acs/0123456789abcdef-1b2c-4d5e-8f90-a1b2c3d4e5f6"
        ));
        assert!(!is_ic_acs(
            "https://us-east-1.signin.aws.amazon.com/platform/saml/acs/x"
        ));
        assert!(is_ic_issuer(
            "https://us-east-1.signin.aws.amazon.com/platform/saml/d-9067abcdef"
        ));
        assert!(!is_ic_issuer(
            "https://us-east-1.signin.aws.amazon.com/platform/saml/D-9067ABCDEF"
        ));
        assert_eq!(
            iam_audience_partition("urn:amazon:webservices:govcloud"),
            Some(Partition::AwsUsGov)
        );
        assert_eq!(
            iam_audience_partition("https://signin.aws.amazon.com/saml/"),
            None
        );
        for p in [Partition::Aws, Partition::AwsUsGov, Partition::AwsCn] {
            assert!(is_global_acs(p, &global_acs(p)));
            assert!(is_global_acs(p, &format!(" {}\n", global_acs(p))));
            assert!(!is_global_acs(p, &format!("{}/", global_acs(p))));
        }
        assert!(!is_global_acs(
            Partition::Aws,
            "https://us-east-2.signin.aws.amazon.com/saml"
        ));
        assert!(!is_global_acs(
            Partition::AwsCn,
            "https://signin.aws.amazon.com/saml"
        ));
        assert_eq!(split_url("https:/x"), None);
        assert_eq!(split_url("urn:amazon:webservices"), None);
        let odd = split_url("a:b://h#f").unwrap();
        assert_eq!((odd.scheme, odd.host, odd.path), ("a:b", "h", ""));
        assert!(odd.has_query_or_fragment);
        let bare = split_url("https://").unwrap();
        assert_eq!((bare.host, bare.path), ("", ""));
        let u = split_url("https://h.example/p/q?x=1").unwrap();
        assert_eq!(
            (u.host, u.path, u.has_query_or_fragment),
            ("h.example", "/p/q", true)
        );
    }
}
