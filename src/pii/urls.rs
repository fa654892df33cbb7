//! Passwords in URL userinfo: `scheme://user:password@host` becomes
//! `scheme://user:[Filtered]@host` (the user name is kept, as Sentry's server does).
//! Secrets in query strings are found by the `key=value` scanner in `assign.rs`.

use super::scan::find;
use super::text::{Hit, Rule};

const MAX_USERINFO: usize = 256;

/// Finds the password part of URL userinfo in `s`.
pub fn find_userinfo(s: &[u8], out: &mut Vec<Hit>) {
    let mut from = 0;
    while let Some(p) = find(s, from, b"//") {
        let start = p + 2;
        let mut colon = None;
        let mut j = start;
        while j < s.len() && j - start < MAX_USERINFO {
            match s[j] {
                b'@' => break,
                b':' if colon.is_none() => colon = Some(j),
                b'/' | b'?' | b'#' | b'"' | b'\'' | b'<' | b'>' | b'\\' | b'[' | b']' => break,
                c if c.is_ascii_whitespace() => break,
                _ => {}
            }
            j += 1;
        }
        if j < s.len() && s[j] == b'@' {
            if let Some(c) = colon {
                if c > start && j > c + 1 {
                    out.push(Hit { start: c + 1, end: j, rule: Rule::UrlAuth });
                }
            }
        }
        from = j.max(start);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(s: &str) -> Vec<&str> {
        let mut out = Vec::new();
        find_userinfo(s.as_bytes(), &mut out);
        out.iter().map(|h| &s[h.start..h.end]).collect()
    }

    #[test]
    fn positive() {
        assert_eq!(hits("https://user:pa55@example.com/x"), vec!["pa55"]);
        assert_eq!(hits("postgres://admin:s3cr%40t!@db:5432/x"), vec!["s3cr%40t!"]);
        assert_eq!(hits("see //u:p@h and ftp://a:b@c"), vec!["p", "b"]);
    }

    #[test]
    fn negative() {
        for s in [
            "https://example.com/a@b",
            "https://ghp_tok@github.com",
            "https://h:8080/x",
            "//:p@h",
            "a//b:c d@e",
            "https://u:@h",
        ] {
            assert!(hits(s).is_empty(), "{s}");
        }
    }

    #[test]
    fn hostile_inputs_are_linear() {
        let t = std::time::Instant::now();
        let _ = hits(&"//a:".repeat(100_000));
        let _ = hits(&"/".repeat(400_000));
        assert!(t.elapsed().as_secs_f64() < 8.0);
    }
}
