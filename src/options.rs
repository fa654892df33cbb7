//! Client options as the core sees them: plain data read once at `init`, field by field,
//! so one bad value is reported (and replaced by its default) instead of failing the rest.
//!
//! Resolution order for each setting, strongest first: code (`init` options) → environment
//! variables (`SENTRY_DSN`, `SENTRY_RELEASE`, `SENTRY_ENVIRONMENT`, `SENTRY_SAMPLE_RATE`,
//! `SENTRY_DEBUG`, from `process.env` or a Worker's `env`) → per-environment defaults
//! (`environments: { development: { … } }`) → built-in defaults. Callbacks (`transport`,
//! `beforeSend`, …) and `RegExp` patterns stay in the shim.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::context::HostFacts;
use crate::filters::{Filters, StatusSpec, DEFAULT_IGNORED_STATUS};

/// Default ring-buffer size of breadcrumbs.
pub const DEFAULT_MAX_BREADCRUMBS: usize = 100;
/// Default depth of `error.cause` chains and aggregate members.
pub const DEFAULT_MAX_LINKED_ERRORS: usize = 5;

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
    pub scrub: Option<Value>,
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

/// Reads one typed field; a wrong type is reported and the field treated as absent.
fn take<T: DeserializeOwned>(m: &mut Map<String, Value>, key: &str, errors: &mut Vec<String>) -> Option<T> {
    match m.remove(key) {
        None | Some(Value::Null) => None,
        Some(v) => match serde_json::from_value::<T>(v.clone()) {
            Ok(t) => Some(t),
            Err(_) => {
                errors.push(format!("option `{key}` has an invalid value {v}; it is ignored"));
                None
            }
        },
    }
}

fn nonempty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// `true, t, y, yes, on, 1` → true; `false, f, n, no, off, 0` → false.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "t" | "y" | "yes" | "on" | "1" => Some(true),
        "false" | "f" | "n" | "no" | "off" | "0" => Some(false),
        _ => None,
    }
}

/// The environment for a host name: `localhost`, `127.0.0.1` or a host containing
/// `local` or `test` is `development`; anything else `production`.
pub fn detect_environment(hostname: Option<&str>) -> &'static str {
    match hostname.map(|h| h.trim().to_ascii_lowercase()) {
        Some(h) if h == "localhost" || h == "127.0.0.1" || h == "[::1]" || h.contains("local") || h.contains("test") => "development",
        _ => "production",
    }
}

/// Reads a plain decimal such as `1`, `0.25` or `.5` (what `SENTRY_SAMPLE_RATE` holds).
/// Written by hand: Rust's general float parser costs about 14 KB of gzipped wasm.
pub fn parse_rate(s: &str) -> Result<f64, ()> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if (int.is_empty() && frac.is_empty()) || !int.bytes().chain(frac.bytes()).all(|c| c.is_ascii_digit()) || int.len() > 9 {
        return Err(());
    }
    let mut value = int.bytes().fold(0f64, |acc, c| acc * 10.0 + f64::from(c - b'0'));
    let mut scale = 0.1;
    for c in frac.bytes().take(12) {
        value += f64::from(c - b'0') * scale;
        scale /= 10.0;
    }
    Ok(value)
}

fn valid_rate(r: f64) -> bool {
    r.is_finite() && (0.0..=1.0).contains(&r)
}

