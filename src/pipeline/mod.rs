//! The capture pipeline: options and DSN resolved once, the scopes, and the stages that
//! turn one capture into envelope bytes or a counted drop. The same list, in the same
//! order, heads `js/api/pipeline.ts`:
//!
//! | # | stage | where | drop reason |
//! |---|---|---|---|
//! | 1 | enabled? | `pipeline/mod.rs:Client::capture` | `Disabled` (not counted) |
//! | 2 | early drop: rate limit on `error`, before building (checked again before `finish`) | `js/api/engine.ts:dropEarly`, `js/delivery/rate-limits.ts` | `RatelimitBackoff` |
//! | 3 | build: input + scopes + host context + trace | `pipeline/build.rs:Client::build` | `InternalSdkError` (bad input) |
//! | 4 | inbound filters: string patterns, then RegExp in the shim | `filters.rs:Filters::check`, `js/api/pipeline.ts` | `EventProcessor` |
//! | 5 | event processors | `js/api/pipeline.ts` | `EventProcessor` |
//! | 6 | `beforeSend` | `js/api/pipeline.ts` | `BeforeSend` |
//! | 7 | dedupe, on the final event | `pipeline/mod.rs:Client::seal` → `dedupe.rs` | `EventProcessor` |
//! | 8 | `sampleRate` (drawn at `capture`; the event still counts in the session) | `pipeline/mod.rs:Client::sampled_out` | `SampleRate` |
//! | 9 | scrub what the host returned, size cap, envelope | `pipeline/mod.rs:Client::seal`, `pipeline/size_cap.rs` | `InternalSdkError` |
//!
//! Sampling comes after the filters and callbacks, as Sentry's session protocol orders
//! them: an error the app filters out never counts in a session, one sampled out does.
//! Without host stages (`handBack` false) stages 1–9 run in one [`Client::capture`].
//! With them, `capture` stops after 4 with [`Outcome::Host`] (the event as JSON text and
//! the filter subjects), keeping per-event state (DSC, `_meta` of stage 3) keyed by
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
    /// `sampleRate` drew this event out (stage 8).
    sampled_out: bool,
}

/// A configured client.
#[derive(Debug)]
pub struct Client {
    options: Options,
    dsn: Option<Dsn>,
    dsn_error: Option<String>,
    /// The public DSN named in envelope headers when sending through a tunnel (made once).
    envelope_dsn: Option<String>,
    sdk_name: String,
    /// Scopes by host-chosen id (a short list: a linear search costs less wasm than a
    /// hash map and is as fast at these sizes).
    scopes: Vec<(u32, Scope)>,
    dedupe: Dedupe,
    outcomes: Outcomes,
    /// Oldest first.
    pending: Vec<Pending>,
    pii: PiiConfig,
    /// Why the client is off (a sentence for debug logging), or None: made once, in
    /// [`Client::new`], from what never changes afterwards.
    disabled: Option<String>,
    /// The host's contexts (browser, os, culture, runtime), written once.
    host_contexts: Vec<Entry>,
    /// What the last event sent does to a session (release health, `session.rs`).
    last_effect: crate::session::Effect,
    /// Recently parsed stacks.
    stacks: std::cell::RefCell<crate::stacktrace::StackCache>,
}

/// A hash of an event's text (the dedupe signature's, over the whole text).
fn hash(text: &[u8]) -> u64 {
    let mut h = crate::dedupe::Signature::new();
    h.push_bytes(Some(text));
    h.finish()
}

