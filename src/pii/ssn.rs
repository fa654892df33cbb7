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
            out.push(Hit { start: i, end: i + 11, rule: Rule::UsSsn });
            i += 11;
            continue;
        }
        i += 1;
    }
}

fn at(s: &[u8], i: usize) -> bool {
    let d = |k: usize| s[i + k].is_ascii_digit();
    if !(d(0) && d(1) && d(2) && s[i + 3] == b'-' && d(4) && d(5) && s[i + 6] == b'-' && d(7) && d(8) && d(9) && d(10))
    {
        return false;
    }
    if !word_end(s, i + 11) {
        return false;
    }
    let num = |a: usize, b: usize| s[a..b].iter().fold(0u32, |n, c| n * 10 + (c - b'0') as u32);
    let area = num(i, i + 3);
    let group = num(i + 4, i + 6);
    let serial = num(i + 7, i + 11);
    area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
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
