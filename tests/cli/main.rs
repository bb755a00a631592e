//! The one integration-test binary: each module drives the real `samlint` binary.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod config;
mod docs;
mod foundation;
mod hardening;
mod help;
mod metadata;
mod okta_map;
mod redact;
mod rules;
mod tui;
