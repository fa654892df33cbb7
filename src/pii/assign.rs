//! Secrets written as `key=value` or `key: value` inside a string: query strings and
//! form bodies (`?token=…&`), log lines (`password=…`), header lines
//! (`Authorization: Basic …`), JSON and JSON-in-JSON text (`"api_key":"…"`,
//! `{\"secret\":\"…\"}`) and their URL-encoded forms (`password%3D…`, `%22pwd%22%3A%22…%22`).
//!
//! The scanner stops at every `=`, `:`, `%3D` or `%3A`, looks back over at most 64 key
//! characters (past an optional closing quote), and when the key is sensitive
//! (`keys.rs`; inside a query string also `key`, `sig`, `code`, …) replaces the value
//! that follows: a quoted value up to its closing quote, otherwise up to the next
//! delimiter. `Basic`/`Bearer`/`Digest` credentials after an auth key are taken whole.
//! The scan never moves backwards past a replaced value, so it is linear.
//!
//! Command lines get the same treatment for flags whose value follows after a space:
//! `--password hunter2`, `--api-key "k 1"` (see [`find_flags`]).

use super::config::PiiConfig;
use super::keys::{self, KeyClass};
use super::scan::{ascii_set, at, byte, in_ascii_set, AsciiSet, ends_value, literal, one_of_ci, pct, run, words};
use super::rule::{Hit, Rule};
use crate::text::{part, str_of};

const MAX_KEY: usize = 64;

fn key_char(c: u8) -> bool {
    const KEY: AsciiSet = ascii_set(b"_-.[]$", true);
    in_ascii_set(&KEY, c)
}

