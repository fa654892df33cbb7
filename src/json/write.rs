//! The one JSON writer: every byte the core sends is written here, straight into a
//! `Vec<u8>`, with no value tree and no `core::fmt`.
//!
//! Free functions write scalars; [`Obj`] and [`Arr`] place the commas and colons of
//! containers. A container borrows the buffer while it is open, so nesting is written as
//! `let mut o = Obj::new(out); { let mut a = Arr::new(o.name("values")); … a.end(); } o.end();`.
//! Keys the core names itself go through [`Obj::name`], copied without the escape; keys that
//! come from the app through [`Obj::key`].
//! Numbers are integers or fixed-point decimals computed with integer arithmetic, so the
//! float printer of the standard library never enters the wasm.
//!
//! Native tests parse everything written here with serde_json (the oracle).

use crate::text::{word_at, HIGH, ONES};

/// Writes `s` as a JSON string: quoted, with `"`, `\` and control characters escaped.
/// U+2028 and U+2029 are escaped too, so the text is also valid inside a `<script>`.
pub fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    escape_into(out, s);
    out.push(b'"');
}

/// Writes the escaped body of a JSON string (no quotes).
pub fn escape_into(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Eight bytes at once while none is below 0x20, `"`, `\` or 0xE2 (which starts
        // U+2028 and U+2029): a byte below `n` is found by `(w - n·ONES) & !w & HIGH`, a
        // byte equal to `c` as a zero byte of `w ^ c·ONES`.
        if i + 8 <= bytes.len() {
            let w = word_at(bytes, i);
            let below = |x: u64, n: u64| x.wrapping_sub(n * ONES) & !x & HIGH;
            if below(w, 0x20) | below(w ^ (0x22 * ONES), 1) | below(w ^ (0x5c * ONES), 1) | below(w ^ (0xe2 * ONES), 1) == 0 {
                i += 8;
                continue;
            }
        }
        let b = bytes[i];
        let esc: Option<&[u8]> = match b {
            b'"' => Some(b"\\\""),
            b'\\' => Some(b"\\\\"),
            b'\n' => Some(b"\\n"),
            b'\r' => Some(b"\\r"),
            b'\t' => Some(b"\\t"),
            0x08 => Some(b"\\b"),
            0x0c => Some(b"\\f"),
            0..=0x1f => None,
            // U+2028 / U+2029 are E2 80 A8 / E2 80 A9.
            0xe2 if bytes.get(i + 1) == Some(&0x80) && matches!(bytes.get(i + 2), Some(0xa8 | 0xa9)) => {
                out.extend_from_slice(&bytes[start..i]);
                out.extend_from_slice(if bytes[i + 2] == 0xa8 { b"\\u2028" } else { b"\\u2029" });
                i += 3;
                start = i;
                continue;
            }
            _ => {
                i += 1;
                continue;
            }
        };
        out.extend_from_slice(&bytes[start..i]);
        match esc {
            Some(e) => out.extend_from_slice(e),
            None => out.extend_from_slice(&[b'\\', b'u', b'0', b'0', HEX[(b >> 4) as usize], HEX[(b & 15) as usize]]),
        }
        i += 1;
        start = i;
    }
    out.extend_from_slice(&bytes[start..]);
}

/// The decimal digits of `n`, written into the end of `buf` (no `core::fmt`: it costs wasm
/// bytes).
pub fn digits(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &buf[i..]
}

/// Writes an unsigned integer.
pub fn uint(out: &mut Vec<u8>, n: u64) {
    out.extend_from_slice(digits(n, &mut [0u8; 20]));
}

/// Writes a signed integer.
pub fn int(out: &mut Vec<u8>, n: i64) {
    if n < 0 {
        out.push(b'-');
    }
    uint(out, n.unsigned_abs());
}

/// `x` rounded to the nearest integer, halves away from zero (`f64::round`, which the
/// wasm gets as a routine of its own; `trunc` is one instruction, and `x - trunc(x)` is
/// exact).
pub fn round(x: f64) -> f64 {
    let t = x.trunc();
    let f = x - t;
    if f >= 0.5 {
        t + 1.0
    } else if f <= -0.5 {
        t - 1.0
    } else {
        t
    }
}

/// Writes `value` as a fixed-point decimal with at most `decimals` (≤ 9) digits after the
/// point, trailing zeros dropped (`1.5`, `2`, `0.125`). Non-finite values are written as
/// `0`, magnitudes beyond 2^63 are clamped: JSON has no NaN and Sentry no use for them.
pub fn decimal(out: &mut Vec<u8>, value: f64, decimals: u32) {
    let decimals = decimals.min(9);
    let value = if value.is_finite() { value } else { 0.0 };
    let scale = 10u64.pow(decimals) as f64;
    let scaled = round(value.abs() * scale);
    let scaled = if scaled >= 9.2e18 { 9_200_000_000_000_000_000u64 } else { scaled as u64 };
    let scale = scale as u64;
    let (whole, mut frac) = (scaled / scale, scaled % scale);
    if value < 0.0 && scaled != 0 {
        out.push(b'-');
    }
    uint(out, whole);
    if frac == 0 {
        return;
    }
    let mut digits = decimals;
    while frac % 10 == 0 {
        frac /= 10;
        digits -= 1;
    }
    out.push(b'.');
    let mut buf = [b'0'; 9];
    let mut i = digits as usize;
    while i > 0 {
        i -= 1;
        buf[i] = b'0' + (frac % 10) as u8;
        frac /= 10;
    }
    out.extend_from_slice(&buf[..digits as usize]);
}

/// Writes Unix milliseconds as Sentry's timestamp: seconds with millisecond precision.
pub fn seconds(out: &mut Vec<u8>, unix_ms: f64) {
    let ms = if unix_ms.is_finite() && unix_ms > 0.0 { unix_ms } else { 0.0 };
    decimal(out, ms / 1000.0, 3);
}

/// Writes `true` or `false`.
pub fn boolean(out: &mut Vec<u8>, b: bool) {
    out.extend_from_slice(if b { b"true" } else { b"false" });
}

/// Writes `null`.
pub fn null(out: &mut Vec<u8>) {
    out.extend_from_slice(b"null");
}

/// True when `s` is written the same with or without escaping: no `"`, `\`, control
/// character, U+2028 or U+2029 (the check behind [`Obj::name`]).
pub fn is_plain_name(s: &str) -> bool {
    !s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') && !s.contains(['\u{2028}', '\u{2029}'])
}

/// An open JSON object. Write members with [`Obj::name`] or [`Obj::key`] (then any value
/// into the returned buffer) or the typed shorthands; [`Obj::end`] closes it.
pub struct Obj<'w> {
    out: &'w mut Vec<u8>,
    first: bool,
}

