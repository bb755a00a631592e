//! The hardened XML layer: parse decoded text into a [`Document`] that keeps byte
//! spans for every node, so findings can point at line:column.

mod parse;
mod pretty;
mod span;
mod tree;

pub use parse::{ParseFailure, XmlError, XmlErrorKind, parse, parse_owned};
pub use pretty::{PrettyLine, line_of_offset, pretty, pretty_doc, pretty_lines};
pub use span::{LineCol, LineIndex, Span};
pub use tree::{Attribute, Document, Element, Node, NodeId, NodeKind, NsDecl, Pi};

pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
pub const XMLNS_NS: &str = "http://www.w3.org/2000/xmlns/";

/// Whether decoded text is an HTML page rather than XML (checked before parsing, so
/// a captured login page is named as such instead of failing on its DOCTYPE).
pub fn looks_like_html(text: &str) -> bool {
    let head: String = text
        .trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n'])
        .chars()
        .take(512)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || (head.starts_with("<!--") || head.starts_with("<?xml")) && head.contains("<html")
}

#[cfg(test)]
mod tests;
