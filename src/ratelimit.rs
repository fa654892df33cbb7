//! Rate limits as Sentry's servers announce them, and what a response means for the
//! envelope that got it.
//!
//! Every response is read, 200 included:
//!
//! ```text
//! X-Sentry-Rate-Limits: <quota_limit>, <quota_limit>, ...
//! quota_limit = retry_after [":" categories [":" scope [":" reason_code [":" namespaces]]]]
//!   retry_after = seconds, integer or float (rounded up)
//!   categories  = category *(";" category)    empty: every category
//!   scope, reason_code, namespaces            ignored by SDKs
//! ```
//!
//! Without that header, a `429` is a limit on everything for `Retry-After` (seconds or an
//! HTTP date), or for 60 seconds when that is missing or unreadable. Unknown categories
//! are ignored, and a quota limit naming only unknown categories is ignored as a whole.
//! When two limits cover the same category, the longer one wins. A retry-after that is not
//! a number counts as 60 seconds (what the official SDKs do).
//!
//! One deliberate addition to the spec: a `429` whose rate-limit header yields no usable
//! limit (all categories unknown, say) falls back to `Retry-After`, so a client that was
//! told to stop does stop.
//!
//! Time is always passed in as Unix milliseconds; this module reads no clock.

use crate::httpdate;
use crate::reasons::Category;

/// The limit applied when a 429 says nothing usable about its length.
pub const DEFAULT_RETRY_AFTER_SECS: f64 = 60.0;

/// What a response means for the envelope it answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Response {
    /// 2xx: delivered.
    Delivered,
    /// 5xx: the server failed; the envelope may be sent again.
    Retry,
    /// 429: dropped, never retried, and not reported (the server counts it itself).
    RateLimited,
    /// 413: too large; dropped as `send_error`, never retried.
    TooLarge,
    /// Any other status: dropped as `send_error`, never retried.
    Rejected,
}

impl Response {
    /// From an HTTP status code.
    pub fn of_status(status: u16) -> Response {
        match status {
            200..=299 => Response::Delivered,
            429 => Response::RateLimited,
            413 => Response::TooLarge,
            500..=599 => Response::Retry,
            _ => Response::Rejected,
        }
    }

    /// The name the shim acts on: `delivered`, `retry`, `rate_limited`, `too_large`, `rejected`.
    pub fn as_str(self) -> &'static str {
        match self {
            Response::Delivered => "delivered",
            Response::Retry => "retry",
            Response::RateLimited => "rate_limited",
            Response::TooLarge => "too_large",
            Response::Rejected => "rejected",
        }
    }
}

/// The limits currently known for one DSN: per category, plus one for everything.
/// Each is the Unix millisecond time it ends.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RateLimits {
    all_until: f64,
    /// Indexed by [`Category::index`].
    until: [f64; Category::ALL.len()],
}

impl RateLimits {
    /// Reads a response: updates the limits from its headers and says what became of
    /// the envelope. Header values are passed as the server sent them (None if absent).
    pub fn on_response(&mut self, status: u16, rate_limits: Option<&str>, retry_after: Option<&str>, now_ms: f64) -> Response {
        // Each quota limit is trimmed, so an absent, empty or blank header sets nothing.
        let applied = self.update_from_header(rate_limits.unwrap_or(""), now_ms);
        if status == 429 && !applied {
            self.update_from_retry_after(retry_after, now_ms);
        }
        Response::of_status(status)
    }

    /// Applies an `X-Sentry-Rate-Limits` header. Returns true when it set at least one limit.
    pub fn update_from_header(&mut self, header: &str, now_ms: f64) -> bool {
        let mut applied = false;
        for quota in crate::text::split_byte(header, b',') {
            let quota = quota.trim();
            if quota.is_empty() {
                continue;
            }
            let mut fields = crate::text::split_byte(quota, b':');
            let secs = retry_seconds(fields.next().unwrap_or(""));
            let categories = fields.next().unwrap_or("");
            let until = now_ms + secs * 1000.0;
            let mut named = false;
            for name in crate::text::split_byte(categories, b';') {
                let name = name.trim();
                if name.is_empty() {
                    continue;
                }
                named = true;
                if let Some(c) = Category::from_name(name) {
                    self.until[c.index()] = self.until[c.index()].max(until);
                    applied = true;
                }
            }
            if !named {
                self.all_until = self.all_until.max(until);
                applied = true;
            }
        }
        applied
    }

