//! One file per rule: its `META` and, where the rule is checked in the lint stage,
//! its `check`.

pub mod input_not_saml;
pub mod response_too_large;
pub mod xml_dtd_forbidden;
pub mod xml_limits_exceeded;
