//! Inbound filters run on the device: `ignoreErrors`, `denyUrls`/`allowUrls`, the
//! default ignores of known browser noise, and HTTP status filtering (by default 4xx
//! responses the app turns into errors are not sent; 5xx are).
//!
//! Only plain-string patterns live here (substring matches); `RegExp` patterns can only
//! run in the host, so the shim applies those itself to the same [`Subjects`], which the
//! core hands it as JSON (`{"messages":[…],"url":…}`). Subjects are read from the event
//! text with the tokenizer; nothing here builds a value tree.

use crate::text::contains;
use crate::json::read;
use crate::protocol::event::View;
use crate::json::write::{self as w, Arr, Obj};

/// Messages of known browser noise that are never worth an event.
const DEFAULT_IGNORES: &[&str] = &[
    "Script error.",
    "Javascript error: Script error",
    "ResizeObserver loop limit exceeded",
    "ResizeObserver loop completed with undelivered notifications",
    "Object Not Found Matching Id:",
    "Can't find variable: _AutofillCallbackHandler",
    "Java exception was raised during method invocation",
    "Non-Error promise rejection captured with value: Object Not Found Matching Id",
];

/// One entry of `ignoreHttpStatus`: a status code or an inclusive `[from, to]` range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StatusSpec {
    /// A single status.
    One(u16),
    /// An inclusive range.
    Range(u16, u16),
}

impl StatusSpec {
    fn contains(self, status: u16) -> bool {
        match self {
            StatusSpec::One(s) => s == status,
            StatusSpec::Range(a, b) => a <= status && status <= b,
        }
    }
}

/// The default HTTP statuses that are not reported: every 4xx (401, 403, 404, 429,
/// validation failures, …).
pub const DEFAULT_IGNORED_STATUS: &[StatusSpec] = &[StatusSpec::Range(400, 499)];

/// Compiled filter settings.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// Substrings of error messages to drop.
    pub ignore_errors: Vec<String>,
    /// Substrings of script URLs whose errors are dropped.
    pub deny_urls: Vec<String>,
    /// When non-empty, only errors from URLs containing one of these are kept.
    pub allow_urls: Vec<String>,
    /// HTTP statuses that are not reported.
    pub ignored_status: Vec<StatusSpec>,
    /// Apply [`DEFAULT_IGNORES`].
    pub default_ignores: bool,
}

/// What filters look at in one event.
#[derive(Debug, Clone, PartialEq)]
pub struct Subjects {
    /// `Type: value`, the value alone, and the message.
    pub messages: Vec<String>,
    /// The URL the error came from: the newest in-app frame of the newest exception, else
    /// its newest frame with a filename.
    pub url: Option<String>,
    /// The HTTP status it carries (`contexts.response.status_code`).
    pub status: Option<u16>,
}

/// No subjects yet: one routine for both summary readers.
impl Default for Subjects {
    #[inline(never)]
    fn default() -> Subjects {
        Subjects { messages: Vec::new(), url: None, status: None }
    }
}

impl Subjects {
    /// Reads the subjects of an event given as JSON text.
    pub fn of_event(event: &str) -> Subjects {
        Subjects::of_view(&View::of(event))
    }

    /// Reads the subjects of an event whose members are indexed.
    pub fn of_view(event: &View) -> Subjects {
        crate::protocol::summary::Summary::of_view(event).subjects
    }

