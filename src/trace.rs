//! Trace propagation ("tracing without performance"): the propagation context that every
//! event and every outgoing request of an isolation scope shares, and the `sentry-trace`
//! and W3C `traceparent` headers that carry it.
//!
//! No spans are recorded. A fresh context has a random trace id, a random span id (the
//! span the browser or worker stands for: it is the `span_id` of its events and the
//! parent span of the requests it makes) and a deferred sampling decision. A continued
//! context takes the incoming trace id, the incoming span as its parent, the incoming
//! sampling decision and the incoming DSC, frozen. A context's own DSC is frozen the
//! first time it leaves the SDK (outgoing `baggage` or an envelope's `trace` header).
//!
//! Ids come from random bytes the host passes in ([`RANDOM_BYTES`] per context).
//! Malformed incoming headers are ignored (a new trace starts); nothing here panics.


use crate::baggage::{self, Dsc};
use crate::json::read;
use crate::json::write::Obj;
use crate::ids::{self, is_lower_hex};

/// Random bytes a new context consumes: 16 for the trace id, 8 for the span id, 4 for
/// `sample_rand`.
pub const RANDOM_BYTES: usize = 28;

/// The trace an isolation scope (a page, a request) belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct PropagationContext {
    /// 32 lowercase hex digits.
    pub trace_id: String,
    /// This SDK's span in the trace: 16 lowercase hex digits.
    pub span_id: String,
    /// The span that called in, when the trace was continued.
    pub parent_span_id: Option<String>,
    /// The head's sampling decision; `None` while deferred.
    pub sampled: Option<bool>,
    /// The random number in [0, 1) that sampling decisions of this trace compare
    /// against, in millionths (0 to 999 999; sent with six decimals).
    pub sample_rand: u32,
    /// The DSC, once frozen (incoming, or after it first left the SDK).
    pub dsc: Option<Dsc>,
}

/// What an incoming request (or a server-rendered page) says about its trace.
///
/// The header texts are borrowed: the host's arguments are read in place.
#[derive(Debug, Clone, Default)]
pub struct Incoming<'a> {
    /// The `sentry-trace` header.
    pub sentry_trace: Option<&'a str>,
    /// The `baggage` header.
    pub baggage: Option<&'a str>,
    /// The W3C `traceparent` header, used when `sentry-trace` is absent or invalid.
    pub traceparent: Option<&'a str>,
}

/// The facts a DSC is made of, borrowed from the client's options and DSN.
#[derive(Debug, Clone, Copy, Default)]
pub struct DscSource<'a> {
    /// The DSN's public key.
    pub public_key: &'a str,
    /// The organisation id (`orgId` option, else from the DSN host).
    pub org_id: Option<&'a str>,
    /// The release.
    pub release: Option<&'a str>,
    /// The environment.
    pub environment: &'a str,
}

impl DscSource<'_> {
    /// The DSC of trace `trace_id` made from these facts, with the head's sampling
    /// decision and `sample_rand` (millionths) when given.
    pub fn dsc(&self, trace_id: &str, sampling: Option<(Option<bool>, u32)>) -> Dsc {
        // Each key once, in order: pushed, no lookup of an earlier value.
        let mut d = Dsc::default();
        let mut put = |k: &str, v: Option<&str>| {
            if let Some(v) = v {
                d.0.push((k.to_string(), v.to_string()));
            }
        };
        put("trace_id", Some(trace_id));
        put("public_key", Some(self.public_key));
        put("release", self.release);
        put("environment", Some(self.environment));
        if let Some((sampled, rand)) = sampling {
            put("sampled", sampled.map(|s| if s { "true" } else { "false" }));
            put("sample_rand", Some(&format_micro(rand)));
        }
        put("org_id", self.org_id);
        d
    }
}

/// Outgoing headers of one request.
#[derive(Debug, Clone, PartialEq)]
pub struct Headers {
    /// `sentry-trace`.
    pub sentry_trace: String,
    /// `baggage`: the app's own entries (when given) and the DSC.
    pub baggage: String,
    /// The DSC the headers carry (frozen); [`Headers::dsc_baggage`] writes it.
    pub dsc: Dsc,
    /// W3C `traceparent`.
    pub traceparent: String,
}

