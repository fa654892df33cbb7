//! Client-report bookkeeping: every event or item the SDK does not deliver is counted
//! here by `(reason, category)`, and the counts leave in batches as one `client_report`
//! item, never one envelope per drop.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::{envelope, time};

/// Discarded-event counts waiting to be reported.
#[derive(Debug, Clone, Default)]
pub struct Outcomes {
    counts: BTreeMap<(&'static str, &'static str), u64>,
}

impl Outcomes {
    /// Counts `quantity` discarded items of `category` for `reason` (Sentry's names,
    /// e.g. `before_send` / `error`).
    pub fn record(&mut self, reason: &'static str, category: &'static str, quantity: u64) {
        if quantity > 0 {
            *self.counts.entry((reason, category)).or_insert(0) += quantity;
        }
    }

    /// True when nothing is waiting.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// The count recorded so far for one reason and category.
    pub fn count(&self, reason: &str, category: &str) -> u64 {
        self.counts.iter().filter(|((r, c), _)| *r == reason && *c == category).map(|(_, n)| *n).sum()
    }

    /// Takes everything recorded as a `client_report` payload, or None when empty.
    pub fn take_report(&mut self, now_ms: f64) -> Option<Vec<u8>> {
        if self.counts.is_empty() {
            return None;
        }
        let discarded: Vec<Value> = std::mem::take(&mut self.counts)
            .into_iter()
            .map(|((reason, category), quantity)| json!({ "reason": reason, "category": category, "quantity": quantity }))
            .collect();
        let report = json!({ "timestamp": time::unix_seconds(now_ms), "discarded_events": discarded });
        serde_json::to_vec(&report).ok()
    }

    /// Takes everything recorded as a whole envelope holding one `client_report` item.
    pub fn take_envelope(&mut self, now_ms: f64) -> Option<Vec<u8>> {
        self.take_envelope_for(None, now_ms)
    }

    /// Same, naming `dsn` in the envelope header when given (envelopes sent through a
    /// tunnel must name their DSN).
    pub fn take_envelope_for(&mut self, dsn: Option<&str>, now_ms: f64) -> Option<Vec<u8>> {
        let payload = self.take_report(now_ms)?;
        let mut headers = Map::new();
        headers.insert("sent_at".into(), Value::from(time::rfc3339(now_ms)));
        if let Some(d) = dsn {
            headers.insert("dsn".into(), Value::from(d));
        }
        Some(envelope::build(&headers, &[(envelope::item_headers("client_report"), payload)]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_counts_by_reason_and_category() {
        let mut o = Outcomes::default();
        assert!(o.take_report(0.0).is_none());
        o.record("sample_rate", "error", 1);
        o.record("sample_rate", "error", 2);
        o.record("before_send", "error", 1);
        o.record("queue_overflow", "error", 0);
        assert_eq!(o.count("sample_rate", "error"), 3);
        let report: Value = serde_json::from_slice(&o.take_report(1_000.0).unwrap()).unwrap();
        assert_eq!(report["timestamp"], 1.0);
        let d = report["discarded_events"].as_array().unwrap();
        assert_eq!(d.len(), 2);
        assert!(d.contains(&json!({"reason": "sample_rate", "category": "error", "quantity": 3})));
        assert!(d.contains(&json!({"reason": "before_send", "category": "error", "quantity": 1})));
        assert!(o.is_empty(), "taking a report empties the counts");
    }

    #[test]
    fn envelope_has_one_client_report_item() {
        let mut o = Outcomes::default();
        o.record("network_error", "error", 4);
        let env = String::from_utf8(o.take_envelope(0.0).unwrap()).unwrap();
        let lines: Vec<&str> = env.trim_end().split('\n').collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[1].contains("\"type\":\"client_report\""));
        assert!(lines[2].contains("network_error"));
        assert!(!lines[0].contains("dsn"));
        o.record("send_error", "error", 1);
        let tunnelled = String::from_utf8(o.take_envelope_for(Some("https://k@h/1"), 0.0).unwrap()).unwrap();
        let header: Value = serde_json::from_str(tunnelled.split('\n').next().unwrap()).unwrap();
        assert_eq!(header["dsn"], "https://k@h/1");
    }
}
