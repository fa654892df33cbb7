//! The capture pipeline: options and DSN resolved once, the scopes, and the stages that
//! turn one capture into envelope bytes or a counted drop. The same list, in the same
//! order, heads `js/pipeline.ts`:
//!
//! | # | stage | where | drop reason |
//! |---|---|---|---|
//! | 1 | enabled? | `pipeline.rs:Client::capture` | `Disabled` (not counted) |
//! | 2 | early drop: rate limit on `error`, before building | `pipeline.rs:Client::capture` | `RatelimitBackoff` |
//! | 3 | `sampleRate` | `pipeline.rs:Client::sampled_out` | `SampleRate` |
//! | 4 | build: input + scopes + host context + trace | `pipeline.rs:Client::build` | `InternalSdkError` (bad input) |
//! | 5 | inbound filters: string patterns, then RegExp in the shim | `filters.rs:Filters::check`, `js/pipeline.ts` | `EventProcessor` |
//! | 6 | event processors | `js/pipeline.ts` | `EventProcessor` |
//! | 7 | `beforeSend` | `js/pipeline.ts` | `BeforeSend` |
//! | 8 | dedupe, on the final event | `pipeline.rs:Client::seal` → `dedupe.rs` | `EventProcessor` |
//! | 9 | scrub what the host returned, size cap, envelope | `pipeline.rs:Client::seal` | `InternalSdkError` |
//!
//! Without host stages (`handBack` false) stages 1–9 run in one [`Client::capture`].
//! With them, `capture` stops after 5 with [`Outcome::Host`] (the event as JSON text and
//! the filter subjects), keeping per-event state (DSC, `_meta` of stage 4) keyed by
//! event id, bounded ([`MAX_PENDING`], oldest evicted and counted); the host then calls
//! [`Client::finish`] or [`Client::drop_pending`]. Both paths end in the same
//! `seal`, so an event the host leaves untouched makes the same envelope either way.
//!
//! The client owns no I/O and no clock: every call gets the time and random bytes.

use std::rc::Rc;

use crate::baggage::Dsc;
use crate::dedupe::Dedupe;
use crate::dsn::Dsn;
use crate::json::read;
use crate::json::write::{self as w, Obj};
use crate::options::Options;
use crate::outcomes::{self, Outcomes};
use crate::protocol::envelope::{Envelope, Writer};
use crate::protocol::debug_meta;
use crate::protocol::event::{Event, View};
use crate::protocol::summary::Summary;
use crate::protocol::exception::{self, Kind, Mechanism, Thrown};
use crate::protocol::limits::{self, MAX_EVENT_BYTES};
use crate::protocol::meta::EventMeta;
use crate::ratelimit::RateLimits;
use crate::reasons::{Category, Reason};
use crate::scope::{self, Crumb, Entry, Scope, ScopeOp};
use crate::scrub::{self, PiiConfig, Seg};
use crate::trace::{self, PropagationContext, TraceLink};
use crate::ids;

/// The SDK version, shared by `sdk.version` and `sentry_client`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// Random bytes one capture needs: 16 for an event id when the host gave none, 4 for
/// sampling, and [`trace::RANDOM_BYTES`] in case its isolation scope has no trace yet.
pub const CAPTURE_RANDOM_BYTES: usize = 20 + trace::RANDOM_BYTES;
/// Events waiting in host stages at most; older ones are evicted and counted.
pub const MAX_PENDING: usize = 64;

/// The scopes a capture runs under, by host-chosen id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScopeIds {
    /// The current scope (`withScope`).
    pub current: u32,
    /// The isolation scope (`withIsolationScope`; top-level setters write here).
    pub isolation: u32,
    /// The global scope.
    pub global: u32,
}

/// What became of a capture (or of `finish`).
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Ready for the transport.
    Send(Envelope),
    /// Not sent, with a sentence for debug logging (already counted unless `Disabled`).
    Drop(Reason, String),
    /// The host has stages to run: the event (JSON text) and the filter subjects.
    Host {
        /// The event, scrubbed, without `_meta`.
        event: String,
        /// `{"messages":[…],"url":…}` for RegExp filters.
        subjects: String,
    },
}

/// State of an event between `capture` and `finish`.
#[derive(Debug)]
struct Pending {
    event_id: String,
    dsc: Option<Dsc>,
    meta: EventMeta,
    /// Hash of the text handed out: an event returned unchanged is not scrubbed again.
    hash: u64,
}

/// A configured client.
#[derive(Debug)]
pub struct Client {
    options: Options,
    dsn: Option<Dsn>,
    dsn_error: Option<String>,
    sdk_name: String,
    /// Scopes by host-chosen id (a short list: a linear search costs less wasm than a
    /// hash map and is as fast at these sizes).
    scopes: Vec<(u32, Scope)>,
    dedupe: Dedupe,
    outcomes: Outcomes,
    rate_limits: RateLimits,
    /// Oldest first.
    pending: Vec<Pending>,
    pii: PiiConfig,
    pii_error: Option<String>,
    /// The host's contexts (browser, os, culture, runtime), written once.
    host_contexts: Vec<Entry>,
    /// What the last event sent does to a session (release health, `session.rs`).
    last_effect: crate::session::Effect,
    /// Recently parsed stacks.
    stacks: std::cell::RefCell<crate::stacktrace::StackCache>,
}

fn hash(text: &[u8]) -> u64 {
    text.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3))
}

fn text_of(raw: &str) -> Option<String> {
    read::string(raw).map(|s| s.into_owned())
}

