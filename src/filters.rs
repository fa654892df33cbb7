//! Inbound filters run on the device: `ignoreErrors`, `denyUrls`/`allowUrls`, the
//! default ignores of known browser noise, and HTTP status filtering (by default 4xx
//! responses the app turns into errors are not sent; 5xx are).
//!
//! Only plain-string patterns live here (substring matches); `RegExp` patterns can only
//! run in the host, so the shim applies those itself.

use serde::Deserialize;
use serde_json::Value;

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
#[derive(Debug, Clone, Copy, Deserialize, PartialEq)]
#[serde(untagged)]
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

/// The texts filters match against: `Type: value`, the value alone, and the message.
pub fn messages(event: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(m) = event.pointer("/logentry/formatted").and_then(Value::as_str) {
        out.push(m.to_string());
    }
    if let Some(m) = event.pointer("/logentry/message").and_then(Value::as_str) {
        out.push(m.to_string());
    }
    if let Some(ex) = event.pointer("/exception/values").and_then(Value::as_array).and_then(|v| v.last()) {
        let ty = ex.get("type").and_then(Value::as_str).unwrap_or("");
        let value = ex.get("value").and_then(Value::as_str).unwrap_or("");
        if !value.is_empty() {
            out.push(value.to_string());
        }
        if !ty.is_empty() {
            out.push(if value.is_empty() { ty.to_string() } else { format!("{ty}: {value}") });
        }
    }
    out
}

/// The URL an error came from: the newest in-app frame of the newest exception, else its
/// newest frame with a filename.
pub fn event_url(event: &Value) -> Option<&str> {
    let frames = event
        .pointer("/exception/values")
        .and_then(Value::as_array)
        .and_then(|v| v.last())
        .and_then(|ex| ex.pointer("/stacktrace/frames"))
        .and_then(Value::as_array)?;
    fn name(f: &Value) -> Option<&str> {
        f.get("filename").and_then(Value::as_str).filter(|s| !s.is_empty())
    }
    frames
        .iter()
        .rev()
        .filter(|f| f.get("in_app").and_then(Value::as_bool).unwrap_or(true))
        .find_map(name)
        .or_else(|| frames.iter().rev().find_map(name))
}

/// The HTTP status an error carries (`contexts.response.status_code`), if any.
pub fn http_status(event: &Value) -> Option<u16> {
    event.pointer("/contexts/response/status_code").and_then(Value::as_u64).and_then(|s| u16::try_from(s).ok())
}

impl Filters {
    /// Returns why `event` is filtered out, or None to keep it.
    pub fn check(&self, event: &Value) -> Option<String> {
        let msgs = messages(event);
        if self.default_ignores {
            for pat in DEFAULT_IGNORES {
                if msgs.iter().any(|m| m.starts_with(pat)) {
                    return Some(format!("it is known browser noise ({pat:?})"));
                }
            }
        }
        for pat in &self.ignore_errors {
            if !pat.is_empty() && msgs.iter().any(|m| m.contains(pat.as_str())) {
                return Some(format!("its message matches ignoreErrors {pat:?}"));
            }
        }
        if let Some(status) = http_status(event) {
            if self.ignored_status.iter().any(|s| s.contains(status)) {
                return Some(format!("its HTTP status {status} is in ignoreHttpStatus"));
            }
        }
        if let Some(url) = event_url(event) {
            if let Some(pat) = self.deny_urls.iter().find(|p| !p.is_empty() && url.contains(p.as_str())) {
                return Some(format!("its URL {url} matches denyUrls {pat:?}"));
            }
            if !self.allow_urls.is_empty() && !self.allow_urls.iter().any(|p| url.contains(p.as_str())) {
                return Some(format!("its URL {url} matches no allowUrls entry"));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
        assert!(defaults().check(&noise).is_some());
        assert!(defaults().check(&json!({"logentry": {"formatted": "Script error."}})).is_some());
        assert!(defaults().check(&error("TypeError", "x is undefined", "https://app/a.js")).is_none());
        let off = Filters { default_ignores: false, ..defaults() };
        assert!(off.check(&noise).is_none());
    }

    #[test]
    fn ignore_errors_matches_substrings_of_type_and_value() {
        let f = Filters { ignore_errors: vec!["TypeError: x".into(), "flaky".into()], ..defaults() };
        assert!(f.check(&error("TypeError", "x is undefined", "u")).is_some());
        assert!(f.check(&json!({"logentry": {"formatted": "a flaky message"}})).is_some());
        assert!(f.check(&error("RangeError", "x is undefined", "u")).is_none());
    }

    #[test]
    fn deny_and_allow_urls_use_the_newest_in_app_frame() {
        let f = Filters { deny_urls: vec!["extensions/".into()], ..defaults() };
        assert!(f.check(&error("E", "v", "chrome://extensions/x.js")).is_some());
        assert!(f.check(&error("E", "v", "https://app.example.com/main.js")).is_none());
        let a = Filters { allow_urls: vec!["app.example.com".into()], ..defaults() };
        assert!(a.check(&error("E", "v", "https://app.example.com/main.js")).is_none());
        assert!(a.check(&error("E", "v", "https://ads.example.net/x.js")).is_some());
        assert_eq!(event_url(&error("E", "v", "https://u/1.js")), Some("https://u/1.js"));
        assert!(a.check(&json!({"logentry": {"formatted": "no frames"}})).is_none(), "no URL, nothing to judge");
    }

    #[test]
    fn http_statuses_4xx_dropped_5xx_kept_by_default() {
        let with = |s: u16| json!({"exception": {"values": [{"type": "HTTPError", "value": "x"}]}, "contexts": {"response": {"status_code": s}}});
        for s in [400, 401, 403, 404, 409, 422, 429, 499] {
            assert!(defaults().check(&with(s)).is_some(), "{s}");
        }
        for s in [500, 502, 503, 504, 302] {
            assert!(defaults().check(&with(s)).is_none(), "{s}");
        }
        let custom = Filters { ignored_status: vec![StatusSpec::One(404), StatusSpec::Range(500, 503)], ..defaults() };
        assert!(custom.check(&with(404)).is_some());
        assert!(custom.check(&with(401)).is_none());
        assert!(custom.check(&with(502)).is_some());
        assert!(custom.check(&with(504)).is_none());
    }
}
