//! `_meta` remarks in Relay's format, so Sentry shows what was changed and why.
//!
//! Relay annotates a scrubbed value at the same path under the event's `_meta` object:
//! `{"_meta": {"extra": {"password": {"": {"rem": [["@password:filter", "s", 0, 10]], "len": 7}}}}}`.
//! A remark is `[rule_id, kind]` or `[rule_id, kind, start, end]`: kind `s` (substituted)
//! with the byte range of the replacement in the new value, or `x` (removed). A key that
//! was itself a secret is noted on its object as `[rule_id, "s"]` (no range: the range
//! would be one of the key's, not of a value). `len` is
//! the original value's length in characters. oxeye writes the same shape with its own
//! rule ids (`!oxeye:<rule>`, see [`Rule::write_id`]); Relay parses them and Sentry shows
//! "Replaced because of the PII rule !oxeye:ip".
//!
//! A [`MetaLog`] is a flat list of remarks with absolute paths. Writing it builds a small
//! tree of path segments, sorts each level by key (so the same path recorded twice, e.g.
//! by two appended logs, becomes one entry) and can merge it into a `_meta` object the
//! event already carries, copying everything of that object it does not touch.


use super::config::PiiConfig;
use super::rule::Rule;
use super::scan::push_num;
use crate::json::read::{elements as array_items, members as object_members};
use crate::json::write;

/// What happened to a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Remark {
    /// Which rule.
    pub rule: Rule,
    /// What was done.
    pub kind: Kind,
}

/// A remark's kind, as Relay writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `s` with a range: bytes `start..end` of the new value replaced something.
    Replaced(usize, usize),
    /// `s` without a range: a key of the object was replaced.
    Renamed,
    /// `x`: the value was removed.
    Removed,
}

impl Remark {
    /// A substitution covering `start..end` of the new value.
    pub fn replaced(rule: Rule, start: usize, end: usize) -> Remark {
        Remark { rule, kind: Kind::Replaced(start, end) }
    }

    /// A removal.
    pub fn removed(rule: Rule) -> Remark {
        Remark { rule, kind: Kind::Removed }
    }

    /// A substitution without a range (a key of the object was replaced).
    pub fn renamed(rule: Rule) -> Remark {
        Remark { rule, kind: Kind::Renamed }
    }

    /// `["<rule id>","x"]`, `["<rule id>","s"]` or `["<rule id>","s",start,end]`.
    fn write(self, cfg: &PiiConfig, out: &mut Vec<u8>) {
        out.extend_from_slice(b"[\"");
        self.rule.write_id(cfg, out);
        match self.kind {
            Kind::Replaced(s, e) => {
                out.extend_from_slice(b"\",\"s\",");
                write::uint(out, s as u64);
                out.push(b',');
                write::uint(out, e as u64);
            }
            Kind::Renamed => out.extend_from_slice(b"\",\"s\""),
            Kind::Removed => out.extend_from_slice(b"\",\"x\""),
        }
        out.push(b']');
    }
}

/// One step of a path into the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seg<'a> {
    /// An object key.
    Key(&'a str),
    /// An array index.
    Index(usize),
}

/// Where a value sits while an event is walked: the walk's starting path, then one
/// segment per level it went down, each held by the level that owns its key (no path
/// stack to grow, no key copied until a remark is recorded).
#[derive(Debug, Clone, Copy)]
pub enum Path<'p> {
    /// The path a walk (or a single string) starts at.
    Root(&'p [Seg<'p>]),
    /// A member or element of the value at the first path.
    Child(&'p Path<'p>, Seg<'p>),
}

impl Path<'_> {
    /// Appends the path's segments as text (indices in decimal).
    fn push_to(&self, out: &mut Vec<String>) {
        match *self {
            Path::Root(segs) => {
                for &seg in segs {
                    push_seg(out, seg);
                }
            }
            Path::Child(up, seg) => {
                up.push_to(out);
                push_seg(out, seg);
            }
        }
    }
}

fn push_seg(out: &mut Vec<String>, seg: Seg) {
    let mut s = String::new();
    match seg {
        Seg::Key(k) => s.push_str(k),
        Seg::Index(i) => push_num(&mut s, i),
    }
    out.push(s);
}

#[derive(Debug)]
struct Entry {
    path: Vec<String>,
    remarks: Vec<Remark>,
    len: usize,
}

/// A value's original length when none was recorded (a key renamed, a value removed).
pub(crate) const NO_LEN: usize = usize::MAX;

/// Remarks collected while scrubbing, written as the event's `_meta` at the end.
#[derive(Debug, Default)]
pub struct MetaLog {
    entries: Vec<Entry>,
}

