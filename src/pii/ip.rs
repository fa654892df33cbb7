//! IP addresses: IPv4 dotted quads and IPv6 in every textual form (full, compressed,
//! IPv4-mapped, with a zone id), replaced by `[ip]`.
//!
//! As on Sentry's server an address must stand apart from surrounding words. oxeye
//! differs in deliberate ways: a dotted quad that continues with `.<digit>` is a longer
//! dotted number (an OID or a version), not an address; and addresses that identify no
//! host are kept — loopback and unspecified (`127.x.x.x`, `0.x.x.x`, `::1`, `::`),
//! network and broadcast addresses and masks (`x.y.z.0`, `x.y.z.255`, `255.x.x.x`) —
//! which also keeps Chrome's reduced version strings (`120.0.0.0`) intact.

use super::scan::{byte, hex_val, is_word, word_end, word_start};
use super::rule::{Hit, Rule};

/// Finds IPv4 addresses in `s`.
pub fn find_v4(s: &[u8], out: &mut Vec<Hit>) {
    let mut i = 0;
    while i < s.len() {
        if s[i].is_ascii_digit() && word_start(s, i) && !(i >= 2 && s[i - 1] == b'.' && s[i - 2].is_ascii_digit()) {
            let (end, first, last) = v4(s, i);
            if end > 0 {
                let tail_ok = !(byte(s, end) == b'.' && byte(s, end + 1).is_ascii_digit());
                let host = first != 0 && first != 127 && first != 255 && last != 0 && last != 255;
                if word_end(s, end) && tail_ok && host {
                    Hit::push(out, i, end, Rule::Ip);
                    i = end;
                    continue;
                }
            }
        }
        i += 1;
    }
}

/// A dotted quad at `i`: (end, first octet, last octet); end 0 for none (an end is past
/// seven characters).
fn v4(s: &[u8], mut i: usize) -> (usize, u32, u32) {
    let mut first = 0;
    let mut last = 0;
    for k in 0..4 {
        if k > 0 {
            if byte(s, i) != b'.' {
                return (0, 0, 0);
            }
            i += 1;
        }
        let start = i;
        let mut v = 0u32;
        // up to three digits, each byte read once
        while i - start < 3 {
            let d = byte(s, i).wrapping_sub(b'0');
            if d > 9 {
                break;
            }
            v = v * 10 + u32::from(d);
            i += 1;
        }
        if i == start || v > 255 || byte(s, i).is_ascii_digit() {
            return (0, 0, 0);
        }
        if k == 0 {
            first = v;
        }
        last = v;
    }
    (i, first, last)
}

/// Finds IPv6 addresses in `s`.
pub fn find_v6(s: &[u8], out: &mut Vec<Hit>) {
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        let starts = (hex_val(c).is_some() || c == b':') && (i == 0 || (!is_word(s[i - 1]) && s[i - 1] != b'.'));
        if !starts {
            i += 1;
            continue;
        }
        // the maximal run of hex digits, colons and dots
        let mut end = i;
        while end < s.len() && (hex_val(s[end]).is_some() || s[end] == b':' || s[end] == b'.') && end - i < 64 {
            end += 1;
        }
        if end < s.len() && is_word(s[end]) {
            i = end.max(i + 1);
            continue;
        }
        let mut cand = &s[i..end];
        // a trailing `.` or single `:` is punctuation, not part of the address
        while let [.., b'.'] | [.., b':'] = cand {
            if cand.ends_with(b"::") {
                break;
            }
            cand = &cand[..cand.len() - 1];
        }
        let kind = v6(cand);
        if kind != V6::Invalid {
            let mut stop = i + cand.len();
            // zone id: `%eth0`
            if stop == end && byte(s, stop) == b'%' && byte(s, stop + 1).is_ascii_alphanumeric() {
                stop += 1;
                while stop < s.len() && s[stop].is_ascii_alphanumeric() {
                    stop += 1;
                }
            }
            if kind == V6::Routable {
                Hit::push(out, i, stop, Rule::Ip);
            }
            i = stop.max(i + 1);
            continue;
        }
        i = end.max(i + 1);
    }
}

#[derive(PartialEq)]
enum V6 {
    Routable,
    LoopbackOrUnspecified,
    /// Not an IPv6 address.
    Invalid,
}