/// Length of a `key`/`value` separator at `i`, or 0.
fn separator(s: &[u8], i: usize) -> usize {
    let prev = if i > 0 { s[i - 1] } else { 0 };
    match s[i] {
        b'=' if byte(s, i + 1) != b'=' && !matches!(prev, b'=' | b'!' | b'<' | b'>') => 1,
        b':' if byte(s, i + 1) != b':' && prev != b':' && !at(s, i + 1, b"//") => 1,
        b'%' if matches!(pct(s, i), Some(b'=' | b':')) => 3,
        _ => 0,
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Quote {
    None,
    Plain(u8),
    Escaped,
    Encoded,
}

/// Finds sensitive values in `s`. `query`: the string is itself a query string or form
/// body, so its first key is a query parameter.
pub fn find(text: &str, query: bool, cfg: &PiiConfig, out: &mut Vec<Hit>) {
    let s = text.as_bytes();
    let mut i = 0;
    let mut floor = 0;
    while i < s.len() {
        let sep = separator(s, i);
        if sep == 0 {
            i += 1;
            continue;
        }
        let Some((class, in_query)) = key_before(text, floor, i, query, cfg) else {
            i += sep;
            continue;
        };
        let (start, end) = value_after(s, i + sep, class == Rule::Cookie, in_query);
        if end > start && !literal(&s[start..end]) {
            Hit::push(out, start, end, class);
            i = end;
            floor = end;
        } else {
            i = start;
        }
    }
}

/// The key ending just before the separator at `sep`, if it names a secret: the rule to
/// apply to its value (`Secret`, or `Cookie` for cookie headers), and whether the key is
/// a query parameter.
fn key_before(text: &str, floor: usize, sep: usize, query: bool, cfg: &PiiConfig) -> Option<(Rule, bool)> {
    // every byte read lies before the separator: cut there once, so the reads need no
    // bounds checks of their own
    let s = &text.as_bytes()[..sep];
    let mut end = sep;
    while end > floor && s[end - 1] == b' ' && sep - end < 4 {
        end -= 1;
    }
    if end > floor && matches!(s[end - 1], b'"' | b'\'') {
        end -= 1;
        if end > floor && s[end - 1] == b'\\' {
            end -= 1;
        }
    } else if end >= floor + 3 && at(s, end - 3, b"%22") {
        end -= 3;
    }
    // walk back over key characters; `%XX` escapes of key characters or spaces are part
    // of the key (`api%20key`), an escaped delimiter ends it (`%26password`)
    let mut start = end;
    let mut escaped = false;
    let mut before = 0u8;
    while start > floor && end - start < MAX_KEY {
        if let Some(c) = if start >= floor + 3 { pct(s, start - 3) } else { None } {
            if key_char(c) || c == b' ' {
                start -= 3;
                escaped = true;
                continue;
            }
            before = c;
            break;
        }
        if key_char(s[start - 1]) {
            start -= 1;
            continue;
        }
        before = s[start - 1];
        break;
    }
    if start >= end || !s[start..end].iter().any(u8::is_ascii_alphabetic) {
        return None;
    }
    // key characters and escapes are ASCII, so both ends are character boundaries
    let mut buf = [0u8; 2 * MAX_KEY];
    let key = if escaped {
        decode(&s[start..end], &mut buf)
    } else {
        part(text, start, end)
    };
    let in_query = (start == 0 && query) || before == b'?' || before == b'&';
    // two-word keys in prose: `api key: …`, `secret token=…`
    if before == b' ' && start > floor + 1 && keys::classify(key, cfg, false) == KeyClass::Plain {
        let mut prev = start - 1;
        while prev > floor && key_char(s[prev - 1]) && start - prev < 32 {
            prev -= 1;
        }
        if prev < start - 1 && keys::classify(part(text, prev, end), cfg, false) == KeyClass::Sensitive {
            return Some((Rule::Secret, in_query));
        }
    }
    let rule = match keys::classify(key, cfg, false) {
        KeyClass::Sensitive => Rule::Secret,
        KeyClass::Cookie => Rule::Cookie,
        KeyClass::Safe => return None,
        KeyClass::Plain if in_query && keys::is_query_credential(key) => Rule::Secret,
        KeyClass::Plain => return None,
    };
    Some((rule, in_query))
}

/// Command-line flags with a sensitive name and a value after a space
/// (`--password hunter2`, `--token 'abc def'`): the value is replaced. A value that starts
/// with `-` is the next flag, not a value.
pub fn find_flags(text: &str, cfg: &PiiConfig, out: &mut Vec<Hit>) {
    let s = text.as_bytes();
    let mut i = 0;
    while i + 2 < s.len() {
        let starts = at(s, i, b"--") && (i == 0 || in_ascii_set(&BEFORE_FLAG, s[i - 1]));
        if !starts {
            i += 1;
            continue;
        }
        let k = i + 2;
        let mut j = k;
        while j < s.len() && j - k < MAX_KEY && in_ascii_set(&FLAG_NAME, s[j]) {
            j += 1;
        }
        let mut v = j;
        while v < s.len() && s[v] == b' ' && v - j < 4 {
            v += 1;
        }
        if j > k && v > j && v < s.len() && s[v] != b'-' && keys::classify(part(text, k, j), cfg, false) == KeyClass::Sensitive {
            let (start, end) = match s[v] {
                q @ (b'"' | b'\'') => {
                    // up to the closing quote or the end of the line
                    let mut close = v + 1;
                    while close < s.len() && s[close] != q && s[close] != b'\n' {
                        close += 1;
                    }
                    (v + 1, close)
                }
                _ => (v, run(s, v, flag_value_char)),
            };
            if end > start && !literal(&s[start..end]) {
                Hit::push(out, start, end, Rule::Secret);
                i = end;
                continue;
            }
        }
        i = j;
    }
}

/// The bytes that may stand before a flag's `--`.
const BEFORE_FLAG: AsciiSet = ascii_set(b" \t\n\"'[,", false);

/// The bytes of a flag's name.
const FLAG_NAME: AsciiSet = ascii_set(b"-_.", true);

/// A byte of an unquoted flag value: not white space, a quote, a backslash, `,` or `]`.
fn flag_value_char(c: u8) -> bool {
    const ENDS: AsciiSet = ascii_set(b"\t\n\x0c\r \"'\\,]", false);
    !in_ascii_set(&ENDS, c)
}

/// `%XX` escapes decoded into `buf` (the input is ASCII key text, at most `MAX_KEY + 2`
/// bytes, so the result is ASCII too).
fn decode<'b>(key: &[u8], buf: &'b mut [u8; 2 * MAX_KEY]) -> &'b str {
    let (mut n, mut i) = (0, 0);
    while i < key.len() {
        let (c, len) = match pct(key, i) {
            Some(c) => (c, 3),
            None => (key[i], 1),
        };
        buf[n] = c;
        n += 1;
        i += len;
    }
    str_of(&buf[..n]).unwrap_or_default()
}

