use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};
use crate::saml::aws as names;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "aws-attribute-name-invalid",
    code: "SL0602",
    default_severity: Severity::Error,
    profiles: &[Profile::AwsIam],
    summary: "An attribute Name is an AWS name only after fixing case, whitespace, a trailing / or http://",
    aws_error: "the error of the attribute AWS then lacks (role-missing, role-session-name-missing, ...)",
    fix_okta: "Correct the attribute statement's Name to the exact AWS name, e.g. https://aws.amazon.com/SAML/Attributes/Role.",
    fix_idp: &[
        (
            IdpKind::Other,
            "Correct the attribute's Name to the exact AWS name, e.g. https://aws.amazon.com/SAML/Attributes/Role (case, scheme and trailing slash count).",
        ),
        (
            IdpKind::Entra,
            "Attributes & Claims: the claim's Name (e.g. Role) and Namespace (https://aws.amazon.com/SAML/Attributes) must give the exact AWS name.",
        ),
        (
            IdpKind::Adfs,
            "The claim rule's Outgoing claim type must be the exact AWS name (e.g. https://aws.amazon.com/SAML/Attributes/Role).",
        ),
        (
            IdpKind::Google,
            "The SAML attribute mapping's App attribute must be the exact AWS name (e.g. https://aws.amazon.com/SAML/Attributes/Role).",
        ),
    ],
    fix_aws: "",
    explain: include_str!("../explain/aws-attribute-name-invalid.md"),
    since: "0.1.0",
};

/// The exact AWS names (PrincipalTag is a prefix).
const EXACT: &[&str] = &[
    names::ROLE,
    names::ROLE_SESSION_NAME,
    names::SESSION_DURATION,
    names::SOURCE_IDENTITY,
    names::TRANSITIVE_TAG_KEYS,
];

fn is_aws_name(n: &str) -> bool {
    EXACT.contains(&n) || n.starts_with(names::PRINCIPAL_TAG_PREFIX)
}

/// The AWS name `n` was probably meant to be, when it is one only after fixing.
fn intended(n: &str) -> Option<String> {
    let mut s = n.trim().trim_end_matches('/').to_owned();
    if let Some(rest) = s.strip_prefix("http://") {
        s = format!("https://{rest}");
    }
    let lower = s.to_lowercase();
    if let Some(e) = EXACT.iter().find(|e| e.to_lowercase() == lower) {
        return Some((*e).to_owned());
    }
    let prefix = names::PRINCIPAL_TAG_PREFIX.to_lowercase();
    if !lower.starts_with(&prefix) {
        return None;
    }
    // Case folding can change byte lengths: take the key by characters.
    let key: String = s.chars().skip(prefix.chars().count()).collect();
    Some(format!("{}{key}", names::PRINCIPAL_TAG_PREFIX))
}

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(a) = cx.assertion else { return };
    for attr in &a.attributes {
        let name = attr.name.as_ref();
        if name.is_some_and(|n| is_aws_name(&n.text)) {
            continue;
        }
        if let Some(n) = name
            && let Some(want) = intended(&n.text)
        {
            out.push(
                Finding::new(
                    &META,
                    format!(
                        "attribute Name is '{}' but AWS matches names exactly: {want}; AWS ignores this attribute",
                        n.text
                    ),
                )
                .at(n.span, "not the exact AWS name"),
            );
            continue;
        }
        if let Some(fname) = &attr.friendly_name {
            let short = fname.text.trim();
            if let Some(e) = EXACT
                .iter()
                .find(|e| e.strip_prefix(names::PREFIX) == Some(short))
            {
                let shown = name.map_or("(none)", |n| n.text.as_str());
                let span = name.map_or(fname.span, |n| n.span);
                out.push(
                    Finding::new(
                        &META,
                        format!(
                            "attribute FriendlyName is '{short}' but its Name is '{shown}'; AWS reads only the Name, which must be {e}"
                        ),
                    )
                    .at(span, "not the AWS name")
                    .related(fname.span, "FriendlyName is ignored"),
                );
            }
        }
    }
}
