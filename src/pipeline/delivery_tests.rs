//! Tests of the pipeline's delivery bookkeeping: the `dsn` header of client reports sent
//! through a tunnel.

use super::*;
use crate::reasons::{Category, Reason};
use serde_json::{json, Value};

const DSN: &str = "http://abc123@127.0.0.1:8000/7";

fn client(v: Value) -> Client {
    Client::from_json(&v.to_string())
}

fn header(envelope: &[u8]) -> Value {
    let end = envelope.iter().position(|b| *b == b'\n').unwrap();
    serde_json::from_slice(&envelope[..end]).unwrap()
}

#[test]
fn tunnelled_client_reports_name_their_dsn() {
    let mut c = client(json!({ "dsn": "https://pub:sec@o1.ingest.sentry.io/5", "tunnel": "/t" }));
    assert_eq!(c.envelope_dsn(), Some("https://pub@o1.ingest.sentry.io/5"));
    c.record(Reason::NetworkError, Category::Error, 1);
    let report = c.take_client_report(0.0).unwrap();
    assert_eq!(header(&report.bytes)["dsn"], "https://pub@o1.ingest.sentry.io/5");
    assert!(client(json!({ "dsn": DSN })).envelope_dsn().is_none());
}
