use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};
use crate::saml::aws as names;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "transitive-tag-key-unknown",
    code: "SL0709",
    default_severity: Severity::Warning,
    profiles: &[Profile::AwsIam],
    summary: "A TransitiveTagKeys value is not the key of a PrincipalTag in the assertion",
    aws_error: "not documented",
    fix_okta: "List only keys you also send as PrincipalTag attributes.",
    fix_idp: &[(
        IdpKind::Other,
        "List only keys you also send as PrincipalTag attributes.",
    )],
    fix_aws: "",
    explain: include_str!("../explain/transitive-tag-key-unknown.md"),
    since: "0.1.0",
};

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(a) = cx.assertion else { return };
    let keys: Vec<String> = a
        .attributes
        .iter()
        .filter_map(|attr| {
            attr.name
                .as_ref()?
                .text
                .strip_prefix(names::PRINCIPAL_TAG_PREFIX)
        })
        .map(str::to_lowercase)
        .collect();
    for attr in a.attributes_named(names::TRANSITIVE_TAG_KEYS) {
        for v in &attr.values {
            if !keys.contains(&v.value.text.to_lowercase()) {
                let sent = if keys.is_empty() {
                    "none".to_owned()
                } else {
                    keys.join(", ")
                };
                out.push(
                    Finding::new(
                        &META,
                        format!(
                            "TransitiveTagKeys names {:?} but no PrincipalTag:{} attribute is sent (PrincipalTag keys: {sent})",
                            v.value.text, v.value.text
                        ),
                    )
                    .at(v.value.span, "no such PrincipalTag"),
                );
            }
        }
    }
}
