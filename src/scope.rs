//! One scope: the data events captured under it inherit (tags, extras, contexts, user
//! fields, level, fingerprint, transaction name, breadcrumbs, the trace), stored as
//! JSON fragments that were scrubbed once, when they were set, together with their
//! `_meta` remarks. A capture copies bytes; it never re-walks or re-scrubs scope data.
//!
//! Precedence, lowest first: global < isolation < current < the event's own fields.
//! Maps (tags, extra, contexts) and the user merge key by key; level, fingerprint and
//! transaction come from the most specific place that sets them; breadcrumbs of all
//! scopes are merged in time order and the newest kept (see `pipeline/build.rs`).
//!
//! Scope ids are the host's business: the core keeps a map id → scope and knows no
//! special ids.

use std::rc::Rc;

use crate::json::read;
use crate::json::write as w;
use crate::protocol::exception::truncate;
use crate::scrub::{self, MetaLog, PiiConfig, Seg};

/// Longest tag value Sentry keeps, in characters.
pub const MAX_TAG_CHARS: usize = 200;
/// Longest key kept for tags, extras, contexts and user fields, in characters.
pub const MAX_KEY_CHARS: usize = 200;

/// A scope setter, as the host names it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u8)]
pub enum ScopeOp {
    /// `setTag(key, value)`.
    SetTag = 0,
    /// `setTags({…})`.
    SetTags = 1,
    /// `setExtra(key, value)`; null removes.
    SetExtra = 2,
    /// `setExtras({…})`.
    SetExtras = 3,
    /// `setContext(key, value)`; null removes.
    SetContext = 4,
    /// `setUser(user)`; null clears.
    SetUser = 5,
    /// `setLevel("warning")`.
    SetLevel = 6,
    /// `setFingerprint([…])`.
    SetFingerprint = 7,
    /// `setTransactionName(name)`.
    SetTransactionName = 8,
    /// `clearBreadcrumbs()`.
    ClearBreadcrumbs = 9,
    /// `clear()`.
    Clear = 10,
}

impl ScopeOp {
    /// Every setter, in numeric order.
    pub const ALL: [ScopeOp; 11] = [
        ScopeOp::SetTag,
        ScopeOp::SetTags,
        ScopeOp::SetExtra,
        ScopeOp::SetExtras,
        ScopeOp::SetContext,
        ScopeOp::SetUser,
        ScopeOp::SetLevel,
        ScopeOp::SetFingerprint,
        ScopeOp::SetTransactionName,
        ScopeOp::ClearBreadcrumbs,
        ScopeOp::Clear,
    ];

    /// The setter with this number, as it crosses the boundary; `None` for an unknown one.
    pub fn from_index(n: u32) -> Option<ScopeOp> {
        ScopeOp::ALL.get(n as usize).copied()
    }
}

/// One keyed fragment: a tag, an extra, a context or a user field.
#[derive(Debug, Default, PartialEq)]
pub struct Entry {
    /// The key as it may be sent.
    pub key: String,
    /// The value: scrubbed JSON text.
    pub json: Vec<u8>,
    /// `_meta` of that scrubbing (absolute paths), written, when there were remarks.
    pub meta: Option<Vec<u8>>,
}

/// One copy routine for every entry a forked scope copies.
impl Clone for Entry {
    #[inline(never)]
    fn clone(&self) -> Entry {
        Entry { key: self.key.clone(), json: self.json.clone(), meta: self.meta.clone() }
    }
}

/// One breadcrumb, stored ready to copy.
#[derive(Debug, Clone, PartialEq)]
pub struct Crumb {
    /// When it happened, Unix milliseconds (for ordering across scopes).
    pub ts_ms: f64,
    /// The breadcrumb object, scrubbed, with its `timestamp`.
    pub json: Vec<u8>,
    /// Its `_meta` remarks, relative to the breadcrumb (JSON object text), if any.
    pub meta: Option<Vec<u8>>,
}

