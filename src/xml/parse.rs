//! A hardened XML parser over quick-xml events: no DTD, no entity other than the
//! five predefined ones and character references, limits on size, depth, element
//! and attribute counts and text length. It builds the [`Document`] arena with byte
//! spans and resolves namespaces, so prefixes never matter to the stages above.

use std::borrow::Cow;

use quick_xml::events::Event;
use quick_xml::reader::Reader;

use super::span::{LineCol, LineIndex, Span};
use super::tree::{Attribute, Document, Element, Node, NodeId, NodeKind, NsDecl, Pi};
use super::{XML_NS, XMLNS_NS};
use crate::limits::Limits;

/// What made a document unacceptable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XmlErrorKind {
    /// A `<!DOCTYPE`: refused on sight (`xml-dtd-forbidden`).
    Dtd,
    /// An entity reference other than the predefined five (`xml-dtd-forbidden`).
    Entity,
    /// A hardening limit (`xml-limits-exceeded`).
    Limit,
    /// Not well-formed or not namespace-well-formed XML (`input-not-saml`).
    Syntax,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (line {}, column {})", at.line, at.column)]
pub struct XmlError {
    pub kind: XmlErrorKind,
    pub message: String,
    /// Byte offset in the line-normalised text.
    pub offset: usize,
    pub at: LineCol,
}

struct Builder<'a> {
    text: &'a str,
    limits: &'a Limits,
    nodes: Vec<Node>,
    open: Vec<NodeId>,
    top_level: Vec<NodeId>,
    root: Option<NodeId>,
    /// Namespace bindings of open elements, innermost last.
    scopes: Vec<(Option<String>, String)>,
    scope_marks: Vec<usize>,
    pending_text: Option<(Span, String)>,
    elements: usize,
}

/// Parses XML text into a [`Document`].
///
/// # Errors
/// [`XmlError`] with its kind, message and position.
pub fn parse(input: &str, limits: &Limits) -> Result<Document, XmlError> {
    parse_owned(input.to_owned(), limits).map_err(|f| f.error)
}

/// A failed parse, handing back the (line-normalised) text the error position indexes.
#[derive(Debug)]
pub struct ParseFailure {
    pub error: XmlError,
    pub text: String,
}

/// Parses owned text without copying it, returning it on failure so the caller can
/// still show where the error is.
///
/// # Errors
/// [`ParseFailure`] with the error and the text.
pub fn parse_owned(input: String, limits: &Limits) -> Result<Document, ParseFailure> {
    // XML 1.0 §2.11: the parser sees every CR LF and lone CR as LF.
    let text = if memchr::memchr(b'\r', input.as_bytes()).is_some() {
        input.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        input
    };
    match parse_normalized(text, limits) {
        Ok(doc) => Ok(doc),
        Err((error, text)) => Err(ParseFailure { error, text }),
    }
}

fn parse_normalized(text: String, limits: &Limits) -> Result<Document, (XmlError, String)> {
    let lines = LineIndex::new(&text);
    let fail = |kind, message: String, offset: usize| XmlError {
        kind,
        message,
        offset,
        at: lines.line_col(&text, offset),
    };
    if text.len() > limits.max_xml_bytes {
        let e = fail(
            XmlErrorKind::Limit,
            format!(
                "the XML is {} bytes, over the limit of {} bytes",
                text.len(),
                limits.max_xml_bytes
            ),
            0,
        );
        return Err((e, text));
    }
    let mut b = Builder {
        text: &text,
        limits,
        nodes: Vec::with_capacity(text.len() / 40),
        open: Vec::new(),
        top_level: Vec::new(),
        root: None,
        scopes: vec![(Some("xml".to_owned()), XML_NS.to_owned())],
        scope_marks: Vec::new(),
        pending_text: None,
        elements: 0,
    };
    let root = match b.run() {
        Ok(root) => root,
        Err((kind, msg, off)) => {
            let e = fail(kind, msg, off);
            drop(b);
            return Err((e, text));
        }
    };
    let Builder {
        nodes, top_level, ..
    } = b;
    Ok(Document {
        text,
        nodes,
        root,
        top_level,
        lines,
    })
}

