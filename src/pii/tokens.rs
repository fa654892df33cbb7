//! Credentials recognisable by their own shape wherever they appear: the token after
//! `Bearer `, JSON Web Tokens (`eyJ….eyJ….sig`), the body of PEM key blocks, and API keys
//! with a vendor prefix: AWS access key ids (`AKIA…`/`ASIA…`, 20 characters), GitHub
//! tokens (`ghp_`, `gho_`, `ghs_`, `ghu_`, `ghr_` + 36 or more characters,
//! `github_pat_…`), Stripe secret and restricted keys (`sk_live_`, `rk_live_`,
//! `sk_test_`, `rk_test_`) and Slack tokens (`xoxa-`, `xoxb-`, `xoxp-`, `xoxr-`,
//! `xoxs-`).
//!
//! Sentry's server knows the first and the third; JWTs, PEM blocks cut off before their
//! `-----END` line (a truncated log line) and the vendor keys are oxeye additions. A
//! vendor key must stand alone (no letter, digit or `_` right before or after it).

use super::scan::{alnum_dash, ascii_set, at, in_ascii_set, AsciiSet, at_ci, byte, each, ends_value, escape_before, find as find_bytes, is_word, run, word_end, word_start, words};
use super::rule::{Hit, Rule};

/// `Bearer <token>`: the token is replaced (`Bearer [token]`).
pub fn find_bearer(s: &[u8], out: &mut Vec<Hit>) {
    let mut i = 0;
    while i + 7 < s.len() {
        if (s[i] | 0x20) == b'b' && word_start(s, i) && at_ci(s, i, b"bearer") {
            let mut j = i + 6;
            let ws = j;
            j = run(s, j, |c| c == b' ' || c == b'\t');
            // `Bearer%20<token>` in URL-encoded text
            if j == ws && at(s, j, b"%20") {
                j += 3;
            }
            let start = j;
            j = run(s, j, |c| !ends_value(c));
            if start > ws && j > start {
                Hit::push(out, start, j, Rule::Bearer);
                i = j;
                continue;
            }
        }
        i += 1;
    }
}

/// A base64url character (a JWT's): an ASCII letter, a digit, `-` or `_`.
pub fn b64url(c: u8) -> bool {
    alnum_dash(c) || c == b'_'
}

