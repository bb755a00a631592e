//! A hardened XML parser over quick-xml events: no DTD, no entity other than the
//! five predefined ones and character references, limits on size, depth, element
//! and attribute counts and text length. It builds the [`Document`] arena with byte
//! spans and resolves namespaces, so prefixes never matter to the stages above.

use quick_xml::events::Event;
use quick_xml::reader::Reader;

use super::span::{LineCol, LineIndex, Span};
use super::tree::{AttrData, DeclData, Document, ElementData, Kind, Node, NodeId, QName, Run, Str};
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
    attributes: Vec<AttrData>,
    namespaces: Vec<DeclData>,
    /// Values that differ from their source text.
    owned: String,
    /// Open elements, innermost last, each with the length of `scopes` before it.
    open: Vec<(NodeId, usize)>,
    root: Option<NodeId>,
    /// Namespace bindings of open elements, innermost last.
    scopes: Vec<(Option<&'a str>, Str)>,
    /// The text node being gathered: its span and its value so far.
    pending_text: Option<(Span, Str)>,
    /// Scratch for the attributes of one tag.
    raw: Vec<RawAttr<'a>>,
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
        attributes: Vec::with_capacity(text.len() / 128),
        namespaces: Vec::new(),
        owned: String::new(),
        open: Vec::with_capacity(16),
        root: None,
        scopes: Vec::with_capacity(16),
        pending_text: None,
        raw: Vec::with_capacity(8),
        elements: 0,
    };
    b.scopes.push((Some("xml"), Str::Static(XML_NS)));
    let root = match b.run() {
        Ok(root) => root,
        Err((kind, msg, off)) => {
            let e = fail(kind, msg, off);
            drop(b);
            return Err((e, text));
        }
    };
    let Builder {
        mut nodes,
        attributes,
        namespaces,
        owned,
        ..
    } = b;
    let (children, top_level) = link_children(&mut nodes);
    Ok(Document {
        text,
        owned,
        nodes,
        attributes,
        namespaces,
        children,
        top_level,
        root,
        lines,
    })
}

