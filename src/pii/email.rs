//! Email addresses (`local@domain.tld`, also with the `@` URL-encoded as `%40`),
//! replaced by `[email]`. Local part and domain follow the shape Sentry's server uses:
//! RFC 5322 atom characters, then dot-separated labels ending in an alphabetic TLD.

use super::scan::{alnum_dash, at, run, word_end};
use super::rule::{Hit, Rule};

const MAX_LOCAL: usize = 64;
const MAX_DOMAIN: usize = 255;

/// Local-part characters: RFC 5322 atoms without `=`, `&`, `?` and `/`, which in practice
/// delimit query parameters and paths (`?to=bob@example.com` keeps its `to=`).
fn local_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || crate::text::in_set(b".!#$%'*+^_`{|}~-", c)
}

/// Finds email addresses in `s`.
pub fn find(s: &[u8], out: &mut Vec<Hit>) {
    let mut i = 0;
    while i < s.len() {
        let width = if s[i] == b'@' {
            1
        } else if s[i] == b'%' && at(s, i, b"%40") {
            3
        } else {
            0
        };
        if width == 0 {
            i += 1;
            continue;
        }
        // the local part lies before the `@`: read from the text cut there, so the reads
        // need no bounds checks of their own
        let local = &s[..i];
        let mut start = i;
        while start > 0 && i - start < MAX_LOCAL && local_char(local[start - 1]) {
            start -= 1;
        }
        while start < i && !local[start].is_ascii_alphanumeric() {
            start += 1;
        }
        match (start < i).then(|| domain_end(s, i + width)).flatten() {
            Some(end) => {
                Hit::push(out, start, end, Rule::Email);
                i = end;
            }
            None => i += width,
        }
    }
}

/// The end of `label(.label)*.tld` starting at `i`, where the TLD has two or more letters.
fn domain_end(s: &[u8], i: usize) -> Option<usize> {
    let mut best = None;
    let mut pos = i;
    let mut labels = 0;
    while pos < s.len() && pos - i < MAX_DOMAIN {
        let start = pos;
        pos = run(s, pos, alnum_dash);
        if pos == start {
            break;
        }
        labels += 1;
        let label = &s[start..pos];
        if labels >= 2
            && label.len() >= 2
            && label.iter().all(u8::is_ascii_alphabetic)
            && word_end(s, pos)
        {
            best = Some(pos);
        }
        if pos < s.len() && s[pos] == b'.' {
            pos += 1;
        } else {
            break;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    matcher_tests!(find;
        positive: [
            "mail bob@example.com now" => ["bob@example.com"],
            "<Jane.Doe+tag@mail.example.co.uk>" => ["Jane.Doe+tag@mail.example.co.uk"],
            "to=bob%40example.com&x" => ["bob%40example.com"],
            "\"a_b@x-y.io\"" => ["a_b@x-y.io"],
            "bob@example.com.123" => ["bob@example.com"],
            "end bob@example.com." => ["bob@example.com"],
        ];
        negative: [
            "@example.com",
            "bob@",
            "bob@localhost",
            "bob@example.c",
            "bob@example.com_x",
            "a @ b.com",
            "npm i @scope/pkg@1.2.3",
            "user@10.0.0.1",
        ];
        hostile: [|n| "a@".repeat(n), |n| "%40".repeat(n), |n| "a@b.".repeat(n), |n| "@a.bb".repeat(n)];
    );
}
