//! The JavaScript boundary: the only module that knows about wasm-bindgen.
//!
//! `Core` wraps a [`Client`]. Data crosses once, as JSON text the shim made, byte arrays,
//! numbers and C-style enums (`Reason`, `Category`, `ScopeOp`, `Verdict`, `Response`).
//! Results of hot calls are read through getters ("last result" registers) instead of
//! allocated objects. No method throws or panics on any input: bad JSON becomes
//! `Verdict.Drop` with `Reason.InternalSdkError` and a sentence in `detail`.

use wasm_bindgen::prelude::*;

use crate::dsn::Dsn;
use crate::pipeline::{self, Client, Outcome, ScopeIds, CAPTURE_RANDOM_BYTES, VERSION};
use crate::protocol::envelope;
use crate::ratelimit::Response;
use crate::reasons::{Category, Reason};
use crate::scope::ScopeOp;
use crate::session::{Health, RequestSessionStatus, SID_RANDOM_BYTES};
use crate::trace::Incoming;

/// Events held for host stages whose isolation scope is remembered (as the pipeline's bound).
const MAX_HELD_ISOLATIONS: usize = pipeline::MAX_PENDING;

/// What became of a capture or `finish`.
#[wasm_bindgen]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Verdict {
    /// `envelope`, `category` and `quantity` hold the result.
    Send = 0,
    /// `reason` and `detail` say why nothing is sent.
    Drop = 1,
    /// The host runs its stages on `event` (and RegExp filters on `subjects`).
    Host = 2,
}

/// A DSN as the core reads it.
#[wasm_bindgen(getter_with_clone)]
pub struct ParsedDsn {
    /// The DSN without its secret.
    #[wasm_bindgen(js_name = publicDsn)]
    pub public_dsn: Option<String>,
    /// The envelope endpoint with query-string auth.
    #[wasm_bindgen(js_name = envelopeUrl)]
    pub envelope_url: Option<String>,
    /// Why the DSN was rejected.
    pub error: Option<String>,
}

/// One oxeye client as seen from JavaScript.
#[wasm_bindgen]
pub struct Core {
    client: Client,
    envelope: Option<Vec<u8>>,
    category: Category,
    quantity: u32,
    reason: Reason,
    detail: String,
    event: Option<String>,
    subjects: Option<String>,
    sentry_trace: String,
    baggage: String,
    traceparent: String,
    health: Health,
    /// `(event id, isolation scope)` of events held for host stages.
    held: Vec<(String, u32)>,
    /// The isolation scope of the page-view session (its user is the session's `did`).
    session_scope: Option<u32>,
}

#[wasm_bindgen]
impl Core {
    /// Builds a client from the options' JSON text. Never throws: bad values are listed
    /// in `optionErrors`.
    #[wasm_bindgen(constructor)]
    pub fn new(options_json: &str) -> Core {
        let client = Client::from_json(options_json);
        let o = client.options();
        let ua = if o.runtime == "browser" { o.host.user_agent.as_deref() } else { None };
        let health = Health::new(o.release.as_deref(), Some(&o.environment), ua);
        Core {
            client,
            health,
            held: Vec::new(),
            session_scope: None,
            envelope: None,
            category: Category::Error,
            quantity: 0,
            reason: Reason::InternalSdkError,
            detail: String::new(),
            event: None,
            subjects: None,
            sentry_trace: String::new(),
            baggage: String::new(),
            traceparent: String::new(),
        }
    }

    /// Why the DSN was rejected.
    #[wasm_bindgen(getter, js_name = dsnError)]
    pub fn dsn_error(&self) -> Option<String> {
        self.client.dsn_error().map(String::from)
    }

    /// Why the `scrub` option was rejected (the client is then disabled).
    #[wasm_bindgen(getter, js_name = scrubError)]
    pub fn scrub_error(&self) -> Option<String> {
        self.client.scrub_error().map(String::from)
    }

    /// One sentence per rejected option value.
    #[wasm_bindgen(getter, js_name = optionErrors)]
    pub fn option_errors(&self) -> Vec<String> {
        self.client.option_errors().to_vec()
    }

    /// Why the SDK is off, when it is.
    #[wasm_bindgen(getter, js_name = disabledReason)]
    pub fn disabled_reason(&self) -> Option<String> {
        self.client.disabled_reason()
    }

