//! On-device PII scrubbing: personal data and secrets are removed in the core before
//! anything leaves the device.
//!
//! Entry points (no value tree: JSON text in, bytes out):
//! - [`scrub_json`] copies one JSON value found at a path of an event (a whole event at
//!   path `[]`, or a scope value such as `["user"]` when it is set) into bytes, scrubbed;
//! - [`scrub_str`] scrubs one string the core holds as a typed field (an exception
//!   value at `["exception","values",0,"value"]`, `["request","url"]`, a DSC field at
//!   `["_dsc", field]`);
//! - [`scrub_key`] gives an object key as it may be sent;
//! - [`MetaLog`] collects `_meta` remarks with absolute paths and writes them.
//!
//! The rules are a superset of what Sentry's server (Relay) applies with its default
//! data-scrubbing settings, checked against Relay itself by `tests/pii-conformance.test.mjs`.
//! Beyond Relay's rules (each with its `_meta` rule id):
//! - URL passwords of every shape (`!oxeye:urlauth`): an empty user (`redis://:pw@host`),
//!   `@` inside the password (`postgres://app:Xy7@ab99@db/app`), URL-encoded URLs;
//! - vendor API keys (`!oxeye:token` → `[token]`): AWS access key ids (`AKIA…`, `ASIA…`),
//!   GitHub tokens (`ghp_`, `gho_`, `ghs_`, `ghu_`, `ghr_`, `github_pat_`), Stripe secret
//!   and restricted keys (`sk_live_`, `rk_live_`, `sk_test_`, `rk_test_`), Slack tokens
//!   (`xoxa-`, `xoxb-`, `xoxp-`, `xoxr-`, `xoxs-`); JWTs (`!oxeye:jwt`);
//! - card numbers with a Luhn check, including Maestro (12 to 19 digits), grouped or
//!   URL-encoded (`!oxeye:creditcard`); IBANs with their checksum, printed in groups,
//!   lowercase (with the registry length of the country) (`!oxeye:iban`);
//! - command-line flags (`--password SECRET`, `--token=…`) and `key=value` secrets in
//!   text, query strings and JSON-in-strings (`!oxeye:secret`);
//! - object keys that are themselves secrets (a card number, a token, `Bearer …`, a URL
//!   with a password as a key): replaced, noted on the object as `[rule, "s"]`;
//! - `fingerprint` values and exception types get the rules of messages; the trace
//!   header's fields (`["_dsc", field]`) the rules of URLs and free text.
//!
//! | file | owns |
//! |---|---|
//! | `config.rs` | the `scrub` option text → [`PiiConfig`], validation and error sentences |
//! | `place.rs` | which part of an event gets which rules |
//! | `stream.rs` | the streaming walk over JSON text |
//! | `keys.rs` | sensitive key, header, query-parameter and cookie names |
//! | `rule.rs` | rules, hits, rule ids and replacement texts |
//! | `text.rs` | scrubbing one string: run matchers, merge hits, rebuild, truncate |
//! | `words.rs` | Relay's password-word rule (whole value) |
//! | `assign.rs` | `key=value` secrets inside text, query strings, JSON-in-strings |
//! | `cards.rs`, `iban.rs`, `ssn.rs`, `ip.rs`, `email.rs` | value matchers with checksums |
//! | `tokens.rs`, `urls.rs` | Bearer tokens, JWTs, PEM keys; URL passwords |
//! | `custom.rs` | app-defined value rules |
//! | `cookies.rs` | cookie headers and jars |
//! | `meta.rs` | `_meta` remarks in Relay's format |
//! | `scan.rs` | byte helpers |
//! | `testkit.rs` (tests) | `matcher_tests!` table tests and the linear-growth check |
//!
//! Every matcher is hand-written and linear in its input (no regex engine: it would add
//! more to the wasm than all of this, and no backtracking can blow up); strings longer
//! than [`text::MAX_SCAN_BYTES`] are cut before scanning.

#[cfg(test)]
#[macro_use]
mod testkit;

mod assign;
pub(crate) mod cards;
mod config;
mod cookies;
mod custom;
mod email;
mod iban;
mod ip;
mod keys;
mod meta;
mod place;
mod rule;
mod scan;
mod ssn;
mod stream;
mod text;
mod tokens;
mod urls;
mod words;

pub use config::{EmailScope, PiiConfig, ValueRule};
pub use meta::{MetaLog, Seg};
pub use stream::{scrub_key, scrub_str, Invalid};
pub use text::MAX_SCAN_BYTES;

/// Copies one JSON value found at `path` of an event into `out`, scrubbed, removing what
/// must be removed (e.g. `user.ip_address`); path `[]` means a whole event. Remarks go to
/// `meta` with absolute paths, except for a whole event: its `_meta` (the one it carries,
/// merged with every remark in `meta` and those found now) is written into the event and
/// `meta` is left empty. Invalid JSON → `Err`, and nothing is written or recorded.
pub fn scrub_json(
    json: &str,
    path: &[Seg],
    cfg: &PiiConfig,
    out: &mut Vec<u8>,
    meta: &mut MetaLog,
) -> Result<(), stream::Invalid> {
    let (mark, count) = (out.len(), meta.count());
    // with scrubbing off the walk copies the value as it is (and checks it)
    let mut walk = stream::Walk::new(cfg, meta);
    let result = walk.run(json, path, out);
    // the log keeps what was recorded unless it went into the event's `_meta` (then
    // nothing) or the JSON was invalid (then what it held before)
    let keep = match result {
        Ok(()) if walk.wrote_meta => 0,
        Ok(()) => usize::MAX,
        Err(_) => {
            out.truncate(mark);
            count
        }
    };
    meta.truncate(keep);
    result
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod corpus_tests;
