//! The report: one result model filled by the pipeline, and renderers that only read it.

pub mod json;
pub mod model;
pub mod redact;
pub mod text;

pub use model::*;
