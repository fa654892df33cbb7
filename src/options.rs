//! Client options as the core sees them: plain data read once at `init`, field by field,
//! so one bad value is reported (and replaced by its default) instead of failing the rest.
//!
//! Resolution order for each setting, strongest first: code (`init` options) → environment
//! variables (`SENTRY_DSN`, `SENTRY_RELEASE`, `SENTRY_ENVIRONMENT`, `SENTRY_SAMPLE_RATE`,
//! `SENTRY_DEBUG`, from `process.env` or a Worker's `env`) → per-environment defaults
//! (`environments: { development: { … } }`) → built-in defaults. Callbacks (`transport`,
//! `beforeSend`, …) and `RegExp` patterns stay in the shim.
//!
//! Options arrive as JSON text and are read with the tokenizer, field by field.
//!
//! The environment, when nobody names it, is the one the shim guessed from the host name
//! (`js/api/environment.ts`, by DNS labels), else `production`.

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
    /// Verbose logging of every decision.
    pub debug: bool,
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
    /// `scrub`: on-device PII scrubbing options as given; compiled and validated by
    /// [`crate::pii::PiiConfig`] (an invalid value disables the client, see `Client::new`).
    pub scrub: Option<String>,
    /// One sentence per option value that was rejected.
    pub errors: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            dsn: None,
            release: None,
            environment: "production".into(),
            debug: false,
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
            errors: Vec::new(),
        }
    }
}

/// An options object (valid JSON), its members looked up one by one.
struct Fields<'a>(&'a str);

/// The longest prefix of `raw` of at most `max` bytes, on a character boundary.
fn clip(raw: &str, max: usize) -> &str {
    &raw[..raw.floor_char_boundary(max)]
}

fn invalid(errors: &mut Vec<String>, key: &str, raw: &str) {
    errors.push(crate::text::cat(&["option `", key, "` has an invalid value ", clip(raw, 100), "; it is ignored"]));
}

impl<'a> Fields<'a> {
    /// The raw value of `key` (its first member), None when absent or null.
    fn raw(&self, key: &str) -> Option<&'a str> {
        read::field(self.0, key).filter(|v| !read::is_null(v))
    }

    fn typed<T>(&self, key: &str, errors: &mut Vec<String>, f: impl FnOnce(&'a str) -> Option<T>) -> Option<T> {
        let raw = self.raw(key)?;
        let v = f(raw);
        if v.is_none() {
            invalid(errors, key, raw);
        }
        v
    }

    /// A string setting, trimmed; None when absent, blank or not a string (reported).
    fn text(&self, key: &str, errors: &mut Vec<String>) -> Option<String> {
        nonblank(self.typed(key, errors, read::string))
    }

    fn boolean(&self, key: &str, errors: &mut Vec<String>) -> Option<bool> {
        self.typed(key, errors, read::boolean)
    }

    fn number(&self, key: &str, errors: &mut Vec<String>) -> Option<f64> {
        self.typed(key, errors, read::number)
    }

    fn count(&self, key: &str, errors: &mut Vec<String>) -> Option<usize> {
        self.typed(key, errors, |r| whole_number(r, f64::INFINITY).map(|n| n.min(1e9) as usize))
    }

    /// A list of strings; empty when absent or not a list of strings (reported).
    fn strings(&self, key: &str, errors: &mut Vec<String>) -> Vec<String> {
        self.typed(key, errors, |r| {
            let mut out = Vec::new();
            for e in read::elements(r)? {
                out.push(read::string(e)?.into_owned());
            }
            Some(out)
        })
        .unwrap_or_default()
    }

    /// An object setting; `{}` when absent or not an object (reported).
    fn object(&self, key: &str, errors: &mut Vec<String>) -> &'a str {
        // `read::field` hands back the value from its first byte.
        self.typed(key, errors, |r| r.starts_with("{").then_some(r)).unwrap_or("{}")
    }
}

/// The JSON number `raw` when it is a whole number from 0 to `max` (counts, limits and
/// HTTP status codes in options and events).
pub fn whole_number(raw: &str, max: f64) -> Option<f64> {
    read::number(raw).filter(|n| (0.0..=max).contains(n) && n.fract() == 0.0)
}

