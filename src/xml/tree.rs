//! The document tree: an arena of nodes in document order, each with its byte span.
//! Node identity (`NodeId`) is what the signature and wrapping analysis compare, so
//! "the same node" never degrades to "an element with the same ID".
//!
//! Storage is flat and allocation-free per node. Names, comments, processing
//! instructions, namespace URIs and most attribute values and text nodes are spans
//! of the document text; only a value that differs from its source (a reference
//! resolved, whitespace normalised, text merged with CDATA) is copied, into one
//! buffer per document. Attributes, namespace declarations and child lists sit in
//! one vector each, which elements index by range. [`Element`], [`Attribute`],
//! [`NsDecl`], [`Pi`] and [`NodeKind`] are borrowed views that resolve all of this
//! to `&str` and slices.

use std::fmt;

use super::span::{LineCol, LineIndex, Span};

/// Index of a node in its [`Document`]. Ids follow document order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub(crate) u32);

impl NodeId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Where a string of the tree is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Str {
    /// Verbatim in the document text.
    Text(Span),
    /// In [`Document::owned`]: a value that differs from its source.
    Owned(Span),
    /// A constant: the namespace of the `xml` prefix, bound without a declaration.
    Static(&'static str),
}

impl Str {
    #[inline]
    pub(crate) fn len(self) -> usize {
        match self {
            Str::Text(s) | Str::Owned(s) => s.len(),
            Str::Static(s) => s.len(),
        }
    }
}

/// A run of entries in one of the document's flat vectors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Run {
    pub(crate) start: usize,
    pub(crate) end: usize,
}

impl Run {
    pub(crate) fn new(start: usize, end: usize) -> Self {
        Run { start, end }
    }

    #[inline]
    fn get<T>(self, items: &[T]) -> &[T] {
        items.get(self.start..self.end).unwrap_or(&[])
    }
}

/// A qualified name in the document text: `name` spans `p:local`, and the local part
/// starts at `local_start` (`name.start` when there is no prefix).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct QName {
    pub(crate) name: Span,
    pub(crate) local_start: usize,
}

impl QName {
    #[inline]
    pub(crate) fn prefix(self) -> Option<Span> {
        (self.local_start > self.name.start)
            .then(|| Span::new(self.name.start, self.local_start - 1))
    }

    #[inline]
    pub(crate) fn local(self) -> Span {
        Span::new(self.local_start, self.name.end)
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub(crate) parent: Option<NodeId>,
    /// For an element, from `<` of the start tag to `>` of the end tag.
    pub(crate) span: Span,
    pub(crate) kind: Kind,
    /// One past the last descendant: descendants are the ids `self+1 .. subtree_end`.
    pub(crate) subtree_end: u32,
}

#[derive(Debug, Clone)]
pub(crate) enum Kind {
    Element(ElementData),
    Text(Str),
    /// The comment's body.
    Comment(Span),
    Pi {
        target: Span,
        data: Span,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct ElementData {
    pub(crate) name: QName,
    /// `None`: no namespace.
    pub(crate) namespace: Option<Str>,
    /// In [`Document::attributes`].
    pub(crate) attributes: Run,
    /// In [`Document::namespaces`].
    pub(crate) namespaces: Run,
    /// In [`Document::children`].
    pub(crate) children: Run,
    pub(crate) start_tag: Span,
}

#[derive(Debug, Clone)]
pub(crate) struct AttrData {
    pub(crate) name: QName,
    pub(crate) namespace: Option<Str>,
    pub(crate) value: Str,
    pub(crate) span: Span,
    pub(crate) value_span: Span,
}

#[derive(Debug, Clone)]
pub(crate) struct DeclData {
    /// `None` for `xmlns="..."`.
    pub(crate) prefix: Option<Span>,
    pub(crate) uri: Str,
    pub(crate) span: Span,
}

/// A parsed XML document that keeps its text, so spans can be shown and located.
#[derive(Debug, Clone)]
pub struct Document {
    pub(crate) text: String,
    /// Values that differ from their source text (see [`Str::Owned`]).
    pub(crate) owned: String,
    pub(crate) nodes: Vec<Node>,
    /// Attributes other than namespace declarations, each element's in a run.
    pub(crate) attributes: Vec<AttrData>,
    /// Namespace declarations, each element's in a run.
    pub(crate) namespaces: Vec<DeclData>,
    /// Child lists: the top level, then each element's children in a run.
    pub(crate) children: Vec<NodeId>,
    pub(crate) top_level: Run,
    pub(crate) root: NodeId,
    pub(crate) lines: LineIndex,
}

/// What a node is, with its content.
#[derive(Debug, Clone, Copy)]
pub enum NodeKind<'d> {
    Element(Element<'d>),
    /// Character data with references resolved, CDATA merged in and line ends
    /// normalised, as the XPath data model (and so canonicalization) sees it.
    Text(&'d str),
    /// The comment's body, between `<!--` and `-->`.
    Comment(&'d str),
    Pi(Pi<'d>),
}

/// A processing instruction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pi<'d> {
    pub target: &'d str,
    /// Everything after the target and the whitespace following it.
    pub data: &'d str,
}

/// An element of a [`Document`].
#[derive(Clone, Copy)]
pub struct Element<'d> {
    doc: &'d Document,
    data: &'d ElementData,
}

impl<'d> Element<'d> {
    #[inline]
    pub fn prefix(self) -> Option<&'d str> {
        self.data.name.prefix().map(|p| self.doc.slice(p))
    }

    #[inline]
    pub fn local(self) -> &'d str {
        self.doc.slice(self.data.name.local())
    }

    /// The qualified name as written (`saml2:Assertion`).
    #[inline]
    pub fn qname(self) -> &'d str {
        self.doc.slice(self.data.name.name)
    }

