//! IBANs: an IBAN country code, two check digits and 11 to 30 letters or digits, with a
//! valid ISO 13616 mod-97 checksum. Written solid (`DE89370400440532013000`) or in the
//! printed form with groups of four (`DE89 3704 0044 0532 0130 00`, also with `%20`),
//! which Sentry's server does not recognise.

use super::scan::{at as at_bytes, is_word, word_start};
use super::rule::{Hit, Rule};

/// IBAN country codes (the IBAN registry plus the partial-IBAN countries Relay lists).
const COUNTRIES: &[u8] = b"ADAEALATAZBABEBGBHBIBRBYCHCRCYCZDEDJDKDODZEEEGESFIFKFOFRGBGEGIGLGRGTHRHUIEILIQISITJOKWKZLBLCLILTLULVLYMCMDMEMKMNMRMTMUNINLNOOMPKPLPSPTQAROTRRSRUSASCSDSESISKSMSOSTSVTLTNUAVAVGXKYEAOBJBFCVCMCFTDKMCGCIGQGAGWHNIRMGMLMAMZNESNTG";

const MIN_LEN: usize = 15;
const MAX_LEN: usize = 34;

/// Finds IBANs in `s`.
pub fn find(s: &[u8], out: &mut Vec<Hit>) {
    let mut i = 0;
    while i + 4 <= s.len() {
        if s[i].is_ascii_uppercase() && word_start(s, i) && head(s, i) {
            if let Some(end) = at(s, i) {
                out.push(Hit { start: i, end, rule: Rule::Iban });
                i = end;
                continue;
            }
        }
        i += 1;
    }
}

/// Country code and two check digits at `i`.
fn head(s: &[u8], i: usize) -> bool {
    s[i + 1].is_ascii_uppercase()
        && s[i + 2].is_ascii_digit()
        && s[i + 3].is_ascii_digit()
        && COUNTRIES.chunks(2).any(|c| c == &s[i..i + 2])
}

/// The end of a valid IBAN starting at `start`, solid or grouped by single spaces.
fn at(s: &[u8], start: usize) -> Option<usize> {
    let mut chars = [0u8; MAX_LEN];
    let mut n = 0;
    let mut i = start;
    let mut best = None;
    loop {
        // one group: a run of letters and digits
        let g = i;
        while i < s.len() && s[i].is_ascii_alphanumeric() && n < MAX_LEN {
            chars[n] = s[i];
            n += 1;
            i += 1;
        }
        if i < s.len() && is_word(s[i]) {
            return best; // the word goes on (too long, or `_`): not an IBAN here
        }
        if n >= MIN_LEN && checksum(&chars[..n]) {
            best = Some(i);
        }
        // printed form: groups of four separated by one space
        let grouped = i - g == 4 && n < MAX_LEN;
        let sep = if s.get(i) == Some(&b' ') {
            1
        } else if at_bytes(s, i, b"%20") {
            3
        } else {
            0
        };
        if grouped && sep > 0 && s.get(i + sep).is_some_and(|c| c.is_ascii_alphanumeric()) {
            i += sep;
            continue;
        }
        return best;
    }
}

/// ISO 13616: move the first four characters to the end, letters to 10..35, mod 97 == 1.
fn checksum(iban: &[u8]) -> bool {
    let mut rem: u32 = 0;
    for &c in iban[4..].iter().chain(&iban[..4]) {
        let v = match c {
            b'0'..=b'9' => (c - b'0') as u32,
            b'A'..=b'Z' => (c - b'A') as u32 + 10,
            b'a'..=b'z' => (c - b'a') as u32 + 10,
            _ => return false,
        };
        rem = if v >= 10 { (rem * 100 + v) % 97 } else { (rem * 10 + v) % 97 };
    }
    rem == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    matcher_tests!(find;
        positive: [
            "DE89370400440532013000" => ["DE89370400440532013000"],
            "iban: GB82WEST12345698765432." => ["GB82WEST12345698765432"],
            "DE89 3704 0044 0532 0130 00 end" => ["DE89 3704 0044 0532 0130 00"],
            "FR1420041010050500013M02606" => ["FR1420041010050500013M02606"],
            "NO9386011117947" => ["NO9386011117947"],
            "\"CH9300762011623852957\"" => ["CH9300762011623852957"],
            "x%3DDE89%203704%200044%200532%200130%2000%26" => ["DE89%203704%200044%200532%200130%2000"],
        ];
        negative: [
            "DE89370400440532013001",  // bad checksum
            "ZZ89370400440532013000",  // not a country
            "XDE89370400440532013000", // inside a word
            "DE89370400440532013000_x",
            "DE89 3704",
            "DEADBEEF00112233445566778899",
            "AB12CD34EF56",
        ];
        hostile: [|n| "DE89 ".repeat(n), |n| "DE89".repeat(n), |n| "DE891234 ".repeat(n)];
    );
}