/// Fills in the child lists from the subtree ends: the first child of a node is the
/// next id, and each child's subtree end is the next sibling. Returns all the lists
/// in one vector (the top level first) and the top level's run.
fn link_children(nodes: &mut [Node]) -> (Vec<NodeId>, Run) {
    let mut children = Vec::with_capacity(nodes.len());
    let subtree_end =
        |nodes: &[Node], c: u32| nodes.get(c as usize).map_or(u32::MAX, |n| n.subtree_end);
    let len = u32::try_from(nodes.len()).unwrap_or(u32::MAX);
    let mut c = 0;
    while c < len {
        children.push(NodeId(c));
        c = subtree_end(nodes, c);
    }
    let top_level = Run::new(0, children.len());
    for id in 0..len {
        let end = subtree_end(nodes, id);
        let start = children.len();
        let mut c = id + 1;
        while c < end {
            children.push(NodeId(c));
            c = subtree_end(nodes, c);
        }
        if let Some(Node {
            kind: Kind::Element(e),
            ..
        }) = nodes.get_mut(id as usize)
        {
            e.children = Run::new(start, children.len());
        }
    }
    (children, top_level)
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
                Event::Text(_) => self.text_piece(span)?,
                Event::CData(_) => {
                    if self.open.is_empty() {
                        return Err(syntax("CDATA outside the document element", start));
                    }
                    let body = Span::new(start + 9, end.saturating_sub(3).max(start + 9));
                    self.push_text(span, Piece::Source(body))?;
                }
                Event::GeneralRef(r) => {
                    if self.open.is_empty() {
                        return Err(syntax("a reference outside the document element", start));
                    }
                    let ch = resolve_reference(&r, start)?;
                    self.push_text(span, Piece::Char(ch))?;
                }
                Event::Comment(_) => {
                    let body = Span::new(start + 4, end.saturating_sub(3).max(start + 4));
                    self.leaf(span, Kind::Comment(body));
                }
                Event::PI(p) => {
                    // `<?target content?>`: the target follows `<?`, the content ends
                    // at `?>`.
                    let target_end = start + 2 + p.target().len();
                    let data_end = end.saturating_sub(2).max(target_end);
                    let data_len = p.content().trim_start_matches(is_xml_space).len();
                    let kind = Kind::Pi {
                        target: Span::new(start + 2, target_end),
                        data: Span::new(
                            data_end.saturating_sub(data_len).max(target_end),
                            data_end,
                        ),
                    };
                    self.leaf(span, kind);
                }
                Event::Eof => break,
            }
        }
        self.flush_text();
        if let Some(&(open, _)) = self.open.last() {
            let name = match self.nodes.get(open.index()) {
                Some(Node {
                    kind: Kind::Element(e),
                    ..
                }) => self.text.get(e.name.local_start..e.name.name.end),
                _ => None,
            }
            .unwrap_or_default();
            return Err(syntax(
                format!("the document ends inside <{name}> (truncated?)"),
                self.text.len(),
            ));
        }
        self.root
            .ok_or_else(|| syntax("no document element", self.text.len()))
    }

    fn next_id(&self) -> Result<NodeId, Fail> {
        u32::try_from(self.nodes.len())
            .map(NodeId)
            .map_err(|_| syntax("too many nodes", self.text.len()))
    }

    fn parent(&self) -> Option<NodeId> {
        self.open.last().map(|&(id, _)| id)
    }

    fn leaf(&mut self, span: Span, kind: Kind) {
        self.flush_text();
        let Ok(id) = self.next_id() else { return };
        self.nodes.push(Node {
            parent: self.parent(),
            span,
            kind,
            subtree_end: id.0 + 1,
        });
    }

    fn text_piece(&mut self, span: Span) -> Result<(), Fail> {
        if self.open.is_empty() {
            let raw = self.text.get(span.start..span.end).unwrap_or("");
            if raw.chars().all(is_xml_space) {
                return Ok(());
            }
            return Err(syntax(
                "text outside the document element",
                span.start + raw.len() - raw.trim_start_matches(is_xml_space).len(),
            ));
        }
        self.push_text(span, Piece::Source(span))
    }

    /// Adds a piece to the text node being gathered. A node of one piece stays a
    /// span of the source; a second piece, or a resolved reference, moves it into
    /// `owned` (nothing else is added there while a text node is open).
    fn push_text(&mut self, span: Span, piece: Piece) -> Result<(), Fail> {
        let (text_span, value) = match self.pending_text.take() {
            None => match piece {
                Piece::Source(s) => (span, Str::Text(s)),
                Piece::Char(c) => {
                    let start = self.owned.len();
                    self.owned.push(c);
                    (span, Str::Owned(Span::new(start, self.owned.len())))
                }
            },
            Some((mut text_span, value)) => {
                text_span.end = span.end;
                let start = match value {
                    Str::Owned(s) => s.start,
                    Str::Text(s) => {
                        let start = self.owned.len();
                        self.owned
                            .push_str(self.text.get(s.start..s.end).unwrap_or(""));
                        start
                    }
                    Str::Static(s) => {
                        let start = self.owned.len();
                        self.owned.push_str(s);
                        start
                    }
                };
                match piece {
                    Piece::Source(s) => self
                        .owned
                        .push_str(self.text.get(s.start..s.end).unwrap_or("")),
                    Piece::Char(c) => self.owned.push(c),
                }
                (text_span, Str::Owned(Span::new(start, self.owned.len())))
            }
        };
        self.pending_text = Some((text_span, value));
        let limit = self.limits.max_text_bytes;
        if value.len() > limit {
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
                parent: self.parent(),
                span,
                kind: Kind::Text(text),
                subtree_end: id.0 + 1,
            });
        }
    }

    /// A string of a value being built (in the text or in `owned`).
    fn str(&self, s: Str) -> &str {
        resolve_str(self.text, &self.owned, s)
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
        let mut raw = std::mem::take(&mut self.raw);
        raw.clear();
        let name = scan_tag(inner, inner_start, self.limits, &mut raw, &mut self.owned)?;

        // Namespace declarations first: they are in scope for the element's own name.
        let scope_mark = self.scopes.len();
        let decls_start = self.namespaces.len();
        for a in &raw {
            // One binding per prefix and element, as libxml2 requires (the Namespaces
            // in XML constraint on unique attributes): with two, parsers disagree on
            // which wins, and the tree and a verifier could read different names.
            let declares = match (a.prefix, a.local) {
                (None, "xmlns") => Some(None),
                (Some("xmlns"), p) => Some(Some(p)),
                _ => None,
            };
            if let Some(prefix) = declares
                && self
                    .scopes
                    .get(scope_mark..)
                    .is_some_and(|own| own.iter().any(|(p, _)| *p == prefix))
            {
                return Err(syntax(
                    format!("{} is declared twice on one element", a.qname()),
                    a.span.start,
                ));
            }
            match (a.prefix, a.local) {
                (None, "xmlns") => {
                    self.namespaces.push(DeclData {
                        prefix: None,
                        uri: a.value,
                        span: a.span,
                    });
                    self.scopes.push((None, a.value));
                }
                (Some("xmlns"), p) => {
                    let value = resolve_str(self.text, &self.owned, a.value);
                    if value.is_empty() {
                        return Err(syntax(
                            format!("xmlns:{p}=\"\" is not allowed in XML 1.0"),
                            a.span.start,
                        ));
                    }
                    if (p == "xml") != (value == XML_NS) || p == "xmlns" || value == XMLNS_NS {
                        return Err(syntax(
                            format!("the reserved prefix or namespace is rebound by xmlns:{p}"),
                            a.span.start,
                        ));
                    }
                    self.namespaces.push(DeclData {
                        prefix: Some(a.name.local()),
                        uri: a.value,
                        span: a.span,
                    });
                    self.scopes.push((Some(p), a.value));
                }
                _ => {}
            }
        }
        let decls = Run::new(decls_start, self.namespaces.len());
        let namespace = self.resolve(name.prefix, span.start + 1, true)?;
        let attrs_start = self.attributes.len();
        for a in &raw {
            if matches!((a.prefix, a.local), (None, "xmlns") | (Some("xmlns"), _)) {
                continue;
            }
            let ns = match a.prefix {
                Some(_) => self.resolve(a.prefix, a.span.start, false)?,
                None => None,
            };
            let twice = self
                .attributes
                .get(attrs_start..)
                .unwrap_or(&[])
                .iter()
                .any(|b| {
                    self.text.get(b.name.local_start..b.name.name.end) == Some(a.local)
                        && b.namespace.map(|s| self.str(s)) == ns.map(|s| self.str(s))
                });
            if twice {
                return Err(syntax(
                    format!("attribute {} appears twice", a.qname()),
                    a.span.start,
                ));
            }
            self.attributes.push(AttrData {
                name: a.name,
                namespace: ns,
                value: a.value,
                span: a.span,
                value_span: a.value_span,
            });
        }
        self.raw = raw;
        let attributes = Run::new(attrs_start, self.attributes.len());
        let id = self.next_id()?;
        self.nodes.push(Node {
            parent: self.parent(),
            span,
            kind: Kind::Element(ElementData {
                name: name.name,
                namespace,
                attributes,
                namespaces: decls,
                children: Run::default(),
                start_tag: span,
            }),
            subtree_end: id.0 + 1,
        });
        if self.open.is_empty() {
            self.root = Some(id);
        }
        self.open.push((id, scope_mark));
        if empty {
            self.end_element(span.end)?;
        }
        Ok(())
    }

    fn end_element(&mut self, end: usize) -> Result<(), Fail> {
        self.flush_text();
        let (id, scope_mark) = self
            .open
            .pop()
            .ok_or_else(|| syntax("an end tag with no start tag", end))?;
        let subtree_end = u32::try_from(self.nodes.len()).unwrap_or(u32::MAX);
        if let Some(node) = self.nodes.get_mut(id.index()) {
            node.span.end = end;
            node.subtree_end = subtree_end;
        }
        self.scopes.truncate(scope_mark);
        Ok(())
    }

    fn resolve(
        &self,
        prefix: Option<&str>,
        offset: usize,
        element: bool,
    ) -> Result<Option<Str>, Fail> {
        let found = self.scopes.iter().rev().find(|(p, _)| *p == prefix);
        match (prefix, found) {
            (_, Some(&(_, uri))) if uri.len() > 0 => Ok(Some(uri)),
            (None, _) if element => Ok(None),
            (Some(p), _) => Err(syntax(format!("the prefix '{p}' is not declared"), offset)),
            (None, _) => Ok(None),
        }
    }
}