    /// The namespace URI the name resolves to (`None`: no namespace).
    #[inline]
    pub fn namespace(self) -> Option<&'d str> {
        self.data.namespace.map(|s| self.doc.str(s))
    }

    #[inline]
    pub fn is(self, namespace: &str, local: &str) -> bool {
        self.doc.text_is(self.data.name.local(), local)
            && self
                .data
                .namespace
                .is_some_and(|ns| self.doc.str_is(ns, namespace))
    }

    /// Attributes other than namespace declarations, in document order.
    pub fn attributes(
        self,
    ) -> impl ExactSizeIterator<Item = Attribute<'d>> + DoubleEndedIterator + Clone + 'd {
        let doc = self.doc;
        self.data
            .attributes
            .get(&doc.attributes)
            .iter()
            .map(move |data| Attribute { doc, data })
    }

    /// Namespace declarations made on this element, in document order.
    pub fn namespaces(
        self,
    ) -> impl ExactSizeIterator<Item = NsDecl<'d>> + DoubleEndedIterator + Clone + 'd {
        let doc = self.doc;
        self.data
            .namespaces
            .get(&doc.namespaces)
            .iter()
            .map(move |data| NsDecl { doc, data })
    }

    /// All children, in document order.
    #[inline]
    pub fn children(self) -> &'d [NodeId] {
        self.data.children.get(&self.doc.children)
    }

    /// From `<` to `>` of the start tag (the whole tag for an empty element).
    pub fn start_tag(self) -> Span {
        self.data.start_tag
    }

    /// An attribute in no namespace, by local name (SAML's own attributes).
    pub fn attr(self, local: &str) -> Option<Attribute<'d>> {
        self.attributes()
            .find(|a| a.data.namespace.is_none() && self.doc.text_is(a.data.name.local(), local))
    }

    pub fn attr_ns(self, namespace: &str, local: &str) -> Option<Attribute<'d>> {
        self.attributes().find(|a| {
            self.doc.text_is(a.data.name.local(), local)
                && a.data
                    .namespace
                    .is_some_and(|ns| self.doc.str_is(ns, namespace))
        })
    }

    pub fn attr_value(self, local: &str) -> Option<&'d str> {
        self.attr(local).map(Attribute::value)
    }
}

impl fmt::Debug for Element<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Element")
            .field("qname", &self.qname())
            .field("namespace", &self.namespace())
            .field("attributes", &self.attributes().collect::<Vec<_>>())
            .field("namespaces", &self.namespaces().collect::<Vec<_>>())
            .field("children", &self.children())
            .field("start_tag", &self.start_tag())
            .finish()
    }
}

/// An attribute of an [`Element`] (namespace declarations are [`NsDecl`]s).
#[derive(Clone, Copy)]
pub struct Attribute<'d> {
    doc: &'d Document,
    data: &'d AttrData,
}

