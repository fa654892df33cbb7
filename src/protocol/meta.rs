//! An event's `_meta`: the scrubbing remarks (collected when each fragment was scrubbed),
//! the remarks of its breadcrumbs (stored relative to each breadcrumb, placed at the
//! breadcrumb's final index), and what the size cap trimmed. Written once, last.

use std::borrow::Cow;

use crate::json::read;
use crate::json::write::Obj;
use crate::scrub::{MetaLog, PiiConfig};

/// Everything that goes into one event's `_meta`.
#[derive(Debug, Default)]
pub struct EventMeta {
    /// Scrubbing remarks with absolute paths.
    pub log: MetaLog,
    /// `_meta` objects already written (scope data scrubbed when it was set).
    pub frags: Vec<Vec<u8>>,
    /// `(index in breadcrumbs.values, remarks relative to that breadcrumb)`.
    pub crumbs: Vec<(usize, Vec<u8>)>,
    /// Size-cap records: `(top-level field, JSON object for its "" entry)`.
    pub trimmed: Vec<(String, Vec<u8>)>,
}

impl EventMeta {
    /// True when there is nothing to write.
    pub fn is_empty(&self) -> bool {
        self.log.is_empty() && self.frags.is_empty() && self.crumbs.is_empty() && self.trimmed.is_empty()
    }

    /// The oldest `n` breadcrumbs were removed: shift the remaining indices.
    pub fn drop_crumbs(&mut self, n: usize) {
        self.crumbs.retain_mut(|(i, _)| {
            let kept = *i >= n;
            *i = i.wrapping_sub(n);
            kept
        });
    }

    /// Writes the `_meta` object.
    pub fn write(&self, cfg: &PiiConfig, out: &mut Vec<u8>) {
        // Each part merged into the ones before as it is made (the scope fragments'
        // remarks as they are).
        let mut acc = Merged { text: Vec::new(), started: false };
        if !self.log.is_empty() {
            let mut a = Vec::new();
            self.log.write(cfg, &mut a);
            acc.add(&a);
        }
        for f in &self.frags {
            acc.add(f);
        }
        if !self.crumbs.is_empty() {
            let mut b = Vec::new();
            let mut o = Obj::new(&mut b);
            let mut bc = Obj::new(o.name("breadcrumbs"));
            let mut v = Obj::new(bc.name("values"));
            let mut n = String::new();
            for (i, m) in &self.crumbs {
                n.clear();
                crate::text::push_num(&mut n, *i);
                v.raw(&n, m);
            }
            v.end();
            bc.end();
            o.end();
            acc.add(&b);
        }
        // (Each field is in the list once: one object holds them all.)
        if !self.trimmed.is_empty() {
            let mut t = Vec::new();
            let mut o = Obj::new(&mut t);
            for (field, entry) in &self.trimmed {
                let mut f = Obj::new(o.key(field));
                f.raw("", entry);
                f.end();
            }
            o.end();
            acc.add(&t);
        }
        out.extend_from_slice(if acc.started { &acc.text } else { b"{}" });
    }
}

/// The parts of a `_meta` merged so far, oldest first.
struct Merged {
    text: Vec<u8>,
    /// False until the first part (which is taken as it is).
    started: bool,
}

impl Merged {
    /// Merges `part` into the parts so far (earlier parts win).
    fn add(&mut self, part: &[u8]) {
        if !self.started {
            self.started = true;
            self.text.extend_from_slice(part);
            return;
        }
        let mut merged = Vec::with_capacity(self.text.len() + part.len());
        merge(crate::text::str_of(&self.text).unwrap_or("{}"), crate::text::str_of(part).unwrap_or("{}"), &mut merged);
        self.text = merged;
    }
}

/// The raw value of the first member named `key`.
fn member<'a>(members: &[(Cow<'_, str>, &'a str)], key: &str) -> Option<&'a str> {
    members.iter().find(|(k, _)| k == key).map(|&(_, v)| v)
}

/// Merges two JSON objects: keys of both whose values are objects merge recursively,
/// otherwise `a` wins. Non-objects: `a`.
pub fn merge(a: &str, b: &str, out: &mut Vec<u8>) {
    let (Some(am), Some(bm)) = (read::fields(a), read::fields(b)) else {
        out.extend_from_slice(a.as_bytes());
        return;
    };
    let mut o = Obj::new(out);
    for (k, v) in &am {
        // member values start at their first byte (the reader skips the whitespace before them)
        match member(&bm, k) {
            Some(bv) if v.starts_with("{") && bv.starts_with("{") => merge(v, bv, o.key(k)),
            _ => o.raw(k, v.as_bytes()),
        }
    }
    for (k, v) in &bm {
        if member(&am, k).is_none() {
            o.raw(k, v.as_bytes());
        }
    }
    o.end();
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    #[test]
    fn merges_objects_recursively() {
        let mut out = Vec::new();
        merge(r#"{"a":{"x":1},"b":2}"#, r#"{"a":{"y":3},"b":{"z":4},"c":5}"#, &mut out);
        assert_eq!(serde_json::from_slice::<Value>(&out).unwrap(), json!({"a": {"x": 1, "y": 3}, "b": 2, "c": 5}));
    }

    #[test]
    fn crumbs_land_at_their_final_index() {
        let cfg = crate::scrub::config_from_options(false, None, true).unwrap();
        let mut m = EventMeta { crumbs: vec![(0, b"{\"a\":1}".to_vec()), (4, b"{\"b\":2}".to_vec())], ..Default::default() };
        m.trimmed.push(("breadcrumbs".into(), b"{\"len\":9}".to_vec()));
        m.drop_crumbs(2);
        let mut out = Vec::new();
        m.write(&cfg, &mut out);
        assert_eq!(serde_json::from_slice::<Value>(&out).unwrap(), json!({"breadcrumbs": {"values": {"2": {"b": 2}}, "": {"len": 9}}}));
    }
}
