//! Canonical XML written straight from the parsed [`Document`], so the bytes that are
//! hashed come from the very nodes the wrapping analysis looks at.
//!
//! Supported: inclusive c14n 1.0 and 1.1 and exclusive c14n 1.0 (with an
//! `InclusiveNamespaces` prefix list), over a whole subtree (a same-document
//! Reference) minus an optional excluded subtree (the enveloped Signature).

use crate::xml::{Attribute, Document, Element, NodeId, NodeKind, XML_NS};

/// Which canonicalization algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    Inclusive10,
    Inclusive11,
    Exclusive,
}

/// Everything one canonicalization needs besides the document.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Options<'a> {
    pub method: Method,
    pub with_comments: bool,
    /// Exclusive c14n: the `InclusiveNamespaces PrefixList` (`#default` for the
    /// default namespace), whitespace separated.
    pub prefix_list: &'a str,
    /// A subtree left out of the output (the enveloped `ds:Signature`).
    pub exclude: Option<NodeId>,
}

/// A namespace binding: prefix (`None` for the default namespace) and URI.
type Binding<'d> = (Option<&'d str>, &'d str);

struct Writer<'d, 'o> {
    doc: &'d Document,
    opts: Options<'o>,
    out: &'o mut Vec<u8>,
    /// In-scope bindings, innermost last.
    scope: Vec<Binding<'d>>,
    /// Bindings rendered on output ancestors, innermost last.
    rendered: Vec<Binding<'d>>,
    /// Scratch for one element's namespace declarations.
    decls: Vec<Binding<'d>>,
    /// Scratch for one element's candidate prefixes and attributes.
    cands: Vec<Option<&'d str>>,
    attrs: Vec<Attribute<'d>>,
}

/// Canonicalizes the subtree at `apex` into `out` (appended). When `apex` is the
/// document element, comments and PIs outside it are written too (a `URI=""`
/// reference or a whole-document canonicalization).
pub(crate) fn canonicalize(doc: &Document, apex: NodeId, opts: Options<'_>, out: &mut Vec<u8>) {
    let mut w = Writer {
        doc,
        opts,
        out,
        scope: Vec::new(),
        rendered: Vec::new(),
        decls: Vec::new(),
        cands: Vec::new(),
        attrs: Vec::new(),
    };
    if let Some(parent) = doc.parent(apex) {
        w.scope = doc.in_scope_namespaces(parent);
        // Nearest first from the document; lookups search from the end.
        w.scope.reverse();
    }
    let whole = apex == doc.root();
    if whole {
        let top = doc.top_level();
        let pos = top.iter().position(|&n| n == apex).unwrap_or(top.len());
        for &n in top.iter().take(pos) {
            if w.write_misc(n) {
                w.out.push(b'\n');
            }
        }
        w.element(apex, true);
        for &n in top.iter().skip(pos + 1) {
            if w.wants_misc(n) {
                w.out.push(b'\n');
                w.write_misc(n);
            }
        }
    } else {
        w.element(apex, true);
    }
}

fn lookup<'d>(stack: &[Binding<'d>], prefix: Option<&str>) -> Option<&'d str> {
    stack
        .iter()
        .rev()
        .find(|(p, _)| *p == prefix)
        .map(|&(_, uri)| uri)
}

