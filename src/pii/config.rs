//! PII options → the compiled scrubbing config, built once at `init`.
//!
//! `scrub` arrives as the JSON text of a value the shim has checked (`js/api/scrub-check.ts`
//! judges the option and writes the sentence naming a wrong value; `sendDefaultPii` comes
//! as a checked boolean) and is read with the pull tokenizer. A value the core cannot read
//! is refused with one short error ([`SCRUB_INVALID`]): the client then sends nothing
//! rather than guess (see `Client::new`).

use super::scan;
use crate::json::read;

/// Where email addresses are replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailScope {
    /// Nowhere.
    Off,
    /// In log messages and exception values only (the default, as on Sentry's server).
    Messages,
    /// Everywhere, including `user.email`.
    All,
}

/// An app-defined value rule (`scrub.values[i]`), see `custom.rs`.
#[derive(Debug, Clone)]
pub struct ValueRule {
    /// Names the rule in `_meta` (`!oxeye:custom:<name>`).
    pub name: String,
    /// Literal text that starts a match.
    pub prefix: Vec<u8>,
    /// Compare the prefix ignoring ASCII case.
    pub ignore_case: bool,
    /// ASCII characters allowed after the prefix (bit per byte).
    pub class: scan::AsciiSet,
    /// Fewest class characters after the prefix.
    pub min_length: usize,
    /// What replaces a match.
    pub replacement: String,
}

impl ValueRule {
    /// True when `b` is in the rule's character class.
    #[inline]
    pub fn in_class(&self, b: u8) -> bool {
        scan::in_ascii_set(&self.class, b)
    }
}

/// The compiled PII configuration.
#[derive(Debug, Clone)]
pub struct PiiConfig {
    /// `scrub: false` turns every rule off (IP inference still follows `sendDefaultPii`).
    pub enabled: bool,
    /// The app accepts sending personal data (cookies, IPs) by default.
    pub send_default_pii: bool,
    /// Replace IP addresses and remove `user.ip_address`.
    pub ip: bool,
    /// Where emails are replaced.
    pub email: EmailScope,
    /// Extra sensitive key names (normalised bytes), matched anywhere in a key.
    pub keys: Vec<Vec<u8>>,
    /// Key names never filtered by key rules (normalised bytes, whole key).
    pub safe_keys: Vec<Vec<u8>>,
    /// App-defined value rules.
    pub values: Vec<ValueRule>,
    /// Ask the server to record the sender's IP (`user.ip_address = "{{auto}}"`, and
    /// `sdk.settings.infer_ip = "auto"` where that is sent); otherwise `infer_ip` is `"never"`.
    pub infer_ip: bool,
    /// Write `sdk.settings.infer_ip`. Sentry's server reads it (without it, it records the
    /// sender's IP of JavaScript events by default), but the event schema other servers
    /// validate against has no such field (Bugsink rejects the event), so the client sets
    /// this only for DSNs on sentry.io.
    pub sdk_settings: bool,
}

impl Default for PiiConfig {
    fn default() -> PiiConfig {
        PiiConfig {
            enabled: true,
            send_default_pii: false,
            ip: true,
            email: EmailScope::Messages,
            keys: Vec::new(),
            safe_keys: Vec::new(),
            values: Vec::new(),
            infer_ip: false,
            sdk_settings: false,
        }
    }
}

/// The error of a `scrub` value the core cannot read. The shim checks the option and
/// writes the sentence naming the wrong value (`js/api/scrub-check.ts`); it hands the core
/// a value that passed, or one the core refuses (the client is then disabled).
pub const SCRUB_INVALID: &str = "invalid option `scrub`";

/// A list of key names (absent: none), each trimmed and normalised.
#[cfg(feature = "scrub-rules")]
fn key_list(raw: Option<&str>) -> Option<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    for k in raw.map_or(Some(Vec::new()), read::elements)? {
        out.push(scan::normalize_key(read::string(k)?.trim_ascii()));
    }
    Some(out)
}

/// An optional member: `default` when absent, else read (None when it cannot be).
#[cfg(feature = "scrub-rules")]
fn or<'a, T>(raw: Option<&'a str>, default: T, read: impl Fn(&'a str) -> Option<T>) -> Option<T> {
    raw.map_or(Some(default), read)
}

/// Parses a character class such as `A-Za-z0-9_-` (ranges, single characters, `\`
/// escaping the next one) into a 128-bit ASCII set (the shim has checked it: ASCII, no
/// reversed range; anything past ASCII is left out).
#[cfg(feature = "scrub-rules")]
fn class(spec: &str) -> [u64; 2] {
    let mut set = [0u64; 2];
    let b = spec.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let mut lo = b[i];
        if lo == b'\\' && i + 1 < b.len() {
            i += 1;
            lo = b[i];
        }
        let mut hi = lo;
        if i + 2 < b.len() && b[i + 1] == b'-' {
            hi = b[i + 2];
            i += 2;
        }
        for c in lo..=hi.min(127) {
            // The upper word from 64 on.
            set[usize::from(c > 63)] |= 1 << (c % 64);
        }
        i += 1;
    }
    set
}