impl Options {
    /// Reads options from a plain JSON object (as the shim passes them).
    pub fn from_value(value: Value) -> Options {
        let mut o = Options::default();
        let mut m = match value {
            Value::Object(m) => m,
            Value::Null => Map::new(),
            other => {
                o.errors.push(format!("options must be an object, not {other}; defaults are used"));
                Map::new()
            }
        };
        let errors = &mut o.errors;
        let env: Map<String, Value> = take(&mut m, "env", errors).unwrap_or_default();
        let env_str = |k: &str| nonempty(env.get(k).and_then(Value::as_str).map(String::from));
        let host: HostFacts = take(&mut m, "host", errors).unwrap_or_default();

        o.dsn = nonempty(take(&mut m, "dsn", errors)).or_else(|| env_str("SENTRY_DSN"));
        o.release = nonempty(take(&mut m, "release", errors))
            .or_else(|| env_str("SENTRY_RELEASE"))
            .or_else(|| nonempty(take(&mut m, "buildRelease", errors)));
        o.environment = nonempty(take(&mut m, "environment", errors))
            .or_else(|| env_str("SENTRY_ENVIRONMENT"))
            .unwrap_or_else(|| detect_environment(host.hostname.as_deref()).to_string());

        // Per-environment defaults sit between environment variables and built-ins.
        let per_env: Map<String, Value> = take(&mut m, "environments", errors).unwrap_or_default();
        let mut defaults = match per_env.get(&o.environment) {
            Some(Value::Object(d)) => d.clone(),
            _ => Map::new(),
        };
        let env_rate = env_str("SENTRY_SAMPLE_RATE").and_then(|s| match parse_rate(&s) {
            Ok(r) if valid_rate(r) => Some(r),
            _ => {
                errors.push(format!("SENTRY_SAMPLE_RATE {s:?} is not a number from 0 to 1; it is ignored"));
                None
            }
        });
        let rate = take::<f64>(&mut m, "sampleRate", errors)
            .or(env_rate)
            .or_else(|| take::<f64>(&mut defaults, "sampleRate", errors));
        match rate {
            Some(r) if valid_rate(r) => o.sample_rate = r,
            Some(r) => errors.push(format!("sampleRate {r} is not a number from 0 to 1; 1 is used")),
            None => {}
        }
        o.debug = take::<bool>(&mut m, "debug", errors)
            .or_else(|| env_str("SENTRY_DEBUG").and_then(|s| parse_bool(&s)))
            .or_else(|| take::<bool>(&mut defaults, "debug", errors))
            .unwrap_or(false);
        o.enabled = take::<bool>(&mut m, "enabled", errors).or_else(|| take::<bool>(&mut defaults, "enabled", errors)).unwrap_or(true);
        let max_crumbs = take::<usize>(&mut m, "maxBreadcrumbs", errors).or_else(|| take::<usize>(&mut defaults, "maxBreadcrumbs", errors));
        o.max_breadcrumbs = max_crumbs.unwrap_or(DEFAULT_MAX_BREADCRUMBS);
        o.dedupe = take(&mut m, "dedupe", errors).unwrap_or(true);
        o.max_linked_errors = take(&mut m, "maxLinkedErrors", errors).unwrap_or(DEFAULT_MAX_LINKED_ERRORS);
        o.filters.ignore_errors = take(&mut m, "ignoreErrors", errors).unwrap_or_default();
        o.filters.deny_urls = take(&mut m, "denyUrls", errors).unwrap_or_default();
        o.filters.allow_urls = take(&mut m, "allowUrls", errors).unwrap_or_default();
        if let Some(s) = take::<Vec<StatusSpec>>(&mut m, "ignoreHttpStatus", errors) {
            o.filters.ignored_status = s;
        }
        o.filters.default_ignores = take(&mut m, "ignoreBrowserNoise", errors).unwrap_or(true);
        o.runtime = nonempty(take(&mut m, "runtime", errors))
            .filter(|r| r.bytes().all(|c| c.is_ascii_alphanumeric()))
            .unwrap_or_else(|| "unknown".into());
        o.tunnel = nonempty(take(&mut m, "tunnel", errors));
        o.send_default_pii = take::<bool>(&mut m, "sendDefaultPii", errors)
            .or_else(|| take::<bool>(&mut defaults, "sendDefaultPii", errors))
            .unwrap_or(false);
        o.scrub = m.remove("scrub").filter(|v| !v.is_null());
        o.host = host;
        // Trace propagation.
        o.org_id = match take::<Value>(&mut m, "orgId", errors) {
            Some(Value::String(s)) => nonempty(Some(s)),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(other) => {
                errors.push(format!("option `orgId` has an invalid value {other}; it is ignored"));
                None
            }
            None => None,
        };
        o.strict_trace_continuation = take(&mut m, "strictTraceContinuation", errors).unwrap_or(false);
        o
    }

