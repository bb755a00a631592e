use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "nameid-comment",
    code: "SL0208",
    default_severity: Severity::Error,
    profiles: Profile::ALL,
    summary: "A comment or processing instruction sits inside NameID, Issuer, Audience or an AttributeValue",
    aws_error: "— (attack)",
    fix_okta: "Okta never emits comments: treat as tampering.",
    fix_idp: &[(
        IdpKind::Other,
        "IdPs do not emit comments in NameID: treat it as tampering.",
    )],
    fix_aws: "",
    explain: include_str!("../explain/nameid-comment.md"),
    since: "0.1.0",
};

use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::saml::ASSERTION_NS;
use crate::xml::{Document, NodeId, NodeKind};

/// The elements whose text AWS reads.
const READ: &[&str] = &["NameID", "Issuer", "Audience", "AttributeValue"];

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let doc = cx.doc;
    let read = cx.assertion.into_iter().flat_map(|a| {
        doc.descendants(a.node).filter(|&n| {
            doc.element(n)
                .is_some_and(|e| e.namespace() == Some(ASSERTION_NS) && READ.contains(&e.local()))
        })
    });
    for n in cx
        .response
        .issuer
        .as_ref()
        .map(|i| i.node)
        .into_iter()
        .chain(read)
    {
        if let Some(f) = finding(doc, n) {
            out.push(f);
        }
    }
}

fn finding(doc: &Document, n: NodeId) -> Option<Finding> {
    let e = doc.element(n)?;
    // The usual case, text alone, needs no message.
    if !e
        .children()
        .iter()
        .any(|&c| matches!(doc.kind(c), NodeKind::Comment(_) | NodeKind::Pi(_)))
    {
        return None;
    }
    let mut before = String::new();
    let mut what = None;
    for &c in e.children() {
        match doc.kind(c) {
            NodeKind::Text(t) if what.is_none() => before.push_str(t),
            NodeKind::Comment(_) => {
                what.get_or_insert(("comment", c));
            }
            NodeKind::Pi(_) => {
                what.get_or_insert(("processing instruction", c));
            }
            _ => {}
        }
    }
    let (what, at) = what?;
    let all = doc.text_content(n);
    Some(
        Finding::new(
            &META,
            format!(
                "a {what} inside {}: all its text reads '{all}', the text before the {what} reads '{before}'",
                e.local()
            ),
        )
        .at(doc.span(at), what)
        .related(e.start_tag(), e.local().to_owned()),
    )
}
