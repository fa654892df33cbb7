//! Client options as the core keeps them. The shim reads and checks the app's options
//! (`js/api/options.ts`: types, ranges, environment variables, per-environment defaults)
//! and reports each rejected value itself; the core receives only values that passed, as
//! JSON, and reads them here without checking them again. An absent value takes its
//! default. What stays the core's to judge: the DSN (`Client::new`). The `scrub` option,
//! checked by the shim too (`js/api/scrub-check.ts`), is kept as its JSON text.
//!
//! The sample rate arrives as `[m, e]`, the rate being exactly `m / 2^e`: a decimal number
//! would not always come back as the same `f64` through the JSON reader.

use crate::context::HostFacts;
use crate::filters::{Filters, StatusSpec, DEFAULT_IGNORED_STATUS};
use crate::json::read;

/// Default ring-buffer size of breadcrumbs, also Sentry's maximum.
pub const DEFAULT_MAX_BREADCRUMBS: usize = 100;
/// Most breadcrumbs kept (Sentry's maximum); larger values are clamped.
pub const MAX_BREADCRUMBS: usize = 100;
/// Default depth of `error.cause` chains and aggregate members.
pub const DEFAULT_MAX_LINKED_ERRORS: usize = 5;
/// Most linked errors followed; larger values are clamped.
pub const MAX_LINKED_ERRORS: usize = crate::protocol::exception::MAX_LINKED_LIMIT;

/// Resolved settings of one client.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where events go; absent or empty disables the SDK.
    pub dsn: Option<String>,
    /// Release name, e.g. `my-app@1.2.3`.
    pub release: Option<String>,
    /// Deployment environment (given, from `SENTRY_ENVIRONMENT`, or detected).
    pub environment: String,
    /// `false` turns the SDK off without removing its calls.
    pub enabled: bool,
    /// Share of error events sent, 0 to 1.
    pub sample_rate: f64,
    /// Breadcrumbs kept per scope and per event; 0 disables them.
    pub max_breadcrumbs: usize,
    /// Drop an error identical to the previous one.
    pub dedupe: bool,
    /// How many linked errors (`cause`, aggregate members) to follow.
    pub max_linked_errors: usize,
    /// Compiled inbound filters.
    pub filters: Filters,
    /// The host runtime (`browser`, `node`, `workerd`), named in `sdk.name`.
    pub runtime: String,
    /// A URL that receives envelopes instead of the DSN's endpoint.
    pub tunnel: Option<String>,
    /// Facts about the host for automatic context.
    pub host: HostFacts,
    /// Organisation id for the DSC (`orgId`; else taken from the DSN host).
    pub org_id: Option<String>,
    /// Continue an incoming trace only when its org id matches ours on both sides.
    pub strict_trace_continuation: bool,
    /// `sendDefaultPii`: keep personal data that is filtered by default (IP addresses,
    /// ordinary cookies). A bad value is reported and read as `false`, which scrubs more.
    pub send_default_pii: bool,
    /// `scrub`: on-device PII scrubbing options as the shim checked them; compiled by
    /// [`crate::pii::PiiConfig`] (a value it cannot read disables the client, see `Client::new`).
    pub scrub: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            dsn: None,
            release: None,
            environment: "production".into(),
            enabled: true,
            sample_rate: 1.0,
            max_breadcrumbs: DEFAULT_MAX_BREADCRUMBS,
            dedupe: true,
            max_linked_errors: DEFAULT_MAX_LINKED_ERRORS,
            filters: Filters { ignored_status: DEFAULT_IGNORED_STATUS.to_vec(), default_ignores: true, ..Default::default() },
            runtime: "unknown".into(),
            tunnel: None,
            host: HostFacts::default(),
            org_id: None,
            strict_trace_continuation: false,
            send_default_pii: false,
            scrub: None,
        }
    }
}

/// The JSON number `raw` when it is a whole number from 0 to `max` (counts, limits and
/// HTTP status codes in events and the `scrub` option).
pub fn whole_number(raw: &str, max: f64) -> Option<f64> {
    read::number(raw).filter(|n| (0.0..=max).contains(n) && n.fract() == 0.0)
}

/// A status list as the shim wrote it: codes and `[from, to]` pairs.
fn status_specs(raw: &str) -> Vec<StatusSpec> {
    let code = |r: &str| read::number(r).unwrap_or(0.0) as u16;
    let specs = read::elements(raw).unwrap_or_default().into_iter();
    specs
        .map(|e| match read::elements(e).as_deref() {
            Some([from, to]) => StatusSpec::Range(code(from), code(to)),
            _ => StatusSpec::One(code(e)),
        })
        .collect()
}

/// `m / 2^e` from `[m, e]` (whole numbers, `m` below 2^53): exact, as every halving is.
fn binary_fraction(raw: &str) -> f64 {
    let parts = read::elements(raw).unwrap_or_default();
    let part = |i: usize| parts.get(i).and_then(|p| read::number(p)).unwrap_or(0.0);
    let mut rate = part(0);
    for _ in 0..part(1) as u32 {
        rate *= 0.5;
    }
    rate
}