/// Scope data. Cloning a scope is how `withScope` forks it (breadcrumbs are shared).
#[derive(Debug, Clone, PartialEq)]
pub struct Scope {
    /// Tag values (JSON strings).
    pub tags: Vec<Entry>,
    /// Extras.
    pub extra: Vec<Entry>,
    /// Named contexts (objects).
    pub contexts: Vec<Entry>,
    /// User fields.
    pub user: Vec<Entry>,
    /// Level override.
    pub level: Option<&'static str>,
    /// Grouping fingerprint (a JSON array of strings).
    pub fingerprint: Option<Entry>,
    /// Transaction name (a JSON string).
    pub transaction: Option<Entry>,
    /// Breadcrumbs, oldest first; never longer than the client's `maxBreadcrumbs`.
    pub breadcrumbs: Vec<Rc<Crumb>>,
    /// The trace of this scope's events and requests (see `trace.rs`).
    pub propagation: Option<crate::trace::PropagationContext>,
}

/// An empty scope, made by one routine for every site that starts or clears one.
impl Default for Scope {
    #[inline(never)]
    fn default() -> Scope {
        Scope {
            tags: Vec::new(),
            extra: Vec::new(),
            contexts: Vec::new(),
            user: Vec::new(),
            level: None,
            fingerprint: None,
            transaction: None,
            breadcrumbs: Vec::new(),
            propagation: None,
        }
    }
}

/// Normalises a level name to one Sentry accepts; unknown names become `error`.
pub fn level(name: &str) -> &'static str {
    match name {
        "fatal" => "fatal",
        "warning" | "warn" => "warning",
        "info" | "log" => "info",
        "debug" => "debug",
        _ => "error",
    }
}

/// The level a raw JSON string names (see [`level`]); None for other values.
pub fn level_of(raw: &str) -> Option<&'static str> {
    read::string(raw).map(|l| level(&l))
}

/// The string a tag value becomes: strings as they are, anything else as its JSON text.
pub fn tag_text(raw: &str) -> String {
    let s = match read::string(raw) {
        Some(s) => s,
        None => crate::text::trim(raw).into(),
    };
    truncate(&s, MAX_TAG_CHARS)
}

fn set(list: &mut Vec<Entry>, e: Entry) {
    match list.iter_mut().find(|x| x.key == e.key) {
        Some(slot) => *slot = e,
        None => list.push(e),
    }
}

fn remove(list: &mut Vec<Entry>, key: &str) {
    list.retain(|e| e.key != key);
}

/// A key cut to `MAX_KEY_CHARS`, with no mark: Sentry refuses a tag key holding `…`.
fn bounded_key(key: &str) -> String {
    crate::protocol::limits::cut(key, MAX_KEY_CHARS).to_string()
}

/// A key as stored: bounded and scrubbed.
fn key_of(key: &str, field: &str, cfg: &PiiConfig, meta: &mut MetaLog) -> String {
    let k = bounded_key(key);
    // An unchanged key comes back borrowed, whole: the bounded copy is kept as it is.
    let scrubbed = match scrub::scrub_key(&k, &[Seg::Key(field)], cfg, meta) {
        std::borrow::Cow::Owned(s) => Some(s),
        std::borrow::Cow::Borrowed(_) => None,
    };
    scrubbed.unwrap_or(k)
}

/// The entry of a scrubbed value, with the `_meta` of its remarks (one routine for every
/// kind of entry; the remarks are dropped here).
#[inline(never)]
fn made(key: String, json: Vec<u8>, meta: MetaLog, cfg: &PiiConfig) -> Option<Entry> {
    Some(Entry { key, json, meta: scrub::written(&meta, cfg) })
}

/// `text` with each line feed made a space: Sentry drops a tag whose key or value holds one.
fn one_line(text: String) -> String {
    let mut b = text.into_bytes();
    for c in b.iter_mut().filter(|c| **c == b'\n') {
        *c = b' ';
    }
    crate::text::utf8(b)
}