    /// Where envelopes are posted.
    #[wasm_bindgen(getter)]
    pub fn url(&self) -> Option<String> {
        self.client.url()
    }

    /// `debug` as resolved.
    #[wasm_bindgen(getter)]
    pub fn debug(&self) -> bool {
        self.client.options().debug
    }

    /// The environment as resolved (given or detected).
    #[wasm_bindgen(getter)]
    pub fn environment(&self) -> String {
        self.client.options().environment.clone()
    }

    /// The release as resolved.
    #[wasm_bindgen(getter)]
    pub fn release(&self) -> Option<String> {
        self.client.options().release.clone()
    }

    /// `maxBreadcrumbs`, clamped to Sentry's maximum of 100.
    #[wasm_bindgen(getter, js_name = maxBreadcrumbs)]
    pub fn max_breadcrumbs(&self) -> u32 {
        self.client.options().max_breadcrumbs as u32
    }

    /// Random bytes one capture needs.
    #[wasm_bindgen(getter, js_name = randomBytes)]
    pub fn random_bytes(&self) -> u32 {
        CAPTURE_RANDOM_BYTES as u32
    }

    /// The SDK version.
    #[wasm_bindgen(getter)]
    pub fn version(&self) -> String {
        VERSION.into()
    }

    fn outcome(&mut self, o: Outcome) -> Verdict {
        self.envelope = None;
        self.event = None;
        self.subjects = None;
        match o {
            Outcome::Send(env) => {
                self.category = env.category;
                self.quantity = env.quantity;
                self.envelope = Some(env.bytes);
                Verdict::Send
            }
            Outcome::Drop(reason, detail) => {
                self.reason = reason;
                self.detail = detail;
                Verdict::Drop
            }
            Outcome::Host { event, subjects } => {
                self.event = Some(event);
                self.subjects = Some(subjects);
                Verdict::Host
            }
        }
    }

    /// Runs the pipeline on CaptureInput JSON, as UTF-8 bytes (see `pipeline/mod.rs`). The
    /// host encodes it with `TextEncoder`, natively, rather than through the glue's
    /// per-character string copy; text that is not UTF-8 is a counted `internal_sdk_error`.
    #[allow(clippy::too_many_arguments)]
    pub fn capture(&mut self, input: &[u8], current: u32, isolation: u32, global: u32, now_ms: f64, random: &[u8], hand_back: bool) -> Verdict {
        let ids = ScopeIds { current, isolation, global };
        let input = std::str::from_utf8(input).unwrap_or("");
        let o = self.client.capture(input, ids, now_ms, random, hand_back);
        let v = self.outcome(o);
        match v {
            Verdict::Send => self.health.event_sent(isolation, self.client.last_effect(), now_ms),
            Verdict::Host => {
                if let Some(id) = crate::json::read::field(input, "eventId").and_then(crate::json::read::string) {
                    if self.held.len() >= MAX_HELD_ISOLATIONS {
                        self.held.remove(0);
                    }
                    self.held.push((id.into_owned(), isolation));
                }
            }
            Verdict::Drop => {}
        }
        v
    }

    /// Stages 8–9 for an event the host ran its stages on.
    pub fn finish(&mut self, event_id: &str, event_json: &str, now_ms: f64) -> Verdict {
        let o = self.client.finish(event_id, event_json, now_ms);
        let isolation = self.release_held(event_id);
        let v = self.outcome(o);
        if let (Verdict::Send, Some(iso)) = (v, isolation) {
            self.health.event_sent(iso, self.client.last_effect(), now_ms);
        }
        v
    }

    /// The host dropped an event it held (counted with `reason`).
    #[wasm_bindgen(js_name = dropPending)]
    pub fn drop_pending(&mut self, event_id: &str, reason: Reason) {
        self.release_held(event_id);
        self.client.drop_pending(event_id, reason);
    }

    fn release_held(&mut self, event_id: &str) -> Option<u32> {
        let i = self.held.iter().position(|(id, _)| id == event_id)?;
        Some(self.held.remove(i).1)
    }

    // ---- release health (session.rs) ----

    /// Why no session can be sent (no or an invalid `release`), else undefined.
    #[wasm_bindgen(getter, js_name = sessionError)]
    pub fn session_error(&self) -> Option<String> {
        self.health.error().map(String::from)
    }

