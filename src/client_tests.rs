//! Tests of the capture pipeline in `client.rs`.

use super::*;
use crate::reasons::{Category, Reason};
use serde_json::json;

const DSN: &str = "http://abc123@127.0.0.1:8000/7";

fn client(opts: Value) -> Client {
    let mut o = json!({"dsn": DSN, "runtime": "node", "release": "app@1"});
    if let (Value::Object(base), Value::Object(extra)) = (&mut o, opts) {
        base.extend(extra);
    }
    Client::from_value(o)
}

fn split(envelope: &[u8]) -> (Value, Value, Value) {
    let text = std::str::from_utf8(envelope).unwrap();
    let mut lines = text.splitn(3, '\n');
    let h: Value = serde_json::from_str(lines.next().unwrap()).unwrap();
    let ih: Value = serde_json::from_str(lines.next().unwrap()).unwrap();
    let rest = lines.next().unwrap();
    let len = ih["length"].as_u64().unwrap() as usize;
    assert_eq!(&rest[len..], "\n", "payload is exactly `length` bytes");
    (h, ih, serde_json::from_str(&rest[..len]).unwrap())
}

fn sent(outcome: Outcome) -> (String, Value) {
    match outcome {
        Outcome::Send { event_id, envelope } => (event_id, split(&envelope).2),
        Outcome::Dropped(d) => panic!("dropped: {d:?}"),
    }
}

fn error_input(ty: &str, msg: &str) -> CaptureInput {
    CaptureInput {
        exception: Some(Thrown { kind: "error".into(), name: Some(ty.into()), message: Some(msg.into()), ..Default::default() }),
        timestamp: 1_700_000_000_000.0,
        ..Default::default()
    }
}

fn run(c: &mut Client, input: CaptureInput) -> Outcome {
    c.capture(input, ScopeIds::default(), 1_700_000_000_500.0, &[7; 20])
}

#[test]
fn exception_becomes_a_complete_envelope() {
    let mut c = client(json!({}));
    let Outcome::Send { event_id, envelope } = run(&mut c, error_input("TypeError", "bad")) else { panic!("dropped") };
    assert!(ids::is_event_id(&event_id));
    let (h, ih, ev) = split(&envelope);
    assert_eq!(h["event_id"], event_id.as_str());
    assert_eq!(h["sent_at"], "2023-11-14T22:13:20.500Z");
    assert_eq!(h["sdk"]["name"], "oxeye.javascript.node");
    assert!(h.get("dsn").is_none(), "dsn header only when tunnelling");
    assert_eq!(ih["type"], "event");
    assert_eq!(ev["event_id"], event_id.as_str());
    assert_eq!(ev["platform"], "javascript");
    assert_eq!(ev["level"], "error");
    assert_eq!(ev["release"], "app@1");
    assert_eq!(ev["environment"], "production");
    assert_eq!(ev["timestamp"], 1_700_000_000.0);
    assert_eq!(ev["sdk"]["version"], VERSION);
    assert_eq!(ev["exception"]["values"][0]["type"], "TypeError");
    assert_eq!(ev["exception"]["values"][0]["mechanism"]["type"], "generic");
    assert_eq!(ev["exception"]["values"][0]["mechanism"]["handled"], true);
}

#[test]
fn message_and_queued_id() {
    let mut c = client(json!({}));
    let id = "0123456789abcdef0123456789abcdef";
    let input = CaptureInput { message: Some("hi".into()), event_id: Some(id.into()), level: Some("warning".into()), ..Default::default() };
    let (event_id, ev) = sent(run(&mut c, input));
    assert_eq!(event_id, id);
    assert_eq!(ev["logentry"]["formatted"], "hi");
    assert_eq!(ev["level"], "warning");
    let (_, info) = sent(run(&mut c, CaptureInput { message: Some("default level".into()), ..Default::default() }));
    assert_eq!(info["level"], "info");
}

#[test]
fn capture_event_keeps_given_fields() {
    let mut c = client(json!({}));
    let input = CaptureInput { event: Some(json!({"message": "m", "environment": "staging", "tags": {"a": "b"}})), ..Default::default() };
    let (_, ev) = sent(run(&mut c, input));
    assert_eq!(ev["environment"], "staging");
    assert_eq!(ev["tags"]["a"], "b");
    assert_eq!(ev["platform"], "javascript");
    assert_eq!(ev["logentry"]["formatted"], "m");
    assert!(ev.get("message").is_none());
}

