//! The error event as typed data: every field is either a scalar the core computed or a
//! JSON fragment that was scrubbed once (scope data when it was set, capture data when
//! it arrived). [`Event::write`] writes it straight to bytes, in one fixed field order,
//! without `_meta` (see `meta.rs`: the pipeline appends it once the event is final).

use std::rc::Rc;

use crate::json::read::{self, Index};
use crate::json::write::{self as w, Arr, Obj};
use crate::scope::{Crumb, Entry};

/// A built event.
#[derive(Debug, Clone, Default)]
pub struct Event<'s> {
    /// 32 hex digits.
    pub event_id: String,
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
    pub breadcrumbs: Vec<Rc<Crumb>>,
    /// `release` (JSON text).
    pub release: Option<Vec<u8>>,
    /// `environment` (JSON text).
    pub environment: Option<Vec<u8>>,
    /// `sdk.name`, `sdk.version`, and `sdk.settings.infer_ip` when set.
    pub sdk: (&'s str, &'static str, Option<&'static str>),
    /// Other top-level fields the app's event carried, scrubbed.
    pub other: Vec<(String, Vec<u8>)>,
}

fn entries(o: &mut Obj, key: &str, list: &[&Entry]) {
    if list.is_empty() {
        return;
    }
    let mut m = Obj::new(o.key(key));
    for e in list {
        m.raw(&e.key, &e.json);
    }
    m.end();
}

fn raw(o: &mut Obj, key: &str, value: Option<&[u8]>) {
    if let Some(v) = value {
        o.raw(key, v);
    }
}

impl Event<'_> {
    /// Writes the event object (without `_meta`).
    pub fn write(&self, out: &mut Vec<u8>) {
        let mut o = Obj::new(out);
        o.str("event_id", &self.event_id);
        w::seconds(o.key("timestamp"), self.timestamp_ms);
        o.str("platform", "javascript");
        o.str("level", self.level);
        raw(&mut o, "logentry", self.logentry.as_deref());
        raw(&mut o, "exception", self.exception.as_deref());
        entries(&mut o, "tags", &self.tags);
        entries(&mut o, "extra", &self.extra);
        entries(&mut o, "contexts", &self.contexts);
        entries(&mut o, "user", &self.user);
        raw(&mut o, "request", self.request.as_deref());
        raw(&mut o, "fingerprint", self.fingerprint.map(|f| &f.json[..]));
        raw(&mut o, "transaction", self.transaction.map(|t| &t.json[..]));
        if !self.breadcrumbs.is_empty() {
            let mut b = Obj::new(o.key("breadcrumbs"));
            let mut a = Arr::new(b.key("values"));
            for c in &self.breadcrumbs {
                a.raw(&c.json);
            }
            a.end();
            b.end();
        }
        raw(&mut o, "release", self.release.as_deref());
        raw(&mut o, "environment", self.environment.as_deref());
        let (name, version, infer_ip) = self.sdk;
        let mut s = Obj::new(o.key("sdk"));
        s.str("name", name);
        s.str("version", version);
        if let Some(mode) = infer_ip {
            let mut st = Obj::new(s.key("settings"));
            st.str("infer_ip", mode);
            st.end();
        }
        s.end();
        for (k, v) in &self.other {
            o.raw(k, v);
        }
        o.end();
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

    /// Reads the exception values and contexts of indexed members.
    pub fn new(members: Index<'a>) -> View<'a> {
        let exceptions = members.path(&["exception", "values"]).and_then(read::elements).unwrap_or_default();
        let contexts = members.get("contexts").map(Index::of).unwrap_or_else(|| Index::of(""));
        View { members, exceptions, contexts }
    }
}
