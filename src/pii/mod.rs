//! On-device PII scrubbing: every event is scrubbed in the core after `beforeSend` and
//! before its envelope is built, so personal data and secrets never leave the device.
//!
//! Entry points: [`scrub_event`] (used by the client) and [`scrub_json`]. The rules are
//! a superset of what Sentry's server (Relay) applies with its default data-scrubbing
//! settings, checked against Relay itself by `tests/pii-conformance.test.mjs`.
//!
//! | file | owns |
//! |---|---|
//! | `config.rs` | options → [`PiiConfig`], validation and error sentences |
//! | `walk.rs` | the walk over an event: which field gets which rules |
//! | `keys.rs` | sensitive key, header, query-parameter and cookie names |
//! | `text.rs` | scrubbing one string: run matchers, merge hits, rebuild, truncate |
//! | `words.rs` | Relay's password-word rule (whole value) |
//! | `assign.rs` | `key=value` secrets inside text, query strings, JSON-in-strings |
//! | `cards.rs`, `iban.rs`, `ssn.rs`, `ip.rs`, `email.rs` | value matchers with checksums |
//! | `tokens.rs`, `urls.rs` | Bearer tokens, JWTs, PEM keys; URL passwords |
//! | `custom.rs` | app-defined value rules |
//! | `cookies.rs` | cookie headers and jars |
//! | `meta.rs` | `_meta` remarks in Relay's format |
//! | `scan.rs` | byte helpers |
//!
//! Every matcher is hand-written and linear in its input (no regex engine: it would add
//! more to the wasm than all of this, and no backtracking can blow up); strings longer
//! than [`text::MAX_SCAN_BYTES`] are cut before scanning.

mod assign;
mod cards;
mod config;
mod cookies;
mod custom;
mod email;
mod iban;
mod ip;
mod keys;
mod meta;
mod scan;
mod ssn;
mod text;
mod tokens;
mod urls;
mod walk;
mod words;

use serde_json::{Map, Value};

pub use config::{EmailScope, PiiConfig, ValueRule};
pub use text::MAX_SCAN_BYTES;

/// Applies the PII policy to one event in place: IP inference (`user.ip_address =
/// "{{auto}}"` only with `sendDefaultPii` in a browser; `sdk.settings.infer_ip` for
/// sentry.io, see [`PiiConfig::sdk_settings`]), then, unless scrubbing is off, every rule,
/// with `_meta` remarks for what changed.
pub fn scrub_event(event: &mut Value, cfg: &PiiConfig) {
    let Value::Object(ev) = event else { return };
    set_ip_inference(ev, cfg);
    if !cfg.enabled {
        return;
    }
    let mut walker = walk::Walker::new(cfg);
    walker.event(ev);
    let log = std::mem::take(&mut walker.log);
    log.write(event, cfg);
}

/// Parses an event from JSON, scrubs it and serialises it again.
pub fn scrub_json(json: &str, cfg: &PiiConfig) -> Result<String, String> {
    let mut event: Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    scrub_event(&mut event, cfg);
    serde_json::to_string(&event).map_err(|e| e.to_string())
}

fn object<'m>(map: &'m mut Map<String, Value>, key: &str) -> &'m mut Map<String, Value> {
    let slot = map.entry(key).or_insert_with(|| Value::Object(Map::new()));
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    slot.as_object_mut().expect("object")
}

fn set_ip_inference(ev: &mut Map<String, Value>, cfg: &PiiConfig) {
    if cfg.sdk_settings {
        let mode = if cfg.infer_ip { "auto" } else { "never" };
        object(object(ev, "sdk"), "settings").insert("infer_ip".into(), Value::from(mode));
    }
    if cfg.infer_ip {
        let user = object(ev, "user");
        if user.get("ip_address").is_none_or(Value::is_null) {
            user.insert("ip_address".into(), Value::from("{{auto}}"));
        }
    }
}

#[cfg(test)]
mod tests;
