//! Credentials recognisable by their own shape wherever they appear: the token after
//! `Bearer `, JSON Web Tokens (`eyJ….eyJ….sig`) and the body of PEM key blocks.
//!
//! Sentry's server knows the first and the last; JWTs and PEM blocks cut off before
//! their `-----END` line (a truncated log line) are oxeye additions.

use super::scan::{at, at_ci, byte, escape_before, find as find_bytes, word_start};
use super::rule::{Hit, Rule};

/// Characters that end a bearer token: whitespace, quotes and JSON/URL punctuation.
fn token_end(c: u8) -> bool {
    c.is_ascii_whitespace() || matches!(c, b'"' | b'\'' | b'\\' | b',' | b';' | b'&' | b')' | b']' | b'}' | b'<' | b'>')
}

/// `Bearer <token>`: the token is replaced (`Bearer [token]`).
pub fn find_bearer(s: &[u8], out: &mut Vec<Hit>) {
    let mut i = 0;
    while i + 7 < s.len() {
        if (s[i] | 0x20) == b'b' && word_start(s, i) && at_ci(s, i, b"bearer") {
            let mut j = i + 6;
            let ws = j;
            while j < s.len() && (s[j] == b' ' || s[j] == b'\t') {
                j += 1;
            }
            // `Bearer%20<token>` in URL-encoded text
            if j == ws && at(s, j, b"%20") {
                j += 3;
            }
            let start = j;
            while j < s.len() && !token_end(s[j]) {
                j += 1;
            }
            if j > ws && start > ws && j > start {
                out.push(Hit { start, end: j, rule: Rule::Bearer });
                i = j;
                continue;
            }
        }
        i += 1;
    }
}

fn b64url(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-' || c == b'_'
}

/// JSON Web Tokens: `eyJ` header, a payload of at least ten characters, a signature.
pub fn find_jwt(s: &[u8], out: &mut Vec<Hit>) {
    let mut i = 0;
    while i + 3 < s.len() {
        if s[i] == b'e' && at(s, i, b"eyJ") && (i == 0 || !b64url(s[i - 1]) || escape_before(s, i)) {
            let run = |mut j: usize| {
                while j < s.len() && b64url(s[j]) {
                    j += 1;
                }
                j
            };
            let h = run(i);
            if h - i >= 10 && byte(s, h) == b'.' {
                let p = run(h + 1);
                if p - (h + 1) >= 10 && byte(s, p) == b'.' {
                    let sig = run(p + 1);
                    out.push(Hit { start: i, end: sig, rule: Rule::Jwt });
                    i = sig;
                    continue;
                }
            }
            i = h.max(i + 1);
            continue;
        }
        i += 1;
    }
}

/// A space at `i`: ` ` or `%20`; its length, or 0.
fn space(s: &[u8], i: usize) -> usize {
    if byte(s, i) == b' ' {
        1
    } else if at(s, i, b"%20") {
        3
    } else {
        0
    }
}

/// A line break at `i` (`\r\n`, `\n`, an escaped `\\n`, `%0A`, `%0D%0A`); its length, or 0.
fn newline(s: &[u8], i: usize) -> usize {
    for nl in [&b"\r\n"[..], b"\n", b"\\n", b"%0D%0A", b"%0d%0a", b"%0A", b"%0a"] {
        if at(s, i, nl) {
            return nl.len();
        }
    }
    0
}

/// PEM private and public key blocks: the body between the `-----BEGIN … KEY-----` and
/// `-----END … KEY-----` lines (to the end of the string when the end line is missing),
/// also URL-encoded (`-----BEGIN%20PRIVATE%20KEY-----%0A…`).
pub fn find_pem(s: &[u8], out: &mut Vec<Hit>) {
    let mut from = 0;
    while let Some(b) = find_bytes(s, from, b"-----BEGIN") {
        from = b + 1;
        // the label, with `%20` read as a space: `RSA PRIVATE KEY`
        let mut label = [0u8; 64];
        let mut n = 0;
        let mut j = b + 10;
        while n < label.len() {
            let sp = space(s, j);
            if sp > 0 {
                label[n] = b' ';
                j += sp;
            } else if byte(s, j).is_ascii_uppercase() {
                label[n] = s[j];
                j += 1;
            } else {
                break;
            }
            n += 1;
        }
        let name = &label[..n];
        let is_key = name.windows(11).any(|w| w == b"PRIVATE KEY") || name.windows(10).any(|w| w == b"PUBLIC KEY");
        if !is_key || !at(s, j, b"-----") {
            continue;
        }
        let mut start = j + 5;
        while byte(s, start) == b'\t' || space(s, start) > 0 {
            start += space(s, start).max(1);
        }
        start += newline(s, start);
        let (mut end, next) = match find_bytes(s, start, b"-----END") {
            Some(e) => (e, e + 8),
            None => (s.len(), s.len()),
        };
        for nl in [&b"\r\n"[..], b"\n", b"\\n", b"%0D%0A", b"%0d%0a", b"%0A", b"%0a"] {
            if end >= start + nl.len() && &s[end - nl.len()..end] == nl {
                end -= nl.len();
                break;
            }
        }
        if end > start {
            out.push(Hit { start, end, rule: Rule::PemKey });
        }
        from = next.max(from);
    }
}

#[cfg(test)]
mod tests {
    const JWT: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";

    mod bearer {
        matcher_tests!(super::super::find_bearer;
            positive: [
                "Authorization: Bearer abc.DEF-123 next" => ["abc.DEF-123"],
                "{\"h\":\"bearer   tok_9\"}" => ["tok_9"],
                "Bearer%20tok9&x" => ["tok9"],
            ];
            negative: ["Bearer", "Bearer ", "bearers are nice", "forbearer x", "Bearer\n"];
            hostile: [|n| "bearer ".repeat(n), |n| "Bearer x".repeat(n)];
        );
    }

    mod jwt {
        use super::JWT;

        matcher_tests!(super::super::find_jwt;
            positive: [
                &format!("t={JWT}&x") => [JWT],
                &format!("\"{JWT}\"") => [JWT],
                "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhYmMifQ." => ["eyJhbGciOiJub25lIn0.eyJzdWIiOiJhYmMifQ."],
            ];
            negative: ["eyJhbGci.eyJ", "xeyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abc", "eyJhbGciOiJIUzI1NiJ9"];
            hostile: [|n| "eyJaaaaaaaaaaaaa.".repeat(n), |n| "eyJ".repeat(n)];
        );
    }

    mod pem {
        matcher_tests!(super::super::find_pem;
            positive: [
                "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nIBAAK\n-----END RSA PRIVATE KEY-----" => ["MIIEow\nIBAAK"],
                "key=-----BEGIN PRIVATE KEY-----\\nMIIEvg\\n-----END PRIVATE KEY-----" => ["MIIEvg"],
                "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk" => ["b3BlbnNzaC1rZXk"],
                "k%3D-----BEGIN%20RSA%20PRIVATE%20KEY-----%0AMIIEow%0A-----END%20RSA%20PRIVATE%20KEY-----" => ["MIIEow"],
                "-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----" => ["MFkw"],
            ];
            negative: ["-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----", "-----BEGIN X", "-----BEGIN PRIVATE KEY"];
            hostile: [|n| "-----BEGIN PRIVATE KEY-----".repeat(n), |n| "-----BEGIN X".repeat(n)];
        );
    }
}