impl<'w> Obj<'w> {
    /// Opens an object (`{`).
    pub fn new(out: &'w mut Vec<u8>) -> Obj<'w> {
        out.push(b'{');
        Obj { out, first: true }
    }

    /// Writes the separator and `"key":`, and returns the buffer for the value.
    pub fn key(&mut self, key: &str) -> &mut Vec<u8> {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        string(self.out, key);
        self.out.push(b':');
        self.out
    }

    /// Like [`Obj::key`] for a key the core names itself: a literal that needs no escaping
    /// (checked in debug builds), copied as it is.
    pub fn name(&mut self, name: &'static str) -> &mut Vec<u8> {
        debug_assert!(is_plain_name(name), "{name:?} needs escaping");
        self.out.extend_from_slice(if self.first { b"\"" } else { b",\"" });
        self.first = false;
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b"\":");
        self.out
    }

    /// Like [`Obj::key`] for a key that is already escaped JSON text (a borrowed token).
    pub fn key_escaped(&mut self, escaped: &str) -> &mut Vec<u8> {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        self.out.push(b'"');
        self.out.extend_from_slice(escaped.as_bytes());
        self.out.extend_from_slice(b"\":");
        self.out
    }

    /// The buffer written to (for a member's value after [`Obj::key`], or its length).
    pub fn out(&mut self) -> &mut Vec<u8> {
        self.out
    }

