//! Rule metadata: declared once per rule, read by everything that shows a rule
//! (`rules`, `explain`, docs, SARIF, findings). The types live in [`crate::finding`],
//! below every stage; this path stays for callers.

pub use crate::finding::{IdpFix, Profile, RuleMeta, Severity};