/// A tag entry from a key and a raw JSON value.
pub fn tag_entry(key: &str, raw: &str, cfg: &PiiConfig) -> Option<Entry> {
    if key.is_empty() {
        return None;
    }
    let mut meta = MetaLog::default();
    let key = one_line(key_of(key, "tags", cfg, &mut meta));
    let text = one_line(tag_text(raw));
    let value = scrub::scrub_str(&text, &[Seg::Key("tags"), Seg::Key(&key)], cfg, &mut meta);
    let mut json = Vec::with_capacity(value.len() + 2);
    w::string(&mut json, &value);
    made(key, json, meta, cfg)
}

/// An entry of `field` (`extra`, `contexts`, `user`) from a key and a raw JSON value,
/// scrubbed at `[field, key]`.
pub fn value_entry(field: &str, key: &str, raw: &str, cfg: &PiiConfig) -> Option<Entry> {
    let mut meta = MetaLog::default();
    let key = key_of(key, field, cfg, &mut meta);
    let mut json = Vec::with_capacity(raw.len());
    scrub::scrub_json(raw, &[Seg::Key(field), Seg::Key(&key)], cfg, &mut json, &mut meta).ok()?;
    made(key, json, meta, cfg)
}

/// A context entry: objects as they are, other values wrapped as `{"value":…}`.
pub fn context_entry(key: &str, raw: &str, cfg: &PiiConfig) -> Option<Entry> {
    if crate::text::trim_start(raw).starts_with("{") {
        value_entry("contexts", key, raw, cfg)
    } else {
        let wrapped = crate::text::cat(&["{\"value\":", raw, "}"]);
        value_entry("contexts", key, &wrapped, cfg)
    }
}

/// A fingerprint from a JSON array (each element as a tag-like string).
pub fn fingerprint_entry(raw: &str, cfg: &PiiConfig) -> Option<Entry> {
    let items = read::elements(raw)?;
    if items.is_empty() {
        return None;
    }
    let mut meta = MetaLog::default();
    let mut json = Vec::new();
    let mut a = w::Arr::new(&mut json);
    for (i, item) in items[..items.len().min(64)].iter().enumerate() {
        let text = tag_text(item);
        let v = scrub::scrub_str(&text, &[Seg::Key("fingerprint"), Seg::Index(i)], cfg, &mut meta);
        a.str(&v);
    }
    a.end();
    made(String::new(), json, meta, cfg)
}

/// A transaction name from a JSON string.
pub fn transaction_entry(raw: &str, cfg: &PiiConfig) -> Option<Entry> {
    let name = read::string(raw)?;
    let mut meta = MetaLog::default();
    let v = scrub::scrub_str(&name, &[Seg::Key("transaction")], cfg, &mut meta);
    let mut json = Vec::new();
    w::string(&mut json, &truncate(&v, MAX_TAG_CHARS));
    made(String::new(), json, meta, cfg)
}

/// User fields of a JSON object (None or empty for anything else).
pub fn user_entries(raw: &str, cfg: &PiiConfig) -> Vec<Entry> {
    entries(raw, cfg, user_entry)
}

/// One `user` field. The protocol's `user.id` is a string: a number is written as its
/// text, as Relay stores it (a server checking the schema strictly refuses a number).
pub fn user_entry(key: &str, raw: &str, cfg: &PiiConfig) -> Option<Entry> {
    let t = crate::text::trim(raw);
    let quoted;
    // (A JSON number starts with a digit or `-`, and its text needs no escaping.)
    let raw = if key == "id" && t.bytes().next().is_some_and(|b| b == b'-' || b.is_ascii_digit()) {
        quoted = crate::text::cat(&["\"", t, "\""]);
        &quoted
    } else {
        raw
    };
    value_entry("user", key, raw, cfg)
}

/// An `extra` entry (`setExtra`, an event's own `extra`).
pub fn extra_entry(key: &str, raw: &str, cfg: &PiiConfig) -> Option<Entry> {
    value_entry("extra", key, raw, cfg)
}

/// Makes one entry from a key and a raw JSON value (None when there is nothing to keep).
pub type EntryMaker = fn(&str, &str, &PiiConfig) -> Option<Entry>;

