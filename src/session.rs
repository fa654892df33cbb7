//! Release health: the session of one user (browser "page view" sessions) and the
//! request-mode aggregates of servers, written as the payloads of Sentry's `session` and
//! `sessions` envelope items with `json::write`.
//!
//! The host decides *when* (a page view starts, an event was captured, the page hides,
//! a request ended); this module owns *what*: the state rules of a session and the bytes.
//! Time and the random bytes of a session id come in as arguments.
//!
//! State rules of one [`Session`]:
//! - it starts `ok` with `init: true` on its first update;
//! - an event with an unhandled exception marks it `crashed` (terminal);
//! - any other error-level event (not a `captureMessage`) adds one to `errors` and marks it
//!   `errored`; an `errored` session can still become `crashed`;
//! - ending it marks an `ok` session `exited`; `errored`, `crashed` and `abnormal` keep
//!   their status; a `crashed` or `abnormal` session takes no more changes;
//! - an update is due at once when the status changes; later errors of an already
//!   `errored` session ride on its next update (crash or end), so an error storm does not
//!   double the traffic.
//!
//! Request mode ([`Aggregates`]): each request handled by the server's isolation ends as
//! `exited`, `errored` or `crashed` and is counted in the bucket of the minute it started;
//! a flush writes one `sessions` item with at most [`MAX_BUCKETS_PER_ITEM`] buckets.

use crate::ids;
use crate::json::read;
use crate::json::write::{self as w, Arr, Obj};
use crate::outcomes::{one_item, writer};
use crate::protocol::envelope::Envelope;
use crate::reasons::Category;
use crate::time;

/// Random bytes a session id needs (a UUID v4).
pub const SID_RANDOM_BYTES: usize = 16;
/// Relay accepts at most this many buckets in one `sessions` item.
pub const MAX_BUCKETS_PER_ITEM: usize = 100;
/// Buckets kept while waiting for a flush; beyond this the oldest is dropped.
pub const MAX_PENDING_BUCKETS: usize = 4 * MAX_BUCKETS_PER_ITEM;
/// Longest release name Sentry accepts, in characters.
pub const MAX_RELEASE_CHARS: usize = 200;
/// Longest environment name Sentry accepts, in characters.
pub const MAX_ENVIRONMENT_CHARS: usize = 64;
/// Longest `did` written, in characters (longer user ids are cut).
pub const MAX_DID_CHARS: usize = 128;

/// The status of a session (the wire values of Sentry's protocol).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Status {
    /// Running, nothing wrong so far.
    Ok,
    /// Ended normally.
    Exited,
    /// Ended by an unhandled error.
    Crashed,
    /// Ended abruptly without a crash (not produced by this SDK, kept for completeness).
    Abnormal,
    /// Had handled errors (still running or ended).
    Errored,
}

impl Status {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Exited => "exited",
            Status::Crashed => "crashed",
            Status::Abnormal => "abnormal",
            Status::Errored => "errored",
        }
    }

    /// True when the session takes no more changes.
    pub fn is_final(self) -> bool {
        match self {
            Status::Exited | Status::Crashed | Status::Abnormal => true,
            Status::Ok | Status::Errored => false,
        }
    }
}

/// What a captured event does to the current session.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Effect {
    /// An exception with `mechanism.handled === false`: the session crashed.
    Crash,
    /// Another error-level event: one more error.
    Error,
    /// Nothing (below error level, or a message).
    None,
}

impl Effect {
    /// Classifies an event that is being sent: `level` is its level (`None` = the default,
    /// `error`), `message_only` is true for `captureMessage` (which never counts, whatever its
    /// level), `unhandled` is true when one of its exceptions has `mechanism.handled: false`.
    pub fn of_event(level: Option<&str>, message_only: bool, unhandled: bool) -> Effect {
        if unhandled {
            return Effect::Crash;
        }
        if message_only {
            return Effect::None;
        }
        match level {
            None | Some("error") | Some("fatal") => Effect::Error,
            Some(_) => Effect::None,
        }
    }
}

impl Effect {
    /// The effect of an event as it is sent (JSON text of the event): `Crash` when one of
    /// its exceptions has `mechanism.handled: false`; `Error` for another event with an
    /// exception at level `error` or `fatal` (the default); `None` otherwise (messages never
    /// count, as `captureMessage` must not).
    pub fn of_event_json(event: &str) -> Effect {
        Effect::of_view(&crate::protocol::event::View::of(event))
    }