/// Parses an IPv6 address (hex groups, at most one `::`, optional dotted IPv4 tail) in
/// one pass over its `:`-separated pieces.
fn v6(t: &[u8]) -> V6 {
    let n = t.len();
    let mut compressed = t.starts_with(b"::");
    let mut i = if compressed { 2 } else { 0 };
    let mut groups = 0;
    let mut nonzero_but_last = false;
    let mut last = 0u32;
    while i < n {
        let start = i;
        let mut dotted = false;
        let mut v = 0u32;
        // a piece holds hex digits and dots only (the characters `find_v6` gathers)
        while i < n && t[i] != b':' {
            match hex_val(t[i]) {
                Some(h) => v = v << 4 | h as u32,
                None => dotted = true,
            }
            i += 1;
        }
        if dotted {
            // only the final piece may be a dotted IPv4 tail
            // (it holds a dot, so an end of 0 is not its length)
            if i < n || v4(&t[start..], 0).0 != i - start {
                return V6::Invalid;
            }
            groups += 2;
            nonzero_but_last = true;
            break;
        }
        if i == start || i - start > 4 {
            return V6::Invalid;
        }
        if last != 0 {
            nonzero_but_last = true;
        }
        last = v;
        groups += 1;
        if i == n {
            break;
        }
        // past the `:`; a second one makes the (only) `::`, which may end the address
        i += 1;
        if byte(t, i) == b':' {
            if compressed {
                return V6::Invalid;
            }
            compressed = true;
            i += 1;
        } else if i == n {
            return V6::Invalid;
        }
    }
    let ok = if compressed { groups <= 7 } else { groups == 8 };
    if !ok {
        return V6::Invalid;
    }
    if !nonzero_but_last && (last == 0 || last == 1) {
        V6::LoopbackOrUnspecified
    } else {
        V6::Routable
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(s: &str) -> Vec<&str> {
        let mut out = Vec::new();
        find_v4(s.as_bytes(), &mut out);
        find_v6(s.as_bytes(), &mut out);
        out.sort_by_key(|h| h.start);
        out.iter().map(|h| &s[h.start..h.end]).collect()
    }

    fn hits6(s: &str) -> Vec<&str> {
        let mut out = Vec::new();
        find_v6(s.as_bytes(), &mut out);
        out.iter().map(|h| &s[h.start..h.end]).collect()
    }

    #[test]
    fn v4_positive_and_negative() {
        assert_eq!(hits("from 10.0.0.1:8080"), vec!["10.0.0.1"]);
        assert_eq!(hits("x=192.168.1.254&y=203.0.113.77"), vec!["192.168.1.254", "203.0.113.77"]);
        assert_eq!(hits("\"8.8.8.8\""), vec!["8.8.8.8"]);
        assert_eq!(hits("http://203.0.113.7/x"), vec!["203.0.113.7"]);
        assert_eq!(hits("ip 010.001.002.003"), vec!["010.001.002.003"]);
        assert_eq!(hits("note%3D170.191.162.184%26step"), vec!["170.191.162.184"]);
        for s in [
            "256.1.1.1",
            "120.0.0.0",
            "10.1.2.0",
            "192.168.1.255",
            "255.255.255.0",
            "1.2.3",
            "1.2.3.4.5",
            "v1.2.3.4",
            "1.2.3.4a",
            "1.2.3.1000",
            "127.0.0.1",
            "0.0.0.0",
            "version 2.14.0",
            "1.3.6.1.4.1.311",
            "120.0.6099.109",
            "10.0.19045.3803",
        ] {
            assert!(hits(s).is_empty(), "{s}");
        }
    }

    #[test]
    fn v6_positive_and_negative() {
        for (s, want) in [
            ("addr 2001:0db8:0000:0000:0000:ff00:0042:8329 end", "2001:0db8:0000:0000:0000:ff00:0042:8329"),
            ("[2001:db8::1]:8080", "2001:db8::1"),
            ("fe80::1%eth0 up", "fe80::1%eth0"),
            ("mapped ::ffff:10.0.0.1.", "::ffff:10.0.0.1"),
            ("x=2001:DB8:0:0:8:800:200C:417A", "2001:DB8:0:0:8:800:200C:417A"),
            ("2001:db8::", "2001:db8::"),
            ("host 2001:db8::7:", "2001:db8::7"),
        ] {
            assert_eq!(hits6(s), vec![want], "{s}");
        }
        for s in [
            "::1",
            "::",
            "10:30:00",
            "00:1a:2b:3c:4d:5e",
            "std::vector",
            "a:b",
            "1::2::3",
            "12345::1",
            "2001:db8::1x",
            "1:2:3:4:5:6:7:8:9",
            "Foo::Bar",
            "2024-01-15T10:30:00Z",
        ] {
            assert!(hits(s).is_empty(), "{s}: {:?}", hits(s));
        }
    }

    #[test]
    fn hostile_inputs_are_linear() {
        for unit in ["1.", ":", "a:", "1.1.1.1.", "::a", "1:2:3:4:"] {
            crate::pii::testkit::assert_linear(unit, |n| unit.repeat(n), |s| {
                let _ = hits(s);
            });
        }
    }
}

