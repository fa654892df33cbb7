//! Test oracle: the former walk over a `serde_json::Value` event, kept to show that the
//! streaming walk (`stream.rs`) applies the same rules at the same places.
//!
//! The event is a `serde_json::Value` walked once, depth first, with the path kept as a
//! stack of borrowed keys (turned into strings only when a remark is recorded).
//!
//! | where | rules |
//! |---|---|
//! | `extra`, `user`, `contexts`, `request.data`/`env`/headers, breadcrumb message and data, frame `vars`, `server_name`, anything unknown | key rules, Relay's password-word rule, value rules, IPs |
//! | `logentry` message, exception values | value rules, secrets in text, IPs, emails (default) |
//! | `tags`, `transaction`, `request.url`, `request.query_string` | key rules (tags, query parameters), value rules, secrets in text, IPs |
//! | frame `filename`/`abs_path` | URL passwords and query secrets only |
//! | cookies (`request.cookies`, `Cookie`/`Set-Cookie` headers, any `cookie` key) | per cookie, see `cookies.rs` |
//! | `user.ip_address`, `request.env.REMOTE_ADDR` | removed while IP scrubbing is on |
//! | ids, timestamps, levels, `release`, `environment`, `sdk`, `fingerprint`, exception types, frame functions and modules, `debug_meta` | untouched |
//!
//! The split follows Sentry's server: where it scrubs, oxeye applies at least its rules;
//! where it scrubs nothing (messages, exception values, tags, URLs) oxeye adds precise
//! rules only, so a message such as "Authentication failed" is kept.

use serde_json::{Map, Value};

use super::cards;
use super::config::PiiConfig;
use super::cookies;
use super::keys::{self, KeyClass};
use super::meta::{Remark, Seg};
use super::rule::Rule;
use super::scan;
use super::text::{self, Mode};

/// Scrubs an event in place the former way (no IP inference).
pub fn scrub_event(event: &mut Value, cfg: &PiiConfig) {
    let Value::Object(ev) = event else { return };
    if !cfg.enabled {
        return;
    }
    let mut walker = Walker::new(cfg);
    walker.event(ev);
    let log = std::mem::take(&mut walker.log);
    log.write(event, cfg);
}

/// Remarks collected by the former walk.
#[derive(Debug, Default)]
pub struct MetaLog {
    entries: Vec<(Vec<String>, Vec<Remark>, Option<usize>)>,
}

impl MetaLog {
    fn add(&mut self, path: &[Seg], remarks: Vec<Remark>, len: Option<usize>) {
        let owned = path
            .iter()
            .map(|seg| match seg {
                Seg::Key(k) => String::from(*k),
                Seg::Index(i) => i.to_string(),
            })
            .collect();
        self.entries.push((owned, remarks, len));
    }

    fn count(&self) -> usize {
        self.entries.len()
    }

    fn write(self, event: &mut Value, cfg: &PiiConfig) {
        if self.entries.is_empty() {
            return;
        }
        let Value::Object(ev) = event else { return };
        let mut root = ev.remove("_meta").unwrap_or(Value::Null);
        for (path, remarks, len) in self.entries {
            let mut node = &mut root;
            for seg in path.into_iter().chain(Some(String::new())) {
                if !node.is_object() {
                    *node = Value::Object(Map::new());
                }
                node = node.as_object_mut().expect("object").entry(seg).or_insert(Value::Null);
            }
            if !node.is_object() {
                *node = Value::Object(Map::new());
            }
            let leaf = node.as_object_mut().expect("object");
            let rem = leaf.entry("rem").or_insert_with(|| Value::Array(Vec::new()));
            if !rem.is_array() {
                *rem = Value::Array(Vec::new());
            }
            if let Value::Array(list) = rem {
                for r in remarks {
                    let id = Value::from(r.rule.id(cfg));
                    list.push(match r.range {
                        Some((a, b)) => Value::Array(vec![id, "s".into(), a.into(), b.into()]),
                        None => Value::Array(vec![id, "x".into()]),
                    });
                }
            }
            if let Some(n) = len {
                leaf.entry("len").or_insert(Value::from(n));
            }
        }
        ev.insert("_meta".into(), root);
    }
}

