//! PII options → the compiled scrubbing config, validated once at `init`.
//!
//! `scrub` arrives as the JSON text of the option (`sendDefaultPii` as an already checked
//! boolean) and is read with the pull tokenizer. Every value is checked; anything unexpected — a wrong type, an unknown `scrub` field, a reversed
//! character range — yields an error sentence naming the option, e.g.
//! ``invalid option `scrub.values[0].chars`: range "z-a" is reversed``. The client then
//! sends nothing rather than guess (see `Client::new`).

use std::borrow::Cow;

use super::scan;
use crate::json::read::{self, Reader, Token};

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
    pub class: [u64; 2],
    /// Fewest class characters after the prefix.
    pub min_length: usize,
    /// What replaces a match.
    pub replacement: String,
}

impl ValueRule {
    /// True when `b` is in the rule's character class.
    #[inline]
    pub fn in_class(&self, b: u8) -> bool {
        b < 128 && self.class[(b / 64) as usize] & (1 << (b % 64)) != 0
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
    /// Extra sensitive key names (normalised), matched anywhere in a key.
    pub keys: Vec<String>,
    /// Key names never filtered by key rules (normalised, whole key).
    pub safe_keys: Vec<String>,
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

// Each limit with its digits as the messages spell them (no number printed at run time).
const MAX_KEYS: (usize, &str) = (200, "200");
/// Longest key name, prefix or replacement; a rule name has half.
const MAX_TEXT_CHARS: (usize, &str) = (64, "64");
const MAX_NAME_CHARS: (usize, &str) = (32, "32");
const MAX_RULES: (usize, &str) = (32, "32");
const MAX_MIN_LENGTH: usize = 256;

/// Where a value sits in the option: `scrub`, then an optional `.list`, `[index]` and
/// `.field`. Spelled out only when the value is wrong.
#[derive(Clone, Copy)]
struct At<'p> {
    list: &'p str,
    /// `usize::MAX` when there is none (an index of the option's lists is far below).
    index: usize,
    field: Option<&'p str>,
}

const TOP: At<'static> = At { list: "", index: usize::MAX, field: None };

impl<'p> At<'p> {
    fn list(list: &'p str) -> At<'p> {
        At { list, ..TOP }
    }

    fn with<'q>(self, field: &'q str) -> At<'q>
    where
        'p: 'q,
    {
        At { field: Some(field), ..self }
    }
}

/// `invalid option `path`: ` followed by the parts of the reason.
fn err(at: At, why: &[&str]) -> String {
    let mut s = String::from("invalid option `scrub");
    if !at.list.is_empty() {
        s.push('.');
        s.push_str(at.list);
    }
    if at.index != usize::MAX {
        let i = at.index;
        s.push('[');
        scan::push_num(&mut s, i);
        s.push(']');
    }
    if let Some(f) = at.field {
        s.push('.');
        s.push_str(f);
    }
    s.push_str("`: ");
    for p in why {
        s.push_str(p);
    }
    s
}

/// A value of the `scrub` option seen one level deep: containers keep the raw text of
/// their members, read again when needed (the option is small and read once).
enum J<'a> {
    /// A member that is not there (named `null` in messages, as a missing one reads).
    Absent,
    Null,
    Bool(bool),
    Num(&'a str),
    Str(Cow<'a, str>),
    Arr(Vec<&'a str>),
    Obj(Vec<(Cow<'a, str>, &'a str)>),
}

impl<'a> J<'a> {
    /// Reads `raw`, which has been validated.
    fn read(raw: &'a str) -> J<'a> {
        match Reader::new(raw).next() {
            Ok(Some(Token::ObjStart)) => J::Obj(read::fields(raw).unwrap_or_default()),
            Ok(Some(Token::ArrStart)) => J::Arr(read::elements(raw).unwrap_or_default()),
            Ok(Some(Token::Str(s))) => J::Str(s.text()),
            Ok(Some(Token::Num(n))) => J::Num(n),
            Ok(Some(Token::Bool(b))) => J::Bool(b),
            Ok(Some(Token::Null | Token::Key(_) | Token::ObjEnd | Token::ArrEnd) | None) | Err(_) => J::Null,
        }
    }

    fn as_bool(&self) -> Option<bool> {
        match self {
            J::Bool(b) => Some(*b),
            J::Absent | J::Null | J::Num(_) | J::Str(_) | J::Arr(_) | J::Obj(_) => None,
        }
    }

    fn as_str(&self) -> Option<&str> {
        match self {
            J::Str(s) => Some(s),
            J::Absent | J::Null | J::Bool(_) | J::Num(_) | J::Arr(_) | J::Obj(_) => None,
        }
    }

    /// A whole number from 0 to `max`.
    fn as_whole(&self, max: f64) -> Option<f64> {
        match self {
            J::Num(n) => crate::options::whole_number(n, max),
            J::Absent | J::Null | J::Bool(_) | J::Str(_) | J::Arr(_) | J::Obj(_) => None,
        }
    }

    /// A member of an object (the last one when a key repeats, as JSON.parse does), or
    /// `Absent`.
    fn get(&self, key: &str) -> J<'a> {
        match self {
            J::Obj(m) => match m.iter().rev().find(|(k, _)| k == key) {
                Some((_, v)) => J::read(v),
                None => J::Absent,
            },
            J::Absent | J::Null | J::Bool(_) | J::Num(_) | J::Str(_) | J::Arr(_) => J::Absent,
        }
    }

    /// Whether the member was there (even as `null`).
    fn given(&self) -> bool {
        !matches!(self, J::Absent)
    }
}

/// `invalid option `path`: expected <what>, got <v>`.
fn expected(at: At, what: &str, v: &J) -> String {
    let word = match v {
        J::Absent | J::Null => "null",
        J::Bool(true) => "true",
        J::Bool(false) => "false",
        J::Num(_) => "a number",
        J::Arr(_) => "an array",
        J::Obj(_) => "an object",
        J::Str(s) => {
            let cut = s.floor_char_boundary(40);
            let more = if cut < s.len() { "…" } else { "" };
            return err(at, &["expected ", what, ", got \"", crate::text::part(s, 0, cut), more, "\""]);
        }
    };
    err(at, &["expected ", what, ", got ", word])
}

fn boolean(v: &J, at: At) -> Result<bool, String> {
    v.as_bool().ok_or_else(|| expected(at, "true or false", v))
}

fn string<'v>(v: &'v J, at: At, (max, digits): (usize, &str)) -> Result<&'v str, String> {
    match v.as_str() {
        Some(s) if !s.is_empty() && crate::text::char_count(s) <= max => Ok(s),
        Some("") => Err(err(at, &["must not be empty"])),
        Some(_) => Err(err(at, &["longer than ", digits, " characters"])),
        None => Err(expected(at, "a string", v)),
    }
}

fn key_list(v: &J, at: At) -> Result<Vec<String>, String> {
    let J::Arr(items) = v else {
        return Err(expected(at, "an array of key names", v));
    };
    if items.len() > MAX_KEYS.0 {
        return Err(err(at, &["more than ", MAX_KEYS.1, " entries"]));
    }
    let mut out = Vec::new();
    for (i, k) in items.iter().enumerate() {
        let k = J::read(k);
        out.push(scan::normalize_key(string(&k, At { index: i, ..at }, MAX_TEXT_CHARS)?.trim_ascii()));
    }
    Ok(out)
}

/// Parses a character class such as `A-Za-z0-9_-` (ranges, single characters, `\`
/// escaping the next one) into a 128-bit ASCII set.
fn class(spec: &str, at: At) -> Result<[u64; 2], String> {
    let mut set = [0u64; 2];
    let b = spec.as_bytes();
    if !spec.is_ascii() {
        return Err(err(at, &["only ASCII characters are supported"]));
    }
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
            if hi < lo {
                // `lo-hi` as written (an escaped `lo` without its `\`); all ASCII.
                return Err(err(at, &["range \"", crate::text::part(spec, i, i + 3), "\" is reversed"]));
            }
            i += 2;
        }
        for c in lo..=hi {
            // ASCII only (checked above): the upper word from 64 on.
            set[usize::from(c > 63)] |= 1 << (c % 64);
        }
        i += 1;
    }
    Ok(set)
}

