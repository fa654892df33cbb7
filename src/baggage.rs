//! W3C `baggage` and the Dynamic Sampling Context (DSC) it carries.
//!
//! The DSC is the head of a trace's summary (`trace_id`, `public_key`, `release`,
//! `environment`, `sample_rate`, `sampled`, `sample_rand`, `org_id`, …). It travels in
//! `baggage` as `sentry-` prefixed entries and, prefix stripped, as the `trace` header of
//! every envelope. Rules kept here:
//! - parsing never fails: malformed members are skipped;
//! - only `sentry-` entries are taken from incoming baggage (other vendors' entries of an
//!   incoming request are never forwarded);
//! - outgoing baggage is the app's own header with its non-Sentry members kept verbatim
//!   and the DSC appended;
//! - a serialised header never exceeds [`MAX_BAGGAGE_BYTES`]: DSC entries come first in
//!   priority, then the app's members in order, each dropped whole when it does not fit.

use crate::json::write::Obj;

/// Longest `baggage` header written, in bytes (as the JavaScript SDK caps it).
pub const MAX_BAGGAGE_BYTES: usize = 8192;
/// Prefix of Sentry's entries.
pub const SENTRY_PREFIX: &str = "sentry-";
/// Members read from one incoming header at most (W3C allows 180; extra ones are ignored).
const MAX_MEMBERS: usize = 256;

/// A Dynamic Sampling Context: keys without the `sentry-` prefix, in order, values decoded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dsc(pub Vec<(String, String)>);

impl Dsc {
    /// The value of `key`, if present.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// True when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The `sentry-` entries of a `baggage` header; `None` when it has none.
    pub fn from_baggage(header: &str) -> Option<Dsc> {
        let mut dsc = Dsc::default();
        each_member(header, |k, v| {
            if let Some(key) = k.strip_prefix(SENTRY_PREFIX) {
                if !key.is_empty() && dsc.get(key).is_none() {
                    dsc.0.push((key.to_string(), v));
                }
            }
        });
        (!dsc.is_empty()).then_some(dsc)
    }

    /// `sentry-key=value` members, values percent-encoded.
    pub fn members(&self) -> Vec<String> {
        let mut out = Vec::with_capacity(self.0.len());
        for (k, v) in &self.0 {
            let mut m = String::new();
            write_member(&mut m, k, v);
            out.push(m);
        }
        out
    }

    /// The DSC alone as a `baggage` header (capped).
    pub fn to_baggage(&self) -> String {
        merge(None, self)
    }

    /// Writes the envelope's `trace` header, an object of strings; `value` may rewrite
    /// each value (the core scrubs them) before it is written.
    pub fn write(&self, out: &mut Vec<u8>, mut value: impl FnMut(&str, &str) -> String) {
        let mut o = Obj::new(out);
        for (k, v) in &self.0 {
            o.str(k, &value(k, v));
        }
        o.end();
    }
}

/// Splits a `baggage` header into decoded `(key, value)` pairs. Member properties (after
/// `;`) are dropped; members without `=`, with an empty or invalid key, or with a value
/// that does not decode to UTF-8 are skipped. Never fails.
pub fn parse(header: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    each_member(header, |k, v| out.push((k, v)));
    out
}

/// [`parse`]'s pairs, handed to `f` one by one.
fn each_member(header: &str, mut f: impl FnMut(String, String)) {
    for member in crate::text::split_byte(header, b',').take(MAX_MEMBERS) {
        let kv = crate::text::before_any(member, b";");
        let Some((k, v)) = crate::text::split_once_byte(kv, b'=') else { continue };
        let (k, v) = (crate::text::trim_any(k, OWS), crate::text::trim_any(v, OWS));
        let Some(key) = decode(k) else { continue };
        if key.is_empty() || !key.bytes().all(is_key_byte) {
            continue;
        }
        let Some(value) = decode(v) else { continue };
        f(key, value);
    }
}

/// Optional whitespace around members, keys and values (RFC 7230 OWS).
const OWS: &[u8] = b" \t";

/// RFC 7230 token characters (W3C baggage keys).
fn is_key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || crate::text::in_set(b"!#$%&'*+-.^_`|~", b)
}

