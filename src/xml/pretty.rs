//! Pretty-printing for people (`samlint decode`, the TUI's XML tab). The output is
//! for reading only: re-indenting changes the bytes a signature covers.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::span::Span;
use super::tree::{Document, NodeId, NodeKind};
use crate::limits::Limits;

/// Parses and re-indents XML, or `None` when it does not parse.
pub fn pretty(text: &str, limits: &Limits) -> Option<String> {
    let doc = super::parse(text, limits).ok()?;
    Some(pretty_doc(&doc))
}

pub fn pretty_doc(doc: &Document) -> String {
    let mut out = String::with_capacity(doc.text().len() * 3 / 2);
    for line in pretty_lines(doc) {
        out.push_str(&line.text);
        out.push('\n');
    }
    out
}

/// One line of pretty-printed XML and where it came from, so a view can go from a
/// finding's span to the line that shows it, and fold elements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrettyLine {
    /// The line, indentation included, without its line break.
    pub text: String,
    pub depth: usize,
    /// The span in the decoded text of the node the line shows: the whole element
    /// for an opening line, its end for a closing line.
    pub span: Span,
    /// For the opening line of an element written over several lines: the index of
    /// its closing line.
    pub close: Option<usize>,
    /// The element's node, on opening lines.
    pub node: Option<NodeId>,
}

/// Pretty-prints a document into lines, in document order (so `span.start` never
/// decreases from one line to the next).
pub fn pretty_lines(doc: &Document) -> Vec<PrettyLine> {
    let mut lines = Vec::new();
    for &n in doc.top_level() {
        write_node(doc, n, 0, &mut lines);
    }
    lines
}

/// The index of the line that shows byte `offset`: the last line whose node starts
/// at or before it.
pub fn line_of_offset(lines: &[PrettyLine], offset: usize) -> usize {
    lines
        .partition_point(|l| l.span.start <= offset)
        .saturating_sub(1)
}

/// The lines that show the element whose span is `span` (a node's span as the
/// document records it): its opening line and its closing line, inclusive (the same
/// line for an element written on one). `None` when no line opens such an element.
pub fn lines_of_element(lines: &[PrettyLine], span: Span) -> Option<(usize, usize)> {
    let from = lines.partition_point(|l| l.span.start < span.start);
    let at = lines[from..]
        .iter()
        .take_while(|l| l.span.start == span.start)
        .position(|l| l.node.is_some() && l.span == span)?;
    let open = from + at;
    Some((open, lines[open].close.unwrap_or(open)))
}

fn push(lines: &mut Vec<PrettyLine>, text: &str, depth: usize, span: Span, node: Option<NodeId>) {
    for part in text.split('\n') {
        lines.push(PrettyLine {
            text: part.to_owned(),
            depth,
            span,
            close: None,
            node,
        });
    }
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

fn write_node(doc: &Document, id: NodeId, depth: usize, lines: &mut Vec<PrettyLine>) {
    let indent = "  ".repeat(depth);
    let span = doc.span(id);
    match doc.kind(id) {
        NodeKind::Text(t) => {
            let t = t.trim();
            if !t.is_empty() {
                let mut out = indent;
                escape_text(t, &mut out);
                push(lines, &out, depth, span, None);
            }
        }
        NodeKind::Comment(c) => {
            push(lines, &format!("{indent}<!--{c}-->"), depth, span, None);
        }
        NodeKind::Pi(p) => {
            let sep = if p.data.is_empty() { "" } else { " " };
            let text = format!("{indent}<?{}{sep}{}?>", p.target, p.data);
            push(lines, &text, depth, span, None);
        }
        NodeKind::Element(e) => {
            let mut out = indent.clone();
            out.push('<');
            out.push_str(e.qname());
            // Namespace declarations and attributes in the order they were written.
            let mut attrs: Vec<(usize, Cow<'_, str>, &str)> = e
                .namespaces()
                .map(|d| {
                    let name = d
                        .prefix()
                        .map_or(Cow::Borrowed("xmlns"), |p| Cow::Owned(format!("xmlns:{p}")));
                    (d.span().start, name, d.uri())
                })
                .chain(
                    e.attributes()
                        .map(|a| (a.span().start, Cow::Borrowed(a.qname()), a.value())),
                )
                .collect();
            attrs.sort_by_key(|(start, _, _)| *start);
            for (_, name, value) in attrs {
                let _ = write!(out, " {name}=\"");
                escape_attr(value, &mut out);
                out.push('"');
            }
            let kids = e.children();
            if kids.is_empty() {
                out.push_str("/>");
                push(lines, &out, depth, span, Some(id));
                return;
            }
            let only_text = kids
                .iter()
                .all(|&k| matches!(doc.kind(k), NodeKind::Text(_)));
            if only_text {
                out.push('>');
                escape_text(&doc.text_content(id), &mut out);
                let _ = write!(out, "</{}>", e.qname());
                push(lines, &out, depth, span, Some(id));
                return;
            }
            out.push('>');
            let open = lines.len();
            push(lines, &out, depth, span, Some(id));
            for &k in kids {
                write_node(doc, k, depth + 1, lines);
            }
            let end = Span::new(span.end.saturating_sub(1), span.end);
            let close = lines.len();
            push(
                lines,
                &format!("{indent}</{}>", e.qname()),
                depth,
                end,
                None,
            );
            if let Some(l) = lines.get_mut(open) {
                l.close = Some(close);
            }
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

    #[test]
    fn lines_map_back_to_spans() {
        let text = "<a><b x=\"1\">t</b><c><d/></c></a>";
        let doc = crate::xml::parse(text, &Limits::default()).unwrap();
        let lines = pretty_lines(&doc);
        let shown: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            shown,
            [
                "<a>",
                "  <b x=\"1\">t</b>",
                "  <c>",
                "    <d/>",
                "  </c>",
                "</a>"
            ]
        );
        assert_eq!(lines[0].close, Some(5));
        assert_eq!(lines[2].close, Some(4));
        // The attribute x sits on line 1; the <d/> element on line 3.
        assert_eq!(line_of_offset(&lines, text.find("x=").unwrap()), 1);
        assert_eq!(line_of_offset(&lines, text.find("<d").unwrap()), 3);
        assert!(lines.windows(2).all(|w| w[0].span.start <= w[1].span.start));
    }

    #[test]
    fn an_element_span_maps_to_its_lines() {
        let text = "<a><b x=\"1\">t</b><c><d/></c></a>";
        let doc = crate::xml::parse(text, &Limits::default()).unwrap();
        let lines = pretty_lines(&doc);
        let span_of = |local: &str| {
            doc.descendants(doc.root())
                .chain([doc.root()])
                .find(|&n| doc.element(n).is_some_and(|e| e.local() == local))
                .map(|n| doc.span(n))
                .unwrap()
        };
        assert_eq!(lines_of_element(&lines, span_of("a")), Some((0, 5)));
        assert_eq!(lines_of_element(&lines, span_of("b")), Some((1, 1)));
        assert_eq!(lines_of_element(&lines, span_of("c")), Some((2, 4)));
        assert_eq!(lines_of_element(&lines, span_of("d")), Some((3, 3)));
        // A span that is no element's (the text inside b) shows no element.
        let t = text.find(">t<").unwrap() + 1;
        assert_eq!(lines_of_element(&lines, Span::new(t, t + 1)), None);
    }
}