impl MetaLog {
    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Adds every remark of `other` (paths are absolute, so logs of different parts of one
    /// event merge as they are).
    pub fn append(&mut self, mut other: MetaLog) {
        self.entries.append(&mut other.entries);
    }

    /// Records `remarks` for the value at `path`; `len` is its original length in chars
    /// ([`NO_LEN`] for none).
    pub(crate) fn add(&mut self, path: &Path, remarks: Vec<Remark>, len: usize) {
        let mut owned = Vec::new();
        path.push_to(&mut owned);
        self.entries.push(Entry { path: owned, remarks, len });
    }

    /// Number of values annotated so far.
    pub(crate) fn count(&self) -> usize {
        self.entries.len()
    }

    /// Drops the remarks recorded after the first `n`.
    pub(crate) fn truncate(&mut self, n: usize) {
        self.entries.truncate(n);
    }

    /// Writes the value of the event's `_meta`: a JSON object (`{}` when empty).
    pub fn write(&self, cfg: &PiiConfig, out: &mut Vec<u8>) {
        self.write_merged(None, cfg, out);
    }

    /// Writes the value of `_meta` with these remarks merged into `existing` (the raw JSON
    /// of the `_meta` the event already had, already validated): its other content is
    /// kept; where a remark's path meets something that is not an object, the remark's
    /// object replaces it (as Relay does).
    pub(crate) fn write_merged(&self, existing: Option<&str>, cfg: &PiiConfig, out: &mut Vec<u8>) {
        let tree = Tree::build(self);
        tree.write(&[0], existing, cfg, out);
    }
}

/// The remarks as a tree of path segments; a remark at path `p` lives in the node
/// `p + [""]` (Relay's leaf key).
struct Tree<'l> {
    nodes: Vec<Node<'l>>,
}

struct Node<'l> {
    key: &'l str,
    children: Vec<usize>,
    remarks: Vec<Remark>,
    len: usize,
    leaf: bool,
}

