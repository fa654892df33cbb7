//! Trace propagation ("tracing without performance"): the propagation context that every
//! event and every outgoing request of an isolation scope shares. The header text
//! (`sentry-trace`, W3C `traceparent`, `baggage`) is the shim's (`js/api/trace-headers.ts`):
//! it reads incoming headers into parts ([`Incoming`]) and writes outgoing ones from the
//! parts [`PropagationContext::headers`] gives.
//!
//! No spans are recorded. A fresh context has a random trace id, a random span id (the
//! span the browser or worker stands for: it is the `span_id` of its events and the
//! parent span of the requests it makes) and a deferred sampling decision. A continued
//! context takes the incoming trace id, the incoming span as its parent, the incoming
//! sampling decision and the incoming DSC, frozen (with the `sample_rand` made for it
//! added when it came without one). A context's own DSC is frozen the
//! first time it leaves the SDK (outgoing `baggage` or an envelope's `trace` header).
//!
//! Ids come from random bytes the host passes in ([`RANDOM_BYTES`] per context).
//! Without incoming parts (no header, or only malformed ones) a new trace starts; nothing
//! here panics.


use crate::baggage::Dsc;
use crate::ids;
use crate::json::read;
use crate::json::write::Obj;

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

/// What an incoming request (or a server-rendered page) says about its trace, as the shim
/// read it from the `sentry-trace` (else `traceparent`) and `baggage` headers.
#[derive(Debug, Clone, Default)]
pub struct Incoming<'a> {
    /// The caller's trace id (32 lowercase hex digits).
    pub trace_id: &'a str,
    /// The caller's span (16 lowercase hex digits): this SDK's parent span.
    pub parent_span_id: &'a str,
    /// The caller's sampling decision; `None` while deferred.
    pub sampled: Option<bool>,
    /// The `sentry-` entries of the incoming `baggage`, as the JSON array of
    /// [`Dsc::from_json`].
    pub dsc: Option<&'a str>,
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
    let (int, frac) = crate::text::decimal(crate::text::trim(s)).filter(|(int, _)| int.len() <= 8)?;
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
    // Six digits, leading zeros included: the hundred-thousands first.
    let mut s = String::from("0.");
    let mut unit = 100_000;
    while unit > 0 {
        s.push((b'0' + (m / unit % 10) as u8) as char);
        unit /= 10;
    }
    s
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

    /// Continues the trace of `incoming`, or starts a new one without it (no header, or
    /// only malformed ones). With `strict_org` (`strictTraceContinuation`), an incoming DSC
    /// from another organisation, or with an org id when this SDK has none or the other
    /// way round, starts a new trace too; differing org ids always do. Returns the context
    /// and whether it continued.
    pub fn continued(incoming: Option<&Incoming>, own_org: Option<&str>, strict_org: bool, random: &[u8]) -> (PropagationContext, bool) {
        // A new trace, which a continued one changes in place (it keeps the span id).
        let mut ctx = PropagationContext::new(random);
        let Some(&Incoming { trace_id, parent_span_id: parent, sampled: flag, dsc }) = incoming else { return (ctx, false) };
        // The incoming DSC counts only when it belongs to the same trace.
        let dsc = dsc.and_then(Dsc::from_json).filter(|d| d.get("trace_id").is_none_or(|t| t == trace_id));
        let get = |key| dsc.as_ref().and_then(|d| d.get(key));
        let org_mismatch = match (own_org, get("org_id")) {
            (Some(a), Some(b)) => a != b,
            (None, None) => false,
            _ => strict_org,
        };
        if org_mismatch {
            return (ctx, false);
        }
        let sampled = match (flag, get("sampled")) {
            (Some(f), _) => Some(f),
            (None, Some("true")) => Some(true),
            (None, Some("false")) => Some(false),
            (None, _) => None,
        };
        let micro = |key| match get(key) {
            Some(v) => parse_micro(v),
            None => None,
        };
        // Without an incoming sample_rand, make one consistent with the head's decision:
        // sampled ⇔ sample_rand < sample_rate.
        let own = ctx.sample_rand as u64;
        let sample_rand = match (micro("sample_rand"), sampled, micro("sample_rate")) {
            (Some(r), _, _) if (r as u64) < MICRO => r,
            (_, Some(true), Some(r)) => (own * r as u64 / MICRO) as u32,
            (_, Some(false), Some(r)) => (r as u64 + own * (MICRO - r as u64) / MICRO).min(MICRO - 1) as u32,
            _ => ctx.sample_rand,
        };
        // A made one joins an incoming DSC that has none, so that every service after this
        // one compares against the same number. (An unreadable one is propagated as it
        // came: the DSC is the head's.)
        let made = get("sample_rand").is_none();
        let mut dsc = dsc;
        if let Some(d) = dsc.as_mut().filter(|_| made) {
            d.0.push(("sample_rand".to_string(), format_micro(sample_rand)));
        }
        // (The new trace's id is overwritten in its own buffer.)
        ctx.trace_id.clear();
        ctx.trace_id.push_str(trace_id);
        ctx.parent_span_id = Some(parent.to_string());
        ctx.sampled = sampled;
        ctx.sample_rand = sample_rand;
        ctx.dsc = dsc;
        (ctx, true)
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

    /// The parts of an outgoing request's headers, as JSON for the shim that writes them:
    /// `{"trace_id":…,"span_id":…[,"sampled":bool],"dsc":[…]}` (the DSC as
    /// [`Dsc::write_pairs`] writes it, frozen from now on).
    pub fn headers(&mut self, src: &DscSource) -> Vec<u8> {
        let dsc = self.freeze_dsc(src);
        let mut out = Vec::with_capacity(400);
        let mut o = Obj::new(&mut out);
        o.str("trace_id", &self.trace_id);
        o.str("span_id", &self.span_id);
        if let Some(s) = self.sampled {
            o.bool("sampled", s);
        }
        dsc.write_pairs(o.name("dsc"));
        o.end();
        out
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

/// The trace of one outgoing request an event is linked to (a failed request, or an
/// error thrown while its response was handled): the parts of the headers that request
/// carried, as the shim read them.
#[derive(Debug, Clone, Default)]
pub struct TraceLink<'a> {
    /// The request's trace id.
    pub trace_id: String,
    /// The request's span id (its `sentry-trace`'s second part).
    pub span_id: String,
    /// The DSC the request was sent with, as the JSON array of [`Dsc::from_json`] (its
    /// raw text, borrowed: it is read once, by [`TraceLink::resolve`]).
    pub dsc: Option<&'a str>,
}

impl<'a> TraceLink<'a> {
    /// From JSON text `{ traceId, spanId, dsc }`; `None` without the two id strings.
    pub fn parse(text: &'a str) -> Option<TraceLink<'a>> {
        let [t, s, d] = read::pick(text, &["traceId", "spanId", "dsc"]);
        let string = |v: Option<&str>| v.and_then(read::owned_string);
        Some(TraceLink { trace_id: string(t)?, span_id: string(s)?, dsc: d })
    }

    /// `(trace_id, span_id)` and the DSC of the linked request's trace (when it belongs to
    /// that trace).
    pub fn resolve(self) -> ((String, String), Option<Dsc>) {
        let dsc = self.dsc.and_then(Dsc::from_json).filter(|d| d.get("trace_id") == Some(self.trace_id.as_str()));
        ((self.trace_id, self.span_id), dsc)
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
        assert!(ids::is_lower_hex(&z.trace_id, 32) && z.trace_id.bytes().any(|c| c != b'0'));
        assert!(ids::is_lower_hex(&z.span_id, 16) && z.span_id.bytes().any(|c| c != b'0'));
        assert_eq!(PropagationContext::new(&[0xff; 28]).sample_rand, 999_999);
        assert_eq!(PropagationContext::new(&[0; 28]).sample_rand, 0);
    }

    /// The DSC array the shim sends for `pairs`.
    fn dsc_json(pairs: &[(&str, &str)]) -> String {
        let mut out = Vec::new();
        Dsc(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()).write_pairs(&mut out);
        String::from_utf8(out).unwrap()
    }

    fn incoming<'a>(sampled: Option<bool>, dsc: Option<&'a str>) -> Incoming<'a> {
        Incoming { trace_id: T, parent_span_id: S, sampled, dsc }
    }

    /// The headers' parts as the shim reads them.
    fn parts(c: &mut PropagationContext, src: &DscSource) -> serde_json::Value {
        serde_json::from_slice(&c.headers(src)).unwrap()
    }

    #[test]
    fn continues_an_incoming_trace_with_its_frozen_dsc() {
        let theirs = [("trace_id", T), ("public_key", "theirs"), ("sample_rate", "0.5"), ("sampled", "true"), ("sample_rand", "0.25"), ("release", "api@1")];
        let dsc = dsc_json(&theirs);
        let (mut c, continued) = PropagationContext::continued(Some(&incoming(Some(true), Some(&dsc))), None, false, &[3; 28]);
        assert!(continued);
        assert_eq!(c.trace_id, T);
        assert_eq!(c.parent_span_id.as_deref(), Some(S));
        assert_ne!(c.span_id, S, "a span of its own");
        assert_eq!(c.sampled, Some(true));
        assert_eq!(c.sample_rand, 250_000);
        let mut out = Vec::new();
        c.write_trace_context(&mut out);
        assert_eq!(serde_json::from_slice::<serde_json::Value>(&out).unwrap(), serde_json::json!({"trace_id": T, "span_id": c.span_id, "parent_span_id": S}));
        // The incoming DSC is propagated as is.
        let flat: Vec<&str> = theirs.iter().flat_map(|(k, v)| [*k, *v]).collect();
        assert_eq!(parts(&mut c, &src()), serde_json::json!({"trace_id": T, "span_id": c.span_id, "sampled": true, "dsc": flat}));
    }

    #[test]
    fn outgoing_parts_say_whether_sampling_is_decided() {
        let mut c = PropagationContext::new(&[7; 28]);
        let p = parts(&mut c, &src());
        assert_eq!((p["trace_id"].as_str(), p["span_id"].as_str()), (Some(c.trace_id.as_str()), Some(c.span_id.as_str())));
        assert!(p.get("sampled").is_none(), "deferred: no flag");
        for sampled in [true, false] {
            c.sampled = Some(sampled);
            assert_eq!(parts(&mut c, &src())["sampled"], sampled);
        }
    }

    #[test]
    fn continuing_without_baggage_or_with_traceparent_only() {
        let (c, ok) = PropagationContext::continued(Some(&incoming(None, None)), None, false, &[5; 28]);
        assert!(ok);
        assert_eq!((c.sampled, c.dsc.is_none()), (None, true), "deferred; our own DSC freezes on first use");
        let (c, ok) = PropagationContext::continued(Some(&incoming(Some(true), None)), None, false, &[5; 28]);
        assert!(ok);
        assert_eq!((c.trace_id.as_str(), c.sampled), (T, Some(true)));
        // Without a flag, the incoming DSC's `sampled` decides.
        let dsc = dsc_json(&[("sampled", "false")]);
        assert_eq!(PropagationContext::continued(Some(&incoming(None, Some(&dsc))), None, false, &[5; 28]).0.sampled, Some(false));
        // An unreadable DSC array is no DSC.
        let (c, ok) = PropagationContext::continued(Some(&incoming(None, Some("not json"))), None, false, &[5; 28]);
        assert!(ok && c.dsc.is_none());
    }

    #[test]
    fn sample_rand_is_made_consistent_with_the_heads_decision() {
        for sampled in [true, false] {
            for seed in [0u8, 77, 255] {
                let dsc = dsc_json(&[("trace_id", T), ("sample_rate", "0.3")]);
                let (mut c, _) = PropagationContext::continued(Some(&incoming(Some(sampled), Some(&dsc))), None, false, &[seed; 28]);
                assert_eq!(c.sample_rand < 300_000, sampled, "seed {seed}: {}", c.sample_rand);
                assert!(c.sample_rand < 1_000_000);
                // The number made here is propagated from now on, after the incoming entries.
                let sent = parts(&mut c, &src());
                let made = format_micro(c.sample_rand);
                assert_eq!(sent["dsc"], serde_json::json!(["trace_id", T, "sample_rate", "0.3", "sample_rand", made]));
            }
        }
        // An incoming sample_rand is propagated as it came, once, whether this SDK could
        // read it or not.
        for (given, read) in [("1.5", false), ("x", false), ("0.123456", true)] {
            let dsc = dsc_json(&[("sample_rand", given), ("trace_id", T)]);
            let (mut c, _) = PropagationContext::continued(Some(&incoming(None, Some(&dsc))), None, false, &[9; 28]);
            assert_eq!(c.sample_rand == 123_456, read, "{given}");
            assert_eq!(parts(&mut c, &src())["dsc"], serde_json::json!(["sample_rand", given, "trace_id", T]), "{given}");
        }
    }

    #[test]
    fn malformed_or_foreign_input_starts_a_new_trace() {
        let random = [42u8; 28];
        let fresh = PropagationContext::new(&random);
        let (c, ok) = PropagationContext::continued(None, None, false, &random);
        assert!(!ok);
        assert_eq!(c, fresh);
        // A DSC of another trace is not trusted; the trace still continues.
        let dsc = dsc_json(&[("trace_id", "ffffffffffffffffffffffffffffffff"), ("public_key", "k")]);
        let (c, ok) = PropagationContext::continued(Some(&incoming(None, Some(&dsc))), None, false, &random);
        assert!(ok && c.dsc.is_none());
    }

    #[test]
    fn org_ids_decide_continuation() {
        let cont = |org: Option<&str>, own: Option<&str>, strict: bool| {
            let dsc = match org {
                Some(o) => dsc_json(&[("trace_id", T), ("org_id", o)]),
                None => dsc_json(&[("trace_id", T)]),
            };
            PropagationContext::continued(Some(&incoming(None, Some(&dsc))), own, strict, &[1; 28]).1
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
        let mut pairs = Vec::new();
        d.write_pairs(&mut pairs);
        assert_eq!(parts(&mut c, &later)["dsc"], serde_json::from_slice::<serde_json::Value>(&pairs).unwrap());
        c.sampled = Some(false);
        let other = PropagationContext { dsc: None, ..c.clone() };
        assert_eq!(other.compute_dsc(&src()).get("sampled"), Some("false"));
        assert_eq!(DscSource::default().environment, "");
    }

    #[test]
    fn links_read_from_plain_values() {
        let text = format!(r#"{{"traceId": "{T}", "spanId": "{S}", "dsc": ["public_key", "k"]}}"#);
        let link = TraceLink::parse(&text).unwrap();
        assert_eq!((link.trace_id.as_str(), link.span_id.as_str(), link.dsc), (T, S, Some(r#"["public_key", "k"]"#)));
        assert!(TraceLink::parse(&format!(r#"{{"traceId": "{T}"}}"#)).is_none());
        assert!(TraceLink::parse(r#"{"dsc": []}"#).is_none());
        assert!(TraceLink::parse("null").is_none());
    }

    #[test]
    fn a_links_dsc_counts_only_for_its_own_trace() {
        fn link(dsc: &str) -> TraceLink<'_> {
            TraceLink { trace_id: T.into(), span_id: S.into(), dsc: Some(dsc) }
        }
        let (ctx, dsc) = link(&dsc_json(&[("trace_id", T), ("public_key", "k")])).resolve();
        assert_eq!(ctx, (T.to_string(), S.to_string()));
        assert_eq!(dsc.unwrap().get("public_key"), Some("k"));
        assert!(link(&dsc_json(&[("trace_id", "other")])).resolve().1.is_none());
        assert!(link(&dsc_json(&[("public_key", "k")])).resolve().1.is_none(), "no trace id: not known to be the same trace");
        assert!(TraceLink { dsc: None, ..link("") }.resolve().1.is_none());
    }
}

#[cfg(test)]
#[path = "trace_tests.rs"]
mod pipeline_tests;
