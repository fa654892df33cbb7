//! Tests of the capture pipeline in `pipeline/`. Every envelope is parsed back with
//! serde_json.

use super::*;
use serde_json::{json, Value};

const DSN: &str = "http://abc123@127.0.0.1:8000/7";
const IDS: ScopeIds = ScopeIds { current: 2, isolation: 1, global: 0 };
const GLOBAL: u32 = 0;
pub(super) const ISOLATION: u32 = 1;
const CURRENT: u32 = 2;

pub(super) fn client(opts: Value) -> Client {
    let mut o = json!({"dsn": DSN, "runtime": "node", "release": "app@1"});
    if let (Value::Object(base), Value::Object(extra)) = (&mut o, opts) {
        base.extend(extra);
    }
    Client::from_json(&o.to_string())
}

/// Envelope → (header, item header, payload), checking framing exactly.
pub(crate) fn split(envelope: &[u8]) -> (Value, Value, Value) {
    let text = std::str::from_utf8(envelope).unwrap();
    let mut lines = text.splitn(3, '\n');
    let h: Value = serde_json::from_str(lines.next().unwrap()).unwrap();
    let ih: Value = serde_json::from_str(lines.next().unwrap()).unwrap();
    let rest = lines.next().unwrap();
    let len = ih["length"].as_u64().unwrap() as usize;
    assert_eq!(&rest[len..], "\n", "payload is exactly `length` bytes");
    assert_eq!(&text[..12], "{\"sent_at\":\"", "sent_at first, at a fixed offset");
    (h, ih, serde_json::from_str(&rest[..len]).unwrap())
}

fn sent(outcome: Outcome) -> Value {
    match outcome {
        Outcome::Send(env) => {
            assert_eq!((env.category, env.quantity), (Category::Error, 1));
            split(&env.bytes).2
        }
        other => panic!("not sent: {other:?}"),
    }
}

pub(super) fn reason(outcome: Outcome) -> Reason {
    match outcome {
        Outcome::Drop(r, detail) => {
            assert!(!detail.is_empty());
            r
        }
        other => panic!("not dropped: {other:?}"),
    }
}

pub(super) fn error_input(ty: &str, msg: &str) -> Value {
    json!({"timestamp": 1_700_000_000_000.0, "exception": {"kind": "error", "name": ty, "message": msg}})
}

pub(super) fn cap(c: &mut Client, input: &Value, ids: ScopeIds, random: &[u8]) -> Outcome {
    c.capture(&input.to_string(), &[], ids, 1_700_000_000_500.0, random, false)
}

pub(super) fn run(c: &mut Client, input: Value) -> Outcome {
    cap(c, &input, IDS, &[7; CAPTURE_RANDOM_BYTES])
}

#[test]
fn exception_becomes_a_complete_envelope() {
    let mut c = client(json!({}));
    let Outcome::Send(env) = run(&mut c, error_input("TypeError", "bad")) else { panic!("dropped") };
    let (h, ih, ev) = split(&env.bytes);
    let event_id = ev["event_id"].as_str().unwrap().to_string();
    assert!(ids::is_event_id(&event_id));
    assert_eq!(h["event_id"], event_id.as_str());
    assert_eq!(h["sent_at"], "2023-11-14T22:13:20.500Z");
    assert_eq!(h["sdk"]["name"], "oxeye.javascript.node");
    assert!(h.get("dsn").is_none(), "dsn header only when tunnelling");
    assert_eq!(ih["type"], "event");
    assert_eq!(ev["platform"], "javascript");
    assert_eq!(ev["level"], "error");
    assert_eq!(ev["release"], "app@1");
    assert_eq!(ev["environment"], "production");
    assert_eq!(ev["timestamp"], 1_700_000_000);
    assert_eq!(ev["sdk"]["version"], VERSION);
    assert_eq!(ev["exception"]["values"][0]["type"], "TypeError");
    assert_eq!(ev["exception"]["values"][0]["mechanism"], json!({"type": "generic", "handled": true}));
}