    /// Adds the message of a `logentry` (raw JSON object); gives back the raw text of its
    /// `formatted` member.
    pub fn push_logentry<'a>(&mut self, logentry: &'a str) -> Option<&'a str> {
        let formatted = read::field(logentry, "formatted");
        for m in [formatted, read::field(logentry, "message")] {
            if let Some(s) = m.and_then(read::owned_string) {
                self.messages.push(s);
            }
        }
        formatted
    }

    /// Adds the newest exception: `Type: value`, the value alone, and `url`: the filename
    /// of its newest in-app frame with one, else of its newest frame with one. (Callers
    /// read frames oldest first, keeping the last in-app filename and the last other one;
    /// the in-app one wins.) The texts are copied here, for both callers.
    #[inline(never)]
    pub fn push_exception(&mut self, ty: &str, value: &str, url: Option<&str>) {
        self.url = url.map(|u| u.into());
        if !value.is_empty() {
            self.messages.push(value.into());
        }
        if !ty.is_empty() {
            let mut m = String::from(ty);
            if !value.is_empty() {
                m.push_str(": ");
                m.push_str(value);
            }
            self.messages.push(m);
        }
    }

    /// Sets the HTTP status from the `response` context (raw JSON object), if it has one.
    pub fn set_status(&mut self, response: Option<&str>) {
        self.status = response
            .and_then(|r| read::field(r, "status_code"))
            .and_then(|n| crate::options::whole_number(n, 65535.0))
            .map(|n| n as u16);
    }

    /// Writes `{"messages":[…],"url":…|null}` for the shim's RegExp filters.
    pub fn write(&self, out: &mut Vec<u8>) {
        let mut o = Obj::new(out);
        let mut a = Arr::new(o.name("messages"));
        for m in &self.messages {
            a.str(m);
        }
        a.end();
        let url = o.name("url");
        match &self.url {
            Some(u) => w::string(url, u),
            None => w::null(url),
        }
        o.end();
    }
}

fn sentence(parts: &[&str]) -> String {
    crate::text::cat(parts)
}