impl<'d> Attribute<'d> {
    #[inline]
    pub fn prefix(self) -> Option<&'d str> {
        self.data.name.prefix().map(|p| self.doc.slice(p))
    }

    #[inline]
    pub fn local(self) -> &'d str {
        self.doc.slice(self.data.name.local())
    }

    /// The qualified name as written.
    #[inline]
    pub fn qname(self) -> &'d str {
        self.doc.slice(self.data.name.name)
    }

    /// The namespace URI of the prefix (`None`: no prefix, so no namespace).
    #[inline]
    pub fn namespace(self) -> Option<&'d str> {
        self.data.namespace.map(|s| self.doc.str(s))
    }

    /// The normalised value (XML 1.0 §3.3.3: references resolved, literal
    /// whitespace characters turned into spaces).
    #[inline]
    pub fn value(self) -> &'d str {
        self.doc.str(self.data.value)
    }

    /// The whole `name="value"`.
    pub fn span(self) -> Span {
        self.data.span
    }

    /// The value between the quotes, as written.
    pub fn value_span(self) -> Span {
        self.data.value_span
    }
}

impl fmt::Debug for Attribute<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Attribute")
            .field("qname", &self.qname())
            .field("namespace", &self.namespace())
            .field("value", &self.value())
            .field("span", &self.span())
            .finish()
    }
}

/// `xmlns="uri"` (prefix `None`) or `xmlns:p="uri"`. An empty `uri` with no prefix
/// undeclares the default namespace.
#[derive(Clone, Copy)]
pub struct NsDecl<'d> {
    doc: &'d Document,
    data: &'d DeclData,
}

impl<'d> NsDecl<'d> {
    #[inline]
    pub fn prefix(self) -> Option<&'d str> {
        self.data.prefix.map(|p| self.doc.slice(p))
    }

    #[inline]
    pub fn uri(self) -> &'d str {
        self.doc.str(self.data.uri)
    }

    /// The whole `xmlns:p="uri"`.
    pub fn span(self) -> Span {
        self.data.span
    }
}

impl fmt::Debug for NsDecl<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NsDecl")
            .field("prefix", &self.prefix())
            .field("uri", &self.uri())
            .field("span", &self.span())
            .finish()
    }
}

impl Document {
    /// The document text the spans index (line ends normalised to `\n`).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The document element.
    pub fn root(&self) -> NodeId {
        self.root
    }

    pub fn top_level(&self) -> &[NodeId] {
        self.top_level.get(&self.children)
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Whether the text at `span` is `s` (compared as bytes: no boundary checks).
    #[inline]
    fn text_is(&self, span: Span, s: &str) -> bool {
        span.len() == s.len()
            && self.text.as_bytes().get(span.start..span.end) == Some(s.as_bytes())
    }

    /// Whether a stored string is `s`.
    #[inline]
    fn str_is(&self, stored: Str, s: &str) -> bool {
        match stored {
            Str::Text(span) => self.text_is(span, s),
            Str::Owned(span) => {
                span.len() == s.len()
                    && self.owned.as_bytes().get(span.start..span.end) == Some(s.as_bytes())
            }
            Str::Static(t) => t == s,
        }
    }

    #[inline]
    pub(crate) fn str(&self, s: Str) -> &str {
        match s {
            Str::Text(span) => self.slice(span),
            Str::Owned(span) => self.owned.get(span.start..span.end).unwrap_or(""),
            Str::Static(s) => s,
        }
    }

    /// What the node at `id` is. Panics when `id` is not a node of this document.
    #[inline]
    pub fn kind(&self, id: NodeId) -> NodeKind<'_> {
        match &self.nodes[id.index()].kind {
            Kind::Element(data) => NodeKind::Element(Element { doc: self, data }),
            Kind::Text(s) => NodeKind::Text(self.str(*s)),
            Kind::Comment(body) => NodeKind::Comment(self.slice(*body)),
            Kind::Pi { target, data } => NodeKind::Pi(Pi {
                target: self.slice(*target),
                data: self.slice(*data),
            }),
        }
    }

    /// Whether the node at `id` is a text node.
    pub fn is_text(&self, id: NodeId) -> bool {
        matches!(self.nodes.get(id.index()), Some(n) if matches!(n.kind, Kind::Text(_)))
    }

