//! Stage 4 of the pipeline (see `mod.rs`): the event built from the capture input, the
//! scopes, the host's context and the trace, as typed parts written once; the exception
//! values are read, linked to their debug images and scrubbed as typed strings.

use super::*;

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
pub(super) struct Input<'a> {
    pub(super) timestamp: f64,
    /// Each member's raw text by its place in [`INPUT_KEYS`], read where it is used (the
    /// strings are copied out there, once).
    raw: [Option<&'a str>; 12],
    /// The stacks `exception` refers to by index, each after a 0xFF byte (`Thrown::parse`).
    pub(super) stacks: &'a [u8],
}

impl<'a> Input<'a> {
    /// Reads the JSON `text`, with the stacks it refers to by index.
    pub(super) fn parse(text: &'a str, stacks: &'a [u8]) -> Option<Input<'a>> {
        // Each known member's raw text by its place in `INPUT_KEYS` (a later one wins; a
        // null leaves an earlier JSON member in place); the timestamp typed here.
        let mut raw: [Option<&str>; 12] = [None; 12];
        for (k, v) in &read::fields(text)? {
            let v = *v;
            let mut i = 0;
            while i < INPUT_KEYS.len() && INPUT_KEYS[i] != k {
                i += 1;
            }
            if i < 5 || (i < INPUT_KEYS.len() && !read::is_null(v)) {
                raw[i] = Some(v);
            }
        }
        Some(Input {
            timestamp: raw[1].and_then(read::number).unwrap_or(0.0),
            raw,
            stacks,
        })
    }

    /// The raw JSON text of the member at `at` in [`INPUT_KEYS`].
    pub(super) fn raw(&self, at: usize) -> Option<&'a str> {
        self.raw[at]
    }

    /// The string member at `at` in [`INPUT_KEYS`] (`eventId`, `message`, `url`), if it
    /// is a string.
    pub(super) fn string(&self, at: usize) -> Option<String> {
        self.raw[at].and_then(read::owned_string)
    }
}

/// What stage 4 hands on. The caller takes each part where it is used (a struct, not a
/// tuple taken apart at once: the parts are not copied out before they are needed).
pub(super) struct Built {
    /// The event's text, without `_meta`.
    pub(super) text: Vec<u8>,
    /// Where each top-level member's value lies in `text`.
    pub(super) spans: crate::protocol::event::Spans,
    /// The summary from the typed parts, unless the exception came from the app's own event.
    pub(super) summary: Option<Summary>,
    /// The `_meta` of what was scrubbed.
    pub(super) meta: EventMeta,
    /// The envelope's DSC.
    pub(super) dsc: Option<Dsc>,
}

/// The capture input's members: five scalars, then seven JSON values kept as text.
const INPUT_KEYS: [&str; 12] = ["eventId", "timestamp", "level", "message", "url", "exception", "mechanism", "event", "trace", "debugIds", "wasm", "sources"];
/// Places in [`INPUT_KEYS`] of the members read where they are used.
pub(super) const EVENT_ID: usize = 0;
const LEVEL: usize = 2;
const MESSAGE: usize = 3;
const URL: usize = 4;
const EXCEPTION: usize = 5;
const MECHANISM: usize = 6;
const EVENT: usize = 7;
const TRACE: usize = 8;
const DEBUG_IDS: usize = 9;
const WASM: usize = 10;
#[cfg(feature = "runtime-server")]
const SOURCES: usize = 11;

