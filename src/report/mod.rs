//! The report: one result model filled by the pipeline, and renderers that only read it.

pub(crate) mod github;
pub(crate) mod json;
pub(crate) mod junit;
pub(crate) mod model;
pub(crate) mod redact;
pub(crate) mod sarif;
pub(crate) mod stream;
pub(crate) mod text;

#[cfg(test)]
mod tests;

pub use model::*;
pub use stream::{Part, RenderContext, Stream, Target};