impl<'d> Writer<'d, '_> {
    fn wants_misc(&self, n: NodeId) -> bool {
        match self.doc.kind(n) {
            NodeKind::Comment(_) => self.opts.with_comments,
            NodeKind::Pi(_) => true,
            _ => false,
        }
    }

    /// Writes a comment or PI (when it belongs to the output); says whether it did.
    fn write_misc(&mut self, n: NodeId) -> bool {
        if !self.wants_misc(n) {
            return false;
        }
        match self.doc.kind(n) {
            NodeKind::Comment(c) => {
                self.out.extend_from_slice(b"<!--");
                self.out.extend_from_slice(c.as_bytes());
                self.out.extend_from_slice(b"-->");
            }
            NodeKind::Pi(pi) => {
                self.out.extend_from_slice(b"<?");
                self.out.extend_from_slice(pi.target.as_bytes());
                if !pi.data.is_empty() {
                    self.out.push(b' ');
                    self.out.extend_from_slice(pi.data.as_bytes());
                }
                self.out.extend_from_slice(b"?>");
            }
            _ => return false,
        }
        true
    }

    fn element(&mut self, id: NodeId, is_apex: bool) {
        let doc = self.doc;
        let Some(e) = doc.element(id) else { return };
        let scope_mark = self.scope.len();
        let rendered_mark = self.rendered.len();
        for d in e.namespaces() {
            self.scope.push((d.prefix(), d.uri()));
        }
        self.collect_decls(e, is_apex);

        self.out.push(b'<');
        write_qname(self.out, e.prefix(), e.local());
        for i in 0..self.decls.len() {
            let (prefix, uri) = self.decls[i];
            match prefix {
                Some(p) => {
                    self.out.extend_from_slice(b" xmlns:");
                    self.out.extend_from_slice(p.as_bytes());
                }
                None => self.out.extend_from_slice(b" xmlns"),
            }
            self.out.extend_from_slice(b"=\"");
            escape_attr(self.out, uri);
            self.out.push(b'"');
            self.rendered.push((prefix, uri));
        }
        self.write_attributes(id, e, is_apex);
        self.out.push(b'>');

        for &c in e.children() {
            if Some(c) == self.opts.exclude {
                continue;
            }
            match doc.kind(c) {
                NodeKind::Element(_) => self.element(c, false),
                NodeKind::Text(t) => escape_text(self.out, t),
                _ => {
                    self.write_misc(c);
                }
            }
        }

        self.out.extend_from_slice(b"</");
        write_qname(self.out, e.prefix(), e.local());
        self.out.push(b'>');
        self.scope.truncate(scope_mark);
        self.rendered.truncate(rendered_mark);
    }

    /// Fills `self.decls` with the namespace declarations this element renders,
    /// sorted by prefix (default first).
    fn collect_decls(&mut self, e: Element<'d>, is_apex: bool) {
        self.decls.clear();
        let mut candidates = std::mem::take(&mut self.cands);
        candidates.clear();
        match self.opts.method {
            Method::Inclusive10 | Method::Inclusive11 => {
                if is_apex {
                    for &(p, _) in self.scope.iter().rev() {
                        if !candidates.contains(&p) {
                            candidates.push(p);
                        }
                    }
                } else {
                    for d in e.namespaces() {
                        let p = d.prefix();
                        if !candidates.contains(&p) {
                            candidates.push(p);
                        }
                    }
                }
            }
            Method::Exclusive => {
                candidates.push(e.prefix());
                for a in e.attributes() {
                    if let Some(p) = a.prefix()
                        && p != "xml"
                        && !candidates.contains(&Some(p))
                    {
                        candidates.push(Some(p));
                    }
                }
                for p in self.opts.prefix_list.split_ascii_whitespace() {
                    let p = if p == "#default" {
                        None
                    } else {
                        // The scope's own copy of the prefix (it outlives the list).
                        match self.scope.iter().rev().find(|(q, _)| *q == Some(p)) {
                            Some(&(q, _)) => q,
                            None => continue,
                        }
                    };
                    if !candidates.contains(&p) {
                        candidates.push(p);
                    }
                }
            }
        }
        for &p in &candidates {
            let uri = lookup(&self.scope, p).unwrap_or("");
            let shown = lookup(&self.rendered, p).unwrap_or("");
            if p == Some("xml") || uri == shown {
                continue;
            }
            if p.is_some() && uri.is_empty() {
                continue;
            }
            self.decls.push((p, uri));
        }
        self.cands = candidates;
        self.decls
            .sort_unstable_by(|a, b| a.0.unwrap_or("").cmp(b.0.unwrap_or("")));
    }

    fn write_attributes(&mut self, id: NodeId, e: Element<'d>, is_apex: bool) {
        let mut attrs = std::mem::take(&mut self.attrs);
        attrs.clear();
        attrs.extend(e.attributes());
        if is_apex && self.opts.method != Method::Exclusive {
            self.inherit_xml_attributes(id, &mut attrs);
        }
        // By namespace URI (none first), then local name.
        attrs.sort_unstable_by(|a, b| match (a.namespace(), b.namespace()) {
            (None, None) => a.local().cmp(b.local()),
            (an, bn) => (an.unwrap_or(""), a.local()).cmp(&(bn.unwrap_or(""), b.local())),
        });
        for a in &attrs {
            self.out.push(b' ');
            write_qname(self.out, a.prefix(), a.local());
            self.out.extend_from_slice(b"=\"");
            escape_attr(self.out, a.value());
            self.out.push(b'"');
        }
        self.attrs = attrs;
    }

    /// Inclusive c14n of a subtree: `xml:*` attributes of ancestors that the apex
    /// does not override are rendered on it (1.1: only `xml:lang` and `xml:space`).
    fn inherit_xml_attributes(&self, id: NodeId, attrs: &mut Vec<Attribute<'d>>) {
        let doc = self.doc;
        for anc in doc.ancestors(id) {
            let Some(ae) = doc.element(anc) else { continue };
            for a in ae.attributes() {
                if a.namespace() != Some(XML_NS) {
                    continue;
                }
                if self.opts.method == Method::Inclusive11 && !matches!(a.local(), "lang" | "space")
                {
                    continue;
                }
                if !attrs
                    .iter()
                    .any(|b| b.namespace() == Some(XML_NS) && b.local() == a.local())
                {
                    attrs.push(a);
                }
            }
        }
    }
}