/// JSON Web Tokens: `eyJ` header, a payload of at least ten characters, a signature.
pub fn find_jwt(s: &[u8], out: &mut Vec<Hit>) {
    let mut i = 0;
    while i + 3 < s.len() {
        if s[i] == b'e' && at(s, i, b"eyJ") && (i == 0 || !b64url(s[i - 1]) || escape_before(s, i)) {
            let h = run(s, i, b64url);
            if h - i >= 10 && byte(s, h) == b'.' {
                let p = run(s, h + 1, b64url);
                if p - (h + 1) >= 10 && byte(s, p) == b'.' {
                    let sig = run(s, p + 1, b64url);
                    Hit::push(out, i, sig, Rule::Jwt);
                    i = sig;
                    continue;
                }
            }
            i = h;
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

/// Line breaks: `\r\n`, `\n`, an escaped `\\n`, `%0D%0A`, `%0A`, as a coded word list
/// (`scan::words!`; longest first where one starts another).
const NEWLINES: &[u8] = words!("\r\n \n \\n %0D%0A %0d%0a %0A %0a");

/// A line break at `i`; its length, or 0.
fn newline(s: &[u8], i: usize) -> usize {
    let mut n = 0;
    each(NEWLINES, |nl| at(s, i, nl) && {
        n = nl.len();
        true
    });
    n
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
        let is_key = find_bytes(name, 0, b"PRIVATE KEY").is_some() || find_bytes(name, 0, b"PUBLIC KEY").is_some();
        if !is_key || !at(s, j, b"-----") {
            continue;
        }
        let mut start = j + 5;
        loop {
            let sp = if byte(s, start) == b'\t' { 1 } else { space(s, start) };
            if sp == 0 {
                break;
            }
            start += sp;
        }
        start += newline(s, start);
        let (mut end, next) = match find_bytes(s, start, b"-----END") {
            Some(e) => (e, e + 8),
            None => (s.len(), s.len()),
        };
        each(NEWLINES, |nl| {
            let found = end >= start + nl.len() && at(s, end - nl.len(), nl);
            if found {
                end -= nl.len();
            }
            found
        });
        if end > start {
            Hit::push(out, start, end, Rule::PemKey);
        }
        from = next;
    }
}

/// Vendor key shapes: prefixes (a coded word list, see `scan::words!`; none starts another), characters
/// allowed after one, fewest and most of them.
struct KeyShape {
    prefixes: &'static [u8],
    chars: fn(u8) -> bool,
    min: usize,
    max: usize,
}

fn upper_alnum(c: u8) -> bool {
    c.is_ascii_uppercase() || c.is_ascii_digit()
}

fn alnum(c: u8) -> bool {
    c.is_ascii_alphanumeric()
}

const SHAPES: &[KeyShape] = &[
    KeyShape { prefixes: words!("AKIA ASIA"), chars: upper_alnum, min: 16, max: 16 },
    KeyShape { prefixes: words!("ghp_ gho_ ghs_ ghu_ ghr_"), chars: alnum, min: 36, max: 255 },
    KeyShape { prefixes: words!("github_pat_"), chars: is_word, min: 22, max: 255 },
    KeyShape { prefixes: words!("sk_live_ rk_live_ sk_test_ rk_test_"), chars: alnum, min: 16, max: 255 },
    KeyShape { prefixes: words!("xoxa- xoxb- xoxp- xoxr- xoxs-"), chars: alnum_dash, min: 10, max: 255 },
];

/// The first bytes of the vendor key prefixes.
const KEY_FIRST: AsciiSet = ascii_set(b"Agsrx", false);

/// API keys and tokens with a vendor prefix (see the module docs).
pub fn find_keys(s: &[u8], out: &mut Vec<Hit>) {
    let mut i = 0;
    while i < s.len() {
        if in_ascii_set(&KEY_FIRST, s[i]) && word_start(s, i) {
            if let Some(end) = key_at(s, i) {
                Hit::push(out, i, end, Rule::Token);
                i = end;
                continue;
            }
        }
        i += 1;
    }
}

/// A vendor key starting at `i`: its end. Reads at most `max` characters past a prefix.
fn key_at(s: &[u8], i: usize) -> Option<usize> {
    for shape in SHAPES {
        let mut len = 0;
        if !each(shape.prefixes, |p| at(s, i, p) && {
            len = p.len();
            true
        }) {
            continue;
        }
        let body = i + len;
        let mut j = body;
        while j < s.len() && j - body <= shape.max && (shape.chars)(s[j]) {
            j += 1;
        }
        let n = j - body;
        if n >= shape.min && n <= shape.max && word_end(s, j) {
            return Some(j);
        }
    }
    None
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

    mod keys {
        matcher_tests!(super::super::find_keys;
            positive: [
                "aws AKIAIOSFODNN7EXAMPLE ok" => ["AKIAIOSFODNN7EXAMPLE"],
                "key=ASIAY34FZKBOKMUTVV7A&x" => ["ASIAY34FZKBOKMUTVV7A"],
                "\"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\"" => ["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"],
                "gho_16C7e42F292c6912E7710c838347Ae178B4a" => ["gho_16C7e42F292c6912E7710c838347Ae178B4a"],
                "token ghs_abcdefghijklmnopqrstuvwxyz0123456789." => ["ghs_abcdefghijklmnopqrstuvwxyz0123456789"],
                "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTU" => ["github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTU"],
                "stripe sk_live_51H8abcdefGHIJKLmnop and rk_live_ABCDEFGHIJKLmnopqr" => ["sk_live_51H8abcdefGHIJKLmnop", "rk_live_ABCDEFGHIJKLmnopqr"],
                "sk_test_4eC39HqLyjWDarjtT1zdp7dc" => ["sk_test_4eC39HqLyjWDarjtT1zdp7dc"],
                "slack xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx end" => ["xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"],
                "xoxp-1234-5678-abcdef" => ["xoxp-1234-5678-abcdef"],
                "%3DAKIAIOSFODNN7EXAMPLE%26" => ["AKIAIOSFODNN7EXAMPLE"],
            ];
            negative: [
                "AKIAIOSFODNN7EXAMPL",    // 19 characters
                "AKIAIOSFODNN7EXAMPLE1",  // 21
                "AKIAiosfodnn7example",   // lowercase
                "XAKIAIOSFODNN7EXAMPLE",  // inside a word
                "ghp_short",
                "ghp_wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINU", // 35
                "a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",
                "pk_live_51H8abcdefGHIJKLmnop", // publishable
                "sk_live_short",
                "task_live_51H8abcdefGHIJKLmnop",
                "xoxz-1234567890",
                "xoxb-123",
                "ASIA/Tokyo",
                "github_pat_short",
                "sk_live_51H8abcdefGHIJKLmnop_x",
            ];
            hostile: [|n| "AKIA".repeat(n), |n| "ghp_".repeat(n), |n| "xoxb-".repeat(n), |n| format!("sk_live_{}", "a".repeat(n)), |n| "A ".repeat(n)];
        );
    }
}
