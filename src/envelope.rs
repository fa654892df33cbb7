//! Envelope bytes: the wire format every item travels in.
//!
//! An envelope is one line of JSON headers, then per item a line of item headers and the
//! payload. Item headers always carry the payload's exact byte `length`, so payloads may
//! contain newlines.

use serde_json::{Map, Value};

/// Builds an envelope from its headers and `(item headers, payload)` pairs; `length` is
/// added to every item header.
pub fn build(headers: &Map<String, Value>, items: &[(Map<String, Value>, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(items.iter().map(|i| i.1.len() + 64).sum::<usize>() + 128);
    write_json(&mut out, headers);
    for (item_headers, payload) in items {
        out.push(b'\n');
        let mut h = item_headers.clone();
        h.insert("length".into(), Value::from(payload.len() as u64));
        write_json(&mut out, &h);
        out.push(b'\n');
        out.extend_from_slice(payload);
    }
    out.push(b'\n');
    out
}

fn write_json(out: &mut Vec<u8>, map: &Map<String, Value>) {
    // Serialising a map of JSON values into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, map);
}

/// Item headers of the given `type`.
pub fn item_headers(ty: &str) -> Map<String, Value> {
    let mut h = Map::new();
    h.insert("type".into(), Value::from(ty));
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_exact_lengths_and_newlines() {
        let mut headers = Map::new();
        headers.insert("event_id".into(), "ab".into());
        let payload = "{\"message\":\"hé\\nllo\"}".as_bytes().to_vec();
        let n = payload.len();
        let bytes = build(&headers, &[(item_headers("event"), payload)]);
        let text = String::from_utf8(bytes).unwrap();
        let expected = format!(
            "{{\"event_id\":\"ab\"}}\n{{\"length\":{n},\"type\":\"event\"}}\n{{\"message\":\"hé\\nllo\"}}\n"
        );
        assert_eq!(text, expected);
        assert_eq!(n, 22, "length counts UTF-8 bytes, not chars");
    }

    #[test]
    fn multiple_items() {
        let bytes = build(
            &Map::new(),
            &[(item_headers("event"), b"{}".to_vec()), (item_headers("client_report"), b"{\"a\":1}".to_vec())],
        );
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "{}\n{\"length\":2,\"type\":\"event\"}\n{}\n{\"length\":7,\"type\":\"client_report\"}\n{\"a\":1}\n"
        );
    }
}
