use super::*;
use crate::limits::Limits;

fn doc(text: &str) -> Document {
    parse(text, &Limits::default()).unwrap()
}

fn err(text: &str) -> XmlError {
    parse(text, &Limits::default()).unwrap_err()
}

const P: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
const A: &str = "urn:oasis:names:tc:SAML:2.0:assertion";

#[test]
fn prefixes_do_not_matter() {
    for text in [
        r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"><saml:Assertion/></samlp:Response>"#,
        r#"<Response xmlns="urn:oasis:names:tc:SAML:2.0:protocol"><saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion"/></Response>"#,
        r#"<p:Response xmlns:p="urn:oasis:names:tc:SAML:2.0:protocol"><Assertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion"/></p:Response>"#,
    ] {
        let d = doc(text);
        assert!(d.is_element(d.root(), P, "Response"), "{text}");
        assert!(d.first_child(d.root(), A, "Assertion").is_some(), "{text}");
    }
}

#[test]
fn spans_point_at_source() {
    let text = "<a xmlns=\"urn:x\">\n  <b id=\"one\">hi</b>\n</a>";
    let d = doc(text);
    let b = d.first_child(d.root(), "urn:x", "b").unwrap();
    assert_eq!(d.slice(d.span(b)), "<b id=\"one\">hi</b>");
    let attr = d.element(b).unwrap().attr("id").unwrap();
    assert_eq!(d.slice(attr.span()), "id=\"one\"");
    assert_eq!(d.slice(attr.value_span()), "one");
    assert_eq!(
        d.line_col(attr.value_span().start),
        LineCol {
            line: 2,
            column: 10
        }
    );
    assert_eq!(d.path(b), "/a/b");
    assert_eq!(d.text_content(b), "hi");
}

#[test]
fn text_references_cdata_and_line_ends_are_normalised() {
    let d = doc("<a>x &amp; &#x41;&lt;\r\n<![CDATA[<raw>]]>&#13;</a>");
    assert_eq!(d.text_content(d.root()), "x & A<\n<raw>\r");
    // Text, references and CDATA form one text node, as in the XPath data model.
    assert_eq!(d.children(d.root()).len(), 1);
}

#[test]
fn attribute_values_are_normalised() {
    let d = doc("<a v=\"x\ty\r\nz&#10;&amp;\"/>");
    let e = d.element(d.root()).unwrap();
    assert_eq!(e.attr_value("v"), Some("x y z\n&"));
}

#[test]
fn comments_split_text_and_are_kept() {
    let d = doc("<n>admin@example.com<!---->.evil.example</n>");
    let kids = d.children(d.root());
    assert_eq!(kids.len(), 3);
    assert!(matches!(d.kind(kids[1]), NodeKind::Comment(c) if c.is_empty()));
    assert_eq!(d.text_content(d.root()), "admin@example.com.evil.example");
}

#[test]
fn processing_instructions_are_kept() {
    let d = doc("<?xml version=\"1.0\"?><?pi before?><n>a<?x y z?>b</n>");
    assert_eq!(d.top_level().len(), 2);
    let kids = d.children(d.root());
    assert!(matches!(d.kind(kids[1]), NodeKind::Pi(p) if p.target == "x" && p.data == "y z"));
}