impl Client {
    /// Resolves options. Never fails: a bad DSN disables the client and is reported by
    /// [`Client::dsn_error`]; bad option values were reported by the shim, which checked them (`js/api/options.ts`).
    pub fn new(mut options: Options) -> Client {
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
            // The built-in rules: what `config_from_options(false, None, _)` compiles.
            Err(e) => (PiiConfig::default(), Some(e)),
        };
        if let Some(d) = &dsn {
            pii.sdk_settings = d.host == "sentry.io" || d.host.ends_with(".sentry.io");
        }
        let host_contexts = std::mem::take(&mut options.host.contexts);
        let envelope_dsn = dsn.as_ref().filter(|_| options.tunnel.is_some()).map(Dsn::to_public_string);
        let why = if let Some(e) = dsn_error.as_deref().or(pii_error) {
            Some(e)
        } else if dsn.is_none() {
            Some("no DSN was given")
        } else if !options.enabled {
            Some("`enabled` is false (as given, or in `environments` for this environment)")
        } else {
            None
        };
        let disabled = why.map(|why| crate::text::cat(&["oxeye is disabled: ", why]));
        Client {
            host_contexts,
            envelope_dsn,
            options,
            dsn,
            dsn_error,
            sdk_name,
            scopes: Vec::new(),
            dedupe: Dedupe::default(),
            outcomes: Outcomes::default(),
            pending: Vec::new(),
            pii,
            disabled,
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

    /// The compiled PII scrubbing configuration.
    pub fn pii(&self) -> &PiiConfig {
        &self.pii
    }

    /// A sentence explaining why the client is disabled, for debug logging.
    pub fn disabled_reason(&self) -> Option<&str> {
        self.disabled.as_deref()
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
            None => Some(dsn.envelope_url(sentry_client())),
        }
    }

    // ---- scopes -------------------------------------------------------------------

    /// The scope with this id (created empty on first use).
    pub fn scope_mut(&mut self, id: u32) -> &mut Scope {
        let i = self.scope_index(id);
        &mut self.scopes[i].1
    }

    fn scope_index(&mut self, id: u32) -> usize {
        let mut i = 0;
        while i < self.scopes.len() && self.scopes[i].0 != id {
            i += 1;
        }
        if i == self.scopes.len() {
            self.scopes.push((id, Scope::default()));
        }
        i
    }

    /// The scope with this id, if it exists.
    pub fn scope(&self, id: u32) -> Option<&Scope> {
        for (k, s) in &self.scopes {
            if *k == id {
                return Some(s);
            }
        }
        None
    }

    /// Makes scope `to` a copy of scope `from` (`withScope`, `withIsolationScope`).
    pub fn fork_scope(&mut self, from: u32, to: u32) {
        let copy = match self.scope(from) {
            Some(s) => s.clone(),
            None => Scope::default(),
        };
        *self.scope_mut(to) = copy;
    }

    /// Forgets a scope.
    pub fn drop_scope(&mut self, id: u32) {
        // (Each id is in the list once, and the order of the list means nothing.)
        if let Some(i) = self.scopes.iter().position(|(k, _)| *k == id) {
            self.scopes.swap_remove(i);
        }
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

    // ---- outcomes -------------------------------------------------------------------

    /// Counts discarded items for a client report.
    pub fn record(&mut self, reason: Reason, category: Category, quantity: u64) {
        self.outcomes.record(reason, category, quantity);
    }

    /// The pending client-report counts.
    pub fn outcomes(&self) -> &Outcomes {
        &self.outcomes
    }

    /// Takes the pending counts as a `client_report` envelope (None when nothing is
    /// pending). The host does not ask while a rate limit covers client reports.
    pub fn take_client_report(&mut self, now_ms: f64) -> Option<Envelope> {
        self.outcomes.take_envelope(self.envelope_dsn.as_deref(), (&self.sdk_name, VERSION), now_ms)
    }

    /// The `dsn` envelope header: the public DSN when sending through a tunnel.
    pub fn envelope_dsn(&self) -> Option<&str> {
        self.envelope_dsn.as_deref()
    }

    /// Counts a dropped event; the sentence is `head` then `tail`.
    fn drop(&mut self, reason: Reason, head: &str, tail: &str) -> Outcome {
        self.outcomes.record(reason, Category::Error, 1);
        Outcome::Drop(reason, crate::text::cat(&[head, tail]))
    }

    // ---- trace propagation (trace.rs, baggage.rs) ----------------------------------

    fn dsc_source(&self) -> Option<trace::DscSource<'_>> {
        dsc_source(self.dsn.as_ref(), &self.options)
    }

