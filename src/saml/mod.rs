//! The SAML 2.0 model read from a parsed [`Document`]. Every value keeps the span it
//! came from, so findings point at the exact attribute or text. Elements are matched
//! by namespace URI and local name: prefixes (`saml2:`, `saml:`, default) never matter.

pub(crate) mod metadata;
mod model;
pub(crate) mod request;
pub(crate) mod soap;
pub(crate) mod time;

pub use model::*;

pub const PROTOCOL_NS: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
pub const ASSERTION_NS: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
pub const DSIG_NS: &str = "http://www.w3.org/2000/09/xmldsig#";
pub const XENC_NS: &str = "http://www.w3.org/2001/04/xmlenc#";
pub const METADATA_NS: &str = "urn:oasis:names:tc:SAML:2.0:metadata";
pub const STATUS_SUCCESS: &str = "urn:oasis:names:tc:SAML:2.0:status:Success";
pub const BEARER: &str = "urn:oasis:names:tc:SAML:2.0:cm:bearer";

/// The AWS attribute names (RULES.md "AWS names").
pub mod aws {
    pub const PREFIX: &str = "https://aws.amazon.com/SAML/Attributes/";
    pub const ROLE: &str = "https://aws.amazon.com/SAML/Attributes/Role";
    pub const ROLE_SESSION_NAME: &str = "https://aws.amazon.com/SAML/Attributes/RoleSessionName";
    pub const SESSION_DURATION: &str = "https://aws.amazon.com/SAML/Attributes/SessionDuration";
    pub const SOURCE_IDENTITY: &str = "https://aws.amazon.com/SAML/Attributes/SourceIdentity";
    pub const TRANSITIVE_TAG_KEYS: &str =
        "https://aws.amazon.com/SAML/Attributes/TransitiveTagKeys";
    pub const PRINCIPAL_TAG_PREFIX: &str = "https://aws.amazon.com/SAML/Attributes/PrincipalTag:";
    pub const ACCESS_CONTROL_PREFIX: &str = "https://aws.amazon.com/SAML/Attributes/AccessControl:";
}
