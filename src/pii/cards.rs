//! Payment card numbers: 13 to 19 digits (12 to 19 for Maestro) with an issuer prefix and
//! a valid Luhn check digit, written together or grouped by single spaces (also the
//! no-break, figure, narrow and ideographic ones), dashes, `+` or `%20`.
//!
//! Sentry's server matches 15/16-digit numbers with card prefixes and no checksum; oxeye
//! adds the Luhn check (so order numbers that only look like cards stay), more issuers
//! and lengths, and URL-encoded separators. A number must stand alone: a digit run that
//! continues past 19 digits, or touches a letter, is not a card.

use super::scan::{at as at_bytes, byte, word_end, word_start};
use super::rule::{Hit, Rule};

/// Finds card numbers in `s`.
pub fn find(s: &[u8], out: &mut Vec<Hit>) {
    let mut i = 0;
    while i < s.len() {
        if s[i].is_ascii_digit() && word_start(s, i) {
            let end = at(s, i);
            if end > 0 {
                Hit::push(out, i, end, Rule::Creditcard);
                i = end;
                continue;
            }
        }
        i += 1;
    }
}

/// A card number starting at `start`: its end, preferring the longest valid one (0 for
/// none: an end is past 12 digits). The Luhn sums of every length are kept as the digits
/// are read: `sums[q]` doubles the digits at positions of parity `q`, and a number of `n`
/// digits doubles those of parity `n % 2` (every second one from its check digit).
fn at(s: &[u8], start: usize) -> usize {
    let mut sums = [0u32; 2];
    let mut prefix = 0;
    let mut n = 0;
    let mut i = start;
    let mut best = 0;
    loop {
        let d = u32::from(s[i] - b'0');
        sums[n % 2] += if d > 4 { 2 * d - 9 } else { 2 * d };
        sums[1 - n % 2] += d;
        if n < 4 {
            prefix = prefix * 10 + d;
        }
        n += 1;
        i += 1;
        if n >= 12 && word_end(s, i) && issuer(prefix, n) && sums[n % 2].is_multiple_of(10) {
            best = i;
        }
        if n == 19 {
            break;
        }
        let sep = separator(s, i);
        if byte(s, i).is_ascii_digit() {
            continue;
        }
        if sep > 0 && byte(s, i + sep).is_ascii_digit() {
            i += sep;
            continue;
        }
        break;
    }
    best
}

/// Length of a group separator at `i` (space, dash, `+`, `%20`, or one of the spaces
/// locales group digits with: no-break U+00A0, figure U+2007, narrow no-break U+202F,
/// ideographic U+3000), or 0.
pub(crate) fn separator(s: &[u8], i: usize) -> usize {
    match byte(s, i) {
        b' ' | b'-' | b'+' => 1,
        b'%' if at_bytes(s, i, b"%20") => 3,
        0xC2 if at_bytes(s, i, "\u{a0}".as_bytes()) => 2,
        0xE2 if at_bytes(s, i, "\u{2007}".as_bytes()) || at_bytes(s, i, "\u{202f}".as_bytes()) => 3,
        0xE3 if at_bytes(s, i, "\u{3000}".as_bytes()) => 3,
        _ => 0,
    }
}

/// Issuer prefixes as ranges of the first four digits: Maestro first (5018, 5020, 5038,
/// 5893, 6304, 6759, 6761–6763; the first [`MAESTRO`] rows, 12 digits or more), then Visa,
/// Mastercard, Amex, Diners, JCB, Discover and UnionPay (13 or more).
const ISSUERS: &[(u16, u16)] = &[
    (5018, 5018),
    (5020, 5020),
    (5038, 5038),
    (5893, 5893),
    (6304, 6304),
    (6759, 6759),
    (6761, 6763),
    (4000, 4999),
    (5100, 5599),
    (2221, 2720),
    (3400, 3499),
    (3600, 3999),
    (3000, 3059),
    (3528, 3589),
    (6011, 6011),
    (6440, 6599),
    (6200, 6299),
];

/// The number of Maestro rows at the head of [`ISSUERS`].
const MAESTRO: usize = 7;