#[test]
fn missing_or_bad_dsn_disables_and_reports_nothing() {
    let mut c = Client::from_value(json!({}));
    assert!(!c.is_enabled());
    assert!(c.dsn_error().is_none());
    assert!(matches!(run(&mut c, CaptureInput::default()), Outcome::Dropped(Dropped { reason: Reason::Disabled, .. })));
    assert!(c.outcomes().is_empty(), "a disabled SDK counts nothing");
    let c = Client::from_value(json!({"dsn": "ftp://k@h/1"}));
    assert!(c.dsn_error().unwrap().contains("scheme"), "{:?}", c.dsn_error());
    assert!(c.url().is_none());
    let mut off = client(json!({"enabled": false}));
    assert!(matches!(run(&mut off, CaptureInput::default()), Outcome::Dropped(Dropped { reason: Reason::Disabled, .. })));
}

#[test]
fn tunnel_puts_dsn_in_header_without_secret() {
    let mut c = Client::from_value(json!({"dsn": "https://pub:sec@o1.ingest.sentry.io/5", "tunnel": "/tunnel"}));
    assert_eq!(c.url().unwrap(), "/tunnel");
    let Outcome::Send { envelope, .. } = run(&mut c, CaptureInput { message: Some("x".into()), ..Default::default() }) else { panic!() };
    let (h, _, _) = split(&envelope);
    let dsn = h["dsn"].as_str().unwrap();
    assert!(dsn.contains("pub@") && !dsn.contains("sec"), "{dsn}");
}

#[test]
fn endpoint_url_has_query_auth() {
    let url = client(json!({})).url().unwrap();
    assert!(url.starts_with("http://127.0.0.1:8000/api/7/envelope/?"), "{url}");
    assert!(url.contains("sentry_key=abc123") && url.contains("sentry_version=7"), "{url}");
    assert!(url.contains("sentry_client=oxeye.javascript"), "{url}");
}

#[test]
fn sampling_uses_host_randomness_and_counts_drops() {
    let mut c = client(json!({"sampleRate": 0.5}));
    let mut low = [0u8; 20];
    low[16..20].copy_from_slice(&(u32::MAX / 4).to_le_bytes());
    let mut high = [0u8; 20];
    high[16..20].copy_from_slice(&(u32::MAX / 4 * 3).to_le_bytes());
    assert!(matches!(c.capture(error_input("E", "kept"), ScopeIds::default(), 0.0, &low), Outcome::Send { .. }));
    match c.capture(error_input("E", "dropped"), ScopeIds::default(), 0.0, &high) {
        Outcome::Dropped(d) => assert_eq!(d.reason, Reason::SampleRate),
        other => panic!("{other:?}"),
    }
    assert_eq!(c.outcomes().count(Reason::SampleRate, Category::Error), 1);
    let mut none = client(json!({"sampleRate": 0}));
    assert!(matches!(none.capture(error_input("E", "x"), ScopeIds::default(), 0.0, &low), Outcome::Dropped(_)));
}

#[test]
fn scopes_apply_in_order_and_capture_data_wins() {
    let mut c = client(json!({}));
    c.scope_mut(GLOBAL_SCOPE).set_tag("layer", &json!("global"));
    c.scope_mut(ISOLATION_SCOPE).set_tag("layer", &json!("isolation"));
    c.scope_mut(ISOLATION_SCOPE).set_user(json!({"id": "u1"}));
    c.fork_scope(CURRENT_SCOPE, 9);
    c.scope_mut(9).set_tag("layer", &json!("with-scope"));
    c.scope_mut(9).level = Some("warning".into());
    let ids = ScopeIds { current: 9, ..Default::default() };
    let mut input = error_input("E", "x");
    input.event = Some(json!({"tags": {"hint": "yes"}}));
    let (_, ev) = sent(c.capture(input, ids, 0.0, &[1; 20]));
    assert_eq!(ev["tags"], json!({"layer": "with-scope", "hint": "yes"}));
    assert_eq!(ev["user"]["id"], "u1");
    assert_eq!(ev["level"], "warning", "scope level applies when the capture sets none");
    c.drop_scope(9);
    let (_, outside) = sent(run(&mut c, error_input("E", "outside")));
    assert_eq!(outside["tags"]["layer"], "isolation", "the forked scope is gone");
    assert_eq!(outside["level"], "error");
}

