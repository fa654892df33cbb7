//! The client: options and DSN resolved once, the scopes, and the capture pipeline that
//! turns the host's facts into a ready-to-send envelope or says why nothing is sent.
//!
//! Pipeline, in order: enabled → `sampleRate` → event built and scopes applied →
//! (host: event processors) → filters and dedupe → (host: `beforeSend`) → PII scrubbing
//! hook point → envelope. [`Client::capture`] runs it in one call when the app has no
//! host callbacks; otherwise the host calls [`Client::prepare`], [`Client::screen`] and
//! [`Client::finish`] around its callbacks. Every drop is counted in [`Outcomes`] with
//! Sentry's reason (except "disabled": a disabled SDK reports nothing).
//!
//! The client owns no I/O and no clock: every call gets the time and random bytes.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::dsn::Dsn;
use crate::event::{self, Mechanism, Thrown};
use crate::outcomes::Outcomes;
use crate::reasons::{Category, Reason};
use crate::pii::{self, PiiConfig};
use crate::ratelimit::RateLimits;
use crate::scope::{self, Scope};
use crate::trace::{self, DscSource, PropagationContext};
use crate::{baggage::Dsc, dedupe::Dedupe, envelope, ids, options::Options, time};

/// The SDK version, shared by `sdk.version` and `sentry_client`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// Scope id of the global scope.
pub const GLOBAL_SCOPE: u32 = 0;
/// Scope id of the first isolation scope.
pub const ISOLATION_SCOPE: u32 = 1;
/// Scope id of the first current scope.
pub const CURRENT_SCOPE: u32 = 2;
/// Random bytes one capture needs: 16 for the event id, 4 for sampling, and
/// [`trace::RANDOM_BYTES`] in case its isolation scope has no trace yet.
pub const CAPTURE_RANDOM_BYTES: usize = 20 + trace::RANDOM_BYTES;
/// Envelope DSCs kept between `prepare` and `finish` (events in host callbacks).
const PENDING_DSC: usize = 256;

/// One capture call from the host.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CaptureInput {
    /// A thrown value (`captureException`, global handlers).
    pub exception: Option<Thrown>,
    /// A message (`captureMessage`).
    pub message: Option<String>,
    /// The level asked for at capture time.
    pub level: Option<String>,
    /// How the exception was captured.
    pub mechanism: Option<Mechanism>,
    /// A whole event (`captureEvent`), or capture-time data (tags, extra, user, …).
    pub event: Option<Value>,
    /// Unix milliseconds at the moment of capture.
    pub timestamp: f64,
    /// An id the host already handed out (calls queued before the core was ready).
    pub event_id: Option<String>,
    /// The page or request URL at capture time (`request.url`).
    pub url: Option<String>,
    /// The outgoing request this event is about, when the host linked one
    /// (`{ sentryTrace, baggage }`): the event joins that request's trace.
    pub trace: Option<Value>,
}

/// The scopes a capture runs under, by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScopeIds {
    /// The current scope (`withScope`).
    pub current: u32,
    /// The isolation scope (`withIsolationScope`; top-level setters write here).
    pub isolation: u32,
    /// The global scope.
    pub global: u32,
}

impl Default for ScopeIds {
    fn default() -> Self {
        ScopeIds { current: CURRENT_SCOPE, isolation: ISOLATION_SCOPE, global: GLOBAL_SCOPE }
    }
}

/// Why an event is not sent.
#[derive(Debug, Clone, PartialEq)]
pub struct Dropped {
    /// The event's id.
    pub event_id: String,
    /// Client-report reason, or `disabled` when the SDK is off.
    pub reason: Reason,
    /// A sentence for debug logging.
    pub detail: String,
}

/// What became of a capture.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Ready to hand to the transport.
    Send {
        /// The event's id.
        event_id: String,
        /// Envelope bytes.
        envelope: Vec<u8>,
    },
    /// Not sent.
    Dropped(Dropped),
}

/// A configured client.
#[derive(Debug, Clone)]
pub struct Client {
    options: Options,
    dsn: Option<Dsn>,
    dsn_error: Option<String>,
    sdk_name: String,
    scopes: HashMap<u32, Scope>,
    dedupe: Dedupe,
    outcomes: Outcomes,
    /// Limits announced by the server for this client's DSN (see "rate limits" below).
    rate_limits: RateLimits,
    /// DSC of each prepared event, by event id, for its envelope's `trace` header.
    pending_dsc: Vec<(String, Dsc)>,
    /// The compiled PII scrubbing rules.
    pii: PiiConfig,
    /// Why the `scrub` option was rejected; the client then sends nothing.
    pii_error: Option<String>,
}

