//! JSON without a value tree: [`write`] puts typed data straight into bytes, [`read`]
//! tokenizes JSON text made by the shim's `JSON.stringify`. Together they replace
//! serde_json on the wasm build; serde_json remains the native tests' oracle for every
//! byte the core writes.

pub mod read;
pub mod write;
