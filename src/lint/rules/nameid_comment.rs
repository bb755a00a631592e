use crate::lint::rule::{Profile, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "nameid-comment",
    code: "SL0208",
    default_severity: Severity::Error,
    profiles: Profile::ALL,
    summary: "A comment or processing instruction sits inside NameID, Issuer, Audience or an AttributeValue",
    aws_error: "— (attack)",
    fix_okta: "Okta never emits comments: treat as tampering.",
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

pub fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let doc = cx.doc;
    let mut nodes: Vec<NodeId> = Vec::new();
    if let Some(i) = &cx.response.issuer {
        nodes.push(i.node);
    }
    if let Some(a) = cx.assertion {
        nodes.extend(doc.descendants(a.node).filter(|&n| {
            doc.element(n)
                .is_some_and(|e| e.namespace() == Some(ASSERTION_NS) && READ.contains(&e.local()))
        }));
    }
    for n in nodes {
        if let Some(f) = finding(doc, n) {
            out.push(f);
        }
    }
}

fn finding(doc: &Document, n: NodeId) -> Option<Finding> {
    let e = doc.element(n)?;
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