impl<'l> Tree<'l> {
    fn build(log: &'l MetaLog) -> Tree<'l> {
        let mut tree = Tree { nodes: Vec::new() };
        tree.push("");
        for e in &log.entries {
            let mut at = 0;
            for key in &e.path {
                at = tree.child(at, key);
            }
            let at = tree.child(at, "");
            let leaf = &mut tree.nodes[at];
            leaf.leaf = true;
            leaf.remarks.extend_from_slice(&e.remarks);
            if leaf.len == NO_LEN {
                leaf.len = e.len;
            }
        }
        tree
    }

    /// A new node, not yet anyone's child.
    fn push(&mut self, key: &'l str) -> usize {
        self.nodes.push(Node { key, children: Vec::new(), remarks: Vec::new(), len: NO_LEN, leaf: false });
        self.nodes.len() - 1
    }

    /// The child of `at` with `key`: consecutive remarks share their prefix, so the last
    /// child is reused when it matches; duplicates elsewhere are merged when writing.
    fn child(&mut self, at: usize, key: &'l str) -> usize {
        match self.nodes[at].children.last() {
            Some(&c) if self.nodes[c].key == key => c,
            _ => {
                let c = self.push(key);
                self.nodes[at].children.push(c);
                c
            }
        }
    }

    /// Writes the object for a group of nodes that stand for the same path, merged with
    /// `existing` when that is an object.
    fn write(&self, group: &[usize], existing: Option<&str>, cfg: &PiiConfig, out: &mut Vec<u8>) {
        let mut children: Vec<usize> = Vec::new();
        let (mut leaf, mut len) = (false, NO_LEN);
        for &n in group {
            let node = &self.nodes[n];
            children.extend_from_slice(&node.children);
            leaf |= node.leaf;
            if len == NO_LEN {
                len = node.len;
            }
        }
        heap_sort(&mut children, &self.nodes);
        // runs of equal keys: (key, first, end); a run already written is emptied (end = first)
        let mut runs: Vec<(&str, usize, usize)> = Vec::new();
        for (i, &c) in children.iter().enumerate() {
            let key = self.nodes[c].key;
            match runs.last_mut() {
                Some(r) if r.0 == key => r.2 = i + 1,
                _ => runs.push((key, i, i + 1)),
            }
        }
        let (mut rem_done, mut len_done) = (false, false);
        let mut o = write::Obj::new(out);
        if let Some(obj) = existing.and_then(object_members) {
            for &(key, raw) in &obj {
                let text = key.text();
                let found = binary_search(&runs, |r| r.0.cmp(&text));
                match found {
                    Some(i) if runs[i].1 == runs[i].2 => {}
                    Some(i) => {
                        let (_, a, b) = runs[i];
                        runs[i].2 = a;
                        self.write(&children[a..b], Some(raw), cfg, o.key_escaped(key.raw()));
                    }
                    None if leaf && text == "rem" => {
                        rem_done = true;
                        self.write_remarks(group, Some(raw), cfg, o.name("rem"));
                    }
                    None => {
                        len_done |= leaf && text == "len";
                        o.key_escaped(key.raw()).extend_from_slice(raw.as_bytes());
                    }
                }
            }
        }
        for &(key, a, b) in &runs {
            if a != b {
                self.write(&children[a..b], None, cfg, o.key(key));
            }
        }
        if leaf && !rem_done {
            self.write_remarks(group, None, cfg, o.name("rem"));
        }
        if len != NO_LEN && !len_done {
            o.uint("len", len as u64);
        }
        o.end();
    }

    /// The `rem` list: the existing one (when it is an array) followed by the remarks of
    /// `group` that it does not already hold.
    fn write_remarks(&self, group: &[usize], existing: Option<&str>, cfg: &PiiConfig, out: &mut Vec<u8>) {
        let old = existing.and_then(array_items).unwrap_or_default();
        let mut a = write::Arr::new(out);
        for raw in &old {
            a.raw(raw.as_bytes());
        }
        let mut all: Vec<Remark> = Vec::new();
        for &n in group {
            all.extend_from_slice(&self.nodes[n].remarks);
        }
        let mut buf = Vec::new();
        for (i, r) in all.iter().enumerate() {
            if all[..i].contains(r) {
                continue;
            }
            buf.clear();
            r.write(cfg, &mut buf);
            if !old.iter().any(|o| o.as_bytes() == buf.as_slice()) {
                a.raw(&buf);
            }
        }
        a.end();
    }
}

/// Sorts node numbers by their nodes' keys (heap sort: small code, no allocation,
/// O(n log n)).
fn heap_sort(v: &mut [usize], nodes: &[Node]) {
    fn sift(v: &mut [usize], mut root: usize, end: usize, nodes: &[Node]) {
        let less = |a: usize, b: usize| nodes[a].key < nodes[b].key;
        loop {
            let mut child = 2 * root + 1;
            if child >= end {
                return;
            }
            if child + 1 < end && less(v[child], v[child + 1]) {
                child += 1;
            }
            if !less(v[root], v[child]) {
                return;
            }
            v.swap(root, child);
            root = child;
        }
    }
    let n = v.len();
    for i in (0..n / 2).rev() {
        sift(v, i, n, nodes);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift(v, 0, end, nodes);
    }
}

fn binary_search<T>(v: &[T], cmp: impl Fn(&T) -> std::cmp::Ordering) -> Option<usize> {
    let (mut lo, mut hi) = (0, v.len());
    while lo < hi {
        let mid = (lo + hi) / 2;
        match cmp(&v[mid]) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return Some(mid),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    #[test]
    fn writes_relay_shaped_remarks_and_merges_existing_meta() {
        let cfg = PiiConfig::default();
        let mut log = MetaLog::default();
        assert!(log.is_empty());
        log.add(&Path::Root(&[Seg::Key("extra"), Seg::Key("a")]), vec![Remark::replaced(Rule::Key, 0, 10)], 7);
        let mut other = MetaLog::default();
        other.add(
            &Path::Root(&[Seg::Key("request"), Seg::Key("headers"), Seg::Index(0), Seg::Index(1)]),
            vec![Remark::removed(Rule::Ip)],
            NO_LEN,
        );
        // the same path again, after another one: merged into one entry
        other.add(&Path::Root(&[Seg::Key("extra"), Seg::Key("a")]), vec![Remark::replaced(Rule::Ip, 12, 16)], 9);
        log.append(other);
        assert!(!log.is_empty());
        let mut out = Vec::new();
        log.write(&cfg, &mut out);
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["extra"]["a"][""], json!({"rem": [["!oxeye:key", "s", 0, 10], ["!oxeye:ip", "s", 12, 16]], "len": 7}));
        assert_eq!(v["request"]["headers"]["0"]["1"][""], json!({"rem": [["!oxeye:ip", "x"]]}));

        let existing = r#"{"extra":{"a":{"":{"rem":[["!oxeye:key","s",0,10]],"len":3,"err":["x"]}},"b":{"":{"len":3}}},"user":5}"#;
        let mut out = Vec::new();
        log.write_merged(Some(existing), &cfg, &mut out);
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(
            v["extra"]["a"][""],
            json!({"rem": [["!oxeye:key", "s", 0, 10], ["!oxeye:ip", "s", 12, 16]], "len": 3, "err": ["x"]})
        );
        assert_eq!(v["extra"]["b"][""]["len"], 3);
        assert_eq!(v["user"], 5);
        assert_eq!(v["request"]["headers"]["0"]["1"][""]["rem"], json!([["!oxeye:ip", "x"]]));
        let mut out = Vec::new();
        MetaLog::default().write(&cfg, &mut out);
        assert_eq!(out, b"{}");
    }

    #[test]
    fn heap_sort_sorts() {
        let keys: Vec<String> = (0..200).map(|i| format!("{:03}", (i * 7919) % 200)).collect();
        let nodes: Vec<Node> =
            keys.iter().map(|k| Node { key: k, children: Vec::new(), remarks: Vec::new(), len: NO_LEN, leaf: false }).collect();
        let mut v: Vec<usize> = (0..200).collect();
        heap_sort(&mut v, &nodes);
        assert!(v.windows(2).all(|w| nodes[w[0]].key < nodes[w[1]].key));
    }
}