    /// The propagation context of scope `id` (made on first use) next to the DSC source,
    /// both borrowed from the client (no copy of the DSN's or options' texts).
    fn propagation_and_source(&mut self, id: u32, random: &[u8]) -> (&mut PropagationContext, Option<trace::DscSource<'_>>) {
        let i = self.scope_index(id);
        let p = self.scopes[i].1.propagation.get_or_insert_with(|| PropagationContext::new(random));
        (p, dsc_source(self.dsn.as_ref(), &self.options))
    }

    /// Sets the trace of scope `id` from the parts of incoming headers, or starts a new one
    /// without them. True when the incoming trace was continued.
    pub fn continue_trace(&mut self, id: u32, incoming: Option<&trace::Incoming>, random: &[u8]) -> bool {
        // The DSC's org id (the option, else the DSN's), read in place.
        let own_org = self.dsn.as_ref().and_then(|d| self.options.org_id.as_deref().or(d.org_id.as_deref()));
        let (ctx, continued) = PropagationContext::continued(incoming, own_org, self.options.strict_trace_continuation, random);
        self.scope_mut(id).propagation = Some(ctx);
        continued
    }

    /// The parts of an outgoing request's headers under isolation scope `id`, as JSON
    /// ([`PropagationContext::headers`]); freezes the DSC. `None` while the SDK is disabled.
    pub fn trace_headers(&mut self, id: u32, random: &[u8]) -> Option<Vec<u8>> {
        if !self.is_enabled() {
            return None;
        }
        let (p, src) = self.propagation_and_source(id, random);
        Some(p.headers(&src?))
    }

    // ---- the pipeline -------------------------------------------------------------

    /// Stages 1–4 (and 7–9 unless `hand_back`). `input` is CaptureInput JSON, `stacks` the
    /// stacks its exception refers to by index, each after a 0xFF byte (`Thrown::parse`); `random`
    /// needs [`CAPTURE_RANDOM_BYTES`].
    pub fn capture(&mut self, input: &str, stacks: &[u8], ids: ScopeIds, now_ms: f64, random: &[u8], hand_back: bool) -> Outcome {
        // 1. enabled?
        if let Some(detail) = self.disabled_reason() {
            return Outcome::Drop(Reason::Disabled, detail.into());
        }
        // 2. early drop while errors are rate limited: done by the host, which keeps the
        //    rate limits, before it calls capture (and again before finish).
        let Some(mut input) = Input::parse(input, stacks) else {
            return self.drop(Reason::InternalSdkError, "the capture input is not a JSON object", "");
        };
        if input.timestamp.is_nan() || input.timestamp <= 0.0 {
            input.timestamp = now_ms;
        }
        let event_id = match input.string(build::EVENT_ID) {
            Some(id) if ids::is_event_id(&id) => id,
            _ => ids::uuid4(random),
        };
        // 8. sampleRate, drawn now (the host's randomness), applied after the callbacks
        let sampled_out = self.sampled_out(random);
        // 3. build
        let built = self.build(&input, &event_id, ids, random.get(20..).unwrap_or(&[]));
        // 4. string filters (RegExp filters run in the shim on the same subjects)
        let text = crate::text::utf8(built.text);
        let members = read::Index::of_spans(&text, built.spans);
        let read = match built.summary {
            Some(summary) => (members, summary),
            None => Summary::read(View::new(members)),
        };
        if let Some(why) = self.options.filters.check(&read.1.subjects) {
            return self.drop(Reason::EventProcessor, "filtered because ", &why);
        }
        if hand_back {
            if self.pending.len() >= MAX_PENDING {
                self.pending.remove(0);
                self.outcomes.record(Reason::InternalSdkError, Category::Error, 1);
            }
            self.pending.push(Pending { event_id, dsc: built.dsc, meta: built.meta, hash: hash(text.as_bytes()), sampled_out });
            let mut s = Vec::new();
            read.1.subjects.write(&mut s);
            drop(read);
            return Outcome::Host { event: text, subjects: crate::text::utf8(s) };
        }
        self.seal(&event_id, &text, Some(read), built.meta, built.dsc, now_ms, sampled_out)
    }

