//! SAML requests (`AuthnRequest`, `LogoutRequest`): what the SP asked for. Part of a
//! healthy SP-initiated sign-in, summarised so the Response can be held against it.

use serde::Serialize;

use super::{ASSERTION_NS, DSIG_NS, PROTOCOL_NS};
use crate::xml::Document;

/// What a request says, as the report shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RequestSummary {
    /// The root element's local name: `AuthnRequest`, `LogoutRequest`...
    pub kind: String,
    pub id: Option<String>,
    /// The SP's entity ID.
    pub issuer: Option<String>,
    pub issue_instant: Option<String>,
    pub destination: Option<String>,
    /// `AssertionConsumerServiceURL`: where the SP wants the Response posted.
    pub acs_url: Option<String>,
    /// `ProtocolBinding`: the binding the SP wants the Response in.
    pub protocol_binding: Option<String>,
    /// `NameIDPolicy@Format`.
    pub nameid_format: Option<String>,
    /// `NameIDPolicy@AllowCreate`.
    pub nameid_allow_create: Option<String>,
    pub force_authn: Option<String>,
    pub is_passive: Option<String>,
    /// The request carries an enveloped `ds:Signature` (HTTP-POST binding).
    pub signed_xml: bool,
    /// HTTP-Redirect signature: the `SigAlg` query parameter (the `Signature`
    /// parameter beside it signs the query string, not the XML).
    pub sig_alg: Option<String>,
    pub redirect_signature: bool,
}

/// Reads the request at the document's root, when the root is a SAML 2.0 protocol
/// request (a local name ending in `Request`).
pub(crate) fn read(doc: &Document) -> Option<RequestSummary> {
    let root = doc.root();
    let e = doc.element(root)?;
    if e.namespace() != Some(PROTOCOL_NS) || !e.local().ends_with("Request") {
        return None;
    }
    let attr = |node, name: &str| {
        doc.element(node)
            .and_then(|e| e.attr_value(name))
            .map(str::to_owned)
    };
    let policy = doc.first_child(root, PROTOCOL_NS, "NameIDPolicy");
    Some(RequestSummary {
        kind: e.local().to_owned(),
        id: attr(root, "ID"),
        issuer: doc
            .first_child(root, ASSERTION_NS, "Issuer")
            .map(|i| doc.text_content(i).trim().to_owned()),
        issue_instant: attr(root, "IssueInstant"),
        destination: attr(root, "Destination"),
        acs_url: attr(root, "AssertionConsumerServiceURL"),
        protocol_binding: attr(root, "ProtocolBinding"),
        nameid_format: policy.and_then(|p| attr(p, "Format")),
        nameid_allow_create: policy.and_then(|p| attr(p, "AllowCreate")),
        force_authn: attr(root, "ForceAuthn"),
        is_passive: attr(root, "IsPassive"),
        signed_xml: doc.first_child(root, DSIG_NS, "Signature").is_some(),
        sig_alg: None,
        redirect_signature: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;

    #[test]
    fn authn_request_is_summarised() {
        let doc = crate::xml::parse(
            r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"
                xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1" Version="2.0"
                IssueInstant="2026-01-15T10:00:00Z" Destination="https://idp.example/sso"
                AssertionConsumerServiceURL="https://us-east-1.signin.aws.amazon.com/platform/saml/acs/x"
                ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST">
                <saml:Issuer> https://us-east-1.signin.aws.amazon.com/platform/saml/d-1 </saml:Issuer>
                <samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress" AllowCreate="true"/>
              </samlp:AuthnRequest>"#,
            &Limits::default(),
        )
        .unwrap();
        let r = read(&doc).unwrap();
        assert_eq!(r.kind, "AuthnRequest");
        assert_eq!(r.id.as_deref(), Some("_r1"));
        assert_eq!(
            r.issuer.as_deref(),
            Some("https://us-east-1.signin.aws.amazon.com/platform/saml/d-1")
        );
        assert_eq!(
            r.nameid_format.as_deref(),
            Some("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress")
        );
        assert!(r.acs_url.unwrap().ends_with("/acs/x"));
        assert!(!r.signed_xml);
    }

    #[test]
    fn a_response_is_not_a_request() {
        let doc = crate::xml::parse(
            r#"<p:Response xmlns:p="urn:oasis:names:tc:SAML:2.0:protocol"/>"#,
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(read(&doc), None);
    }
}
