//! Dedupe: an error identical to the previous one (same type, value, frames, message,
//! fingerprint and trace) is not sent twice. Only the previous event's signature is kept.
//! The trace is part of it because on a server each request has its own: the same error
//! in two requests is two failures.

use serde_json::Value;

/// Remembers the signature of the last event that passed.
#[derive(Debug, Clone, Default)]
pub struct Dedupe {
    last: Option<String>,
}

/// What makes two events the same for dedupe purposes.
pub fn signature(event: &Value) -> String {
    let mut sig = String::new();
    let mut push = |v: Option<&Value>| {
        if let Some(v) = v {
            sig.push_str(&v.to_string());
        }
        sig.push('\u{1f}');
    };
    push(event.pointer("/logentry/formatted"));
    push(event.get("fingerprint"));
    push(event.pointer("/contexts/trace/trace_id"));
    if let Some(values) = event.pointer("/exception/values").and_then(Value::as_array) {
        for ex in values {
            push(ex.get("type"));
            push(ex.get("value"));
            if let Some(frames) = ex.pointer("/stacktrace/frames").and_then(Value::as_array) {
                for f in frames {
                    push(f.get("filename"));
                    push(f.get("function"));
                    push(f.get("lineno"));
                    push(f.get("colno"));
                }
            }
        }
    }
    sig
}

impl Dedupe {
    /// True when `event` repeats the previous one; otherwise remembers it.
    pub fn is_duplicate(&mut self, event: &Value) -> bool {
        let sig = signature(event);
        if self.last.as_deref() == Some(sig.as_str()) {
            return true;
        }
        self.last = Some(sig);
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ev(value: &str, line: u32) -> Value {
        json!({"exception": {"values": [{"type": "E", "value": value, "stacktrace": {"frames": [{"filename": "a.js", "lineno": line}]}}]}})
    }

    #[test]
    fn only_an_exact_repeat_of_the_previous_event_is_a_duplicate() {
        let mut d = Dedupe::default();
        assert!(!d.is_duplicate(&ev("x", 1)));
        assert!(d.is_duplicate(&ev("x", 1)));
        assert!(!d.is_duplicate(&ev("x", 2)), "other frames");
        assert!(!d.is_duplicate(&ev("x", 1)), "not the previous one any more");
        assert!(!d.is_duplicate(&ev("y", 1)), "other value");
        let mut fp = ev("y", 1);
        fp["fingerprint"] = json!(["custom"]);
        assert!(!d.is_duplicate(&fp), "other fingerprint");
        assert!(!d.is_duplicate(&json!({"logentry": {"formatted": "m"}})));
        assert!(d.is_duplicate(&json!({"logentry": {"formatted": "m"}})));
    }

    #[test]
    fn the_same_error_in_another_trace_is_another_failure() {
        let mut d = Dedupe::default();
        let mut a = ev("x", 1);
        a["contexts"] = json!({"trace": {"trace_id": "a".repeat(32)}});
        let mut b = a.clone();
        b["contexts"]["trace"]["trace_id"] = json!("b".repeat(32));
        assert!(!d.is_duplicate(&a));
        assert!(d.is_duplicate(&a), "same trace: a repeat");
        assert!(!d.is_duplicate(&b), "another request's trace");
    }
}