/// The entries `entry` makes of the members of the JSON object `raw` (none when `raw` is
/// not an object). One function for every list of entries: a function pointer, not a
/// closure type, so the wasm has one copy of the loop.
pub fn entries(raw: &str, cfg: &PiiConfig, entry: EntryMaker) -> Vec<Entry> {
    let mut out = Vec::new();
    let Some(fields) = read::fields(raw) else { return out };
    for (k, v) in &fields {
        if let Some(e) = entry(k, v, cfg) {
            out.push(e);
        }
    }
    out
}

/// A breadcrumb from its JSON object, stamped with `now_ms` when it has no timestamp,
/// scrubbed as the event walk scrubs breadcrumbs; shared from the start (scopes and
/// events hold breadcrumbs by `Rc`).
pub fn crumb(raw: &str, now_ms: f64, cfg: &PiiConfig) -> Option<Rc<Crumb>> {
    // Only an object is a breadcrumb; one that is not valid JSON is refused by the
    // scrubbing below.
    if !matches!(read::Reader::new(raw).next(), Ok(Some(read::Token::ObjStart))) {
        return None;
    }
    let given = read::field(raw, "timestamp").and_then(read::number);
    let (ts_ms, text) = match given {
        Some(secs) => (secs * 1000.0, std::borrow::Cow::Borrowed(raw)),
        None => {
            let mut t = Vec::with_capacity(raw.len() + 32);
            t.extend_from_slice(b"{\"timestamp\":");
            w::seconds(&mut t, now_ms);
            let body = crate::text::trim_start(raw).strip_prefix("{").unwrap_or("}");
            if !crate::text::trim_start(body).starts_with("}") {
                t.push(b',');
            }
            t.extend_from_slice(body.as_bytes());
            (now_ms, std::borrow::Cow::Owned(crate::text::utf8(t)))
        }
    };
    let mut meta = MetaLog::default();
    let mut json = Vec::with_capacity(text.len());
    scrub::scrub_json(&text, &[Seg::Key("breadcrumbs"), Seg::Key("values"), Seg::Index(0)], cfg, &mut json, &mut meta).ok()?;
    let meta = match scrub::written(&meta, cfg) {
        None => None,
        Some(m) => {
            let m = crate::text::utf8(m);
            read::path(&m, &["breadcrumbs", "values", "0"]).map(|s| String::from(s).into_bytes())
        }
    };
    Some(Rc::new(Crumb { ts_ms, json, meta }))
}

impl Scope {
    /// Applies one setter; `value` is JSON text. Bad JSON changes nothing.
    pub fn apply(&mut self, op: ScopeOp, key: Option<&str>, value: Option<&str>, cfg: &PiiConfig) {
        let key = key.unwrap_or("");
        let raw = value.unwrap_or("null");
        match op {
            ScopeOp::SetTag | ScopeOp::SetExtra | ScopeOp::SetContext => self.set_one(op, key, raw, cfg),
            // `setTags`/`setExtras` set each member as `setTag`/`setExtra` would.
            ScopeOp::SetTags | ScopeOp::SetExtras => {
                let one = if op == ScopeOp::SetTags { ScopeOp::SetTag } else { ScopeOp::SetExtra };
                if let Some(fields) = read::fields(raw) {
                    for (k, v) in &fields {
                        self.set_one(one, k, v, cfg);
                    }
                }
            }
            ScopeOp::SetUser => self.user = user_entries(raw, cfg),
            ScopeOp::SetLevel => self.level = level_of(raw),
            ScopeOp::SetFingerprint => self.fingerprint = fingerprint_entry(raw, cfg),
            ScopeOp::SetTransactionName => self.transaction = transaction_entry(raw, cfg),
            ScopeOp::ClearBreadcrumbs => self.breadcrumbs.clear(),
            // As in Sentry's SDKs, clearing also starts a new trace.
            ScopeOp::Clear => *self = Scope::default(),
        }
    }