impl Client {
    /// Resolves options. Never fails: a bad DSN disables the client and is reported by
    /// [`Client::dsn_error`]; bad option values by [`Client::option_errors`].
    pub fn new(options: Options) -> Client {
        let (dsn, dsn_error) = match options.dsn.as_deref() {
            None => (None, None),
            Some(text) => match Dsn::parse(text) {
                Ok(d) => (Some(d), None),
                Err(e) => (None, Some(e.to_string())),
            },
        };
        let sdk_name = options.sdk_name();
        // An invalid `scrub` option disables the client instead of falling back to the
        // defaults: scrubbing with other rules than the app asked for could send what it
        // meant to keep.
        let browser = options.runtime == "browser";
        let (pii, pii_error) = match PiiConfig::from_options(options.send_default_pii, options.scrub.as_ref(), browser) {
            Ok(cfg) => (cfg, None),
            Err(e) => (PiiConfig::default(), Some(e)),
        };
        let mut pii = pii;
        pii.sdk_settings = dsn.as_ref().is_some_and(|d: &Dsn| d.host == "sentry.io" || d.host.ends_with(".sentry.io"));
        Client { options, dsn, dsn_error, sdk_name, scopes: HashMap::new(), dedupe: Dedupe::default(), outcomes: Outcomes::default(), rate_limits: RateLimits::default(), pending_dsc: Vec::new(), pii, pii_error }
    }

