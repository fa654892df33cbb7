//! The JavaScript boundary: the only module that knows the core runs as wasm.
//!
//! A hand-written C ABI, read by the glue in `js/core/core.ts`: every export takes and
//! returns only `i32`/`u32`/`f64`, and the module imports nothing. A core is a
//! [`Core`] on the heap, named by its address. Data crosses once, as JSON text the shim
//! made, bytes, numbers and numbered enums (`Reason`, `Category`, `ScopeOp`, `Verdict`,
//! `Response`, `RequestSessionStatus`). A capture's stacks cross after its JSON, in the same
//! bytes, each after a 0xFF byte (which UTF-8 never holds), and the JSON refers to them by
//! index: no escaping in the shim and no unescaping here.
//!
//! - In: the glue asks [`alloc`] for a buffer, writes UTF-8 or bytes into it and passes
//!   `(address, length)`; address 0 is "absent". The callee owns the buffer and gives it
//!   back when the call ends, so the glue never frees.
//! - Out: a string or byte result is left in memory and the export returns the address of
//!   the return area, three words `[address, length, extra]`, or 0 for "absent". The bytes
//!   stay valid until the next call; the glue copies or decodes them at once.
//!
//! Results of hot calls are read through getters ("last result" registers) instead of
//! allocated objects. No export panics or traps on any input: bad JSON becomes
//! `Verdict::Drop` with `Reason::InternalSdkError` and a sentence in `detail`, an unknown
//! enum number is ignored (or read as the safest member), and a null core does nothing.
//!
//! The page-view session exports exist with the `runtime-browser` feature, the request
//! aggregate exports with `runtime-server` (both in the default build; Cargo.toml).

use std::alloc::{alloc as heap_alloc, dealloc, handle_alloc_error, Layout};
use std::cell::UnsafeCell;

use crate::dsn::Dsn;
use crate::pipeline::{self, Client, Outcome, ScopeIds, CAPTURE_RANDOM_BYTES};
use crate::protocol::envelope;
use crate::reasons::{Category, Reason};
use crate::scope::ScopeOp;
use crate::session::{Health, RequestSessionStatus, SID_RANDOM_BYTES};
use crate::trace::Incoming;

/// Events held for host stages whose isolation scope is remembered (as the pipeline's bound).
const MAX_HELD_ISOLATIONS: usize = pipeline::MAX_PENDING;

/// What became of a capture or `finish`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u8)]
pub enum Verdict {
    /// `envelope`, `category` and `quantity` hold the result.
    Send = 0,
    /// `reason` and `detail` say why nothing is sent.
    Drop = 1,
    /// The host runs its stages on `event` (and RegExp filters on `subjects`).
    Host = 2,
}

// ---- memory crossing ------------------------------------------------------------------

/// A static the single-threaded wasm module mutates (no `atomics`, so no other thread).
struct Global<T>(UnsafeCell<T>);

unsafe impl<T> Sync for Global<T> {}

/// `[address, length, extra]` of the last string or byte result.
static RET: Global<[u32; 3]> = Global(UnsafeCell::new([0; 3]));
/// A result made for the call (not a field of a core): kept until the next one.
static OUT: Global<Vec<u8>> = Global(UnsafeCell::new(Vec::new()));

/// Bytes before each buffer handed to the glue: its allocated size.
const HEADER: usize = 8;

/// A buffer of `len` bytes for the glue to write an argument into (never null: an
/// exhausted memory traps, as any allocation in the core does).
#[export_name = "alloc"]
pub extern "C" fn alloc(len: u32) -> u32 {
    let size = len as usize + HEADER;
    let Ok(layout) = Layout::from_size_align(size, HEADER) else { handle_alloc_error(Layout::new::<u64>()) };
    // SAFETY: the layout is not zero-sized.
    let base = unsafe { heap_alloc(layout) };
    if base.is_null() {
        handle_alloc_error(layout);
    }
    // SAFETY: the block has room for the header.
    unsafe { (base as *mut usize).write(size) };
    (base as usize + HEADER) as u32
}

/// An argument the glue wrote into a buffer from [`alloc`], or none (address 0); the
/// buffer is given back when this is dropped. An absent argument reads as empty.
struct Arg(*mut u8, usize);