/// Picks entries by key, first occurrence winning (own data, then current, isolation,
/// global).
fn merge_entries<'a>(lists: &[&'a [Entry]]) -> Vec<&'a Entry> {
    let mut out: Vec<&Entry> = Vec::new();
    for list in lists {
        for e in *list {
            if !out.iter().any(|o| o.key == e.key) {
                out.push(e);
            }
        }
    }
    out
}

/// The capture input (`CaptureInput` JSON of the contract), borrowed from its text.
#[derive(Debug, Default)]
struct Input<'a> {
    event_id: Option<String>,
    timestamp: f64,
    level: Option<String>,
    message: Option<String>,
    exception: Option<&'a str>,
    mechanism: Option<&'a str>,
    event: Option<&'a str>,
    url: Option<String>,
    trace: Option<&'a str>,
    debug_ids: Option<&'a str>,
    wasm: Option<&'a str>,
}

impl<'a> Input<'a> {
    fn parse(text: &'a str) -> Option<Input<'a>> {
        let mut i = Input::default();
        for (k, v) in read::fields(text)? {
            let present = !read::is_null(v);
            match &*k {
                "eventId" => i.event_id = text_of(v),
                "timestamp" => i.timestamp = read::number(v).unwrap_or(0.0),
                "level" => i.level = text_of(v),
                "message" => i.message = text_of(v),
                "exception" if present => i.exception = Some(v),
                "mechanism" if present => i.mechanism = Some(v),
                "event" if present => i.event = Some(v),
                "url" => i.url = text_of(v).filter(|u| !u.is_empty()),
                "trace" if present => i.trace = Some(v),
                "debugIds" if present => i.debug_ids = Some(v),
                "wasm" if present => i.wasm = Some(v),
                _ => {}
            }
        }
        Some(i)
    }
}

impl Client {
    /// Resolves options. Never fails: a bad DSN disables the client and is reported by
    /// [`Client::dsn_error`]; bad option values by [`Client::option_errors`].
    pub fn new(options: Options) -> Client {
        let (dsn, dsn_error) = match options.dsn.as_deref() {
            None => (None, None),
            Some(text) => match Dsn::parse(text) {
                Ok(d) => (Some(d), None),
                Err(e) => (None, Some(e.message())),
            },
        };
        let sdk_name = options.sdk_name();
        // An invalid `scrub` option disables the client instead of falling back to the
        // defaults: scrubbing with other rules than the app asked for could send what it
        // meant to keep.
        let browser = options.runtime == "browser";
        let (mut pii, pii_error) = match scrub::config_from_options(options.send_default_pii, options.scrub.as_deref(), browser) {
            Ok(cfg) => (cfg, None),
            Err(e) => (scrub::config_from_options(false, None, browser).unwrap_or_default(), Some(e)),
        };
        pii.sdk_settings = dsn.as_ref().is_some_and(|d: &Dsn| d.host == "sentry.io" || d.host.ends_with(".sentry.io"));
        let host_contexts = options.host_contexts.iter().map(|(k, v)| Entry { key: k.clone(), json: v.clone(), meta: None }).collect();
        Client {
            host_contexts,
            options,
            dsn,
            dsn_error,
            sdk_name,
            scopes: Vec::new(),
            dedupe: Dedupe::default(),
            outcomes: Outcomes::default(),
            rate_limits: RateLimits::default(),
            pending: Vec::new(),
            pii,
            pii_error,
            last_effect: crate::session::Effect::None,
            stacks: Default::default(),
        }
    }

    /// Reads options from JSON text, then builds the client.
    pub fn from_json(options: &str) -> Client {
        Client::new(Options::parse(options))
    }

    /// The resolved options.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Why the DSN was rejected, if it was.
    pub fn dsn_error(&self) -> Option<&str> {
        self.dsn_error.as_deref()
    }

    /// One sentence per rejected option value.
    pub fn option_errors(&self) -> &[String] {
        &self.options.errors
    }

    /// Why the `scrub` option was rejected, if it was (the client is then disabled).
    pub fn scrub_error(&self) -> Option<&str> {
        self.pii_error.as_deref()
    }

    /// The compiled PII scrubbing configuration.
    pub fn pii(&self) -> &PiiConfig {
        &self.pii
    }

    /// A sentence explaining why the client is disabled, for debug logging.
    pub fn disabled_reason(&self) -> Option<String> {
        if let Some(e) = &self.dsn_error {
            Some(["oxeye is disabled: ", e].concat())
        } else if let Some(e) = &self.pii_error {
            Some(["oxeye is disabled: ", e].concat())
        } else if self.dsn.is_none() {
            Some("oxeye is disabled: no DSN was given".into())
        } else if !self.options.enabled {
            Some("oxeye is disabled: `enabled` is false".into())
        } else {
            None
        }
    }

    /// True when events are built and sent.
    pub fn is_enabled(&self) -> bool {
        self.disabled_reason().is_none()
    }

    /// The URL envelopes are posted to: the tunnel when set, else the DSN's endpoint
    /// with query-string auth (no CORS preflight).
    pub fn url(&self) -> Option<String> {
        let dsn = self.dsn.as_ref()?;
        match self.options.tunnel.as_deref() {
            Some(t) => Some(t.to_string()),
            None => Some(dsn.envelope_url(&sentry_client())),
        }
    }

    // ---- scopes -------------------------------------------------------------------