fn resolve_str<'s>(text: &'s str, owned: &'s str, s: Str) -> &'s str {
    match s {
        Str::Text(span) => text.get(span.start..span.end).unwrap_or(""),
        Str::Owned(span) => owned.get(span.start..span.end).unwrap_or(""),
        Str::Static(s) => s,
    }
}

/// A piece of a text node: character data or CDATA in the source, or a resolved
/// reference.
#[derive(Clone, Copy)]
enum Piece {
    Source(Span),
    Char(char),
}

struct RawAttr<'t> {
    prefix: Option<&'t str>,
    local: &'t str,
    name: QName,
    value: Str,
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

/// An element's name: its prefix as written and where the name is.
struct TagName<'t> {
    prefix: Option<&'t str>,
    name: QName,
}

fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

// Classes of the bytes of a start tag: scanning one costs a table lookup per byte.
/// A byte that can be part of a name: anything but whitespace and `="'<>/&`.
const NAME_BYTE: u8 = 1;
/// XML whitespace.
const SPACE_BYTE: u8 = 2;
/// A byte an attribute value cannot keep as written: `&`, `<`, TAB, LF, CR.
const VALUE_BYTE: u8 = 4;
/// `:`, which splits a qualified name.
const COLON_BYTE: u8 = 8;

static BYTE_CLASS: [u8; 256] = byte_classes();