/// HTTP auth schemes whose credential follows after a space.
const SCHEMES: &[u8] = words!("basic bearer token apikey negotiate ntlm");
/// Schemes whose credential is a parameter list: everything to the end of the line.
const LIST_SCHEMES: &[u8] = words!("digest aws4-hmac-sha256 hoba mutual signature");

fn not_line_end(c: u8) -> bool {
    c != b'\n' && c != b'\r'
}

/// The value after a separator ending at `v`: `(start, end)`; empty when there is none
/// or it is an object or array (its own keys are scanned instead). In a query string a
/// `#` (the fragment) also ends the value.
fn value_after(s: &[u8], mut v: usize, to_line_end: bool, in_query: bool) -> (usize, usize) {
    if byte(s, v) == b'>' {
        v += 1; // `=>`
    }
    // at most four spaces or tabs
    v = run(&s[..s.len().min(v + 4)], v, |c| c == b' ' || c == b'\t');
    let quote = match byte(s, v) {
        b'"' | b'\'' => Quote::Plain(s[v]),
        b'\\' if at(s, v, b"\\\"") => Quote::Escaped,
        b'%' if at(s, v, b"%22") => Quote::Encoded,
        _ => Quote::None,
    };
    let start = v + match quote {
        Quote::None => 0,
        Quote::Plain(_) => 1,
        Quote::Escaped => 2,
        Quote::Encoded => 3,
    };
    if matches!(byte(s, start), b'{' | b'[') {
        return (start, start);
    }
    let mut end = start;
    match quote {
        Quote::Plain(_) | Quote::Escaped | Quote::Encoded => {
            while end < s.len() && !closes(s, end, quote) {
                end += 1;
            }
        }
        Quote::None if to_line_end => {
            end = run(s, end, not_line_end);
        }
        Quote::None => {
            end = plain_value_end(s, start, in_query);
            let word = &s[start..end];
            if byte(s, end) == b' ' && byte(s, end + 1) > b' ' {
                if one_of_ci(word, LIST_SCHEMES) {
                    end = run(s, end, not_line_end);
                } else if one_of_ci(word, SCHEMES) {
                    end = plain_value_end(s, end + 1, false);
                }
            }
        }
    }
    (start, end)
}

/// True when the closing quote of a value quoted with `quote` stands at `end` (past the
/// opening quote).
fn closes(s: &[u8], end: usize, quote: Quote) -> bool {
    match quote {
        Quote::Plain(q) => s[end] == q && s[end - 1] != b'\\',
        Quote::Escaped => at(s, end, b"\\\""),
        Quote::Encoded => at(s, end, b"%22"),
        Quote::None => true,
    }
}

/// Escaped bytes that end an unquoted value (`%26`, `%22`, …).
const ENDS_ESCAPED: AsciiSet = ascii_set(b"&\", ;}", false);