fn value_rule(v: &J, at: At) -> Result<ValueRule, String> {
    let J::Obj(members) = v else {
        return Err(expected(at, "an object like { name, prefix, chars, minLength }", v));
    };
    check_fields(members, at, &["name", "prefix", "chars", "minLength", "ignoreCase", "replacement"])?;
    let name_at = at.with("name");
    // A missing member reads as `null`.
    let name_v = v.get("name");
    let name = string(&name_v, name_at, MAX_NAME_CHARS)?;
    if !name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-') {
        return Err(err(name_at, &["use only letters, digits, `_` and `-`"]));
    }
    let prefix_v = v.get("prefix");
    let prefix = string(&prefix_v, at.with("prefix"), MAX_TEXT_CHARS)?;
    let chars_at = at.with("chars");
    let chars_v = v.get("chars");
    let chars = match &chars_v {
        J::Absent => "",
        c => match c.as_str() {
            Some(s) => s,
            None => return Err(expected(chars_at, "a string such as \"A-Za-z0-9\"", c)),
        },
    };
    let class = class(chars, chars_at)?;
    let min_at = at.with("minLength");
    let min_length = match v.get("minLength") {
        J::Absent => usize::from(!chars.is_empty()),
        m => match m.as_whole(MAX_MIN_LENGTH as f64) {
            Some(n) => n as usize,
            _ => return Err(expected(min_at, "a whole number from 0 to 256", &m)),
        },
    };
    if chars.is_empty() && min_length > 0 {
        return Err(err(min_at, &["needs `chars` to say which characters follow the prefix"]));
    }
    let ignore_case = match v.get("ignoreCase") {
        J::Absent => false,
        b => boolean(&b, at.with("ignoreCase"))?,
    };
    let replacement = match v.get("replacement") {
        J::Absent => String::from("[Filtered]"),
        r => string(&r, at.with("replacement"), MAX_TEXT_CHARS)?.to_string(),
    };
    let prefix = if ignore_case { prefix.to_ascii_lowercase() } else { prefix.to_string() };
    Ok(ValueRule { name: name.to_string(), prefix: prefix.into_bytes(), ignore_case, class, min_length, replacement })
}

