//! Passwords in URL userinfo: `scheme://user:password@host` becomes
//! `scheme://user:[Filtered]@host` (the user name is kept, as Sentry's server does),
//! also when the user is empty (`redis://:password@host`), when the password itself
//! contains `@` (`postgres://app:Xy7@ab99@db/app`: the userinfo ends at the last `@`
//! before the path), and when the URL is itself URL-encoded.
//! Secrets in query strings are found by the `key=value` scanner in `assign.rs`.

use super::scan::{ascii_set, at, at_ci, in_ascii_set, pct, AsciiSet};
use super::rule::{Hit, Rule};

const MAX_USERINFO: usize = 256;

/// Bytes that end an authority when written as they are (not `%`-escaped): quotes,
/// brackets, a backslash, `&` and white space.
const ENDS_AUTHORITY: AsciiSet = ascii_set(b"\"'<>\\[]&\t\n\x0c\r ", false);

/// Finds the password part of URL userinfo in `s`, plain or URL-encoded
/// (`https%3A%2F%2Fuser%3Apass%40host`). The authority is read up to the first `/`, `?`,
/// `#`, quote, bracket or whitespace (at most 256 bytes); its last `@` ends the userinfo
/// and its first `:` before that starts the password.
pub fn find_userinfo(s: &[u8], out: &mut Vec<Hit>) {
    let mut i = 0;
    while i + 2 <= s.len() {
        let (start, encoded) = if at(s, i, b"//") {
            (i + 2, false)
        } else if s[i] == b'%' && (at_ci(s, i, b"%2f%2f")) {
            (i + 6, true)
        } else {
            i += 1;
            continue;
        };
        let mut colon = None;
        let mut last_at = None;
        let mut j = start;
        while j < s.len() && j - start < MAX_USERINFO {
            // in an encoded URL, `@` and `:` count only as escapes (`%40`, `%3A`), and
            // an escape ends the authority only for `/`, `?` or `#`
            let escaped = encoded && s[j] == b'%';
            let (c, len) = if escaped { (pct(s, j).unwrap_or(0), 3) } else { (s[j], 1) };
            match c {
                b'@' if escaped == encoded => last_at = Some(j),
                b':' if escaped == encoded && colon.is_none() => colon = Some((j, len)),
                b'/' | b'?' | b'#' => break,
                c if !escaped && in_ascii_set(&ENDS_AUTHORITY, c) => break,
                _ => {}
            }
            j += len;
        }
        if let (Some(at_sign), Some((c, len))) = (last_at, colon) {
            if at_sign > c + len {
                Hit::push(out, c + len, at_sign, Rule::UrlAuth);
            }
        }
        i = j;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    matcher_tests!(find_userinfo;
        positive: [
            "https://user:pa55@example.com/x" => ["pa55"],
            "postgres://admin:s3cr%40t!@db:5432/x" => ["s3cr%40t!"],
            "see //u:p@h and ftp://a:b@c" => ["p", "b"],
            "u%3Dhttps%3A%2F%2Fadmin%3As3cr%2At%40db%3A5432" => ["s3cr%2At"],
            // empty user
            "redis://:pw@host:6379/0" => ["pw"],
            "//:p@h" => ["p"],
            "u%3Dredis%3A%2F%2F%3As3cr%40host" => ["s3cr"],
            // `@` (and `:`) inside the password
            "postgres://app:Xy7@ab99zz@db/app" => ["Xy7@ab99zz"],
            "amqp://u:a@b:c@@mq:5672" => ["a@b:c@"],
            "mongodb+srv://u:p%40ss@h1,h2/db?x=1" => ["p%40ss"],
            "x%3Dhttps%3A%2F%2Fu%3Ap%40w%40h%2Fp" => ["p%40w"],
        ];
        negative: [
            "https://example.com/a@b",
            "https://ghp_tok@github.com",
            "https://h:8080/x",
            "a//b:c d@e",
            "https://u:@h",
            "ssh://git@github.com:22/org/repo",
            "https://user@host:8080/x",
            "//host/a:b@c",
            "https://example.com?next=//u:p",
            "std::io::Error @ line 5",
        ];
        hostile: [|n| "//a:".repeat(n), |n| "/".repeat(n), |n| "//:@".repeat(n), |n| "%2F%2Fa%3A%40".repeat(n)];
    );
}