impl Headers {
    /// The DSC alone as `baggage` (what an event linked to this request needs), made
    /// when asked for: the host reads only the three headers.
    pub fn dsc_baggage(&self) -> String {
        self.dsc.to_baggage()
    }
}

/// Fills `out` from `random` starting at `at`; missing bytes count as zero.
fn copy_at(random: &[u8], at: usize, out: &mut [u8]) {
    for (i, d) in out.iter_mut().enumerate() {
        *d = random.get(at + i).copied().unwrap_or(0);
    }
}

/// Hex id of the `len` (at most 16) random bytes at `at`, never all zeros (an all-zero
/// id is invalid in W3C and Sentry).
fn nonzero_hex(random: &[u8], at: usize, len: usize) -> String {
    let mut buf = [0u8; 16];
    let b = &mut buf[..len];
    copy_at(random, at, b);
    if b.iter().all(|&x| x == 0) {
        if let Some(last) = b.last_mut() {
            *last = 1;
        }
    }
    ids::hex(b)
}

/// Millionths: 1.0 is `MICRO`.
const MICRO: u64 = 1_000_000;

/// A number in [0, 1), in millionths, from the 4 random bytes at 24.
fn rand6(random: &[u8]) -> u32 {
    let mut b = [0u8; 4];
    copy_at(random, 24, &mut b);
    ((u32::from_le_bytes(b) as u64 * MICRO) >> 32) as u32
}

/// Parses a decimal in [0, 1] (`1`, `0.25`, `.5`; at most 6 decimals count) into
/// millionths. Other notations (exponents, signs) are not read.
pub fn parse_micro(s: &str) -> Option<u32> {
    let (int, frac) = crate::text::decimal(s.trim()).filter(|(int, _)| int.len() <= 8)?;
    // At most 8 digits, so no overflow below.
    let mut micro = crate::text::digits_value(int).unwrap_or(0) * MICRO;
    // Each decimal is worth a tenth of the one before; from the seventh on, nothing.
    let mut unit = MICRO;
    for d in frac.bytes() {
        unit /= 10;
        micro += u64::from(d - b'0') * unit;
    }
    (micro <= MICRO).then_some(micro as u32)
}

/// Millionths below one as `0.xxxxxx`.
pub fn format_micro(m: u32) -> String {
    let m = m.min(999_999);
    // The digits of 1,000,000 + m are a 1 and m's six digits with their leading zeros.
    let mut s = String::from("0.");
    crate::text::push_num(&mut s, 1_000_000 + m as usize);
    s.remove(2);
    s
}

fn is_hex_id(s: &str, len: usize) -> bool {
    is_lower_hex(s, len) && s.bytes().any(|c| c != b'0')
}

/// Parses `sentry-trace`: `traceid-spanid[-sampled]` (lowercase hex; `1`/`0` or absent
/// for deferred), surrounding spaces and tabs tolerated. `None` for anything else.
pub fn parse_sentry_trace(header: &str) -> Option<(String, String, Option<bool>)> {
    let h = crate::text::trim_any(header, b" \t");
    let mut parts = crate::text::split_byte(h, b'-');
    let trace = parts.next()?;
    let span = parts.next()?;
    let sampled = match parts.next() {
        None => None,
        Some("1") => Some(true),
        Some("0") => Some(false),
        Some(_) => return None,
    };
    if parts.next().is_some() {
        return None;
    }
    trace_and_span(trace, span, sampled)
}

/// The trace and span ids of an incoming header when both are well-formed, with its
/// sampling flag.
fn trace_and_span(trace: &str, span: &str, sampled: Option<bool>) -> Option<(String, String, Option<bool>)> {
    (is_hex_id(trace, 32) && is_hex_id(span, 16)).then(|| (trace.to_string(), span.to_string(), sampled))
}

