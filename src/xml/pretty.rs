//! Pretty-printing for people (`samlint decode`, the TUI's XML tab). The output is
//! for reading only: re-indenting changes the bytes a signature covers.

use std::fmt::Write as _;

use super::tree::{Document, NodeId, NodeKind};
use crate::limits::Limits;

/// Parses and re-indents XML, or `None` when it does not parse.
pub fn pretty(text: &str, limits: &Limits) -> Option<String> {
    let doc = super::parse(text, limits).ok()?;
    Some(pretty_doc(&doc))
}

pub fn pretty_doc(doc: &Document) -> String {
    let mut out = String::with_capacity(doc.text().len() * 3 / 2);
    for &n in doc.top_level() {
        write_node(doc, n, 0, &mut out);
    }
    out
}

fn escape_text(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
}

fn escape_attr(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
}

fn write_node(doc: &Document, id: NodeId, depth: usize, out: &mut String) {
    let indent = "  ".repeat(depth);
    match &doc.node(id).kind {
        NodeKind::Text(t) => {
            let t = t.trim();
            if !t.is_empty() {
                out.push_str(&indent);
                escape_text(t, out);
                out.push('\n');
            }
        }
        NodeKind::Comment(c) => {
            let _ = writeln!(out, "{indent}<!--{c}-->");
        }
        NodeKind::Pi(p) => {
            let sep = if p.data.is_empty() { "" } else { " " };
            let _ = writeln!(out, "{indent}<?{}{sep}{}?>", p.target, p.data);
        }
        NodeKind::Element(e) => {
            out.push_str(&indent);
            out.push('<');
            out.push_str(&e.qname());
            // Namespace declarations and attributes in the order they were written.
            let mut attrs: Vec<(usize, String, &str)> = e
                .namespaces
                .iter()
                .map(|d| {
                    let name = d
                        .prefix
                        .as_ref()
                        .map_or_else(|| "xmlns".to_owned(), |p| format!("xmlns:{p}"));
                    (d.span.start, name, d.uri.as_str())
                })
                .chain(
                    e.attributes
                        .iter()
                        .map(|a| (a.span.start, a.qname(), a.value.as_str())),
                )
                .collect();
            attrs.sort_by_key(|(start, _, _)| *start);
            for (_, name, value) in attrs {
                let _ = write!(out, " {name}=\"");
                escape_attr(value, out);
                out.push('"');
            }
            let kids = &e.children;
            if kids.is_empty() {
                out.push_str("/>\n");
                return;
            }
            let only_text = kids
                .iter()
                .all(|&k| matches!(doc.node(k).kind, NodeKind::Text(_)));
            if only_text {
                out.push('>');
                escape_text(&doc.text_content(id), out);
                let _ = writeln!(out, "</{}>", e.qname());
                return;
            }
            out.push_str(">\n");
            for &k in kids {
                write_node(doc, k, depth + 1, out);
            }
            let _ = writeln!(out, "{indent}</{}>", e.qname());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indents_and_escapes() {
        let out = pretty(
            "<?xml version=\"1.0\"?><a xmlns=\"urn:a\" k=\"x&amp;y\"><b>t &lt; u</b><!--c--><c/></a>",
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(
            out,
            "<a xmlns=\"urn:a\" k=\"x&amp;y\">\n  <b>t &lt; u</b>\n  <!--c-->\n  <c/>\n</a>\n"
        );
    }
}