fn status_specs(raw: &str) -> Option<Vec<StatusSpec>> {
    let code = |r: &str| whole_number(r, 65535.0).map(|n| n as u16);
    let mut out = Vec::new();
    for e in read::elements(raw)? {
        out.push(match read::elements(e) {
            Some(pair) if pair.len() == 2 => StatusSpec::Range(code(pair[0])?, code(pair[1])?),
            Some(_) => return None,
            None => StatusSpec::One(code(e)?),
        });
    }
    Some(out)
}

/// The trimmed, non-blank string member `key` of the `env` object (no report: its other
/// members are not ours).
fn env_var(env: &str, key: &str) -> Option<String> {
    nonblank(read::field(env, key).and_then(read::string))
}

/// A read string, trimmed; None when absent or blank.
fn nonblank(s: Option<std::borrow::Cow<str>>) -> Option<String> {
    let s = s?;
    let s = crate::text::trim(&s);
    (!s.is_empty()).then(|| s.to_owned())
}

/// `true, t, y, yes, on, 1` → true; `false, f, n, no, off, 0` → false.
pub fn parse_bool(s: &str) -> Option<bool> {
    // The words as space-separated texts, compared ignoring ASCII case (no lowercase copy).
    let s = crate::text::trim(s);
    let one_of = |words: &str| crate::text::split_byte(words, b' ').any(|w| s.eq_ignore_ascii_case(w));
    if one_of("true t y yes on 1") {
        Some(true)
    } else if one_of("false f n no off 0") {
        Some(false)
    } else {
        None
    }
}

/// Reads a plain decimal such as `1`, `0.25` or `.5` (what `SENTRY_SAMPLE_RATE` holds).
/// Written by hand: Rust's general float parser costs about 14 KB of gzipped wasm.
pub fn parse_rate(s: &str) -> Option<f64> {
    let (int, frac) = crate::text::decimal(s).filter(|(int, _)| int.len() <= 9)?;
    let mut value = int.bytes().fold(0f64, |acc, c| acc * 10.0 + f64::from(c - b'0'));
    let mut scale = 0.1;
    for c in frac.bytes().take(12) {
        value += f64::from(c - b'0') * scale;
        scale /= 10.0;
    }
    Some(value)
}

fn valid_rate(r: f64) -> bool {
    // NaN and the infinities are outside the range.
    (0.0..=1.0).contains(&r)
}

