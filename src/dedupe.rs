//! Dedupe: an error identical to the previous one (same type, value, frames, message,
//! fingerprint and trace) is not sent twice. The trace counts because on a server each
//! request has its own: the same error in two requests is two failures. Only a 64-bit
//! hash of the previous event's signature is kept; the signature is read from the event
//! text with the tokenizer (raw JSON slices hashed, nothing re-serialised).

use crate::protocol::event::View;

/// Remembers the signature of the last event that passed.
#[derive(Debug, Clone, Default)]
pub struct Dedupe {
    last: Option<u64>,
}

/// A running hash of raw JSON texts (a word at a time: xor, multiply, shift), each
/// followed by a separator that holds its length.
pub struct Signature(u64);

impl Signature {
    /// An empty signature.
    pub fn new() -> Signature {
        Signature(0xcbf2_9ce4_8422_2325)
    }

    /// Adds one raw JSON text (None: the field is absent).
    pub fn push(&mut self, raw: Option<&str>) {
        self.push_bytes(raw.map(str::as_bytes));
    }

    /// [`Signature::push`] for bytes: eight at a time, then the rest one by one, then a
    /// separator (so `["ab","c"]` and `["a","bc"]` differ).
    pub fn push_bytes(&mut self, raw: Option<&[u8]>) {
        let raw = raw.unwrap_or(b"");
        let mut words = raw.chunks_exact(8);
        for w in &mut words {
            let mut b = [0u8; 8];
            b.copy_from_slice(w);
            self.mix(u64::from_le_bytes(b));
        }
        for &b in words.remainder() {
            self.mix(u64::from(b));
        }
        self.mix(0x1f_0000_0000_0000 | raw.len() as u64);
    }

    /// Adds a raw JSON value as the event's summary hashes it, a string unescaped and
    /// anything else as written; gives back the string, if it is one.
    #[inline(never)]
    pub fn push_text<'a>(&mut self, raw: Option<&'a str>) -> Option<std::borrow::Cow<'a, str>> {
        let s = raw.and_then(crate::json::read::string);
        self.push(match &s {
            Some(t) => Some(t),
            None => raw,
        });
        s
    }

    fn mix(&mut self, x: u64) {
        self.0 = (self.0 ^ x).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        self.0 ^= self.0 >> 29;
    }

    /// The hash.
    pub fn finish(&self) -> u64 {
        self.0
    }
}

impl Default for Signature {
    fn default() -> Signature {
        Signature::new()
    }
}

/// What makes two events the same for dedupe purposes, hashed (read with the rest of the
/// event's summary).
pub fn signature(event: &View) -> u64 {
    crate::protocol::summary::Summary::of_view(event).signature
}

impl Dedupe {
    /// True when the event with signature `sig` repeats the previous one; otherwise
    /// remembers it, when it is sent (`sent`: an event sampled out is no previous event).
    pub fn is_duplicate(&mut self, sig: u64, sent: bool) -> bool {
        if self.last == Some(sig) {
            return true;
        }
        if sent {
            self.last = Some(sig);
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn ev(value: &str, line: u32) -> Value {
        json!({"exception": {"values": [{"type": "E", "value": value, "stacktrace": {"frames": [{"filename": "a.js", "lineno": line}]}}]}})
    }

    fn dup(d: &mut Dedupe, v: &Value) -> bool {
        d.is_duplicate(signature(&View::of(&v.to_string())), true)
    }

    #[test]
    fn only_an_exact_repeat_of_the_previous_event_is_a_duplicate() {
        let mut d = Dedupe::default();
        assert!(!dup(&mut d, &ev("x", 1)));
        assert!(dup(&mut d, &ev("x", 1)));
        assert!(!dup(&mut d, &ev("x", 2)), "other frames");
        assert!(!dup(&mut d, &ev("x", 1)), "not the previous one any more");
        assert!(!dup(&mut d, &ev("y", 1)), "other value");
        let mut fp = ev("y", 1);
        fp["fingerprint"] = json!(["custom"]);
        assert!(!dup(&mut d, &fp), "other fingerprint");
        assert!(!dup(&mut d, &json!({"logentry": {"formatted": "m"}})));
        assert!(dup(&mut d, &json!({"logentry": {"formatted": "m"}})));
        let mut other_id = json!({"event_id": "b", "logentry": {"formatted": "m"}});
        assert!(dup(&mut d, &other_id), "ids and timestamps do not count");
        other_id["level"] = json!("info");
        assert!(dup(&mut d, &other_id));
    }

    #[test]
    fn the_same_error_in_another_trace_is_another_failure() {
        let mut d = Dedupe::default();
        let mut a = ev("x", 1);
        a["contexts"] = json!({"trace": {"trace_id": "a".repeat(32)}});
        let mut b = a.clone();
        b["contexts"]["trace"]["trace_id"] = json!("b".repeat(32));
        assert!(!dup(&mut d, &a));
        assert!(dup(&mut d, &a), "same trace: a repeat");
        assert!(!dup(&mut d, &b), "another request's trace");
    }
}