/// Parses W3C `traceparent`: `version-traceid-parentid-flags`. Version `ff` is invalid;
/// version `00` has exactly four fields, later versions may add more. Flag bit 0 set means
/// sampled; clear is read as deferred (the JavaScript SDK sends `00` when it has not
/// decided). `None` for anything malformed.
pub fn parse_traceparent(header: &str) -> Option<(String, String, Option<bool>)> {
    let h = crate::text::trim_any(header, b" \t");
    let mut parts = crate::text::split_byte(h, b'-');
    let (Some(version), Some(trace), Some(span), Some(flags)) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return None;
    };
    if !is_lower_hex(version, 2) || version == "ff" || !is_lower_hex(flags, 2) || (version == "00" && parts.next().is_some()) {
        return None;
    }
    // bit 0 of the flags is the low bit of their last hex digit
    let low = crate::text::hex_val(flags.as_bytes()[1])?;
    trace_and_span(trace, span, (low & 1 == 1).then_some(true))
}

impl PropagationContext {
    /// A new trace from [`RANDOM_BYTES`] random bytes (missing bytes count as zero).
    pub fn new(random: &[u8]) -> PropagationContext {
        PropagationContext {
            trace_id: nonzero_hex(random, 0, 16),
            span_id: nonzero_hex(random, 16, 8),
            parent_span_id: None,
            sampled: None,
            sample_rand: rand6(random),
            dsc: None,
        }
    }

    /// Continues the trace of `incoming`, or starts a new one when it names none (or only
    /// malformed headers). With `strict_org` (`strictTraceContinuation`), an incoming DSC
    /// from another organisation, or with an org id when this SDK has none or the other
    /// way round, starts a new trace too; differing org ids always do. Returns the context
    /// and whether it continued.
    pub fn continued(incoming: &Incoming, own_org: Option<&str>, strict_org: bool, random: &[u8]) -> (PropagationContext, bool) {
        let fresh = PropagationContext::new(random);
        let parsed = incoming.sentry_trace.and_then(parse_sentry_trace).or_else(|| incoming.traceparent.and_then(parse_traceparent));
        let Some((trace_id, parent, flag)) = parsed else { return (fresh, false) };
        // The incoming DSC counts only when it belongs to the same trace.
        let dsc = incoming
            .baggage
            .and_then(Dsc::from_baggage)
            .filter(|d| d.get("trace_id").is_none_or(|t| t == trace_id));
        let get = |key| dsc.as_ref().and_then(|d| d.get(key));
        let org_mismatch = match (own_org, get("org_id")) {
            (Some(a), Some(b)) => a != b,
            (None, None) => false,
            _ => strict_org,
        };
        if org_mismatch {
            return (fresh, false);
        }
        let sampled = flag.or_else(|| match get("sampled") {
            Some("true") => Some(true),
            Some("false") => Some(false),
            _ => None,
        });
        let rate = get("sample_rate").and_then(parse_micro).map(u64::from);
        let incoming_rand = get("sample_rand").and_then(parse_micro).filter(|&r| (r as u64) < MICRO);
        // Without an incoming sample_rand, make one consistent with the head's decision:
        // sampled ⇔ sample_rand < sample_rate.
        let own = fresh.sample_rand as u64;
        let sample_rand = incoming_rand.unwrap_or_else(|| match (sampled, rate) {
            (Some(true), Some(r)) => (own * r / MICRO) as u32,
            (Some(false), Some(r)) => (r + own * (MICRO - r) / MICRO).min(MICRO - 1) as u32,
            _ => fresh.sample_rand,
        });
        let ctx = PropagationContext { trace_id, span_id: fresh.span_id, parent_span_id: Some(parent), sampled, sample_rand, dsc };
        (ctx, true)
    }

    /// `sentry-trace`: `traceid-spanid`, plus `-1`/`-0` once sampling is decided.
    pub fn sentry_trace(&self) -> String {
        let mut s = String::with_capacity(51);
        s.push_str(&self.trace_id);
        s.push('-');
        s.push_str(&self.span_id);
        match self.sampled {
            Some(true) => s.push_str("-1"),
            Some(false) => s.push_str("-0"),
            None => {}
        }
        s
    }

    /// W3C `traceparent`: `00-traceid-spanid-01` when sampled, `-00` otherwise (also while
    /// deferred, as the JavaScript SDK does).
    pub fn traceparent(&self) -> String {
        let mut s = String::with_capacity(55);
        s.push_str("00-");
        s.push_str(&self.trace_id);
        s.push('-');
        s.push_str(&self.span_id);
        s.push_str(if self.sampled == Some(true) { "-01" } else { "-00" });
        s
    }