impl Arg {
    /// The argument at `ptr` (`len` bytes); absent when `ptr` is 0.
    fn new(ptr: u32, len: u32) -> Arg {
        Arg(ptr as *mut u8, len as usize)
    }

    fn bytes(&self) -> &[u8] {
        if self.0.is_null() {
            return &[];
        }
        // SAFETY: the glue wrote `len` bytes at `ptr`, inside the buffer it got from alloc.
        unsafe { std::slice::from_raw_parts(self.0, self.1) }
    }

    /// The text (the glue writes UTF-8 with `TextEncoder`; anything else reads as empty).
    fn str(&self) -> &str {
        crate::text::str_of(self.bytes()).unwrap_or("")
    }

    /// The text, or `None` when the argument is absent.
    fn opt(&self) -> Option<&str> {
        (!self.0.is_null()).then(|| self.str())
    }
}

impl Drop for Arg {
    fn drop(&mut self) {
        if self.0.is_null() {
            return;
        }
        // SAFETY: `alloc` put the block's size in the header before the buffer.
        unsafe {
            let base = self.0.sub(HEADER);
            dealloc(base, Layout::from_size_align_unchecked((base as *const usize).read(), HEADER));
        }
    }
}

/// Hands `bytes` to the glue through the return area (`extra` is the third word); one
/// routine for every string and byte result (kept out of line).
#[inline(never)]
fn ret(bytes: &[u8], extra: u32) -> u32 {
    // SAFETY: single-threaded; the glue reads the area before the next call.
    unsafe {
        *RET.0.get() = [bytes.as_ptr() as u32, bytes.len() as u32, extra];
        RET.0.get() as u32
    }
}

/// [`ret`] of an optional string; 0 when absent.
fn ret_opt(s: Option<&str>) -> u32 {
    s.map_or(0, |s| ret(s.as_bytes(), 0))
}

/// Hands over a result made for this call: kept in `OUT` until the next one.
fn ret_owned(bytes: Vec<u8>, extra: u32) -> u32 {
    // SAFETY: single-threaded; the previous result is no longer read.
    unsafe {
        let out = &mut *OUT.0.get();
        *out = bytes;
        ret(out, extra)
    }
}

/// The core at `handle` (0, a freed core, is `None`).
fn core<'a>(handle: u32) -> Option<&'a mut Core> {
    // SAFETY: the glue passes only addresses `new` returned and not yet given to `drop`.
    unsafe { (handle as *mut Core).as_mut() }
}

// ---- the core ----------------------------------------------------------------------------

/// One oxeye client as seen from JavaScript.
pub struct Core {
    client: Client,
    envelope: Option<Vec<u8>>,
    category: Category,
    quantity: u32,
    reason: Reason,
    detail: String,
    event: Option<String>,
    subjects: Option<String>,
    health: Health,
    /// `(event id, isolation scope)` of events held for host stages.
    held: Vec<(String, u32)>,
    /// The isolation scope of the page-view session (its user is the session's `did`).
    session_scope: Option<u32>,
}

