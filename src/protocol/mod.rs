//! Sentry's protocol as typed data that writes itself straight to bytes with
//! `json::write`: one concept per file.
//!
//! | file | owns |
//! |---|---|
//! | `envelope.rs` | envelope framing, `sent_at` at a fixed offset (stamped by the shim), category and quantity |
//! | `exception.rs` | thrown values → `exception.values` (linked errors, mechanism) |
//! | `event.rs` | the event and how it is written |
//! | `summary.rs` | dedupe signature, filter subjects, session effect and trace id of a built event |
//! | `source_context.rs` | lines of source around frames, as the shim read them (servers) |
//! | `debug_meta.rs` | `debug_meta.images`: source maps by debug id, wasm modules by build id |
//! | `breadcrumb.rs` | one breadcrumb as a scope stores it |
//! | `fragments.rs` | user and request fragments |

pub mod debug_meta;
pub mod envelope;
pub mod exception;
pub mod limits;
pub mod event;
pub mod meta;
pub mod summary;
#[cfg(feature = "runtime-server")]
pub mod source_context;