#[test]
fn namespace_scope_and_subtrees() {
    let d = doc(r#"<a xmlns="urn:d" xmlns:p="urn:p"><b xmlns=""><p:c/></b><d/></a>"#);
    let b = d.children(d.root())[0];
    let c = d.children(b)[0];
    let dd = d.children(d.root())[1];
    assert_eq!(d.element(b).unwrap().namespace(), None);
    assert_eq!(d.element(c).unwrap().namespace(), Some("urn:p"));
    // `xmlns=""` on <b> undeclares the default namespace for <c>.
    assert_eq!(d.in_scope_namespaces(c), vec![(Some("p"), "urn:p")]);
    assert!(d.contains(d.root(), c));
    assert!(d.contains(b, c));
    assert!(!d.contains(b, dd));
    assert_eq!(d.descendants(b).collect::<Vec<_>>(), vec![c]);
}

#[test]
fn doctype_is_refused_and_nothing_expanded() {
    let e = err("<!DOCTYPE r [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;\">]><r>&b;</r>");
    assert_eq!(e.kind, XmlErrorKind::Dtd);
    assert_eq!(e.at, LineCol { line: 1, column: 1 });
}

#[test]
fn undeclared_entities_are_refused() {
    assert_eq!(err("<r>&xxe;</r>").kind, XmlErrorKind::Entity);
    assert_eq!(err("<r a=\"&xxe;\"/>").kind, XmlErrorKind::Entity);
}

#[test]
fn limits_stop_parsing() {
    let limits = Limits {
        max_depth: 3,
        max_elements: 5,
        max_attributes: 2,
        max_text_bytes: 8,
        max_xml_bytes: 200,
        ..Limits::default()
    };
    let check = |text: &str, needle: &str| {
        let e = parse(text, &limits).unwrap_err();
        assert_eq!(e.kind, XmlErrorKind::Limit, "{text}");
        assert!(e.message.contains(needle), "{}", e.message);
    };
    check("<a><b><c><d/></c></b></a>", "deeper than 3");
    check("<a><b/><b/><b/><b/><b/></a>", "more than 5 elements");
    check("<a x='1' y='2' z='3'/>", "more than 2 attributes");
    check("<a>123456789</a>", "text node");
    check("<a x='123456789'/>", "attribute 'x'");
    check(&format!("<a>{}</a>", " ".repeat(300)), "over the limit");
}

#[test]
fn malformed_documents_are_syntax_errors() {
    for (text, needle) in [
        ("<a><b></a>", "not well-formed"),
        ("<a>", "truncated"),
        ("", "no document element"),
        ("<a/>junk", "outside the document element"),
        ("<a/><b/>", "second element"),
        ("<p:a/>", "prefix 'p' is not declared"),
        ("<a x='1' x='2'/>", "appears twice"),
        ("<a x='1'y='2'/>", "separated by whitespace"),
        ("<a x=1/>", "not quoted"),
        ("<a>&#0;</a>", "character reference"),
    ] {
        let e = err(text);
        assert_eq!(e.kind, XmlErrorKind::Syntax, "{text}: {e}");
        assert!(e.message.contains(needle), "{text}: {}", e.message);
    }
}

#[test]
fn html_is_recognised() {
    assert!(looks_like_html("\n<!DOCTYPE html><html>"));
    assert!(looks_like_html("<HTML><head>"));
    assert!(!looks_like_html("<samlp:Response/>"));
    assert!(!looks_like_html("<!DOCTYPE r [<!ENTITY a 'x'>]><r/>"));
    // After a declaration or a comment, `<html` within the first 512 bytes.
    assert!(looks_like_html(
        "<?xml version=\"1.0\"?>\n<!-- a page --><Html lang=en>"
    ));
    assert!(looks_like_html("<!-- x --><htmlx>"));
    assert!(!looks_like_html("<?xml version=\"1.0\"?><r>html <htm</r>"));
    let decl = "<?xml version=\"1.0\"?>";
    let far = format!("{decl}{}", " ".repeat(512 - 5 - decl.len()));
    assert!(looks_like_html(&format!("{far}<html>")));
    assert!(!looks_like_html(&format!("{far} <html>")));
}

#[test]
fn attribute_values_keep_exact_spans_with_and_without_references() {
    let text = "<a plain=\"one\" refs=\"x&amp;y&#10;\" tab=\"p\tq\" empty=\"\"/>";
    let d = doc(text);
    let e = d.element(d.root()).unwrap();
    let plain = e.attr("plain").unwrap();
    assert_eq!(plain.value(), "one");
    assert_eq!(d.slice(plain.span()), "plain=\"one\"");
    assert_eq!(d.slice(plain.value_span()), "one");
    let refs = e.attr("refs").unwrap();
    assert_eq!(refs.value(), "x&y\n");
    assert_eq!(d.slice(refs.span()), "refs=\"x&amp;y&#10;\"");
    assert_eq!(d.slice(refs.value_span()), "x&amp;y&#10;");
    assert_eq!(e.attr_value("tab"), Some("p q"));
    assert_eq!(e.attr_value("empty"), Some(""));
    assert_eq!(
        e.attributes().map(Attribute::qname).collect::<Vec<_>>(),
        ["plain", "refs", "tab", "empty"]
    );
}

#[test]
fn text_nodes_of_one_piece_and_of_several() {
    let text =
        "<r><a>plain</a><b v=\"x&#10;y\">3&lt;4</b><c><![CDATA[<c>]]></c><d>&amp;</d><e>t</e></r>";
    let d = doc(text);
    let texts: Vec<(&str, &str)> = d
        .child_elements(d.root())
        .map(|(n, e)| (e.local(), d.text_of(d.children(n)[0]).unwrap()))
        .collect();
    assert_eq!(
        texts,
        [
            ("a", "plain"),
            ("b", "3<4"),
            ("c", "<c>"),
            ("d", "&"),
            ("e", "t")
        ]
    );
    let b = d.children(d.root())[1];
    assert_eq!(d.element(b).unwrap().attr_value("v"), Some("x\ny"));
    // A text node's span covers all its pieces, as written.
    assert_eq!(d.slice(d.span(d.children(b)[0])), "3&lt;4");
    assert!(d.is_text(d.children(b)[0]));
    assert!(!d.is_text(b));
}

#[test]
fn namespaces_undeclared_and_redeclared() {
    let d = doc(concat!(
        "<a xmlns=\"urn:1\" xmlns:p=\"urn:p1\">",
        "<b xmlns=\"\"><c xmlns=\"urn:2\"><p:d xmlns:p=\"urn:p2\"/></c><e/></b>",
        "<p:f/></a>"
    ));
    let ns = |path: &[usize]| {
        let mut n = d.root();
        for &i in path {
            n = d.children(n)[i];
        }
        let e = d.element(n).unwrap();
        (e.prefix(), e.local().to_owned(), e.namespace())
    };
    assert_eq!(ns(&[]), (None, "a".to_owned(), Some("urn:1")));
    assert_eq!(ns(&[0]), (None, "b".to_owned(), None));
    assert_eq!(ns(&[0, 0]), (None, "c".to_owned(), Some("urn:2")));
    assert_eq!(ns(&[0, 0, 0]), (Some("p"), "d".to_owned(), Some("urn:p2")));
    assert_eq!(ns(&[0, 1]), (None, "e".to_owned(), None));
    assert_eq!(ns(&[1]), (Some("p"), "f".to_owned(), Some("urn:p1")));
    let b = d.element(d.children(d.root())[0]).unwrap();
    let decl = b.namespaces().next().unwrap();
    assert_eq!((decl.prefix(), decl.uri()), (None, ""));
    assert_eq!(d.slice(decl.span()), "xmlns=\"\"");
    // The xml prefix is bound without a declaration.
    let x = doc("<a xml:lang=\"en\"/>");
    let lang = x
        .element(x.root())
        .unwrap()
        .attr_ns(XML_NS, "lang")
        .unwrap();
    assert_eq!(
        (lang.prefix(), lang.local(), lang.value()),
        (Some("xml"), "lang", "en")
    );
}

#[test]
fn children_top_level_and_pis_are_linked() {
    let d = doc("<?p  a b ?><!--c--><r><x><y/>t</x><z/></r><!--d-->");
    assert_eq!(d.top_level().len(), 4);
    assert_eq!(d.top_level()[2], d.root());
    assert!(
        matches!(d.kind(d.top_level()[0]), NodeKind::Pi(p) if p.target == "p" && p.data == "a b ")
    );
    assert!(matches!(d.kind(d.top_level()[3]), NodeKind::Comment("d")));
    let x = d.children(d.root())[0];
    assert_eq!(d.children(d.root()).len(), 2);
    assert_eq!(d.children(x).len(), 2);
    assert!(d.children(d.children(x)[0]).is_empty());
    assert!(
        d.children(d.children(x)[1]).is_empty(),
        "a text node has no children"
    );
    let copy = d.clone();
    assert_eq!(copy.path(d.children(x)[0]), "/r/x/y");
}

#[test]
fn a_prefix_declared_twice_on_one_element_is_refused() {
    // libxml2 refuses it; readers that keep the first or the last binding would
    // put the same element in different namespaces.
    for text in [
        r#"<p:a xmlns:p="urn:one" xmlns:p="urn:two"/>"#,
        r#"<a xmlns="urn:one" xmlns="urn:two"/>"#,
        r#"<r xmlns:p="urn:x"><p:a xmlns:p="urn:one" b="1" xmlns:p="urn:one"/></r>"#,
    ] {
        let e = err(text);
        assert_eq!(e.kind, XmlErrorKind::Syntax, "{text}");
        assert!(
            e.message.contains("declared twice"),
            "{text}: {}",
            e.message
        );
        assert_eq!(&text[e.offset..e.offset + 5], "xmlns", "{text}");
    }
    // The same prefix on a child element rebinds it: that is allowed.
    let d = doc(r#"<p:a xmlns:p="urn:one"><p:b xmlns:p="urn:two"/></p:a>"#);
    let b = d.children(d.root())[0];
    assert_eq!(d.element(b).unwrap().namespace(), Some("urn:two"));
    // A default and a prefixed declaration are two prefixes.
    doc(r#"<a xmlns="urn:one" xmlns:a="urn:one"/>"#);
}
