use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};
use crate::saml::aws as names;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "role-arn-whitespace",
    code: "SL0604",
    default_severity: Severity::Warning,
    profiles: &[Profile::AwsIam],
    summary: "A Role value has whitespace around the ARNs",
    aws_error: "console: not documented; CLI tools that split on `,`: `Principal ARN is invalid` (ValidationError)",
    fix_okta: "No spaces in the Role Value Pattern or role values.",
    fix_idp: &[(
        IdpKind::Other,
        "No spaces around the ARNs or the comma in the Role values.",
    )],
    fix_aws: "",
    explain: include_str!("../explain/role-arn-whitespace.md"),
    since: "0.1.0",
};

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(a) = cx.assertion else { return };
    for attr in a.attributes_named(names::ROLE) {
        for v in &attr.values {
            let text = &v.value.text;
            if text.split(',').any(|p| p.trim() != p) {
                let fixed: Vec<&str> = text.split(',').map(str::trim).collect();
                out.push(
                    Finding::new(
                        &META,
                        format!(
                            "Role value {text:?} has whitespace around its ARNs; expected {:?}",
                            fixed.join(",")
                        ),
                    )
                    .at(v.value.span, "whitespace"),
                );
            }
        }
    }
}
