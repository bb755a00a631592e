//! Findings: built from a rule's metadata, so a finding cannot carry the wrong id.
//! They live in [`crate::finding`], below every stage; this path stays for callers.

pub use crate::finding::{Finding, Label};
