//! One file per rule: its `META` and, where the rule is checked in the lint stage,
//! its `check`.

pub mod input_not_saml;
pub mod metadata_cert_expired;
pub mod metadata_cert_unacceptable;
pub mod metadata_entityid_invalid;
pub mod metadata_identity_center_incompatible;
pub mod metadata_invalid;
pub mod metadata_no_signing_cert;
pub mod response_too_large;
pub mod xml_dtd_forbidden;
pub mod xml_limits_exceeded;
