//! The one integration-test binary: each module drives the real `samlint` binary.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod formats;
mod foundation;