    /// The scope with this id (created empty on first use).
    pub fn scope_mut(&mut self, id: u32) -> &mut Scope {
        let i = self.scope_index(id);
        &mut self.scopes[i].1
    }

    fn scope_index(&mut self, id: u32) -> usize {
        match self.scopes.iter().position(|(k, _)| *k == id) {
            Some(i) => i,
            None => {
                self.scopes.push((id, Scope::default()));
                self.scopes.len() - 1
            }
        }
    }

    /// The scope with this id, if it exists.
    pub fn scope(&self, id: u32) -> Option<&Scope> {
        self.scopes.iter().find(|(k, _)| *k == id).map(|(_, s)| s)
    }

    /// Makes scope `to` a copy of scope `from` (`withScope`, `withIsolationScope`).
    pub fn fork_scope(&mut self, from: u32, to: u32) {
        let copy = self.scope(from).cloned().unwrap_or_default();
        *self.scope_mut(to) = copy;
    }

    /// Forgets a scope.
    pub fn drop_scope(&mut self, id: u32) {
        self.scopes.retain(|(k, _)| *k != id);
    }

    /// Applies a setter to scope `id` (`value` is JSON text), scrubbing it once.
    pub fn scope_set(&mut self, id: u32, op: ScopeOp, key: Option<&str>, value: Option<&str>) {
        let i = self.scope_index(id);
        self.scopes[i].1.apply(op, key, value, &self.pii);
    }

    /// Adds a breadcrumb (JSON text) to a scope, stamping the time when it has none.
    pub fn add_breadcrumb(&mut self, id: u32, crumb: &str, now_ms: f64) {
        let max = self.options.max_breadcrumbs;
        if max == 0 {
            return;
        }
        if let Some(c) = scope::crumb(crumb, now_ms, &self.pii) {
            self.scope_mut(id).add_breadcrumb(c, max);
        }
    }

    // ---- outcomes and rate limits ---------------------------------------------------

    /// Counts discarded items for a client report.
    pub fn record(&mut self, reason: Reason, category: Category, quantity: u64) {
        self.outcomes.record(reason, category, quantity);
    }

    /// The pending client-report counts.
    pub fn outcomes(&self) -> &Outcomes {
        &self.outcomes
    }

    /// Takes the pending counts as a `client_report` envelope (None when nothing is
    /// pending, or while a rate limit covers client reports: the counts then wait).
    pub fn take_client_report(&mut self, now_ms: f64) -> Option<Envelope> {
        if self.rate_limits.is_limited(Category::Internal, now_ms) {
            return None;
        }
        let dsn = self.envelope_dsn();
        self.outcomes.take_envelope(dsn.as_deref(), (&self.sdk_name, VERSION), now_ms)
    }

    /// The rate limits the server announced for this client's DSN.
    pub fn rate_limits(&self) -> &RateLimits {
        &self.rate_limits
    }

    /// The rate limits, to update from a response.
    pub fn rate_limits_mut(&mut self) -> &mut RateLimits {
        &mut self.rate_limits
    }

    /// The `dsn` envelope header: the public DSN when sending through a tunnel.
    pub fn envelope_dsn(&self) -> Option<String> {
        self.dsn.as_ref().filter(|_| self.options.tunnel.is_some()).map(Dsn::to_public_string)
    }

    fn drop(&mut self, reason: Reason, detail: String) -> Outcome {
        self.outcomes.record(reason, Category::Error, 1);
        Outcome::Drop(reason, detail)
    }

    // ---- trace propagation (trace.rs, baggage.rs) ----------------------------------

    fn dsc_source(&self) -> Option<trace::DscSource> {
        let dsn = self.dsn.as_ref()?;
        Some(trace::DscSource {
            public_key: dsn.public_key.clone(),
            org_id: self.options.org_id.clone().or_else(|| dsn.org_id.clone()),
            release: self.options.release.clone(),
            environment: self.options.environment.clone(),
        })
    }

    fn propagation_mut(&mut self, id: u32, random: &[u8]) -> &mut PropagationContext {
        self.scope_mut(id).propagation.get_or_insert_with(|| PropagationContext::new(random))
    }

    /// Sets the trace of scope `id` from incoming headers, or starts a new one when they
    /// name none. True when the incoming trace was continued.
    pub fn continue_trace(&mut self, id: u32, incoming: &trace::Incoming, random: &[u8]) -> bool {
        let own_org = self.dsc_source().and_then(|s| s.org_id);
        let (ctx, continued) = PropagationContext::continued(incoming, own_org.as_deref(), self.options.strict_trace_continuation, random);
        self.scope_mut(id).propagation = Some(ctx);
        continued
    }

    /// Headers for an outgoing request made under isolation scope `id`, merging the app's
    /// own `baggage`; freezes the DSC. `None` while the SDK is disabled.
    pub fn trace_headers(&mut self, id: u32, existing_baggage: Option<&str>, random: &[u8]) -> Option<trace::Headers> {
        if !self.is_enabled() {
            return None;
        }
        let src = self.dsc_source()?;
        Some(self.propagation_mut(id, random).headers(&src, existing_baggage))
    }

    // ---- the pipeline -------------------------------------------------------------

