//! The error event as typed data: every field is either a scalar the core computed or a
//! JSON fragment that was scrubbed once (scope data when it was set, capture data when
//! it arrived). [`Event::write`] writes it straight to bytes, in one fixed field order,
//! without `_meta` (see `meta.rs`: the pipeline appends it once the event is final).

use std::rc::Rc;

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

impl Event<'_> {
    /// Writes the event object (without `_meta`).
    pub fn write(&self, out: &mut Vec<u8>) {
        let mut o = Obj::new(out);
        o.str("event_id", &self.event_id);
        w::seconds(o.key("timestamp"), self.timestamp_ms);
        o.str("platform", "javascript");
        o.str("level", self.level);
        if let Some(l) = &self.logentry {
            o.raw("logentry", l);
        }
        if let Some(x) = &self.exception {
            o.raw("exception", x);
        }
        entries(&mut o, "tags", &self.tags);
        entries(&mut o, "extra", &self.extra);
        entries(&mut o, "contexts", &self.contexts);
        entries(&mut o, "user", &self.user);
        if let Some(r) = &self.request {
            o.raw("request", r);
        }
        if let Some(f) = self.fingerprint {
            o.raw("fingerprint", &f.json);
        }
        if let Some(t) = self.transaction {
            o.raw("transaction", &t.json);
        }
        if !self.breadcrumbs.is_empty() {
            let mut b = Obj::new(o.key("breadcrumbs"));
            let mut a = Arr::new(b.key("values"));
            for c in &self.breadcrumbs {
                a.raw(&c.json);
            }
            a.end();
            b.end();
        }
        if let Some(r) = &self.release {
            o.raw("release", r);
        }
        if let Some(e) = &self.environment {
            o.raw("environment", e);
        }
        {
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
        }
        for (k, v) in &self.other {
            o.raw(k, v);
        }
        o.end();
    }
}
