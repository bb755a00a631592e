use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};
use crate::lint::{common, tags};
use crate::saml::{SamlAttribute, aws as names};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "ic-abac-attribute-invalid",
    code: "SL0805",
    default_severity: Severity::Info,
    profiles: &[Profile::AwsIdentityCenter],
    summary: "Attributes for access control break an IAM Identity Center limit",
    aws_error: "An unexpected error has occurred",
    fix_okta: "One value per attribute, Name format URI Reference; tag-safe keys and values.",
    fix_idp: &[(
        IdpKind::Other,
        "One value per attribute, Name format URI Reference; tag-safe keys and values.",
    )],
    fix_aws: "",
    explain: include_str!("../explain/ic-abac-attribute-invalid.md"),
    since: "0.1.0",
};

const MAX_ATTRIBUTES: usize = 50;
const NAME_FORMATS: &[&str] = &[
    "urn:oasis:names:tc:SAML:2.0:attrname-format:uri",
    "urn:oasis:names:tc:SAML:2.0:attrname-format:basic",
];

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(a) = cx.assertion else { return };
    let is_ac = |attr: &&SamlAttribute| {
        attr.name
            .as_ref()
            .is_some_and(|n| n.text.starts_with(names::ACCESS_CONTROL_PREFIX))
    };
    // Attributes for access control is on when the IdP sends AccessControl attributes.
    if !a.attributes.iter().any(|x| is_ac(&x)) {
        return;
    }
    if a.attributes.len() > MAX_ATTRIBUTES {
        out.push(
            Finding::new(
                &META,
                format!("the assertion has {} attributes; IAM Identity Center accepts at most {MAX_ATTRIBUTES}", a.attributes.len()),
            )
            .at(common::start_tag(cx, a.node), "too many attributes"),
        );
    }
    let mut seen: Vec<&str> = Vec::new();
    for attr in &a.attributes {
        let Some(name) = &attr.name else { continue };
        let span = name.span;
        if let [_, second, ..] = attr.values.as_slice() {
            out.push(
                Finding::new(
                    &META,
                    format!(
                        "{} has {} values; Identity Center takes one value per attribute",
                        name.text,
                        attr.values.len()
                    ),
                )
                .at(second.value.span, "second value"),
            );
        }
        if seen.contains(&name.text.as_str()) {
            out.push(
                Finding::new(
                    &META,
                    format!("{} occurs in more than one Attribute element", name.text),
                )
                .at(span, "repeated attribute"),
            );
        } else {
            seen.push(&name.text);
        }
        for v in attr.values.iter().filter(|v| v.has_element_children) {
            out.push(
                Finding::new(
                    &META,
                    format!(
                        "a value of {} has child elements; Identity Center takes text values",
                        name.text
                    ),
                )
                .at(v.value.span, "child elements"),
            );
        }
        if let Some(f) = &attr.name_format
            && !NAME_FORMATS.contains(&f.text.as_str())
        {
            out.push(
                Finding::new(
                    &META,
                    format!("{} has NameFormat '{}'; Identity Center expects the uri or basic name format", name.text, f.text),
                )
                .at(f.span, "unsupported NameFormat"),
            );
        }
        let Some(key) = name.text.strip_prefix(names::ACCESS_CONTROL_PREFIX) else {
            continue;
        };
        if let Some(why) = tags::key_problem(key) {
            out.push(
                Finding::new(&META, format!("AccessControl key {key:?} {why}"))
                    .at(span, "invalid key"),
            );
        }
        for v in &attr.values {
            if let Some(why) = tags::value_problem(&v.value.text) {
                out.push(
                    Finding::new(
                        &META,
                        format!("AccessControl:{key} value {:?} {why}", v.value.text),
                    )
                    .at(v.value.span, "invalid value"),
                );
            }
        }
    }
}
