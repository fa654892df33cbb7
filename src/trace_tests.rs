//! Trace propagation through the client: `contexts.trace` on every event, the envelope's
//! `trace` header, propagation contexts on isolation scopes (forked, restarted,
//! continued), the parts of outgoing headers and events linked to a request's trace.

use serde_json::{json, Value};

use crate::pipeline::{Client, Outcome, ScopeIds, CAPTURE_RANDOM_BYTES};
use crate::trace::{Incoming, RANDOM_BYTES};

const DSN: &str = "https://abc123@o42.ingest.example.com/7";
const T: &str = "771a43a4192642f0b136d5159a501700";
const S: &str = "b6576219fd7dcf45";

const ISOLATION_SCOPE: u32 = 1;
const DEFAULT: ScopeIds = ScopeIds { current: 2, isolation: 1, global: 0 };

fn client() -> Client {
    Client::from_json(&json!({"dsn": DSN, "release": "shop@1.4.2", "environment": "staging", "runtime": "browser"}).to_string())
}

fn random(seed: u8) -> Vec<u8> {
    (0..CAPTURE_RANDOM_BYTES as u8).map(|i: u8| i.wrapping_mul(31).wrapping_add(seed)).collect()
}

fn message(m: &str) -> Value {
    json!({"message": m, "timestamp": 1_700_000_000_000.0})
}

fn on(isolation: u32) -> ScopeIds {
    ScopeIds { isolation, ..DEFAULT }
}

/// What the shim passes for an incoming `sentry-trace: T-S` with `baggage` DSC `dsc`
/// (a JSON array of keys and values).
fn incoming(dsc: Option<&str>) -> Incoming<'_> {
    Incoming { trace_id: T, parent_span_id: S, sampled: None, dsc }
}

/// The parts of outgoing headers (`Client::trace_headers`) as JSON.
fn parts(c: &mut Client, isolation: u32, seed: u8) -> Option<Value> {
    c.trace_headers(isolation, &random(seed)[..RANDOM_BYTES]).map(|b| serde_json::from_slice(&b).unwrap())
}

/// A DSC array (`["k","v",…]`) as the object the envelope's `trace` header is.
fn dsc_object(pairs: &Value) -> Value {
    let a = pairs.as_array().unwrap();
    Value::Object(a.chunks(2).map(|kv| (kv[0].as_str().unwrap().to_string(), kv[1].clone())).collect())
}

fn headers_of(envelope: &[u8]) -> Value {
    serde_json::from_slice(envelope.split(|&b| b == b'\n').next().unwrap()).unwrap()
}

/// Hands an event out to the host: (id, event).
fn prepare(c: &mut Client, input: Value, seed: u8) -> (String, Value) {
    match c.capture(&input.to_string(), &[], DEFAULT, 0.0, &random(seed), true) {
        Outcome::Host { event, .. } => {
            let ev: Value = serde_json::from_str(&event).unwrap();
            (ev["event_id"].as_str().unwrap().to_string(), ev)
        }
        other => panic!("{other:?}"),
    }
}

/// (envelope headers, event) of a sent capture.
fn send(c: &mut Client, input: Value, scopes: ScopeIds, seed: u8) -> (Value, Value) {
    match c.capture(&input.to_string(), &[], scopes, 1_700_000_000_500.0, &random(seed), false) {
        Outcome::Send(envelope) => {
            let text = String::from_utf8(envelope.bytes).unwrap();
            let mut lines = text.lines();
            let headers = serde_json::from_str(lines.next().unwrap()).unwrap();
            let _item = lines.next();
            (headers, serde_json::from_str(lines.next().unwrap()).unwrap())
        }
        other => panic!("not sent: {other:?}"),
    }
}

#[test]
fn every_event_has_a_trace_context_and_every_envelope_a_trace_header() {
    let mut c = client();
    let (h1, e1) = send(&mut c, message("one"), DEFAULT, 1);
    let (h2, e2) = send(&mut c, message("two"), DEFAULT, 2);
    let trace = &e1["contexts"]["trace"];
    let tid = trace["trace_id"].as_str().unwrap();
    assert_eq!(tid.len(), 32);
    assert_eq!(trace["span_id"].as_str().unwrap().len(), 16);
    assert!(trace.get("parent_span_id").is_none(), "a new trace has no parent");
    assert_eq!(e2["contexts"]["trace"], *trace, "one isolation scope, one trace");
    let dsc = &h1["trace"];
    assert_eq!(dsc["trace_id"], tid);
    assert_eq!(dsc["public_key"], "abc123");
    assert_eq!(dsc["release"], "shop@1.4.2");
    assert_eq!(dsc["environment"], "staging");
    assert_eq!(dsc["org_id"], "42", "from the DSN host");
    assert!(dsc.get("sampled").is_none() && dsc.get("sample_rate").is_none(), "deferred, no tracing");
    assert!(crate::trace::parse_micro(dsc["sample_rand"].as_str().unwrap()).unwrap() < 1_000_000);
    assert_eq!(h2["trace"], *dsc, "the DSC is frozen");
}

