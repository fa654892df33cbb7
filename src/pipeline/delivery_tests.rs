//! Tests of the pipeline's delivery bookkeeping: rate limits applied to the pipeline and to
//! client reports, and the `dsn` header of client reports sent through a tunnel.

use super::*;
use crate::reasons::{Category, Reason};
use serde_json::{json, Value};

const DSN: &str = "http://abc123@127.0.0.1:8000/7";

fn capture(c: &mut Client, now_ms: f64) -> Outcome {
    // A different message each time, so dedupe never drops one.
    let input = json!({"message": format!("m{now_ms}"), "timestamp": 1_000.0});
    c.capture(&input.to_string(), ScopeIds { current: 2, isolation: 1, global: 0 }, now_ms, &[3; 20], false)
}

fn client(v: Value) -> Client {
    Client::from_json(&v.to_string())
}

fn header(envelope: &[u8]) -> Value {
    let end = envelope.iter().position(|b| *b == b'\n').unwrap();
    serde_json::from_slice(&envelope[..end]).unwrap()
}

#[test]
fn rate_limited_events_are_dropped_before_serialisation_and_counted() {
    let mut c = client(json!({ "dsn": DSN }));
    c.rate_limits_mut().update_from_header("60:error:key", 1_000.0);
    let Outcome::Drop(reason, detail) = capture(&mut c, 2_000.0) else { panic!("sent while rate limited") };
    assert_eq!(reason, Reason::RatelimitBackoff);
    assert!(detail.contains("rate limited"), "{detail}");
    assert_eq!(c.outcomes().count(Reason::RatelimitBackoff, Category::Error), 1);
    assert!(matches!(capture(&mut c, 61_000.0), Outcome::Send(_)), "sent again once the limit ends");
    c.rate_limits_mut().update_from_header("86400:transaction;span:organization", 61_000.0);
    assert!(matches!(capture(&mut c, 62_000.0), Outcome::Send(_)), "limits on other categories do not drop errors");
    c.rate_limits_mut().on_response(429, None, Some("30"), 62_000.0);
    assert!(matches!(capture(&mut c, 63_000.0), Outcome::Drop(..)), "a 429 limits everything");
    assert_eq!(c.outcomes().count(Reason::RatelimitBackoff, Category::Error), 2);
}

#[test]
fn client_reports_wait_out_a_limit_on_everything() {
    let mut c = client(json!({ "dsn": DSN }));
    c.record(Reason::QueueOverflow, Category::Error, 3);
    c.rate_limits_mut().update_from_header("5:error", 0.0);
    assert!(c.take_client_report(1_000.0).is_some(), "a limit on errors does not hold back reports");
    c.record(Reason::QueueOverflow, Category::Error, 3);
    c.rate_limits_mut().update_from_header("10::organization", 0.0);
    assert!(c.take_client_report(1_000.0).is_none(), "client reports are covered by a limit on all");
    assert_eq!(c.outcomes().count(Reason::QueueOverflow, Category::Error), 3, "the counts wait");
    let report = c.take_client_report(10_000.0).expect("sent once the limit ends");
    assert!(header(&report.bytes).get("dsn").is_none(), "no dsn header without a tunnel");
}

#[test]
fn tunnelled_client_reports_name_their_dsn() {
    let mut c = client(json!({ "dsn": "https://pub:sec@o1.ingest.sentry.io/5", "tunnel": "/t" }));
    assert_eq!(c.envelope_dsn().as_deref(), Some("https://pub@o1.ingest.sentry.io/5"));
    c.record(Reason::NetworkError, Category::Error, 1);
    let report = c.take_client_report(0.0).unwrap();
    assert_eq!(header(&report.bytes)["dsn"], "https://pub@o1.ingest.sentry.io/5");
    assert!(client(json!({ "dsn": DSN })).envelope_dsn().is_none());
}
