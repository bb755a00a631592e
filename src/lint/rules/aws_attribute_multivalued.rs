use crate::lint::common;
use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};
use crate::saml::aws as names;
use crate::xml::Span;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "aws-attribute-multivalued",
    code: "SL0703",
    default_severity: Severity::Error,
    profiles: &[Profile::AwsIam],
    summary: "A single-valued AWS attribute has several values or occurs more than once",
    aws_error: crate::lint::GENERIC_AWS_ERROR,
    fix_okta: "One value per attribute (no group lists on these names).",
    fix_idp: &[(
        IdpKind::Other,
        "Send one value per attribute (no group lists on these names).",
    )],
    fix_aws: "",
    explain: include_str!("../explain/aws-attribute-multivalued.md"),
    since: "0.1.0",
};

fn single_valued(name: &str) -> bool {
    [
        names::ROLE_SESSION_NAME,
        names::SESSION_DURATION,
        names::SOURCE_IDENTITY,
    ]
    .contains(&name)
        || name.starts_with(names::PRINCIPAL_TAG_PREFIX)
}

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(a) = cx.assertion else { return };
    let mut seen: Vec<(&str, Span)> = Vec::new();
    for attr in &a.attributes {
        let Some(name) = attr.name.as_ref().filter(|n| single_valued(&n.text)) else {
            continue;
        };
        if let [_, second, ..] = attr.values.as_slice() {
            out.push(
                Finding::new(
                    &META,
                    format!(
                        "{} has {} AttributeValues; AWS takes exactly one",
                        name.text,
                        attr.values.len()
                    ),
                )
                .at(second.value.span, "second value")
                .related(name.span, "attribute")
                .aws_error(common::IAM_GENERIC),
            );
        }
        if let Some((_, first)) = seen.iter().find(|(n, _)| *n == name.text) {
            out.push(
                Finding::new(
                    &META,
                    format!(
                        "{} occurs in more than one Attribute element; AWS takes exactly one",
                        name.text
                    ),
                )
                .at(name.span, "repeated attribute")
                .related(*first, "first occurrence")
                .aws_error(common::IAM_GENERIC),
            );
        } else {
            seen.push((&name.text, name.span));
        }
    }
}
