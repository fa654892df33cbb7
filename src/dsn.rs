//! DSN handling: parsing and validating a Sentry-protocol DSN
//! (`{scheme}://{public_key}[:{secret_key}]@{host}[:{port}]{path}/{project_id}`),
//! and deriving from it the envelope endpoint URL and the public DSN text.
//!
//! Everything here is pure and never panics, whatever the input: a bad DSN is
//! reported as a [`DsnError`] naming the part that is wrong.

use core::fmt;
use crate::text::{all_digits, ascii_set, in_ascii_set, AsciiSet};

/// A parsed, validated DSN.
///
/// `scheme` and `host` are lowercased; the public key, path and project id keep
/// their case. `Debug` prints every field, the secret key included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dsn {
    /// `"http"` or `"https"`.
    pub scheme: String,
    /// The public key (sent as `sentry_key`).
    pub public_key: String,
    /// The legacy secret key, if the DSN has a non-empty one. Never sent anywhere.
    pub secret_key: Option<String>,
    /// Host name or IP address; an IPv6 address keeps its brackets (`"[::1]"`).
    pub host: String,
    /// Explicit port, if the DSN gives one.
    pub port: Option<u16>,
    /// Path prefix before the project id: `""` or `"/prefix"` (no trailing slash).
    pub path: String,
    /// The project id: one or more ASCII digits.
    pub project_id: String,
    /// Organization id, taken from a host of the form `o<digits>.ingest.<...>`.
    pub org_id: Option<String>,
}

/// Why a DSN was rejected: the sentence that names the part that is wrong
/// (what `Display` writes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DsnError(String);

impl fmt::Display for DsnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl DsnError {
    /// The sentence shown to the developer (what `Display` writes).
    pub fn message(self) -> String {
        self.0
    }
}