impl Options {
    /// Reads options from the JSON text of a plain object (as the shim passes them).
    pub fn parse(text: &str) -> Options {
        // Every setting is read into a local and the struct is made once at the end, in
        // the order the settings are read (the order of `errors`).
        let mut errors = Vec::new();
        let trimmed = crate::text::trim(text);
        let object = trimmed.starts_with("{") && read::validate(text).is_ok();
        if trimmed != "null" && !object {
            errors.push(crate::text::cat(&["options must be a JSON object, not ", clip(trimmed, 100), "; defaults are used"]));
        }
        let errors = &mut errors;
        let m = Fields(if object { text } else { "{}" });
        let env = m.object("env", errors);
        let mut host = HostFacts::parse(m.object("host", errors));

        let dsn = m.text("dsn", errors).or_else(|| env_var(env, "SENTRY_DSN"));
        let release = m.text("release", errors)
            .or_else(|| env_var(env, "SENTRY_RELEASE"))
            .or_else(|| m.text("buildRelease", errors));
        let environment = match m.text("environment", errors).or_else(|| env_var(env, "SENTRY_ENVIRONMENT")) {
            Some(e) => e,
            None => host.environment.take().unwrap_or_else(|| "production".into()),
        };

        // Per-environment defaults sit between environment variables and built-ins.
        let per_env = m.object("environments", errors);
        let defaults = Fields(read::field(per_env, &environment).unwrap_or("{}"));
        let mut env_rate = None;
        if let Some(s) = env_var(env, "SENTRY_SAMPLE_RATE") {
            match parse_rate(&s) {
                Some(r) if valid_rate(r) => env_rate = Some(r),
                _ => errors.push(crate::text::cat(&["SENTRY_SAMPLE_RATE \"", clip(&s, 100), "\" is not a number from 0 to 1; it is ignored"])),
            }
        }
        let mut sample_rate = 1.0;
        match m.number("sampleRate", errors).or(env_rate).or_else(|| defaults.number("sampleRate", errors)) {
            Some(r) if valid_rate(r) => sample_rate = r,
            Some(_) => errors.push("sampleRate is not a number from 0 to 1; 1 is used".into()),
            None => {}
        }
        let debug = m
            .boolean("debug", errors)
            .or_else(|| env_var(env, "SENTRY_DEBUG").and_then(|s| parse_bool(&s)))
            .or_else(|| defaults.boolean("debug", errors))
            .unwrap_or(false);
        let enabled = m.boolean("enabled", errors).or_else(|| defaults.boolean("enabled", errors)).unwrap_or(true);
        let max_crumbs = m.count("maxBreadcrumbs", errors).or_else(|| defaults.count("maxBreadcrumbs", errors));
        let max_breadcrumbs = max_crumbs.unwrap_or(DEFAULT_MAX_BREADCRUMBS).min(MAX_BREADCRUMBS);
        let dedupe = m.boolean("dedupe", errors).unwrap_or(true);
        let max_linked_errors = m.count("maxLinkedErrors", errors).unwrap_or(DEFAULT_MAX_LINKED_ERRORS).min(MAX_LINKED_ERRORS);
        let ignore_errors = m.strings("ignoreErrors", errors);
        let deny_urls = m.strings("denyUrls", errors);
        let allow_urls = m.strings("allowUrls", errors);
        let ignored_status = match m.typed("ignoreHttpStatus", errors, status_specs) {
            Some(specs) => specs,
            None => DEFAULT_IGNORED_STATUS.to_vec(),
        };
        let default_ignores = m.boolean("ignoreBrowserNoise", errors).unwrap_or(true);
        let runtime = m.text("runtime", errors)
            .filter(|r| r.len() <= 32 && r.bytes().all(|c| c.is_ascii_alphanumeric()))
            .unwrap_or_else(|| "unknown".into());
        let tunnel = m.text("tunnel", errors);
        let send_default_pii = m.boolean("sendDefaultPii", errors).or_else(|| defaults.boolean("sendDefaultPii", errors)).unwrap_or(false);
        let scrub = m.raw("scrub").map(String::from);
        // Trace propagation.
        // A string, trimmed, or a number as written (`read::field` gives its own bytes).
        let org_id = nonblank(m.typed("orgId", errors, |r| match read::string(r) {
            None if read::number(r).is_some() => Some(r.into()),
            s => s,
        }));
        let strict_trace_continuation = m.boolean("strictTraceContinuation", errors).unwrap_or(false);
        Options {
            dsn,
            release,
            environment,
            debug,
            enabled,
            sample_rate,
            max_breadcrumbs,
            dedupe,
            max_linked_errors,
            filters: Filters { ignore_errors, deny_urls, allow_urls, ignored_status, default_ignores },
            runtime,
            tunnel,
            host,
            org_id,
            strict_trace_continuation,
            send_default_pii,
            scrub,
            errors: std::mem::take(errors),
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
    use serde_json::json;

    fn opts(v: serde_json::Value) -> Options {
        Options::parse(&v.to_string())
    }

    #[test]
    fn code_wins_over_environment_variables() {
        let o = opts(json!({
            "dsn": "http://k@h/1",
            "env": {"SENTRY_DSN": "http://other@h/2", "SENTRY_RELEASE": "env@1", "SENTRY_ENVIRONMENT": "staging", "SENTRY_SAMPLE_RATE": "0.25", "SENTRY_DEBUG": "yes"}
        }));
        assert_eq!(o.dsn.as_deref(), Some("http://k@h/1"));
        assert_eq!(o.release.as_deref(), Some("env@1"));
        assert_eq!(o.environment, "staging");
        assert_eq!(o.sample_rate, 0.25);
        assert!(o.debug);
        let code = opts(json!({"sampleRate": 0.5, "debug": false, "env": {"SENTRY_SAMPLE_RATE": "0.25", "SENTRY_DEBUG": "1"}}));
        assert_eq!(code.sample_rate, 0.5);
        assert!(!code.debug);
        assert!(code.errors.is_empty());
    }

    #[test]
    fn environment_is_the_shims_guess() {
        for env in ["development", "staging", "preview", "production"] {
            let o = opts(json!({"host": {"environment": env}}));
            assert_eq!(o.environment, env);
        }
        assert_eq!(opts(json!({})).environment, "production");
    }

    #[test]
    fn per_environment_defaults_apply_below_code_and_env_vars() {
        let envs = json!({"development": {"sampleRate": 1.0, "debug": true}, "production": {"sampleRate": 0.1}});
        let dev = opts(json!({"host": {"environment": "development"}, "environments": envs.clone()}));
        assert!(dev.debug);
        assert_eq!(dev.sample_rate, 1.0);
        let prod = opts(json!({"host": {"environment": "production"}, "environments": envs.clone()}));
        assert_eq!(prod.sample_rate, 0.1);
        assert!(!prod.debug);
        let overridden = opts(json!({"environment": "production", "sampleRate": 0.9, "environments": envs}));
        assert_eq!(overridden.sample_rate, 0.9);
    }

    #[test]
    fn bad_values_are_reported_and_replaced_by_defaults() {
        let o = opts(json!({"dsn": "http://k@h/1", "sampleRate": 7, "maxBreadcrumbs": "many", "ignoreErrors": "not a list", "env": {"SENTRY_SAMPLE_RATE": "lots"}}));
        assert_eq!(o.dsn.as_deref(), Some("http://k@h/1"), "one bad value loses nothing else");
        assert_eq!(o.sample_rate, 1.0);
        assert_eq!(o.max_breadcrumbs, DEFAULT_MAX_BREADCRUMBS);
        assert_eq!(o.errors.len(), 4, "{:?}", o.errors);
        assert!(o.errors.iter().any(|e| e.contains("sampleRate")));
        assert!(o.errors.iter().any(|e| e.contains("maxBreadcrumbs")));
        assert!(o.errors.iter().any(|e| e.contains("SENTRY_SAMPLE_RATE")));
        assert_eq!(opts(json!("nope")).errors.len(), 1);
        assert_eq!(Options::parse("{not json").errors.len(), 1);
        assert!(Options::parse("null").errors.is_empty());
    }

    #[test]
    fn sample_rates_from_text() {
        assert_eq!(parse_rate("1"), Some(1.0));
        assert_eq!(parse_rate("0"), Some(0.0));
        assert_eq!(parse_rate("1.0"), Some(1.0));
        assert!((parse_rate("0.25").unwrap() - 0.25).abs() < 1e-12);
        assert!((parse_rate(".5").unwrap() - 0.5).abs() < 1e-12);
        for bad in ["", ".", "lots", "-0.5", "1e-3", "0.5.1", " 0.5"] {
            assert_eq!(parse_rate(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn filters_and_status_lists() {
        let o = opts(json!({"ignoreErrors": ["a"], "denyUrls": ["x"], "ignoreHttpStatus": [404, [500, 599]], "ignoreBrowserNoise": false}));
        assert_eq!(o.filters.ignore_errors, ["a"]);
        assert_eq!(o.filters.ignored_status, [StatusSpec::One(404), StatusSpec::Range(500, 599)]);
        assert!(!o.filters.default_ignores);
        assert_eq!(opts(json!({})).filters.ignored_status, DEFAULT_IGNORED_STATUS);
        assert_eq!(parse_bool(" On "), Some(true));
        assert_eq!(parse_bool("maybe"), None);
    }

    #[test]
    fn org_id_is_a_trimmed_string_or_a_number() {
        assert_eq!(opts(json!({"orgId": " 17 "})).org_id.as_deref(), Some("17"));
        assert_eq!(Options::parse(r#"{"orgId": 1.5e3 }"#).org_id.as_deref(), Some("1.5e3"));
        let blank = opts(json!({"orgId": "  "}));
        assert_eq!((blank.org_id, blank.errors.len()), (None, 0));
        let bad = opts(json!({"orgId": true}));
        assert_eq!((bad.org_id, bad.errors.len()), (None, 1));
    }

    #[test]
    fn limits_are_clamped() {
        let o = opts(json!({"maxBreadcrumbs": 1e9, "maxLinkedErrors": 1e9}));
        assert_eq!((o.max_breadcrumbs, o.max_linked_errors), (MAX_BREADCRUMBS, MAX_LINKED_ERRORS));
        assert!(o.errors.is_empty());
        let bad = opts(json!({"ignoreErrors": "string", "maxBreadcrumbs": -1, "orgId": 42, "scrub": {"enabled": false}}));
        assert_eq!(bad.errors.len(), 2, "{:?}", bad.errors);
        assert_eq!(bad.org_id.as_deref(), Some("42"));
        assert_eq!(bad.scrub.as_deref(), Some(r#"{"enabled":false}"#));
    }
}
