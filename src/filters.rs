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

/// Messages of known browser noise that are never worth an event (`ignoreBrowserNoise`,
/// on by default), the same as Sentry's JavaScript SDK drops by default: a message that
/// starts with one of these, or, for one that ends in `$`, is exactly it (without the `$`).
/// Also [`is_google_app_noise`].
const DEFAULT_IGNORES: &[&str] = &[
    "Script error$",
    "Script error.$",
    "Javascript error: Script error",
    "ResizeObserver loop limit exceeded",
    "ResizeObserver loop completed with undelivered notifications",
    "Cannot redefine property: googletag$",
    "Can't find variable: gmo$",
    "can't redefine non-configurable property \"solana\"",
    "vv().getRestrictions is not a function",
    "Object Not Found Matching Id:",
    "Can't find variable: _AutofillCallbackHandler",
    "Java exception was raised during method invocation",
    "Java object is gone",
    "Non-Error promise rejection captured with value: Object Not Found Matching Id",
];

/// The Google Search app's `undefined is not an object (evaluating 'a.X')`, X one capital
/// letter.
fn is_google_app_noise(m: &str) -> bool {
    let b = m.as_bytes();
    b.len() == 45 && m.starts_with("undefined is not an object (evaluating 'a.") && b[42].is_ascii_uppercase() && &b[43..] == b"')"
}

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
    /// The URL the error came from, as Sentry's event filters judge it: the filename of the
    /// newest exception's newest frame that is not `<anonymous>` or `[native code]` (none
    /// when that frame has none), whether or not the frame is the app's.
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

    /// Adds the newest exception: `Type: value`, the value alone, and `url` (see
    /// [`Subjects::url`], found by the callers). The texts are copied here, for both callers.
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
                // (A pattern ending in `$` is the whole message, without the `$`.)
                let whole = pat.as_bytes().last() == Some(&b'$');
                let text = &pat[..pat.len() - whole as usize];
                if msgs.iter().any(|m| if whole { m == text } else { m.starts_with(text) }) {
                    return Some(sentence(&["it is known browser noise (\"", text, "\")"]));
                }
            }
            if let Some(m) = msgs.iter().find(|m| is_google_app_noise(m)) {
                return Some(sentence(&["it is known browser noise (\"", m, "\")"]));
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
            {"filename": "https://cdn.vendor.com/lib.js", "in_app": false},
            {"filename": url, "in_app": true},
            {"filename": "<anonymous>"},
            {"filename": "[native code]", "in_app": false}
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
        assert!(check(&defaults(), &json!({"logentry": {"formatted": "Script error"}})).is_some(), "with or without the dot, as Sentry's");
        assert!(check(&defaults(), &json!({"logentry": {"formatted": "Script error.js failed to parse"}})).is_none());
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
    fn sentrys_default_noise_is_dropped_anchored_where_sentry_anchors_it() {
        let msg = |m: &str| json!({"exception": {"values": [{"type": "TypeError", "value": m}]}});
        for m in [
            "Cannot redefine property: googletag",
            "Can't find variable: gmo",
            "undefined is not an object (evaluating 'a.L')",
            "can't redefine non-configurable property \"solana\"",
            "vv().getRestrictions is not a function. (In 'vv().getRestrictions(1,a)', 'vv().getRestrictions' is undefined)",
            "Java object is gone",
            "ResizeObserver loop completed with undelivered notifications.",
        ] {
            assert!(check(&defaults(), &msg(m)).is_some(), "{m}");
        }
        for m in ["Can't find variable: gmore", "Cannot redefine property: googletagmanager", "undefined is not an object (evaluating 'a.Lb')", "undefined is not an object (evaluating 'a.l')"] {
            assert!(check(&defaults(), &msg(m)).is_none(), "{m}");
        }
        assert_eq!(check(&defaults(), &msg("Can't find variable: gmo")).as_deref(), Some("it is known browser noise (\"Can't find variable: gmo\")"));
    }

    #[test]
    fn deny_and_allow_urls_use_the_newest_named_frame_in_app_or_not() {
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
    fn the_url_is_the_newest_frames_filename_past_anonymous_and_native_ones() {
        let url = |frames: Value| {
            let ev = json!({"exception": {"values": [{"type": "E", "stacktrace": {"frames": [{"filename": "old.js", "in_app": true}]}}, {"type": "E", "stacktrace": {"frames": frames}}]}});
            Subjects::of_event(&ev.to_string()).url
        };
        let lib = |name: &str| json!({"filename": name, "in_app": false});
        // An extension's injected code, called by the page: the extension's URL, as Sentry's filters judge it.
        assert_eq!(url(json!([{"filename": "https://shop/app.js"}, lib("chrome-extension://abc/inject.js")])).as_deref(), Some("chrome-extension://abc/inject.js"));
        assert_eq!(url(json!([lib("a.js"), lib("b.js"), {"filename": "<anonymous>"}, {"filename": "[native code]"}])).as_deref(), Some("b.js"));
        assert_eq!(url(json!([{"filename": "a.js"}, {"filename": ""}])), None, "the newest frame has no filename: none, as Sentry's");
        assert_eq!(url(json!([{"filename": "a.js"}, {"function": "f"}])), None);
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