    /// The DSC this context would freeze now.
    pub fn compute_dsc(&self, src: &DscSource) -> Dsc {
        src.dsc(&self.trace_id, Some((self.sampled, self.sample_rand)))
    }

    /// The DSC, frozen from now on: it has left (or is about to leave) the SDK.
    pub fn freeze_dsc(&mut self, src: &DscSource) -> Dsc {
        if self.dsc.is_none() {
            self.dsc = Some(self.compute_dsc(src));
        }
        self.dsc.clone().unwrap_or_default()
    }

    /// Headers for an outgoing request; `existing_baggage` is the app's own `baggage`.
    pub fn headers(&mut self, src: &DscSource, existing_baggage: Option<&str>) -> Headers {
        let dsc = self.freeze_dsc(src);
        Headers {
            sentry_trace: self.sentry_trace(),
            baggage: baggage::merge(existing_baggage, &dsc),
            dsc,
            traceparent: self.traceparent(),
        }
    }

    /// Writes the event's `contexts.trace`.
    pub fn write_trace_context(&self, out: &mut Vec<u8>) {
        write_trace_context(out, &self.trace_id, &self.span_id, self.parent_span_id.as_deref());
    }
}

/// Writes `{"trace_id":…,"span_id":…[,"parent_span_id":…]}`.
pub fn write_trace_context(out: &mut Vec<u8>, trace_id: &str, span_id: &str, parent: Option<&str>) {
    let mut o = Obj::new(out);
    o.str("trace_id", trace_id);
    o.str("span_id", span_id);
    if let Some(p) = parent {
        o.str("parent_span_id", p);
    }
    o.end();
}

fn string_at(text: &str, key: &str) -> Option<String> {
    read::field(text, key).and_then(read::string).map(|s| s.into_owned())
}

/// The trace of one outgoing request an event is linked to (a failed request, or an
/// error thrown while its response was handled): the headers that request carried.
#[derive(Debug, Clone, Default)]
pub struct TraceLink {
    /// The `sentry-trace` the request was sent with.
    pub sentry_trace: String,
    /// The DSC the request was sent with, as `baggage`.
    pub baggage: Option<String>,
}

impl TraceLink {
    /// From JSON text `{ sentryTrace, baggage }`; `None` without a `sentryTrace` string.
    pub fn parse(text: &str) -> Option<TraceLink> {
        Some(TraceLink { sentry_trace: string_at(text, "sentryTrace")?, baggage: string_at(text, "baggage") })
    }

    /// `(trace_id, span_id)` and the DSC of the linked request's trace, when its headers
    /// parse.
    pub fn resolve(&self) -> Option<((String, String), Option<Dsc>)> {
        let (trace_id, span_id, _) = parse_sentry_trace(&self.sentry_trace)?;
        let dsc = self.baggage.as_deref().and_then(Dsc::from_baggage).filter(|d| d.get("trace_id") == Some(trace_id.as_str()));
        Some(((trace_id, span_id), dsc))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "771a43a4192642f0b136d5159a501700";
    const S: &str = "b6576219fd7dcf45";

    fn src() -> DscSource<'static> {
        DscSource { public_key: "49d0f7386ad645858ae85020e393bef3", org_id: Some("123"), release: Some("shop@1.4.2"), environment: "production" }
    }

    #[test]
    fn decimals_in_millionths() {
        for (s, m) in [("0", Some(0)), ("1", Some(1_000_000)), ("1.0", Some(1_000_000)), ("0.25", Some(250_000)), (".5", Some(500_000)), ("0.1234567", Some(123_456)), (" 0.01 ", Some(10_000))] {
            assert_eq!(parse_micro(s), m, "{s}");
        }
        for s in ["", ".", "-0.1", "1.5", "2", "1e-3", "0.5x", "NaN", "inf", "99999999999999999999", "0..1"] {
            assert_eq!(parse_micro(s), None, "{s}");
        }
        assert_eq!(format_micro(0), "0.000000");
        assert_eq!(format_micro(250_000), "0.250000");
        assert_eq!(format_micro(999_999), "0.999999");
        assert_eq!(format_micro(5_000_000), "0.999999");
    }

