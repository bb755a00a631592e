//! SOAP envelopes (ECP / PAOS, artifact resolution) that carry a SAML Response in
//! their Body. The Response is taken out as a document of its own, with the namespace
//! declarations it inherits from the envelope written onto its start tag: the
//! canonical form of the Response (what its signatures cover) is the same, since
//! inclusive c14n renders inherited declarations on the apex element and exclusive
//! c14n renders only the ones it uses.

use std::fmt::Write as _;

use super::PROTOCOL_NS;
use crate::xml::{Document, NodeId};

const SOAP11_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const SOAP12_NS: &str = "http://www.w3.org/2003/05/soap-envelope";

/// The Response inside a SOAP envelope, as standalone XML text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unwrapped {
    pub text: String,
    /// Where the Response was: `/Envelope/Body/Response` or
    /// `/Envelope/Body/ArtifactResponse/Response`.
    pub path: String,
}

/// `None` when the root is not a SOAP envelope; `Some(Err(what))` when it is one
/// without a SAML Response in its Body (naming what the Body holds).
pub(crate) fn unwrap(doc: &Document) -> Option<Result<Unwrapped, String>> {
    let root = doc.root();
    let e = doc.element(root)?;
    let ns = e.namespace()?;
    if !(ns == SOAP11_NS || ns == SOAP12_NS) || e.local() != "Envelope" {
        return None;
    }
    let Some(body) = doc.first_child(root, ns, "Body") else {
        return Some(Err("a SOAP envelope without a Body".to_owned()));
    };
    let Some((first, fe)) = doc.child_elements(body).next() else {
        return Some(Err("a SOAP envelope with an empty Body".to_owned()));
    };
    let response = if fe.is(PROTOCOL_NS, "Response") {
        first
    } else if fe.is(PROTOCOL_NS, "ArtifactResponse") {
        match doc.first_child(first, PROTOCOL_NS, "Response") {
            Some(r) => r,
            None => {
                return Some(Err(
                    "a SOAP envelope whose ArtifactResponse holds no Response".to_owned(),
                ));
            }
        }
    } else {
        return Some(Err(format!(
            "a SOAP envelope whose Body holds <{}>, not a SAML 2.0 Response",
            fe.qname()
        )));
    };
    Some(Ok(Unwrapped {
        text: standalone(doc, response),
        path: doc.path(response),
    }))
}

/// The element's text with every inherited namespace binding declared on its start tag.
fn standalone(doc: &Document, node: NodeId) -> String {
    let span = doc.span(node);
    let text = doc.slice(span);
    let Some(e) = doc.element(node) else {
        return text.to_owned();
    };
    let own: Vec<Option<&str>> = e.namespaces().map(crate::xml::NsDecl::prefix).collect();
    let mut decls = String::new();
    for (prefix, uri) in doc.in_scope_namespaces(node) {
        if own.contains(&prefix) {
            continue;
        }
        let uri = uri.replace('&', "&amp;").replace('"', "&quot;");
        match prefix {
            Some(p) => {
                let _ = write!(decls, " xmlns:{p}=\"{uri}\"");
            }
            None => {
                let _ = write!(decls, " xmlns=\"{uri}\"");
            }
        }
    }
    // Insert right after `<qname`.
    let at = 1 + e.qname().len();
    let (head, tail) = text.split_at(at.min(text.len()));
    format!("{head}{decls}{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;

    #[test]
    fn response_in_body_keeps_inherited_namespaces() {
        let doc = crate::xml::parse(
            r#"<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/" xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"><S:Header/><S:Body><samlp:Response ID="r"><saml:Issuer>i</saml:Issuer></samlp:Response></S:Body></S:Envelope>"#,
            &Limits::default(),
        )
        .unwrap();
        let u = unwrap(&doc).unwrap().unwrap();
        assert!(u.text.starts_with("<samlp:Response xmlns:"), "{}", u.text);
        assert!(
            u.text
                .contains(r#"xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion""#)
        );
        assert!(
            u.text
                .contains(r#"xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol""#)
        );
        assert!(u.text.ends_with("</samlp:Response>"));
        let inner = crate::xml::parse(&u.text, &Limits::default()).unwrap();
        assert_eq!(crate::saml::Root::of(&inner), crate::saml::Root::Response);
    }

    #[test]
    fn artifact_response_holds_the_response() {
        let doc = crate::xml::parse(
            r#"<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body><p:ArtifactResponse xmlns:p="urn:oasis:names:tc:SAML:2.0:protocol" ID="a"><p:Response ID="r"/></p:ArtifactResponse></e:Body></e:Envelope>"#,
            &Limits::default(),
        )
        .unwrap();
        let u = unwrap(&doc).unwrap().unwrap();
        assert_eq!(u.path, "/Envelope/Body/ArtifactResponse/Response");
        assert!(
            u.text
                .contains("xmlns:p=\"urn:oasis:names:tc:SAML:2.0:protocol\""),
            "{}",
            u.text
        );
        let inner = crate::xml::parse(&u.text, &Limits::default()).unwrap();
        assert_eq!(crate::saml::Root::of(&inner), crate::saml::Root::Response);
    }

    #[test]
    fn other_bodies_are_named() {
        let doc = crate::xml::parse(
            r#"<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><x/></S:Body></S:Envelope>"#,
            &Limits::default(),
        )
        .unwrap();
        assert!(unwrap(&doc).unwrap().unwrap_err().contains("<x>"));
        let plain = crate::xml::parse("<a/>", &Limits::default()).unwrap();
        assert_eq!(unwrap(&plain), None);
    }
}