type Fail = (XmlErrorKind, String, usize);

fn syntax(message: impl Into<String>, offset: usize) -> Fail {
    (XmlErrorKind::Syntax, message.into(), offset)
}

impl Builder<'_> {
    fn run(&mut self) -> Result<NodeId, Fail> {
        let mut reader = Reader::from_str(self.text);
        let cfg = reader.config_mut();
        cfg.check_end_names = true;
        cfg.check_comments = true;
        cfg.expand_empty_elements = false;
        cfg.trim_text(false);
        let mut seen_decl = false;
        let src = self.text;
        loop {
            let start = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
            let event = reader.read_event().map_err(|e| {
                let at = usize::try_from(reader.error_position()).unwrap_or(start);
                syntax(format!("not well-formed XML: {e}"), at)
            })?;
            let end = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
            let span = Span::new(start, end);
            match event {
                Event::Decl(_) => {
                    if seen_decl || !self.nodes.is_empty() || start > 0 {
                        return Err(syntax(
                            "the XML declaration must come first in the document",
                            start,
                        ));
                    }
                    seen_decl = true;
                }
                Event::DocType(_) => {
                    return Err((
                        XmlErrorKind::Dtd,
                        "a <!DOCTYPE> declaration; DTDs are refused and nothing is expanded"
                            .to_owned(),
                        start,
                    ));
                }
                Event::Start(_) => self.start_element(span, false)?,
                Event::Empty(_) => self.start_element(span, true)?,
                Event::End(_) => self.end_element(end)?,
                Event::Text(_) => {
                    let raw = src.get(start..end).unwrap_or("");
                    self.text_piece(span, raw)?;
                }
                Event::CData(_) => {
                    let raw = src.get(start + 9..end.saturating_sub(3)).unwrap_or("");
                    if self.open.is_empty() {
                        return Err(syntax("CDATA outside the document element", start));
                    }
                    self.push_text(span, raw)?;
                }
                Event::GeneralRef(r) => {
                    if self.open.is_empty() {
                        return Err(syntax("a reference outside the document element", start));
                    }
                    let ch = resolve_reference(&r, start)?;
                    let mut buf = [0u8; 4];
                    self.push_text(span, ch.encode_utf8(&mut buf))?;
                }
                Event::Comment(_) => {
                    let body = src.get(start + 4..end.saturating_sub(3)).unwrap_or("");
                    self.leaf(span, NodeKind::Comment(body.to_owned()));
                }
                Event::PI(p) => {
                    let pi = Pi {
                        target: p.target().to_owned(),
                        data: p.content().trim_start_matches(is_xml_space).to_owned(),
                    };
                    self.leaf(span, NodeKind::Pi(pi));
                }
                Event::Eof => break,
            }
        }
        self.flush_text();
        if let Some(&open) = self.open.last() {
            let name = self
                .element_mut(open)
                .map(|e| e.local.clone())
                .unwrap_or_default();
            return Err(syntax(
                format!("the document ends inside <{name}> (truncated?)"),
                self.text.len(),
            ));
        }
        self.root
            .ok_or_else(|| syntax("no document element", self.text.len()))
    }

    fn element_mut(&mut self, id: NodeId) -> Option<&mut Element> {
        match &mut self.nodes.get_mut(id.index())?.kind {
            NodeKind::Element(e) => Some(e),
            _ => None,
        }
    }

    fn next_id(&self) -> Result<NodeId, Fail> {
        u32::try_from(self.nodes.len())
            .map(NodeId)
            .map_err(|_| syntax("too many nodes", self.text.len()))
    }

    fn attach(&mut self, id: NodeId) {
        match self.open.last().copied() {
            Some(parent) => {
                if let Some(e) = self.element_mut(parent) {
                    e.children.push(id);
                }
            }
            None => self.top_level.push(id),
        }
    }

    fn leaf(&mut self, span: Span, kind: NodeKind) {
        self.flush_text();
        let Ok(id) = self.next_id() else { return };
        self.nodes.push(Node {
            parent: self.open.last().copied(),
            span,
            kind,
            subtree_end: id.0 + 1,
        });
        self.attach(id);
    }

    fn text_piece(&mut self, span: Span, raw: &str) -> Result<(), Fail> {
        if self.open.is_empty() {
            if raw.chars().all(is_xml_space) {
                return Ok(());
            }
            return Err(syntax(
                "text outside the document element",
                span.start + raw.len() - raw.trim_start_matches(is_xml_space).len(),
            ));
        }
        self.push_text(span, raw)
    }

    fn push_text(&mut self, span: Span, piece: &str) -> Result<(), Fail> {
        let limit = self.limits.max_text_bytes;
        let (text_span, buf) = self
            .pending_text
            .get_or_insert_with(|| (span, String::new()));
        text_span.end = span.end;
        buf.push_str(piece);
        if buf.len() > limit {
            return Err((
                XmlErrorKind::Limit,
                format!("a text node is longer than the limit of {limit} bytes"),
                span.start,
            ));
        }
        Ok(())
    }

    fn flush_text(&mut self) {
        if let Some((span, text)) = self.pending_text.take() {
            let Ok(id) = self.next_id() else { return };
            self.nodes.push(Node {
                parent: self.open.last().copied(),
                span,
                kind: NodeKind::Text(text),
                subtree_end: id.0 + 1,
            });
            self.attach(id);
        }
    }

    fn start_element(&mut self, span: Span, empty: bool) -> Result<(), Fail> {
        self.flush_text();
        if self.open.is_empty() && self.root.is_some() {
            return Err(syntax(
                "a second element at the top level (only one document element is allowed)",
                span.start,
            ));
        }
        self.elements += 1;
        if self.elements > self.limits.max_elements {
            return Err((
                XmlErrorKind::Limit,
                format!(
                    "more than {} elements in the document",
                    self.limits.max_elements
                ),
                span.start,
            ));
        }
        if self.open.len() >= self.limits.max_depth {
            return Err((
                XmlErrorKind::Limit,
                format!(
                    "elements nested deeper than {} levels",
                    self.limits.max_depth
                ),
                span.start,
            ));
        }
        // The tag without `<`, `>` and the `/` of an empty element.
        let inner_end = span.end.saturating_sub(if empty { 2 } else { 1 });
        let inner_start = span.start + 1;
        let inner = self
            .text
            .get(inner_start..inner_end)
            .ok_or_else(|| syntax("malformed tag", span.start))?;
        let tag = scan_tag(inner, inner_start, self.limits)?;

        // Namespace declarations first: they are in scope for the element's own name.
        self.scope_marks.push(self.scopes.len());
        let mut namespaces = Vec::new();
        let mut plain = Vec::new();
        for a in tag.attributes {
            match (a.prefix, a.local) {
                (None, "xmlns") => {
                    namespaces.push(NsDecl {
                        prefix: None,
                        uri: a.value,
                        span: a.span,
                    });
                }
                (Some("xmlns"), p) => {
                    if a.value.is_empty() {
                        return Err(syntax(
                            format!("xmlns:{p}=\"\" is not allowed in XML 1.0"),
                            a.span.start,
                        ));
                    }
                    if (p == "xml") != (a.value == XML_NS) || p == "xmlns" || a.value == XMLNS_NS {
                        return Err(syntax(
                            format!("the reserved prefix or namespace is rebound by xmlns:{p}"),
                            a.span.start,
                        ));
                    }
                    namespaces.push(NsDecl {
                        prefix: Some(p.to_owned()),
                        uri: a.value,
                        span: a.span,
                    });
                }
                _ => plain.push(a),
            }
        }
        for d in &namespaces {
            self.scopes.push((d.prefix.clone(), d.uri.clone()));
        }
        let namespace = self.resolve(tag.prefix, span.start + 1, true)?;
        let mut attributes = Vec::with_capacity(plain.len());
        for a in plain {
            let ns = match a.prefix {
                Some(_) => self.resolve(a.prefix, a.span.start, false)?,
                None => None,
            };
            if attributes
                .iter()
                .any(|b: &Attribute| b.local == a.local && b.namespace == ns)
            {
                return Err(syntax(
                    format!("attribute {} appears twice", a.qname()),
                    a.span.start,
                ));
            }
            attributes.push(Attribute {
                prefix: a.prefix.map(str::to_owned),
                local: a.local.to_owned(),
                namespace: ns,
                value: a.value,
                span: a.span,
                value_span: a.value_span,
            });
        }
        let id = self.next_id()?;
        self.nodes.push(Node {
            parent: self.open.last().copied(),
            span,
            kind: NodeKind::Element(Element {
                prefix: tag.prefix.map(str::to_owned),
                local: tag.local.to_owned(),
                namespace,
                attributes,
                namespaces,
                children: Vec::new(),
                start_tag: span,
            }),
            subtree_end: id.0 + 1,
        });
        self.attach(id);
        if self.open.is_empty() {
            self.root = Some(id);
        }
        self.open.push(id);
        if empty {
            self.end_element(span.end)?;
        }
        Ok(())
    }

    fn end_element(&mut self, end: usize) -> Result<(), Fail> {
        self.flush_text();
        let id = self
            .open
            .pop()
            .ok_or_else(|| syntax("an end tag with no start tag", end))?;
        let subtree_end = u32::try_from(self.nodes.len()).unwrap_or(u32::MAX);
        if let Some(node) = self.nodes.get_mut(id.index()) {
            node.span.end = end;
            node.subtree_end = subtree_end;
        }
        if let Some(mark) = self.scope_marks.pop() {
            self.scopes.truncate(mark);
        }
        Ok(())
    }

    fn resolve(
        &self,
        prefix: Option<&str>,
        offset: usize,
        element: bool,
    ) -> Result<Option<String>, Fail> {
        let found = self
            .scopes
            .iter()
            .rev()
            .find(|(p, _)| p.as_deref() == prefix);
        match (prefix, found) {
            (_, Some((_, uri))) if !uri.is_empty() => Ok(Some(uri.clone())),
            (None, _) if element => Ok(None),
            (Some(p), _) => Err(syntax(format!("the prefix '{p}' is not declared"), offset)),
            (None, _) => Ok(None),
        }
    }
}