    /// Starts a page-view session for isolation scope `isolation` (its user id is the
    /// session's `did`), ending the running one; `random` needs 16 bytes. False when no
    /// session can be sent (`sessionError` says why) or the SDK is off.
    #[wasm_bindgen(js_name = startSession)]
    pub fn start_session(&mut self, isolation: u32, now_ms: f64, random: &[u8]) -> bool {
        if !self.client.is_enabled() || random.len() < SID_RANDOM_BYTES {
            return false;
        }
        let did = self.client.user_id(isolation);
        let started = self.health.start(random, now_ms, did.as_deref());
        if started {
            self.session_scope = Some(isolation);
        }
        started
    }

    /// Ends the running page-view session (`exited` unless something went wrong).
    #[wasm_bindgen(js_name = endSession)]
    pub fn end_session(&mut self, now_ms: f64) {
        self.health.end(now_ms);
    }

    /// The session updates waiting to be sent as one envelope (then `category` is
    /// Session and `quantity` the number of updates); undefined when there are none.
    #[wasm_bindgen(js_name = takeSessionEnvelope)]
    pub fn take_session_envelope(&mut self, now_ms: f64) -> Option<Vec<u8>> {
        let dsn = self.client.envelope_dsn();
        let env = self.health.take_envelope(dsn.as_deref(), self.client.sdk(), now_ms)?;
        Some(self.registers(env))
    }

    /// Counts a server request handled in isolation scope `isolation` that ended now:
    /// the worse of `status` and the error events sent from that scope.
    #[wasm_bindgen(js_name = recordRequestSession)]
    pub fn record_request_session(&mut self, isolation: u32, status: RequestSessionStatus, now_ms: f64) {
        if !self.client.is_enabled() {
            return;
        }
        let lost = self.health.record_request(isolation, status, now_ms);
        if lost > 0 {
            self.client.record(Reason::BufferOverflow, Category::Session, 1);
        }
    }

    /// The request aggregates waiting as an envelope with one `sessions` item (then
    /// `category` is Session and `quantity` 1); undefined when there are none.
    #[wasm_bindgen(js_name = takeSessionAggregates)]
    pub fn take_session_aggregates(&mut self, now_ms: f64) -> Option<Vec<u8>> {
        let dsn = self.client.envelope_dsn();
        let env = self.health.take_aggregates(dsn.as_deref(), self.client.sdk(), now_ms)?;
        Some(self.registers(env))
    }

    fn registers(&mut self, env: envelope::Envelope) -> Vec<u8> {
        self.category = env.category;
        self.quantity = env.quantity;
        env.bytes
    }

    /// The last envelope (taken: a second read gives `undefined`).
    #[wasm_bindgen(getter)]
    pub fn envelope(&mut self) -> Option<Vec<u8>> {
        self.envelope.take()
    }

    /// Data category of the last envelope.
    #[wasm_bindgen(getter)]
    pub fn category(&self) -> Category {
        self.category
    }

    /// Item count of the last envelope.
    #[wasm_bindgen(getter)]
    pub fn quantity(&self) -> u32 {
        self.quantity
    }

    /// Why the last capture was dropped.
    #[wasm_bindgen(getter)]
    pub fn reason(&self) -> Reason {
        self.reason
    }

    /// A sentence about the last drop, for debug logging.
    #[wasm_bindgen(getter)]
    pub fn detail(&self) -> String {
        self.detail.clone()
    }

    /// The event handed to the host (JSON text, scrubbed).
    #[wasm_bindgen(getter)]
    pub fn event(&self) -> Option<String> {
        self.event.clone()
    }

    /// `{"messages":[…],"url":…}` for the host's RegExp filters.
    #[wasm_bindgen(getter)]
    pub fn subjects(&self) -> Option<String> {
        self.subjects.clone()
    }

    /// Makes scope `to` a copy of scope `from`.
    #[wasm_bindgen(js_name = forkScope)]
    pub fn fork_scope(&mut self, from: u32, to: u32) {
        self.client.fork_scope(from, to);
    }

    /// Forgets a scope.
    #[wasm_bindgen(js_name = dropScope)]
    pub fn drop_scope(&mut self, id: u32) {
        self.client.drop_scope(id);
        self.health.forget(id);
    }

