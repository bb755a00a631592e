//! One file per rule: its `META` and, where the rule is checked in the lint stage,
//! its `check`.

pub mod cert_expired;
pub mod engine_disagreement;
pub mod input_not_saml;
pub mod nameid_comment;
pub mod response_too_large;
pub mod signature_algorithm_unsupported;
pub mod signature_invalid;
pub mod signature_missing;
pub mod signature_untrusted;
pub mod signature_weak_algorithm;
pub mod signature_wrapping;
pub mod xml_dtd_forbidden;
pub mod xml_limits_exceeded;