fn write_qname(out: &mut Vec<u8>, prefix: Option<&str>, local: &str) {
    if let Some(p) = prefix {
        out.extend_from_slice(p.as_bytes());
        out.push(b':');
    }
    out.extend_from_slice(local.as_bytes());
}

/// Escapes for one kind of content, by byte: c14n escapes only ASCII bytes, so UTF-8
/// sequences pass through untouched.
type Escapes = [Option<&'static [u8]>; 256];

#[allow(clippy::cast_lossless)] // `usize::from` is not const
const fn escapes(pairs: &[(u8, &'static [u8])]) -> Escapes {
    let mut table: Escapes = [None; 256];
    let mut i = 0;
    while i < pairs.len() {
        table[pairs[i].0 as usize] = Some(pairs[i].1);
        i += 1;
    }
    table
}

/// Text nodes: `& < > CR`.
static TEXT_ESCAPES: Escapes = escapes(&[
    (b'&', b"&amp;"),
    (b'<', b"&lt;"),
    (b'>', b"&gt;"),
    (b'\r', b"&#xD;"),
]);

/// Attribute values: `& < " TAB LF CR`.
static ATTR_ESCAPES: Escapes = escapes(&[
    (b'&', b"&amp;"),
    (b'<', b"&lt;"),
    (b'"', b"&quot;"),
    (b'\t', b"&#x9;"),
    (b'\n', b"&#xA;"),
    (b'\r', b"&#xD;"),
]);

/// Copies `text`, replacing each byte the table names; `next` finds the next such
/// byte (with memchr: most values have none, and the runs between are copied whole).
fn escape_with(
    out: &mut Vec<u8>,
    text: &str,
    table: &Escapes,
    next: impl Fn(&[u8]) -> Option<usize>,
) {
    let bytes = text.as_bytes();
    let mut start = 0;
    while let Some(i) = bytes.get(start..).and_then(&next).map(|off| start + off) {
        out.extend_from_slice(&bytes[start..i]);
        let b = bytes[i];
        out.extend_from_slice(table[usize::from(b)].unwrap_or(&[b]));
        start = i + 1;
    }
    out.extend_from_slice(bytes.get(start..).unwrap_or_default());
}

/// The first of either search, when both can find something.
fn first_of(a: Option<usize>, b: Option<usize>) -> Option<usize> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn escape_text(out: &mut Vec<u8>, text: &str) {
    escape_with(out, text, &TEXT_ESCAPES, |s| {
        first_of(
            memchr::memchr3(b'&', b'<', b'>', s),
            memchr::memchr(b'\r', s),
        )
    });
}

fn escape_attr(out: &mut Vec<u8>, text: &str) {
    escape_with(out, text, &ATTR_ESCAPES, |s| {
        first_of(
            memchr::memchr3(b'&', b'<', b'"', s),
            memchr::memchr3(b'\t', b'\n', b'\r', s),
        )
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;

    fn c14n(text: &str, path: &[usize], opts: Options<'_>) -> String {
        let doc = crate::xml::parse(text, &Limits::default()).unwrap();
        let mut node = doc.root();
        for &i in path {
            node = doc.child_elements(node).nth(i).unwrap().0;
        }
        let mut out = Vec::new();
        canonicalize(&doc, node, opts, &mut out);
        String::from_utf8(out).unwrap()
    }

    fn opts(method: Method) -> Options<'static> {
        Options {
            method,
            with_comments: false,
            prefix_list: "",
            exclude: None,
        }
    }

    #[test]
    fn w3c_c14n_3_1_pis_comments_outside_document_element() {
        let input = "<?xml version=\"1.0\"?>\n\n<?xml-stylesheet   href=\"doc.xsl\"\n   type=\"text/xsl\"   ?>\n\n<doc>Hello, world!<!-- Comment 1 --></doc>\n\n<?pi-without-data     ?>\n\n<!-- Comment 2 -->\n\n<!-- Comment 3 -->";
        assert_eq!(
            c14n(input, &[], opts(Method::Inclusive10)),
            "<?xml-stylesheet href=\"doc.xsl\"\n   type=\"text/xsl\"   ?>\n<doc>Hello, world!</doc>\n<?pi-without-data?>"
        );
        let with = Options {
            with_comments: true,
            ..opts(Method::Inclusive10)
        };
        assert_eq!(
            c14n(input, &[], with),
            "<?xml-stylesheet href=\"doc.xsl\"\n   type=\"text/xsl\"   ?>\n<doc>Hello, world!<!-- Comment 1 --></doc>\n<?pi-without-data?>\n<!-- Comment 2 -->\n<!-- Comment 3 -->"
        );
    }

    #[test]
    fn w3c_c14n_3_3_start_and_end_tags() {
        let input = r#"<doc>
   <e1   />
   <e2   ></e2>
   <e3   name = "elem3"   id="elem3"   />
   <e4   name="elem4"   id="elem4"   ></e4>
   <e5 a:attr="out" b:attr="sorted" attr2="all" attr="I'm"
      xmlns:b="http://www.ietf.org"
      xmlns:a="http://www.w3.org"
      xmlns="http://example.org"/>
   <e6 xmlns="" xmlns:a="http://www.w3.org">
      <e7 xmlns="http://www.ietf.org">
         <e8 xmlns="" xmlns:a="http://www.w3.org">
            <e9 xmlns="" xmlns:a="http://www.ietf.org"/>
         </e8>
      </e7>
   </e6>
</doc>"#;
        let expected = r#"<doc>
   <e1></e1>
   <e2></e2>
   <e3 id="elem3" name="elem3"></e3>
   <e4 id="elem4" name="elem4"></e4>
   <e5 xmlns="http://example.org" xmlns:a="http://www.w3.org" xmlns:b="http://www.ietf.org" attr="I'm" attr2="all" b:attr="sorted" a:attr="out"></e5>
   <e6 xmlns:a="http://www.w3.org">
      <e7 xmlns="http://www.ietf.org">
         <e8 xmlns="">
            <e9 xmlns:a="http://www.ietf.org"></e9>
         </e8>
      </e7>
   </e6>
</doc>"#;
        assert_eq!(c14n(input, &[], opts(Method::Inclusive10)), expected);
    }

    #[test]
    fn w3c_c14n_3_4_character_modifications() {
        let input = "<doc>\n   <text>First line&#x0d;&#10;Second line</text>\n   <value>&#x32;</value>\n   <compute><![CDATA[value>\"0\" && value<\"10\" ?\"valid\":\"error\"]]></compute>\n   <compute expr='value>\"0\" &amp;&amp; value&lt;\"10\" ?\"valid\":\"error\"'>valid</compute>\n   <norm attr=' &apos;   &#x20;&#13;&#xa;&#9;   &apos; '/>\n</doc>";
        let expected = "<doc>\n   <text>First line&#xD;\nSecond line</text>\n   <value>2</value>\n   <compute>value&gt;\"0\" &amp;&amp; value&lt;\"10\" ?\"valid\":\"error\"</compute>\n   <compute expr=\"value>&quot;0&quot; &amp;&amp; value&lt;&quot;10&quot; ?&quot;valid&quot;:&quot;error&quot;\">valid</compute>\n   <norm attr=\" '    &#xD;&#xA;&#x9;   ' \"></norm>\n</doc>";
        assert_eq!(c14n(input, &[], opts(Method::Inclusive10)), expected);
    }

    #[test]
    fn subtree_inherits_context_namespaces() {
        let input = r#"<r:Response xmlns:r="urn:r" xmlns:a="urn:a" xmlns:unused="urn:u" xml:lang="en"><a:Assertion ID="x"><a:Subject>s</a:Subject></a:Assertion></r:Response>"#;
        assert_eq!(
            c14n(input, &[0], opts(Method::Exclusive)),
            r#"<a:Assertion xmlns:a="urn:a" ID="x"><a:Subject>s</a:Subject></a:Assertion>"#
        );
        assert_eq!(
            c14n(input, &[0], opts(Method::Inclusive10)),
            r#"<a:Assertion xmlns:a="urn:a" xmlns:r="urn:r" xmlns:unused="urn:u" ID="x" xml:lang="en"><a:Subject>s</a:Subject></a:Assertion>"#
        );
        let listed = Options {
            prefix_list: "r #default",
            ..opts(Method::Exclusive)
        };
        assert_eq!(
            c14n(input, &[0], listed),
            r#"<a:Assertion xmlns:a="urn:a" xmlns:r="urn:r" ID="x"><a:Subject>s</a:Subject></a:Assertion>"#
        );
    }

    #[test]
    fn exclusive_renders_namespaces_where_used() {
        let input = r#"<a:R xmlns:a="urn:a" xmlns:b="urn:b" xmlns="urn:d"><x b:k="1"><a:y xmlns:a="urn:a"/></x><z xmlns=""/></a:R>"#;
        assert_eq!(
            c14n(input, &[], opts(Method::Exclusive)),
            r#"<a:R xmlns:a="urn:a"><x xmlns="urn:d" xmlns:b="urn:b" b:k="1"><a:y></a:y></x><z></z></a:R>"#
        );
    }

    #[test]
    fn excluded_subtree_and_comments() {
        let input = "<a><!--c--><s><x/></s><?p d?>t</a>";
        let doc = crate::xml::parse(input, &Limits::default()).unwrap();
        let s = doc.child_elements(doc.root()).next().unwrap().0;
        let mut out = Vec::new();
        let o = Options {
            exclude: Some(s),
            ..opts(Method::Exclusive)
        };
        canonicalize(&doc, doc.root(), o, &mut out);
        assert_eq!(out, b"<a><?p d?>t</a>");
    }

    #[test]
    fn c14n_11_inherits_only_lang_and_space() {
        let input = r#"<a xml:lang="en" xml:id="top" xml:space="preserve"><b>t</b></a>"#;
        assert_eq!(
            c14n(input, &[0], opts(Method::Inclusive11)),
            r#"<b xml:lang="en" xml:space="preserve">t</b>"#
        );
        assert_eq!(
            c14n(input, &[0], opts(Method::Inclusive10)),
            r#"<b xml:id="top" xml:lang="en" xml:space="preserve">t</b>"#
        );
        assert_eq!(c14n(input, &[0], opts(Method::Exclusive)), "<b>t</b>");
    }

    #[test]
    fn exclusive_default_namespace_and_undeclaration() {
        let input = r#"<r xmlns="urn:d" xmlns:p="urn:p"><s><t xmlns=""/></s></r>"#;
        assert_eq!(
            c14n(input, &[0], opts(Method::Exclusive)),
            r#"<s xmlns="urn:d"><t xmlns=""></t></s>"#
        );
        let listed = Options {
            prefix_list: "p",
            ..opts(Method::Exclusive)
        };
        assert_eq!(
            c14n(input, &[0], listed),
            r#"<s xmlns="urn:d" xmlns:p="urn:p"><t xmlns=""></t></s>"#
        );
    }

    #[test]
    fn mixed_prefixes_for_one_namespace() {
        let input = r#"<ds:Signature xmlns:ds="urn:ds" xmlns:ns0="urn:ds"><ns0:SignedInfo><ds:X/></ns0:SignedInfo></ds:Signature>"#;
        assert_eq!(
            c14n(input, &[0], opts(Method::Exclusive)),
            r#"<ns0:SignedInfo xmlns:ns0="urn:ds"><ds:X xmlns:ds="urn:ds"></ds:X></ns0:SignedInfo>"#
        );
    }
}