impl Filters {
    /// Returns why an event with these subjects is filtered out, or None to keep it.
    pub fn check(&self, s: &Subjects) -> Option<String> {
        let msgs = &s.messages;
        if self.default_ignores {
            for pat in DEFAULT_IGNORES {
                if msgs.iter().any(|m| m.starts_with(pat)) {
                    return Some(sentence(&["it is known browser noise (\"", pat, "\")"]));
                }
            }
        }
        for pat in &self.ignore_errors {
            if !pat.is_empty() && msgs.iter().any(|m| contains(m, pat)) {
                return Some(sentence(&["its message matches ignoreErrors \"", pat, "\""]));
            }
        }
        if let Some(status) = s.status {
            if self.ignored_status.iter().any(|x| x.contains(status)) {
                let mut n = String::new();
                crate::text::push_num(&mut n, status.into());
                return Some(sentence(&["its HTTP status ", &n, " is in ignoreHttpStatus"]));
            }
        }
        if let Some(url) = s.url.as_deref() {
            if let Some(pat) = self.deny_urls.iter().find(|p| !p.is_empty() && contains(url, p)) {
                return Some(sentence(&["its URL ", url, " matches denyUrls \"", pat, "\""]));
            }
            if !self.allow_urls.is_empty() && !self.allow_urls.iter().any(|p| contains(url, p)) {
                return Some(sentence(&["its URL ", url, " matches no allowUrls entry"]));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn check(f: &Filters, v: &Value) -> Option<String> {
        f.check(&Subjects::of_event(&v.to_string()))
    }

    fn error(ty: &str, value: &str, url: &str) -> Value {
        json!({"exception": {"values": [{"type": ty, "value": value, "stacktrace": {"frames": [
            {"filename": "https://cdn.vendor.com/lib.js", "in_app": true},
            {"filename": url, "in_app": true},
            {"filename": "node:internal/x", "in_app": false}
        ]}}]}})
    }

    fn defaults() -> Filters {
        Filters { ignored_status: DEFAULT_IGNORED_STATUS.to_vec(), default_ignores: true, ..Default::default() }
    }

    #[test]
    fn default_noise_is_dropped_and_can_be_turned_off() {
        let noise = json!({"exception": {"values": [{"type": "Error", "value": "ResizeObserver loop limit exceeded"}]}});
        assert!(check(&defaults(), &noise).is_some());
        assert!(check(&defaults(), &json!({"logentry": {"formatted": "Script error."}})).is_some());
        assert!(check(&defaults(), &error("TypeError", "x is undefined", "https://app/a.js")).is_none());
        let off = Filters { default_ignores: false, ..defaults() };
        assert!(check(&off, &noise).is_none());
    }

    #[test]
    fn ignore_errors_matches_substrings_of_type_and_value() {
        let f = Filters { ignore_errors: vec!["TypeError: x".into(), "flaky".into()], ..defaults() };
        assert!(check(&f, &error("TypeError", "x is undefined", "u")).is_some());
        assert!(check(&f, &json!({"logentry": {"formatted": "a flaky message"}})).is_some());
        assert!(check(&f, &error("RangeError", "x is undefined", "u")).is_none());
    }

    #[test]
    fn deny_and_allow_urls_use_the_newest_in_app_frame() {
        let f = Filters { deny_urls: vec!["extensions/".into()], ..defaults() };
        assert!(check(&f, &error("E", "v", "chrome://extensions/x.js")).is_some());
        assert!(check(&f, &error("E", "v", "https://app.example.com/main.js")).is_none());
        let a = Filters { allow_urls: vec!["app.example.com".into()], ..defaults() };
        assert!(check(&a, &error("E", "v", "https://app.example.com/main.js")).is_none());
        assert!(check(&a, &error("E", "v", "https://ads.example.net/x.js")).is_some());
        assert_eq!(Subjects::of_event(&error("E", "v", "https://u/1.js").to_string()).url.as_deref(), Some("https://u/1.js"));
        let mut out = Vec::new();
        Subjects::of_event(&error("E", "v", "https://u/1.js").to_string()).write(&mut out);
        let back: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(back, json!({"messages": ["v", "E: v"], "url": "https://u/1.js"}));
        assert!(check(&a, &json!({"logentry": {"formatted": "no frames"}})).is_none(), "no URL, nothing to judge");
    }

    #[test]
    fn the_url_is_the_newest_in_app_filename_else_the_newest_filename() {
        let url = |frames: Value| {
            let ev = json!({"exception": {"values": [{"type": "E", "stacktrace": {"frames": [{"filename": "old.js", "in_app": true}]}}, {"type": "E", "stacktrace": {"frames": frames}}]}});
            Subjects::of_event(&ev.to_string()).url
        };
        let lib = |name: &str| json!({"filename": name, "in_app": false});
        assert_eq!(url(json!([lib("a.js"), lib("b.js"), {"filename": ""}])).as_deref(), Some("b.js"), "none in app: the newest with a filename");
        assert_eq!(url(json!([{"filename": "app.js"}, lib("b.js")])).as_deref(), Some("app.js"), "in_app absent counts as in app");
        assert_eq!(url(json!([{"filename": "a.js", "in_app": true}, {"filename": "c.js", "in_app": true}, lib("b.js")])).as_deref(), Some("c.js"));
        assert_eq!(url(json!([{"function": "f"}])), None, "only the newest exception's frames count");
    }

    #[test]
    fn http_statuses_4xx_dropped_5xx_kept_by_default() {
        let with = |s: u16| json!({"exception": {"values": [{"type": "HTTPError", "value": "x"}]}, "contexts": {"response": {"status_code": s}}});
        for s in [400, 401, 403, 404, 409, 422, 429, 499] {
            assert!(check(&defaults(), &with(s)).is_some(), "{s}");
        }
        for s in [500, 502, 503, 504, 302] {
            assert!(check(&defaults(), &with(s)).is_none(), "{s}");
        }
        let custom = Filters { ignored_status: vec![StatusSpec::One(404), StatusSpec::Range(500, 503)], ..defaults() };
        assert!(check(&custom, &with(404)).is_some());
        assert!(check(&custom, &with(401)).is_none());
        assert!(check(&custom, &with(502)).is_some());
        assert!(check(&custom, &with(504)).is_none());
    }
}
