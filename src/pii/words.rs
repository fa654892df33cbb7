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

use super::scan::at_ci;
use super::text::{Hit, Rule};

/// Words that make a whole value sensitive, lowercase.
const WORDS: &[&[u8]] = &[
    b"password",
    b"secret",
    b"passwd",
    b"api-key",
    b"api_key",
    b"apikey",
    b"auth",
    b"credentials",
    b"mysql_pwd",
    b"privatekey",
    b"private-key",
    b"private_key",
];

/// Values that are sensitive when they are the whole string.
const WHOLE: &[&[u8]] = &[b"otp", b"two-factor", b"two_factor"];

/// True when `s` contains one of the words (see the module docs). Linear in `s`.
pub fn matches(s: &[u8]) -> bool {
    if WHOLE.iter().any(|w| w.len() == s.len() && at_ci(s, 0, w)) {
        return true;
    }
    // `token` then a run without whitespace that contains `:` or `=`. A failed run ends
    // at the same whitespace for every `token` inside it, so the scan resumes there.
    let mut i = 0;
    let mut checked_until = 0;
    while i < s.len() {
        let c = s[i].to_ascii_lowercase();
        if matches!(c, b'p' | b's' | b'a' | b'c' | b'm') && WORDS.iter().any(|w| w[0] == c && at_ci(s, i, w)) {
            return true;
        }
        if c == b't' && i >= checked_until && at_ci(s, i, b"token") {
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

/// In a query string, each parameter value that contains a password-like word (Sentry's
/// server parses query strings into pairs and applies the rule per value).
pub fn find_in_query(s: &[u8], out: &mut Vec<Hit>) {
    let mut pos = 0;
    while pos < s.len() {
        let end = s[pos..].iter().position(|&c| c == b'&').map_or(s.len(), |p| pos + p);
        if let Some(eq) = s[pos..end].iter().position(|&c| c == b'=') {
            let v = pos + eq + 1;
            if v < end && matches(&s[v..end]) {
                out.push(Hit { start: v, end, rule: Rule::Password });
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
    fn query_values() {
        let s = b"q=reset+password+help&page=2&next=/login";
        let mut out = Vec::new();
        find_in_query(s, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(&s[out[0].start..out[0].end], b"reset+password+help");
    }

    #[test]
    fn hostile_inputs_are_linear() {
        let s = "token".repeat(200_000);
        let t = std::time::Instant::now();
        assert!(!matches(s.as_bytes()));
        assert!(t.elapsed().as_secs_f64() < 8.0);
    }
}