/// A value rule as the shim checked it (a name of letters, digits, `_` and `-`, a prefix,
/// optional `chars`, `minLength`, `ignoreCase` and `replacement`).
#[cfg(feature = "scrub-rules")]
fn value_rule(raw: &str) -> Option<ValueRule> {
    let [name, prefix, chars, min_length, ignore_case, replacement] = read::pick(raw, &["name", "prefix", "chars", "minLength", "ignoreCase", "replacement"]);
    let name = read::string(name?)?;
    let prefix = read::string(prefix?)?;
    // The name is written into `_meta` as it is (its characters are base64url's); the
    // prefix starts every match.
    if prefix.is_empty() || name.is_empty() || !name.bytes().all(super::tokens::b64url) {
        return None;
    }
    let chars = or(chars, "".into(), read::string)?;
    let min_length = or(min_length, usize::from(!chars.is_empty()) as f64, read::number)? as usize;
    let ignore_case = or(ignore_case, false, read::boolean)?;
    let replacement = or(replacement, "[Filtered]".into(), read::string)?;
    let prefix = if ignore_case { prefix.to_ascii_lowercase() } else { prefix.into() };
    Some(ValueRule { name: name.into(), prefix: prefix.into_bytes(), ignore_case, class: class(&chars), min_length, replacement: replacement.into() })
}

/// Reads the members of a `scrub` object into `cfg`; None when one cannot be read.
#[cfg(feature = "scrub-rules")]
fn read_object(cfg: &mut PiiConfig, raw: &str) -> Option<()> {
    if !crate::text::trim(raw).starts_with('{') {
        return None;
    }
    let [keys, safe_keys, values, ip, email] = read::pick(raw, &["keys", "safeKeys", "values", "ip", "email"]);
    cfg.keys = key_list(keys)?;
    cfg.safe_keys = key_list(safe_keys)?;
    for r in values.map_or(Some(Vec::new()), read::elements)? {
        cfg.values.push(value_rule(r)?);
    }
    cfg.ip = or(ip, cfg.ip, read::boolean)?;
    if let Some(e) = email {
        cfg.email = match read::boolean(e) {
            Some(true) => EmailScope::All,
            Some(false) => EmailScope::Off,
            None if read::string(e)? == "messages" => EmailScope::Messages,
            None => return None,
        };
    }
    Some(())
}

impl PiiConfig {
    /// `scrub.keys` (none in a core built without the `scrub-rules` feature, which never
    /// reads them).
    #[inline]
    pub fn custom_keys(&self) -> &[Vec<u8>] {
        if cfg!(feature = "scrub-rules") { &self.keys } else { &[] }
    }

    /// `scrub.safeKeys` (none without `scrub-rules`).
    #[inline]
    pub fn safe_keys(&self) -> &[Vec<u8>] {
        if cfg!(feature = "scrub-rules") { &self.safe_keys } else { &[] }
    }

    /// `scrub.values` (none without `scrub-rules`).
    #[inline]
    pub fn value_rules(&self) -> &[ValueRule] {
        if cfg!(feature = "scrub-rules") { &self.values } else { &[] }
    }

    /// Compiles the `scrub` option, given as the JSON text of a value the shim checked
    /// (`None` when absent): `true`, `false` or an object. Anything it cannot read is
    /// refused with [`SCRUB_INVALID`]. `send_default_pii` is the resolved `sendDefaultPii`
    /// (a boolean by then, see `options.rs`); `browser`: the host is a browser (only there
    /// is the sender's IP the user's, so only there may the server infer it).
    pub fn from_options(send_default_pii: bool, scrub: Option<&str>, browser: bool) -> Result<PiiConfig, &'static str> {
        let mut cfg = PiiConfig { send_default_pii, ip: !send_default_pii, ..PiiConfig::default() };
        match scrub.map(|s| (s, read::boolean(s))) {
            None | Some((_, Some(true))) => {}
            Some((_, Some(false))) => cfg.enabled = false,
            #[cfg(feature = "scrub-rules")]
            Some((raw, None)) => read_object(&mut cfg, raw).ok_or(SCRUB_INVALID)?,
            // A core built without `scrub-rules` reads no object: the browser loads the
            // one built with it for a client whose `scrub` is an object.
            #[cfg(not(feature = "scrub-rules"))]
            Some(_) => return Err(SCRUB_INVALID),
        }
        cfg.infer_ip = cfg.send_default_pii && browser && !(cfg.enabled && cfg.ip);
        Ok(cfg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn parse(sdp: Option<Value>, scrub: Option<Value>) -> Result<PiiConfig, &'static str> {
        PiiConfig::from_options(sdp == Some(Value::Bool(true)), scrub.map(|v| v.to_string()).as_deref(), true)
    }
    #[test]
    fn defaults_follow_send_default_pii() {
        let d = parse(None, None).unwrap();
        assert!(d.enabled && d.ip && !d.send_default_pii && !d.infer_ip);
        assert_eq!(d.email, EmailScope::Messages);
        let p = parse(Some(json!(true)), None).unwrap();
        assert!(p.send_default_pii && !p.ip && p.infer_ip);
        #[cfg(feature = "scrub-rules")]
        {
            let p = parse(Some(json!(true)), Some(json!({"ip": true}))).unwrap();
            assert!(p.ip && !p.infer_ip);
        }
        // The client falls back to `PiiConfig::default()` after a bad `scrub`: the same
        // rules as no `scrub` and no `sendDefaultPii`.
        for browser in [true, false] {
            assert_eq!(format!("{:?}", PiiConfig::from_options(false, None, browser).unwrap()), format!("{:?}", PiiConfig::default()));
        }
        let node = PiiConfig::from_options(true, None, false).unwrap();
        assert!(!node.infer_ip);
        assert!(!parse(None, Some(json!(false))).unwrap().enabled);
        assert!(parse(None, Some(json!(true))).unwrap().enabled);
    }