    /// The element at `id`, or `None` for text, comments and PIs.
    #[inline]
    pub fn element(&self, id: NodeId) -> Option<Element<'_>> {
        match &self.nodes.get(id.index())?.kind {
            Kind::Element(data) => Some(Element { doc: self, data }),
            _ => None,
        }
    }

    pub fn parent(&self, id: NodeId) -> Option<NodeId> {
        self.nodes.get(id.index())?.parent
    }

    /// For an element, from `<` of the start tag to `>` of the end tag. Panics when
    /// `id` is not a node of this document.
    pub fn span(&self, id: NodeId) -> Span {
        self.nodes[id.index()].span
    }

    /// All children of an element (empty for other nodes).
    #[inline]
    pub fn children(&self, id: NodeId) -> &[NodeId] {
        self.element(id).map_or(&[], Element::children)
    }

    pub fn child_elements(&self, id: NodeId) -> impl Iterator<Item = (NodeId, Element<'_>)> + '_ {
        self.children(id)
            .iter()
            .filter_map(|&c| self.element(c).map(|e| (c, e)))
    }

    /// Child elements with this expanded name, in document order.
    pub fn children_named<'a>(
        &'a self,
        id: NodeId,
        namespace: &'a str,
        local: &'a str,
    ) -> impl Iterator<Item = NodeId> + 'a {
        self.child_elements(id)
            .filter(move |(_, e)| e.is(namespace, local))
            .map(|(c, _)| c)
    }

    pub fn first_child(&self, id: NodeId, namespace: &str, local: &str) -> Option<NodeId> {
        self.children_named(id, namespace, local).next()
    }

    pub fn is_element(&self, id: NodeId, namespace: &str, local: &str) -> bool {
        self.element(id).is_some_and(|e| e.is(namespace, local))
    }

    /// Descendants of `id` in document order, not including `id`.
    pub fn descendants(&self, id: NodeId) -> impl Iterator<Item = NodeId> + use<> {
        let end = self.nodes.get(id.index()).map_or(id.0, |n| n.subtree_end);
        (id.0 + 1..end).map(NodeId)
    }

    /// Whether `node` is `ancestor` itself or inside it.
    pub fn contains(&self, ancestor: NodeId, node: NodeId) -> bool {
        let end = self
            .nodes
            .get(ancestor.index())
            .map_or(ancestor.0, |n| n.subtree_end);
        ancestor.0 <= node.0 && node.0 < end
    }

    /// Ancestors of `id`, nearest first, not including `id`.
    pub fn ancestors(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::successors(self.parent(id), move |&p| self.parent(p))
    }

    /// The text of a text node, or `None` for other nodes.
    #[inline]
    pub fn text_of(&self, id: NodeId) -> Option<&str> {
        match self.nodes.get(id.index())?.kind {
            Kind::Text(s) => Some(self.str(s)),
            _ => None,
        }
    }

    /// The concatenated text of all descendant text nodes (comments and PIs skipped).
    pub fn text_content(&self, id: NodeId) -> String {
        if let Some(t) = self.text_of(id) {
            return t.to_owned();
        }
        let mut out = String::new();
        for d in self.descendants(id) {
            if let Some(t) = self.text_of(d) {
                out.push_str(t);
            }
        }
        out
    }

    /// Namespace bindings in scope at an element, nearest declaration winning, in
    /// no particular order. An undeclared default namespace is omitted.
    pub fn in_scope_namespaces(&self, id: NodeId) -> Vec<(Option<&str>, &str)> {
        let mut seen: Vec<(Option<&str>, &str)> = Vec::new();
        let chain = std::iter::once(id).chain(self.ancestors(id));
        for e in chain.filter_map(|n| self.element(n)) {
            for d in e.namespaces() {
                let prefix = d.prefix();
                if !seen.iter().any(|(p, _)| *p == prefix) {
                    seen.push((prefix, d.uri()));
                }
            }
        }
        seen.retain(|(p, uri)| p.is_some() || !uri.is_empty());
        seen
    }

    /// A readable path such as `/Response/Assertion[2]/Subject` (index only when an
    /// element has same-named siblings).
    pub fn path(&self, id: NodeId) -> String {
        let mut parts = Vec::new();
        let mut cur = Some(id);
        while let Some(n) = cur {
            if let Some(e) = self.element(n) {
                let part = match self.parent(n) {
                    Some(p) => {
                        let same: Vec<NodeId> = self
                            .child_elements(p)
                            .filter(|(_, s)| {
                                s.local() == e.local() && s.namespace() == e.namespace()
                            })
                            .map(|(c, _)| c)
                            .collect();
                        if same.len() > 1 {
                            let pos = same.iter().position(|&c| c == n).unwrap_or(0) + 1;
                            format!("{}[{pos}]", e.local())
                        } else {
                            e.local().to_owned()
                        }
                    }
                    None => e.local().to_owned(),
                };
                parts.push(part);
            }
            cur = self.parent(n);
        }
        parts.reverse();
        format!("/{}", parts.join("/"))
    }

    /// Gives up the tree, keeping the text and its line index.
    pub fn into_text(self) -> (String, LineIndex) {
        (self.text, self.lines)
    }

    pub fn line_col(&self, offset: usize) -> LineCol {
        self.lines.line_col(&self.text, offset)
    }

    /// The source text of a span.
    #[inline]
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }
}
