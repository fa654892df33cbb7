//! US social security numbers: `AAA-GG-SSSS` standing alone, with the ranges the SSA
//! never issues left out (area 000, 666 or 9xx, group 00, serial 0000), which keeps
//! look-alike ids such as `000-12-3456` as they are.

use super::scan::{word_end, word_start};
use super::rule::{Hit, Rule};

/// Finds US SSNs in `s`.
pub fn find(s: &[u8], out: &mut Vec<Hit>) {
    let mut i = 0;
    while i + 11 <= s.len() {
        if s[i].is_ascii_digit() && word_start(s, i) && at(s, i) {
            Hit::push(out, i, i + 11, Rule::UsSsn);
            i += 11;
            continue;
        }
        i += 1;
    }
}

/// `AAA-GG-SSSS` at `i` (11 bytes are there), standing alone, with issued numbers.
fn at(s: &[u8], i: usize) -> bool {
    // area, group and serial, read in one pass: a `-` after the 3rd and 5th digit
    let mut part = [0u32; 3];
    let mut p = 0;
    for k in 0..11 {
        let c = s[i + k];
        if k == 3 || k == 6 {
            if c != b'-' {
                return false;
            }
            p += 1;
        } else if c.is_ascii_digit() {
            part[p] = part[p] * 10 + (c - b'0') as u32;
        } else {
            return false;
        }
    }
    word_end(s, i + 11) && part[0] != 0 && part[0] != 666 && part[0] < 900 && part[1] != 0 && part[2] != 0
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