    #[test]
    #[cfg(feature = "scrub-rules")]
    fn full_object() {
        let c = parse(
            None,
            Some(json!({
                "keys": ["X-Tenant-Ref", " order secret "],
                "safeKeys": ["Author"],
                "values": [{"name": "stripe", "prefix": "sk_live_", "chars": "A-Za-z0-9\\-", "minLength": 8, "replacement": "[stripe]"}],
                "ip": false,
                "email": true
            })),
        )
        .unwrap();
        assert_eq!(c.keys, vec![b"x_tenant_ref".to_vec(), b"order_secret".to_vec()]);
        assert_eq!(c.safe_keys, vec![b"author".to_vec()]);
        assert!(!c.ip);
        assert_eq!(c.email, EmailScope::All);
        let r = &c.values[0];
        assert!(r.in_class(b'a') && r.in_class(b'Z') && r.in_class(b'5') && r.in_class(b'-') && !r.in_class(b'_'));
        assert_eq!(r.replacement, "[stripe]");
        assert_eq!(parse(None, Some(json!({"email": "messages"}))).unwrap().email, EmailScope::Messages);
        assert_eq!(parse(None, Some(json!({"email": false}))).unwrap().email, EmailScope::Off);
    }

    #[test]
    #[cfg(feature = "scrub-rules")]
    fn defaults_of_a_value_rule() {
        let c = parse(None, Some(json!({"values": [{"name": "a", "prefix": "Tok_", "ignoreCase": true}, {"name": "b", "prefix": "x", "chars": "\\-a-c\\"}]}))).unwrap();
        let (a, b) = (&c.values[0], &c.values[1]);
        assert_eq!((a.prefix.as_slice(), a.min_length, a.class, a.replacement.as_str()), (&b"tok_"[..], 0, [0, 0], "[Filtered]"));
        assert_eq!(b.min_length, 1);
        assert!(b.in_class(b'-') && b.in_class(b'a') && b.in_class(b'c') && b.in_class(b'\\') && !b.in_class(b'd'));
    }

    /// Only values the shim checked arrive (its tests hold the sentences); anything else is
    /// refused with one short error, never a panic.
    #[test]
    fn what_cannot_be_read_is_refused() {
        for scrub in [
            json!("on"),
            json!(0),
            json!([]),
            json!({"keys": "password"}),
            json!({"keys": ["a", 5]}),
            json!({"ip": "no"}),
            json!({"email": "all"}),
            json!({"values": {"name": "a"}}),
            json!({"values": [{"prefix": "x"}]}),
            json!({"values": [{"name": "a b", "prefix": "x"}]}),
            json!({"values": [{"name": "a", "prefix": ""}]}),
            json!({"values": [{"name": "a", "prefix": "x", "chars": 5}]}),
            json!({"values": [{"name": "a", "prefix": "x", "minLength": "3"}]}),
            json!({"values": [{"name": "a", "prefix": "x", "ignoreCase": 1}]}),
            json!({"values": [{"name": "a", "prefix": "x", "replacement": null}]}),
        ] {
            assert_eq!(parse(None, Some(scrub.clone())).unwrap_err(), SCRUB_INVALID, "{scrub}");
        }
        // Garbage the shim would have refused reads without a panic.
        for text in ["{\"keys\": [\"", "{\"values\": [{\"name\"", "{", "\u{0}"] {
            let _ = PiiConfig::from_options(false, Some(text), true);
        }
        for scrub in [json!({"values": [{"name": "a", "prefix": "x", "chars": "z-aé\\", "minLength": -3}]}), json!({"zzz": 1, "keys": ["  "]})] {
            // A build without `scrub-rules` reads no object at all: the browser fetches the
            // one with it for a client whose `scrub` is an object.
            assert_eq!(parse(None, Some(scrub)).is_ok(), cfg!(feature = "scrub-rules"));
        }
    }
}