const fn byte_classes() -> [u8; 256] {
    let mut table = [NAME_BYTE; 256];
    let not_name = b" \t\n\r=\"'<>/&";
    let mut i = 0;
    while i < not_name.len() {
        table[not_name[i] as usize] = 0;
        i += 1;
    }
    let space = b" \t\n\r";
    let mut i = 0;
    while i < space.len() {
        table[space[i] as usize] |= SPACE_BYTE;
        i += 1;
    }
    table[b':' as usize] |= COLON_BYTE;
    let value = b"&<\t\n\r";
    let mut i = 0;
    while i < value.len() {
        table[value[i] as usize] |= VALUE_BYTE;
        i += 1;
    }
    table
}

fn is_class(b: u8, class: u8) -> bool {
    BYTE_CLASS[usize::from(b)] & class != 0
}

/// Reads the qualified name at `start` of `inner` (up to the first byte that cannot
/// be part of a name) and splits it at its colon; more than one colon, or an empty
/// part, is not namespace-well-formed. Returns where the name ends, the prefix and
/// the local part.
fn read_qname(
    inner: &str,
    start: usize,
    offset: usize,
) -> Result<(usize, Option<&str>, &str), Fail> {
    let bytes = inner.as_bytes();
    let mut end = start;
    let mut colon = None;
    let mut colons = 0;
    while let Some(&b) = bytes.get(end) {
        let class = BYTE_CLASS[usize::from(b)];
        if class != NAME_BYTE {
            // Not a name byte, or the only name byte with another class: `:`.
            if class & NAME_BYTE == 0 {
                break;
            }
            colons += 1;
            colon.get_or_insert(end);
        }
        end += 1;
    }
    // Names end at an ASCII byte or at the end, so these are character boundaries.
    let name = &inner[start..end];
    let bad = || syntax(format!("'{name}' is not a valid qualified name"), offset);
    if name.is_empty() || matches!(name.as_bytes()[0], b'0'..=b'9' | b'-' | b'.') {
        return Err(bad());
    }
    match colon {
        None => Ok((end, None, name)),
        Some(c) if colons == 1 && c > start && c + 1 < end => {
            Ok((end, Some(&inner[start..c]), &inner[c + 1..end]))
        }
        Some(_) => Err(bad()),
    }
}

/// Where a name split by [`read_qname`] lies, given where it starts.
fn qname_at(start: usize, prefix: Option<&str>, local: &str) -> QName {
    let local_start = prefix.map_or(start, |p| start + p.len() + 1);
    QName {
        name: Span::new(start, local_start + local.len()),
        local_start,
    }
}

/// Reads the element name and attributes of a tag's inside, keeping spans. The
/// attributes go to `attributes`; values that normalisation changes, to `owned`.
fn scan_tag<'t>(
    inner: &'t str,
    base: usize,
    limits: &Limits,
    attributes: &mut Vec<RawAttr<'t>>,
    owned: &mut String,
) -> Result<TagName<'t>, Fail> {
    let bytes = inner.as_bytes();
    let (name_end, prefix, local) = read_qname(inner, 0, base)?;
    let tag_name = TagName {
        prefix,
        name: qname_at(base, prefix, local),
    };
    let mut i = name_end;
    loop {
        let ws_start = i;
        while i < bytes.len() && is_class(bytes[i], SPACE_BYTE) {
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
        let (name_end, a_prefix, a_local) = read_qname(inner, attr_start, base + attr_start)?;
        i = name_end;
        let name = &inner[attr_start..i];
        while i < bytes.len() && is_class(bytes[i], SPACE_BYTE) {
            i += 1;
        }
        if bytes.get(i) != Some(&b'=') {
            return Err(syntax(
                format!("attribute '{name}' has no value"),
                base + attr_start,
            ));
        }
        i += 1;
        while i < bytes.len() && is_class(bytes[i], SPACE_BYTE) {
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
        let value_span = Span::new(base + value_start, base + value_end);
        let value = normalize_attr_value(raw, value_span, owned)?;
        i = value_end + 1;
        attributes.push(RawAttr {
            prefix: a_prefix,
            local: a_local,
            name: qname_at(base + attr_start, a_prefix, a_local),
            value,
            span: Span::new(base + attr_start, base + i),
            value_span,
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
    Ok(tag_name)
}

/// XML 1.0 §3.3.3 for CDATA attributes: references are resolved, and each literal
/// whitespace character becomes a space (a character reference such as `&#10;` stays).
/// A value with nothing to change stays its source span; any other is written to
/// `owned`.
fn normalize_attr_value(raw: &str, source: Span, owned: &mut String) -> Result<Str, Fail> {
    if !raw.bytes().any(|b| is_class(b, VALUE_BYTE)) {
        return Ok(Str::Text(source));
    }
    let start = owned.len();
    let out = owned;
    out.reserve(raw.len());
    let mut rest = raw;
    let mut pos = source.start;
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
    Ok(Str::Owned(Span::new(start, out.len())))
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
