use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};
use crate::saml::aws as names;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "session-duration-over-role-max",
    code: "SL0705",
    default_severity: Severity::Info,
    profiles: &[Profile::AwsIam],
    summary: "SessionDuration exceeds the role's MaxSessionDuration (CLI/SDK calls fail)",
    aws_error: "CLI/API: Requested DurationSeconds exceeds MaxSessionDuration set for this role.",
    fix_okta: "Lower Session Duration (Sign On -> Advanced Sign-On Settings).",
    fix_idp: &[
        (IdpKind::Other, "Lower the SessionDuration the IdP sends."),
        (
            IdpKind::Entra,
            "Attributes & Claims: lower the SessionDuration claim.",
        ),
        (
            IdpKind::Adfs,
            "Lower the value of the claim rule issuing https://aws.amazon.com/SAML/Attributes/SessionDuration.",
        ),
        (
            IdpKind::Google,
            "Lower the value mapped to https://aws.amazon.com/SAML/Attributes/SessionDuration.",
        ),
        (
            IdpKind::OneLogin,
            "The AWS connector's Configuration tab: lower the session duration.",
        ),
        (
            IdpKind::Keycloak,
            "Lower the Hardcoded attribute mapper's SessionDuration.",
        ),
    ],
    fix_aws: "Raise the role's Maximum session duration (1-12 h): aws iam update-role --role-name NAME --max-session-duration 43200.",
    explain: include_str!("../explain/session-duration-over-role-max.md"),
    since: "0.1.0",
};

/// The AWS-side fix for a SessionDuration of `n` seconds: raise the role's maximum
/// to the value sent (IAM takes 3600-43200).
fn raise_to(n: u64) -> String {
    let to = n.clamp(3600, 43_200);
    format!(
        "Raise the role's Maximum session duration to at least {to} s: aws iam update-role --role-name NAME --max-session-duration {to}."
    )
}

/// IAM's default MaxSessionDuration.
const DEFAULT_MAX: u64 = 3600;

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(a) = cx.assertion else { return };
    let (max, source) = match cx.expected.max_session_duration {
        Some(m) => (m, "configured max_session_duration"),
        None => (DEFAULT_MAX, "IAM's default; set max_session_duration"),
    };
    for attr in a.attributes_named(names::SESSION_DURATION) {
        for v in &attr.values {
            let Ok(n) = v.value.text.parse::<u64>() else {
                continue;
            };
            if n > max {
                out.push(
                    Finding::new(
                        &META,
                        format!(
                            "SessionDuration is {n} s but the role's MaxSessionDuration is {max} s ({source}); the console honours it, CLI/SDK tools that pass it as DurationSeconds fail"
                        ),
                    )
                    .at(v.value.span, format!("over {max}"))
                    .fix_aws(raise_to(n)),
                );
            }
        }
    }
}