    /// `setTag`, `setExtra` or `setContext` (null, which `undefined` also becomes, removes it).
    fn set_one(&mut self, op: ScopeOp, key: &str, raw: &str, cfg: &PiiConfig) {
        let (list, entry): (_, EntryMaker) = if op == ScopeOp::SetTag {
            (&mut self.tags, tag_entry)
        } else if op == ScopeOp::SetContext {
            (&mut self.contexts, context_entry)
        } else {
            (&mut self.extra, extra_entry)
        };
        if read::is_null(raw) {
            remove(list, &bounded_key(key));
        } else if let Some(e) = entry(key, raw, cfg) {
            set(list, e);
        }
    }

    /// Appends a breadcrumb, dropping the oldest beyond `max` (0 keeps none).
    pub fn add_breadcrumb(&mut self, crumb: Rc<Crumb>, max: usize) {
        // At most `MAX_BREADCRUMBS` (100) pointers move when the oldest is dropped (one at
        // a time: the list is never longer than `max` before this push).
        self.breadcrumbs.push(crumb);
        while self.breadcrumbs.len() > max {
            self.breadcrumbs.remove(0);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn setters_are_numbered_in_order_and_unknown_numbers_are_refused() {
        for (i, op) in super::ScopeOp::ALL.into_iter().enumerate() {
            assert_eq!(op as usize, i);
            assert_eq!(super::ScopeOp::from_index(i as u32), Some(op));
        }
        assert_eq!(super::ScopeOp::from_index(11), None);
    }

    use super::*;
    use serde_json::{json, Value};

    fn cfg() -> PiiConfig {
        scrub::config_from_options(false, None, true).unwrap()
    }

    fn val(e: &Entry) -> Value {
        serde_json::from_slice(&e.json).unwrap()
    }

    fn find<'a>(list: &'a [Entry], key: &str) -> Option<&'a Entry> {
        list.iter().find(|e| e.key == key)
    }

