//! The one reader of SAML metadata, shared by trust loading (`--idp-metadata`) and
//! `samlint metadata`: which entities a file describes, their IdP roles, and every
//! certificate of every `KeyDescriptor` with whose role and use it is. What a key is
//! good for is decided here once ([`MetadataKey::trusts`]), so the linter and the
//! verifier cannot disagree about the same file.

use super::{DSIG_NS, METADATA_NS, PROTOCOL_NS};
use crate::xml::{Document, NodeId};

/// The entities of a metadata document: the root `EntityDescriptor`, or every
/// `EntityDescriptor` under a root `EntitiesDescriptor` (nested aggregates included).
/// `None` when the root is neither.
pub(crate) fn entities(doc: &Document) -> Option<Vec<NodeId>> {
    let root = doc.root();
    if doc.is_element(root, METADATA_NS, "EntityDescriptor") {
        Some(vec![root])
    } else if doc.is_element(root, METADATA_NS, "EntitiesDescriptor") {
        Some(
            doc.descendants(root)
                .filter(|&n| doc.is_element(n, METADATA_NS, "EntityDescriptor"))
                .collect(),
        )
    } else {
        None
    }
}

/// Whether a role element is a SAML 2.0 IdP role: an `IDPSSODescriptor` whose
/// `protocolSupportEnumeration` lists the SAML 2.0 protocol.
pub(crate) fn is_saml2_idp(doc: &Document, role: NodeId) -> bool {
    doc.element(role).is_some_and(|e| {
        e.is(METADATA_NS, "IDPSSODescriptor")
            && e.attr_value("protocolSupportEnumeration")
                .is_some_and(|v| v.split_ascii_whitespace().any(|p| p == PROTOCOL_NS))
    })
}

/// The SAML 2.0 IdP roles of the entities, as `(entity, role)`.
pub(crate) fn idp_roles(doc: &Document, entities: &[NodeId]) -> Vec<(NodeId, NodeId)> {
    entities
        .iter()
        .flat_map(|&entity| {
            doc.child_elements(entity)
                .filter(|&(role, _)| is_saml2_idp(doc, role))
                .map(move |(role, _)| (entity, role))
        })
        .collect()
}

/// One `X509Certificate` of a `KeyDescriptor`, with whose key it is.
#[derive(Debug, Clone)]
pub(crate) struct MetadataKey<'d> {
    /// The entity's `entityID`, when it has one.
    pub entity_id: Option<&'d str>,
    /// Local name of the role element.
    pub role_name: &'d str,
    /// The role is a SAML 2.0 IdP role ([`is_saml2_idp`]).
    pub idp: bool,
    /// `use` as written (trimmed); `None` means both signing and encryption.
    pub key_use: Option<&'d str>,
    /// The `X509Certificate` element and its base64 text.
    pub cert: NodeId,
    pub text: String,
}

impl MetadataKey<'_> {
    /// For signing: `use="signing"` or no `use`.
    pub(crate) fn signing(&self) -> bool {
        self.key_use.is_none_or(|u| u == "signing")
    }

    /// The key verifies responses of its entity: an IdP role's signing key.
    pub(crate) fn trusts(&self) -> bool {
        self.idp && self.signing()
    }

    /// Whose key this is, for messages: `the SP signing key of entity X`.
    pub(crate) fn owner(&self) -> String {
        let what = match (self.idp, self.key_use) {
            (_, Some(u)) if u != "signing" => format!("the {u}-only key"),
            (true, _) => "the IdP signing key".to_owned(),
            (false, _) if self.role_name == "SPSSODescriptor" => "the SP signing key".to_owned(),
            (false, _) if self.role_name == "IDPSSODescriptor" => {
                "the key of an IdP role without SAML 2.0".to_owned()
            }
            (false, _) => format!("the {} key", self.role_name),
        };
        match self.entity_id {
            Some(id) => format!("{what} of entity {id}"),
            None => format!("{what} of an entity without entityID"),
        }
    }
}

/// Every certificate under `RoleDescriptor/KeyDescriptor/ds:KeyInfo/ds:X509Data` of
/// every entity, in document order.
pub(crate) fn keys<'d>(doc: &'d Document, entities: &[NodeId]) -> Vec<MetadataKey<'d>> {
    let mut out = Vec::new();
    for &entity in entities {
        let entity_id = doc.element(entity).and_then(|e| e.attr_value("entityID"));
        for (role, role_el) in doc.child_elements(entity) {
            let idp = is_saml2_idp(doc, role);
            for kd in doc.children_named(role, METADATA_NS, "KeyDescriptor") {
                let key_use = doc
                    .element(kd)
                    .and_then(|e| e.attr_value("use"))
                    .map(str::trim);
                let certs = doc
                    .children_named(kd, DSIG_NS, "KeyInfo")
                    .flat_map(|k| doc.children_named(k, DSIG_NS, "X509Data"))
                    .flat_map(|x| doc.children_named(x, DSIG_NS, "X509Certificate"));
                for cert in certs {
                    out.push(MetadataKey {
                        entity_id,
                        role_name: role_el.local(),
                        idp,
                        key_use,
                        cert,
                        text: doc.text_content(cert),
                    });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;

    const AGGREGATE: &str = r#"<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
<md:EntityDescriptor entityID="idp">
 <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
  <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>A</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
  <md:KeyDescriptor use="encryption"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>B</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
  <md:KeyDescriptor><ds:KeyInfo><ds:X509Data><ds:X509Certificate>C</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
 </md:IDPSSODescriptor>
 <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:1.1:protocol">
  <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>D</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
 </md:IDPSSODescriptor>
</md:EntityDescriptor>
<md:EntityDescriptor entityID="sp">
 <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
  <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>E</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
 </md:SPSSODescriptor>
</md:EntityDescriptor>
</md:EntitiesDescriptor>"#;

    #[test]
    fn only_saml2_idp_signing_keys_trust() {
        let doc = crate::xml::parse(AGGREGATE, &Limits::default()).unwrap();
        let entities = entities(&doc).unwrap();
        assert_eq!(entities.len(), 2);
        assert_eq!(idp_roles(&doc, &entities).len(), 1);
        let keys = keys(&doc, &entities);
        let got: Vec<(&str, bool, String)> = keys
            .iter()
            .map(|k| (k.text.as_str(), k.trusts(), k.owner()))
            .collect();
        assert_eq!(
            got,
            [
                ("A", true, "the IdP signing key of entity idp".to_owned()),
                (
                    "B",
                    false,
                    "the encryption-only key of entity idp".to_owned()
                ),
                ("C", true, "the IdP signing key of entity idp".to_owned()),
                (
                    "D",
                    false,
                    "the key of an IdP role without SAML 2.0 of entity idp".to_owned()
                ),
                ("E", false, "the SP signing key of entity sp".to_owned()),
            ]
        );
        let doc = crate::xml::parse("<a/>", &Limits::default()).unwrap();
        assert!(super::entities(&doc).is_none());
    }
}