    /// Stages 1–5 (and 8–9 unless `hand_back`). `input` is CaptureInput JSON; `random`
    /// needs [`CAPTURE_RANDOM_BYTES`].
    pub fn capture(&mut self, input: &str, ids: ScopeIds, now_ms: f64, random: &[u8], hand_back: bool) -> Outcome {
        // 1. enabled?
        if let Some(detail) = self.disabled_reason() {
            return Outcome::Drop(Reason::Disabled, detail);
        }
        // 2. early drop: nothing is built while errors are rate limited.
        if self.rate_limits.is_limited(Category::Error, now_ms) {
            return self.drop(Reason::RatelimitBackoff, "errors are rate limited by the server".into());
        }
        let Some(mut input) = Input::parse(input) else {
            return self.drop(Reason::InternalSdkError, "the capture input is not a JSON object".into());
        };
        if input.timestamp.is_nan() || input.timestamp <= 0.0 {
            input.timestamp = now_ms;
        }
        let event_id = match input.event_id.as_deref() {
            Some(id) if ids::is_event_id(id) => id.to_string(),
            _ => ids::uuid4(random),
        };
        // 3. sampleRate
        if self.sampled_out(random) {
            return self.drop(Reason::SampleRate, "sampled out by sampleRate".into());
        }
        // 4. build
        let (text, spans, typed, meta, dsc) = self.build(&input, &event_id, ids, random.get(20..).unwrap_or(&[]));
        // 5. string filters (RegExp filters run in the shim on the same subjects)
        let text = String::from_utf8(text).unwrap_or_default();
        let members = read::Index::of_spans(&text, spans);
        let (members, summary) = match typed {
            Some(summary) => (members, summary),
            None => {
                let view = View::new(members);
                let summary = Summary::of_view(&view);
                (view.members, summary)
            }
        };
        if let Some(why) = self.options.filters.check(&summary.subjects) {
            return self.drop(Reason::EventProcessor, ["filtered because ", &why].concat());
        }
        if hand_back {
            if self.pending.len() >= MAX_PENDING {
                self.pending.remove(0);
                self.outcomes.record(Reason::InternalSdkError, Category::Error, 1);
            }
            self.pending.push(Pending { event_id, dsc, meta, hash: hash(text.as_bytes()) });
            let mut s = Vec::new();
            summary.subjects.write(&mut s);
            drop(members);
            return Outcome::Host { event: text, subjects: String::from_utf8(s).unwrap_or_default() };
        }
        self.seal(&event_id, &text, Some((members, summary)), meta, dsc, now_ms)
    }

    /// Stage 3: true when `sampleRate` drops this event (4 random bytes at offset 16).
    fn sampled_out(&self, random: &[u8]) -> bool {
        let rate = self.options.sample_rate;
        if rate >= 1.0 {
            return false;
        }
        let mut b = [0u8; 4];
        for (d, s) in b.iter_mut().zip(random.iter().skip(16)) {
            *d = *s;
        }
        f64::from(u32::from_le_bytes(b)) / 4_294_967_296.0 >= rate
    }

    /// After the host stages: stages 8–9 for an event handed out by `capture`.
    pub fn finish(&mut self, event_id: &str, event: &str, now_ms: f64) -> Outcome {
        let Some(i) = self.pending.iter().position(|p| p.event_id == event_id) else {
            return self.drop(Reason::InternalSdkError, "finish was called for an event the core is not holding".into());
        };
        let p = self.pending.remove(i);
        if self.rate_limits.is_limited(Category::Error, now_ms) {
            return self.drop(Reason::RatelimitBackoff, "errors are rate limited by the server".into());
        }
        // An event the host left unchanged is the text the core wrote: not scrubbed again.
        let read = (hash(event.as_bytes()) == p.hash).then(|| {
            let view = View::of(event);
            let summary = Summary::of_view(&view);
            (view.members, summary)
        });
        self.seal(event_id, event, read, p.meta, p.dsc, now_ms)
    }

    /// The host dropped an event it was holding (`reason` is counted).
    pub fn drop_pending(&mut self, event_id: &str, reason: Reason) {
        if let Some(i) = self.pending.iter().position(|p| p.event_id == event_id) {
            self.pending.remove(i);
        }
        self.outcomes.record(reason, Category::Error, 1);
    }

    /// Events currently held for host stages.
    pub fn pending_count(&self) -> usize {
        self.pending.len()
    }

