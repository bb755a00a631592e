//! The document tree: an arena of nodes in document order, each with its byte span.
//! Node identity (`NodeId`) is what the signature and wrapping analysis compare, so
//! "the same node" never degrades to "an element with the same ID".

use super::span::{LineCol, LineIndex, Span};

/// Index of a node in its [`Document`]. Ids follow document order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub(crate) u32);

impl NodeId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

#[derive(Debug, Clone)]
pub struct Node {
    pub parent: Option<NodeId>,
    /// For an element, from `<` of the start tag to `>` of the end tag.
    pub span: Span,
    pub kind: NodeKind,
    /// One past the last descendant: descendants are the ids `self+1 .. subtree_end`.
    pub(crate) subtree_end: u32,
}

#[derive(Debug, Clone)]
pub enum NodeKind {
    Element(Element),
    /// Character data with references resolved, CDATA merged in and line ends
    /// normalised, as the XPath data model (and so canonicalization) sees it.
    Text(String),
    Comment(String),
    Pi(Pi),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pi {
    pub target: String,
    /// Everything after the target and the whitespace following it.
    pub data: String,
}

#[derive(Debug, Clone)]
pub struct Element {
    pub prefix: Option<String>,
    pub local: String,
    /// The namespace URI the name resolves to (`None`: no namespace).
    pub namespace: Option<String>,
    /// Attributes other than namespace declarations, in document order.
    pub attributes: Vec<Attribute>,
    /// Namespace declarations made on this element, in document order.
    pub namespaces: Vec<NsDecl>,
    pub children: Vec<NodeId>,
    /// From `<` to `>` of the start tag (the whole tag for an empty element).
    pub start_tag: Span,
}

impl Element {
    /// The qualified name as written (`saml2:Assertion`).
    pub fn qname(&self) -> String {
        match &self.prefix {
            Some(p) => format!("{p}:{}", self.local),
            None => self.local.clone(),
        }
    }

    pub fn is(&self, namespace: &str, local: &str) -> bool {
        self.local == local && self.namespace.as_deref() == Some(namespace)
    }

    /// An attribute in no namespace, by local name (SAML's own attributes).
    pub fn attr(&self, local: &str) -> Option<&Attribute> {
        self.attributes
            .iter()
            .find(|a| a.namespace.is_none() && a.local == local)
    }

    pub fn attr_ns(&self, namespace: &str, local: &str) -> Option<&Attribute> {
        self.attributes
            .iter()
            .find(|a| a.local == local && a.namespace.as_deref() == Some(namespace))
    }

    pub fn attr_value(&self, local: &str) -> Option<&str> {
        self.attr(local).map(|a| a.value.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    pub prefix: Option<String>,
    pub local: String,
    pub namespace: Option<String>,
    /// The normalised value (XML 1.0 §3.3.3: references resolved, literal
    /// whitespace characters turned into spaces).
    pub value: String,
    /// The whole `name="value"`.
    pub span: Span,
    /// The value between the quotes, as written.
    pub value_span: Span,
}

impl Attribute {
    pub fn qname(&self) -> String {
        match &self.prefix {
            Some(p) => format!("{p}:{}", self.local),
            None => self.local.clone(),
        }
    }
}

/// `xmlns="uri"` (prefix `None`) or `xmlns:p="uri"`. An empty `uri` with no prefix
/// undeclares the default namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NsDecl {
    pub prefix: Option<String>,
    pub uri: String,
    pub span: Span,
}

/// A parsed XML document that keeps its text, so spans can be shown and located.
#[derive(Debug, Clone)]
pub struct Document {
    pub(crate) text: String,
    pub(crate) nodes: Vec<Node>,
    pub(crate) root: NodeId,
    /// Children of the document node: comments and PIs around the root, and the root.
    pub(crate) top_level: Vec<NodeId>,
    pub(crate) lines: LineIndex,
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
        &self.top_level
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.index()]
    }

    /// The element at `id`, or `None` for text, comments and PIs.
    pub fn element(&self, id: NodeId) -> Option<&Element> {
        match &self.nodes.get(id.index())?.kind {
            NodeKind::Element(e) => Some(e),
            _ => None,
        }
    }

    pub fn parent(&self, id: NodeId) -> Option<NodeId> {
        self.nodes.get(id.index())?.parent
    }

    pub fn span(&self, id: NodeId) -> Span {
        self.node(id).span
    }

    /// All children of an element (empty for other nodes).
    pub fn children(&self, id: NodeId) -> &[NodeId] {
        self.element(id).map_or(&[], |e| e.children.as_slice())
    }

    pub fn child_elements(&self, id: NodeId) -> impl Iterator<Item = (NodeId, &Element)> + '_ {
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

    /// The concatenated text of all descendant text nodes (comments and PIs skipped).
    pub fn text_content(&self, id: NodeId) -> String {
        if let NodeKind::Text(t) = &self.node(id).kind {
            return t.clone();
        }
        let mut out = String::new();
        for d in self.descendants(id) {
            if let NodeKind::Text(t) = &self.node(d).kind {
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
            for d in &e.namespaces {
                let prefix = d.prefix.as_deref();
                if !seen.iter().any(|(p, _)| *p == prefix) {
                    seen.push((prefix, d.uri.as_str()));
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
                            .filter(|(_, s)| s.local == e.local && s.namespace == e.namespace)
                            .map(|(c, _)| c)
                            .collect();
                        if same.len() > 1 {
                            let pos = same.iter().position(|&c| c == n).unwrap_or(0) + 1;
                            format!("{}[{pos}]", e.local)
                        } else {
                            e.local.clone()
                        }
                    }
                    None => e.local.clone(),
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

    pub fn line_index(&self) -> &LineIndex {
        &self.lines
    }

    pub fn line_col(&self, offset: usize) -> LineCol {
        self.lines.line_col(&self.text, offset)
    }

    /// The source text of a span.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }
}