/// Reports the first unknown field in key order.
fn check_fields(members: &[(Cow<str>, &str)], at: At, known: &[&str]) -> Result<(), String> {
    let mut unknown: Option<&str> = None;
    for (k, _) in members {
        match unknown {
            _ if known.contains(&&**k) => {}
            Some(u) if u <= &**k => {}
            _ => unknown = Some(k),
        }
    }
    match unknown {
        None => Ok(()),
        Some(k) => {
            // The known names are added to the end of the sentence.
            let mut why = err(at.with(k), &["unknown field (expected one of "]);
            for (i, name) in known.iter().enumerate() {
                if i > 0 {
                    why.push_str(", ");
                }
                why.push_str(name);
            }
            why.push(')');
            Err(why)
        }
    }
}

impl PiiConfig {
    /// Compiles and validates the `scrub` option, given as its JSON text (`None` when
    /// absent). `send_default_pii` is the resolved `sendDefaultPii` (a boolean by then,
    /// see `options.rs`); `browser`: the host is a browser (only there is the sender's IP
    /// the user's, so only there may the server infer it).
    pub fn from_options(send_default_pii: bool, scrub: Option<&str>, browser: bool) -> Result<PiiConfig, String> {
        let mut cfg = PiiConfig { send_default_pii, ip: !send_default_pii, ..PiiConfig::default() };
        let scrub = match scrub {
            None => J::Null,
            Some(text) => {
                if read::validate(text).is_err() {
                    return Err(err(TOP, &["not valid JSON"]));
                }
                J::read(text)
            }
        };
        match &scrub {
            J::Absent | J::Null | J::Bool(true) => {}
            J::Bool(false) => cfg.enabled = false,
            J::Obj(members) => {
                check_fields(members, TOP, &["keys", "safeKeys", "values", "ip", "email"])?;
                let v = scrub.get("keys");
                if v.given() {
                    cfg.keys = key_list(&v, At::list("keys"))?;
                }
                let v = scrub.get("safeKeys");
                if v.given() {
                    cfg.safe_keys = key_list(&v, At::list("safeKeys"))?;
                }
                let v = scrub.get("values");
                if v.given() {
                    let at = At::list("values");
                    let J::Arr(items) = &v else {
                        return Err(expected(at, "an array of rules", &v));
                    };
                    if items.len() > MAX_RULES.0 {
                        return Err(err(at, &["more than ", MAX_RULES.1, " rules"]));
                    }
                    for (i, r) in items.iter().enumerate() {
                        cfg.values.push(value_rule(&J::read(r), At { index: i, ..at })?);
                    }
                }
                let v = scrub.get("ip");
                if v.given() {
                    cfg.ip = boolean(&v, At::list("ip"))?;
                }
                let v = scrub.get("email");
                if v.given() {
                    cfg.email = match &v {
                        J::Bool(true) => EmailScope::All,
                        J::Bool(false) => EmailScope::Off,
                        J::Str(s) if s == "messages" => EmailScope::Messages,
                        other => return Err(expected(At::list("email"), "true, false or \"messages\"", other)),
                    };
                }
            }
            other => return Err(expected(TOP, "false, true or an object", other)),
        }
        cfg.infer_ip = cfg.send_default_pii && browser && !(cfg.enabled && cfg.ip);
        Ok(cfg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn parse(sdp: Option<Value>, scrub: Option<Value>) -> Result<PiiConfig, String> {
        PiiConfig::from_options(sdp == Some(Value::Bool(true)), scrub.map(|v| v.to_string()).as_deref(), true)
    }

    #[test]
    fn defaults_follow_send_default_pii() {
        let d = parse(None, None).unwrap();
        assert!(d.enabled && d.ip && !d.send_default_pii && !d.infer_ip);
        assert_eq!(d.email, EmailScope::Messages);
        let p = parse(Some(json!(true)), None).unwrap();
        assert!(p.send_default_pii && !p.ip && p.infer_ip);
        let p = parse(Some(json!(true)), Some(json!({"ip": true}))).unwrap();
        assert!(p.ip && !p.infer_ip);
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
    fn limits_spell_their_numbers() {
        for (n, digits) in [MAX_KEYS, MAX_TEXT_CHARS, MAX_NAME_CHARS, MAX_RULES] {
            assert_eq!(n.to_string(), digits);
        }
    }

    #[test]
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
        assert_eq!(c.keys, vec!["x_tenant_ref", "order_secret"]);
        assert_eq!(c.safe_keys, vec!["author"]);
        assert!(!c.ip);
        assert_eq!(c.email, EmailScope::All);
        let r = &c.values[0];
        assert!(r.in_class(b'a') && r.in_class(b'Z') && r.in_class(b'5') && r.in_class(b'-') && !r.in_class(b'_'));
        assert_eq!(r.replacement, "[stripe]");
        assert_eq!(parse(None, Some(json!({"email": "messages"}))).unwrap().email, EmailScope::Messages);
        assert_eq!(parse(None, Some(json!({"email": false}))).unwrap().email, EmailScope::Off);
    }

    #[test]
    fn bad_values_name_the_option() {
        for (sdp, scrub, want) in [
            (None, Some(json!("on")), "`scrub`: expected false, true or an object"),
            (None, Some(json!({"keyz": []})), "`scrub.keyz`: unknown field"),
            (None, Some(json!({"keys": "password"})), "`scrub.keys`: expected an array"),
            (None, Some(json!({"keys": ["a", 5]})), "`scrub.keys[1]`: expected a string, got a number"),
            (None, Some(json!({"safeKeys": [""]})), "`scrub.safeKeys[0]`: must not be empty"),
            (None, Some(json!({"ip": "no"})), "`scrub.ip`: expected true or false"),
            (None, Some(json!({"email": "all"})), "`scrub.email`: expected true, false or \"messages\""),
            (None, Some(json!({"values": [{"prefix": "x"}]})), "`scrub.values[0].name`: expected a string"),
            (None, Some(json!({"values": [{"name": "a b", "prefix": "x"}]})), "`scrub.values[0].name`: use only"),
            (
                None,
                Some(json!({"values": [{"name": "a", "prefix": ""}]})),
                "`scrub.values[0].prefix`: must not be empty",
            ),
            (
                None,
                Some(json!({"values": [{"name": "a", "prefix": "x", "chars": "z-a"}]})),
                "range \"z-a\" is reversed",
            ),
            (
                None,
                Some(json!({"values": [{"name": "a", "prefix": "x", "chars": "0-9\\z-a"}]})),
                "`scrub.values[0].chars`: range \"z-a\" is reversed",
            ),
            (None, Some(json!({"values": [{"name": "a", "prefix": "x", "chars": "é"}]})), "only ASCII"),
            (
                None,
                Some(json!({"values": [{"name": "a", "prefix": "x", "minLength": 3}]})),
                "`scrub.values[0].minLength`: needs `chars`",
            ),
            (
                None,
                Some(json!({"values": [{"name": "a", "prefix": "x", "chars": "a", "minLength": 1.5}]})),
                "expected a whole number",
            ),
            (
                None,
                Some(json!({"values": [{"name": "a", "prefix": "x", "regex": ".*"}]})),
                "`scrub.values[0].regex`: unknown field",
            ),
            (None, Some(json!({"values": {"name": "a"}})), "`scrub.values`: expected an array"),
        ] {
            let e = parse(sdp, scrub).unwrap_err();
            assert!(e.starts_with("invalid option `"), "{e}");
            assert!(e.contains(want), "{e} / {want}");
        }
        let long = "k".repeat(65);
        assert!(parse(None, Some(json!({"keys": [long]}))).unwrap_err().contains("longer than 64"));
    }
}
