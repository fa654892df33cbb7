//! oxeye's core: everything an error tracker computes, with no host types.
//!
//! The crate compiles natively (so `cargo test` exercises the whole core) and to
//! `wasm32-unknown-unknown`, where `bindings.rs` is the only module that touches
//! JavaScript. Time and randomness are always passed in by the caller.

// A build for one runtime family (see the features in Cargo.toml) leaves code unused.
#![cfg_attr(
    not(all(feature = "runtime-browser", feature = "runtime-server", feature = "wasm-images")),
    allow(dead_code, unused_imports, unused_variables)
)]

#[cfg(any(test, target_arch = "wasm32"))]
mod alloc_wasm;
pub mod baggage;
pub mod context;
pub mod dedupe;
pub mod filters;
pub mod dsn;
#[cfg(test)]
mod growth;
pub mod ids;
pub mod json;
pub mod options;
pub mod outcomes;
pub mod protocol;
pub mod pii;
pub mod pipeline;
pub mod reasons;
pub mod scope;
pub mod scrub;
pub mod session;
pub mod stacktrace;
pub mod time;
pub mod text;
pub mod trace;

#[cfg(target_arch = "wasm32")]
mod bindings;