struct RawAttr<'t> {
    prefix: Option<&'t str>,
    local: &'t str,
    value: String,
    span: Span,
    value_span: Span,
}

impl RawAttr<'_> {
    fn qname(&self) -> String {
        match self.prefix {
            Some(p) => format!("{p}:{}", self.local),
            None => self.local.to_owned(),
        }
    }
}

struct Tag<'t> {
    prefix: Option<&'t str>,
    local: &'t str,
    attributes: Vec<RawAttr<'t>>,
}

fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

fn is_name_byte(b: u8) -> bool {
    !matches!(
        b,
        b' ' | b'\t' | b'\n' | b'\r' | b'=' | b'"' | b'\'' | b'<' | b'>' | b'/' | b'&'
    )
}

/// Splits `p:local`; more than one colon, or an empty part, is not namespace-well-formed.
fn split_qname(name: &str, offset: usize) -> Result<(Option<&str>, &str), Fail> {
    let bad = || syntax(format!("'{name}' is not a valid qualified name"), offset);
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '.') {
        return Err(bad());
    }
    match name.split_once(':') {
        None => Ok((None, name)),
        Some((p, l)) if !p.is_empty() && !l.is_empty() && !l.contains(':') => Ok((Some(p), l)),
        Some(_) => Err(bad()),
    }
}