    /// Stage 4: the event from the input, the scopes, host context and trace; returns its
    /// text (without `_meta`), the `_meta` of what was scrubbed, and the envelope's DSC.
    fn build(&mut self, input: &Input, event_id: &str, ids: ScopeIds, random: &[u8]) -> (Vec<u8>, crate::protocol::event::Spans, Option<Summary>, EventMeta, Option<Dsc>) {
        // Trace: the linked request's, else the isolation scope's.
        let src = self.dsc_source();
        let link = input.trace.and_then(TraceLink::parse).and_then(|l| l.resolve());
        let own_trace = self.propagation_mut(ids.isolation, random).trace_id.clone();
        let (trace_ctx, dsc) = match link.filter(|((t, _), _)| *t != own_trace) {
            Some(((t, s), dsc)) => {
                let mut c = Vec::new();
                trace::write_trace_context(&mut c, &t, &s, None);
                (c, dsc)
            }
            None => {
                let p = self.propagation_mut(ids.isolation, random);
                let mut c = Vec::new();
                p.write_trace_context(&mut c);
                (c, src.map(|s| p.freeze_dsc(&s)))
            }
        };
        let cfg = &self.pii;
        let mut meta = EventMeta::default();
        let mut own = OwnData::default();
        if let Some(ev) = input.event {
            own.read(ev, input.timestamp, cfg, &mut meta);
        }
        // The capture's own message and exception win over the event's. Only
        // `captureMessage` defaults to `info`; a whole event without a level is an error, as
        // Sentry's server reads it.
        let mut is_message = false;
        // Debug images of the files in the frames, unless the app's event brought its own;
        // wasm frames are linked to theirs by index.
        let images = if own.other.iter().any(|(k, _)| k == "debug_meta") { Vec::new() } else { debug_meta::read_images(input.debug_ids, input.wasm) };
        if let Some(msg) = &input.message {
            own.logentry = Some(logentry(msg, cfg, &mut meta));
            is_message = true;
        }
        if let Some(raw) = input.exception {
            let mechanism = input.mechanism.map(Mechanism::parse).unwrap_or_default();
            let mut budget = self.options.max_linked_errors;
            if let Some(t) = Thrown::parse(raw, &mut budget) {
                self.read_thrown(&t, &mechanism, &images, &mut own, &mut meta, &mut is_message);
            }
        }
        let trace_entry = Entry { key: "trace".into(), json: trace_ctx, meta: Default::default() };

        let empty = Scope::default();
        let get = |id: u32| self.scope(id).unwrap_or(&empty);
        let (cur, iso, glo) = (get(ids.current), get(ids.isolation), get(ids.global));
        let cfg = &self.pii;
        let mut ev = Event {
            event_id: event_id.to_string(),
            timestamp_ms: own.timestamp_ms.unwrap_or(input.timestamp),
            tags: merge_entries(&[&own.tags, &cur.tags, &iso.tags, &glo.tags]),
            extra: merge_entries(&[&own.extra, &cur.extra, &iso.extra, &glo.extra]),
            contexts: merge_entries(&[&own.contexts, &cur.contexts, &iso.contexts, &glo.contexts, &self.host_contexts, std::slice::from_ref(&trace_entry)]),
            user: merge_entries(&[&own.user, &cur.user, &iso.user, &glo.user]),
            fingerprint: own.fingerprint.as_ref().or(cur.fingerprint.as_ref()).or(iso.fingerprint.as_ref()).or(glo.fingerprint.as_ref()),
            transaction: own.transaction.as_ref().or(cur.transaction.as_ref()).or(iso.transaction.as_ref()).or(glo.transaction.as_ref()),
            logentry: own.logentry.take(),
            exception: own.exception.take(),
            request: own.request.take(),
            other: std::mem::take(&mut own.other),
            sdk: (&self.sdk_name, VERSION, cfg.sdk_settings.then_some(if cfg.infer_ip { "auto" } else { "never" })),
            ..Default::default()
        };
        let level = input.level.as_deref().map(scope::level).or(own.level).or(cur.level).or(iso.level).or(glo.level);
        ev.level = level.unwrap_or(if is_message { "info" } else { "error" });
        // IP inference (`{{auto}}`), written by the builder, never by the app's data.
        let auto_ip;
        if cfg.infer_ip && !ev.user.iter().any(|e| e.key == "ip_address" && e.json != b"null") {
            auto_ip = Entry { key: "ip_address".into(), json: b"\"{{auto}}\"".to_vec(), meta: Default::default() };
            ev.user.retain(|e| e.key != "ip_address");
            ev.user.push(&auto_ip);
        }
        if ev.request.is_none() {
            if let Some(url) = &input.url {
                ev.request = Some(request(url, self.options.host.user_agent.as_deref(), cfg, &mut meta));
            }
        }
        ev.release = match own.release.take() {
            Some(r) => Some(r),
            None => self.options.release.as_deref().map(json_string),
        };
        ev.environment = own.environment.take().or_else(|| Some(json_string(&self.options.environment)));
        if let Some(bytes) = debug_images(images, cfg) {
            ev.other.push(("debug_meta".into(), bytes));
        }
        // Breadcrumbs: every scope's and the event's, in time order, newest kept.
        let max = self.options.max_breadcrumbs;
        if max > 0 {
            let mut crumbs: Vec<Rc<Crumb>> = glo.breadcrumbs.iter().chain(&iso.breadcrumbs).chain(&cur.breadcrumbs).cloned().chain(own.crumbs.drain(..)).collect();
            insertion_sort_by_time(&mut crumbs);
            let skip = crumbs.len().saturating_sub(max);
            crumbs.drain(..skip);
            for (i, c) in crumbs.iter().enumerate() {
                if let Some(m) = &c.meta {
                    meta.crumbs.push((i, m.clone()));
                }
            }
            ev.breadcrumbs = crumbs;
        }
        let chosen = ev.tags.iter().chain(&ev.extra).chain(&ev.contexts).chain(&ev.user).copied().chain(ev.fingerprint).chain(ev.transaction);
        meta.frags.extend(chosen.filter_map(|e| e.meta.clone()));
        let mut out = Vec::with_capacity(4096);
        let spans = ev.write(&mut out);
        // The summary from the typed parts, unless the exception came from the app's own
        // event (then it is read from the text).
        let summary = match &own.values {
            Some(values) => Some(Summary::typed(&ev, values)),
            None if ev.exception.is_none() => Some(Summary::typed(&ev, &[])),
            None => None,
        };
        // Native builds check every capture: the typed summary is what the text says.
        #[cfg(test)]
        if let Some(s) = &summary {
            let text = std::str::from_utf8(&out).unwrap_or_default();
            assert_eq!(*s, Summary::of_view(&View::of(text)), "typed summary differs from the text's for {text}");
        }
        (out, spans, summary, meta, dsc)
    }

