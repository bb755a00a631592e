use crate::lint::common;
use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};
use crate::saml::aws as names;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "session-duration-invalid",
    code: "SL0704",
    default_severity: Severity::Error,
    profiles: &[Profile::AwsIam],
    summary: "SessionDuration is not an integer number of seconds from 900 to 43200",
    aws_error: crate::lint::GENERIC_AWS_ERROR,
    fix_okta: "Sign On -> Advanced Sign-On Settings -> Session Duration, in seconds, 900-43200.",
    fix_idp: &[
        (
            IdpKind::Other,
            "Send SessionDuration as whole seconds, 900-43200.",
        ),
        (
            IdpKind::Entra,
            "Attributes & Claims: the SessionDuration claim (namespace https://aws.amazon.com/SAML/Attributes) must be whole seconds, 900-43200.",
        ),
        (
            IdpKind::Adfs,
            "The claim rule issuing https://aws.amazon.com/SAML/Attributes/SessionDuration must give whole seconds, 900-43200.",
        ),
        (
            IdpKind::Google,
            "The SAML attribute mapping for https://aws.amazon.com/SAML/Attributes/SessionDuration must give whole seconds, 900-43200.",
        ),
        (
            IdpKind::OneLogin,
            "The AWS connector's Configuration tab: the session duration, in seconds, 900-43200.",
        ),
        (
            IdpKind::Keycloak,
            "The Hardcoded attribute mapper for SessionDuration: whole seconds, 900-43200.",
        ),
        (
            IdpKind::Auth0,
            "SAML2 Web App addon mappings / Action: SessionDuration as whole seconds, 900-43200.",
        ),
    ],
    fix_aws: "",
    explain: include_str!("../explain/session-duration-invalid.md"),
    since: "0.1.0",
};

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(a) = cx.assertion else { return };
    for attr in a.attributes_named(names::SESSION_DURATION) {
        for v in &attr.values {
            let t = &v.value.text;
            let why = if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
                Some("is not a whole number of seconds")
            } else if t
                .parse::<u64>()
                .map_or(true, |n| !(900..=43200).contains(&n))
            {
                Some("is outside 900-43200 seconds")
            } else {
                None
            };
            if let Some(why) = why {
                out.push(
                    Finding::new(
                        &META,
                        format!(
                            "SessionDuration {t:?} {why}; AWS expects an integer from 900 to 43200"
                        ),
                    )
                    .at(v.value.span, "invalid SessionDuration")
                    .aws_error(common::IAM_GENERIC),
                );
            }
        }
    }
}