    /// Stage 8: true when `sampleRate` drops this event (4 random bytes at offset 16).
    fn sampled_out(&self, random: &[u8]) -> bool {
        let rate = self.options.sample_rate;
        if rate >= 1.0 {
            return false;
        }
        let mut b = [0u8; 4];
        let r = random.get(16..).unwrap_or_default();
        let n = r.len().min(4);
        b[..n].copy_from_slice(&r[..n]);
        f64::from(u32::from_le_bytes(b)) / 4_294_967_296.0 >= rate
    }

    /// After the host stages: stages 7–9 for an event handed out by `capture`.
    pub fn finish(&mut self, event_id: &str, event: &str, now_ms: f64) -> Outcome {
        let i = self.pending_index(event_id);
        if i == self.pending.len() {
            return self.drop(Reason::InternalSdkError, "finish was called for an event the core is not holding", "");
        }
        let p = self.pending.remove(i);
        // An event the host left unchanged is the text the core wrote: not scrubbed again.
        let read = (hash(event.as_bytes()) == p.hash).then(|| Summary::read(View::of(event)));
        self.seal(event_id, event, read, p.meta, p.dsc, now_ms, p.sampled_out)
    }

    /// The host dropped an event it was holding (`reason` is counted).
    pub fn drop_pending(&mut self, event_id: &str, reason: Reason) {
        let i = self.pending_index(event_id);
        if i < self.pending.len() {
            self.pending.remove(i);
        }
        self.outcomes.record(reason, Category::Error, 1);
    }

    /// Where the held event `event_id` is in `pending`; `pending.len()` when it is not held.
    fn pending_index(&self, event_id: &str) -> usize {
        let mut i = 0;
        while i < self.pending.len() && self.pending[i].event_id != event_id {
            i += 1;
        }
        i
    }

    /// Events currently held for host stages.
    pub fn pending_count(&self) -> usize {
        self.pending.len()
    }

    /// Stages 7–9 on the final event text: dedupe, sampling, scrub (unless the text is the
    /// one the core wrote), the id of record, the size cap, `_meta`, the envelope.
    #[allow(clippy::too_many_arguments)]
    fn seal(&mut self, event_id: &str, text: &str, read: Option<(read::Index, Summary)>, mut meta: EventMeta, dsc: Option<Dsc>, now_ms: f64, sampled_out: bool) -> Outcome {
        // 9 (first half). What the host returned (no index: not the text the core wrote)
        // is scrubbed like everything else, then read once.
        let scrubbed;
        let (members, summary) = &match read {
            Some(read) => read,
            None => {
                let mut out = Vec::with_capacity(text.len());
                if read::fields(text).is_none() || scrub::scrub_json(text, &[], &self.pii, &mut out, &mut meta.log).is_err() {
                    return self.drop(Reason::InternalSdkError, "the event returned by the host is not a JSON object", "");
                }
                scrubbed = crate::text::utf8(out);
                let view = View::of(&scrubbed);
                // The scrubber wrote every remark so far into the event's own `_meta`.
                if let Some(m) = view.members.get("_meta") {
                    meta.frags.push(String::from(m).into_bytes());
                }
                Summary::read(view)
            }
        };
        // 7. dedupe, on the event as it will be sent
        if self.options.dedupe && self.dedupe.is_duplicate(summary.signature, !sampled_out) {
            return self.drop(Reason::EventProcessor, "dropped as a duplicate of the previous event", "");
        }
        // 8. sampleRate: the event is not sent, what it says of the app's health still counts
        self.last_effect = summary.effect;
        if sampled_out {
            return self.drop(Reason::SampleRate, "sampled out by sampleRate", "");
        }
        let mut fields: Vec<(&str, std::borrow::Cow<str>)> = Vec::new();
        for (k, v) in members.members() {
            if k != "event_id" && k != "_meta" {
                fields.push((k, std::borrow::Cow::Borrowed(v)));
            }
        }
        cap_size(&mut fields, &mut meta);
        let mut payload = Vec::with_capacity(text.len() + 256);
        let mut o = Obj::new(&mut payload);
        o.str("event_id", event_id);
        for (k, v) in &fields {
            o.raw(k, v.as_bytes());
        }
        if !meta.is_empty() {
            meta.write(&self.pii, o.name("_meta"));
        }
        o.end();
        let dsc = self.envelope_dsc(dsc, summary.trace_id.as_deref());
        Outcome::Send(self.envelope(event_id, now_ms, &payload, dsc))
    }

