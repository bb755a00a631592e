use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};
use crate::lint::tags;
use crate::saml::{SamlAttribute, aws as names};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "principal-tag-invalid",
    code: "SL0708",
    default_severity: Severity::Error,
    profiles: &[Profile::AwsIam],
    summary: "PrincipalTag session tags break the STS limits: count, key or value characters, or duplicate keys",
    aws_error: "no text documented (the call fails, [session tags]); `PackedPolicyTooLarge` [S] can also occur and cannot be computed offline",
    fix_okta: "Fix tag names and values (no `,`, `#`, `;`); send fewer tags.",
    fix_idp: &[(
        IdpKind::Other,
        "Fix tag names and values (no `,`, `#`, `;`); send fewer tags.",
    )],
    fix_aws: "",
    explain: include_str!("../explain/principal-tag-invalid.md"),
    since: "0.1.0",
};

/// STS accepts at most 50 session tags.
const MAX_TAGS: usize = 50;

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(a) = cx.assertion else { return };
    let tags: Vec<(&str, &SamlAttribute)> = a
        .attributes
        .iter()
        .filter_map(|attr| {
            let key = attr
                .name
                .as_ref()?
                .text
                .strip_prefix(names::PRINCIPAL_TAG_PREFIX)?;
            Some((key, attr))
        })
        .collect();
    if tags.len() > MAX_TAGS {
        let span = tags
            .get(MAX_TAGS)
            .and_then(|(_, at)| at.name.as_ref())
            .map(|n| n.span);
        let mut f = Finding::new(
            &META,
            format!(
                "the assertion has {} PrincipalTag attributes; STS accepts at most {MAX_TAGS} session tags",
                tags.len()
            ),
        );
        if let Some(span) = span {
            f = f.at(span, "tag 51");
        }
        out.push(f);
    }
    let mut seen: Vec<(String, &SamlAttribute)> = Vec::new();
    for (key, attr) in &tags {
        let Some(name) = &attr.name else { continue };
        if let Some(why) = tags::key_problem(key) {
            out.push(
                Finding::new(&META, format!("PrincipalTag key {key:?} {why}"))
                    .at(name.span, "invalid tag key"),
            );
        }
        for v in &attr.values {
            if let Some(why) = tags::value_problem(&v.value.text) {
                out.push(
                    Finding::new(
                        &META,
                        format!("PrincipalTag:{key} value {:?} {why}", v.value.text),
                    )
                    .at(v.value.span, "invalid tag value"),
                );
            }
        }
        let folded = key.to_lowercase();
        if let Some((_, first)) = seen.iter().find(|(k, _)| *k == folded) {
            let mut f = Finding::new(
                &META,
                format!("PrincipalTag key {key:?} repeats another tag key ignoring case; session tag keys are case-insensitive"),
            )
            .at(name.span, "duplicate key");
            if let Some(n) = &first.name {
                f = f.related(n.span, "first key");
            }
            out.push(f);
        } else {
            seen.push((folded, attr));
        }
    }
}