/// The app's (or any) header with its `sentry-` members replaced by `dsc`, other members
/// kept verbatim and in order, the whole capped at [`MAX_BAGGAGE_BYTES`].
pub fn merge(existing: Option<&str>, dsc: &Dsc) -> String {
    // Budget: DSC entries first (they are what the SDK is responsible for), then the
    // app's members in order. A member that does not fit is dropped whole.
    let mut used = 0usize;
    let mut fits = |len: usize| {
        let add = if used == 0 { len } else { len + 1 };
        if used + add <= MAX_BAGGAGE_BYTES {
            used += add;
            true
        } else {
            false
        }
    };
    // Each DSC member is written into one reused string, then appended when it fits.
    let mut sentry = String::new();
    let mut m = String::new();
    for (k, v) in &dsc.0 {
        write_member(&mut m, k, v);
        if fits(m.len()) {
            push_member(&mut sentry, &m);
        }
    }
    // The app's members first, as they came, then the DSC.
    let mut out = String::new();
    for m in crate::text::split_byte(existing.unwrap_or(""), b',').take(MAX_MEMBERS) {
        let m = crate::text::trim_any(m, OWS);
        let key = crate::text::trim_any(crate::text::before_any(m, b"="), OWS);
        let is_sentry = key.get(..SENTRY_PREFIX.len()).is_some_and(|p| p.eq_ignore_ascii_case(SENTRY_PREFIX));
        if crate::text::contains_byte(m, b'=') && !is_sentry && fits(m.len()) {
            push_member(&mut out, m);
        }
    }
    push_member(&mut out, &sentry);
    out
}

/// `m` made the member `sentry-key=value` (cleared first; key and value percent-encoded).
fn write_member(m: &mut String, k: &str, v: &str) {
    m.clear();
    m.push_str(SENTRY_PREFIX);
    crate::text::push_pct(m, k, ENCODE_KEEP);
    m.push('=');
    crate::text::push_pct(m, v, ENCODE_KEEP);
}

/// Appends a member (or a comma-separated run of them), with a `,` when `out` has some.
fn push_member(out: &mut String, m: &str) {
    if !out.is_empty() && !m.is_empty() {
        out.push(',');
    }
    out.push_str(m);
}

/// What `encodeURIComponent` leaves as it is, besides ASCII letters and digits.
const ENCODE_KEEP: &[u8] = b"-_.!~*'()";

/// Percent-encodes like JavaScript's `encodeURIComponent`.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    crate::text::push_pct(&mut out, s, ENCODE_KEEP);
    out
}

