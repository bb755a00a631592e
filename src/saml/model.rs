use chrono::{DateTime, Utc};

use super::time::parse_datetime;
use super::{ASSERTION_NS, DSIG_NS, PROTOCOL_NS};
use crate::xml::{Document, NodeId, NodeKind, Span};

/// A value read from the document (attribute value or element text) and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    pub text: String,
    pub span: Span,
}

impl Value {
    fn attr(doc: &Document, node: NodeId, local: &str) -> Option<Value> {
        let a = doc.element(node)?.attr(local)?;
        Some(Value {
            text: a.value().to_owned(),
            span: a.value_span(),
        })
    }

    /// The text content of an element. The span is the text itself when the element
    /// holds one text node (so a caret lands under the value), else the element.
    fn text_of(doc: &Document, node: NodeId) -> Value {
        let span = match doc.children(node) {
            [only] if doc.is_text(*only) => doc.span(*only),
            _ => doc.span(node),
        };
        Value {
            text: doc.text_content(node),
            span,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// As an `xs:dateTime`.
    pub fn time(&self) -> Option<DateTime<Utc>> {
        parse_datetime(&self.text)
    }
}

/// A `samlp:Response` (or whatever the root turned out to be: see [`Root`]).
#[derive(Debug, Clone)]
pub struct Response {
    pub node: NodeId,
    pub id: Option<Value>,
    pub version: Option<Value>,
    pub issue_instant: Option<Value>,
    pub destination: Option<Value>,
    pub in_response_to: Option<Value>,
    pub issuer: Option<Issuer>,
    pub status: Option<Status>,
    /// `Assertion` children of the Response, in order.
    pub assertions: Vec<NodeId>,
    /// `EncryptedAssertion` children of the Response, in order.
    pub encrypted_assertions: Vec<NodeId>,
    /// Every `ds:Signature` in the document, in document order.
    pub signatures: Vec<Signature>,
}

/// What the document element is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Root {
    Response,
    /// A SAML 2.0 protocol message other than a Response (`AuthnRequest`,
    /// `LogoutResponse`...): the local name.
    OtherProtocol(String),
    /// SAML 1.1 (`urn:oasis:names:tc:SAML:1.0:protocol`).
    Saml11,
    /// Anything else: the qualified name and namespace.
    Other {
        name: String,
        namespace: Option<String>,
    },
}

impl Root {
    pub fn of(doc: &Document) -> Root {
        let Some(e) = doc.element(doc.root()) else {
            return Root::Other {
                name: String::new(),
                namespace: None,
            };
        };
        match e.namespace() {
            Some(PROTOCOL_NS) if e.local() == "Response" => Root::Response,
            Some(PROTOCOL_NS) => Root::OtherProtocol(e.local().to_owned()),
            Some(
                "urn:oasis:names:tc:SAML:1.0:protocol" | "urn:oasis:names:tc:SAML:1.0:assertion",
            ) => Root::Saml11,
            ns => Root::Other {
                name: e.qname().to_owned(),
                namespace: ns.map(str::to_owned),
            },
        }
    }
}

#[derive(Debug, Clone)]
pub struct Issuer {
    pub node: NodeId,
    pub value: Value,
    pub format: Option<Value>,
}

impl Issuer {
    fn read(doc: &Document, parent: NodeId) -> Option<Issuer> {
        let node = doc.first_child(parent, ASSERTION_NS, "Issuer")?;
        Some(Issuer {
            node,
            value: Value::text_of(doc, node),
            format: Value::attr(doc, node, "Format"),
        })
    }
}

#[derive(Debug, Clone)]
pub struct Status {
    pub node: NodeId,
    /// The top-level `StatusCode@Value`.
    pub code: Option<Value>,
    /// Nested `StatusCode` values, outermost first.
    pub nested: Vec<Value>,
    pub message: Option<Value>,
}

impl Status {
    fn read(doc: &Document, response: NodeId) -> Option<Status> {
        let node = doc.first_child(response, PROTOCOL_NS, "Status")?;
        let top = doc.first_child(node, PROTOCOL_NS, "StatusCode");
        let mut nested = Vec::new();
        let mut cur = top.and_then(|t| doc.first_child(t, PROTOCOL_NS, "StatusCode"));
        while let Some(c) = cur {
            if let Some(v) = Value::attr(doc, c, "Value") {
                nested.push(v);
            }
            cur = doc.first_child(c, PROTOCOL_NS, "StatusCode");
        }
        Some(Status {
            node,
            code: top.and_then(|t| Value::attr(doc, t, "Value")),
            nested,
            message: doc
                .first_child(node, PROTOCOL_NS, "StatusMessage")
                .map(|m| Value::text_of(doc, m)),
        })
    }
}

impl Response {
    /// Reads the Response at the document root. Call only when [`Root::of`] is
    /// [`Root::Response`]; other roots give a Response with nothing in it.
    pub fn read(doc: &Document) -> Response {
        let node = doc.root();
        Response {
            node,
            id: Value::attr(doc, node, "ID"),
            version: Value::attr(doc, node, "Version"),
            issue_instant: Value::attr(doc, node, "IssueInstant"),
            destination: Value::attr(doc, node, "Destination"),
            in_response_to: Value::attr(doc, node, "InResponseTo"),
            issuer: Issuer::read(doc, node),
            status: Status::read(doc, node),
            assertions: doc
                .children_named(node, ASSERTION_NS, "Assertion")
                .collect(),
            encrypted_assertions: doc
                .children_named(node, ASSERTION_NS, "EncryptedAssertion")
                .collect(),
            signatures: Signature::read_all(doc),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Assertion {
    pub node: NodeId,
    pub id: Option<Value>,
    pub version: Option<Value>,
    pub issue_instant: Option<Value>,
    pub issuer: Option<Issuer>,
    pub subject: Option<Subject>,
    pub conditions: Option<Conditions>,
    pub authn_statements: Vec<AuthnStatement>,
    /// Attributes of every AttributeStatement, in document order.
    pub attributes: Vec<SamlAttribute>,
}

impl Assertion {
    /// Reads the assertion element at `node` (the one verification resolved).
    pub fn read(doc: &Document, node: NodeId) -> Assertion {
        let attributes = doc
            .children_named(node, ASSERTION_NS, "AttributeStatement")
            .flat_map(|s| doc.children_named(s, ASSERTION_NS, "Attribute"))
            .map(|a| SamlAttribute::read(doc, a))
            .collect();
        Assertion {
            node,
            id: Value::attr(doc, node, "ID"),
            version: Value::attr(doc, node, "Version"),
            issue_instant: Value::attr(doc, node, "IssueInstant"),
            issuer: Issuer::read(doc, node),
            subject: doc
                .first_child(node, ASSERTION_NS, "Subject")
                .map(|s| Subject::read(doc, s)),
            conditions: doc
                .first_child(node, ASSERTION_NS, "Conditions")
                .map(|c| Conditions::read(doc, c)),
            authn_statements: doc
                .children_named(node, ASSERTION_NS, "AuthnStatement")
                .map(|a| AuthnStatement {
                    node: a,
                    authn_instant: Value::attr(doc, a, "AuthnInstant"),
                    session_index: Value::attr(doc, a, "SessionIndex"),
                    session_not_on_or_after: Value::attr(doc, a, "SessionNotOnOrAfter"),
                })
                .collect(),
            attributes,
        }
    }

    /// Attributes whose `Name` is exactly `name`.
    pub fn attributes_named<'a>(
        &'a self,
        name: &'a str,
    ) -> impl Iterator<Item = &'a SamlAttribute> {
        self.attributes
            .iter()
            .filter(move |a| a.name.as_ref().is_some_and(|n| n.text == name))
    }

    /// The Subject's NameID.
    pub fn name_id(&self) -> Option<&NameId> {
        self.subject.as_ref()?.name_id.as_ref()
    }

    /// The values of the first attribute named exactly `name`.
    pub fn first_values<'a>(&'a self, name: &'a str) -> Option<&'a [AttributeValue]> {
        self.attributes_named(name)
            .next()
            .map(|a| a.values.as_slice())
    }
}

#[derive(Debug, Clone)]
pub struct Subject {
    pub node: NodeId,
    pub name_id: Option<NameId>,
    pub confirmations: Vec<SubjectConfirmation>,
}

impl Subject {
    fn read(doc: &Document, node: NodeId) -> Subject {
        Subject {
            node,
            name_id: doc
                .first_child(node, ASSERTION_NS, "NameID")
                .map(|n| NameId {
                    node: n,
                    value: Value::text_of(doc, n),
                    format: Value::attr(doc, n, "Format"),
                    has_comment_or_pi: has_comment_or_pi(doc, n),
                }),
            confirmations: doc
                .children_named(node, ASSERTION_NS, "SubjectConfirmation")
                .map(|c| SubjectConfirmation {
                    node: c,
                    method: Value::attr(doc, c, "Method"),
                    data: doc
                        .first_child(c, ASSERTION_NS, "SubjectConfirmationData")
                        .map(|d| SubjectConfirmationData {
                            node: d,
                            recipient: Value::attr(doc, d, "Recipient"),
                            not_before: Value::attr(doc, d, "NotBefore"),
                            not_on_or_after: Value::attr(doc, d, "NotOnOrAfter"),
                            in_response_to: Value::attr(doc, d, "InResponseTo"),
                        }),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct NameId {
    pub node: NodeId,
    pub value: Value,
    pub format: Option<Value>,
    /// A comment or PI inside the text (CVE-2017-11427 class).
    pub has_comment_or_pi: bool,
}

#[derive(Debug, Clone)]
pub struct SubjectConfirmation {
    pub node: NodeId,
    pub method: Option<Value>,
    pub data: Option<SubjectConfirmationData>,
}

#[derive(Debug, Clone)]
pub struct SubjectConfirmationData {
    pub node: NodeId,
    pub recipient: Option<Value>,
    pub not_before: Option<Value>,
    pub not_on_or_after: Option<Value>,
    pub in_response_to: Option<Value>,
}

#[derive(Debug, Clone)]
pub struct Conditions {
    pub node: NodeId,
    pub not_before: Option<Value>,
    pub not_on_or_after: Option<Value>,
    pub audience_restrictions: Vec<AudienceRestriction>,
}

impl Conditions {
    fn read(doc: &Document, node: NodeId) -> Conditions {
        Conditions {
            node,
            not_before: Value::attr(doc, node, "NotBefore"),
            not_on_or_after: Value::attr(doc, node, "NotOnOrAfter"),
            audience_restrictions: doc
                .children_named(node, ASSERTION_NS, "AudienceRestriction")
                .map(|r| AudienceRestriction {
                    node: r,
                    audiences: doc
                        .children_named(r, ASSERTION_NS, "Audience")
                        .map(|a| Value::text_of(doc, a))
                        .collect(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct AudienceRestriction {
    pub node: NodeId,
    pub audiences: Vec<Value>,
}

#[derive(Debug, Clone)]
pub struct AuthnStatement {
    pub node: NodeId,
    pub authn_instant: Option<Value>,
    pub session_index: Option<Value>,
    pub session_not_on_or_after: Option<Value>,
}

#[derive(Debug, Clone)]
pub struct SamlAttribute {
    pub node: NodeId,
    pub name: Option<Value>,
    pub name_format: Option<Value>,
    pub friendly_name: Option<Value>,
    pub values: Vec<AttributeValue>,
}

impl SamlAttribute {
    fn read(doc: &Document, node: NodeId) -> SamlAttribute {
        SamlAttribute {
            node,
            name: Value::attr(doc, node, "Name"),
            name_format: Value::attr(doc, node, "NameFormat"),
            friendly_name: Value::attr(doc, node, "FriendlyName"),
            values: doc
                .children_named(node, ASSERTION_NS, "AttributeValue")
                .map(|v| AttributeValue {
                    node: v,
                    value: Value::text_of(doc, v),
                    has_element_children: doc.child_elements(v).next().is_some(),
                    has_comment_or_pi: has_comment_or_pi(doc, v),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct AttributeValue {
    pub node: NodeId,
    pub value: Value,
    pub has_element_children: bool,
    pub has_comment_or_pi: bool,
}

/// A `ds:Signature` element as written (verification decides what it is worth).
#[derive(Debug, Clone)]
pub struct Signature {
    pub node: NodeId,
    /// The element the Signature sits in (`None` when it is the document element).
    pub parent: Option<NodeId>,
    /// Every `SignedInfo` child (more than one is a wrapping shape).
    pub signed_info: Vec<NodeId>,
    pub canonicalization: Option<Value>,
    pub signature_method: Option<Value>,
    /// References of the first SignedInfo.
    pub references: Vec<Reference>,
    pub signature_value: Option<NodeId>,
    /// Base64 texts of `KeyInfo/X509Data/X509Certificate`, in order.
    pub certificates: Vec<Value>,
}

#[derive(Debug, Clone)]
pub struct Reference {
    pub node: NodeId,
    pub uri: Option<Value>,
    /// Transform `Algorithm` URIs, in order.
    pub transforms: Vec<Value>,
    /// `InclusiveNamespaces@PrefixList` of an exclusive c14n transform, if any.
    pub inclusive_prefixes: Option<Value>,
    pub digest_method: Option<Value>,
    pub digest_value: Option<NodeId>,
}

impl Signature {
    fn read_all(doc: &Document) -> Vec<Signature> {
        let root = doc.root();
        std::iter::once(root)
            .chain(doc.descendants(root))
            .filter(|&n| doc.is_element(n, DSIG_NS, "Signature"))
            .map(|n| Signature::read(doc, n))
            .collect()
    }

    pub fn read(doc: &Document, node: NodeId) -> Signature {
        let signed_info: Vec<NodeId> = doc.children_named(node, DSIG_NS, "SignedInfo").collect();
        let first = signed_info.first().copied();
        let alg = |parent: Option<NodeId>, local: &str| {
            parent
                .and_then(|p| doc.first_child(p, DSIG_NS, local))
                .and_then(|m| Value::attr(doc, m, "Algorithm"))
        };
        let references = first
            .map(|si| {
                doc.children_named(si, DSIG_NS, "Reference")
                    .map(|r| Reference::read(doc, r))
                    .collect()
            })
            .unwrap_or_default();
        let certificates = doc
            .first_child(node, DSIG_NS, "KeyInfo")
            .into_iter()
            .flat_map(|k| doc.children_named(k, DSIG_NS, "X509Data"))
            .flat_map(|x| doc.children_named(x, DSIG_NS, "X509Certificate"))
            .map(|c| Value::text_of(doc, c))
            .collect();
        Signature {
            node,
            parent: doc.parent(node),
            canonicalization: alg(first, "CanonicalizationMethod"),
            signature_method: alg(first, "SignatureMethod"),
            signed_info,
            references,
            signature_value: doc.first_child(node, DSIG_NS, "SignatureValue"),
            certificates,
        }
    }
}

impl Reference {
    fn read(doc: &Document, node: NodeId) -> Reference {
        let transforms: Vec<NodeId> = doc
            .first_child(node, DSIG_NS, "Transforms")
            .map(|t| doc.children_named(t, DSIG_NS, "Transform").collect())
            .unwrap_or_default();
        let inclusive_prefixes = transforms.iter().find_map(|&t| {
            doc.child_elements(t)
                .find(|(_, e)| e.local() == "InclusiveNamespaces")
                .and_then(|(n, _)| Value::attr(doc, n, "PrefixList"))
        });
        let digest_method = doc.first_child(node, DSIG_NS, "DigestMethod");
        Reference {
            node,
            uri: Value::attr(doc, node, "URI"),
            transforms: transforms
                .iter()
                .filter_map(|&t| Value::attr(doc, t, "Algorithm"))
                .collect(),
            inclusive_prefixes,
            digest_method: digest_method.and_then(|d| Value::attr(doc, d, "Algorithm")),
            digest_value: doc.first_child(node, DSIG_NS, "DigestValue"),
        }
    }
}

/// Whether an element's content holds a comment or processing instruction.
fn has_comment_or_pi(doc: &Document, node: NodeId) -> bool {
    doc.descendants(node)
        .any(|d| matches!(doc.kind(d), NodeKind::Comment(_) | NodeKind::Pi(_)))
}