    /// [`Effect::of_event_json`] for an event whose members are indexed.
    pub fn of_view(event: &crate::protocol::event::View) -> Effect {
        crate::protocol::summary::Summary::of_view(event).effect
    }
}

/// The distinct id for a user id value (JSON text): a string as is, a number as written.
pub fn did_of_user_id(id_json: &str) -> Option<String> {
    if let Some(s) = read::owned_string(id_json) {
        return Some(s);
    }
    let raw = crate::text::trim(id_json);
    read::number(raw).map(|_| raw.to_string())
}

/// Why a release cannot carry sessions (Sentry drops such sessions), or `None` when it can.
pub fn release_problem(release: &str) -> Option<&'static str> {
    if release.is_empty() {
        return Some("the release is empty");
    }
    if crate::text::char_count(release) > MAX_RELEASE_CHARS {
        return Some("the release is longer than 200 characters");
    }
    if crate::text::has_any(release, b"/\\") || crate::text::has_control(release) {
        return Some("the release contains a slash, backslash or control character");
    }
    if matches!(release, "." | "..") || release.eq_ignore_ascii_case("latest") {
        return Some("the release name is reserved (., .. or latest)");
    }
    None
}

/// The attributes every update of a client's sessions shares (`attrs`).
#[derive(Clone, Debug, PartialEq)]
pub struct Attrs {
    release: String,
    environment: Option<String>,
    user_agent: Option<String>,
}

impl Attrs {
    /// Attributes for `release`; `Err` is the sentence for debug logging that explains why
    /// no session can be sent. An environment Sentry would reject is left out (Sentry removes
    /// it too) rather than losing the session.
    pub fn new(release: Option<&str>, environment: Option<&str>, user_agent: Option<&str>) -> Result<Attrs, String> {
        let (release, problem) = match release {
            Some(r) => (r, release_problem(r)),
            None => ("", Some("no `release` is set")),
        };
        if let Some(problem) = problem {
            return Err(crate::text::cat(&["sessions are not sent: ", problem]));
        }
        let environment = environment.filter(|e| {
            // No `/` or control character, and one to so many characters.
            !e.is_empty() && !crate::text::contains_byte(e, b'/') && !crate::text::has_control(e) && crate::text::char_count(e) <= MAX_ENVIRONMENT_CHARS
        });
        Ok(Attrs {
            release: release.into(),
            environment: environment.map(Into::into),
            user_agent: user_agent.filter(|u| !u.is_empty()).map(Into::into),
        })
    }

    /// The release.
    pub fn release(&self) -> &str {
        &self.release
    }

    fn write(&self, out: &mut Vec<u8>) {
        let mut o = Obj::new(out);
        o.str("release", &self.release);
        if let Some(env) = &self.environment {
            o.str("environment", env);
        }
        if let Some(ua) = &self.user_agent {
            o.str("user_agent", ua);
        }
        o.end();
    }
}

fn cut_did(did: Option<&str>) -> Option<String> {
    let did = did.filter(|d| !d.is_empty())?;
    Some(crate::protocol::limits::cut(did, MAX_DID_CHARS).into())
}

/// One session (one page view in a browser).
#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    sid: String,
    did: Option<String>,
    init: bool,
    started_ms: f64,
    timestamp_ms: f64,
    status: Status,
    errors: u32,
    /// Changed since the last update was written.
    dirty: bool,
    /// Ended by the host: no more changes.
    ended: bool,
}

impl Session {
    /// A new `ok` session started at `now_ms`; `random` gives the id
    /// ([`SID_RANDOM_BYTES`] bytes), `did` the user id when one is set.
    pub fn start(random: &[u8], now_ms: f64, did: Option<&str>) -> Session {
        Session {
            sid: ids::uuid4(random),
            did: cut_did(did),
            init: true,
            started_ms: now_ms,
            timestamp_ms: now_ms,
            status: Status::Ok,
            errors: 0,
            dirty: true,
            ended: false,
        }
    }

    /// The session id (32 hex digits).
    pub fn sid(&self) -> &str {
        &self.sid
    }

    /// The current status.
    pub fn status(&self) -> Status {
        self.status
    }

    /// Errors counted so far.
    pub fn errors(&self) -> u32 {
        self.errors
    }

    /// True while the next update will be the first one (`init: true`).
    pub fn is_init(&self) -> bool {
        self.init
    }

    /// True when something changed since the last update was written.
    pub fn has_changes(&self) -> bool {
        self.dirty
    }

