//! Trace propagation through the client: `contexts.trace` on every event, the envelope's
//! `trace` header, propagation contexts on isolation scopes (forked, restarted,
//! continued), outgoing headers and events linked to a request's trace.

use serde_json::{json, Value};

use crate::pipeline::{Client, Outcome, ScopeIds, CAPTURE_RANDOM_BYTES};
use crate::trace::{parse_sentry_trace, Incoming, RANDOM_BYTES};

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

fn headers_of(envelope: &[u8]) -> Value {
    serde_json::from_slice(envelope.split(|&b| b == b'\n').next().unwrap()).unwrap()
}

/// Hands an event out to the host: (id, event).
fn prepare(c: &mut Client, input: Value, seed: u8) -> (String, Value) {
    match c.capture(&input.to_string(), DEFAULT, 0.0, &random(seed), true) {
        Outcome::Host { event, .. } => {
            let ev: Value = serde_json::from_str(&event).unwrap();
            (ev["event_id"].as_str().unwrap().to_string(), ev)
        }
        other => panic!("{other:?}"),
    }
}

/// (envelope headers, event) of a sent capture.
fn send(c: &mut Client, input: Value, scopes: ScopeIds, seed: u8) -> (Value, Value) {
    match c.capture(&input.to_string(), scopes, 1_700_000_000_500.0, &random(seed), false) {
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
    assert!(!c.continue_trace(11, &Incoming::default(), &random(3)[..RANDOM_BYTES]));
    let (_, fresh) = send(&mut c, message("fresh"), on(11), 4);
    assert_ne!(fresh["contexts"]["trace"]["trace_id"], root_trace);
    // continueTrace: the incoming trace, its span as parent, its DSC in the envelope.
    c.fork_scope(ISOLATION_SCOPE, 12);
    let incoming = Incoming {
        sentry_trace: Some(&format!("{T}-{S}")),
        baggage: Some(&format!("vendor=1,sentry-trace_id={T},sentry-public_key=backendkey,sentry-release=api%402,sentry-sample_rand=0.5")),
        traceparent: None,
    };
    assert!(c.continue_trace(12, &incoming, &random(5)[..RANDOM_BYTES]));
    let (h, continued) = send(&mut c, message("continued"), on(12), 6);
    assert_eq!(continued["contexts"]["trace"]["trace_id"], T);
    assert_eq!(continued["contexts"]["trace"]["parent_span_id"], S);
    assert_eq!(h["trace"], json!({"trace_id": T, "public_key": "backendkey", "release": "api@2", "sample_rand": "0.5"}));
    // A malformed header never throws: it starts a new trace.
    c.fork_scope(ISOLATION_SCOPE, 13);
    let bad = Incoming { sentry_trace: Some("not-a-trace"), baggage: Some("%%%"), traceparent: Some("ff") };
    assert!(!c.continue_trace(13, &bad, &random(7)[..RANDOM_BYTES]));
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
    let h = c.trace_headers(ISOLATION_SCOPE, Some("mine=1, sentry-release=stale"), &random(1)[..RANDOM_BYTES]).unwrap();
    let (tid, sid, sampled) = parse_sentry_trace(&h.sentry_trace).unwrap();
    assert_eq!(sampled, None);
    assert_eq!(h.traceparent, format!("00-{tid}-{sid}-00"));
    assert!(h.baggage.starts_with("mine=1,sentry-trace_id="), "{}", h.baggage);
    assert!(!h.baggage.contains("stale"));
    assert_eq!(h.baggage, format!("mine=1,{}", h.dsc_baggage()));
    let (env, ev) = send(&mut c, message("after a request"), DEFAULT, 2);
    assert_eq!(ev["contexts"]["trace"]["trace_id"], tid.as_str());
    assert_eq!(ev["contexts"]["trace"]["span_id"], sid.as_str(), "the span the backend sees as its parent");
    let dsc = crate::baggage::Dsc::from_baggage(&h.dsc_baggage()).unwrap();
    let mut out = Vec::new();
    dsc.write(&mut out, |_, v| v.to_string());
    assert_eq!(env["trace"], serde_json::from_slice::<Value>(&out).unwrap(), "the DSC that left with the request is the envelope's");
    // Disabled: no headers at all.
    let mut off = Client::from_json(&json!({"dsn": DSN, "enabled": false}).to_string());
    assert!(off.trace_headers(ISOLATION_SCOPE, None, &random(1)).is_none());
    let mut no_dsn = Client::from_json("{}");
    assert!(no_dsn.trace_headers(ISOLATION_SCOPE, None, &random(1)).is_none());
}

#[test]
fn an_event_linked_to_a_request_joins_that_requests_trace() {
    let mut c = client();
    // A request made inside another trace (startNewTrace / continueTrace) …
    c.fork_scope(ISOLATION_SCOPE, 20);
    c.continue_trace(20, &Incoming::default(), &random(1)[..RANDOM_BYTES]);
    let req = c.trace_headers(20, None, &random(2)).unwrap();
    // … fails later, and the error is captured on the root scope with a link to it.
    let mut input = message("request failed");
    input["trace"] = json!({"sentryTrace": req.sentry_trace, "baggage": req.dsc_baggage()});
    let (h, ev) = send(&mut c, input, DEFAULT, 3);
    let (tid, sid, _) = parse_sentry_trace(&req.sentry_trace).unwrap();
    assert_eq!(ev["contexts"]["trace"], json!({"trace_id": tid, "span_id": sid}));
    assert_eq!(h["trace"]["trace_id"], tid.as_str());
    // A link into the event's own trace keeps the full context (parent span included).
    c.fork_scope(ISOLATION_SCOPE, 21);
    c.continue_trace(21, &Incoming { sentry_trace: Some(&format!("{T}-{S}")), ..Default::default() }, &random(4)[..RANDOM_BYTES]);
    let own = c.trace_headers(21, None, &random(5)).unwrap();
    let mut input = message("same trace");
    input["trace"] = json!({"sentryTrace": own.sentry_trace});
    let (_, ev) = send(&mut c, input, on(21), 6);
    assert_eq!(ev["contexts"]["trace"]["parent_span_id"], S);
    // A link that does not parse is ignored.
    let mut input = message("bad link");
    input["trace"] = json!({"sentryTrace": "garbage", "baggage": "sentry-trace_id=x"});
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
    let out = short.capture(&message("short").to_string(), DEFAULT, 0.0, &[1, 2, 3], false);
    assert!(matches!(out, Outcome::Send(_)));
}

#[test]
fn dsc_values_are_scrubbed_before_they_leave() {
    let mut c = client();
    let incoming = Incoming {
        sentry_trace: Some(&format!("{T}-{S}")),
        baggage: Some(&format!("sentry-trace_id={T},sentry-public_key=k,sentry-transaction=GET%20%2Freset%3Ftoken%3Dsecret123%26password%3Dhunter2")),
        traceparent: None,
    };
    c.fork_scope(ISOLATION_SCOPE, 30);
    assert!(c.continue_trace(30, &incoming, &random(1)[..RANDOM_BYTES]));
    let (h, _) = send(&mut c, message("x"), on(30), 2);
    let tx = h["trace"]["transaction"].as_str().unwrap();
    assert!(!tx.contains("hunter2"), "{tx}");
}
