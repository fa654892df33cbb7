//! The scrubbing interface the core calls, re-exported from the PII module (`pii/`):
//! strings, JSON values and keys scrubbed by the path they take in the event, with
//! `_meta` remarks collected in a [`MetaLog`].

pub use crate::pii::{scrub_json, scrub_key, scrub_str, MetaLog, PiiConfig, Seg};

/// Compiles the PII options (`scrub` as raw JSON text).
pub fn config_from_options(send_default_pii: bool, scrub_json: Option<&str>, browser: bool) -> Result<PiiConfig, &'static str> {
    PiiConfig::from_options(send_default_pii, scrub_json, browser)
}

/// `meta` written as `_meta` JSON text, or None when it holds nothing.
pub fn written(meta: &MetaLog, cfg: &PiiConfig) -> Option<Vec<u8>> {
    if meta.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    meta.write(cfg, &mut out);
    Some(out)
}
