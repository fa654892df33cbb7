//! Envelope framing: one line of headers, then per item a line of item headers (with the
//! payload's exact byte `length`) and the payload.
//!
//! Every envelope the core writes starts with `{"sent_at":"YYYY-MM-DDTHH:MM:SS.mmmZ",`:
//! the 24-character timestamp sits at byte [`SENT_AT_OFFSET`], so the shim's delivery
//! (`stampSentAt` in `js/delivery/delivery.ts`) rewrites it in place when the envelope is
//! actually sent (or re-sent from storage).
//! The envelope reports its data category and item count next to its bytes, so nobody
//! reads them back out of the bytes.

use crate::json::write::{self as w, Obj};
use crate::reasons::Category;
use crate::time;

/// Byte offset of the `sent_at` timestamp in every envelope the core writes.
pub const SENT_AT_OFFSET: usize = 12;
/// Length of the `sent_at` timestamp.
pub const SENT_AT_LEN: usize = 24;

/// Finished envelope bytes with what they carry.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    /// The wire bytes.
    pub bytes: Vec<u8>,
    /// The data category of its item(s), for rate limits and client reports.
    pub category: Category,
    /// How many items of that category it carries.
    pub quantity: u32,
}

/// Writes an envelope: [`Writer::new`] opens the header object (with `sent_at`), the
/// caller adds header fields with [`Writer::header`], then items with [`Writer::item`].
pub struct Writer {
    out: Vec<u8>,
    items: bool,
}

fn push_sent_at(out: &mut Vec<u8>, now_ms: f64) {
    let at = out.len();
    time::write_rfc3339(out, now_ms);
    // Years past 9999 would not fit the fixed width; the epoch is the honest fallback.
    if out.len() - at != SENT_AT_LEN + 2 {
        out.truncate(at);
        time::write_rfc3339(out, 0.0);
    }
}

impl Writer {
    /// Opens an envelope whose header starts with `sent_at` = `now_ms`.
    pub fn new(now_ms: f64, capacity: usize) -> Writer {
        let mut out = Vec::with_capacity(capacity + 160);
        out.extend_from_slice(b"{\"sent_at\":");
        push_sent_at(&mut out, now_ms);
        Writer { out, items: false }
    }

    /// Adds one header field: writes its key and returns the buffer for its JSON value
    /// (one routine for every header; the caller writes the value).
    pub fn header(&mut self, name: &'static str) -> &mut Vec<u8> {
        debug_assert!(w::is_plain_name(name), "{name:?} needs escaping");
        self.out.extend_from_slice(b",\"");
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b"\":");
        &mut self.out
    }

    /// Adds one item of `ty` with its payload (valid JSON, written by `write`).
    pub fn item(&mut self, ty: &str, write: impl FnOnce(&mut Vec<u8>)) {
        if !self.items {
            self.out.extend_from_slice(b"}\n");
            self.items = true;
        }
        let mut payload = Vec::new();
        write(&mut payload);
        self.item_bytes(ty, &payload);
    }

    /// Adds one item of `ty` whose payload is already written.
    pub fn item_bytes(&mut self, ty: &str, payload: &[u8]) {
        if !self.items {
            self.out.extend_from_slice(b"}\n");
            self.items = true;
        }
        let mut h = Obj::new(&mut self.out);
        h.str("type", ty);
        h.uint("length", payload.len() as u64);
        h.end();
        self.out.push(b'\n');
        self.out.extend_from_slice(payload);
        self.out.push(b'\n');
    }

    /// The finished bytes.
    pub fn finish(mut self, category: Category, quantity: u32) -> Envelope {
        if !self.items {
            self.out.extend_from_slice(b"}\n");
        }
        Envelope { bytes: self.out, category, quantity }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn lines(bytes: &[u8]) -> Vec<Value> {
        let text = std::str::from_utf8(bytes).unwrap();
        text.trim_end().split('\n').map(|l| serde_json::from_str(l).unwrap()).collect()
    }

    #[test]
    fn header_then_items_with_lengths() {
        let mut e = Writer::new(1_700_000_000_123.0, 0);
        w::string(e.header("event_id"), "abc");
        e.item("event", |o| o.extend_from_slice(b"{\"a\":\"\xc3\xa9\"}"));
        let env = e.finish(Category::Error, 1);
        assert_eq!((env.category, env.quantity), (Category::Error, 1));
        let l = lines(&env.bytes);
        assert_eq!(l[0]["sent_at"], "2023-11-14T22:13:20.123Z");
        assert_eq!(l[0]["event_id"], "abc");
        assert_eq!(l[1]["type"], "event");
        assert_eq!(l[1]["length"], 10, "bytes, not characters");
        assert_eq!(l[2]["a"], "é");
        assert!(env.bytes.ends_with(b"}\n"));
    }

    /// The layout the shim's stamping relies on: `sent_at` first, its 24 characters at a
    /// fixed offset, for any clock value.
    #[test]
    fn sent_at_sits_at_a_fixed_offset() {
        for (now, stamp) in [(0.0, "1970-01-01T00:00:00.000Z"), (1_700_000_000_123.0, "2023-11-14T22:13:20.123Z")] {
            let mut e = Writer::new(now, 0);
            w::string(e.header("dsn"), "https://k@h/1");
            e.item("client_report", |o| o.extend_from_slice(b"{}"));
            let bytes = e.finish(Category::Internal, 1).bytes;
            assert_eq!(&bytes[..SENT_AT_OFFSET], b"{\"sent_at\":\"");
            assert_eq!(&bytes[SENT_AT_OFFSET..SENT_AT_OFFSET + SENT_AT_LEN + 2], format!("{stamp}\",").as_bytes());
            assert_eq!(lines(&bytes)[0]["sent_at"], stamp);
        }
    }
}