    /// Sets the distinct id (the user id; `None` clears it). Sent with the next update.
    pub fn set_did(&mut self, did: Option<&str>) {
        let did = cut_did(did);
        if self.did != did && self.takes_changes() {
            self.did = did;
            self.dirty = true;
        }
    }

    /// Applies a captured event's effect at `now_ms`. True when an update is due at once
    /// (the status changed).
    pub fn apply(&mut self, effect: Effect, now_ms: f64) -> bool {
        if !self.takes_changes() {
            return false;
        }
        let before = self.status;
        match effect {
            Effect::None => return false,
            Effect::Error => {
                self.errors = self.errors.saturating_add(1);
                self.status = Status::Errored;
            }
            Effect::Crash => {
                self.errors = self.errors.saturating_add(1);
                self.status = Status::Crashed;
            }
        }
        self.touch(now_ms);
        self.status != before
    }

    /// Ends the session at `now_ms` (`ok` → `exited`; other statuses stay). True when a
    /// final update is due (the status changed, or errors or the user changed since the last
    /// update). An ended session takes no more changes.
    pub fn end(&mut self, now_ms: f64) -> bool {
        if self.ended {
            return false;
        }
        self.ended = true;
        match self.status {
            Status::Ok => {
                self.status = Status::Exited;
                self.touch(now_ms);
            }
            Status::Errored if self.dirty => self.touch(now_ms),
            Status::Errored | Status::Exited | Status::Crashed | Status::Abnormal => {}
        }
        self.dirty
    }

    fn takes_changes(&self) -> bool {
        !self.ended && !self.status.is_final()
    }

    fn touch(&mut self, now_ms: f64) {
        if now_ms > self.timestamp_ms {
            self.timestamp_ms = now_ms;
        }
        self.dirty = true;
    }

    /// Writes the update as a `session` item payload and marks it sent (`init` is true only
    /// on the first update written).
    pub fn write_update(&mut self, attrs: &Attrs, out: &mut Vec<u8>) {
        let mut o = Obj::new(out);
        o.str("sid", &self.sid);
        if let Some(did) = &self.did {
            o.str("did", did);
        }
        o.bool("init", self.init);
        time::write_rfc3339(o.name("started"), self.started_ms);
        time::write_rfc3339(o.name("timestamp"), self.timestamp_ms);
        w::decimal(o.name("duration"), (self.timestamp_ms - self.started_ms).max(0.0) / 1000.0, 3);
        o.str("status", self.status.as_str());
        o.uint("errors", u64::from(self.errors));
        attrs.write(o.name("attrs"));
        o.end();
        self.init = false;
        self.dirty = false;
    }
}

/// The sessions of one client in page-view mode: at most one current session. Each
/// update carries the client's `attrs`, which the caller passes in (the client keeps the
/// one copy).
#[derive(Clone, Debug, Default)]
pub struct Tracker {
    current: Option<Session>,
}

impl Tracker {
    /// The current session, if one is running.
    pub fn current(&self) -> Option<&Session> {
        self.current.as_ref()
    }

    /// Starts a new session at `now_ms` (a page view or a navigation), ending the current
    /// one first. Returns the payloads due: the previous session's final update (if one is
    /// due) and the new session's first update, in that order.
    pub fn start(&mut self, attrs: &Attrs, random: &[u8], now_ms: f64, did: Option<&str>) -> Vec<Vec<u8>> {
        let mut due = Vec::with_capacity(2);
        if let Some(last) = self.end(attrs, now_ms) {
            due.push(last);
        }
        due.push(self.begin(attrs, random, now_ms, did));
        due
    }

    /// Starts a new session at `now_ms` in place of the current one (the caller ended it
    /// with [`Tracker::end`]); returns its first update.
    pub fn begin(&mut self, attrs: &Attrs, random: &[u8], now_ms: f64, did: Option<&str>) -> Vec<u8> {
        let mut session = Session::start(random, now_ms, did);
        let first = write_update(attrs, &mut session);
        self.current = Some(session);
        first
    }

    /// Applies a sent event's effect; returns the update when one is due at once.
    pub fn on_event(&mut self, attrs: &Attrs, effect: Effect, now_ms: f64) -> Option<Vec<u8>> {
        let session = self.current.as_mut()?;
        session.apply(effect, now_ms).then(|| write_update(attrs, session))
    }

    /// Sets the current session's distinct id (the user id); sent with its next update.
    pub fn set_did(&mut self, did: Option<&str>) {
        if let Some(s) = self.current.as_mut() {
            s.set_did(did);
        }
    }