    /// Applies a 429's `Retry-After` (seconds or an HTTP date) to every category;
    /// 60 seconds when it is absent or unreadable.
    pub fn update_from_retry_after(&mut self, value: Option<&str>, now_ms: f64) {
        let value = value.map(str::trim).unwrap_or("");
        let until = if let Some(secs) = seconds(value) {
            now_ms + secs * 1000.0
        } else if let Some(date) = httpdate::parse(value) {
            date
        } else {
            now_ms + DEFAULT_RETRY_AFTER_SECS * 1000.0
        };
        self.all_until = self.all_until.max(until);
    }

    /// True when items of `category` must not be sent at `now_ms`.
    pub fn is_limited(&self, category: Category, now_ms: f64) -> bool {
        self.limited_until(category, now_ms).is_some()
    }

    /// When the limit on `category` ends, if one is active at `now_ms`.
    pub fn limited_until(&self, category: Category, now_ms: f64) -> Option<f64> {
        let own = self.until[category.index()];
        let until = own.max(self.all_until);
        (until > now_ms).then_some(until)
    }
}

/// The retry-after field of a quota limit: seconds rounded up, 60 when not a number.
fn retry_seconds(field: &str) -> f64 {
    seconds(field.trim()).unwrap_or(DEFAULT_RETRY_AFTER_SECS)
}

