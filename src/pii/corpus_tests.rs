//! Whole events from a seeded corpus: the events of `tests/helpers/pii-corpus.mjs`
//! (saved in `testdata/corpus.jsonl`: 160 with planted secrets, then 60 clean ones) and
//! structural variants of them (pairs instead of objects, bare arrays, escaped keys,
//! numbers, an existing `_meta`), under several configurations, parsed back with
//! serde_json.

use super::*;
use serde_json::{json, Map, Value};

const CORPUS: &str = include_str!("testdata/corpus.jsonl");

/// Remarks the default rules made on the clean events before the rules for vendor keys,
/// secret keys, fingerprints, exception types, Maestro cards, lowercase IBANs and
/// command-line flags were added: the new rules add none.
const CLEAN_BASELINE: usize = 0;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn chance(&mut self, pct: u64) -> bool {
        self.next() % 100 < pct
    }
}

const ODD_VALUES: &[&str] = &[
    "4111 1111 1111 1111",
    "password=hunter2",
    "198.51.100.7",
    "{{auto}}",
    "sessionid=s1; theme=dark",
    "quote \" and \\ and \n new line é \u{2028}",
    "",
    "true",
];

fn mutate(v: &mut Value, r: &mut Rng, depth: usize) {
    match v {
        Value::Object(m) => {
            for c in m.values_mut() {
                mutate(c, r, depth + 1);
            }
            if r.chance(8) {
                m.insert("we\"ird\nkey".into(), json!(ODD_VALUES[(r.next() % 8) as usize]));
            }
            if r.chance(5) {
                m.insert("password".into(), json!({"nested": [1, "x"]}));
            }
            if r.chance(5) {
                m.insert("n".into(), json!(4111111111111111u64));
            }
            if depth > 0 && r.chance(12) {
                let pairs: Vec<Value> = m.iter().map(|(k, v)| json!([k, v])).collect();
                *v = Value::Array(pairs);
            } else if depth > 0 && r.chance(3) {
                let first = m.values().next().cloned().unwrap_or(Value::Null);
                *v = json!([first.clone(), "x", first]);
            }
        }
        Value::Array(a) => {
            for c in a.iter_mut() {
                mutate(c, r, depth + 1);
            }
            if r.chance(10) {
                a.push(json!(["api_key", ODD_VALUES[(r.next() % 8) as usize]]));
            }
        }
        Value::String(s) => {
            if r.chance(6) {
                s.push_str(ODD_VALUES[(r.next() % 8) as usize]);
            }
        }
        Value::Number(_) | Value::Bool(_) | Value::Null => {
            if r.chance(3) {
                *v = json!(ODD_VALUES[(r.next() % 8) as usize]);
            }
        }
    }
}

fn variants(ev: &Value, r: &mut Rng) -> Vec<Value> {
    let mut out = vec![ev.clone()];
    let mut m = ev.clone();
    mutate(&mut m, r, 0);
    out.push(m);
    // other shapes Sentry accepts
    let mut s = ev.clone();
    if let Some(o) = s.as_object_mut() {
        if let Some(ex) = o.get("exception").and_then(|e| e.get("values")).cloned() {
            o.insert("exception".into(), ex);
        }
        if let Some(msg) = o.get("logentry").and_then(|l| l.get("formatted")).cloned() {
            o.insert("logentry".into(), msg);
        }
        if let Some(Value::Object(tags)) = o.get("tags").cloned() {
            o.insert("tags".into(), Value::Array(tags.into_iter().map(|(k, v)| json!([k, v])).collect()));
        }
        o.insert("_meta".into(), json!({"extra": {"": {"len": 3}, "x": {"": {"rem": [["!oxeye:key", "x"]]}}}, "request": 5, "user": {"ip_address": {"": {"rem": 7}}}}));
        o.insert("threads".into(), json!({"values": [{"stacktrace": {"frames": [{"vars": {"token": "t", "k": [["secret", 5], ["a", "4111111111111111"]]}}]}}]}));
        o.insert("user".into(), json!({"ip_address": "{{auto}}", "email": "a@b.co", "geo": [1, 2]}));
    }
    out.push(s);
    out
}

