//! Native scrubbing throughput of oxeye's PII scrubber (no wasm), for `bench/scrub.mjs`.
//!
//! `cargo run --release --example scrub_bench -- <corpus.json> [rounds]` reads a JSON
//! array of events and prints one JSON object: events, input bytes, and for each mode
//! the median round time, events/s and MB/s over the whole corpus:
//! - `scrub`: `pii::scrub_json` on each event's JSON text into one reused byte buffer
//!   (the streaming walk the core runs);
//! - `json`: JSON text in, a new JSON `String` out per event, comparable with Relay's
//!   `pii_strip_event`, which also parses and serialises.

use std::time::Instant;

use oxeye::pii::{scrub_json, MetaLog, PiiConfig};
use serde_json::{json, Value};

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    xs[xs.len() / 2]
}

fn stats(ms: f64, events: usize, bytes: usize) -> Value {
    json!({
        "median_ms": (ms * 1000.0).round() / 1000.0,
        "events_per_s": (events as f64 / (ms / 1000.0)).round(),
        "mb_per_s": ((bytes as f64 / 1e6) / (ms / 1000.0) * 100.0).round() / 100.0,
    })
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: scrub_bench <corpus.json> [rounds]");
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(7);
    let text = std::fs::read_to_string(&path).expect("corpus readable");
    let events: Vec<Value> = serde_json::from_str(&text).expect("corpus is a JSON array");
    let jsons: Vec<String> = events.iter().map(|e| e.to_string()).collect();
    let bytes: usize = jsons.iter().map(String::len).sum();
    let cfg = PiiConfig::default();

    let mut scrub_ms = Vec::new();
    let mut json_ms = Vec::new();
    for round in 0..=rounds {
        let mut buf = Vec::new();
        let t = Instant::now();
        for j in &jsons {
            buf.clear();
            scrub_json(j, &[], &cfg, &mut buf, &mut MetaLog::default()).expect("valid JSON");
        }
        let a = t.elapsed().as_secs_f64() * 1000.0;
        let t = Instant::now();
        let mut out = 0;
        for j in &jsons {
            let mut bytes = Vec::new();
            scrub_json(j, &[], &cfg, &mut bytes, &mut MetaLog::default()).expect("valid JSON");
            out += String::from_utf8(bytes).expect("UTF-8").len();
        }
        let b = t.elapsed().as_secs_f64() * 1000.0;
        assert!(out > 0);
        if round > 0 {
            // round 0 warms caches and the allocator
            scrub_ms.push(a);
            json_ms.push(b);
        }
    }
    let report = json!({
        "events": events.len(),
        "bytes": bytes,
        "rounds": rounds,
        "scrub": stats(median(scrub_ms), events.len(), bytes),
        "json": stats(median(json_ms), events.len(), bytes),
    });
    println!("{report}");
}
