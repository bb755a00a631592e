//! The one integration-test binary: each module drives the real `samlint` binary.

mod common;
mod foundation;
mod tui;