    /// What the last event sent (`Outcome::Send`), or sampled out, does to a session.
    pub fn last_effect(&self) -> crate::session::Effect {
        self.last_effect
    }

    /// The user id set on scope `id` (a session's distinct id), if any.
    pub fn user_id(&self, id: u32) -> Option<String> {
        let e = self.scope(id)?.user.iter().find(|e| e.key == "id")?;
        crate::session::did_of_user_id(crate::text::str_of(&e.json)?)
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
        Some(self.dsc_source()?.dsc(trace_id, None))
    }

    fn envelope(&self, event_id: &str, now_ms: f64, payload: &[u8], dsc: Option<Dsc>) -> Envelope {
        let mut e = Writer::new(now_ms, payload.len());
        w::string(e.header("event_id"), event_id);
        outcomes::write_sdk(e.header("sdk"), (&self.sdk_name, VERSION), None);
        if let Some(d) = dsc {
            let cfg = &self.pii;
            // Values may come from a caller's `baggage`: scrubbed like event text. (The
            // header has no `_meta`: the remarks go to a log that is dropped.)
            let mut unused = scrub::MetaLog::default();
            d.write(e.header("trace"), |k, v| scrub::scrub_str(v, &[Seg::Key("_dsc"), Seg::Key(k)], cfg, &mut unused));
        }
        if let Some(dsn) = self.envelope_dsn() {
            w::string(e.header("dsn"), dsn);
        }
        e.item_bytes("event", payload);
        e.finish(Category::Error, 1)
    }
}

/// `oxeye.javascript/<version>`, as sent in `sentry_client` (one literal, no string built).
pub const fn sentry_client() -> &'static str {
    concat!("oxeye.javascript/", env!("CARGO_PKG_VERSION"))
}

// The endpoint URL carries `sentry_client` without escapes (`Dsn::envelope_url`): a
// version that needs them (`1.0.0+build`) stops the build here.
const _: () = assert!(crate::text::is_url_safe(sentry_client()), "sentry_client needs percent-escapes");

mod build;
mod size_cap;

use build::Input;
use size_cap::cap_size;

#[cfg(test)]
#[path = "tests.rs"]
mod tests;

#[cfg(test)]
#[path = "delivery_tests.rs"]
mod delivery_tests;

#[cfg(test)]
#[path = "sampling_tests.rs"]
mod sampling_tests;

#[cfg(test)]
#[path = "size_cap_tests.rs"]
mod size_cap_tests;

/// The facts of the DSC: the DSN's public key, the org id (the option, else the DSN's),
/// release and environment; None without a DSN.
fn dsc_source<'a>(dsn: Option<&'a Dsn>, options: &'a Options) -> Option<trace::DscSource<'a>> {
    let dsn = dsn?;
    Some(trace::DscSource {
        public_key: &dsn.public_key,
        org_id: options.org_id.as_deref().or(dsn.org_id.as_deref()),
        release: options.release.as_deref(),
        environment: &options.environment,
    })
}