#[test]
fn isolation_scopes_fork_restart_and_continue_traces() {
    let mut c = client();
    let (_, root) = send(&mut c, message("root"), DEFAULT, 1);
    let root_trace = root["contexts"]["trace"]["trace_id"].clone();
    // withIsolationScope: the fork keeps the trace.
    c.fork_scope(ISOLATION_SCOPE, 10);
    let (_, forked) = send(&mut c, message("forked"), on(10), 2);
    assert_eq!(forked["contexts"]["trace"]["trace_id"], root_trace);
    // startNewTrace: a fresh context on a fork; the parent's trace is untouched.
    c.fork_scope(ISOLATION_SCOPE, 11);
    assert!(!c.continue_trace(11, None, &random(3)[..RANDOM_BYTES]));
    let (_, fresh) = send(&mut c, message("fresh"), on(11), 4);
    assert_ne!(fresh["contexts"]["trace"]["trace_id"], root_trace);
    // continueTrace: the incoming trace, its span as parent, its DSC in the envelope.
    c.fork_scope(ISOLATION_SCOPE, 12);
    let dsc = json!(["trace_id", T, "public_key", "backendkey", "release", "api@2", "sample_rand", "0.5"]).to_string();
    assert!(c.continue_trace(12, Some(&incoming(Some(&dsc))), &random(5)[..RANDOM_BYTES]));
    let (h, continued) = send(&mut c, message("continued"), on(12), 6);
    assert_eq!(continued["contexts"]["trace"]["trace_id"], T);
    assert_eq!(continued["contexts"]["trace"]["parent_span_id"], S);
    assert_eq!(h["trace"], json!({"trace_id": T, "public_key": "backendkey", "release": "api@2", "sample_rand": "0.5"}));
    // Malformed headers give no parts: a new trace starts.
    c.fork_scope(ISOLATION_SCOPE, 13);
    assert!(!c.continue_trace(13, None, &random(7)[..RANDOM_BYTES]));
    let (_, e) = send(&mut c, message("after bad headers"), on(13), 8);
    assert_ne!(e["contexts"]["trace"]["trace_id"], T);
    // Back on the root scope: still the first trace.
    let (_, again) = send(&mut c, message("root again"), DEFAULT, 9);
    assert_eq!(again["contexts"]["trace"]["trace_id"], root_trace);
    // Clearing the isolation scope starts a new trace.
    c.scope_set(ISOLATION_SCOPE, crate::scope::ScopeOp::Clear, None, None);
    let (_, cleared) = send(&mut c, message("cleared"), DEFAULT, 10);
    assert_ne!(cleared["contexts"]["trace"]["trace_id"], root_trace);
}

#[test]
fn outgoing_headers_match_the_events_of_the_same_scope() {
    let mut c = client();
    let h = parts(&mut c, ISOLATION_SCOPE, 1).unwrap();
    let (tid, sid) = (h["trace_id"].as_str().unwrap(), h["span_id"].as_str().unwrap());
    assert!(h.get("sampled").is_none(), "deferred");
    assert_eq!(h["dsc"][0], "trace_id");
    assert_eq!(h["dsc"][1], tid);
    let (env, ev) = send(&mut c, message("after a request"), DEFAULT, 2);
    assert_eq!(ev["contexts"]["trace"]["trace_id"], tid);
    assert_eq!(ev["contexts"]["trace"]["span_id"], sid, "the span the backend sees as its parent");
    assert_eq!(env["trace"], dsc_object(&h["dsc"]), "the DSC that left with the request is the envelope's");
    assert_eq!(parts(&mut c, ISOLATION_SCOPE, 3).unwrap(), h, "the same trace and DSC for every request");
    // Disabled: no headers at all.
    let mut off = Client::from_json(&json!({"dsn": DSN, "enabled": false}).to_string());
    assert!(parts(&mut off, ISOLATION_SCOPE, 1).is_none());
    let mut no_dsn = Client::from_json("{}");
    assert!(parts(&mut no_dsn, ISOLATION_SCOPE, 1).is_none());
}

