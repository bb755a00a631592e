//! The one integration-test binary: each module drives the real `samlint` binary.

// Test helpers outside `#[test]` functions panic on failure by design.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod aws;
mod common;
mod config;
mod docs;
mod engines;
mod field;
mod formats;
mod foundation;
mod hardening;
mod help;
mod idp;
mod metadata;
mod okta_map;
mod proxy;
mod redact;
mod redact_capture;
mod rules;
mod shapes;
mod tui;
mod usability;
