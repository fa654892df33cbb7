//! Cookie headers and cookie jars: parsed and filtered per cookie.
//!
//! Without `sendDefaultPii` every cookie value is replaced (names stay, so the event still
//! shows which cookies were sent); with it, only session, CSRF and auth cookies
//! (`keys::is_sensitive_cookie`). A `Set-Cookie` value keeps its attributes (`Path`,
//! `Expires`, …). A header that does not parse as cookies is replaced whole.

use super::config::PiiConfig;
use super::keys::is_sensitive_cookie;
use super::rule::{Hit, Rule};
use super::scan::{ascii_set, find as find_bytes, in_ascii_set, run, AsciiSet};

/// `Set-Cookie` attributes, which are not cookies.
const ATTRIBUTES: &[u8] = super::scan::words!("path domain expires max-age samesite priority secure httponly partitioned");

/// A token character (RFC 9110): a letter, a digit or one of ``!#$%&'*+-.^_`|~``.
fn token_char(c: u8) -> bool {
    const TOKEN: AsciiSet = ascii_set(b"!#$%&'*+-.^_`|~", true);
    in_ascii_set(&TOKEN, c)
}

fn trim(s: &[u8], mut a: usize, mut b: usize) -> (usize, usize) {
    // cut at `b` once, so the reads below need no bounds checks of their own
    let s = &s[..b];
    while a < b && (s[a] == b' ' || s[a] == b'\t') {
        a += 1;
    }
    while b > a && (s[b - 1] == b' ' || s[b - 1] == b'\t') {
        b -= 1;
    }
    (a, b)
}

/// True when the cookie `name` is filtered under `cfg`.
pub fn filters(name: &str, cfg: &PiiConfig) -> bool {
    !cfg.send_default_pii || is_sensitive_cookie(name, cfg)
}

/// The cookie values to replace in a `Cookie` (or, with `set_cookie`, `Set-Cookie`)
/// header, or `None` when it does not parse as cookies.
pub fn find(text: &str, set_cookie: bool, cfg: &PiiConfig) -> Option<Vec<Hit>> {
    let s = text.as_bytes();
    let mut hits = Vec::new();
    let mut seen = 0;
    // the `;`-separated parts, the last one running to the end
    let (mut next, mut index) = (0, 0);
    while next <= s.len() {
        let start = next;
        let end = find_bytes(s, start, b";").unwrap_or(s.len());
        next = end + 1;
        let attribute = set_cookie && index > 0;
        index += 1;
        let (a, b) = trim(s, start, end);
        if a == b {
            continue;
        }
        seen += 1;
        let Some(eq) = find_bytes(&s[..b], a, b"=") else {
            if attribute {
                continue;
            }
            return None;
        };
        let (na, nb) = trim(s, a, eq);
        if na == nb || run(s, na, token_char) < nb {
            return None;
        }
        let name = crate::text::part(text, na, nb); // token characters are ASCII
        if attribute && super::scan::one_of_ci(name.as_bytes(), ATTRIBUTES) {
            continue;
        }
        let (va, vb) = trim(s, eq + 1, b);
        if va < vb && filters(name, cfg) {
            Hit::push(&mut hits, va, vb, Rule::Cookie);
        }
    }
    (seen > 0).then_some(hits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str, set_cookie: bool, send_default_pii: bool) -> Option<Vec<&str>> {
        let cfg = PiiConfig { send_default_pii, ..PiiConfig::default() };
        find(s, set_cookie, &cfg).map(|h| h.iter().map(|h| &s[h.start..h.end]).collect())
    }

    #[test]
    fn every_value_by_default_sensitive_ones_with_send_default_pii() {
        assert_eq!(run("sessionid=s1; theme=dark; _ga=GA1.2", false, false), Some(vec!["s1", "dark", "GA1.2"]));
        assert_eq!(
            run("sessionid=s1; theme=dark; csrftoken=c; remember_me=r", false, true),
            Some(vec!["s1", "c", "r"])
        );
        assert_eq!(run("id=\"quoted\"; empty=", false, false), Some(vec!["\"quoted\""]));
    }

    #[test]
    fn set_cookie_keeps_attributes() {
        assert_eq!(
            run("sessionid=abc; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT; HttpOnly; Secure", true, false),
            Some(vec!["abc"])
        );
    }

    #[test]
    fn unparseable_headers_are_reported() {
        assert_eq!(run("just some text", false, false), None);
        assert_eq!(run("a=1; garbage", false, false), None);
        assert_eq!(run("bad name=1", false, false), None);
        assert_eq!(run("", false, false), None);
        assert_eq!(run(" ; ", false, false), None);
    }

    #[test]
    fn hostile_inputs_are_linear() {
        for (what, unit) in [("a=b;", "a=b;"), (";", ";")] {
            crate::pii::testkit::assert_linear(what, |n| unit.repeat(n), |s| {
                let _ = run(s, false, false);
            });
        }
    }
}