/// Top-level fields never scrubbed.
const SKIP: &[&str] = &[
    "event_id",
    "timestamp",
    "start_timestamp",
    "received",
    "platform",
    "level",
    "logger",
    "release",
    "dist",
    "environment",
    "sdk",
    "debug_meta",
    "modules",
    "type",
    "_meta",
    "errors",
    "version",
    "fingerprint",
    "measurements",
    "breakdowns",
];

/// Context fields that are versions and build ids, never personal data.
const CONTEXT_SKIP: &[&str] = &["type", "version", "build", "kernel_version", "raw_description"];

type Path<'a> = Vec<Seg<'a>>;

/// One walk over one event.
pub struct Walker<'c> {
    cfg: &'c PiiConfig,
    /// Remarks recorded so far.
    pub log: MetaLog,
    structured: Mode,
    text: Mode,
    message: Mode,
    url: Mode,
}

impl<'c> Walker<'c> {
    /// A walker for `cfg`.
    pub fn new(cfg: &'c PiiConfig) -> Walker<'c> {
        Walker {
            cfg,
            log: MetaLog::default(),
            structured: Mode::structured(cfg),
            text: Mode::text(cfg),
            message: Mode::message(cfg),
            url: Mode::url_only(),
        }
    }

    /// Scrubs every field of an event object.
    pub fn event(&mut self, ev: &mut Map<String, Value>) {
        let mut path = Path::new();
        for (k, v) in ev.iter_mut() {
            path.push(Seg::Key(k));
            match k.as_str() {
                k if SKIP.contains(&k) => {}
                "logentry" | "message" => self.logentry(v, &mut path),
                "exception" | "threads" => self.each_value(v, &mut path, Self::exception),
                "stacktrace" => self.stacktrace(v, &mut path),
                "breadcrumbs" => self.each_value(v, &mut path, Self::breadcrumb),
                "request" => self.request(v, &mut path),
                "user" => self.user(v, &mut path),
                "contexts" => self.contexts(v, &mut path),
                "tags" => self.tags(v, &mut path),
                "transaction" | "culprit" => self.string(v, self.text, &path),
                "spans" => self.each_value(v, &mut path, Self::span),
                _ => self.data(v, None, &mut path),
            }
            path.pop();
        }
    }

    // ----- shapes of the event -------------------------------------------------------

    /// `{ values: [...] }` or a bare array: calls `f` on every element.
    fn each_value<'a>(
        &mut self,
        v: &'a mut Value,
        path: &mut Path<'a>,
        f: fn(&mut Self, &'a mut Value, &mut Path<'a>),
    ) {
        let list = match v {
            Value::Object(m) => match m.get_mut("values") {
                Some(Value::Array(a)) => {
                    path.push(Seg::Key("values"));
                    for (i, item) in a.iter_mut().enumerate() {
                        path.push(Seg::Index(i));
                        f(self, item, path);
                        path.pop();
                    }
                    path.pop();
                    return;
                }
                _ => return,
            },
            Value::Array(a) => a,
            _ => return,
        };
        for (i, item) in list.iter_mut().enumerate() {
            path.push(Seg::Index(i));
            f(self, item, path);
            path.pop();
        }
    }

    /// Calls `f(key, value)` for every field of an object.
    fn fields<'a>(
        &mut self,
        v: &'a mut Value,
        path: &mut Path<'a>,
        f: &mut dyn FnMut(&mut Self, &'a str, &'a mut Value, &mut Path<'a>),
    ) {
        if let Value::Object(m) = v {
            for (k, c) in m.iter_mut() {
                path.push(Seg::Key(k));
                f(self, k, c, path);
                path.pop();
            }
        }
    }