/// What is wrong with a DSN, with the text it names borrowed from the input (or from the
/// lowercased host). Turned into a sentence in one place, [`Fault::sentence`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault<'a> {
    /// Empty or only whitespace.
    Empty,
    /// No `<scheme>://` at the start.
    MissingScheme,
    /// Not `http`/`https` (the scheme as written).
    InvalidScheme(&'a str),
    /// No public key before the `@`.
    MissingPublicKey,
    /// The public key has characters other than letters, digits, `-._~`.
    InvalidPublicKey(&'a str),
    /// Same for the secret key; carries no text so the secret is never shown.
    InvalidSecretKey,
    /// No host after the `@`.
    MissingHost,
    /// Not a host name or bracketed IPv6 address.
    InvalidHost(&'a str),
    /// A host whose characters are fine but whose shape is impossible: an IPv4 number
    /// over 255, an empty label (`host..com`), a label over 63 bytes or starting or
    /// ending with `-`, a malformed IPv6 address. `part` is the offending piece.
    InvalidHostPart {
        /// The host as written (a host name lowercased).
        host: &'a str,
        /// The label, number or group that is wrong.
        part: &'a str,
        /// What is wrong with it, as a phrase.
        why: &'static str,
    },
    /// Not a number from 1 to 65535 (the port as written).
    InvalidPort(&'a str),
    /// The path prefix has an empty segment or a character not allowed in a URL.
    InvalidPath(&'a str),
    /// The path does not end with a project id.
    MissingProjectId,
    /// The last path segment is not all digits.
    InvalidProjectId(&'a str),
    /// The DSN has a `?query` or `#fragment`.
    UnexpectedQueryOrFragment,
}

impl Fault<'_> {
    /// The sentence shown to the developer, built without the formatting machinery.
    fn sentence(self) -> String {
        use Fault::*;
        const SHAPE: &str = "(https://<public key>@<host>/<project id>)";
        const KEY_CHARS: &str = "may only contain letters, digits, '-', '.', '_' and '~'";
        // One sentence shape for every variant: `head` [`"value"` `mid`] [`"part"` ` `]
        // `tail`, the pieces in a table in the variants' order. Pieces, not `write!`: the
        // formatting machinery (and `Debug` quoting) would cost the wasm more than every
        // message here.
        const TEXT: [(&str, &str, &str); 14] = [
            ("the DSN is empty", "", ""),
            ("the scheme is missing; use https:// or http:// ", "", SHAPE),
            ("the scheme ", " is not supported; use https or http", ""),
            ("the public key is missing ", "", SHAPE),
            ("the public key ", " ", KEY_CHARS),
            ("the secret key ", "", KEY_CHARS),
            ("the host is missing ", "", SHAPE),
            ("the host ", " is not a valid host name or IP address (IPv6 goes in brackets: http://key@[::1]:9000/1)", ""),
            ("the host ", " is not a valid host name or IP address: ", ""),
            ("the port ", " must be a number from 1 to 65535", ""),
            ("the path ", " has an empty segment or a bad character", ""),
            ("the project id (a number) is missing ", "", SHAPE),
            ("the project id ", " must be a number ", SHAPE),
            ("a DSN cannot have a query ('?') or fragment ('#')", "", ""),
        ];
        let i = match self {
            Empty => 0,
            MissingScheme => 1,
            InvalidScheme(_) => 2,
            MissingPublicKey => 3,
            InvalidPublicKey(_) => 4,
            InvalidSecretKey => 5,
            MissingHost => 6,
            InvalidHost(_) => 7,
            InvalidHostPart { .. } => 8,
            InvalidPort(_) => 9,
            InvalidPath(_) => 10,
            MissingProjectId => 11,
            InvalidProjectId(_) => 12,
            UnexpectedQueryOrFragment => 13,
        };
        let (value, part, why): (Option<&str>, Option<&str>, &str) = match self {
            InvalidScheme(v) | InvalidPublicKey(v) | InvalidHost(v) | InvalidPort(v) | InvalidPath(v) | InvalidProjectId(v) => (Some(v), None, ""),
            InvalidHostPart { host, part, why } => (Some(host), Some(part), why),
            Empty | MissingScheme | MissingPublicKey | InvalidSecretKey | MissingHost | MissingProjectId | UnexpectedQueryOrFragment => (None, None, ""),
        };
        let (head, mid, tail) = TEXT[i];
        let mut out = String::from("invalid DSN: ");
        out.push_str(head);
        for (v, after) in [(value, mid), (part, " ")] {
            if let Some(v) = v {
                out.push('"');
                out.push_str(v);
                out.push('"');
                out.push_str(after);
            }
        }
        out.push_str(tail);
        out.push_str(why);
        out
    }
}

impl std::error::Error for DsnError {}

/// RFC 3986 unreserved characters.
fn is_unreserved(b: u8) -> bool {
    const UNRESERVED: AsciiSet = ascii_set(b"-._~", true);
    in_ascii_set(&UNRESERVED, b)
}

fn is_key(s: &str) -> bool {
    s.bytes().all(is_unreserved)
}

/// One non-empty path segment of unreserved, sub-delim, `:`/`@` characters or `%XX`.
fn is_path_segment(seg: &str) -> bool {
    const PATH_CHARS: AsciiSet = ascii_set(b"-._~!$&'()*+,;=:@", true);
    let b = seg.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                if crate::text::pct(b, i).is_none() {
                    return false;
                }
                i += 3;
            }
            c if in_ascii_set(&PATH_CHARS, c) => i += 1,
            _ => return false,
        }
    }
    !b.is_empty()
}

fn parse_port(p: &str) -> Option<u16> {
    // Digits only: "+80" is no port.
    match crate::text::digits_value(p) {
        Some(n @ 1..=65535) => Some(n as u16),
        _ => None,
    }
}

/// `o<digits>.ingest.<something>` → `<digits>`.
fn org_id_from_host(host: &str) -> Option<String> {
    let (first, rest) = crate::text::split_once_byte(host.strip_prefix("o")?, b'.')?;
    let rest = rest.strip_prefix("ingest.")?;
    if all_digits(first) && !rest.is_empty() { Some(first.to_string()) } else { None }
}

/// Longest host name (RFC 1035, without a trailing dot).
const MAX_HOST_LEN: usize = 253;
/// Longest label of a host name (RFC 1035).
const MAX_LABEL_LEN: usize = 63;

fn bad_part<'a>(host: &'a str, part: &'a str, why: &'static str) -> Fault<'a> {
    Fault::InvalidHostPart { host, part, why }
}

/// A dotted-decimal IPv4 address: four numbers 0–255, no leading zeros (which URL
/// parsers read as octal).
fn check_ipv4<'a>(host: &'a str, v4: &'a str) -> Result<(), Fault<'a>> {
    if crate::text::pieces(v4, b'.') != 4 {
        return Err(bad_part(host, v4, "is not an IPv4 address (four numbers 0-255 separated by dots)"));
    }
    for p in crate::text::split_byte(v4, b'.') {
        if !all_digits(p) {
            return Err(bad_part(host, p, "is not a number from 0 to 255 in an IPv4 address"));
        }
        if p.len() > 1 && p.starts_with("0") {
            return Err(bad_part(host, p, "has a leading zero in an IPv4 address"));
        }
        if p.len() > 3 || crate::text::digits_value(p).is_none_or(|n| n > 255) {
            return Err(bad_part(host, p, "is over 255 in an IPv4 address"));
        }
    }
    Ok(())
}

