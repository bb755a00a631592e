//! The one integration-test binary: `samlint` run as a user runs it.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: failing loudly is the point

mod common;
mod config;
mod docs;
mod help;
mod metadata;
mod okta_map;
mod redact;
mod rules;
