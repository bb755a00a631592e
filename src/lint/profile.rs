//! `--profile auto`: pick the profile from where the payload was sent and what it
//! says about its audience (RULES.md "Profiles").

use super::aws;
use super::rule::Profile;
use crate::saml::{Assertion, BEARER, Response, aws as names};

/// The profile, and the value that decided it (shown to the user).
pub fn detect(
    url: Option<&str>,
    response: &Response,
    assertion: Option<&Assertion>,
) -> (Profile, String) {
    let mut candidates: Vec<(&str, &str)> = Vec::new();
    if let Some(u) = url {
        candidates.push(("request URL", u));
    }
    if let Some(d) = &response.destination {
        candidates.push(("Destination", d.text.trim()));
    }
    if let Some(a) = assertion {
        if let Some(s) = &a.subject {
            for c in &s.confirmations {
                if c.method.as_ref().is_some_and(|m| m.text == BEARER)
                    && let Some(r) = c.data.as_ref().and_then(|d| d.recipient.as_ref())
                {
                    candidates.push(("Recipient", r.text.trim()));
                }
            }
        }
        if let Some(c) = &a.conditions {
            for r in &c.audience_restrictions {
                for au in &r.audiences {
                    candidates.push(("Audience", au.text.trim()));
                }
            }
        }
    }
    if let Some((what, value)) = candidates
        .iter()
        .find(|(_, v)| aws::is_identity_center_url(v))
    {
        return (
            Profile::AwsIdentityCenter,
            format!("{what} {value} is an IAM Identity Center URL"),
        );
    }
    let iam = candidates.iter().find(|(_, v)| {
        aws::iam_audience_urn_partition(v).is_some()
            || aws::split_url(v).is_some_and(|u| aws::iam_host_partition(u.host).is_some())
    });
    if let Some((what, value)) = iam {
        return (
            Profile::AwsIam,
            format!("{what} {value} is an AWS IAM sign-in value"),
        );
    }
    if assertion.is_some_and(|a| a.attributes_named(names::ROLE).next().is_some()) {
        return (
            Profile::AwsIam,
            "the assertion carries the AWS Role attribute".to_owned(),
        );
    }
    (
        Profile::Generic,
        "no AWS URL, audience or Role attribute".to_owned(),
    )
}