    #[test]
    fn new_context_from_random_bytes() {
        let random: Vec<u8> = (1..=28).collect();
        let c = PropagationContext::new(&random);
        assert_eq!(c.trace_id, "0102030405060708090a0b0c0d0e0f10");
        assert_eq!(c.span_id, "1112131415161718");
        assert_eq!(c.parent_span_id, None);
        assert_eq!(c.sampled, None);
        assert!(c.sample_rand < 1_000_000);
        // Short or zero input still gives valid ids.
        let z = PropagationContext::new(&[]);
        assert!(is_hex_id(&z.trace_id, 32) && is_hex_id(&z.span_id, 16));
        assert_eq!(PropagationContext::new(&[0xff; 28]).sample_rand, 999_999);
        assert_eq!(PropagationContext::new(&[0; 28]).sample_rand, 0);
    }

    #[test]
    fn sentry_trace_emit_parse_round_trip() {
        let mut c = PropagationContext::new(&[7; 28]);
        assert_eq!(c.sentry_trace(), format!("{}-{}", c.trace_id, c.span_id), "deferred: no flag");
        assert_eq!(parse_sentry_trace(&c.sentry_trace()), Some((c.trace_id.clone(), c.span_id.clone(), None)));
        for (flag, sampled) in [("-1", Some(true)), ("-0", Some(false))] {
            c.sampled = sampled;
            assert!(c.sentry_trace().ends_with(flag));
            assert_eq!(parse_sentry_trace(&c.sentry_trace()).unwrap().2, sampled);
        }
        assert_eq!(parse_sentry_trace(&format!(" \t{T}-{S}-1\t ")), Some((T.into(), S.into(), Some(true))), "spaces and tabs tolerated");
    }

    #[test]
    fn malformed_sentry_trace_is_rejected() {
        let long = "a".repeat(100_000);
        for h in [
            "", "-", "--", "1", "-1", "0", "abc", T, &format!("{T}-"), &format!("-{S}"), &format!("{T}-{S}-"),
            &format!("{T}-{S}-2"), &format!("{T}-{S}-1-1"), &format!("{}-{S}", T.to_uppercase()), &format!("{T}-{}", &S[..15]),
            &format!("{}-{S}", &T[..31]), &format!("{T}x-{S}"), &format!("{}-{S}", "0".repeat(32)), &format!("{T}-{}", "0".repeat(16)),
            &format!("{T} -{S}"), "é-é", &long, &format!("{T}-{S}-1\n"),
        ] {
            assert_eq!(parse_sentry_trace(h), None, "{h:?}");
        }
    }

    #[test]
    fn traceparent_emit_parse_round_trip_and_malformed() {
        let mut c = PropagationContext::new(&[9; 28]);
        assert_eq!(c.traceparent(), format!("00-{}-{}-00", c.trace_id, c.span_id));
        c.sampled = Some(true);
        assert_eq!(c.traceparent(), format!("00-{}-{}-01", c.trace_id, c.span_id));
        assert_eq!(parse_traceparent(&c.traceparent()), Some((c.trace_id.clone(), c.span_id.clone(), Some(true))));
        assert_eq!(parse_traceparent(&format!("00-{T}-{S}-00")).unwrap().2, None, "clear flag: deferred");
        assert_eq!(parse_traceparent(&format!("00-{T}-{S}-03")).unwrap().2, Some(true));
        assert_eq!(parse_traceparent(&format!("00-{T}-{S}-fb")).unwrap().2, Some(true));
        assert_eq!(parse_traceparent(&format!("00-{T}-{S}-1a")).unwrap().2, None);
        assert!(parse_traceparent(&format!("01-{T}-{S}-01-future")).is_some(), "later versions may add fields");
        for h in [
            "", "00", &format!("00-{T}-{S}"), &format!("ff-{T}-{S}-01"), &format!("00-{T}-{S}-01-extra"), &format!("0-{T}-{S}-01"),
            &format!("00-{T}-{S}-1"), &format!("00-{T}-{S}-zz"), &format!("00-{}-{S}-01", "0".repeat(32)), &format!("00-{T}-{}-01", "0".repeat(16)),
            &format!("00-{}-{S}-01", T.to_uppercase()), "00-é-é-01", "----",
        ] {
            assert_eq!(parse_traceparent(h), None, "{h:?}");
        }
    }