/// Percent-decodes; `None` when an escape is malformed or the bytes are not UTF-8 (as
/// `decodeURIComponent` throws).
pub fn decode(s: &str) -> Option<String> {
    if !crate::text::contains_byte(s, b'%') {
        return Some(s.to_string());
    }
    crate::text::pct_decode(s, b"")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dsc(pairs: &[(&str, &str)]) -> Dsc {
        Dsc(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    #[test]
    fn parses_sentry_entries_and_ignores_other_vendors() {
        let h = "other-vendor=foo, sentry-trace_id=771a43a4192642f0b136d5159a501700 ,sentry-public_key=49d0f7386ad645858ae85020e393bef3;prop=1,\tsentry-sample_rate=0.01337, sentry-release=shop%401.0%20beta";
        let d = Dsc::from_baggage(h).unwrap();
        assert_eq!(
            d,
            dsc(&[
                ("trace_id", "771a43a4192642f0b136d5159a501700"),
                ("public_key", "49d0f7386ad645858ae85020e393bef3"),
                ("sample_rate", "0.01337"),
                ("release", "shop@1.0 beta"),
            ])
        );
        assert_eq!(d.get("other-vendor"), None);
        assert_eq!(Dsc::from_baggage("other=1,another=2"), None, "no sentry entries: no DSC");
    }

    #[test]
    fn malformed_members_are_skipped_never_panic() {
        for h in [
            "", ",", ",,,", "=", "sentry-", "sentry-=x", "=value", "no-equals", "sentry-a=%", "sentry-a=%zz", "sentry-a=%C3",
            "sentry-a=%E2%82", "é=1", "sentry-é=1", "sentry-trace_id", ";;;", "sentry-a=b;c=d;", "\u{0}=\u{0}", "sentry-a==b",
        ] {
            let _ = parse(h);
            let _ = Dsc::from_baggage(h);
            let _ = merge(Some(h), &dsc(&[("trace_id", "t")]));
        }
        assert_eq!(parse("a=%zz,b=ok,c=%C3,d"), vec![("b".into(), "ok".into())]);
        assert_eq!(parse("sentry-a==b"), vec![("sentry-a".into(), "=b".into())], "only the first = separates");
        // A huge header is read up to a bounded number of members.
        let huge = "x=1,".repeat(100_000);
        assert_eq!(parse(&huge).len(), MAX_MEMBERS);
    }

    #[test]
    fn round_trip_through_baggage() {
        let d = dsc(&[("trace_id", "abc"), ("release", "app@1.0,+ä;x=y"), ("environment", "prod uction")]);
        let header = d.to_baggage();
        assert_eq!(header, "sentry-trace_id=abc,sentry-release=app%401.0%2C%2B%C3%A4%3Bx%3Dy,sentry-environment=prod%20uction");
        assert_eq!(Dsc::from_baggage(&header).unwrap(), d);
        let mut out = Vec::new();
        d.write(&mut out, |_, v| v.to_string());
        assert_eq!(serde_json::from_slice::<serde_json::Value>(&out).unwrap(), serde_json::json!({"trace_id": "abc", "release": "app@1.0,+ä;x=y", "environment": "prod uction"}));
    }

    #[test]
    fn merge_keeps_the_apps_members_and_replaces_stale_sentry_ones() {
        let d = dsc(&[("trace_id", "t1"), ("public_key", "k")]);
        assert_eq!(merge(Some("vendor=a;p=1, sentry-trace_id=stale ,other=b%20c"), &d), "vendor=a;p=1,other=b%20c,sentry-trace_id=t1,sentry-public_key=k");
        assert_eq!(merge(Some("  "), &d), "sentry-trace_id=t1,sentry-public_key=k");
        assert_eq!(merge(Some("Sentry-Trace_Id=x,a=1"), &d), "a=1,sentry-trace_id=t1,sentry-public_key=k", "prefix matched case-insensitively");
        assert_eq!(merge(None, &d), d.to_baggage());
    }

    #[test]
    fn merged_header_is_capped_at_8192_bytes() {
        let d = dsc(&[("trace_id", "0123456789abcdef0123456789abcdef"), ("public_key", "k")]);
        // The app's members fill the budget: the DSC survives, trailing members are dropped whole.
        let big: Vec<String> = (0..200).map(|i| format!("v{i}={}", "x".repeat(60))).collect();
        let out = merge(Some(&big.join(",")), &d);
        assert!(out.len() <= MAX_BAGGAGE_BYTES, "{}", out.len());
        assert!(out.ends_with("sentry-trace_id=0123456789abcdef0123456789abcdef,sentry-public_key=k"));
        assert!(out.starts_with("v0="));
        for m in out.split(',') {
            assert!(m.starts_with("sentry-") || big.iter().any(|b| b == m), "members are whole: {m}");
        }
        // One member larger than the cap is dropped; smaller ones after it still fit.
        let out = merge(Some(&format!("huge={},small=1", "y".repeat(9000))), &d);
        assert_eq!(out, "small=1,sentry-trace_id=0123456789abcdef0123456789abcdef,sentry-public_key=k");
        // A DSC value larger than the cap (a runaway release name) is dropped, not truncated.
        let runaway = dsc(&[("trace_id", "t"), ("release", &"r".repeat(9000)), ("environment", "prod")]);
        assert_eq!(runaway.to_baggage(), "sentry-trace_id=t,sentry-environment=prod");
        // Exactly at the cap is allowed.
        let filler = MAX_BAGGAGE_BYTES - "sentry-trace_id=t".len() - 1 - "a=".len();
        let exact = merge(Some(&format!("a={}", "z".repeat(filler))), &dsc(&[("trace_id", "t")]));
        assert_eq!(exact.len(), MAX_BAGGAGE_BYTES);
    }

    #[test]
    fn encode_decode() {
        assert_eq!(encode("a b/é"), "a%20b%2F%C3%A9");
        assert_eq!(decode("a%20b%2F%C3%A9").unwrap(), "a b/é");
        assert_eq!(decode("%"), None);
        assert_eq!(decode("%FF"), None, "not UTF-8");
    }
}