fn configs() -> Vec<PiiConfig> {
    let parse = |sdp: bool, scrub: Option<&str>| PiiConfig::from_options(sdp, scrub, true).unwrap();
    vec![
        PiiConfig::default(),
        parse(true, None),
        #[cfg(feature = "scrub-rules")]
        parse(
            false,
            Some(r#"{"email":true,"ip":false,"keys":["route","note"],"safeKeys":["token"],"values":[{"name":"n","prefix":"NL","chars":"A-Z0-9","minLength":6}]}"#),
        ),
        parse(false, Some("false")),
    ]
}

fn new_walk(text: &str, cfg: &PiiConfig) -> Value {
    let mut out = Vec::new();
    let mut meta = MetaLog::default();
    scrub_json(text, &[], cfg, &mut out, &mut meta).unwrap_or_else(|e| panic!("{e}: {text}"));
    assert!(meta.is_empty());
    serde_json::from_slice(&out).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out)))
}

#[test]
fn every_variant_of_the_corpus_is_scrubbed_into_valid_json() {
    let mut r = Rng(0x5eed_0ee1);
    let (mut compared, mut changed) = (0, 0);
    for line in CORPUS.lines() {
        let ev: Value = serde_json::from_str(line).unwrap();
        for v in variants(&ev, &mut r) {
            let text = v.to_string();
            for cfg in configs() {
                let new = new_walk(&text, &cfg);
                if !cfg.enabled {
                    assert_eq!(new, v);
                }
                compared += 1;
                changed += usize::from(new != v);
            }
        }
    }
    assert!(compared >= 600 * configs().len(), "{compared}");
    assert!(changed >= compared / 2, "{changed} of {compared} changed: the corpus should exercise the rules");
}

#[test]
fn scope_values_scrubbed_alone_match_the_whole_event() {
    // a value scrubbed when it is set, at its path, gives the same bytes and remarks as
    // the same value inside a whole event
    let cfg = PiiConfig::default();
    let mut r = Rng(0xfeed);
    for line in CORPUS.lines().take(120) {
        let mut ev: Value = serde_json::from_str(line).unwrap();
        mutate(&mut ev, &mut r, 0);
        let whole = new_walk(&ev.to_string(), &cfg);
        let Value::Object(fields) = &ev else { continue };
        let mut meta = MetaLog::default();
        let mut rebuilt = Map::new();
        for (k, v) in fields {
            let mut out = Vec::new();
            scrub_json(&v.to_string(), &[Seg::Key(k)], &cfg, &mut out, &mut meta).unwrap();
            rebuilt.insert(k.clone(), serde_json::from_slice(&out).unwrap());
        }
        if !meta.is_empty() {
            let mut out = Vec::new();
            meta.write(&cfg, &mut out);
            rebuilt.insert("_meta".into(), serde_json::from_slice(&out).unwrap());
        }
        assert_eq!(Value::Object(rebuilt), whole, "{line}");
    }
}

/// Every remark in a `_meta` object as `path rule`.
fn remarks(meta: &Value, path: &mut Vec<String>, out: &mut Vec<String>) {
    let Value::Object(m) = meta else { return };
    for (k, v) in m {
        if k.is_empty() {
            for r in v["rem"].as_array().into_iter().flatten() {
                out.push(format!("{} {}", path.join("."), r[0].as_str().unwrap_or("?")));
            }
        } else {
            path.push(k.clone());
            remarks(v, path, out);
            path.pop();
        }
    }
}

/// What the default rules change in the clean events of the corpus (the last 60 lines).
fn clean_remarks() -> Vec<String> {
    let mut all = Vec::new();
    for line in CORPUS.lines().skip(160) {
        let out = new_walk(line, &PiiConfig::default());
        remarks(&out["_meta"], &mut Vec::new(), &mut all);
    }
    all
}

#[test]
fn clean_events_are_left_as_they_are() {
    let found = clean_remarks();
    eprintln!("{} remarks on clean events: {found:?}", found.len());
    assert_eq!(found.len(), CLEAN_BASELINE, "{found:?}");
}
