//! The error event as typed data: every field is either a scalar the core computed or a
//! JSON fragment that was scrubbed once (scope data when it was set, capture data when
//! it arrived). [`Event::write`] writes it straight to bytes, in one fixed field order,
//! without `_meta` (see `meta.rs`: the pipeline appends it once the event is final).

use std::borrow::Cow;
use std::ops::Range;
use std::rc::Rc;

use crate::json::read::{self, Index};
use crate::json::write::{self as w, Arr, Obj};
use crate::scope::{Crumb, Entry};

/// A built event.
#[derive(Debug, Clone, Default)]
pub struct Event<'s> {
    /// 32 hex digits.
    pub event_id: &'s str,
    /// Unix milliseconds.
    pub timestamp_ms: f64,
    /// `fatal`, `error`, `warning`, `info` or `debug`.
    pub level: &'static str,
    /// `logentry` (an object), scrubbed.
    pub logentry: Option<Vec<u8>>,
    /// `exception` (an object with `values`), scrubbed.
    pub exception: Option<Vec<u8>>,
    /// Merged tags, most specific first.
    pub tags: Vec<&'s Entry>,
    /// Merged extras.
    pub extra: Vec<&'s Entry>,
    /// Merged contexts.
    pub contexts: Vec<&'s Entry>,
    /// Merged user fields.
    pub user: Vec<&'s Entry>,
    /// `request`, scrubbed.
    pub request: Option<Vec<u8>>,
    /// `fingerprint`.
    pub fingerprint: Option<&'s Entry>,
    /// `transaction`.
    pub transaction: Option<&'s Entry>,
    /// Breadcrumbs, oldest first.
    pub breadcrumbs: &'s [Rc<Crumb>],
    /// `release` (JSON text).
    pub release: Option<Vec<u8>>,
    /// `environment` (JSON text).
    pub environment: Option<Vec<u8>>,
    /// `sdk.name`, `sdk.version`, and `sdk.settings.infer_ip` when set.
    pub sdk: (&'s str, &'static str, Option<&'static str>),
    /// Other top-level fields the app's event carried, scrubbed.
    pub other: Vec<(String, Vec<u8>)>,
}

fn entries(o: &mut Obj, spans: &mut Spans, key: &'static str, list: &[&Entry]) {
    if list.is_empty() {
        return;
    }
    let start = o.name(key).len();
    let mut m = Obj::new(o.out());
    for e in list {
        m.raw(&e.key, &e.json);
    }
    m.end();
    mark(o, spans, key, start);
}

/// Where each top-level member's value lies in the written text, in order, so that the
/// pipeline can look fields up without reading the text again.
pub type Spans = Vec<(Cow<'static, str>, Range<usize>)>;

/// Writes member `key` with the value's bytes and records its span.
fn raw(o: &mut Obj, spans: &mut Spans, key: Cow<'static, str>, value: &[u8]) {
    let start = o.key(&key).len();
    o.out().extend_from_slice(value);
    spans.push((key, start..o.out().len()));
}

/// Records the span of member `key`, whose value starts at `start` and ends where the
/// text ends. One routine for every member with a constant key.
#[inline(never)]
fn mark(o: &mut Obj, spans: &mut Spans, key: &'static str, start: usize) {
    spans.push((key.into(), start..o.out().len()));
}

/// Writes member `key` with the string `value` and records its span (one routine for
/// the event id, the platform and the level).
#[inline(never)]
fn string(o: &mut Obj, spans: &mut Spans, key: &'static str, value: &str) {
    let start = o.name(key).len();
    w::string(o.out(), value);
    mark(o, spans, key, start);
}

/// [`raw`] for a member that may be absent.
fn opt(o: &mut Obj, spans: &mut Spans, key: &'static str, value: Option<&[u8]>) {
    if let Some(v) = value {
        let start = o.name(key).len();
        o.out().extend_from_slice(v);
        mark(o, spans, key, start);
    }
}

impl Event<'_> {
    /// Writes the event object (without `_meta`); returns the members' spans.
    pub fn write(&self, out: &mut Vec<u8>) -> Spans {
        let mut spans = Spans::with_capacity(20);
        let sp = &mut spans;
        let mut o = Obj::new(out);
        // Values written here are marked from after their key to the end of the text.
        string(&mut o, sp, "event_id", self.event_id);
        let start = o.name("timestamp").len();
        w::seconds(o.out(), self.timestamp_ms);
        mark(&mut o, sp, "timestamp", start);
        string(&mut o, sp, "platform", "javascript");
        string(&mut o, sp, "level", self.level);
        opt(&mut o, sp, "logentry", self.logentry.as_deref());
        opt(&mut o, sp, "exception", self.exception.as_deref());
        entries(&mut o, sp, "tags", &self.tags);
        entries(&mut o, sp, "extra", &self.extra);
        entries(&mut o, sp, "contexts", &self.contexts);
        entries(&mut o, sp, "user", &self.user);
        opt(&mut o, sp, "request", self.request.as_deref());
        opt(&mut o, sp, "fingerprint", self.fingerprint.map(|f| &f.json[..]));
        opt(&mut o, sp, "transaction", self.transaction.map(|t| &t.json[..]));
        if !self.breadcrumbs.is_empty() {
            let start = o.name("breadcrumbs").len();
            let mut b = Obj::new(o.out());
            let mut a = Arr::new(b.name("values"));
            for c in self.breadcrumbs {
                a.raw(&c.json);
            }
            a.end();
            b.end();
            mark(&mut o, sp, "breadcrumbs", start);
        }
        opt(&mut o, sp, "release", self.release.as_deref());
        opt(&mut o, sp, "environment", self.environment.as_deref());
        let start = o.name("sdk").len();
        let (name, version, infer_ip) = self.sdk;
        crate::outcomes::write_sdk(o.out(), (name, version), infer_ip);
        mark(&mut o, sp, "sdk", start);
        for (k, v) in &self.other {
            raw(&mut o, sp, k.clone().into(), v);
        }
        o.end();
        spans
    }
}

/// An event's text read once for the pipeline's lookups (dedupe, filters, sessions, the
/// envelope's trace): its members, its exception values and its contexts.
pub struct View<'a> {
    /// The top-level members.
    pub members: Index<'a>,
    /// `exception.values`, oldest first (raw texts).
    pub exceptions: Vec<&'a str>,
    /// The members of `contexts`.
    pub contexts: Index<'a>,
}

impl<'a> View<'a> {
    /// Reads an event given as JSON text.
    pub fn of(text: &'a str) -> View<'a> {
        View::new(Index::of(text))
    }

    /// An event the core wrote, at the spans its writer recorded.
    pub fn of_spans(text: &'a str, spans: Spans) -> View<'a> {
        View::new(Index::of_spans(text, spans))
    }

    /// Reads the exception values and contexts of indexed members.
    pub fn new(members: Index<'a>) -> View<'a> {
        let exceptions = members.path(&["exception", "values"]).and_then(read::elements).unwrap_or_default();
        let contexts = Index::of(members.get("contexts").unwrap_or(""));
        View { members, exceptions, contexts }
    }
}