    /// The SDK name for `sdk.name`: `oxeye.javascript.<runtime>`.
    pub fn sdk_name(&self) -> String {
        let mut name = String::from("oxeye.javascript.");
        name.push_str(&self.runtime);
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn code_wins_over_environment_variables() {
        let o = Options::from_value(json!({
            "dsn": "http://k@h/1",
            "env": {"SENTRY_DSN": "http://other@h/2", "SENTRY_RELEASE": "env@1", "SENTRY_ENVIRONMENT": "staging", "SENTRY_SAMPLE_RATE": "0.25", "SENTRY_DEBUG": "yes"}
        }));
        assert_eq!(o.dsn.as_deref(), Some("http://k@h/1"));
        assert_eq!(o.release.as_deref(), Some("env@1"));
        assert_eq!(o.environment, "staging");
        assert_eq!(o.sample_rate, 0.25);
        assert!(o.debug);
        let code = Options::from_value(json!({"sampleRate": 0.5, "debug": false, "env": {"SENTRY_SAMPLE_RATE": "0.25", "SENTRY_DEBUG": "1"}}));
        assert_eq!(code.sample_rate, 0.5);
        assert!(!code.debug);
        assert!(code.errors.is_empty());
    }

    #[test]
    fn environment_is_detected_from_the_host() {
        for (host, env) in [("localhost", "development"), ("127.0.0.1", "development"), ("shop.local", "development"), ("test.shop.com", "development"), ("shop.com", "production")] {
            let o = Options::from_value(json!({"host": {"hostname": host}}));
            assert_eq!(o.environment, env, "{host}");
        }
        assert_eq!(Options::from_value(json!({})).environment, "production");
    }

    #[test]
    fn per_environment_defaults_apply_below_code_and_env_vars() {
        let envs = json!({"development": {"sampleRate": 1.0, "debug": true}, "production": {"sampleRate": 0.1}});
        let dev = Options::from_value(json!({"host": {"hostname": "localhost"}, "environments": envs.clone()}));
        assert!(dev.debug);
        assert_eq!(dev.sample_rate, 1.0);
        let prod = Options::from_value(json!({"host": {"hostname": "shop.com"}, "environments": envs.clone()}));
        assert_eq!(prod.sample_rate, 0.1);
        assert!(!prod.debug);
        let overridden = Options::from_value(json!({"environment": "production", "sampleRate": 0.9, "environments": envs}));
        assert_eq!(overridden.sample_rate, 0.9);
    }

    #[test]
    fn bad_values_are_reported_and_replaced_by_defaults() {
        let o = Options::from_value(json!({"dsn": "http://k@h/1", "sampleRate": 7, "maxBreadcrumbs": "many", "ignoreErrors": "not a list", "env": {"SENTRY_SAMPLE_RATE": "lots"}}));
        assert_eq!(o.dsn.as_deref(), Some("http://k@h/1"), "one bad value loses nothing else");
        assert_eq!(o.sample_rate, 1.0);
        assert_eq!(o.max_breadcrumbs, DEFAULT_MAX_BREADCRUMBS);
        assert_eq!(o.errors.len(), 4, "{:?}", o.errors);
        assert!(o.errors.iter().any(|e| e.contains("sampleRate 7")));
        assert!(o.errors.iter().any(|e| e.contains("maxBreadcrumbs")));
        assert!(o.errors.iter().any(|e| e.contains("SENTRY_SAMPLE_RATE")));
        assert_eq!(Options::from_value(json!("nope")).errors.len(), 1);
    }

    #[test]
    fn sample_rates_from_text() {
        assert_eq!(parse_rate("1"), Ok(1.0));
        assert_eq!(parse_rate("0"), Ok(0.0));
        assert_eq!(parse_rate("1.0"), Ok(1.0));
        assert!((parse_rate("0.25").unwrap() - 0.25).abs() < 1e-12);
        assert!((parse_rate(".5").unwrap() - 0.5).abs() < 1e-12);
        for bad in ["", ".", "lots", "-0.5", "1e-3", "0.5.1", " 0.5"] {
            assert_eq!(parse_rate(bad), Err(()), "{bad:?}");
        }
    }

    #[test]
    fn filters_and_status_lists() {
        let o = Options::from_value(json!({"ignoreErrors": ["a"], "denyUrls": ["x"], "ignoreHttpStatus": [404, [500, 599]], "ignoreBrowserNoise": false}));
        assert_eq!(o.filters.ignore_errors, ["a"]);
        assert_eq!(o.filters.ignored_status, [StatusSpec::One(404), StatusSpec::Range(500, 599)]);
        assert!(!o.filters.default_ignores);
        assert_eq!(Options::from_value(json!({})).filters.ignored_status, DEFAULT_IGNORED_STATUS);
        assert_eq!(parse_bool(" On "), Some(true));
        assert_eq!(parse_bool("maybe"), None);
    }
}
