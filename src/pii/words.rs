//! Relay's `@password` value pattern: a value that merely *contains* a password-like
//! word is replaced whole.
//!
//! Sentry's server replaces any string in the fields it scrubs (extra, frame vars,
//! breadcrumbs, request data, user, contexts) that contains `password`, `secret`,
//! `passwd`, `api_key`/`api-key`/`apikey`, `auth`, `credentials`, `mysql_pwd`,
//! `privatekey`/`private_key`/`private-key`, `token` followed (before any whitespace) by
//! `:` or `=`, or that is exactly `otp` or `two_factor`/`two-factor` (all ignoring case).
//! oxeye applies the same rule to the same fields, so nothing the server would have
//! removed leaves the device; free-text fields the server leaves alone (messages,
//! exception values, tags) get only the precise rules instead.

use super::scan::{any_word, at_ci, find, lettered, one_of_ci, pct, run, words, Lettered};
use super::rule::{Hit, Rule};

/// Words that make a whole value sensitive, lowercase, grouped by first letter
/// (`scan::lettered`).
const WORDS: Lettered = lettered(words!("api-key api_key apikey auth credentials mysql_pwd password passwd privatekey private-key private_key secret"));

/// Values that are sensitive when they are the whole string.
const WHOLE: &[u8] = words!("otp two-factor two_factor");

/// True when `s` contains one of the words (see the module docs). Linear in `s`.
pub fn matches(s: &[u8]) -> bool {
    if one_of_ci(s, WHOLE) {
        return true;
    }
    if any_word(s, &WORDS) {
        return true;
    }
    // `token` then a run without whitespace that contains `:` or `=`. A failed run ends
    // at the same whitespace for every `token` inside it, so the scan resumes there.
    let mut i = 0;
    let mut checked_until = 0;
    while i < s.len() {
        if i >= checked_until && at_ci(s, i, b"token") {
            let mut j = i + 5;
            while j < s.len() && !s[j].is_ascii_whitespace() {
                if s[j] == b':' || s[j] == b'=' {
                    return true;
                }
                j += 1;
            }
            checked_until = j;
        }
        i += 1;
    }
    false
}

/// True when `s` is a single URL or path (no whitespace; a scheme, a leading `/` or a `?`).
/// In such a string every query value runs to the next `&` or `#`, so the precise rules
/// replace it whole and the word rule can skip key names whose values are filtered.
pub fn url_like(s: &[u8]) -> bool {
    !s.iter().any(u8::is_ascii_whitespace)
        && (s.starts_with(b"/") || crate::text::in_set(s, b'?') || find(s, 0, b"://").is_some())
}

/// [`matches`] for a URL-like string, ignoring each key name whose value is replaced
/// (by `hits`, or already `[Filtered]`): `…?token=[Filtered]&page=2` has nothing left to
/// hide, `…/auth/login?token=…` still has `auth`.
pub fn matches_in_url(s: &[u8], hits: &[Hit]) -> bool {
    let mut rest = Vec::new();
    rest.extend_from_slice(s);
    let mut ends: Vec<usize> = Vec::new();
    for h in hits {
        if matches!(h.rule, Rule::Secret | Rule::Cookie) {
            ends.push(h.start);
            rest[h.start..h.end].fill(b' ');
        }
    }
    let mut from = 0;
    while let Some(p) = find(s, from, b"[Filtered]") {
        ends.push(p);
        from = p + 1;
    }
    for &value in &ends {
        // blank the key before `=` / `:` (and an encoded `%3D`), back to the previous
        // delimiter; both texts cut at the value once, so the reads need no bounds checks
        let (s, rest) = (&s[..value], &mut rest[..value]);
        let mut k = value;
        while k > 0 && matches!(s[k - 1], b'=' | b':' | b'"' | b'\'') {
            k -= 1;
        }
        if k >= 3 && matches!(pct(s, k - 3), Some(b'=' | b':')) {
            k -= 3;
        }
        while k > 0 && !matches!(s[k - 1], b'?' | b'&' | b'#' | b'/' | b';') {
            k -= 1;
            rest[k] = b' ';
        }
    }
    matches(&rest)
}

/// In a query string, each parameter value that contains a password-like word (Sentry's
/// server parses query strings into pairs and applies the rule per value).
pub fn find_in_query(s: &[u8], out: &mut Vec<Hit>) {
    let mut pos = 0;
    while pos < s.len() {
        let end = run(s, pos, |c| c != b'&');
        if let Some(eq) = find(&s[..end], pos, b"=") {
            let v = eq + 1;
            if v < end && matches(&s[v..end]) {
                Hit::push(out, v, end, Rule::Password);
            }
        }
        pos = end + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positive() {
        for s in [
            "my PASSWORD is x",
            "client_secret",
            "Api-Key here",
            "x apikey",
            "Authenticating user",
            "OAuth2 login",
            "author",
            "db credentials",
            "MYSQL_PWD=1",
            "privateKey",
            "private-key",
            "token=abc",
            "mytokenx=1",
            "TOKEN: abc",
            "xtoken:",
            "otp",
            "OTP",
            "two_factor",
            "Two-Factor",
            "{\"password\":\"x\"}",
            "password%3Dx",
        ] {
            assert!(matches(s.as_bytes()), "{s}");
        }
    }

    #[test]
    fn negative() {
        for s in [
            "",
            "hello world",
            "token",
            "tokens are fine",
            "token abc=1",
            "the otp",
            "otp code",
            "pass word",
            "550e8400-e29b-41d4-a716-446655440000",
            "2024-01-15T10:30:00Z",
            "/var/log/app.log",
        ] {
            assert!(!matches(s.as_bytes()), "{s}");
        }
    }

    #[test]
    fn urls_whose_keys_are_filtered_are_not_filtered_whole() {
        let url = b"http://127.0.0.1:9/fail?token=[Filtered]&page=2";
        assert!(url_like(url) && matches(url) && !matches_in_url(url, &[]));
        let raw = b"https://api.example.com/x?api_key=k1&page=2";
        let hit = Hit { start: 34, end: 36, rule: Rule::Secret };
        assert_eq!(&raw[34..36], b"k1");
        assert!(!matches_in_url(raw, &[hit]));
        assert!(matches_in_url(b"https://x.io/auth/login?token=[Filtered]", &[]));
        assert!(!url_like(b"my password is hunter2"));
    }

    #[test]
    fn query_values() {
        let s = b"q=reset+password+help&page=2&next=/login";
        let mut out = Vec::new();
        find_in_query(s, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(&s[out[0].start..out[0].end], b"reset+password+help");
    }

    #[test]
    fn hostile_inputs_are_linear() {
        assert!(!matches("token".repeat(1000).as_bytes()));
        for unit in ["token", "token a", "tok"] {
            crate::pii::testkit::assert_linear(unit, |n| unit.repeat(n), |s| {
                let _ = matches(s.as_bytes());
            });
        }
    }
}