    /// Reads options from a plain JSON object, then builds the client.
    pub fn from_value(options: Value) -> Client {
        Client::new(Options::from_value(options))
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

    /// True when events are built and sent.
    pub fn is_enabled(&self) -> bool {
        self.dsn.is_some() && self.options.enabled && self.pii_error.is_none()
    }

    /// A sentence explaining why the client is disabled, for debug logging.
    pub fn disabled_reason(&self) -> Option<String> {
        if let Some(e) = &self.dsn_error {
            Some(format!("oxeye is disabled: {e}"))
        } else if let Some(e) = &self.pii_error {
            Some(format!("oxeye is disabled: {e}"))
        } else if self.dsn.is_none() {
            Some("oxeye is disabled: no DSN was given".into())
        } else if !self.options.enabled {
            Some("oxeye is disabled: `enabled` is false".into())
        } else {
            None
        }
    }

    /// The URL envelopes are posted to: the tunnel when set, else the DSN's endpoint
    /// with query-string auth (no CORS preflight).
    pub fn url(&self) -> Option<String> {
        let dsn = self.dsn.as_ref()?;
        match self.options.tunnel.as_deref() {
            Some(t) => Some(t.to_string()),
            None => Some(dsn.envelope_url(&self.sentry_client())),
        }
    }

    /// `oxeye.javascript/<version>`, as sent in `sentry_client`.
    pub fn sentry_client(&self) -> String {
        let mut s = String::from("oxeye.javascript/");
        s.push_str(VERSION);
        s
    }

    /// The `sdk` object of events and envelope headers.
    pub fn sdk(&self) -> Value {
        json!({ "name": self.sdk_name, "version": VERSION })
    }

    /// A fresh event id from 16 random bytes.
    pub fn new_event_id(random: &[u8]) -> String {
        ids::uuid4(random)
    }

    // ---- scopes -------------------------------------------------------------------

    /// The scope with this id (created empty on first use).
    pub fn scope_mut(&mut self, id: u32) -> &mut Scope {
        self.scopes.entry(id).or_default()
    }

    /// Makes scope `to` a copy of scope `from` (`withScope`, `withIsolationScope`).
    pub fn fork_scope(&mut self, from: u32, to: u32) {
        let copy = self.scopes.get(&from).cloned().unwrap_or_default();
        self.scopes.insert(to, copy);
    }

    /// Forgets a scope that is no longer reachable.
    pub fn drop_scope(&mut self, id: u32) {
        if id > CURRENT_SCOPE {
            self.scopes.remove(&id);
        }
    }

    /// Adds a breadcrumb to a scope, stamping the time when it has none.
    pub fn add_breadcrumb(&mut self, id: u32, crumb: Value, now_ms: f64) {
        let Value::Object(mut c) = crumb else { return };
        c.entry("timestamp").or_insert_with(|| Value::from(time::unix_seconds(now_ms)));
        let max = self.options.max_breadcrumbs;
        self.scope_mut(id).add_breadcrumb(Value::Object(c), max);
    }

    // ---- outcomes -----------------------------------------------------------------

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
    pub fn take_client_report(&mut self, now_ms: f64) -> Option<Vec<u8>> {
        if self.rate_limits.is_limited(Category::Internal, now_ms) {
            return None;
        }
        let dsn = self.envelope_dsn();
        let sdk = (self.sdk_name.clone(), VERSION);
        self.outcomes.take_envelope(dsn.as_deref(), (&sdk.0, sdk.1), now_ms).map(|e| e.bytes)
    }

    // ---- rate limits ----------------------------------------------------------------

    /// The rate limits the server announced for this client's DSN.
    pub fn rate_limits(&self) -> &RateLimits {
        &self.rate_limits
    }

    /// The rate limits, to update from a response.
    pub fn rate_limits_mut(&mut self) -> &mut RateLimits {
        &mut self.rate_limits
    }

    /// The `dsn` envelope header: the public DSN when sending through a tunnel, else None.
    pub fn envelope_dsn(&self) -> Option<String> {
        self.dsn.as_ref().filter(|_| self.options.tunnel.is_some()).map(Dsn::to_public_string)
    }

    fn drop(&mut self, event_id: String, reason: Reason, detail: String) -> Dropped {
        self.outcomes.record(reason, Category::Error, 1);
        Dropped { event_id, reason, detail }
    }

    // ---- trace propagation (trace.rs, baggage.rs) ----------------------------------

    fn dsc_source(&self) -> Option<DscSource> {
        let dsn = self.dsn.as_ref()?;
        Some(DscSource {
            public_key: dsn.public_key.clone(),
            org_id: self.options.org_id.clone().or_else(|| dsn.org_id.clone()),
            release: self.options.release.clone(),
            environment: self.options.environment.clone(),
        })
    }

    /// The trace of scope `id`, started from `random` when it has none yet.
    fn propagation_mut(&mut self, id: u32, random: &[u8]) -> &mut PropagationContext {
        self.scope_mut(id).propagation.get_or_insert_with(|| PropagationContext::new(random))
    }

    /// Sets the trace of scope `id` (an isolation scope) from incoming headers, or starts
    /// a new one when they name none. True when the incoming trace was continued.
    /// `random` needs [`trace::RANDOM_BYTES`].
    pub fn continue_trace(&mut self, id: u32, incoming: &trace::Incoming, random: &[u8]) -> bool {
        let own_org = self.dsc_source().and_then(|s| s.org_id);
        let (ctx, continued) = PropagationContext::continued(incoming, own_org.as_deref(), self.options.strict_trace_continuation, random);
        self.scope_mut(id).propagation = Some(ctx);
        continued
    }

    /// Headers for an outgoing request made under isolation scope `id`, merging the app's
    /// own `baggage`; freezes the DSC. `None` while the SDK is disabled.
    pub fn trace_headers(&mut self, id: u32, existing_baggage: Option<&str>, random: &[u8]) -> Option<trace::Headers> {
        self.disabled_reason().is_none().then_some(())?;
        let src = self.dsc_source()?;
        Some(self.propagation_mut(id, random).headers(&src, existing_baggage))
    }

    /// `contexts.trace` of a prepared event (its own, else the linked request's, else its
    /// isolation scope's), and the DSC its envelope will carry.
    fn apply_trace(&mut self, event: &mut Value, event_id: &str, isolation: u32, link: Option<trace::TraceLink>, random: &[u8]) {
        let Some(src) = self.dsc_source() else { return };
        let own = self.propagation_mut(isolation, random);
        let linked = link.and_then(|l| l.resolve()).filter(|(ctx, _)| ctx["trace_id"] != own.trace_id.as_str());
        let (ctx, dsc) = match linked {
            Some((ctx, dsc)) => (ctx, dsc),
            None => (own.trace_context(), Some(own.freeze_dsc(&src))),
        };
        let Value::Object(ev) = event else { return };
        let contexts = ev.entry("contexts").or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(c) = contexts {
            c.entry("trace").or_insert(ctx);
        }
        if let Some(d) = dsc {
            if self.pending_dsc.len() >= PENDING_DSC {
                self.pending_dsc.remove(0);
            }
            self.pending_dsc.push((event_id.to_string(), d));
        }
    }

    /// The envelope's `trace` header: the DSC remembered for this event when it still
    /// matches the event's trace, else one made from the event's own trace id.
    fn envelope_dsc(&mut self, event_id: &str, event: &Map<String, Value>) -> Option<Dsc> {
        let remembered = self.pending_dsc.iter().position(|(id, _)| id == event_id).map(|i| self.pending_dsc.remove(i).1);
        let trace_id = event.get("contexts").and_then(|c| c.get("trace")).and_then(|t| t.get("trace_id")).and_then(Value::as_str)?;
        if let Some(d) = remembered.filter(|d| d.get("trace_id") == Some(trace_id)) {
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

    // ---- the pipeline -------------------------------------------------------------

    /// Runs the whole pipeline in one call (no host callbacks).
    pub fn capture(&mut self, input: CaptureInput, scopes: ScopeIds, now_ms: f64, random: &[u8]) -> Outcome {
        let (event_id, event) = match self.prepare(input, scopes, now_ms, random) {
            Ok(p) => p,
            Err(d) => return Outcome::Dropped(d),
        };
        if let Err(d) = self.screen(&event_id, &event) {
            return Outcome::Dropped(d);
        }
        self.finish(&event_id, event, now_ms)
    }

    /// Stage 1: enabled check, sampling, the event built with scopes and context applied.
    /// `random` needs [`CAPTURE_RANDOM_BYTES`]: 16 for the id, 4 for the sampling
    /// decision, the rest for a trace when the isolation scope has none yet.
    pub fn prepare(&mut self, mut input: CaptureInput, scopes: ScopeIds, now_ms: f64, random: &[u8]) -> Result<(String, Value), Dropped> {
        let _ = now_ms;
        let event_id = match input.event_id.as_deref() {
            Some(id) if ids::is_event_id(id) => id.to_string(),
            _ => Self::new_event_id(random),
        };
        if let Some(detail) = self.disabled_reason() {
            return Err(Dropped { event_id, reason: Reason::Disabled, detail });
        }
        let rate = self.options.sample_rate;
        if rate < 1.0 {
            let mut b = [0u8; 4];
            for (d, s) in b.iter_mut().zip(random.iter().skip(16)) {
                *d = *s;
            }
            let roll = u32::from_le_bytes(b) as f64 / 4_294_967_296.0;
            if roll >= rate {
                let detail = format!("sampled out by sampleRate {rate}");
                return Err(self.drop(event_id, Reason::SampleRate, detail));
            }
        }
        let link = input.trace.take().as_ref().and_then(trace::TraceLink::from_value);
        let mut event = self.build_event(input, &event_id, scopes);
        self.apply_trace(&mut event, &event_id, scopes.isolation, link, random.get(20..).unwrap_or(&[]));
        Ok((event_id, event))
    }

    /// Stage 2: inbound filters, then dedupe.
    pub fn screen(&mut self, event_id: &str, event: &Value) -> Result<(), Dropped> {
        if let Some(why) = self.options.filters.check(event) {
            return Err(self.drop(event_id.into(), Reason::EventProcessor, format!("filtered because {why}")));
        }
        if self.options.dedupe && self.dedupe.is_duplicate(event) {
            return Err(self.drop(event_id.into(), Reason::EventProcessor, "dropped as a duplicate of the previous event".into()));
        }
        Ok(())
    }

    /// Stage 3: after `beforeSend`: scrubbing, then the envelope.
    pub fn finish(&mut self, event_id: &str, event: Value, now_ms: f64) -> Outcome {
        let mut event = match event {
            Value::Object(m) => m,
            _ => {
                let d = self.drop(event_id.into(), Reason::InternalSdkError, "beforeSend returned something that is not an event".into());
                return Outcome::Dropped(d);
            }
        };
        // The id the host was given is the id of record.
        event.insert("event_id".into(), Value::from(event_id));
        // Rate limits: dropped before serialisation, counted as `ratelimit_backoff`.
        if let Some(until) = self.rate_limits.limited_until(Category::Error, now_ms) {
            let detail = format!("errors are rate limited until {}", time::rfc3339(until));
            return Outcome::Dropped(self.drop(event_id.into(), Reason::RatelimitBackoff, detail));
        }
        // PII scrubbing hook point: the event is final here, nothing has left the device.
        let mut event = Value::Object(event);
        pii::scrub_event(&mut event, &self.pii);
        let payload = match serde_json::to_vec(&event) {
            Ok(p) => p,
            Err(e) => return Outcome::Dropped(self.drop(event_id.into(), Reason::InternalSdkError, format!("event could not be serialised: {e}"))),
        };
        let dsc = event.as_object().and_then(|m| self.envelope_dsc(event_id, m));
        let envelope = self.envelope(event_id, now_ms, payload, dsc);
        Outcome::Send { event_id: event_id.into(), envelope }
    }

    fn build_event(&self, input: CaptureInput, event_id: &str, ids: ScopeIds) -> Value {
        let mut ev = match input.event {
            Some(Value::Object(m)) => m,
            _ => Map::new(),
        };
        ev.insert("event_id".into(), Value::from(event_id));
        if !ev.contains_key("timestamp") {
            ev.insert("timestamp".into(), Value::from(time::unix_seconds(input.timestamp)));
        }
        ev.insert("platform".into(), Value::from("javascript"));
        if let Some(l) = input.level.as_deref() {
            ev.insert("level".into(), Value::from(l));
        }
        // Sentry's schema names the message interface `logentry`; `message` is its legacy alias.
        if let Some(legacy) = ev.remove("message") {
            let entry = match legacy {
                Value::String(s) => json!({ "formatted": s }),
                other => other,
            };
            ev.entry("logentry").or_insert(entry);
        }
        let is_message = input.message.is_some();
        if let Some(msg) = input.message {
            ev.insert("logentry".into(), json!({ "formatted": event::truncate(&msg, event::MAX_VALUE_CHARS) }));
        }
        if let Some(thrown) = input.exception {
            let (values, extra) = event::exception_values(&thrown, &input.mechanism.unwrap_or_default(), self.options.max_linked_errors);
            ev.insert("exception".into(), json!({ "values": values }));
            if let Some(data) = extra {
                if let Value::Object(m) = ev.entry("extra").or_insert_with(|| Value::Object(Map::new())) {
                    m.insert("__serialized__".into(), data);
                }
            }
            if let Some(status) = thrown.http_status {
                if let Value::Object(c) = ev.entry("contexts").or_insert_with(|| Value::Object(Map::new())) {
                    c.entry("response").or_insert_with(|| json!({ "status_code": status }));
                }
            }
        }
        let empty = Scope::default();
        let get = |id: u32| self.scopes.get(&id).unwrap_or(&empty);
        scope::apply(&mut ev, &[get(ids.current), get(ids.isolation), get(ids.global)], self.options.max_breadcrumbs);
        let level = ev.get("level").and_then(Value::as_str).map(String::from);
        let default_level = if is_message { "info" } else { "error" };
        ev.insert("level".into(), Value::from(event::level(Some(level.as_deref().unwrap_or(default_level)))));
        self.options.host.apply(&mut ev);
        if let Some(url) = input.url.filter(|u| !u.is_empty()) {
            if let Value::Object(r) = ev.entry("request").or_insert_with(|| Value::Object(Map::new())) {
                r.entry("url").or_insert_with(|| Value::from(url));
                if let Some(ua) = &self.options.host.user_agent {
                    if let Value::Object(h) = r.entry("headers").or_insert_with(|| Value::Object(Map::new())) {
                        h.entry("User-Agent").or_insert_with(|| Value::from(ua.as_str()));
                    }
                }
            }
        }
        ev.insert("sdk".into(), self.sdk());
        if let Some(r) = &self.options.release {
            ev.entry("release").or_insert_with(|| Value::from(r.as_str()));
        }
        ev.entry("environment").or_insert_with(|| Value::from(self.options.environment.as_str()));
        Value::Object(ev)
    }

    fn envelope(&self, event_id: &str, now_ms: f64, payload: Vec<u8>, dsc: Option<Dsc>) -> Vec<u8> {
        let mut headers = Map::new();
        headers.insert("event_id".into(), Value::from(event_id));
        headers.insert("sent_at".into(), Value::from(time::rfc3339(now_ms)));
        headers.insert("sdk".into(), self.sdk());
        if let Some(d) = dsc {
            headers.insert("trace".into(), d.to_json());
        }
        if self.options.tunnel.is_some() {
            if let Some(d) = &self.dsn {
                headers.insert("dsn".into(), Value::from(d.to_public_string()));
            }
        }
        envelope::build(&headers, &[(envelope::item_headers("event"), payload)])
    }
}

#[cfg(test)]
#[path = "client_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "client_delivery_tests.rs"]
mod delivery_tests;