impl Client {
    /// The level the capture context names ([`scope::level`]), else the most specific scope's.
    fn scope_level(&self, input: &Input, ids: ScopeIds) -> Option<&'static str> {
        input.raw(LEVEL).and_then(scope::level_of).or_else(|| [ids.current, ids.isolation, ids.global].into_iter().find_map(|id| self.scope(id)?.level))
    }

    /// What an error dropped before it was built (the server's rate limit, a full send
    /// buffer) does to the session: as a transport's drop, it still counts (Sentry's
    /// session protocol counts every error the app captured and did not filter out).
    pub fn shed_effect(&self, input: &str, ids: ScopeIds) -> crate::session::Effect {
        let Some(input) = Input::parse(input, &[]) else { return crate::session::Effect::None };
        let unhandled = Mechanism::parse(input.raw(MECHANISM).unwrap_or("")).handled == Some(false);
        crate::session::Effect::of_event(self.scope_level(&input, ids), input.raw(EXCEPTION).is_none(), unhandled)
    }

    /// Stage 3: the event from the input, the scopes, host context and trace (see
    /// [`Built`]).
    pub(super) fn build(&mut self, input: &Input, event_id: &str, ids: ScopeIds, random: &[u8]) -> Built {
        // Trace: the linked request's, else the isolation scope's.
        let link = input.raw(TRACE).and_then(TraceLink::parse).map(TraceLink::resolve);
        let (p, src) = self.propagation_and_source(ids.isolation, random);
        let mut trace_ctx = Vec::new();
        let dsc = match link.filter(|((t, _), _)| *t != p.trace_id) {
            Some(((t, s), dsc)) => {
                trace::write_trace_context(&mut trace_ctx, &t, &s, None);
                dsc
            }
            None => {
                p.write_trace_context(&mut trace_ctx);
                src.map(|s| p.freeze_dsc(&s))
            }
        };
        let cfg = &self.pii;
        let mut meta = EventMeta::default();
        let mut own = OwnData::default();
        if let Some(ev) = input.raw(EVENT) {
            own.read(ev, input.timestamp, cfg, &mut meta);
        }
        // The capture's own message and exception win over the event's. Only
        // `captureMessage` defaults to `info`; a whole event without a level is an error, as
        // Sentry's server reads it.
        let mut is_message = false;
        // Debug images of the files in the frames, unless the app's event brought its own;
        // wasm frames are linked to theirs by index.
        let images = if own.other.iter().any(|(k, _)| k == "debug_meta") { Vec::new() } else { debug_meta::read_images(input.raw(DEBUG_IDS), input.raw(WASM)) };
        if let Some(msg) = &input.string(MESSAGE) {
            own.logentry = Some(logentry(msg, cfg, &mut meta));
            is_message = true;
        }
        if let Some(raw) = input.raw(EXCEPTION) {
            let mechanism = Mechanism::parse(input.raw(MECHANISM).unwrap_or(""));
            let mut budget = self.options.max_linked_errors;
            if let Some(t) = Thrown::parse(raw, input.stacks, &mut budget) {
                self.read_thrown(&t, &mechanism, &images, input, &mut own, &mut meta, &mut is_message);
            }
        }
        let trace_entry = Entry { key: "trace".into(), json: trace_ctx, meta: Default::default() };

        let empty = Scope::default();
        let get = |id: u32| self.scope(id).unwrap_or(&empty);
        let (cur, iso, glo) = (get(ids.current), get(ids.isolation), get(ids.global));
        let cfg = &self.pii;
        // Every scope's breadcrumbs and the event's; the event borrows the newest.
        let mut crumbs: Vec<Rc<Crumb>> = Vec::new();
        // The capture context's level, else the most specific scope's, else the event's own
        // (a scope's level applies to every event captured in it, as Sentry's scopes do).
        let level = self.scope_level(input, ids).or(own.level);
        let request = match own.request {
            Some(r) => Some(r),
            None => input.string(URL).filter(|u| !u.is_empty()).map(|url| request(&url, self.options.host.user_agent.as_deref(), cfg, &mut meta)),
        };
        let release = match own.release {
            Some(r) => Some(r),
            None => self.options.release.as_deref().map(json_string),
        };
        let environment = match own.environment {
            Some(e) => e,
            None => json_string(&self.options.environment),
        };
        let http_status = own.http_status;
        let mut ev = Event {
            event_id,
            timestamp_ms: own.timestamp_ms.unwrap_or(input.timestamp),
            level: level.unwrap_or(if is_message { "info" } else { "error" }),
            tags: merge_entries(&[&own.tags, &cur.tags, &iso.tags, &glo.tags]),
            extra: merge_entries(&[own.serialized.as_slice(), &own.extra, &cur.extra, &iso.extra, &glo.extra]),
            contexts: merge_entries(&[&own.contexts, &cur.contexts, &iso.contexts, &glo.contexts, &self.host_contexts, std::slice::from_ref(&trace_entry)]),
            user: merge_entries(&[&own.user, &cur.user, &iso.user, &glo.user]),
            fingerprint: own.fingerprint.as_ref().or(cur.fingerprint.as_ref()).or(iso.fingerprint.as_ref()).or(glo.fingerprint.as_ref()),
            transaction: own.transaction.as_ref().or(cur.transaction.as_ref()).or(iso.transaction.as_ref()).or(glo.transaction.as_ref()),
            logentry: own.logentry,
            exception: own.exception,
            request,
            release,
            environment: Some(environment),
            other: own.other,
            sdk: (&self.sdk_name, VERSION, cfg.sdk_settings.then_some(if cfg.infer_ip { "auto" } else { "never" })),
            breadcrumbs: &[],
        };
        // IP inference (`{{auto}}`), written by the builder, never by the app's data.
        // (Merged keys are unique: at most one `ip_address`, replaced unless it has a value.)
        let auto_ip;
        if cfg.infer_ip {
            // (the index of the `ip_address` entry; the list's length when there is none)
            let mut at = 0;
            while at < ev.user.len() && ev.user[at].key != "ip_address" {
                at += 1;
            }
            if at == ev.user.len() || ev.user[at].json == b"null" {
                auto_ip = Entry { key: "ip_address".into(), json: String::from("\"{{auto}}\"").into_bytes(), meta: Default::default() };
                if at < ev.user.len() {
                    ev.user.remove(at);
                }
                ev.user.push(&auto_ip);
            }
        }
        if let Some(bytes) = debug_images(images, cfg) {
            ev.other.push(("debug_meta".into(), bytes));
        }
        // Breadcrumbs: every scope's and the event's, in time order, newest kept.
        let max = self.options.max_breadcrumbs;
        if max > 0 {
            for list in [&glo.breadcrumbs, &iso.breadcrumbs, &cur.breadcrumbs, &own.crumbs] {
                for c in list.iter() {
                    crumbs.push(c.clone());
                }
            }
            insertion_sort_by_time(&mut crumbs);
            let kept = &crumbs[crumbs.len().saturating_sub(max)..];
            for (i, c) in kept.iter().enumerate() {
                if let Some(m) = &c.meta {
                    meta.crumbs.push((i, m.clone()));
                }
            }
            ev.breadcrumbs = kept;
        }
        for chosen in [&ev.tags[..], &ev.extra, &ev.contexts, &ev.user, ev.fingerprint.as_slice(), ev.transaction.as_slice()] {
            meta.frags.extend(chosen.iter().filter_map(|e| e.meta.clone()));
        }
        let mut out = Vec::with_capacity(4096);
        let spans = ev.write(&mut out);
        // The summary from the typed parts, unless the exception came from the app's own
        // event (then it is read from the text).
        let values = match &own.values {
            Some(values) => Some(&values[..]),
            None if ev.exception.is_none() => Some(&[][..]),
            None => None,
        };
        let summary = values.map(|v| Summary::typed(&ev, v, http_status));
        // Native builds check every capture: the typed summary is what the text says (but
        // its HTTP status, which is the thrown value's, not a `response` context's).
        #[cfg(test)]
        if let Some(s) = &summary {
            let text = crate::text::str_of(&out).unwrap_or_default();
            let mut read = Summary::of_view(&View::of(text));
            read.subjects.status = s.subjects.status;
            assert_eq!(*s, read, "typed summary differs from the text's for {text}");
        }
        Built { text: out, spans, summary, meta, dsc }
    }

    #[allow(clippy::too_many_arguments)]
    fn read_thrown(&self, t: &Thrown, mechanism: &Mechanism, images: &[debug_meta::Image], input: &Input, own: &mut OwnData, meta: &mut EventMeta, is_message: &mut bool) {
        let cfg = &self.pii;
        let rejection = mechanism.kind.as_deref().unwrap_or("").ends_with("onunhandledrejection");
        if t.kind == Kind::Str && !rejection {
            // A thrown string is the event's message: Sentry and Bugsink title and group
            // by it (a frameless synthetic exception would land in one bucket).
            // (`logentry` cuts it to the longest value kept.)
            own.logentry = Some(logentry(t.text.as_deref().unwrap_or(""), cfg, meta));
            *is_message = false;
            return;
        }
        let mut values = exception::values_cached(t, mechanism, self.options.max_linked_errors, &mut self.stacks.borrow_mut());
        #[cfg(feature = "wasm-images")]
        values.iter_mut().for_each(|v| debug_meta::link_frames(&mut v.frames, images));
        // Lines of source the host read for the frames (before their files are scrubbed).
        #[cfg(feature = "runtime-server")]
        if let Some(sources) = input.raw(SOURCES) {
            crate::protocol::source_context::attach(&mut values, sources);
        }
        #[cfg(not(feature = "runtime-server"))]
        let _ = input;
        exception::scrub_values(&mut values, cfg, &mut meta.log);
        let mut out = Vec::new();
        exception::write_values(&values, mechanism.kind(), &mut out);
        own.exception = Some(out);
        own.values = Some(values);
        if let Some(data) = t.data {
            // Merged first, so it wins over an `extra` of that name (which is then not
            // sent, nor its `_meta`).
            own.serialized = scope::extra_entry("__serialized__", data, cfg);
        }
        own.http_status = t.http_status;
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


/// Appends `(key, value)` to a list that holds each key once, removing the key's earlier
/// entry (an app's event members, the size cap's records).
pub(super) fn put_last(list: &mut Vec<(String, Vec<u8>)>, key: String, value: Vec<u8>) {
    let mut i = 0;
    while i < list.len() && list[i].0 != key {
        i += 1;
    }
    if i < list.len() {
        list.remove(i);
    }
    list.push((key, value));
}

fn json_string(s: &str) -> Vec<u8> {
    let mut v = Vec::with_capacity(s.len() + 2);
    w::string(&mut v, s);
    v
}

/// `{"<key>":"<text>"` with `text` scrubbed at `field.key`, the object left open for the
/// caller to add to and close (one routine for `logentry` and `request`).
fn scrubbed_member(field: &'static str, key: &'static str, text: &str, cfg: &PiiConfig, meta: &mut EventMeta) -> Vec<u8> {
    let v = scrub::scrub_str(text, &[Seg::Key(field), Seg::Key(key)], cfg, &mut meta.log);
    let mut out = Vec::with_capacity(v.len() + 64);
    Obj::new(&mut out).str(key, &v);
    out
}

fn logentry(msg: &str, cfg: &PiiConfig, meta: &mut EventMeta) -> Vec<u8> {
    let msg = exception::truncate(msg, exception::MAX_VALUE_CHARS);
    let mut out = scrubbed_member("logentry", "formatted", &msg, cfg, meta);
    out.push(b'}');
    out
}

fn request(url: &str, user_agent: Option<&str>, cfg: &PiiConfig, meta: &mut EventMeta) -> Vec<u8> {
    let mut out = scrubbed_member("request", "url", url, cfg, meta);
    if let Some(ua) = user_agent {
        // (`"headers":{"User-Agent":…}`: an object of one member, written as text)
        out.extend_from_slice(br#","headers":{"User-Agent":"#);
        w::string(&mut out, ua);
        out.push(b'}');
    }
    out.push(b'}');
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
    // Remarks about a frame path would point at the wrong field: the file is checked, its
    // remarks go to a log that is dropped.
    let mut unused = scrub::MetaLog::default();
    for image in &mut images {
        let named = crate::stacktrace::frame_filename(image.code_file());
        let file = scrub::scrub_str(&named, &path, cfg, &mut unused).into_owned();
        image.set_code_file(file);
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
    /// The thrown value's `data` as the `__serialized__` extra, which wins over the others.
    serialized: Option<Entry>,
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
    /// The HTTP status of the thrown value (the one `ignoreHttpStatus` reads).
    http_status: Option<u16>,
}

impl OwnData {
    fn read(&mut self, text: &str, now_ms: f64, cfg: &PiiConfig, meta: &mut EventMeta) {
        let Some(members) = read::fields(text) else { return };
        let copy = |key: &str, raw: &str, meta: &mut EventMeta| -> Option<Vec<u8>> {
            let mut out = Vec::with_capacity(raw.len());
            scrub::scrub_json(raw, &[Seg::Key(key)], cfg, &mut out, &mut meta.log).ok().map(|_| out)
        };
        for (k, v) in &members {
            let v = *v;
            if read::is_null(v) {
                continue;
            }
            // The members copied through the scrubber as they are, and the lists of
            // entries, pick their slot here and share one call below.
            let slot = match &**k {
                "event_id" | "platform" | "sdk" | "_meta" | "type" => continue,
                "timestamp" => {
                    self.timestamp_ms = read::number(v).map(|s| s * 1000.0);
                    continue;
                }
                "level" => {
                    self.level = scope::level_of(v);
                    continue;
                }
                "message" => {
                    if self.logentry.is_none() {
                        self.logentry = match read::owned_string(v) {
                            Some(m) => Some(logentry(&m, cfg, meta)),
                            None => copy("logentry", v, meta),
                        };
                    }
                    continue;
                }
                "logentry" => Slot::Copy(&mut self.logentry),
                "exception" => Slot::Copy(&mut self.exception),
                "request" => Slot::Copy(&mut self.request),
                "release" => Slot::Copy(&mut self.release),
                "environment" => Slot::Copy(&mut self.environment),
                "tags" => Slot::Entries(&mut self.tags, scope::tag_entry),
                "extra" => Slot::Entries(&mut self.extra, scope::extra_entry),
                "contexts" => Slot::Entries(&mut self.contexts, scope::context_entry),
                "user" => Slot::Entries(&mut self.user, scope::user_entry),
                "fingerprint" => Slot::Entry(&mut self.fingerprint, scope::fingerprint_entry),
                "transaction" => Slot::Entry(&mut self.transaction, scope::transaction_entry),
                "breadcrumbs" => {
                    let list = read::field(v, "values").unwrap_or(v);
                    if let Some(items) = read::elements(list) {
                        for item in items {
                            if let Some(c) = scope::crumb(item, now_ms, cfg) {
                                self.crumbs.push(c);
                            }
                        }
                    }
                    continue;
                }
                other => {
                    if let Some(bytes) = copy(other, v, meta) {
                        let key = exception::truncate(other, scope::MAX_KEY_CHARS);
                        // (Each key is in the list once: the later member replaces it.)
                        put_last(&mut self.other, key, bytes);
                    }
                    continue;
                }
            };
            match slot {
                Slot::Copy(slot) => *slot = copy(k, v, meta),
                Slot::Entries(list, entry) => *list = scope::entries(v, cfg, entry),
                Slot::Entry(one, entry) => *one = entry(v, cfg),
            }
        }
    }
}

/// Where `OwnData::read` puts a member: scrubbed through as it is, or as an entry or a
/// list of entries made by a function (one assignment for each kind, not one per member).
enum Slot<'a> {
    Copy(&'a mut Option<Vec<u8>>),
    Entries(&'a mut Vec<Entry>, scope::EntryMaker),
    Entry(&'a mut Option<Entry>, fn(&str, &PiiConfig) -> Option<Entry>),
}