impl Options {
    /// Reads the resolved options the shim wrote (`js/api/options.ts`): every value already
    /// checked, of its type and in its range; an absent one takes its default.
    pub fn parse(text: &str) -> Options {
        let [dsn, release, environment, enabled, sample_rate, max_breadcrumbs, dedupe, max_linked_errors, ignore_errors, deny_urls, allow_urls, ignored_status, default_ignores, runtime, tunnel, host, org_id, strict_trace_continuation, send_default_pii, scrub] = read::pick(
            text,
            &[
                "dsn",
                "release",
                "environment",
                "enabled",
                "sampleRate",
                "maxBreadcrumbs",
                "dedupe",
                "maxLinkedErrors",
                "ignoreErrors",
                "denyUrls",
                "allowUrls",
                "ignoreHttpStatus",
                "ignoreBrowserNoise",
                "runtime",
                "tunnel",
                "host",
                "orgId",
                "strictTraceContinuation",
                "sendDefaultPii",
                "scrub",
            ],
        );
        let text = |v: Option<&str>| v.and_then(read::owned_string);
        let flag = |v: Option<&str>, default: bool| v.and_then(read::boolean).unwrap_or(default);
        // Counts as given, clamped here.
        let count = |v: Option<&str>, default: usize, max: usize| v.and_then(read::number).map_or(default, |n| (n as usize).min(max));
        let strings = |v: Option<&str>| -> Vec<String> {
            let mut out = Vec::new();
            for e in v.and_then(read::elements).unwrap_or_default() {
                if let Some(s) = read::owned_string(e) {
                    out.push(s);
                }
            }
            out
        };
        Options {
            dsn: text(dsn),
            release: text(release),
            environment: text(environment).unwrap_or_else(|| "production".into()),
            enabled: flag(enabled, true),
            sample_rate: sample_rate.map_or(1.0, binary_fraction),
            max_breadcrumbs: count(max_breadcrumbs, DEFAULT_MAX_BREADCRUMBS, MAX_BREADCRUMBS),
            dedupe: flag(dedupe, true),
            max_linked_errors: count(max_linked_errors, DEFAULT_MAX_LINKED_ERRORS, MAX_LINKED_ERRORS),
            filters: Filters {
                ignore_errors: strings(ignore_errors),
                deny_urls: strings(deny_urls),
                allow_urls: strings(allow_urls),
                ignored_status: ignored_status.map_or_else(|| DEFAULT_IGNORED_STATUS.to_vec(), status_specs),
                default_ignores: flag(default_ignores, true),
            },
            runtime: text(runtime).unwrap_or_else(|| "unknown".into()),
            tunnel: text(tunnel),
            host: HostFacts::parse(host.unwrap_or("{}")),
            org_id: text(org_id),
            strict_trace_continuation: flag(strict_trace_continuation, false),
            send_default_pii: flag(send_default_pii, false),
            scrub: scrub.filter(|v| !read::is_null(v)).map(String::from),
        }
    }

    /// The SDK name for `sdk.name`: `oxeye.javascript.<runtime>`.
    pub fn sdk_name(&self) -> String {
        crate::text::cat(&["oxeye.javascript.", &self.runtime])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolved_values_are_read_and_absent_ones_default() {
        let o = Options::parse(r#"{"dsn":"http://k@h/1","environment":"staging","sampleRate":[1,2],"maxBreadcrumbs":3,"ignoreErrors":["a"],"ignoreHttpStatus":[404,[500,599]],"ignoreBrowserNoise":false,"orgId":"17","scrub":{"enabled":false},"host":{"userAgent":"UA"}}"#);
        assert_eq!((o.dsn.as_deref(), o.environment.as_str(), o.sample_rate, o.max_breadcrumbs), (Some("http://k@h/1"), "staging", 0.25, 3));
        assert_eq!(o.filters.ignore_errors, ["a"]);
        assert_eq!(o.filters.ignored_status, [StatusSpec::One(404), StatusSpec::Range(500, 599)]);
        assert!(!o.filters.default_ignores);
        assert_eq!((o.org_id.as_deref(), o.scrub.as_deref(), o.host.user_agent.as_deref()), (Some("17"), Some(r#"{"enabled":false}"#), Some("UA")));
        let d = Options::parse("{}");
        assert_eq!((d.environment.as_str(), d.sample_rate, d.max_breadcrumbs, d.max_linked_errors), ("production", 1.0, DEFAULT_MAX_BREADCRUMBS, DEFAULT_MAX_LINKED_ERRORS));
        assert_eq!(d.filters.ignored_status, DEFAULT_IGNORED_STATUS);
        assert!(d.enabled && d.dedupe && d.filters.default_ignores && !d.send_default_pii);
    }
}