#[test]
fn message_and_queued_id() {
    let mut c = client(json!({}));
    let id = "0123456789abcdef0123456789abcdef";
    let ev = sent(run(&mut c, json!({"message": "hi", "eventId": id, "level": "warning"})));
    assert_eq!(ev["event_id"], id);
    assert_eq!(ev["logentry"]["formatted"], "hi");
    assert_eq!(ev["level"], "warning");
    let info = sent(run(&mut c, json!({"message": "default level", "eventId": "not-an-id"})));
    assert_eq!(info["level"], "info");
    assert!(ids::is_event_id(info["event_id"].as_str().unwrap()), "a bad id is replaced");
}

#[test]
fn capture_event_keeps_given_fields() {
    let mut c = client(json!({}));
    let ev = sent(run(&mut c, json!({"event": {"message": "m", "environment": "staging", "tags": {"a": "b"}, "dist": "7", "event_id": "nope"}})));
    assert_eq!(ev["environment"], "staging");
    assert_eq!(ev["tags"]["a"], "b");
    assert_eq!(ev["dist"], "7");
    assert_eq!(ev["platform"], "javascript");
    assert_eq!(ev["logentry"]["formatted"], "m");
    assert!(ev.get("message").is_none());
    assert_ne!(ev["event_id"], "nope", "the id of record is the core's");
}