/// A host name (labels of letters, digits, `-` and `_`, already checked) or, when its
/// last label is numeric as URL parsers read it, an IPv4 address.
fn check_host_name(host: &str) -> Result<(), Fault<'_>> {
    if host.len() > MAX_HOST_LEN {
        return Err(bad_part(host, host, "is longer than 253 characters"));
    }
    let last = crate::text::after_last_any(host, b".");
    let numeric = all_digits(last) || last.strip_prefix("0x").is_some_and(|h| h.is_empty() || crate::text::all_hex(h));
    if numeric {
        return check_ipv4(host, host);
    }
    for label in crate::text::split_byte(host, b'.') {
        if label.is_empty() {
            return Err(bad_part(host, label, "is an empty label (two dots in a row, or a dot at an end)"));
        }
        if label.len() > MAX_LABEL_LEN {
            return Err(bad_part(host, label, "is a label longer than 63 characters"));
        }
        if label.starts_with("-") || label.ends_with("-") {
            return Err(bad_part(host, label, "is a label that starts or ends with '-'"));
        }
    }
    Ok(())
}

/// The inside of `[...]`: eight groups of 1–4 hex digits, one `::` standing for one or
/// more zero groups, and optionally an IPv4 address in place of the last two groups.
fn check_ipv6<'a>(host: &'a str, inner: &'a str) -> Result<(), Fault<'a>> {
    let (head, tail, compressed) = match crate::text::split_once(inner, "::") {
        Some((h, t)) => (h, t, true),
        None => (inner, "", false),
    };
    if crate::text::contains(tail, "::") {
        return Err(bad_part(host, inner, "has more than one '::' in an IPv6 address"));
    }
    let mut groups = 0usize;
    for &p in &[head, tail] {
        if p.is_empty() {
            continue;
        }
        for g in crate::text::split_byte(p, b':') {
            if crate::text::contains_byte(g, b'.') {
                // Only the very last piece of the address may be an IPv4 address.
                if g.as_ptr().wrapping_add(g.len()) != inner.as_ptr().wrapping_add(inner.len()) {
                    return Err(bad_part(host, inner, "has an IPv4 part that is not at the end of an IPv6 address"));
                }
                check_ipv4(host, g)?;
                groups += 2;
            } else if g.len() > 4 || !crate::text::all_hex(g) {
                return Err(bad_part(host, g, "is not a group of 1 to 4 hex digits in an IPv6 address"));
            } else {
                groups += 1;
            }
        }
    }
    match (compressed, groups) {
        (false, 8) | (true, 0..=7) => Ok(()),
        _ => Err(bad_part(host, inner, "does not have eight groups in an IPv6 address")),
    }
}

/// Splits `host[:port]` or `[v6][:port]` into the port text, putting the normalized host
/// in `lower` (a bracketed IPv6 address as written, a host name lowercased).
fn split_host_port<'a: 'h, 'h>(hostport: &'a str, lower: &'h mut String) -> Result<Option<&'a str>, Fault<'h>> {
    let invalid = Fault::InvalidHost(hostport);
    let (host, port, v6) = if let Some(after) = hostport.strip_prefix("[") {
        let Some((inner, tail)) = crate::text::split_once_byte(after, b']') else { return Err(invalid) };
        let v6 = crate::text::contains_byte(inner, b':')
            && inner
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
        if !v6 {
            return Err(invalid);
        }
        check_ipv6(hostport, inner)?;
        let port = match tail {
            "" => None,
            t => match t.strip_prefix(":") {
                Some(p) => Some(p),
                None => return Err(invalid),
            },
        };
        // `[inner]` as written.
        (crate::text::part(hostport, 0, inner.len() + 2), port, true)
    } else {
        let (host, port) = match crate::text::split_once_byte(hostport, b':') {
            Some((h, p)) => (h, Some(p)),
            None => (hostport, None),
        };
        if port.is_some_and(|p| crate::text::contains_byte(p, b':')) {
            return Err(invalid); // an unbracketed IPv6 address
        }
        if host.is_empty() {
            return Err(Fault::MissingHost);
        }
        // (letters, digits, `-`, `.` and `_`: the unreserved characters but `~`)
        if !host.bytes().all(|b| is_unreserved(b) && b != b'~') {
            return Err(Fault::InvalidHost(host));
        }
        (host, port, false)
    };
    // One lowercase copy for both forms; a host name's shape is checked on it.
    *lower = host.to_ascii_lowercase();
    let lower: &'h str = lower;
    if !v6 {
        check_host_name(lower)?;
    }
    Ok(port)
}

/// The parts of an accepted DSN but its host, borrowed from the input.
struct Parts<'a> {
    scheme: String,
    public_key: &'a str,
    secret: &'a str,
    port: Option<u16>,
    prefix: &'a str,
    project: &'a str,
}