    fn read_thrown(&self, t: &Thrown, mechanism: &Mechanism, images: &[debug_meta::Image], own: &mut OwnData, meta: &mut EventMeta, is_message: &mut bool) {
        let cfg = &self.pii;
        let rejection = mechanism.kind.as_deref().unwrap_or("").ends_with("onunhandledrejection");
        if t.kind == Kind::Str && !rejection {
            // A thrown string is the event's message: Sentry and Bugsink title and group
            // by it (a frameless synthetic exception would land in one bucket).
            let text = exception::truncate(t.text.as_deref().unwrap_or(""), exception::MAX_VALUE_CHARS);
            own.logentry = Some(logentry(&text, cfg, meta));
            *is_message = false;
            return;
        }
        let mut values = exception::values_cached(t, mechanism, self.options.max_linked_errors, &mut self.stacks.borrow_mut());
        values.iter_mut().for_each(|v| debug_meta::link_frames(&mut v.frames, images));
        exception::scrub_values(&mut values, cfg, &mut meta.log);
        let mut out = Vec::new();
        exception::write_values(&values, &mut out);
        own.exception = Some(out);
        own.values = Some(values);
        if let Some(data) = &t.data {
            if let Some(e) = scope::value_entry("extra", "__serialized__", data, cfg) {
                own.extra.retain(|x| x.key != e.key);
                own.extra.insert(0, e);
            }
        }
        if let Some(status) = t.http_status {
            if !own.contexts.iter().any(|c| c.key == "response") {
                let mut j = Vec::new();
                let mut o = Obj::new(&mut j);
                o.uint("status_code", status.into());
                o.end();
                own.contexts.push(Entry { key: "response".into(), json: j, meta: Default::default() });
            }
        }
        *is_message = false;
    }

    /// Stages 8–9 on the final event text: dedupe, scrub (unless the text is the one the
    /// core wrote), the id of record, the size cap, `_meta`, the envelope.
    fn seal(&mut self, event_id: &str, text: &str, read: Option<(read::Index, Summary)>, mut meta: EventMeta, dsc: Option<Dsc>, now_ms: f64) -> Outcome {
        // 9 (first half). What the host returned (no index: not the text the core wrote)
        // is scrubbed like everything else, then read once.
        let scrubbed;
        let (members, summary) = match read {
            Some(read) => read,
            None => {
                let mut out = Vec::with_capacity(text.len());
                if read::fields(text).is_none() || scrub::scrub_json(text, &[], &self.pii, &mut out, &mut meta.log).is_err() {
                    return self.drop(Reason::InternalSdkError, "the event returned by the host is not a JSON object".into());
                }
                scrubbed = String::from_utf8(out).unwrap_or_default();
                let view = View::of(&scrubbed);
                // The scrubber wrote every remark so far into the event's own `_meta`.
                if let Some(m) = view.members.get("_meta") {
                    meta.frags.push(m.as_bytes().to_vec());
                }
                let summary = Summary::of_view(&view);
                (view.members, summary)
            }
        };
        // 8. dedupe, on the event as it will be sent
        if self.options.dedupe && self.dedupe.is_duplicate(summary.signature) {
            return self.drop(Reason::EventProcessor, "dropped as a duplicate of the previous event".into());
        }
        let mut fields: Vec<(String, std::borrow::Cow<str>)> =
            members.members().iter().filter(|(k, _)| k != "event_id" && k != "_meta").map(|(k, v)| (k.to_string(), std::borrow::Cow::Borrowed(*v))).collect();
        cap_size(&mut fields, &mut meta);
        let mut payload = Vec::with_capacity(text.len() + 256);
        let mut o = Obj::new(&mut payload);
        o.str("event_id", event_id);
        for (k, v) in &fields {
            o.raw(k, v.as_bytes());
        }
        if !meta.is_empty() {
            meta.write(&self.pii, o.key("_meta"));
        }
        o.end();
        let dsc = self.envelope_dsc(dsc, summary.trace_id.as_deref());
        self.last_effect = summary.effect;
        Outcome::Send(self.envelope(event_id, now_ms, &payload, dsc))
    }

    /// What the last event sent (`Outcome::Send`) does to a session.
    pub fn last_effect(&self) -> crate::session::Effect {
        self.last_effect
    }

    /// The user id set on scope `id` (a session's distinct id), if any.
    pub fn user_id(&self, id: u32) -> Option<String> {
        let e = self.scope(id)?.user.iter().find(|e| e.key == "id")?;
        crate::session::did_of_user_id(std::str::from_utf8(&e.json).ok()?)
    }

    /// The SDK's `(name, version)` for envelope headers.
    pub fn sdk(&self) -> (&str, &str) {
        (&self.sdk_name, VERSION)
    }

    /// The envelope's `trace` header: the DSC kept for this event when it still matches
    /// the event's trace, else one made from the event's own trace id.
    fn envelope_dsc(&self, kept: Option<Dsc>, trace_id: Option<&str>) -> Option<Dsc> {
        let trace_id = trace_id?;
        if let Some(d) = kept.filter(|d| d.get("trace_id") == Some(trace_id)) {
            return Some(d);
        }
        if !ids::is_event_id(trace_id) {
            return None;
        }
        let src = self.dsc_source()?;
        let mut d = Dsc::default();
        d.set("trace_id", Some(trace_id));
        d.set("public_key", Some(&src.public_key));
        d.set("release", src.release.as_deref());
        d.set("environment", Some(&src.environment));
        d.set("org_id", src.org_id.as_deref());
        Some(d)
    }