#[test]
fn missing_or_bad_dsn_disables_and_reports_nothing() {
    let mut c = Client::from_json("{}");
    assert!(!c.is_enabled());
    assert!(c.dsn_error().is_none());
    assert_eq!(reason(run(&mut c, json!({}))), Reason::Disabled);
    assert!(c.outcomes().is_empty(), "a disabled SDK counts nothing");
    let c = Client::from_json(r#"{"dsn": "ftp://k@h/1"}"#);
    assert!(c.dsn_error().unwrap().contains("scheme"), "{:?}", c.dsn_error());
    assert!(c.url().is_none());
    let mut off = client(json!({"enabled": false}));
    assert_eq!(reason(run(&mut off, json!({}))), Reason::Disabled);
}

#[test]
fn bad_input_is_a_counted_internal_error_never_a_panic() {
    let mut c = client(json!({}));
    for bad in ["", "{", "[]", "null", "\"x\"", "{\"exception\": 3}"] {
        match c.capture(bad, &[], IDS, 0.0, &[1; 4], false) {
            Outcome::Drop(r, _) => assert_eq!(r, Reason::InternalSdkError, "{bad}"),
            Outcome::Send(env) => {
                split(&env.bytes);
            }
            Outcome::Host { .. } => panic!("no hand back asked"),
        }
    }
    assert!(c.outcomes().count(Reason::InternalSdkError, Category::Error) >= 4);
}

#[test]
fn tunnel_puts_dsn_in_header_without_secret() {
    let mut c = Client::from_json(r#"{"dsn": "https://pub:sec@o1.ingest.sentry.io/5", "tunnel": "/tunnel"}"#);
    assert_eq!(c.url().unwrap(), "/tunnel");
    let Outcome::Send(env) = run(&mut c, json!({"message": "x"})) else { panic!() };
    let (h, _, ev) = split(&env.bytes);
    let dsn = h["dsn"].as_str().unwrap();
    assert!(dsn.contains("pub@") && !dsn.contains("sec"), "{dsn}");
    assert_eq!(ev["sdk"]["settings"]["infer_ip"], "never", "sentry.io learns the IP policy");
}

#[test]
fn endpoint_url_has_query_auth() {
    let url = client(json!({})).url().unwrap();
    assert!(url.starts_with("http://127.0.0.1:8000/api/7/envelope/?"), "{url}");
    assert!(url.contains("sentry_key=abc123") && url.contains("sentry_version=7"), "{url}");
    assert!(url.contains("sentry_client=oxeye.javascript"), "{url}");
    assert_eq!(super::sentry_client(), format!("oxeye.javascript/{}", super::VERSION));
    assert!(url.ends_with(&format!("&sentry_client=oxeye.javascript/{}", super::VERSION)), "{url}");
}

#[test]
fn scopes_apply_in_order_and_capture_data_wins() {
    let mut c = client(json!({}));
    c.scope_set(GLOBAL, ScopeOp::SetTag, Some("layer"), Some("\"global\""));
    c.scope_set(GLOBAL, ScopeOp::SetTag, Some("g"), Some("\"only-global\""));
    c.scope_set(ISOLATION, ScopeOp::SetTag, Some("layer"), Some("\"isolation\""));
    c.scope_set(ISOLATION, ScopeOp::SetUser, None, Some(r#"{"id": "u1", "email": "a@b.c"}"#));
    c.fork_scope(CURRENT, 9);
    c.scope_set(9, ScopeOp::SetTag, Some("layer"), Some("\"with-scope\""));
    c.scope_set(9, ScopeOp::SetUser, None, Some(r#"{"id": "u9"}"#));
    c.scope_set(9, ScopeOp::SetLevel, None, Some("\"warning\""));
    c.scope_set(9, ScopeOp::SetExtra, Some("x"), Some(r#"{"deep": [1, 2]}"#));
    let ids = ScopeIds { current: 9, ..IDS };
    let mut input = error_input("E", "x");
    input["event"] = json!({"tags": {"hint": "yes"}, "user": {"segment": "pro"}});
    let ev = sent(cap(&mut c, &input, ids, &[1; CAPTURE_RANDOM_BYTES]));
    assert_eq!(ev["tags"], json!({"layer": "with-scope", "hint": "yes", "g": "only-global"}));
    assert_eq!(ev["user"], json!({"segment": "pro", "id": "u9", "email": "a@b.c"}), "user fields merge");
    assert_eq!(ev["level"], "warning", "scope level applies when the capture sets none");
    assert_eq!(ev["extra"]["x"]["deep"][1], 2);
    c.drop_scope(9);
    let outside = sent(run(&mut c, error_input("E", "outside")));
    assert_eq!(outside["tags"]["layer"], "isolation", "the forked scope is gone");
    assert_eq!(outside["level"], "error");
    c.drop_scope(GLOBAL);
    let bare = sent(run(&mut c, error_input("E", "no global")));
    assert!(bare["tags"].get("g").is_none(), "any scope id can be dropped");
}

#[test]
fn a_numeric_user_id_is_sent_as_its_text() {
    let mut c = client(json!({}));
    c.scope_set(ISOLATION, ScopeOp::SetUser, None, Some(r#"{"id": 42, "username": "ada"}"#));
    let ev = sent(run(&mut c, error_input("E", "numeric id")));
    assert_eq!(ev["user"], json!({"id": "42", "username": "ada"}));
    let mut input = error_input("E", "capture's own user");
    input["event"] = json!({"user": {"id": 1500}});
    let ev = sent(run(&mut c, input));
    assert_eq!(ev["user"]["id"], "1500", "as the number was written");
    c.scope_set(ISOLATION, ScopeOp::SetUser, None, Some(r#"{"id": "7", "other": 7}"#));
    let ev = sent(run(&mut c, error_input("E", "string id")));
    assert_eq!(ev["user"], json!({"id": "7", "other": 7}), "only the id is a string by the protocol");
}

#[test]
fn event_fields_win_over_scopes_but_a_scope_level_applies_to_every_event() {
    let mut c = client(json!({}));
    c.scope_set(ISOLATION, ScopeOp::SetLevel, None, Some("\"warning\""));
    c.scope_set(ISOLATION, ScopeOp::SetFingerprint, None, Some(r#"["scope"]"#));
    c.scope_set(ISOLATION, ScopeOp::SetTransactionName, None, Some(r#""GET /scope""#));
    let ev = sent(run(&mut c, json!({"message": "m", "event": {"level": "fatal", "fingerprint": ["ev"], "transaction": "ev"}})));
    assert_eq!((ev["level"].clone(), ev["fingerprint"].clone(), ev["transaction"].clone()), (json!("warning"), json!(["ev"]), json!("ev")));
    let bare = sent(run(&mut c, json!({"message": "n"})));
    assert_eq!((bare["fingerprint"].clone(), bare["transaction"].clone()), (json!(["scope"]), json!("GET /scope")));
    // The capture context's level wins over the scopes'; without a scope level, the event's own.
    let ctx = sent(run(&mut c, json!({"message": "o", "level": "debug", "event": {"level": "fatal"}})));
    assert_eq!(ctx["level"], "debug");
    let mut plain = client(json!({}));
    let own = sent(run(&mut plain, json!({"message": "p", "event": {"level": "fatal"}})));
    assert_eq!(own["level"], "fatal");
}

#[test]
fn breadcrumbs_are_stamped_bounded_merged_and_attached() {
    let mut c = client(json!({"maxBreadcrumbs": 2}));
    for (i, m) in ["a", "b", "c"].iter().enumerate() {
        c.add_breadcrumb(ISOLATION, &json!({"message": m}).to_string(), 1_000.0 * (i as f64 + 1.0));
    }
    let ev = sent(run(&mut c, error_input("E", "x")));
    let crumbs = ev["breadcrumbs"]["values"].as_array().unwrap();
    assert_eq!(crumbs.len(), 2);
    assert_eq!(crumbs[0]["message"], "b");
    assert_eq!(crumbs[1]["timestamp"], 3);
    let mut off = client(json!({"maxBreadcrumbs": 0}));
    off.add_breadcrumb(ISOLATION, r#"{"message": "x"}"#, 0.0);
    assert!(sent(run(&mut off, error_input("E", "x"))).get("breadcrumbs").is_none());
    let mut m = client(json!({}));
    m.add_breadcrumb(GLOBAL, r#"{"message": "g1", "timestamp": 1}"#, 0.0);
    m.add_breadcrumb(GLOBAL, r#"{"message": "g5", "timestamp": 5}"#, 0.0);
    m.add_breadcrumb(ISOLATION, r#"{"message": "i3", "timestamp": 3}"#, 0.0);
    m.add_breadcrumb(CURRENT, r#"{"message": "c4", "timestamp": 4}"#, 0.0);
    let ev = sent(run(&mut m, json!({"message": "x", "event": {"breadcrumbs": [{"message": "e2", "timestamp": 2}]}})));
    let msgs: Vec<&str> = ev["breadcrumbs"]["values"].as_array().unwrap().iter().map(|c| c["message"].as_str().unwrap()).collect();
    assert_eq!(msgs, ["g1", "e2", "i3", "c4", "g5"]);
}

#[test]
fn filters_and_dedupe_drop_with_event_processor_reason() {
    let mut c = client(json!({"ignoreErrors": ["flaky backend"]}));
    assert_eq!(reason(run(&mut c, error_input("Error", "flaky backend timeout"))), Reason::EventProcessor);
    assert_eq!(reason(run(&mut c, error_input("Error", "Script error."))), Reason::EventProcessor);
    assert!(matches!(run(&mut c, error_input("Error", "real")), Outcome::Send(_)));
    assert_eq!(reason(run(&mut c, error_input("Error", "real"))), Reason::EventProcessor, "duplicate");
    assert!(matches!(run(&mut c, error_input("Error", "other")), Outcome::Send(_)));
    assert_eq!(c.outcomes().count(Reason::EventProcessor, Category::Error), 3);
    let mut http = error_input("HTTPError", "Not Found");
    http["exception"]["httpStatus"] = json!(404);
    assert_eq!(reason(run(&mut c, http.clone())), Reason::EventProcessor, "4xx not sent by default");
    http["exception"]["httpStatus"] = json!(503);
    assert_eq!(sent(run(&mut c, http))["contexts"]["response"]["status_code"], 503);
    // The status is the thrown value's: a `response` context the app set filters nothing.
    let mut answered = error_input("TypeError", "crashed while answering 404");
    answered["event"] = json!({"contexts": {"response": {"status_code": 404}}});
    assert_eq!(sent(run(&mut c, answered))["contexts"]["response"]["status_code"], 404);
    let mut no_dedupe = client(json!({"dedupe": false}));
    assert!(matches!(run(&mut no_dedupe, error_input("E", "same")), Outcome::Send(_)));
    assert!(matches!(run(&mut no_dedupe, error_input("E", "same")), Outcome::Send(_)));
}

pub(super) fn hand_back(c: &mut Client, input: &Value) -> (String, String) {
    match c.capture(&input.to_string(), &[], IDS, 1_700_000_000_500.0, &[3; CAPTURE_RANDOM_BYTES], true) {
        Outcome::Host { event, subjects } => (event, subjects),
        other => panic!("{other:?}"),
    }
}

#[test]
fn stacks_given_by_index_read_as_stacks_given_inline() {
    let (top, cause) = ("Error: top \"q\" \\ é\n    at f (/app/a.js:1:2)", "TypeError: inner\n    at g (/app/b.js:3:4)\n    at h (/app/c.js:5:6)");
    let thrown = |a: Value, b: Value| json!({"kind": "error", "name": "Error", "message": "top", "stack": a, "cause": {"kind": "error", "name": "TypeError", "stack": b}});
    let envelope = |exception: Value, stacks: &[u8]| {
        let input = json!({"eventId": "0123456789abcdef0123456789abcdef", "timestamp": 1_700_000_000_000.0, "exception": exception});
        let Outcome::Send(env) = client(json!({})).capture(&input.to_string(), stacks, IDS, 1_700_000_000_500.0, &[3; CAPTURE_RANDOM_BYTES], false) else { panic!("dropped") };
        env.bytes
    };
    let inline = envelope(thrown(json!(top), json!(cause)), &[]);
    let stacks = [b"\xFF", top.as_bytes(), b"\xFF", cause.as_bytes()].concat();
    assert_eq!(envelope(thrown(json!(0), json!(1)), &stacks), inline);
    assert!(split(&inline).2["exception"]["values"][0]["stacktrace"]["frames"][0]["filename"].is_string());
    // An index with no stack is no stack.
    assert_eq!(envelope(thrown(json!(0), json!(2)), &stacks), envelope(thrown(json!(top), Value::Null), &[]));
}

#[test]
fn one_call_and_hand_back_make_identical_envelopes() {
    let setup = |c: &mut Client| {
        c.scope_set(ISOLATION, ScopeOp::SetTag, Some("t"), Some("\"v\""));
        c.scope_set(ISOLATION, ScopeOp::SetExtra, Some("db"), Some(r#""postgres://app:hunter2@db/app""#));
        c.add_breadcrumb(ISOLATION, r#"{"message": "GET /reset?token=abc"}"#, 1_000.0);
    };
    let mut input = error_input("TypeError", "bad");
    input["eventId"] = json!("0123456789abcdef0123456789abcdef");
    let mut a = client(json!({}));
    setup(&mut a);
    let Outcome::Send(one) = a.capture(&input.to_string(), &[], IDS, 1_700_000_000_500.0, &[3; CAPTURE_RANDOM_BYTES], false) else { panic!() };
    let mut b = client(json!({}));
    setup(&mut b);
    let (event, subjects) = hand_back(&mut b, &input);
    assert_eq!(serde_json::from_str::<Value>(&subjects).unwrap(), json!({"messages": ["bad", "TypeError: bad"], "url": null}));
    assert!(!event.contains("hunter2"), "the host sees scrubbed data");
    let Outcome::Send(two) = b.finish("0123456789abcdef0123456789abcdef", &event, 1_700_000_000_500.0) else { panic!() };
    assert_eq!(String::from_utf8(one.bytes.clone()).unwrap(), String::from_utf8(two.bytes).unwrap());
    let ev = split(&one.bytes).2;
    assert!(ev["_meta"]["extra"]["db"].is_object(), "{}", ev["_meta"]);
    assert!(ev["_meta"]["breadcrumbs"]["values"]["0"].is_object(), "{}", ev["_meta"]);
}

#[test]
fn what_the_host_returns_is_scrubbed_and_keeps_the_id_of_record() {
    let mut c = client(json!({}));
    let (event, _) = hand_back(&mut c, &error_input("E", "staged"));
    let id = serde_json::from_str::<Value>(&event).unwrap()["event_id"].as_str().unwrap().to_string();
    let mut ev: Value = serde_json::from_str(&event).unwrap();
    ev["tags"] = json!({"changed_by": "beforeSend"});
    ev["extra"] = json!({"password": "secret-value"});
    ev["event_id"] = json!("ffffffffffffffffffffffffffffffff");
    let out = sent(c.finish(&id, &ev.to_string(), 0.0));
    assert_eq!(out["tags"]["changed_by"], "beforeSend");
    assert_eq!(out["event_id"], id.as_str());
    assert_ne!(out["extra"]["password"], "secret-value");
    assert_eq!(reason(c.finish(&id, "{}", 0.0)), Reason::InternalSdkError, "finished once");
    let (event, _) = hand_back(&mut c, &error_input("E", "junk"));
    let id = serde_json::from_str::<Value>(&event).unwrap()["event_id"].as_str().unwrap().to_string();
    assert_eq!(reason(c.finish(&id, "\"junk\"", 0.0)), Reason::InternalSdkError);
    c.record(Reason::BeforeSend, Category::Error, 2);
    let report = c.take_client_report(0.0).unwrap();
    assert_eq!((report.category, report.quantity), (Category::Internal, 1));
    let text = String::from_utf8(report.bytes).unwrap();
    assert!(text.contains("\"type\":\"client_report\""), "{text}");
    assert!(text.contains("before_send") && text.contains("internal_sdk_error"), "{text}");
    assert!(c.take_client_report(0.0).is_none(), "counts are taken once");
}

#[test]
fn pending_events_are_bounded_and_drops_by_the_host_counted() {
    let mut c = client(json!({"dedupe": false}));
    let mut first = String::new();
    for i in 0..MAX_PENDING + 3 {
        let mut input = error_input("E", &i.to_string());
        input["eventId"] = json!(format!("{i:032x}"));
        let (event, _) = hand_back(&mut c, &input);
        if i == 0 {
            first = serde_json::from_str::<Value>(&event).unwrap()["event_id"].as_str().unwrap().to_string();
        }
    }
    assert_eq!(c.pending_count(), MAX_PENDING);
    assert_eq!(c.outcomes().count(Reason::InternalSdkError, Category::Error), 3, "evictions are counted");
    assert_eq!(reason(c.finish(&first, "{}", 0.0)), Reason::InternalSdkError, "the oldest was evicted");
    let (event, _) = hand_back(&mut c, &error_input("E", "x"));
    let id = serde_json::from_str::<Value>(&event).unwrap()["event_id"].as_str().unwrap().to_string();
    c.drop_pending(&id, Reason::BeforeSend);
    assert_eq!(c.outcomes().count(Reason::BeforeSend, Category::Error), 1);
}

#[test]
fn host_context_and_request_url() {
    let mut c = client(json!({"host": {"userAgent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.1.2 Safari/537.36",
        "browser": {"name": "Chrome", "version": "156.0.1.2"}, "os": {"name": "Linux"}, "culture": {"locale": "en-GB", "timezone": "UTC"}}}));
    let mut input = error_input("E", "x");
    input["url"] = json!("http://127.0.0.1/page?q=1");
    input["event"] = json!({"contexts": {"browser": {"name": "Mine"}}});
    let ev = sent(run(&mut c, input));
    assert_eq!(ev["contexts"]["browser"]["name"], "Mine", "the event's own context wins");
    assert_eq!(ev["contexts"]["os"]["name"], "Linux");
    assert_eq!(ev["contexts"]["culture"]["locale"], "en-GB");
    assert_eq!(ev["request"]["url"], "http://127.0.0.1/page?q=1");
    assert!(ev["request"]["headers"]["User-Agent"].as_str().unwrap().contains("Chrome"));
}

#[test]
fn non_error_throws_read_and_group_apart() {
    let mut c = client(json!({"dedupe": false}));
    let s = sent(run(&mut c, json!({"exception": {"kind": "string", "text": "a string"}, "mechanism": {"type": "onerror", "handled": false}})));
    assert_eq!(s["logentry"]["formatted"], "a string", "a thrown string is the message");
    assert!(s.get("exception").is_none());
    assert_eq!(s["level"], "error");
    let stack = "Error\n    at handler (http://h/app.js:10:5)";
    let o = sent(run(&mut c, json!({"exception": {"kind": "object", "keys": ["code"], "syntheticStack": stack}})));
    let n = sent(run(&mut c, json!({"exception": {"kind": "number", "text": "42", "syntheticStack": stack}})));
    let (ox, nx) = (&o["exception"]["values"][0], &n["exception"]["values"][0]);
    assert_eq!(ox["stacktrace"]["frames"][0]["function"], "handler");
    assert!(ox["mechanism"].get("synthetic").is_none());
    assert_ne!(ox["value"], nx["value"], "different throws, different titles and groups");
}

#[test]
fn linked_errors_default_and_clamp() {
    let mut deep = json!({"kind": "error", "name": "E", "message": "0"});
    for i in 1..300 {
        deep = json!({"kind": "error", "name": "E", "message": i.to_string(), "cause": deep});
    }
    // serde_json's own recursion limit is 128: build the text by hand instead.
    let mut text = String::from(r#"{"kind":"error","name":"E","message":"0"}"#);
    for i in 1..120 {
        text = format!(r#"{{"kind":"error","name":"E","message":"{i}","cause":{text}}}"#);
    }
    let _ = deep;
    let input = format!(r#"{{"exception":{text}}}"#);
    let mut c = client(json!({}));
    let ev = sent(c.capture(&input, &[], IDS, 0.0, &[1; CAPTURE_RANDOM_BYTES], false));
    assert_eq!(ev["exception"]["values"].as_array().unwrap().len(), 6, "default maxLinkedErrors is 5");
    let mut big = client(json!({"maxLinkedErrors": 1e9}));
    let ev = sent(big.capture(&input, &[], IDS, 0.0, &[1; CAPTURE_RANDOM_BYTES], false));
    assert!(ev["exception"]["values"].as_array().unwrap().len() <= 101, "clamped");
}

#[test]
fn the_client_scrubs_before_the_envelope_and_refuses_bad_options() {
    let mut c = Client::from_json(r#"{"dsn": "http://k@127.0.0.1:9/1", "runtime": "browser"}"#);
    let ev = json!({"event": {"extra": {"api_key": "k-1"}, "user": {"email": "a@b.co"}}});
    let Outcome::Send(env) = cap(&mut c, &ev, IDS, &[1; CAPTURE_RANDOM_BYTES]) else { panic!("dropped") };
    let text = String::from_utf8(env.bytes).unwrap();
    assert!(!text.contains("k-1") && text.contains("\"api_key\":\"[Filtered]\"") && text.contains("a@b.co"), "{text}");
    assert!(!text.contains("settings"), "{text}");
    let mut saas = Client::from_json(r#"{"dsn": "https://k@o1.ingest.sentry.io/1", "runtime": "browser"}"#);
    let Outcome::Send(env) = cap(&mut saas, &json!({}), IDS, &[2; CAPTURE_RANDOM_BYTES]) else { panic!("dropped") };
    assert!(String::from_utf8(env.bytes).unwrap().contains("\"settings\":{\"infer_ip\":\"never\"}"));

    // A `scrub` the shim refused (`js/api/scrub-check.ts` wrote the sentence) arrives as a
    // value the core cannot read: the client is disabled.
    let mut c = Client::from_json(r#"{"dsn": "http://k@127.0.0.1:9/1", "scrub": 0}"#);
    assert!(!c.is_enabled());
    assert_eq!(c.disabled_reason().unwrap(), "oxeye is disabled: invalid option `scrub`");
    assert_eq!(reason(cap(&mut c, &json!({}), IDS, &[0; 16])), Reason::Disabled);

    // no `sendDefaultPii` (the shim leaves out a bad one, reported) reads as false: more
    // scrubbing, never less
    let c = Client::from_json(r#"{"dsn": "http://k@127.0.0.1:9/1"}"#);
    assert!(c.is_enabled());
    assert!(!c.pii().send_default_pii && c.pii().ip);
}

/// The summary computed from typed parts (checked against the text in `build` on every
/// native capture) for the shapes where the two could part: escapes and non-ASCII in
/// names, values and URLs, frames without filenames or out of the app, a cause, an empty
/// message, a thrown non-Error, a message capture, and a `response` context.
#[test]
fn typed_summaries_agree_with_the_text_for_awkward_events() {
    let stack = "TypeError: a \"q\" \u{2028} é\n    at f\u{e9} (https://h/a%20b.js?x=\"1\":1:2)\n    at <anonymous>\n    at g (node:internal/x:3:4)\n    at wasm://wasm/0012abcd:wasm-function[7]:0x5aeb\n    at h (/srv/node_modules/lib/i.js:5:6)";
    let inputs = [
        json!({"exception": {"kind": "error", "name": "TypeError", "message": "a \"q\" \u{2028} é", "stack": stack, "httpStatus": 503,
            "cause": {"kind": "error", "name": "", "message": "", "stack": "Error\n    at k (https://h/k.js:1:1)"}}}),
        json!({"exception": {"kind": "object", "name": "Object", "keys": ["a", "b"]}}),
        json!({"exception": {"kind": "string", "text": "plain"}}),
        json!({"message": "hello \"there\"", "level": "warning"}),
        json!({"exception": {"kind": "error", "name": "E", "message": "m"}, "mechanism": {"type": "onerror", "handled": false}}),
        json!({"event": {"fingerprint": ["a", "{{ default }}"], "contexts": {"response": {"status_code": 500}}}, "message": "m"}),
    ];
    for input in inputs {
        let mut c = client(json!({}));
        let out = cap(&mut c, &input, IDS, &[7; 64]);
        assert!(matches!(out, Outcome::Send(_)), "{input}: {out:?}");
    }
}

#[test]
fn the_inferred_ip_fills_a_missing_or_null_ip_address_and_comes_last() {
    let event_text = |c: &mut Client| match run(c, error_input("TypeError", "bad")) {
        Outcome::Send(env) => {
            let text = String::from_utf8(env.bytes).unwrap();
            let start = text.find("\"user\":").expect("a user");
            let end = start + text[start..].find("},\"").unwrap() + 1;
            text[start..end].to_string()
        }
        other => panic!("not sent: {other:?}"),
    };
    let mut c = client(json!({"sendDefaultPii": true, "runtime": "browser", "dedupe": false}));
    assert!(c.pii().infer_ip);
    assert_eq!(event_text(&mut c), r#""user":{"ip_address":"{{auto}}"}"#);
    c.scope_set(ISOLATION, ScopeOp::SetUser, None, Some(r#"{"ip_address": null, "id": "u"}"#));
    assert_eq!(event_text(&mut c), r#""user":{"id":"u","ip_address":"{{auto}}"}"#, "a null address is replaced, at the end");
    c.scope_set(ISOLATION, ScopeOp::SetUser, None, Some(r#"{"ip_address": "10.1.2.3", "id": "u"}"#));
    assert_eq!(event_text(&mut c), r#""user":{"ip_address":"10.1.2.3","id":"u"}"#, "a given address is kept in place");
}

#[test]
fn thrown_data_is_the_serialized_extra_over_an_event_extra_of_that_name() {
    let mut c = client(json!({}));
    let mut input = error_input("TypeError", "bad");
    input["exception"]["data"] = json!({"code": 7});
    input["event"] = json!({"extra": {"a": 1, "__serialized__": "postgres://app:hunter2@db/app", "b": 2}});
    let Outcome::Send(env) = run(&mut c, input) else { panic!("dropped") };
    let text = String::from_utf8(env.bytes).unwrap();
    assert!(text.contains(r#""extra":{"__serialized__":{"code":7},"a":1,"b":2}"#), "{text}");
    let ev = split(text.as_bytes()).2;
    assert!(ev.get("_meta").is_none(), "the replaced value's remarks are not sent: {ev}");
}

#[test]
fn a_repeated_member_of_the_apps_event_is_sent_once_with_the_last_value_at_the_last_place() {
    let mut c = client(json!({}));
    let input = r#"{"timestamp": 1700000000000, "event": {"dist": "1", "server_name": "s", "dist": "2", "modules": {"m": "1"}}}"#;
    let Outcome::Send(env) = c.capture(input, &[], IDS, 1_700_000_000_500.0, &[7; CAPTURE_RANDOM_BYTES], false) else { panic!("dropped") };
    let text = String::from_utf8(env.bytes).unwrap();
    assert!(text.contains(r#""server_name":"s","dist":"2","modules":"#), "{text}");
    assert_eq!(text.matches("\"dist\"").count(), 1, "{text}");
}