#[test]
fn an_event_linked_to_a_request_joins_that_requests_trace() {
    let mut c = client();
    // A request made inside another trace (startNewTrace / continueTrace) …
    c.fork_scope(ISOLATION_SCOPE, 20);
    c.continue_trace(20, None, &random(1)[..RANDOM_BYTES]);
    let req = parts(&mut c, 20, 2).unwrap();
    // … fails later, and the error is captured on the root scope with a link to it.
    let mut input = message("request failed");
    input["trace"] = json!({"traceId": req["trace_id"], "spanId": req["span_id"], "dsc": req["dsc"]});
    let (h, ev) = send(&mut c, input, DEFAULT, 3);
    assert_eq!(ev["contexts"]["trace"], json!({"trace_id": req["trace_id"], "span_id": req["span_id"]}));
    assert_eq!(h["trace"], dsc_object(&req["dsc"]));
    // A link into the event's own trace keeps the full context (parent span included).
    c.fork_scope(ISOLATION_SCOPE, 21);
    c.continue_trace(21, Some(&incoming(None)), &random(4)[..RANDOM_BYTES]);
    let own = parts(&mut c, 21, 5).unwrap();
    let mut input = message("same trace");
    input["trace"] = json!({"traceId": own["trace_id"], "spanId": own["span_id"]});
    let (_, ev) = send(&mut c, input, on(21), 6);
    assert_eq!(ev["contexts"]["trace"]["parent_span_id"], S);
    // A link without ids (the shim could not read the request's `sentry-trace`) is ignored.
    let mut input = message("bad link");
    input["trace"] = json!({"dsc": ["trace_id", "x"]});
    let (_, ev) = send(&mut c, input, on(21), 7);
    assert_eq!(ev["contexts"]["trace"]["trace_id"], T);
}

#[test]
fn the_envelope_follows_the_trace_the_event_ends_up_with() {
    let mut c = client();
    // The app's own trace context (captureEvent) wins over the scope's.
    let mut input = message("own trace");
    input["event"] = json!({"contexts": {"trace": {"trace_id": T, "span_id": S}}});
    let (h, ev) = send(&mut c, input, DEFAULT, 1);
    assert_eq!(ev["contexts"]["trace"]["trace_id"], T);
    assert_eq!(h["trace"]["trace_id"], T, "the header agrees with the event");
    assert_eq!(h["trace"]["public_key"], "abc123");
    // beforeSend (between capture and finish) rewrote the trace: the header follows.
    let (id, mut event) = prepare(&mut c, message("rewritten"), 2);
    event["contexts"]["trace"]["trace_id"] = json!("11111111111111111111111111111111");
    let Outcome::Send(envelope) = c.finish(&id, &event.to_string(), 0.0) else { panic!() };
    assert_eq!(headers_of(&envelope.bytes)["trace"]["trace_id"], "11111111111111111111111111111111");
    // Held, then finished unchanged: the DSC kept for it.
    let (id, event) = prepare(&mut c, message("held"), 3);
    let Outcome::Send(envelope) = c.finish(&id, &serde_json::to_string(&event).unwrap(), 0.0) else { panic!() };
    assert_eq!(headers_of(&envelope.bytes)["trace"]["trace_id"], event["contexts"]["trace"]["trace_id"]);
    // Short random input never panics.
    let mut short = client();
    let out = short.capture(&message("short").to_string(), &[], DEFAULT, 0.0, &[1, 2, 3], false);
    assert!(matches!(out, Outcome::Send(_)));
}

#[test]
fn dsc_values_are_scrubbed_before_they_leave() {
    let mut c = client();
    let dsc = json!(["trace_id", T, "public_key", "k", "transaction", "GET /reset?token=secret123&password=hunter2"]).to_string();
    c.fork_scope(ISOLATION_SCOPE, 30);
    assert!(c.continue_trace(30, Some(&incoming(Some(&dsc))), &random(1)[..RANDOM_BYTES]));
    let (h, _) = send(&mut c, message("x"), on(30), 2);
    let tx = h["trace"]["transaction"].as_str().unwrap();
    assert!(!tx.contains("hunter2"), "{tx}");
}