    fn envelope(&self, event_id: &str, now_ms: f64, payload: &[u8], dsc: Option<Dsc>) -> Envelope {
        let mut e = Writer::new(now_ms, payload.len());
        e.header("event_id", |o| w::string(o, event_id));
        e.header("sdk", |o| outcomes::write_sdk(o, (&self.sdk_name, VERSION)));
        if let Some(d) = dsc {
            let cfg = &self.pii;
            e.header("trace", |o| {
                // Values may come from a caller's `baggage`: scrubbed like event text.
                d.write(o, |k, v| scrub::scrub_str(v, &[Seg::Key("_dsc"), Seg::Key(k)], cfg, &mut Default::default()).into_owned())
            });
        }
        if let Some(dsn) = self.envelope_dsn() {
            e.header("dsn", |o| w::string(o, &dsn));
        }
        e.item_bytes("event", payload);
        e.finish(Category::Error, 1)
    }
}

/// Stable sort by time. Each scope's breadcrumbs are already in order, so this is close
/// to linear, and it costs the wasm far less than the standard library's sort.
fn insertion_sort_by_time(crumbs: &mut [Rc<Crumb>]) {
    for i in 1..crumbs.len() {
        let mut j = i;
        while j > 0 && crumbs[j - 1].ts_ms > crumbs[j].ts_ms {
            crumbs.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// `oxeye.javascript/<version>`, as sent in `sentry_client`.
pub fn sentry_client() -> String {
    ["oxeye.javascript/", VERSION].concat()
}

fn json_string(s: &str) -> Vec<u8> {
    let mut v = Vec::with_capacity(s.len() + 2);
    w::string(&mut v, s);
    v
}

fn logentry(msg: &str, cfg: &PiiConfig, meta: &mut EventMeta) -> Vec<u8> {
    let msg = exception::truncate(msg, exception::MAX_VALUE_CHARS);
    let v = scrub::scrub_str(&msg, &[Seg::Key("logentry"), Seg::Key("formatted")], cfg, &mut meta.log);
    let mut out = Vec::with_capacity(v.len() + 16);
    let mut o = Obj::new(&mut out);
    o.str("formatted", &v);
    o.end();
    out
}

fn request(url: &str, user_agent: Option<&str>, cfg: &PiiConfig, meta: &mut EventMeta) -> Vec<u8> {
    let url = scrub::scrub_str(url, &[Seg::Key("request"), Seg::Key("url")], cfg, &mut meta.log);
    let mut out = Vec::with_capacity(url.len() + 64);
    let mut o = Obj::new(&mut out);
    o.str("url", &url);
    if let Some(ua) = user_agent {
        let mut h = Obj::new(o.key("headers"));
        h.str("User-Agent", ua);
        h.end();
    }
    o.end();
    out
}

/// `debug_meta` from the input's `debugIds` and `wasm` (see `protocol/debug_meta.rs`).
/// Each `code_file` gets the rules of a frame's `abs_path`, so it still names the file
/// the (equally scrubbed) frames name. The order is kept: wasm frames point at indices.
fn debug_images(mut images: Vec<debug_meta::Image>, cfg: &PiiConfig) -> Option<Vec<u8>> {
    if images.is_empty() {
        return None;
    }
    let path = [Seg::Key("exception"), Seg::Key("values"), Seg::Index(0), Seg::Key("stacktrace"), Seg::Key("frames"), Seg::Index(0), Seg::Key("abs_path")];
    for image in &mut images {
        let named = crate::stacktrace::frame_filename(image.code_file());
        if named != image.code_file() {
            let named = named.into_owned();
            image.set_code_file(named);
        }
        // Remarks about a frame path would point at the wrong field: the file is checked,
        // its remarks are not recorded.
        let mut scratch = scrub::MetaLog::default();
        if let std::borrow::Cow::Owned(f) = scrub::scrub_str(image.code_file(), &path, cfg, &mut scratch) {
            image.set_code_file(f);
        }
    }
    let mut out = Vec::new();
    debug_meta::write(&images, &mut out);
    Some(out)
}

/// The event's own fields (`captureEvent`'s event, or hint data), scrubbed as read.
#[derive(Default)]
struct OwnData {
    timestamp_ms: Option<f64>,
    level: Option<&'static str>,
    logentry: Option<Vec<u8>>,
    exception: Option<Vec<u8>>,
    tags: Vec<Entry>,
    extra: Vec<Entry>,
    contexts: Vec<Entry>,
    user: Vec<Entry>,
    fingerprint: Option<Entry>,
    transaction: Option<Entry>,
    request: Option<Vec<u8>>,
    release: Option<Vec<u8>>,
    environment: Option<Vec<u8>>,
    crumbs: Vec<Rc<Crumb>>,
    other: Vec<(String, Vec<u8>)>,
    /// The typed exception values `exception` was written from, when the core made it.
    values: Option<Vec<exception::ExceptionValue>>,
}

impl OwnData {
    fn read(&mut self, text: &str, now_ms: f64, cfg: &PiiConfig, meta: &mut EventMeta) {
        let members = read::fields(text).unwrap_or_default();
        let copy = |key: &str, raw: &str, meta: &mut EventMeta| -> Option<Vec<u8>> {
            let mut out = Vec::with_capacity(raw.len());
            scrub::scrub_json(raw, &[Seg::Key(key)], cfg, &mut out, &mut meta.log).ok().map(|_| out)
        };
        for (k, v) in members {
            if read::is_null(v) {
                continue;
            }
            match &*k {
                "event_id" | "platform" | "sdk" | "_meta" | "type" => {}
                "timestamp" => self.timestamp_ms = read::number(v).map(|s| s * 1000.0),
                "level" => self.level = text_of(v).map(|l| scope::level(&l)),
                "message" => match text_of(v) {
                    Some(m) => self.logentry = self.logentry.take().or_else(|| Some(logentry(&m, cfg, meta))),
                    None => self.logentry = self.logentry.take().or_else(|| copy("logentry", v, meta)),
                },
                "logentry" => self.logentry = copy("logentry", v, meta),
                "exception" => self.exception = copy("exception", v, meta),
                "tags" => self.tags = read::fields(v).unwrap_or_default().into_iter().filter_map(|(k, v)| scope::tag_entry(&k, v, cfg)).collect(),
                "extra" => self.extra = read::fields(v).unwrap_or_default().into_iter().filter_map(|(k, v)| scope::value_entry("extra", &k, v, cfg)).collect(),
                "contexts" => self.contexts = read::fields(v).unwrap_or_default().into_iter().filter_map(|(k, v)| scope::context_entry(&k, v, cfg)).collect(),
                "user" => self.user = scope::user_entries(v, cfg),
                "fingerprint" => self.fingerprint = scope::fingerprint_entry(v, cfg),
                "transaction" => self.transaction = scope::transaction_entry(v, cfg),
                "request" => self.request = copy("request", v, meta),
                "release" => self.release = copy("release", v, meta),
                "environment" => self.environment = copy("environment", v, meta),
                "breadcrumbs" => {
                    let list = read::field(v, "values").unwrap_or(v);
                    for item in read::elements(list).unwrap_or_default() {
                        if let Some(c) = scope::crumb(item, now_ms, cfg) {
                            self.crumbs.push(Rc::new(c));
                        }
                    }
                }
                other => {
                    if let Some(bytes) = copy(other, v, meta) {
                        let key = exception::truncate(other, scope::MAX_KEY_CHARS);
                        self.other.retain(|(k, _)| *k != key);
                        self.other.push((key, bytes));
                    }
                }
            }
        }
    }
}

/// Stage 9's size cap (see `protocol/limits.rs`): oldest breadcrumbs first, then long
/// strings and large containers of the biggest fields, then the biggest optional fields.
fn cap_size(fields: &mut [(String, std::borrow::Cow<str>)], meta: &mut EventMeta) {
    let size = |f: &[(String, std::borrow::Cow<str>)]| f.iter().map(|(k, v)| k.len() + v.len() + 4).sum::<usize>() + 64;
    if size(fields) <= MAX_EVENT_BYTES {
        return;
    }
    // Breadcrumbs, oldest first.
    if let Some(i) = fields.iter().position(|(k, _)| k == "breadcrumbs") {
        let values = read::field(&fields[i].1, "values").and_then(read::elements).unwrap_or_default().into_iter().map(String::from).collect::<Vec<_>>();
        let others = size(fields) - fields[i].1.len();
        let mut keep = values.len();
        let mut total: usize = values.iter().map(|v| v.len() + 1).sum::<usize>() + 16;
        let mut dropped = 0;
        while others + total > MAX_EVENT_BYTES && keep > 0 {
            total -= values[dropped].len() + 1;
            dropped += 1;
            keep -= 1;
        }
        if dropped > 0 {
            let mut out = Vec::with_capacity(total);
            let mut o = Obj::new(&mut out);
            let mut a = w::Arr::new(o.key("values"));
            for v in &values[dropped..] {
                a.raw(v.as_bytes());
            }
            a.end();
            o.end();
            fields[i].1 = std::borrow::Cow::Owned(String::from_utf8(out).unwrap_or_default());
            meta.drop_crumbs(dropped);
            meta.trimmed.push(("breadcrumbs".into(), len_remark(values.len())));
        }
    }
    // Long strings and large containers, biggest field first; then whole fields.
    const KEEP: [&str; 5] = ["timestamp", "platform", "level", "sdk", "exception"];
    for pass in 0..2 {
        while size(fields) > MAX_EVENT_BYTES {
            let Some(i) = fields
                .iter()
                .enumerate()
                .filter(|(_, (k, v))| !KEEP.contains(&k.as_str()) && v.as_ref() != "null" && (pass == 1 || !meta.trimmed.iter().any(|(t, _)| t == k)))
                .max_by_key(|(_, (_, v))| v.len())
                .map(|(i, _)| i)
            else {
                break;
            };
            let original = fields[i].1.len();
            let replacement = if pass == 0 {
                let mut out = Vec::new();
                let _ = limits::trim_json(&fields[i].1, limits::TRIM_STRING_CHARS, limits::TRIM_ITEMS, &mut out);
                String::from_utf8(out).unwrap_or_else(|_| "null".into())
            } else {
                "null".into()
            };
            let key = fields[i].0.clone();
            fields[i].1 = std::borrow::Cow::Owned(replacement);
            meta.trimmed.retain(|(t, _)| *t != key);
            meta.trimmed.push((key, len_remark(original)));
        }
    }
}

fn len_remark(len: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut o = Obj::new(&mut out);
    o.uint("len", len as u64);
    o.end();
    out
}

#[cfg(test)]
#[path = "pipeline_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "pipeline_delivery_tests.rs"]
mod delivery_tests;
