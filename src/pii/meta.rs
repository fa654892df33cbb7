//! `_meta` remarks in Relay's format, so Sentry shows what was changed and why.
//!
//! Relay annotates a scrubbed value at the same path under the event's `_meta` object:
//! `{"_meta": {"extra": {"password": {"": {"rem": [["@password:filter", "s", 0, 10]], "len": 7}}}}}`.
//! A remark is `[rule_id, kind]` or `[rule_id, kind, start, end]`: kind `s` (substituted)
//! with the byte range of the replacement in the new value, or `x` (removed). `len` is
//! the original value's length in characters. oxeye writes the same shape with its own
//! rule ids (`!oxeye:<rule>`, see [`Rule::id`]); Relay parses them and Sentry shows
//! "Replaced because of the PII rule !oxeye:ip".

use serde_json::{Map, Value};

use super::config::PiiConfig;
use super::scan::push_num;
use super::text::Rule;

/// What happened to a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Remark {
    /// Which rule.
    pub rule: Rule,
    /// `Some(start, end)`: bytes of the new value that replaced something (kind `s`);
    /// `None`: the value was removed (kind `x`).
    pub range: Option<(usize, usize)>,
}

impl Remark {
    /// A substitution covering `start..end` of the new value.
    pub fn replaced(rule: Rule, start: usize, end: usize) -> Remark {
        Remark { rule, range: Some((start, end)) }
    }

    /// A removal.
    pub fn removed(rule: Rule) -> Remark {
        Remark { rule, range: None }
    }

    fn to_json(self, cfg: &PiiConfig) -> Value {
        let id = Value::from(self.rule.id(cfg));
        match self.range {
            Some((a, b)) => Value::Array(vec![id, "s".into(), a.into(), b.into()]),
            None => Value::Array(vec![id, "x".into()]),
        }
    }
}

/// One step of a path into the event.
#[derive(Debug, Clone, Copy)]
pub enum Seg<'a> {
    /// An object key.
    Key(&'a str),
    /// An array index.
    Index(usize),
}

/// Remarks collected while walking an event, written into `_meta` at the end.
#[derive(Debug, Default)]
pub struct MetaLog {
    entries: Vec<(Vec<String>, Vec<Remark>, Option<usize>)>,
}

impl MetaLog {
    /// Records `remarks` for the value at `path`; `len` is its original length in chars.
    pub fn add(&mut self, path: &[Seg], remarks: Vec<Remark>, len: Option<usize>) {
        let mut owned = Vec::with_capacity(path.len());
        for seg in path {
            owned.push(match seg {
                Seg::Key(k) => String::from(*k),
                Seg::Index(i) => {
                    let mut s = String::new();
                    push_num(&mut s, *i);
                    s
                }
            });
        }
        self.entries.push((owned, remarks, len));
    }

    /// Number of values annotated so far.
    pub fn count(&self) -> usize {
        self.entries.len()
    }

    /// Merges the remarks into `event["_meta"]`, keeping any `_meta` the event already had.
    pub fn write(self, event: &mut Value, cfg: &PiiConfig) {
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
                    list.push(r.to_json(cfg));
                }
            }
            if let Some(n) = len {
                leaf.entry("len").or_insert(Value::from(n));
            }
        }
        ev.insert("_meta".into(), root);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn writes_relay_shaped_remarks_and_keeps_existing_meta() {
        let cfg = PiiConfig::default();
        let mut ev = json!({"extra": {"a": "[Filtered]"}, "_meta": {"extra": {"b": {"": {"len": 3}}}}});
        let mut log = MetaLog::default();
        log.add(&[Seg::Key("extra"), Seg::Key("a")], vec![Remark::replaced(Rule::Key, 0, 10)], Some(7));
        log.add(
            &[Seg::Key("request"), Seg::Key("headers"), Seg::Index(0), Seg::Index(1)],
            vec![Remark::removed(Rule::Ip)],
            None,
        );
        log.write(&mut ev, &cfg);
        assert_eq!(ev["_meta"]["extra"]["a"][""], json!({"rem": [["!oxeye:key", "s", 0, 10]], "len": 7}));
        assert_eq!(ev["_meta"]["extra"]["b"][""]["len"], 3);
        assert_eq!(ev["_meta"]["request"]["headers"]["0"]["1"][""]["rem"], json!([["!oxeye:ip", "x"]]));
    }
}
