//! samlint: tells exactly why a SAML sign-in to AWS fails, and whether an assertion
//! can be trusted.
//!
//! The library is a pipeline, one module per stage:
//! `input` (find payloads) → `decode` → `xml` / `saml` (model with source spans)
//! → `verify` → `lint` (rule registry) → `report` (renderers). The command-line
//! front-ends in `commands` drive it through [`pipeline`]; `proxy` records live
//! sign-ins; `redact` writes a capture that can be shared.
//!
//! `pub` is the library API (what `main`, the integration tests, the benches and the
//! fuzz targets call); everything else is `pub(crate)`, and `unreachable_pub` keeps it so.

#![warn(unreachable_pub)]

pub(crate) mod aws;
pub mod cli;
pub mod commands;
pub(crate) mod config;
pub mod decode;
pub(crate) mod finding;
pub mod input;
pub mod limits;
pub mod lint;
pub mod pipeline;
pub mod proxy;
pub(crate) mod redact;
pub mod report;
pub mod saml;
pub(crate) mod tui;
pub mod verify;
pub mod xml;

#[cfg(test)]
mod test_support;