    fn logentry<'a>(&mut self, v: &'a mut Value, path: &mut Path<'a>) {
        if v.is_string() {
            return self.string(v, self.message, path);
        }
        self.fields(v, path, &mut |w, k, c, p| match k {
            "formatted" | "message" => w.string(c, w.message, p),
            "params" => w.data(c, None, p),
            _ => {}
        });
    }

    fn exception<'a>(&mut self, v: &'a mut Value, path: &mut Path<'a>) {
        self.fields(v, path, &mut |w, k, c, p| match k {
            "value" => w.string(c, w.message, p),
            "stacktrace" | "raw_stacktrace" => w.stacktrace(c, p),
            "mechanism" => w.fields(c, p, &mut |w, k, c, p| match k {
                "data" => w.data(c, None, p),
                "description" => w.string(c, w.message, p),
                _ => {}
            }),
            _ => {}
        });
    }

    fn stacktrace<'a>(&mut self, v: &'a mut Value, path: &mut Path<'a>) {
        self.fields(v, path, &mut |w, k, c, p| {
            if k == "frames" {
                w.each_value(c, p, |w, frame, p| {
                    w.fields(frame, p, &mut |w, k, c, p| match k {
                        "vars" | "data" => w.data(c, None, p),
                        "filename" | "abs_path" => w.string(c, w.url, p),
                        _ => {}
                    })
                });
            }
        });
    }

    fn breadcrumb<'a>(&mut self, v: &'a mut Value, path: &mut Path<'a>) {
        self.fields(v, path, &mut |w, k, c, p| match k {
            "message" | "data" => w.data(c, None, p),
            _ => {}
        });
    }

    fn span<'a>(&mut self, v: &'a mut Value, path: &mut Path<'a>) {
        self.fields(v, path, &mut |w, k, c, p| match k {
            "data" => w.data(c, None, p),
            "description" => w.string(c, w.text, p),
            _ => {}
        });
    }

    fn request<'a>(&mut self, v: &'a mut Value, path: &mut Path<'a>) {
        self.fields(v, path, &mut |w, k, c, p| match k {
            "url" | "fragment" => w.string(c, w.text, p),
            "query_string" if c.is_string() => w.string(c, Mode { query: true, ..w.text }, p),
            "data" if c.is_string() => w.string(c, Mode { query: true, ..w.structured }, p),
            "query_string" => w.pairs(c, p, Self::query_param),
            "data" => w.data(c, None, p),
            "headers" => w.pairs(c, p, Self::header),
            "cookies" => w.cookies(c, false, p),
            "env" => w.fields(c, p, &mut |w, k, c, p| {
                if w.cfg.ip && k.eq_ignore_ascii_case("REMOTE_ADDR") {
                    w.remove(c, Rule::Ip, p);
                } else {
                    w.data(c, Some(k), p);
                }
            }),
            "method" | "api_target" | "inferred_content_type" | "protocol" | "body_size" => {}
            _ => w.data(c, Some(k), p),
        });
    }

    /// An object of `name → value`, or an array of `[name, value]` pairs.
    fn pairs<'a>(
        &mut self,
        v: &'a mut Value,
        path: &mut Path<'a>,
        f: fn(&mut Self, &str, &'a mut Value, &mut Path<'a>),
    ) {
        match v {
            Value::Object(m) => {
                for (k, c) in m.iter_mut() {
                    path.push(Seg::Key(k));
                    f(self, k, c, path);
                    path.pop();
                }
            }
            Value::Array(a) => {
                for (i, item) in a.iter_mut().enumerate() {
                    path.push(Seg::Index(i));
                    if let Value::Array(pair) = item {
                        if let [name, value] = pair.as_mut_slice() {
                            if let Some(name) = name.as_str() {
                                path.push(Seg::Index(1));
                                f(self, name, value, path);
                                path.pop();
                            }
                        }
                    }
                    path.pop();
                }
            }
            _ => {}
        }
    }

    fn header<'a>(&mut self, name: &str, v: &'a mut Value, path: &mut Path<'a>) {
        if name.eq_ignore_ascii_case("user-agent") {
            return;
        }
        if !v.is_string() {
            return self.data(v, Some(name), path);
        }
        match keys::classify(name, self.cfg, true) {
            KeyClass::Cookie => self.cookies(v, name.to_ascii_lowercase().starts_with("set"), path),
            KeyClass::Sensitive => self.filter(v, Rule::Key, path),
            KeyClass::Safe => self.string(v, self.text, path),
            KeyClass::Plain => self.string(v, self.structured, path),
        }
    }

    /// A query parameter given as an object field or pair (`?sig=`, `?code=` included).
    fn query_param<'a>(&mut self, name: &str, v: &'a mut Value, path: &mut Path<'a>) {
        if keys::classify(name, self.cfg, false) == KeyClass::Plain && keys::is_secret_param(name, self.cfg) {
            self.filter(v, Rule::Key, path);
        } else {
            self.data(v, Some(name), path);
        }
    }

    fn tag<'a>(&mut self, name: &str, v: &'a mut Value, path: &mut Path<'a>) {
        if !v.is_string() {
            return self.data(v, Some(name), path);
        }
        match keys::classify(name, self.cfg, false) {
            KeyClass::Cookie => self.cookies(v, false, path),
            KeyClass::Sensitive => self.filter(v, Rule::Key, path),
            KeyClass::Safe | KeyClass::Plain => self.string(v, self.text, path),
        }
    }

    fn tags<'a>(&mut self, v: &'a mut Value, path: &mut Path<'a>) {
        self.pairs(v, path, Self::tag);
    }

    fn user<'a>(&mut self, v: &'a mut Value, path: &mut Path<'a>) {
        self.fields(v, path, &mut |w, k, c, p| {
            if k == "ip_address" {
                let auto = c.as_str() == Some("{{auto}}") && w.cfg.infer_ip;
                if w.cfg.ip && !auto {
                    w.remove(c, Rule::Ip, p);
                }
            } else {
                w.data(c, Some(k), p);
            }
        });
    }

    fn contexts<'a>(&mut self, v: &'a mut Value, path: &mut Path<'a>) {
        self.fields(v, path, &mut |w, name, ctx, p| {
            if !ctx.is_object() {
                return w.data(ctx, Some(name), p);
            }
            let trace = name == "trace";
            w.fields(ctx, p, &mut |w, k, c, p| {
                if trace {
                    if k == "data" {
                        w.data(c, None, p);
                    }
                } else if !CONTEXT_SKIP.contains(&k) {
                    w.data(c, Some(k), p);
                }
            });
        });
    }

    // ----- generic structured data ---------------------------------------------------

    /// Structured data under `key` (`None` inside arrays): key rules, then value rules.
    fn data<'a>(&mut self, v: &'a mut Value, key: Option<&str>, path: &mut Path<'a>) {
        let class = key.map_or(KeyClass::Plain, |k| keys::classify(k, self.cfg, false));
        match class {
            KeyClass::Sensitive => self.filter(v, Rule::Key, path),
            KeyClass::Cookie => self.cookies(v, key.is_some_and(|k| k.to_ascii_lowercase().starts_with("set")), path),
            KeyClass::Safe => self.value(v, self.text, path),
            KeyClass::Plain => self.value(v, self.structured, path),
        }
    }

    fn value<'a>(&mut self, v: &'a mut Value, mode: Mode, path: &mut Path<'a>) {
        match v {
            Value::String(_) => self.string(v, mode, path),
            Value::Number(n) => {
                if mode.values && n.as_u64().is_some_and(cards::is_card_number) {
                    let len = n.as_u64().map_or(0, scan::digits);
                    *v = Value::from(Rule::Creditcard.replacement(self.cfg));
                    let end = Rule::Creditcard.replacement(self.cfg).len();
                    self.log.add(path, vec![Remark::replaced(Rule::Creditcard, 0, end)], Some(len));
                }
            }
            Value::Object(m) => {
                for (k, c) in m.iter_mut() {
                    path.push(Seg::Key(k));
                    self.data(c, Some(k), path);
                    path.pop();
                }
            }
            Value::Array(a) => {
                // `[key, value]` pairs get key rules, as on Sentry's server; when the key
                // says nothing, both elements are scrubbed as values
                if a.len() == 2 && a[0].is_string() {
                    let (first, second) = a.split_at_mut(1);
                    let before = self.log.count();
                    path.push(Seg::Index(1));
                    self.data(&mut second[0], first[0].as_str(), path);
                    path.pop();
                    if self.log.count() == before {
                        path.push(Seg::Index(0));
                        self.data(&mut first[0], None, path);
                        path.pop();
                    }
                    return;
                }
                for (i, c) in a.iter_mut().enumerate() {
                    path.push(Seg::Index(i));
                    self.data(c, None, path);
                    path.pop();
                }
            }
            Value::Bool(_) | Value::Null => {}
        }
    }

    fn cookies<'a>(&mut self, v: &'a mut Value, set_cookie: bool, path: &mut Path<'a>) {
        match v {
            Value::String(s) => {
                let len = s.chars().count();
                let scrubbed = match cookies::find(s, set_cookie, self.cfg) {
                    None => Some(text::whole(Rule::Cookie, self.cfg)),
                    Some(mut hits) => {
                        text::find_hits(s, &self.text, self.cfg, &mut hits);
                        (!hits.is_empty()).then(|| text::apply(s, hits, self.cfg))
                    }
                };
                if let Some((new, remarks)) = scrubbed {
                    *s = new;
                    self.log.add(path, remarks, Some(len));
                }
            }
            Value::Object(_) | Value::Array(_) => self.pairs(v, path, |w, name, c, p| {
                if cookies::filters(name, w.cfg) {
                    w.filter(c, Rule::Cookie, p);
                } else {
                    w.value(c, w.text, p);
                }
            }),
            Value::Number(_) => self.filter(v, Rule::Cookie, path),
            Value::Bool(_) | Value::Null => {}
        }
    }

    // ----- leaf operations -----------------------------------------------------------

    /// Scrubs a string leaf under `mode` (other values are left alone).
    fn string(&mut self, v: &mut Value, mode: Mode, path: &[Seg]) {
        if let Value::String(s) = v {
            if let Some((new, remarks)) = text::scrub_str(s, &mode, self.cfg) {
                let len = s.chars().count();
                *s = new;
                self.log.add(path, remarks, Some(len));
            }
        }
    }

    /// The value under a sensitive key: strings become `[Filtered]`; numbers, objects and
    /// arrays are removed (as Relay does); booleans, null and empty strings stay.
    fn filter(&mut self, v: &mut Value, rule: Rule, path: &[Seg]) {
        match v {
            Value::String(s) => {
                if matches!(s.as_str(), "" | "true" | "false" | "null" | "undefined") {
                    return;
                }
                let len = s.chars().count();
                let (new, remarks) = text::whole(rule, self.cfg);
                *s = new;
                self.log.add(path, remarks, Some(len));
            }
            Value::Number(_) | Value::Object(_) | Value::Array(_) => self.remove(v, rule, path),
            Value::Bool(_) | Value::Null => {}
        }
    }

    fn remove(&mut self, v: &mut Value, rule: Rule, path: &[Seg]) {
        if !v.is_null() {
            *v = Value::Null;
            self.log.add(path, vec![Remark::removed(rule)], None);
        }
    }
}