/// True when a number of `len` digits whose first four are `prefix` has an issuer
/// prefix (see [`ISSUERS`]).
fn issuer(prefix: u32, len: usize) -> bool {
    for (k, &(lo, hi)) in ISSUERS.iter().enumerate() {
        if (k < MAESTRO || len >= 13) && u32::from(lo) <= prefix && prefix <= u32::from(hi) {
            return true;
        }
    }
    false
}

/// True when the text of a JSON number is itself a card number (cards sent as JSON
/// numbers): digits only, and all of them one card number. (A JSON number has no leading
/// zero, so the text is the integer's own digits.) Only the first byte is tested for a
/// digit: past it, a JSON number's text holds digits, then at most a `.`, `e` or `E`
/// (its only `-` leads and its only `+` follows an `e`), and [`at`] stops at those, so
/// it reaches the end only when every byte is a digit.
pub fn is_card_number(n: &[u8]) -> bool {
    n.len() >= 12 && n[0].is_ascii_digit() && at(n, 0) == n.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    matcher_tests!(find;
        positive: [
            "4111111111111111" => ["4111111111111111"],
            "card 4111 1111 1111 1111 ok" => ["4111 1111 1111 1111"],
            "4111-1111-1111-1111" => ["4111-1111-1111-1111"],
            "x=5555555555554444&" => ["5555555555554444"],
            "amex 378282246310005." => ["378282246310005"],
            "amex 3782 822463 10005" => ["3782 822463 10005"],
            "discover 6011111111111117" => ["6011111111111117"],
            "jcb 3530111333300000" => ["3530111333300000"],
            "diners 30569309025904" => ["30569309025904"],
            "mc2 2223003122003222" => ["2223003122003222"],
            "visa13 4222222222222" => ["4222222222222"],
            "unionpay 6200000000000005" => ["6200000000000005"],
            "enc 4111%201111%201111%201111" => ["4111%201111%201111%201111"],
            "form 4111+1111+1111+1111" => ["4111+1111+1111+1111"],
            "fr 4111\u{a0}1111\u{202f}1111\u{2007}1111 ok" => ["4111\u{a0}1111\u{202f}1111\u{2007}1111"],
            "ja 4111\u{3000}1111\u{3000}1111\u{3000}1111" => ["4111\u{3000}1111\u{3000}1111\u{3000}1111"],
            "\"4111111111111111\"" => ["4111111111111111"],
            "é4111111111111111" => ["4111111111111111"],
            "4111 1111 1111 1111 1234" => ["4111 1111 1111 1111"],
            // Maestro, 12 to 19 digits
            "maestro 6759649826438453" => ["6759649826438453"],
            "6304 0000 0000 0000" => ["6304 0000 0000 0000"],
            "m12 501800000009 ok" => ["501800000009"],
            "5020-0000-0000-0000-003" => ["5020-0000-0000-0000-003"],
            "5893 0000 0000 0000 003" => ["5893 0000 0000 0000 003"],
            "6763000000000000007" => ["6763000000000000007"],
        ];
        negative: [
            "4111111111111112",     // bad check digit
            "1234567812345670",     // Luhn-valid, no issuer
            "41111111111111111111", // too long, no boundary
            "a4111111111111111",    // touches a letter
            "4111111111111111a",
            "4111  1111 1111 1111", // double separator
            "order 2024011512345678",
            "1705314600123",
            "+44 20 7946 0958",
            "550e8400-e29b-41d4-a716-446655440000",
            "12345678-1234-1234-1234-123456789012",
            "501800000008",       // Maestro prefix, bad check digit
            "502100000004",       // not a Maestro prefix
            "123456789015",       // 12 digits, Luhn-valid, no issuer
            "411111111117",       // 12-digit Visa-like: Visa needs 13
            "order 50180000000",  // 11 digits
        ];
        hostile: [|n| "1 ".repeat(n), |n| "4".repeat(n), |n| "4-".repeat(n), |n| "4111%20".repeat(n)];
    );

    #[test]
    fn card_numbers_as_json_numbers() {
        assert!(is_card_number(b"4111111111111111"));
        assert!(!is_card_number(b"4111111111111112"));
        assert!(!is_card_number(b"411111111111"));
        assert!(is_card_number(b"501800000009"));
        assert!(!is_card_number(b"4111111111111111.0"));
        assert!(!is_card_number(b"-4111111111111111"));
        assert!(!is_card_number(b"41111111111111111111111"));
    }
}
