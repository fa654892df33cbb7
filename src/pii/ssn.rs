//! US social security numbers: `AAA-GG-SSSS` standing alone, with the ranges the SSA
//! never issues left out (area 000, 666 or 9xx, group 00, serial 0000), which keeps
//! look-alike ids such as `000-12-3456` as they are.

use super::scan::{word_end, word_start};
use super::rule::{Hit, Rule};

/// Finds US SSNs in `s`.
pub fn find(s: &[u8], out: &mut Vec<Hit>) {
    let mut i = 0;
    while i + 11 <= s.len() {
        // `at` refuses a first byte that is not a digit
        if at(s, i) && word_start(s, i) {
            Hit::push(out, i, i + 11, Rule::UsSsn);
            i += 11;
            continue;
        }
        i += 1;
    }
}

/// `AAA-GG-SSSS` at `i` (11 bytes are there), standing alone, with issued numbers.
fn at(s: &[u8], i: usize) -> bool {
    // area, group and serial, read in one pass: each part is checked at the `-` after
    // it (the 3rd and 5th digit), the serial at the end
    let mut v = 0u32;
    for k in 0..11 {
        let c = s[i + k];
        if k == 3 || k == 6 {
            if c != b'-' || v == 0 || (k == 3 && (v == 666 || v >= 900)) {
                return false;
            }
            v = 0;
        } else if c.is_ascii_digit() {
            v = v * 10 + (c - b'0') as u32;
        } else {
            return false;
        }
    }
    v != 0 && word_end(s, i + 11)
}

#[cfg(test)]
mod tests {
    use super::*;

    matcher_tests!(find;
        positive: [
            "ssn 123-45-6789." => ["123-45-6789"],
            "\"078-05-1120\"" => ["078-05-1120"],
            "a 123-45-6789 b 234-56-7890" => ["123-45-6789", "234-56-7890"],
        ];
        negative: [
            "000-12-3456",
            "666-12-3456",
            "912-34-5678",
            "123-00-4567",
            "123-45-0000",
            "1123-45-6789",
            "123-45-67890",
            "x123-45-6789",
            "123 45 6789",
            "555-123-4567",
            "2024-01-15",
        ];
        hostile: [|n| "123-45-678".repeat(n), |n| "1-".repeat(n)];
    );
}
