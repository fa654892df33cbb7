//! Identifiers made from host-supplied random bytes.
//!
//! Event ids are UUID v4 values written as 32 lowercase hex digits, as Sentry expects.

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 15) as usize] as char);
    }
    s
}

/// A UUID v4 (version and variant bits set) as 32 hex digits. Missing bytes count as zero.
pub fn uuid4(random: &[u8]) -> String {
    let mut b = [0u8; 16];
    let n = random.len().min(16);
    b[..n].copy_from_slice(&random[..n]);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    hex(&b)
}

/// True when `s` is exactly `len` lowercase hex digits (event, trace and span ids,
/// `traceparent`'s version and flags).
pub fn is_lower_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
}

/// True for a 32-digit lowercase hex id.
pub fn is_event_id(s: &str) -> bool {
    is_lower_hex(s, 32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid4_sets_version_and_variant() {
        let id = uuid4(&[0xff; 16]);
        assert_eq!(id, "ffffffffffff4fffbfffffffffffffff");
        assert!(is_event_id(&id));
        assert_eq!(uuid4(&[]), "00000000000040008000000000000000");
    }

    #[test]
    fn validates_ids() {
        assert!(!is_event_id("ABCDEFABCDEFABCDEFABCDEFABCDEFAB"));
        assert!(!is_event_id("abc"));
    }
}