    /// Ends the current session (page hide, navigation); returns its final update when one
    /// is due. Afterwards no session runs until [`Tracker::start`].
    pub fn end(&mut self, attrs: &Attrs, now_ms: f64) -> Option<Vec<u8>> {
        let session = self.current.as_mut()?;
        let update = session.end(now_ms).then(|| write_update(attrs, session));
        self.current = None;
        update
    }
}

/// A session's next update as a new payload.
fn write_update(attrs: &Attrs, session: &mut Session) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    session.write_update(attrs, &mut out);
    out
}

/// How one server request ended (request-mode sessions); crosses the boundary as a number.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u8)]
pub enum RequestSessionStatus {
    /// Handled without an error event: counted as `exited`.
    Exited = 0,
    /// An error event was captured while handling it.
    Errored = 1,
    /// An unhandled error ended it.
    Crashed = 2,
}

impl RequestSessionStatus {
    /// The status with this number, as it crosses the boundary; `None` for an unknown one.
    pub fn from_index(n: u32) -> Option<RequestSessionStatus> {
        [RequestSessionStatus::Exited, RequestSessionStatus::Errored, RequestSessionStatus::Crashed].get(n as usize).copied()
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Bucket {
    minute_ms: u64,
    exited: u32,
    errored: u32,
    crashed: u32,
}

/// Request-mode session counts per minute, waiting for the next flush.
#[derive(Clone, Debug, Default)]
pub struct Aggregates {
    /// Oldest minute first.
    buckets: Vec<Bucket>,
}

impl Aggregates {
    /// No counts.
    pub fn new() -> Aggregates {
        Aggregates::default()
    }

    /// True when nothing waits to be flushed.
    pub fn is_empty(&self) -> bool {
        self.buckets.is_empty()
    }

    /// Requests counted and not flushed yet.
    pub fn pending(&self) -> u64 {
        self.buckets.iter().map(|b| u64::from(b.exited) + u64::from(b.errored) + u64::from(b.crashed)).sum()
    }

    /// Counts one request that started at `started_ms`. Returns the number of requests
    /// lost to make room (the oldest minute, when [`MAX_PENDING_BUCKETS`] minutes wait), for
    /// the client report; usually 0.
    pub fn record(&mut self, status: RequestSessionStatus, started_ms: f64) -> u64 {
        let ms = if started_ms.is_finite() && started_ms > 0.0 { started_ms as u64 } else { 0 };
        let minute_ms = ms - ms % 60_000;
        // The first minute not before this one (the list is sorted, each minute once).
        let mut at = 0;
        while at < self.buckets.len() && self.buckets[at].minute_ms < minute_ms {
            at += 1;
        }
        if at == self.buckets.len() || self.buckets[at].minute_ms != minute_ms {
            self.buckets.insert(at, Bucket { minute_ms, exited: 0, errored: 0, crashed: 0 });
        }
        let b = &mut self.buckets[at];
        let count = match status {
            RequestSessionStatus::Exited => &mut b.exited,
            RequestSessionStatus::Errored => &mut b.errored,
            RequestSessionStatus::Crashed => &mut b.crashed,
        };
        *count = count.saturating_add(1);
        // At most one minute too many: the list was within the bound before this one.
        if self.buckets.len() > MAX_PENDING_BUCKETS {
            let gone = self.buckets.remove(0);
            return u64::from(gone.exited) + u64::from(gone.errored) + u64::from(gone.crashed);
        }
        0
    }

    /// Writes the oldest (at most [`MAX_BUCKETS_PER_ITEM`]) minutes as one `sessions` item
    /// payload and forgets them. False, writing nothing, when nothing is pending.
    pub fn write_item(&mut self, attrs: &Attrs, out: &mut Vec<u8>) -> bool {
        if self.buckets.is_empty() {
            return false;
        }
        let n = self.buckets.len().min(MAX_BUCKETS_PER_ITEM);
        let mut o = Obj::new(out);
        {
            let mut a = Arr::new(o.name("aggregates"));
            for b in &self.buckets[..n] {
                let mut item = Obj::new(a.item());
                time::write_rfc3339(item.name("started"), b.minute_ms as f64);
                if b.exited > 0 {
                    item.uint("exited", u64::from(b.exited));
                }
                if b.errored > 0 {
                    item.uint("errored", u64::from(b.errored));
                }
                if b.crashed > 0 {
                    item.uint("crashed", u64::from(b.crashed));
                }
                item.end();
            }
            a.end();
        }
        attrs.write(o.name("attrs"));
        o.end();
        let left = self.buckets.len() - n;
        self.buckets.copy_within(n.., 0);
        self.buckets.truncate(left);
        true
    }
}

/// Wraps session update payloads in one envelope (`session` items; category `session`,
/// quantity = the number of updates). `dsn` is named in the header when given (tunnel);
/// `sdk` is `(name, version)`. None when there is nothing to send.
pub fn updates_envelope(updates: &[Vec<u8>], dsn: Option<&str>, sdk: (&str, &str), now_ms: f64) -> Option<Envelope> {
    if updates.is_empty() {
        return None;
    }
    let mut size = 0;
    for u in updates {
        size += u.len() + 32;
    }
    let mut e = writer(now_ms, size, dsn, sdk);
    for u in updates {
        e.item_bytes("session", u);
    }
    Some(e.finish(Category::Session, updates.len() as u32))
}

impl Aggregates {
    /// Takes the oldest pending minutes as an envelope with one `sessions` item (category
    /// `session`, quantity 1); None when nothing is pending. Header as [`updates_envelope`].
    pub fn take_envelope(&mut self, attrs: &Attrs, dsn: Option<&str>, sdk: (&str, &str), now_ms: f64) -> Option<Envelope> {
        let mut payload = Vec::new();
        if !self.write_item(attrs, &mut payload) {
            return None;
        }
        Some(one_item(now_ms, dsn, sdk, "sessions", &payload, Category::Session))
    }
}

/// Isolation scopes whose sent error events are remembered for request-mode sessions.
pub const MAX_TRACKED_ISOLATIONS: usize = 1024;

/// Everything release health keeps for one client: the page-view session (browsers), the
/// updates waiting to be sent, the worst event effect per isolation scope and the request
/// aggregates (servers). The bindings forward to it.
#[derive(Clone, Debug)]
pub struct Health {
    attrs: Result<Attrs, String>,
    #[cfg(feature = "runtime-browser")]
    tracker: Tracker,
    #[cfg(feature = "runtime-browser")]
    pending: Vec<Vec<u8>>,
    #[cfg(feature = "runtime-server")]
    isolations: Vec<(u32, Effect)>,
    #[cfg(feature = "runtime-server")]
    aggregates: Aggregates,
}

impl Health {
    /// Release health for a client with these options (`user_agent` only in browsers).
    pub fn new(release: Option<&str>, environment: Option<&str>, user_agent: Option<&str>) -> Health {
        Health {
            attrs: Attrs::new(release, environment, user_agent),
            #[cfg(feature = "runtime-browser")]
            tracker: Tracker::default(),
            #[cfg(feature = "runtime-browser")]
            pending: Vec::new(),
            #[cfg(feature = "runtime-server")]
            isolations: Vec::new(),
            #[cfg(feature = "runtime-server")]
            aggregates: Aggregates::new(),
        }
    }

    /// Why no session can be sent (no or a bad release), or None.
    pub fn error(&self) -> Option<&str> {
        self.attrs.as_ref().err().map(String::as_str)
    }

    /// Starts a page-view session (ending the running one). False when sessions cannot be
    /// sent ([`Health::error`] says why).
    #[cfg(feature = "runtime-browser")]
    pub fn start(&mut self, random: &[u8], now_ms: f64, did: Option<&str>) -> bool {
        let attrs = match &self.attrs {
            Ok(a) => a,
            Err(_) => return false,
        };
        let last = self.tracker.end(attrs, now_ms);
        let first = self.tracker.begin(attrs, random, now_ms, did);
        if let Some(update) = last {
            self.queue(update);
        }
        self.queue(first);
        true
    }

    /// Ends the running page-view session, if any.
    #[cfg(feature = "runtime-browser")]
    pub fn end(&mut self, now_ms: f64) {
        // (A session runs only when the attributes are valid.)
        let update = match &self.attrs {
            Ok(attrs) => self.tracker.end(attrs, now_ms),
            Err(_) => None,
        };
        if let Some(update) = update {
            self.queue(update);
        }
    }

    /// Sets the running session's distinct id (the user id), sent with its next update.
    pub fn set_did(&mut self, did: Option<&str>) {
        #[cfg(feature = "runtime-browser")]
        self.tracker.set_did(did);
    }

    /// An event was sent from isolation scope `isolation`: the running page-view session
    /// takes its effect (a due update is queued), and a request in that isolation scope
    /// will count as errored or crashed.
    /// Returns true when a page-view session's update was queued.
    pub fn event_sent(&mut self, isolation: u32, effect: Effect, now_ms: f64) -> bool {
        if effect == Effect::None {
            return false;
        }
        #[allow(unused_mut)]
        let mut queued = false;
        #[cfg(feature = "runtime-browser")]
        {
            let update = match &self.attrs {
                Ok(attrs) => self.tracker.on_event(attrs, effect, now_ms),
                Err(_) => None,
            };
            if let Some(update) = update {
                self.queue(update);
                queued = true;
            }
        }
        #[cfg(feature = "runtime-server")]
        match self.isolations.iter_mut().find(|(id, _)| *id == isolation) {
            Some(slot) => {
                if slot.1 != Effect::Crash {
                    slot.1 = effect;
                }
            }
            None => {
                if self.isolations.len() >= MAX_TRACKED_ISOLATIONS {
                    // the oldest, taken as `seen` takes it (each scope is listed once)
                    self.seen(self.isolations[0].0);
                }
                self.isolations.push((isolation, effect));
            }
        }
        queued
    }

    /// Forgets what was remembered for an isolation scope (it was dropped).
    pub fn forget(&mut self, isolation: u32) {
        #[cfg(feature = "runtime-server")]
        self.seen(isolation);
    }

    /// Counts a request handled in `isolation` that ended at `now_ms`: the worse of `status`
    /// and the events sent from that isolation scope. Returns requests lost to the bound of
    /// pending minutes (for the client report). Nothing is counted without a release.
    #[cfg(feature = "runtime-server")]
    pub fn record_request(&mut self, isolation: u32, status: RequestSessionStatus, now_ms: f64) -> u64 {
        let seen = self.seen(isolation);
        if self.attrs.is_err() {
            return 0;
        }
        let status = match (status, seen) {
            (RequestSessionStatus::Crashed, _) | (_, Some(Effect::Crash)) => RequestSessionStatus::Crashed,
            (RequestSessionStatus::Errored, _) | (_, Some(Effect::Error)) => RequestSessionStatus::Errored,
            (RequestSessionStatus::Exited, Some(Effect::None) | None) => RequestSessionStatus::Exited,
        };
        self.aggregates.record(status, now_ms)
    }

    /// The queued session updates as one envelope (at most 100 updates; the rest stay).
    #[cfg(feature = "runtime-browser")]
    pub fn take_envelope(&mut self, dsn: Option<&str>, sdk: (&str, &str), now_ms: f64) -> Option<Envelope> {
        let n = self.pending.len().min(MAX_UPDATES_PER_ENVELOPE);
        let env = updates_envelope(&self.pending[..n], dsn, sdk, now_ms);
        self.drop_oldest(n);
        env
    }

    /// Removes the `n` oldest queued updates (the sent ones, or one over the bound); at
    /// most 200 wait, so removing them one by one moves few pointers.
    #[cfg(feature = "runtime-browser")]
    fn drop_oldest(&mut self, n: usize) {
        for _ in 0..n {
            self.pending.remove(0);
        }
    }

    /// Takes what was remembered for an isolation scope (each is listed at most once).
    #[cfg(feature = "runtime-server")]
    fn seen(&mut self, isolation: u32) -> Option<Effect> {
        for i in 0..self.isolations.len() {
            if self.isolations[i].0 == isolation {
                return Some(self.isolations.remove(i).1);
            }
        }
        None
    }

    /// The pending request aggregates as an envelope with one `sessions` item.
    #[cfg(feature = "runtime-server")]
    pub fn take_aggregates(&mut self, dsn: Option<&str>, sdk: (&str, &str), now_ms: f64) -> Option<Envelope> {
        let Ok(attrs) = &self.attrs else { return None };
        self.aggregates.take_envelope(attrs, dsn, sdk, now_ms)
    }

    #[cfg(feature = "runtime-browser")]
    fn queue(&mut self, update: Vec<u8>) {
        // Never sent (the host stopped taking them): keep the newest (the list is at most
        // full before the push, so one removal is enough).
        if self.pending.len() >= MAX_PENDING_UPDATES {
            self.drop_oldest(1);
        }
        self.pending.push(update);
    }
}

/// Relay accepts at most this many session updates in one envelope.
pub const MAX_UPDATES_PER_ENVELOPE: usize = 100;
/// Session updates kept while waiting to be taken.
pub const MAX_PENDING_UPDATES: usize = 2 * MAX_UPDATES_PER_ENVELOPE;

#[cfg(test)]
#[path = "session_tests.rs"]
mod tests;