/// A non-negative decimal number of seconds (`120`, `2.5`), rounded up. Only digits and
/// one dot are accepted, so `inf`, `NaN`, signs and exponents are not numbers here.
/// (Read by hand: a float parser would add kilobytes to the wasm for this one field.)
fn seconds(s: &str) -> Option<f64> {
    let (int, frac) = crate::text::decimal(s)?;
    let whole = int.bytes().fold(0.0, |v, c| v * 10.0 + f64::from(c - b'0'));
    let up = if frac.bytes().any(|c| c != b'0') { 1.0 } else { 0.0 };
    Some(whole + up).filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: f64 = 1_700_000_000_000.0;
    const S: f64 = 1000.0;

    fn limits(header: &str) -> RateLimits {
        let mut l = RateLimits::default();
        l.update_from_header(header, NOW);
        l
    }

    #[test]
    fn spec_examples() {
        let l = limits("60:transaction:key, 2700:default;error;security:organization");
        assert_eq!(l.limited_until(Category::Transaction, NOW), Some(NOW + 60.0 * S));
        for c in [Category::Default, Category::Error] {
            assert_eq!(l.limited_until(c, NOW), Some(NOW + 2700.0 * S), "{c:?}");
        }
        assert!(!l.is_limited(Category::Session, NOW));
        assert!(!l.is_limited(Category::Internal, NOW));
        assert!(l.is_limited(Category::Error, NOW + 2699.0 * S));
        assert!(!l.is_limited(Category::Error, NOW + 2700.0 * S), "a limit ends at its time");

        let l = limits("60::organization, 2700::organization");
        for c in Category::ALL {
            assert_eq!(l.limited_until(c, NOW), Some(NOW + 2700.0 * S), "empty categories mean all: {c:?}");
        }
    }

    #[test]
    fn bugsink_limits_transactions_and_spans_only() {
        let l = limits("86400:transaction;span:organization");
        assert!(l.is_limited(Category::Transaction, NOW) && l.is_limited(Category::Span, NOW));
        assert!(!l.is_limited(Category::Error, NOW) && !l.is_limited(Category::Internal, NOW));
    }

    #[test]
    fn float_seconds_are_rounded_up() {
        assert_eq!(limits("0.2:error").limited_until(Category::Error, NOW), Some(NOW + S));
        assert_eq!(limits("59.001:error").limited_until(Category::Error, NOW), Some(NOW + 60.0 * S));
        assert_eq!(limits("0:error").limited_until(Category::Error, NOW), None, "zero seconds is no limit");
    }

    #[test]
    fn unknown_categories() {
        let l = limits("100:error;unicorn;metric_bucket:key");
        assert!(l.is_limited(Category::Error, NOW));
        let l = limits("100:unicorn;metric_bucket:organization:quota_exceeded:custom");
        assert_eq!(l, RateLimits::default(), "a limit of only unknown categories is ignored");
        for c in Category::ALL {
            assert!(!l.is_limited(c, NOW));
        }
        let mut l = RateLimits::default();
        assert!(!l.update_from_header("100:unicorn", NOW));
        assert!(l.update_from_header("100:unicorn, 5:session", NOW));
    }

    #[test]
    fn the_longer_limit_wins_in_any_order() {
        for header in ["10:error, 100:error", "100:error, 10:error", "100:error;error, 10::key"] {
            assert_eq!(limits(header).limited_until(Category::Error, NOW), Some(NOW + 100.0 * S), "{header}");
        }
        let mut l = limits("100:error");
        l.update_from_header("5:error", NOW + 50.0 * S);
        assert_eq!(l.limited_until(Category::Error, NOW), Some(NOW + 100.0 * S), "a later, shorter limit does not shorten it");
        l.update_from_header("5::key", NOW);
        assert_eq!(l.limited_until(Category::Error, NOW), Some(NOW + 100.0 * S), "nor does a shorter limit on all");
        assert_eq!(l.limited_until(Category::Session, NOW), Some(NOW + 5.0 * S));
        l.update_from_header("500::key", NOW);
        assert_eq!(l.limited_until(Category::Error, NOW), Some(NOW + 500.0 * S), "a longer limit on all covers it");
    }

    #[test]
    fn odd_but_readable_headers() {
        assert!(limits("60").is_limited(Category::Error, NOW), "no category field: all");
        assert!(limits(" 60:error ,, ").is_limited(Category::Error, NOW), "spaces and empty entries");
        assert!(limits("60: error ; session :key").is_limited(Category::Session, NOW));
        assert!(limits("60:;:key").is_limited(Category::Replay, NOW), "only empty names: all");
        for junk in ["abc:error", "-5:error", "inf:error", "NaN:error", "1e3:error", ":error", "1.2.3:error"] {
            assert_eq!(limits(junk).limited_until(Category::Error, NOW), Some(NOW + 60.0 * S), "{junk}: not a number means 60 s");
        }
        assert_eq!(limits("").limited_until(Category::Error, NOW), None);
        assert_eq!(limits(" , ").limited_until(Category::Error, NOW), None);
    }

    #[test]
    fn status_429_without_the_header() {
        let date = "Wed, 15 Nov 2023 00:00:00 GMT"; // NOW is 2023-11-14T22:13:20Z
        let cases: [(Option<&str>, f64); 6] = [
            (Some("120"), NOW + 120.0 * S),
            (Some(" 7.5 "), NOW + 8.0 * S),
            (Some(date), 1_700_006_400_000.0),
            (None, NOW + 60.0 * S),
            (Some(""), NOW + 60.0 * S),
            (Some("soon"), NOW + 60.0 * S),
        ];
        for (retry_after, until) in cases {
            let mut l = RateLimits::default();
            assert_eq!(l.on_response(429, None, retry_after, NOW), Response::RateLimited);
            for c in Category::ALL {
                assert_eq!(l.limited_until(c, NOW), Some(until), "{retry_after:?} {c:?}");
            }
        }
        let mut l = RateLimits::default();
        l.on_response(429, None, Some("Tue, 14 Nov 2023 00:00:00 GMT"), NOW);
        assert!(!l.is_limited(Category::Error, NOW), "a date in the past is no limit");
    }

    #[test]
    fn the_header_wins_over_retry_after() {
        let mut l = RateLimits::default();
        l.on_response(429, Some("30:transaction"), Some("600"), NOW);
        assert!(l.is_limited(Category::Transaction, NOW));
        assert!(!l.is_limited(Category::Error, NOW), "Retry-After is not used when the header says something");
        let mut l = RateLimits::default();
        l.on_response(429, Some("30:unicorn"), Some("600"), NOW);
        assert_eq!(l.limited_until(Category::Error, NOW), Some(NOW + 600.0 * S), "an unusable header falls back to Retry-After");
    }

    #[test]
    fn every_response_is_read() {
        let mut l = RateLimits::default();
        assert_eq!(l.on_response(200, Some("60:error:key"), None, NOW), Response::Delivered);
        assert!(l.is_limited(Category::Error, NOW));
        let mut l = RateLimits::default();
        assert_eq!(l.on_response(503, None, Some("120"), NOW), Response::Retry);
        assert!(!l.is_limited(Category::Error, NOW), "Retry-After alone limits only on 429");
        assert_eq!(l.on_response(500, Some("10::org"), None, NOW), Response::Retry);
        assert!(l.is_limited(Category::Internal, NOW));
    }

    #[test]
    fn verdicts() {
        for (status, v) in [
            (200, "delivered"),
            (202, "delivered"),
            (299, "delivered"),
            (429, "rate_limited"),
            (413, "too_large"),
            (400, "rejected"),
            (403, "rejected"),
            (404, "rejected"),
            (302, "rejected"),
            (0, "rejected"),
            (500, "retry"),
            (503, "retry"),
            (599, "retry"),
        ] {
            assert_eq!(Response::of_status(status).as_str(), v, "{status}");
        }
    }

    #[test]
    fn category_names() {
        assert_eq!(Category::from_name("error"), Some(Category::Error));
        assert_eq!(Category::from_name("internal"), Some(Category::Internal));
        assert_eq!(Category::from_name("Error"), None);
        assert_eq!(Category::from_name("metric_bucket"), None);
    }
}