/// The end of an unquoted value: the next delimiter, or an encoded `&`, `"`, `,`, space;
/// with `fragment` also a `#`.
fn plain_value_end(s: &[u8], mut end: usize, fragment: bool) -> usize {
    while end < s.len() && !ends_value(s[end]) && !(fragment && s[end] == b'#') {
        if pct(s, end).is_some_and(|c| in_ascii_set(&ENDS_ESCAPED, c)) {
            break;
        }
        end += 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str, query: bool) -> Vec<&str> {
        let mut out = Vec::new();
        find(s, query, &PiiConfig::default(), &mut out);
        out.iter().map(|h| &s[h.start..h.end]).collect()
    }

    #[test]
    fn positive() {
        for (s, want) in [
            ("login password=hunter2 ok", vec!["hunter2"]),
            ("https://x.io/cb?code=abc123&state=ok&access_token=t0k#frag", vec!["abc123", "t0k"]),
            ("?key=AIzaSyD&sig=xyz", vec!["AIzaSyD", "xyz"]),
            ("Authorization: Basic dXNlcjpwYXNz\r\nHost: x", vec!["Basic dXNlcjpwYXNz"]),
            ("authorization: Digest username=\"a\", response=\"b\"\nx", vec!["Digest username=\"a\", response=\"b\""]),
            ("{\"api_key\":\"k-123\",\"n\":1}", vec!["k-123"]),
            ("{\"API-Key\" : 'k 1'}", vec!["k 1"]),
            ("{\\\"secret\\\":\\\"s3\\\"}", vec!["s3"]),
            ("%7B%22password%22%3A%22hunter2%22%7D", vec!["hunter2"]),
            ("password%3Dhunter2%26x%3D1", vec!["hunter2"]),
            ("a=1&pwd=p%40ss&b=2", vec!["p%40ss"]),
            ("GET%20%2Fx%3Fapi%20key%3Dk9%26page%3D2", vec!["k9"]),
            ("the api key=k7 and private key: k6", vec!["k7", "k6"]),
            ("a%3D1%26key%3Dk8", vec!["k8"]),
            ("data[password]=x1&y=2", vec!["x1"]),
            ("--db-password=x2 --v", vec!["x2"]),
            (":token => 'x3'", vec!["x3"]),
            ("Cookie: sessionid=abc; theme=dark\nNext: 1", vec!["sessionid=abc; theme=dark"]),
            ("sid=s1;", vec!["s1"]),
            ("\"pwd\":\"a\\\"b\"", vec!["a\\\"b"]),
        ] {
            assert_eq!(run(s, false), want, "{s}");
        }
        assert_eq!(run("key=abc&x=1", true), vec!["abc"]);
        assert_eq!(run("key=abc&x=1", false), Vec::<&str>::new());
    }

    #[test]
    fn negative() {
        for s in [
            "https://example.com:8080/auth/login",
            "10:30:00",
            "a == b",
            "x != y",
            "std::token",
            "key=1",
            "token: ",
            "{\"password\": null}",
            "\"credentials\": {\"user\": \"u\"}",
            "code=500",
            "q=password",
            "Unexpected token '<'",
        ] {
            assert!(run(s, false).is_empty(), "{s}: {:?}", run(s, false));
        }
        assert_eq!(run("{\"auth\":{\"user\":\"u\",\"pass\":\"p\"}}", false), vec!["p"]);
    }

    fn flags(s: &str) -> Vec<&str> {
        let mut out = Vec::new();
        find_flags(s, &PiiConfig::default(), &mut out);
        out.iter().map(|h| &s[h.start..h.end]).collect()
    }

    #[test]
    fn command_line_flags() {
        for (s, want) in [
            ("mysql --password hunter2 --host db", vec!["hunter2"]),
            ("run --api-key  k-123 -v", vec!["k-123"]),
            ("cli --token 'abc def' --x", vec!["abc def"]),
            ("[\"--client-secret\", \"s3\"]", vec![]),
            ("deploy --db-password \"p w\" --auth-token t9", vec!["p w", "t9"]),
            ("--password hunter2", vec!["hunter2"]),
        ] {
            assert_eq!(flags(s), want, "{s}");
        }
        for s in [
            "--password --verbose",
            "--password",
            "--password ",
            "--verbose yes",
            "x--password hunter2",
            "--host db --port 5432",
            "a -- password b",
            "--passwordless true",
        ] {
            assert!(flags(s).is_empty(), "{s}: {:?}", flags(s));
        }
        // `--flag=value` is a key=value pair
        assert_eq!(run("cli --token=abc --api-key=k2 --x=1", false), vec!["abc", "k2"]);
    }

    #[test]
    fn hostile_inputs_are_linear() {
        for unit in ["--password ", "--password --x ", "--token '", "-- "] {
            crate::pii::testkit::assert_linear(unit, |n| unit.repeat(n), |s| {
                let _ = flags(s);
            });
        }
        let makes: [(&str, crate::pii::testkit::Make); 7] = [
            ("a=", |n| "a=".repeat(n)),
            (":", |n| ":".repeat(n)),
            ("password=xxx", |n| format!("password={}", "x".repeat(n))),
            ("password=\"", |n| "password=\"".repeat(n)),
            ("aaa=1", |n| format!("{}=1", "a".repeat(n))),
            ("%3D%22", |n| "%3D%22".repeat(n)),
            ("token:token:", |n| "token:token:".repeat(n)),
        ];
        for (what, make) in makes {
            crate::pii::testkit::assert_linear(what, make, |s| {
                let _ = run(s, true);
            });
        }
    }
}