#[test]
fn breadcrumbs_are_stamped_bounded_and_attached() {
    let mut c = client(json!({"maxBreadcrumbs": 2}));
    for (i, m) in ["a", "b", "c"].iter().enumerate() {
        c.add_breadcrumb(ISOLATION_SCOPE, json!({"message": m}), 1_000.0 * (i as f64 + 1.0));
    }
    let (_, ev) = sent(run(&mut c, error_input("E", "x")));
    let crumbs = ev["breadcrumbs"]["values"].as_array().unwrap();
    assert_eq!(crumbs.len(), 2);
    assert_eq!(crumbs[0]["message"], "b");
    assert_eq!(crumbs[1]["timestamp"], 3.0);
    let mut off = client(json!({"maxBreadcrumbs": 0}));
    off.add_breadcrumb(ISOLATION_SCOPE, json!({"message": "x"}), 0.0);
    let (_, ev) = sent(run(&mut off, error_input("E", "x")));
    assert!(ev.get("breadcrumbs").is_none());
}

#[test]
fn filters_and_dedupe_drop_with_event_processor_reason() {
    let mut c = client(json!({"ignoreErrors": ["flaky backend"]}));
    assert!(matches!(run(&mut c, error_input("Error", "flaky backend timeout")), Outcome::Dropped(Dropped { reason: Reason::EventProcessor, .. })));
    assert!(matches!(run(&mut c, error_input("Error", "Script error.")), Outcome::Dropped(_)));
    assert!(matches!(run(&mut c, error_input("Error", "real")), Outcome::Send { .. }));
    assert!(matches!(run(&mut c, error_input("Error", "real")), Outcome::Dropped(Dropped { reason: Reason::EventProcessor, .. })), "duplicate");
    assert!(matches!(run(&mut c, error_input("Error", "other")), Outcome::Send { .. }));
    assert_eq!(c.outcomes().count(Reason::EventProcessor, Category::Error), 3);
    let mut http = error_input("HTTPError", "Not Found");
    http.exception.as_mut().unwrap().http_status = Some(404);
    assert!(matches!(run(&mut c, http.clone()), Outcome::Dropped(_)), "4xx not sent by default");
    http.exception.as_mut().unwrap().http_status = Some(503);
    let (_, ev) = sent(run(&mut c, http));
    assert_eq!(ev["contexts"]["response"]["status_code"], 503);
    let mut no_dedupe = client(json!({"dedupe": false}));
    assert!(matches!(run(&mut no_dedupe, error_input("E", "same")), Outcome::Send { .. }));
    assert!(matches!(run(&mut no_dedupe, error_input("E", "same")), Outcome::Send { .. }));
}

#[test]
fn staged_pipeline_and_client_reports() {
    let mut c = client(json!({}));
    let (id, mut ev) = c.prepare(error_input("E", "staged"), ScopeIds::default(), 0.0, &[3; 20]).unwrap();
    c.screen(&id, &ev).unwrap();
    ev["tags"] = json!({"changed_by": "beforeSend"});
    let (_, out) = sent(c.finish(&id, ev, 0.0));
    assert_eq!(out["tags"]["changed_by"], "beforeSend");
    assert!(matches!(c.finish(&id, json!("junk"), 0.0), Outcome::Dropped(Dropped { reason: Reason::InternalSdkError, .. })));
    c.record(Reason::BeforeSend, Category::Error, 2);
    let report = String::from_utf8(c.take_client_report(0.0).unwrap()).unwrap();
    assert!(report.contains("\"type\":\"client_report\""), "{report}");
    assert!(report.contains("before_send") && report.contains("internal_sdk_error"), "{report}");
    assert!(c.take_client_report(0.0).is_none(), "counts are taken once");
}

#[test]
fn host_context_and_request_url() {
    let mut c = client(json!({"host": {"userAgent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.1.2 Safari/537.36", "locale": "en-GB", "timezone": "UTC"}}));
    let mut input = error_input("E", "x");
    input.url = Some("http://127.0.0.1/page?q=1".into());
    let (_, ev) = sent(run(&mut c, input));
    assert_eq!(ev["contexts"]["browser"]["name"], "Chrome");
    assert_eq!(ev["contexts"]["os"]["name"], "Linux");
    assert_eq!(ev["contexts"]["culture"]["locale"], "en-GB");
    assert_eq!(ev["request"]["url"], "http://127.0.0.1/page?q=1");
    assert!(ev["request"]["headers"]["User-Agent"].as_str().unwrap().contains("Chrome"));
}