/// Checks a DSN, putting its normalized host in `host`.
fn scan<'a: 'h, 'h>(input: &'a str, host: &'h mut String) -> Result<Parts<'a>, Fault<'h>> {
    let s = crate::text::trim(input);
    if s.is_empty() {
        return Err(Fault::Empty);
    }
    let Some((scheme, rest)) = crate::text::split_once(s, "://") else { return Err(Fault::MissingScheme) };
    let scheme_chars = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.');
    if scheme.is_empty() || !scheme.bytes().all(scheme_chars) {
        return Err(Fault::MissingScheme);
    }
    let lower = scheme.to_ascii_lowercase();
    if lower != "http" && lower != "https" {
        return Err(Fault::InvalidScheme(scheme));
    }
    if crate::text::has_any(rest, b"?#") {
        return Err(Fault::UnexpectedQueryOrFragment);
    }

    let (authority, path) = match crate::text::find_byte(rest, b'/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let Some((userinfo, hostport)) = crate::text::rsplit_once_byte(authority, b'@') else {
        return Err(Fault::MissingPublicKey);
    };
    let (public_key, secret) = match crate::text::split_once_byte(userinfo, b':') {
        Some((p, s)) => (p, s),
        None => (userinfo, ""),
    };
    if public_key.is_empty() {
        return Err(Fault::MissingPublicKey);
    }
    if !is_key(public_key) {
        return Err(Fault::InvalidPublicKey(public_key));
    }
    if !is_key(secret) {
        return Err(Fault::InvalidSecretKey);
    }
    let port_text = split_host_port(hostport, host)?;
    let port = match port_text {
        None => None,
        Some(p) => match parse_port(p) {
            Some(n) => Some(n),
            None => return Err(Fault::InvalidPort(p)),
        },
    };

    let path = path.strip_suffix("/").unwrap_or(path);
    let Some((prefix, project)) = crate::text::rsplit_once_byte(path, b'/') else {
        return Err(Fault::MissingProjectId);
    };
    if project.is_empty() {
        return Err(Fault::MissingProjectId);
    }
    if !all_digits(project) {
        return Err(Fault::InvalidProjectId(project));
    }
    if let Some(segments) = prefix.strip_prefix("/") {
        if !crate::text::split_byte(segments, b'/').all(is_path_segment) {
            return Err(Fault::InvalidPath(prefix));
        }
    }
    Ok(Parts { scheme: lower, public_key, secret, port, prefix, project })
}

impl Dsn {
    /// Parses and validates a DSN. Surrounding whitespace is ignored, and so is
    /// one trailing slash after the project id.
    pub fn parse(input: &str) -> Result<Dsn, DsnError> {
        let mut host = String::new();
        let p = match scan(input, &mut host) {
            Ok(p) => p,
            Err(f) => return Err(DsnError(f.sentence())),
        };
        Ok(Dsn {
            scheme: p.scheme,
            public_key: p.public_key.to_string(),
            secret_key: if p.secret.is_empty() { None } else { Some(p.secret.to_string()) },
            org_id: org_id_from_host(&host),
            host,
            port: p.port,
            path: p.prefix.to_string(),
            project_id: p.project.to_string(),
        })
    }

    /// Appends `<host>[:<port>]`.
    fn push_host_port(&self, out: &mut String) {
        out.push_str(&self.host);
        if let Some(port) = self.port {
            out.push(':');
            crate::text::push_num(out, port.into());
        }
    }

    /// `<scheme>://<host>[:port][/path]/api/<project>/envelope/?sentry_key=<key>&sentry_version=7&sentry_client=<client>`
    ///
    /// `client` (`pipeline::sentry_client()`, e.g. `"oxeye.javascript/0.1.0"`) is written
    /// as it is: it must need no percent-escapes (ASCII letters and digits, `-._~/` only),
    /// which the crate checks for `sentry_client()` when it compiles. The secret key is
    /// never included.
    pub fn envelope_url(&self, client: &str) -> String {
        debug_assert!(crate::text::is_url_safe(client), "{client:?} needs percent-escapes");
        let mut url = self.scheme.clone();
        url.push_str("://");
        self.push_host_port(&mut url);
        url.push_str(&self.path);
        // The project id (digits) and public key (unreserved characters) need no escapes.
        url.push_str("/api/");
        url.push_str(&self.project_id);
        url.push_str("/envelope/?sentry_key=");
        url.push_str(&self.public_key);
        url.push_str("&sentry_version=7&sentry_client=");
        url.push_str(client);
        url
    }

    /// The DSN as text without the secret key (for an envelope's `dsn` header),
    /// normalized: lowercase scheme and host, no trailing slash.
    pub fn to_public_string(&self) -> String {
        let mut out = self.scheme.clone();
        out.push_str("://");
        out.push_str(&self.public_key);
        out.push('@');
        self.push_host_port(&mut out);
        out.push_str(&self.path);
        out.push('/');
        out.push_str(&self.project_id);
        out
    }
}

#[cfg(test)]
#[path = "dsn_tests.rs"]
mod tests;