    #[test]
    fn setters_store_scrubbed_fragments() {
        let c = cfg();
        let mut s = Scope::default();
        s.apply(ScopeOp::SetTags, None, Some(&json!({"n": 5, "b": true, "long": "word ".repeat(60), "note": format!("{}sk_live_4eC39HqLyjWDarjtT1zdp7dc", "z ".repeat(95))}).to_string()), &c);
        assert_eq!(val(find(&s.tags, "n").unwrap()), "5");
        assert_eq!(val(find(&s.tags, "b").unwrap()), "true");
        // Within Sentry's limit of 200 characters, the cut's mark included.
        let long = val(find(&s.tags, "long").unwrap());
        assert_eq!(long.as_str().unwrap().chars().count(), 200);
        assert!(long.as_str().unwrap().ends_with("word…"));
        // A word the cut splits goes whole: the start of a secret would pass the scrubbers.
        assert_eq!(val(find(&s.tags, "note").unwrap()).as_str().unwrap(), format!("{}…", "z ".repeat(95)));
        s.apply(ScopeOp::SetTags, None, Some(&json!({"exact": "x".repeat(200)}).to_string()), &c);
        assert_eq!(val(find(&s.tags, "exact").unwrap()).as_str().unwrap(), "x".repeat(200), "200 characters are kept whole");
        s.apply(ScopeOp::SetTag, Some("n"), Some("null"), &c);
        assert!(find(&s.tags, "n").is_none(), "a null tag is removed");
        s.apply(ScopeOp::SetTag, Some("query\nplan"), Some(r#""SELECT 1\nFROM t""#), &c);
        assert_eq!(val(find(&s.tags, "query plan").unwrap()), "SELECT 1 FROM t", "line feeds become spaces (Sentry drops such a tag)");
        s.apply(ScopeOp::SetTag, Some(&"k".repeat(5000)), Some("\"v\""), &c);
        assert!(s.tags.iter().all(|t| t.key.chars().count() <= MAX_KEY_CHARS), "keys are bounded");
        s.apply(ScopeOp::SetExtras, None, Some(r#"{"a": 1, "b": {"c": 2}}"#), &c);
        s.apply(ScopeOp::SetExtra, Some("a"), Some("null"), &c);
        assert!(find(&s.extra, "a").is_none());
        assert_eq!(val(find(&s.extra, "b").unwrap()), json!({"c": 2}));
        s.apply(ScopeOp::SetContext, Some("scalar"), Some("3"), &c);
        assert_eq!(val(find(&s.contexts, "scalar").unwrap()), json!({"value": 3}));
        s.apply(ScopeOp::SetUser, None, Some(r#"{"id": 1, "email": "a@b.c"}"#), &c);
        assert_eq!(s.user.len(), 2);
        s.apply(ScopeOp::SetUser, None, Some("null"), &c);
        assert!(s.user.is_empty(), "null clears the user");
        s.apply(ScopeOp::SetLevel, None, Some("\"warn\""), &c);
        assert_eq!(s.level, Some("warning"));
        s.apply(ScopeOp::SetFingerprint, None, Some(r#"["a", 1]"#), &c);
        assert_eq!(val(s.fingerprint.as_ref().unwrap()), json!(["a", "1"]));
        s.apply(ScopeOp::SetTransactionName, None, Some("\"GET /x\""), &c);
        assert_eq!(val(s.transaction.as_ref().unwrap()), "GET /x");
        s.apply(ScopeOp::SetExtra, Some("bad"), Some("{not json"), &c);
        assert!(find(&s.extra, "bad").is_none(), "bad JSON changes nothing");
        s.apply(ScopeOp::Clear, None, None, &c);
        assert_eq!(s, Scope::default());
    }

    #[test]
    fn secrets_are_scrubbed_once_when_set() {
        let c = cfg();
        let mut s = Scope::default();
        s.apply(ScopeOp::SetExtra, Some("conn"), Some(r#""postgres://app:hunter2@db/app""#), &c);
        let e = find(&s.extra, "conn").unwrap();
        assert!(!String::from_utf8_lossy(&e.json).contains("hunter2"));
        assert!(e.meta.is_some(), "the change is remarked");
        s.apply(ScopeOp::SetTag, Some("card"), Some(r#""4111 1111 1111 1111""#), &c);
        assert!(!String::from_utf8_lossy(&find(&s.tags, "card").unwrap().json).contains("4111 1111"));
    }

    #[test]
    fn breadcrumbs_are_stamped_scrubbed_and_bounded() {
        let c = cfg();
        let mut s = Scope::default();
        for i in 0..10 {
            s.add_breadcrumb(crumb(&json!({"message": i.to_string()}).to_string(), 1000.0 * i as f64, &c).unwrap(), 3);
        }
        assert_eq!(s.breadcrumbs.len(), 3);
        let first: Value = serde_json::from_slice(&s.breadcrumbs[0].json).unwrap();
        assert_eq!(first, json!({"timestamp": 7, "message": "7"}));
        let given = crumb(r#"{"timestamp": 12.5, "message": "m"}"#, 0.0, &c).unwrap();
        assert_eq!(given.ts_ms, 12_500.0);
        let empty = crumb("{}", 1500.0, &c).unwrap();
        assert_eq!(serde_json::from_slice::<Value>(&empty.json).unwrap(), json!({"timestamp": 1.5}));
        let secret = crumb(r#"{"message": "GET https://u:pw@h/x?token=abc", "data": {"password": "pw"}}"#, 0.0, &c).unwrap();
        let text = String::from_utf8(secret.json.clone()).unwrap();
        assert!(!text.contains("token=abc") && !text.contains("\"pw\""), "{text}");
        let meta: Value = serde_json::from_slice(secret.meta.as_ref().unwrap()).unwrap();
        assert!(meta.is_object());
        assert!(crumb("[1]", 0.0, &c).is_none());
        let mut off = Scope::default();
        off.add_breadcrumb(crumb("{}", 0.0, &c).unwrap(), 0);
        assert!(off.breadcrumbs.is_empty());
    }
}