    #[test]
    fn continues_an_incoming_trace_with_its_frozen_dsc() {
        let incoming = Incoming {
            sentry_trace: Some(&format!("{T}-{S}-1")),
            baggage: Some(&format!("other=x,sentry-trace_id={T},sentry-public_key=theirs,sentry-sample_rate=0.5,sentry-sampled=true,sentry-sample_rand=0.25,sentry-release=api%401")),
            traceparent: None,
        };
        let (mut c, continued) = PropagationContext::continued(&incoming, None, false, &[3; 28]);
        assert!(continued);
        assert_eq!(c.trace_id, T);
        assert_eq!(c.parent_span_id.as_deref(), Some(S));
        assert_ne!(c.span_id, S, "a span of its own");
        assert_eq!(c.sampled, Some(true));
        assert_eq!(c.sample_rand, 250_000);
        let mut out = Vec::new();
        c.write_trace_context(&mut out);
        assert_eq!(serde_json::from_slice::<serde_json::Value>(&out).unwrap(), serde_json::json!({"trace_id": T, "span_id": c.span_id, "parent_span_id": S}));
        // The incoming DSC is propagated as is (other vendors' entries are not).
        let h = c.headers(&src(), Some("mine=1"));
        assert_eq!(h.sentry_trace, format!("{T}-{}-1", c.span_id));
        assert_eq!(h.baggage, format!("mine=1,sentry-trace_id={T},sentry-public_key=theirs,sentry-sample_rate=0.5,sentry-sampled=true,sentry-sample_rand=0.25,sentry-release=api%401"));
        assert!(!h.baggage.contains("other=x"));
        assert_eq!(h.dsc_baggage(), h.baggage.trim_start_matches("mine=1,"));
    }

    #[test]
    fn continuing_without_baggage_or_with_traceparent_only() {
        let (c, ok) = PropagationContext::continued(&Incoming { sentry_trace: Some(&format!("{T}-{S}")), ..Default::default() }, None, false, &[5; 28]);
        assert!(ok);
        assert_eq!((c.sampled, c.dsc.is_none()), (None, true), "deferred; our own DSC freezes on first use");
        let (c, ok) = PropagationContext::continued(&Incoming { traceparent: Some(&format!("00-{T}-{S}-01")), ..Default::default() }, None, false, &[5; 28]);
        assert!(ok);
        assert_eq!((c.trace_id.as_str(), c.sampled), (T, Some(true)));
        // sentry-trace wins over traceparent; a bad sentry-trace falls back to traceparent.
        let other = "11111111111111111111111111111111";
        let both = Incoming { sentry_trace: Some(&format!("{other}-{S}")), traceparent: Some(&format!("00-{T}-{S}-01")), baggage: None };
        assert_eq!(PropagationContext::continued(&both, None, false, &[5; 28]).0.trace_id, other);
        let bad = Incoming { sentry_trace: Some("garbage"), ..both };
        assert_eq!(PropagationContext::continued(&bad, None, false, &[5; 28]).0.trace_id, T);
    }

    #[test]
    fn sample_rand_is_made_consistent_with_the_heads_decision() {
        for (flag, sampled) in [("1", true), ("0", false)] {
            for seed in [0u8, 77, 255] {
                let inc = Incoming { sentry_trace: Some(&format!("{T}-{S}-{flag}")), baggage: Some(&format!("sentry-trace_id={T},sentry-sample_rate=0.3")), traceparent: None };
                let (c, _) = PropagationContext::continued(&inc, None, false, &[seed; 28]);
                assert_eq!(c.sample_rand < 300_000, sampled, "seed {seed}: {}", c.sample_rand);
                assert!(c.sample_rand < 1_000_000);
            }
        }
    }