    /// True while no member has been written.
    pub fn is_empty(&self) -> bool {
        self.first
    }

    /// `"key":"value"`.
    pub fn str(&mut self, name: &'static str, value: &str) {
        string(self.name(name), value);
    }

    /// `"key":n`.
    pub fn uint(&mut self, name: &'static str, n: u64) {
        uint(self.name(name), n);
    }

    /// `"key":true|false`.
    pub fn bool(&mut self, name: &'static str, b: bool) {
        boolean(self.name(name), b);
    }

    /// `"key":<json>` where `json` is already valid JSON text.
    pub fn raw(&mut self, key: &str, json: &[u8]) {
        self.key(key).extend_from_slice(json);
    }

    /// Closes the object (`}`).
    pub fn end(self) {
        self.out.push(b'}');
    }
}

/// An open JSON array; [`Arr::item`] returns the buffer for the next element.
pub struct Arr<'w> {
    out: &'w mut Vec<u8>,
    first: bool,
}

impl<'w> Arr<'w> {
    /// Opens an array (`[`).
    pub fn new(out: &'w mut Vec<u8>) -> Arr<'w> {
        out.push(b'[');
        Arr { out, first: true }
    }

    /// Writes the separator and returns the buffer for the next element.
    pub fn item(&mut self) -> &mut Vec<u8> {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        self.out
    }

    /// A string element.
    pub fn str(&mut self, value: &str) {
        string(self.item(), value);
    }

    /// An element that is already valid JSON text.
    pub fn raw(&mut self, json: &[u8]) {
        self.item().extend_from_slice(json);
    }

    /// True while no element has been written.
    pub fn is_empty(&self) -> bool {
        self.first
    }

    /// Closes the array (`]`).
    pub fn end(self) {
        self.out.push(b']');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(f: impl FnOnce(&mut Vec<u8>)) -> String {
        let mut out = Vec::new();
        f(&mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn strings_round_trip_through_serde_json() {
        for text in ["", "plain", "quote \" and \\ slash", "new\nline\ttab\r", "\u{0}\u{1}\u{1f}\u{7f}", "é 漢字 🎉", "\u{2028}\u{2029}", "</script>"] {
            let json = s(|o| string(o, text));
            let back: String = serde_json::from_str(&json).unwrap();
            assert_eq!(back, text, "{json}");
        }
        assert_eq!(s(|o| string(o, "a\u{1}b")), "\"a\\u0001b\"");
        assert_eq!(s(|o| string(o, "\u{2028}")), "\"\\u2028\"");
    }

    #[test]
    fn every_escaped_byte_is_found_at_every_offset_of_a_word() {
        // The escape as one byte at a time writes it, the oracle for the word-at-a-time scan.
        fn plain(s: &str) -> String {
            let mut out = String::new();
            for c in s.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    '\u{8}' => out.push_str("\\b"),
                    '\u{c}' => out.push_str("\\f"),
                    '\u{2028}' => out.push_str("\\u2028"),
                    '\u{2029}' => out.push_str("\\u2029"),
                    c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                    c => out.push(c),
                }
            }
            out
        }
        let specials = ["\"", "\\", "\n", "\u{0}", "\u{1f}", "\u{7f}", " ", "\u{2028}", "\u{2029}", "\u{2027}", "\u{202a}", "\u{20ac}", "\u{e2}", "é", "漢", "🎉"];
        for before in 0..20 {
            for after in [0, 1, 6, 7, 8, 9, 15] {
                for a in specials {
                    for b in ["", "x", "\"", "\u{2028}", "\u{10}"] {
                        let text = format!("{}{a}{}{b}", "p".repeat(before), "q".repeat(after));
                        let mut out = Vec::new();
                        escape_into(&mut out, &text);
                        assert_eq!(String::from_utf8(out).unwrap(), plain(&text), "{text:?}");
                        let back: String = serde_json::from_str(&s(|o| string(o, &text))).unwrap();
                        assert_eq!(back, text);
                    }
                }
            }
        }
    }

    #[test]
    fn every_name_the_core_writes_needs_no_escaping() {
        // Each literal passed to `Obj::name`, to the `Obj` shorthands (name, value) or to
        // `envelope::Writer::header`, read from the sources: written unescaped, it must be
        // what the escape would write.
        fn walk(dir: &std::path::Path, found: &mut Vec<(String, String)>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, found);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    for (call, needs_comma) in [(".name(\"", false), (".header(\"", false), (".str(\"", true), (".uint(\"", true), (".bool(\"", true)] {
                        for (at, _) in text.match_indices(call) {
                            let rest = &text[at + call.len()..];
                            let end = rest.find('"').unwrap();
                            if !needs_comma || rest[end + 1..].starts_with(',') {
                                found.push((path.display().to_string(), rest[..end].to_string()));
                            }
                        }
                    }
                }
            }
        }
        let mut found = Vec::new();
        walk(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut found);
        assert!(found.len() > 80, "{}", found.len());
        for (file, name) in &found {
            let mut escaped = Vec::new();
            escape_into(&mut escaped, name);
            assert!(is_plain_name(name) && !name.contains('\\') && escaped == name.as_bytes(), "{file}: {name:?}");
        }
        assert!(!is_plain_name("a\"b") && !is_plain_name("a\\b") && !is_plain_name("\n") && !is_plain_name("\u{2028}"));
    }

    #[test]
    fn numbers() {
        assert_eq!(s(|o| uint(o, 0)), "0");
        assert_eq!(s(|o| uint(o, u64::MAX)), u64::MAX.to_string());
        assert_eq!(s(|o| int(o, -42)), "-42");
        assert_eq!(s(|o| int(o, i64::MIN)), i64::MIN.to_string());
        assert_eq!(s(|o| decimal(o, 1.5, 3)), "1.5");
        assert_eq!(s(|o| decimal(o, 2.0, 3)), "2");
        assert_eq!(s(|o| decimal(o, 0.125, 6)), "0.125");
        assert_eq!(s(|o| decimal(o, -0.25, 2)), "-0.25");
        assert_eq!(s(|o| decimal(o, -0.0001, 2)), "0");
        assert_eq!(s(|o| decimal(o, f64::NAN, 2)), "0");
        assert_eq!(s(|o| decimal(o, 0.05, 2)), "0.05");
        assert_eq!(s(|o| seconds(o, 1_700_000_000_123.0)), "1700000000.123");
        assert_eq!(s(|o| seconds(o, 1_700_000_000_000.0)), "1700000000");
        assert_eq!(s(|o| seconds(o, -5.0)), "0");
        for (v, d) in [(2.5, 4u32), (1e-9, 9), (123456.789, 3), (0.1, 1)] {
            let text = s(|o| decimal(o, v, d));
            let back: f64 = serde_json::from_str(&text).unwrap();
            assert!((back - v).abs() <= 0.5 * 10f64.powi(-(d as i32)) + 1e-12, "{v} → {text}");
        }
    }

    #[test]
    fn containers_nest() {
        let json = s(|out| {
            let mut o = Obj::new(out);
            o.str("a", "x");
            {
                let mut arr = Arr::new(o.key("list"));
                arr.str("1");
                uint(arr.item(), 2);
                {
                    let mut inner = Obj::new(arr.item());
                    inner.bool("t", true);
                    inner.end();
                }
                Obj::new(arr.item()).end();
                arr.end();
            }
            o.raw("raw", b"{\"k\":null}");
            o.key_escaped("esc\\\"aped").push(b'1');
            o.end();
        });
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v, serde_json::json!({"a": "x", "list": ["1", 2, {"t": true}, {}], "raw": {"k": null}, "esc\"aped": 1}));
    }
}
