//! The scrubbing interface the core calls (`scrub_str`, `scrub_json`, `scrub_key`,
//! `MetaLog`, `Seg`, `PiiConfig::from_options` with the option's JSON text), as agreed
//! with the PII module. Until that module exposes it natively, this file adapts it: each
//! call wraps the value at its path into a minimal event, scrubs that event, and keeps
//! the value and the `_meta` remarks found at the path.

use std::borrow::Cow;

use serde_json::{Map, Value};

pub use crate::pii::PiiConfig;

/// One step of a path into the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seg<'a> {
    /// An object key.
    Key(&'a str),
    /// An array index.
    Index(usize),
}

/// `_meta` remarks collected while scrubbing, by absolute path.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MetaLog {
    tree: Map<String, Value>,
}

impl MetaLog {
    /// True when nothing was remarked.
    pub fn is_empty(&self) -> bool {
        self.tree.is_empty()
    }

    /// Merges `other` into this log.
    pub fn append(&mut self, other: MetaLog) {
        merge(&mut self.tree, other.tree);
    }

    /// Writes the value of the event's `_meta`.
    pub fn write(&self, _cfg: &PiiConfig, out: &mut Vec<u8>) {
        let _ = serde_json::to_writer(&mut *out, &self.tree);
    }
}

fn merge(into: &mut Map<String, Value>, from: Map<String, Value>) {
    for (k, v) in from {
        match (into.get_mut(&k), v) {
            (Some(Value::Object(a)), Value::Object(b)) => merge(a, b),
            (Some(Value::Array(a)), Value::Array(b)) => a.extend(b),
            (Some(_), _) => {}
            (None, v) => {
                into.insert(k, v);
            }
        }
    }
}

/// Compiles the PII options (`scrub` as raw JSON text).
pub fn config_from_options(send_default_pii: bool, scrub_json: Option<&str>, browser: bool) -> Result<PiiConfig, String> {
    let scrub = match scrub_json {
        Some(t) => Some(serde_json::from_str::<Value>(t).map_err(|_| String::from("the `scrub` option is not valid JSON"))?),
        None => None,
    };
    PiiConfig::from_options(send_default_pii, scrub.as_ref(), browser)
}

fn wrap(path: &[Seg], value: Value) -> Value {
    let mut v = value;
    for seg in path.iter().rev() {
        v = match seg {
            Seg::Key(k) => {
                let mut m = Map::new();
                m.insert((*k).to_string(), v);
                Value::Object(m)
            }
            Seg::Index(i) => {
                let mut a = vec![Value::Null; (*i).min(1024)];
                a.push(v);
                Value::Array(a)
            }
        };
    }
    v
}

fn unwrap(mut v: Value, path: &[Seg]) -> Option<Value> {
    for seg in path {
        v = match (seg, v) {
            (Seg::Key(k), Value::Object(mut m)) => m.remove(*k)?,
            (Seg::Index(i), Value::Array(a)) => a.into_iter().nth((*i).min(1024))?,
            _ => return None,
        };
    }
    Some(v)
}

fn scrub_value(value: Value, path: &[Seg], cfg: &PiiConfig, meta: &mut MetaLog) -> Option<Value> {
    if path.is_empty() {
        let mut ev = value;
        if !ev.is_object() {
            return Some(ev);
        }
        crate::pii::scrub_event(&mut ev, cfg);
        if let Value::Object(m) = &mut ev {
            if let Some(Value::Object(mt)) = m.remove("_meta") {
                merge(&mut meta.tree, mt);
            }
        }
        return Some(ev);
    }
    if !cfg.enabled {
        return Some(value);
    }
    let mut ev = wrap(path, value);
    // Only the rules matter here: inference is the event builder's job.
    let mut plain = cfg.clone();
    plain.infer_ip = false;
    plain.sdk_settings = false;
    crate::pii::scrub_event(&mut ev, &plain);
    let Value::Object(mut m) = ev else { return None };
    if let Some(Value::Object(mt)) = m.remove("_meta") {
        merge(&mut meta.tree, mt);
    }
    unwrap(Value::Object(m), path)
}

/// Scrubs one string found at `path` of an event.
pub fn scrub_str<'s>(s: &'s str, path: &[Seg], cfg: &PiiConfig, meta: &mut MetaLog) -> Cow<'s, str> {
    if !cfg.enabled {
        return Cow::Borrowed(s);
    }
    match scrub_value(Value::String(s.to_string()), path, cfg, meta) {
        Some(Value::String(t)) if t == s => Cow::Borrowed(s),
        Some(Value::String(t)) => Cow::Owned(t),
        _ => Cow::Borrowed(s),
    }
}

/// Copies one JSON value found at `path` into `out`, scrubbed. Invalid JSON → Err.
pub fn scrub_json(json: &str, path: &[Seg], cfg: &PiiConfig, out: &mut Vec<u8>, meta: &mut MetaLog) -> Result<(), crate::json::read::Error> {
    crate::json::read::validate(json)?;
    let value: Value = serde_json::from_str(json).map_err(|_| crate::json::read::Error { at: 0, what: "invalid JSON" })?;
    match scrub_value(value, path, cfg, meta) {
        Some(v) => {
            let _ = serde_json::to_writer(&mut *out, &v);
        }
        None => out.extend_from_slice(b"null"),
    }
    Ok(())
}

/// A key of an object at `path` as it may be sent.
pub fn scrub_key<'s>(key: &'s str, _path: &[Seg], _cfg: &PiiConfig, _meta: &mut MetaLog) -> Cow<'s, str> {
    Cow::Borrowed(key)
}