/// Reads the element name and attributes of a tag's inside, keeping spans.
fn scan_tag<'t>(inner: &'t str, base: usize, limits: &Limits) -> Result<Tag<'t>, Fail> {
    let bytes = inner.as_bytes();
    let name_end = bytes
        .iter()
        .position(|&b| !is_name_byte(b))
        .unwrap_or(bytes.len());
    let (prefix, local) = split_qname(&inner[..name_end], base)?;
    let mut attributes = Vec::new();
    let mut i = name_end;
    loop {
        let ws_start = i;
        while i < bytes.len() && is_xml_space(char::from(bytes[i])) {
            i += 1;
        }
        if i >= bytes.len() {
            break;
        }
        if i == ws_start {
            return Err(syntax(
                "attributes must be separated by whitespace",
                base + i,
            ));
        }
        let attr_start = i;
        while i < bytes.len() && is_name_byte(bytes[i]) {
            i += 1;
        }
        let name = &inner[attr_start..i];
        let (a_prefix, a_local) = split_qname(name, base + attr_start)?;
        while i < bytes.len() && is_xml_space(char::from(bytes[i])) {
            i += 1;
        }
        if bytes.get(i) != Some(&b'=') {
            return Err(syntax(
                format!("attribute '{name}' has no value"),
                base + attr_start,
            ));
        }
        i += 1;
        while i < bytes.len() && is_xml_space(char::from(bytes[i])) {
            i += 1;
        }
        let Some(&quote @ (b'"' | b'\'')) = bytes.get(i) else {
            return Err(syntax(
                format!("the value of attribute '{name}' is not quoted"),
                base + i,
            ));
        };
        let value_start = i + 1;
        let value_end = memchr::memchr(quote, &bytes[value_start..])
            .map(|p| value_start + p)
            .ok_or_else(|| syntax(format!("unterminated value of '{name}'"), base + i))?;
        let raw = &inner[value_start..value_end];
        if raw.len() > limits.max_text_bytes {
            return Err((
                XmlErrorKind::Limit,
                format!(
                    "the value of attribute '{name}' is longer than the limit of {} bytes",
                    limits.max_text_bytes
                ),
                base + attr_start,
            ));
        }
        let value = normalize_attr_value(raw, base + value_start)?;
        i = value_end + 1;
        attributes.push(RawAttr {
            prefix: a_prefix,
            local: a_local,
            value: value.into_owned(),
            span: Span::new(base + attr_start, base + i),
            value_span: Span::new(base + value_start, base + value_end),
        });
        if attributes.len() > limits.max_attributes {
            return Err((
                XmlErrorKind::Limit,
                format!(
                    "more than {} attributes on one element",
                    limits.max_attributes
                ),
                base + attr_start,
            ));
        }
    }
    Ok(Tag {
        prefix,
        local,
        attributes,
    })
}

