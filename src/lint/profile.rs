//! `--profile auto`: pick the profile from where the payload was sent and what it
//! says about its audience (RULES.md "Profiles").

use super::aws;
use super::rule::Profile;
use crate::saml::{Assertion, BEARER, Response, aws as names};

/// The profile, and the value that decided it (shown to the user).
pub(crate) fn detect(
    url: Option<&str>,
    response: &Response,
    assertion: Option<&Assertion>,
) -> (Profile, String) {
    // The values that decide, in order: request URL, Destination, bearer Recipients,
    // Audiences.
    let recipients = assertion
        .and_then(|a| a.subject.as_ref())
        .into_iter()
        .flat_map(|s| s.confirmations.iter())
        .filter(|c| c.method.as_ref().is_some_and(|m| m.text == BEARER))
        .filter_map(|c| c.data.as_ref().and_then(|d| d.recipient.as_ref()))
        .map(|r| ("Recipient", r.text.trim()));
    let audiences = assertion
        .and_then(|a| a.conditions.as_ref())
        .into_iter()
        .flat_map(|c| c.audience_restrictions.iter())
        .flat_map(|r| r.audiences.iter())
        .map(|au| ("Audience", au.text.trim()));
    let mut candidates = url
        .map(|u| ("request URL", u))
        .into_iter()
        .chain(
            response
                .destination
                .as_ref()
                .map(|d| ("Destination", d.text.trim())),
        )
        .chain(recipients)
        .chain(audiences);
    if let Some((what, value)) = candidates
        .clone()
        .find(|(_, v)| aws::is_identity_center_url(v))
    {
        return (
            Profile::AwsIdentityCenter,
            format!("{what} {value} is an IAM Identity Center URL"),
        );
    }
    let iam = candidates.find(|(_, v)| {
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
