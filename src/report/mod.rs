//! The report: one result model filled by the pipeline, and renderers that only read it.

pub mod github;
pub mod json;
pub mod junit;
pub mod model;
pub mod redact;
pub mod sarif;
pub mod stream;
pub mod text;

#[cfg(test)]
mod tests;

pub use model::*;
pub use stream::{Part, RenderContext, Target};