impl Core {
    fn new(options_json: &str) -> Core {
        let client = Client::from_json(options_json);
        let o = client.options();
        let ua = if o.runtime == "browser" { o.host.user_agent.as_deref() } else { None };
        #[cfg(feature = "runtime-browser")]
        crate::stacktrace::set_in_extension(o.host.extension);
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
        }
    }

    fn outcome(&mut self, o: Outcome) -> Verdict {
        self.envelope = None;
        self.event = None;
        self.subjects = None;
        match o {
            Outcome::Send(env) => {
                self.envelope = Some(self.registers(env));
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

    #[allow(clippy::too_many_arguments)]
    fn capture(&mut self, input: &[u8], current: u32, isolation: u32, global: u32, now_ms: f64, random: &[u8], hand_back: u32) -> Verdict {
        let ids = ScopeIds { current, isolation, global };
        // (2: the host dropped this error before building it, and counted it; it still
        // counts in the session. `Send`: a session update waits to be taken.)
        if hand_back == 2 {
            let effect = self.client.shed_effect(crate::text::str_of(input).unwrap_or(""), ids);
            return if self.health.event_sent(isolation, effect, now_ms) { Verdict::Send } else { Verdict::Drop };
        }
        // The JSON, then the stacks (each after a 0xFF byte).
        let (input, stacks) = input.split_at(crate::protocol::exception::separator_at(input));
        let input = crate::text::str_of(input).unwrap_or("");
        let o = self.client.capture(input, stacks, ids, now_ms, random, hand_back != 0);
        let v = self.outcome(o);
        if v == Verdict::Host {
            if let Some(id) = crate::json::read::field(input, "eventId").and_then(crate::json::read::owned_string) {
                if self.held.len() >= MAX_HELD_ISOLATIONS {
                    self.held.remove(0);
                }
                self.held.push((id, isolation));
            }
        }
        self.count_in_session(v, isolation, now_ms);
        v
    }

    /// An event sent from isolation scope `isolation` counts in its session, and so does
    /// one sampled out (not other drops).
    #[inline(always)]
    fn count_in_session(&mut self, v: Verdict, isolation: u32, now_ms: f64) {
        if v == Verdict::Send || (v == Verdict::Drop && self.reason == Reason::SampleRate) {
            self.health.event_sent(isolation, self.client.last_effect(), now_ms);
        }
    }

    fn finish(&mut self, event_id: &str, event_json: &str, now_ms: f64) -> Verdict {
        let o = self.client.finish(event_id, event_json, now_ms);
        let isolation = self.release_held(event_id);
        let v = self.outcome(o);
        if let Some(iso) = isolation {
            self.count_in_session(v, iso, now_ms);
        }
        v
    }

    fn release_held(&mut self, event_id: &str) -> Option<u32> {
        let mut i = 0;
        while i < self.held.len() && self.held[i].0 != event_id {
            i += 1;
        }
        if i == self.held.len() {
            return None;
        }
        Some(self.held.remove(i).1)
    }

    #[cfg(feature = "runtime-browser")]
    fn start_session(&mut self, isolation: u32, now_ms: f64, random: &[u8]) -> bool {
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

    /// Notes an envelope's category and quantity (read through the getters); returns its bytes.
    fn registers(&mut self, env: envelope::Envelope) -> Vec<u8> {
        self.category = env.category;
        self.quantity = env.quantity;
        env.bytes
    }

    /// [`Core::registers`] an envelope and hands its bytes over; 0 when there is none.
    #[cfg(any(feature = "runtime-browser", feature = "runtime-server"))]
    fn ret_registered(&mut self, env: Option<envelope::Envelope>) -> u32 {
        match env {
            Some(e) => ret_owned(self.registers(e), 0),
            None => 0,
        }
    }

    fn scope_set(&mut self, id: u32, op: ScopeOp, key: Option<&str>, value_json: Option<&str>) {
        self.client.scope_set(id, op, key, value_json);
        if self.session_scope == Some(id) && matches!(op, ScopeOp::SetUser | ScopeOp::Clear) {
            self.health.set_did(self.client.user_id(id).as_deref());
        }
    }
}

// ---- exports: making and dropping a core, options ------------------------------------------

/// Builds a client from the options' JSON text and returns its handle. Never fails: bad
/// values are listed in `optionErrors`.
#[export_name = "create"]
pub extern "C" fn core_new(ptr: u32, len: u32) -> u32 {
    let options = Arg::new(ptr, len);
    Box::into_raw(Box::new(Core::new(options.str()))) as u32
}

/// Frees a core (0 does nothing).
#[export_name = "drop"]
pub extern "C" fn core_drop(handle: u32) {
    if handle != 0 {
        // SAFETY: the glue gives each handle from `new` back once.
        drop(unsafe { Box::from_raw(handle as *mut Core) });
    }
}

/// Why the DSN was rejected.
#[export_name = "dsnError"]
pub extern "C" fn dsn_error(handle: u32) -> u32 {
    let Some(c) = core(handle) else { return 0 };
    ret_opt(c.client.dsn_error())
}

/// Why the SDK is off, when it is.
#[export_name = "disabledReason"]
pub extern "C" fn disabled_reason(handle: u32) -> u32 {
    let Some(c) = core(handle) else { return 0 };
    ret_opt(c.client.disabled_reason())
}

/// Where envelopes are posted.
#[export_name = "url"]
pub extern "C" fn url(handle: u32) -> u32 {
    let Some(c) = core(handle) else { return 0 };
    match c.client.url() {
        Some(s) => ret_owned(s.into_bytes(), 0),
        None => 0,
    }
}

/// The release as resolved.
#[export_name = "release"]
pub extern "C" fn release(handle: u32) -> u32 {
    let Some(c) = core(handle) else { return 0 };
    ret_opt(c.client.options().release.as_deref())
}

/// Random bytes one capture needs.
#[export_name = "randomBytes"]
pub extern "C" fn random_bytes() -> u32 {
    CAPTURE_RANDOM_BYTES as u32
}

// ---- exports: captures -----------------------------------------------------------------

/// Runs the pipeline on CaptureInput JSON as UTF-8 bytes (see `pipeline/mod.rs`), then
/// the stacks its exception refers to by index, each after a 0xFF byte; the host encodes
/// the text with `TextEncoder`. JSON that is not UTF-8 is a counted `internal_sdk_error`.
/// Returns the [`Verdict`].
#[export_name = "capture"]
#[allow(clippy::too_many_arguments)]
pub extern "C" fn capture(handle: u32, in_ptr: u32, in_len: u32, current: u32, isolation: u32, global: u32, now_ms: f64, rnd_ptr: u32, rnd_len: u32, hand_back: u32) -> u32 {
    let input = Arg::new(in_ptr, in_len);
    let random = Arg::new(rnd_ptr, rnd_len);
    let Some(c) = core(handle) else { return Verdict::Drop as u32 };
    c.capture(input.bytes(), current, isolation, global, now_ms, random.bytes(), hand_back) as u32
}

/// Stages 8–9 for an event the host ran its stages on. Returns the [`Verdict`].
#[export_name = "finish"]
pub extern "C" fn finish(handle: u32, id_ptr: u32, id_len: u32, ev_ptr: u32, ev_len: u32, now_ms: f64) -> u32 {
    let (id, event) = (Arg::new(id_ptr, id_len), Arg::new(ev_ptr, ev_len));
    let Some(c) = core(handle) else { return Verdict::Drop as u32 };
    c.finish(id.str(), event.str(), now_ms) as u32
}

/// The host dropped an event it held (counted with `reason`; an unknown reason is
/// counted as `internal_sdk_error`).
#[export_name = "dropPending"]
pub extern "C" fn drop_pending(handle: u32, id_ptr: u32, id_len: u32, reason: u32) {
    let id = Arg::new(id_ptr, id_len);
    let id = id.str();
    if let Some(c) = core(handle) {
        c.release_held(id);
        c.client.drop_pending(id, Reason::from_index(reason).unwrap_or(Reason::InternalSdkError));
    }
}

/// The last envelope (taken: a second read gives nothing).
#[export_name = "envelope"]
pub extern "C" fn take_envelope(handle: u32) -> u32 {
    let Some(c) = core(handle) else { return 0 };
    match c.envelope.take() {
        Some(b) => ret_owned(b, 0),
        None => 0,
    }
}

/// Data category of the last envelope.
#[export_name = "category"]
pub extern "C" fn category(handle: u32) -> u32 {
    core(handle).map_or(0, |c| c.category as u32)
}

/// Item count of the last envelope.
#[export_name = "quantity"]
pub extern "C" fn quantity(handle: u32) -> u32 {
    core(handle).map_or(0, |c| c.quantity)
}

/// Why the last capture was dropped.
#[export_name = "reason"]
pub extern "C" fn reason(handle: u32) -> u32 {
    core(handle).map_or(Reason::InternalSdkError, |c| c.reason) as u32
}

/// A sentence about the last drop, for debug logging.
#[export_name = "detail"]
pub extern "C" fn detail(handle: u32) -> u32 {
    ret(core(handle).map_or("", |c| &c.detail).as_bytes(), 0)
}

/// The event handed to the host (JSON text, scrubbed).
#[export_name = "event"]
pub extern "C" fn event(handle: u32) -> u32 {
    let Some(c) = core(handle) else { return 0 };
    ret_opt(c.event.as_deref())
}

/// `{"messages":[…],"url":…}` for the host's RegExp filters.
#[export_name = "subjects"]
pub extern "C" fn subjects(handle: u32) -> u32 {
    let Some(c) = core(handle) else { return 0 };
    ret_opt(c.subjects.as_deref())
}

// ---- exports: scopes -------------------------------------------------------------------------

/// Makes scope `to` a copy of scope `from`.
#[export_name = "forkScope"]
pub extern "C" fn fork_scope(handle: u32, from: u32, to: u32) {
    if let Some(c) = core(handle) {
        c.client.fork_scope(from, to);
    }
}

/// Forgets a scope.
#[export_name = "dropScope"]
pub extern "C" fn drop_scope(handle: u32, id: u32) {
    if let Some(c) = core(handle) {
        c.client.drop_scope(id);
        c.health.forget(id);
    }
}

/// Applies a scope setter (an unknown `op` does nothing); the value is JSON text.
#[export_name = "scopeSet"]
pub extern "C" fn scope_set(handle: u32, id: u32, op: u32, key_ptr: u32, key_len: u32, val_ptr: u32, val_len: u32) {
    let (key, value) = (Arg::new(key_ptr, key_len), Arg::new(val_ptr, val_len));
    if let (Some(c), Some(op)) = (core(handle), ScopeOp::from_index(op)) {
        c.scope_set(id, op, key.opt(), value.opt());
    }
}

/// Adds a breadcrumb (JSON text) to a scope.
#[export_name = "addBreadcrumb"]
pub extern "C" fn add_breadcrumb(handle: u32, id: u32, ptr: u32, len: u32, now_ms: f64) {
    let crumb = Arg::new(ptr, len);
    if let Some(c) = core(handle) {
        c.client.add_breadcrumb(id, crumb.str(), now_ms);
    }
}

// ---- exports: delivery -----------------------------------------------------------------------

/// Counts discarded items for the next client report (unknown numbers are not counted).
#[export_name = "recordOutcome"]
pub extern "C" fn record_outcome(handle: u32, reason: u32, category: u32, quantity: u32) {
    if let (Some(c), Some(reason), Some(category)) = (core(handle), Reason::from_index(reason), Category::from_index(category)) {
        c.client.record(reason, category, quantity.into());
    }
}

/// The pending counts as a client-report envelope (category Internal, quantity 1).
#[export_name = "takeClientReport"]
pub extern "C" fn take_client_report(handle: u32, now_ms: f64) -> u32 {
    let Some(c) = core(handle) else { return 0 };
    match c.client.take_client_report(now_ms) {
        Some(e) => ret_owned(e.bytes, 0),
        None => 0,
    }
}

// ---- exports: tracing ------------------------------------------------------------------------

/// The parts of an outgoing request's trace headers under isolation scope `isolation`, as
/// JSON text (`PropagationContext::headers`); absent while the SDK is off.
#[export_name = "traceHeaders"]
pub extern "C" fn trace_headers(handle: u32, isolation: u32, rnd_ptr: u32, rnd_len: u32) -> u32 {
    let random = Arg::new(rnd_ptr, rnd_len);
    let Some(c) = core(handle) else { return 0 };
    match c.client.trace_headers(isolation, random.bytes()) {
        Some(b) => ret_owned(b, 0),
        None => 0,
    }
}

/// Continues the trace of scope `id` from the parts the shim read from incoming headers
/// (`sampled`: 1 yes, 0 no, else deferred; `dsc` the JSON array of `Dsc::from_json`), or
/// restarts it when the trace id is absent; 1 when continued.
#[export_name = "continueTrace"]
#[allow(clippy::too_many_arguments)]
pub extern "C" fn continue_trace(handle: u32, id: u32, tr_ptr: u32, tr_len: u32, sp_ptr: u32, sp_len: u32, sampled: u32, dsc_ptr: u32, dsc_len: u32, rnd_ptr: u32, rnd_len: u32) -> u32 {
    let (tr, sp, dsc, random) = (Arg::new(tr_ptr, tr_len), Arg::new(sp_ptr, sp_len), Arg::new(dsc_ptr, dsc_len), Arg::new(rnd_ptr, rnd_len));
    let sampled = match sampled {
        0 => Some(false),
        1 => Some(true),
        _ => None,
    };
    let incoming = tr.opt().map(|trace_id| Incoming { trace_id, parent_span_id: sp.str(), sampled, dsc: dsc.opt() });
    core(handle).is_some_and(|c| c.client.continue_trace(id, incoming.as_ref(), random.bytes())) as u32
}

// ---- exports: release health (session.rs) ---------------------------------------------------

/// Why no session can be sent (no or an invalid `release`), else absent.
#[export_name = "sessionError"]
pub extern "C" fn session_error(handle: u32) -> u32 {
    let Some(c) = core(handle) else { return 0 };
    ret_opt(c.health.error())
}

/// Starts a page-view session for isolation scope `isolation` (its user id is the
/// session's `did`), ending the running one; `random` needs 16 bytes. 0 when no session
/// can be sent (`sessionError` says why) or the SDK is off.
#[cfg(feature = "runtime-browser")]
#[export_name = "startSession"]
pub extern "C" fn start_session(handle: u32, isolation: u32, now_ms: f64, rnd_ptr: u32, rnd_len: u32) -> u32 {
    let random = Arg::new(rnd_ptr, rnd_len);
    core(handle).is_some_and(|c| c.start_session(isolation, now_ms, random.bytes())) as u32
}

/// Ends the running page-view session (`exited` unless something went wrong).
#[cfg(feature = "runtime-browser")]
#[export_name = "endSession"]
pub extern "C" fn end_session(handle: u32, now_ms: f64) {
    if let Some(c) = core(handle) {
        c.health.end(now_ms);
    }
}

/// The session updates waiting to be sent as one envelope (then `category` is Session
/// and `quantity` the number of updates); absent when there are none.
#[cfg(feature = "runtime-browser")]
#[export_name = "takeSessionEnvelope"]
pub extern "C" fn take_session_envelope(handle: u32, now_ms: f64) -> u32 {
    let Some(c) = core(handle) else { return 0 };
    let env = c.health.take_envelope(c.client.envelope_dsn(), c.client.sdk(), now_ms);
    c.ret_registered(env)
}

/// Counts a server request handled in isolation scope `isolation` that ended now: the
/// worse of `status` (an unknown one reads as `errored`) and the error events sent from
/// that scope.
#[cfg(feature = "runtime-server")]
#[export_name = "recordRequestSession"]
pub extern "C" fn record_request_session(handle: u32, isolation: u32, status: u32, now_ms: f64) {
    let Some(c) = core(handle) else { return };
    if !c.client.is_enabled() {
        return;
    }
    let status = RequestSessionStatus::from_index(status).unwrap_or(RequestSessionStatus::Errored);
    let lost = c.health.record_request(isolation, status, now_ms);
    if lost > 0 {
        c.client.record(Reason::BufferOverflow, Category::Session, 1);
    }
}

/// The request aggregates waiting as an envelope with one `sessions` item (then
/// `category` is Session and `quantity` 1); absent when there are none.
#[cfg(feature = "runtime-server")]
#[export_name = "takeSessionAggregates"]
pub extern "C" fn take_session_aggregates(handle: u32, now_ms: f64) -> u32 {
    let Some(c) = core(handle) else { return 0 };
    let env = c.health.take_aggregates(c.client.envelope_dsn(), c.client.sdk(), now_ms);
    c.ret_registered(env)
}

// ---- exports: DSN ----------------------------------------------------------------------------

/// Parses a DSN with the core's parser. Accepted: the public DSN followed by the envelope
/// URL, with the public DSN's length in bytes as the extra word. Rejected: why, with 0.
#[export_name = "parseDsn"]
pub extern "C" fn parse_dsn(ptr: u32, len: u32) -> u32 {
    let text = Arg::new(ptr, len);
    match Dsn::parse(text.str()) {
        Ok(dsn) => {
            let mut out = dsn.to_public_string();
            let public = out.len() as u32;
            out.push_str(&dsn.envelope_url(pipeline::sentry_client()));
            ret_owned(out.into_bytes(), public)
        }
        Err(e) => ret_owned(e.message().into_bytes(), 0),
    }
}