    /// Applies a scope setter; `value_json` is JSON text.
    #[wasm_bindgen(js_name = scopeSet)]
    pub fn scope_set(&mut self, id: u32, op: ScopeOp, key: Option<String>, value_json: Option<String>) {
        self.client.scope_set(id, op, key.as_deref(), value_json.as_deref());
        if self.session_scope == Some(id) && matches!(op, ScopeOp::SetUser | ScopeOp::Clear) {
            self.health.set_did(self.client.user_id(id).as_deref());
        }
    }

    /// Adds a breadcrumb (JSON text) to a scope.
    #[wasm_bindgen(js_name = addBreadcrumb)]
    pub fn add_breadcrumb(&mut self, id: u32, crumb_json: &str, now_ms: f64) {
        self.client.add_breadcrumb(id, crumb_json, now_ms);
    }

    /// Reads a response to an envelope and updates the rate limits.
    #[wasm_bindgen(js_name = onResponse)]
    pub fn on_response(&mut self, status: u16, rate_limits: Option<String>, retry_after: Option<String>, now_ms: f64) -> Response {
        self.client.rate_limits_mut().on_response(status, rate_limits.as_deref(), retry_after.as_deref(), now_ms)
    }

    /// True while items of `category` must not be sent.
    #[wasm_bindgen(js_name = isRateLimited)]
    pub fn is_rate_limited(&self, category: Category, now_ms: f64) -> bool {
        self.client.rate_limits().is_limited(category, now_ms)
    }

    /// Counts discarded items for the next client report.
    #[wasm_bindgen(js_name = recordOutcome)]
    pub fn record_outcome(&mut self, reason: Reason, category: Category, quantity: u32) {
        self.client.record(reason, category, quantity.into());
    }

    /// The pending counts as a client-report envelope (category Internal, quantity 1).
    #[wasm_bindgen(js_name = takeClientReport)]
    pub fn take_client_report(&mut self, now_ms: f64) -> Option<Vec<u8>> {
        self.client.take_client_report(now_ms).map(|e| e.bytes)
    }

    /// Trace headers for an outgoing request; read them from `sentryTrace`, `baggage`
    /// and `traceparent` after `true`.
    #[wasm_bindgen(js_name = traceHeaders)]
    pub fn trace_headers(&mut self, isolation: u32, existing_baggage: Option<String>, random: &[u8]) -> bool {
        match self.client.trace_headers(isolation, existing_baggage.as_deref(), random) {
            Some(h) => {
                self.sentry_trace = h.sentry_trace;
                self.baggage = h.baggage;
                self.traceparent = h.traceparent;
                true
            }
            None => false,
        }
    }

    /// `sentry-trace` of the last `traceHeaders`.
    #[wasm_bindgen(getter, js_name = sentryTrace)]
    pub fn sentry_trace(&self) -> String {
        self.sentry_trace.clone()
    }

    /// `baggage` of the last `traceHeaders`.
    #[wasm_bindgen(getter)]
    pub fn baggage(&self) -> String {
        self.baggage.clone()
    }

    /// `traceparent` of the last `traceHeaders`.
    #[wasm_bindgen(getter)]
    pub fn traceparent(&self) -> String {
        self.traceparent.clone()
    }

    /// Continues (or restarts) the trace of scope `id` from incoming headers.
    #[wasm_bindgen(js_name = continueTrace)]
    pub fn continue_trace(&mut self, id: u32, sentry_trace: Option<String>, baggage: Option<String>, traceparent: Option<String>, random: &[u8]) -> bool {
        self.client.continue_trace(id, &Incoming { sentry_trace, baggage, traceparent }, random)
    }

    /// Parses a DSN with the core's parser.
    #[wasm_bindgen(js_name = parseDsn)]
    pub fn parse_dsn(text: &str) -> ParsedDsn {
        match Dsn::parse(text) {
            Ok(dsn) => ParsedDsn { public_dsn: Some(dsn.to_public_string()), envelope_url: Some(dsn.envelope_url(&pipeline::sentry_client())), error: None },
            Err(e) => ParsedDsn { public_dsn: None, envelope_url: None, error: Some(e.message()) },
        }
    }
}
