//! Client-report bookkeeping: every event or item the SDK does not deliver is counted
//! here by `(reason, category)`, and the counts leave in batches as one `client_report`
//! item, never one envelope per drop.

use crate::json::write::{self as w, Arr, Obj};
use crate::protocol::envelope::{Envelope, Writer};
use crate::reasons::{Category, Reason};

/// Distinct `(reason, category)` pairs kept; more are folded into the last one counted
/// (never reached in practice: 10 reasons × 12 categories).
const MAX_PAIRS: usize = 128;

/// Discarded-event counts waiting to be reported.
#[derive(Debug, Clone, Default)]
pub struct Outcomes {
    counts: Vec<(Reason, Category, u64)>,
}

impl Outcomes {
    /// Counts `quantity` discarded items of `category` for `reason`. Reasons that are not
    /// counted ([`Reason::Disabled`]) are ignored.
    pub fn record(&mut self, reason: Reason, category: Category, quantity: u64) {
        if quantity == 0 || !reason.is_counted() {
            return;
        }
        if let Some(slot) = self.counts.iter_mut().find(|(r, c, _)| *r == reason && *c == category) {
            slot.2 = slot.2.saturating_add(quantity);
        } else if self.counts.len() < MAX_PAIRS {
            self.counts.push((reason, category, quantity));
        }
    }

    /// True when nothing is waiting.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// The count recorded so far for one reason and category.
    pub fn count(&self, reason: Reason, category: Category) -> u64 {
        self.counts.iter().filter(|(r, c, _)| *r == reason && *c == category).map(|e| e.2).sum()
    }

    /// Takes everything recorded as a `client_report` payload, or None when empty.
    pub fn take_report(&mut self, now_ms: f64) -> Option<Vec<u8>> {
        if self.counts.is_empty() {
            return None;
        }
        let mut out = Vec::with_capacity(64 + self.counts.len() * 64);
        let mut o = Obj::new(&mut out);
        w::seconds(o.name("timestamp"), now_ms);
        let mut a = Arr::new(o.name("discarded_events"));
        for &(reason, category, quantity) in &self.counts {
            let mut d = Obj::new(a.item());
            d.str("reason", reason.as_str());
            d.str("category", category.as_str());
            d.uint("quantity", quantity);
            d.end();
        }
        a.end();
        o.end();
        self.counts.clear();
        Some(out)
    }

    /// Takes everything recorded as a whole envelope holding one `client_report` item
    /// (category `internal`, quantity 1). `dsn` is named in the header when given
    /// (envelopes sent through a tunnel must name their DSN); `sdk` is `(name, version)`.
    pub fn take_envelope(&mut self, dsn: Option<&str>, sdk: (&str, &str), now_ms: f64) -> Option<Envelope> {
        let payload = self.take_report(now_ms)?;
        Some(one_item(now_ms, dsn, sdk, "client_report", &payload, Category::Internal))
    }
}

/// Opens an envelope of the SDK's own records (client reports, sessions): `sent_at`, then
/// `dsn` when given (tunnel), then `sdk` as `(name, version)`.
pub fn writer(now_ms: f64, capacity: usize, dsn: Option<&str>, sdk: (&str, &str)) -> Writer {
    let mut e = Writer::new(now_ms, capacity);
    if let Some(d) = dsn {
        w::string(e.header("dsn"), d);
    }
    write_sdk(e.header("sdk"), sdk, None);
    e
}

/// An envelope of the SDK's own records ([`writer`]'s header) holding one item of `ty`
/// (quantity 1 of `category`).
pub fn one_item(now_ms: f64, dsn: Option<&str>, sdk: (&str, &str), ty: &str, payload: &[u8], category: Category) -> Envelope {
    let mut e = writer(now_ms, payload.len(), dsn, sdk);
    e.item_bytes(ty, payload);
    e.finish(category, 1)
}

/// Writes `{"name":…,"version":…}`, with `settings.infer_ip` when given (an event's `sdk`;
/// envelope headers give none).
pub fn write_sdk(out: &mut Vec<u8>, (name, version): (&str, &str), infer_ip: Option<&str>) {
    let mut o = Obj::new(out);
    o.str("name", name);
    o.str("version", version);
    if let Some(mode) = infer_ip {
        let mut st = Obj::new(o.name("settings"));
        st.str("infer_ip", mode);
        st.end();
    }
    o.end();
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    const SDK: (&str, &str) = ("oxeye.javascript", "0.1.0");

    #[test]
    fn batches_counts_by_reason_and_category() {
        let mut o = Outcomes::default();
        assert!(o.take_report(0.0).is_none());
        o.record(Reason::SampleRate, Category::Error, 1);
        o.record(Reason::SampleRate, Category::Error, 2);
        o.record(Reason::BeforeSend, Category::Error, 1);
        o.record(Reason::QueueOverflow, Category::Error, 0);
        o.record(Reason::Disabled, Category::Error, 5);
        assert_eq!(o.count(Reason::SampleRate, Category::Error), 3);
        assert_eq!(o.count(Reason::Disabled, Category::Error), 0, "a disabled SDK counts nothing");
        let report: Value = serde_json::from_slice(&o.take_report(1_000.0).unwrap()).unwrap();
        assert_eq!(report["timestamp"], 1);
        let d = report["discarded_events"].as_array().unwrap();
        assert_eq!(d.len(), 2);
        assert!(d.contains(&json!({"reason": "sample_rate", "category": "error", "quantity": 3})));
        assert!(d.contains(&json!({"reason": "before_send", "category": "error", "quantity": 1})));
        assert!(o.is_empty(), "taking a report empties the counts");
    }

    #[test]
    fn envelope_has_one_client_report_item() {
        let mut o = Outcomes::default();
        o.record(Reason::NetworkError, Category::Error, 4);
        let env = o.take_envelope(None, SDK, 0.0).unwrap();
        assert_eq!((env.category, env.quantity), (Category::Internal, 1));
        let text = String::from_utf8(env.bytes).unwrap();
        let lines: Vec<Value> = text.trim_end().split('\n').map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[1]["type"], "client_report");
        assert_eq!(lines[2]["discarded_events"][0]["reason"], "network_error");
        assert!(lines[0].get("dsn").is_none());
        assert_eq!(lines[0]["sdk"]["name"], "oxeye.javascript");
        o.record(Reason::SendError, Category::Error, 1);
        let tunnelled = o.take_envelope(Some("https://k@h/1"), SDK, 0.0).unwrap();
        let header: Value = serde_json::from_str(std::str::from_utf8(&tunnelled.bytes).unwrap().split('\n').next().unwrap()).unwrap();
        assert_eq!(header["dsn"], "https://k@h/1");
    }
}