    #[test]
    fn malformed_or_foreign_input_starts_a_new_trace() {
        let random = [42u8; 28];
        let fresh = PropagationContext::new(&random);
        for inc in [
            Incoming::default(),
            Incoming { sentry_trace: Some("nope"), baggage: Some(&format!("sentry-trace_id={T}")), traceparent: Some("nope") },
            Incoming { baggage: Some(&format!("sentry-trace_id={T},sentry-public_key=k")), ..Default::default() },
        ] {
            let (c, ok) = PropagationContext::continued(&inc, None, false, &random);
            assert!(!ok);
            assert_eq!(c, fresh);
        }
        // A DSC of another trace is not trusted; the trace still continues.
        let inc = Incoming { sentry_trace: Some(&format!("{T}-{S}")), baggage: Some("sentry-trace_id=ffffffffffffffffffffffffffffffff,sentry-public_key=k"), traceparent: None };
        let (c, ok) = PropagationContext::continued(&inc, None, false, &random);
        assert!(ok && c.dsc.is_none());
    }

    #[test]
    fn org_ids_decide_continuation() {
        let sentry_trace = format!("{T}-{S}");
        let baggage = |org: Option<&str>| match org {
            Some(o) => format!("sentry-trace_id={T},sentry-org_id={o}"),
            None => format!("sentry-trace_id={T}"),
        };
        let cont = |org: Option<&str>, own: Option<&str>, strict: bool| {
            let inc = Incoming { sentry_trace: Some(&sentry_trace), baggage: Some(&baggage(org)), traceparent: None };
            PropagationContext::continued(&inc, own, strict, &[1; 28]).1
        };
        assert!(cont(Some("1"), Some("1"), true));
        assert!(!cont(Some("2"), Some("1"), false), "different orgs never continue");
        assert!(cont(None, Some("1"), false));
        assert!(!cont(None, Some("1"), true), "strict: one side without an org id");
        assert!(!cont(Some("1"), None, true));
        assert!(cont(None, None, true));
    }

    #[test]
    fn dsc_contents_and_freezing() {
        let mut c = PropagationContext::new(&[0x10; 28]);
        let d = c.freeze_dsc(&src());
        let keys: Vec<&str> = d.0.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["trace_id", "public_key", "release", "environment", "sample_rand", "org_id"], "no sampled while deferred, no sample_rate without tracing");
        assert_eq!(d.get("trace_id"), Some(c.trace_id.as_str()));
        assert_eq!(d.get("sample_rand").unwrap().len(), 8, "0.xxxxxx");
        // Frozen: later changes of the source do not show.
        let later = DscSource { release: Some("shop@9"), ..src() };
        assert_eq!(c.freeze_dsc(&later), d);
        assert_eq!(c.headers(&later, None).dsc_baggage(), d.to_baggage());
        c.sampled = Some(false);
        let other = PropagationContext { dsc: None, ..c.clone() };
        assert_eq!(other.compute_dsc(&src()).get("sampled"), Some("false"));
        assert_eq!(DscSource::default().environment, "");
    }

    #[test]
    fn links_read_from_plain_values() {
        assert_eq!(TraceLink::parse(r#"{"sentryTrace": "s", "baggage": "b"}"#).unwrap().baggage.as_deref(), Some("b"));
        assert!(TraceLink::parse(r#"{"baggage": "b"}"#).is_none());
        assert!(TraceLink::parse("null").is_none());
    }

    #[test]
    fn trace_links_resolve_only_when_they_parse() {
        let link = TraceLink { sentry_trace: format!("{T}-{S}"), baggage: Some(format!("sentry-trace_id={T},sentry-public_key=k")) };
        let (ctx, dsc) = link.resolve().unwrap();
        assert_eq!(ctx, (T.to_string(), S.to_string()));
        assert_eq!(dsc.unwrap().get("public_key"), Some("k"));
        assert!(TraceLink { sentry_trace: "x".into(), baggage: None }.resolve().is_none());
        let mismatched = TraceLink { sentry_trace: format!("{T}-{S}"), baggage: Some("sentry-trace_id=other".into()) };
        assert!(mismatched.resolve().unwrap().1.is_none());
    }
}

#[cfg(test)]
#[path = "trace_tests.rs"]
mod pipeline_tests;