/// XML 1.0 §3.3.3 for CDATA attributes: references are resolved, and each literal
/// whitespace character becomes a space (a character reference such as `&#10;` stays).
fn normalize_attr_value(raw: &str, offset: usize) -> Result<Cow<'_, str>, Fail> {
    if !raw
        .bytes()
        .any(|b| matches!(b, b'&' | b'<' | b'\t' | b'\n' | b'\r'))
    {
        return Ok(Cow::Borrowed(raw));
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    let mut pos = offset;
    while let Some(c) = rest.chars().next() {
        match c {
            '<' => return Err(syntax("'<' inside an attribute value", pos)),
            '&' => {
                let semi = rest
                    .find(';')
                    .ok_or_else(|| syntax("an '&' that starts no reference", pos))?;
                let ch = resolve_reference(&rest[1..semi], pos)?;
                out.push(ch);
                pos += semi + 1;
                rest = &rest[semi + 1..];
                continue;
            }
            '\t' | '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
        pos += c.len_utf8();
        rest = &rest[c.len_utf8()..];
    }
    Ok(Cow::Owned(out))
}

/// Resolves the inside of `&...;`: a character reference or a predefined entity.
fn resolve_reference(name: &str, offset: usize) -> Result<char, Fail> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix('x') {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => num.parse::<u32>().ok(),
        };
        return code
            .and_then(char::from_u32)
            .filter(|&c| is_xml_char(c))
            .ok_or_else(|| {
                syntax(
                    format!("&{name}; is not a valid character reference"),
                    offset,
                )
            });
    }
    match name {
        "lt" => Ok('<'),
        "gt" => Ok('>'),
        "amp" => Ok('&'),
        "quot" => Ok('"'),
        "apos" => Ok('\''),
        _ => Err((
            XmlErrorKind::Entity,
            format!(
                "the entity reference &{name}; (only the five predefined entities are allowed; nothing is expanded)"
            ),
            offset,
        )),
    }
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}
