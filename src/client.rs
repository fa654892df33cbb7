//! The client: options and DSN resolved once, then one call per capture that turns the
//! host's facts into a ready-to-send envelope, or says why nothing is sent.
//!
//! The client owns no I/O and no clock. Every call gets the current time and fresh random
//! bytes from the host, so the same pipeline runs natively in tests.

use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::dsn::Dsn;
use crate::envelope;
use crate::event::{self, Mechanism, Thrown};
use crate::ids;
use crate::options::Options;
use crate::time;

/// The SDK version, shared by `sdk.version` and `sentry_client`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// One capture call from the host.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CaptureInput {
    /// A thrown value (`captureException`, global handlers).
    pub exception: Option<Thrown>,
    /// A message (`captureMessage`).
    pub message: Option<String>,
    /// The level asked for; `error` for exceptions, `info` for messages by default.
    pub level: Option<String>,
    /// How the exception was captured.
    pub mechanism: Option<Mechanism>,
    /// A whole event (`captureEvent`); other fields are filled in where missing.
    pub event: Option<Value>,
    /// Unix milliseconds at the moment of capture.
    pub timestamp: f64,
    /// An id the host already handed out (calls queued before the core was ready).
    pub event_id: Option<String>,
}

/// What became of a capture.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Ready to hand to the transport.
    Send {
        /// The event's id.
        event_id: String,
        /// Envelope bytes.
        envelope: Vec<u8>,
    },
    /// Not sent; `reason` is the client-report reason, `detail` says why in words.
    Dropped {
        /// The event's id.
        event_id: String,
        /// Client-report reason, or `disabled` when the SDK is off.
        reason: &'static str,
        /// A sentence for debug logging.
        detail: String,
    },
}

/// A configured client.
#[derive(Debug, Clone)]
pub struct Client {
    options: Options,
    dsn: Option<Dsn>,
    dsn_error: Option<String>,
    sdk_name: String,
}

impl Client {
    /// Resolves options. Never fails: a bad DSN disables the client and is reported by
    /// [`Client::dsn_error`].
    pub fn new(options: Options) -> Client {
        let (dsn, dsn_error) = match options.dsn.as_deref().map(str::trim) {
            None | Some("") => (None, None),
            Some(text) => match Dsn::parse(text) {
                Ok(d) => (Some(d), None),
                Err(e) => (None, Some(e.to_string())),
            },
        };
        let sdk_name = options.sdk_name();
        Client { options, dsn, dsn_error, sdk_name }
    }

    /// Why the DSN was rejected, if it was.
    pub fn dsn_error(&self) -> Option<&str> {
        self.dsn_error.as_deref()
    }

    /// True when events are built and sent.
    pub fn is_enabled(&self) -> bool {
        self.dsn.is_some() && self.options.enabled != Some(false)
    }

    /// A sentence explaining why the client is disabled, for debug logging.
    pub fn disabled_reason(&self) -> Option<String> {
        if let Some(e) = &self.dsn_error {
            Some(format!("oxeye is disabled: {e}"))
        } else if self.dsn.is_none() {
            Some("oxeye is disabled: no DSN was given".into())
        } else if self.options.enabled == Some(false) {
            Some("oxeye is disabled: `enabled` is false".into())
        } else {
            None
        }
    }

    /// The URL envelopes are posted to: the tunnel when set, else the DSN's endpoint
    /// with query-string auth (no CORS preflight).
    pub fn url(&self) -> Option<String> {
        let dsn = self.dsn.as_ref()?;
        match self.options.tunnel.as_deref() {
            Some(t) if !t.is_empty() => Some(t.to_string()),
            _ => Some(dsn.envelope_url(&self.sentry_client())),
        }
    }

    /// `oxeye.javascript/<version>`, as sent in `sentry_client`.
    pub fn sentry_client(&self) -> String {
        let mut s = String::from("oxeye.javascript/");
        s.push_str(VERSION);
        s
    }

    /// The `sdk` object of events and envelope headers.
    pub fn sdk(&self) -> Value {
        json!({ "name": self.sdk_name, "version": VERSION })
    }

    /// A fresh event id from 16 random bytes.
    pub fn new_event_id(random: &[u8]) -> String {
        ids::uuid4(random)
    }

    /// Runs one capture through the pipeline. `now_ms` is the current time (for
    /// `sent_at`), `random` at least 16 fresh random bytes.
    pub fn capture(&mut self, input: CaptureInput, now_ms: f64, random: &[u8]) -> Outcome {
        let event_id = match input.event_id.as_deref() {
            Some(id) if ids::is_event_id(id) => id.to_string(),
            _ => Self::new_event_id(random),
        };
        if let Some(detail) = self.disabled_reason() {
            return Outcome::Dropped { event_id, reason: "disabled", detail };
        }
        let event = self.build_event(input, &event_id);
        let payload = match serde_json::to_vec(&event) {
            Ok(p) => p,
            Err(e) => {
                return Outcome::Dropped {
                    event_id,
                    reason: "internal_sdk_error",
                    detail: format!("event could not be serialised: {e}"),
                }
            }
        };
        let envelope = self.envelope(&event_id, now_ms, payload);
        Outcome::Send { event_id, envelope }
    }

    fn build_event(&self, input: CaptureInput, event_id: &str) -> Value {
        let mut ev = match input.event {
            Some(Value::Object(m)) => m,
            _ => Map::new(),
        };
        ev.insert("event_id".into(), Value::from(event_id));
        if !ev.contains_key("timestamp") {
            ev.insert("timestamp".into(), Value::from(time::unix_seconds(input.timestamp)));
        }
        ev.insert("platform".into(), Value::from("javascript"));
        let default_level = if input.exception.is_some() { "error" } else if input.message.is_some() { "info" } else { "error" };
        let lvl = input.level.as_deref().or(ev.get("level").and_then(Value::as_str)).unwrap_or(default_level);
        ev.insert("level".into(), Value::from(event::level(Some(lvl))));
        ev.insert("sdk".into(), self.sdk());
        if let Some(r) = self.options.release.as_deref().filter(|r| !r.is_empty()) {
            ev.entry("release").or_insert_with(|| Value::from(r));
        }
        ev.entry("environment").or_insert_with(|| Value::from(self.options.environment()));
        // Sentry's schema names the message interface `logentry`; `message` is its legacy alias.
        if let Some(legacy) = ev.remove("message") {
            let entry = match legacy {
                Value::String(s) => json!({ "formatted": s }),
                other => other,
            };
            ev.entry("logentry").or_insert(entry);
        }
        if let Some(msg) = input.message {
            ev.insert("logentry".into(), json!({ "formatted": event::truncate(&msg, event::MAX_VALUE_CHARS) }));
        }
        if let Some(thrown) = input.exception {
            let (ex, extra) = event::exception(&thrown, &input.mechanism.unwrap_or_default());
            ev.insert("exception".into(), json!({ "values": [ex] }));
            if let Some(data) = extra {
                let extras = ev.entry("extra").or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(m) = extras {
                    m.insert("__serialized__".into(), data);
                }
            }
        }
        Value::Object(ev)
    }

    fn envelope(&self, event_id: &str, now_ms: f64, payload: Vec<u8>) -> Vec<u8> {
        let mut headers = Map::new();
        headers.insert("event_id".into(), Value::from(event_id));
        headers.insert("sent_at".into(), Value::from(time::rfc3339(now_ms)));
        headers.insert("sdk".into(), self.sdk());
        if self.options.tunnel.as_deref().is_some_and(|t| !t.is_empty()) {
            if let Some(d) = &self.dsn {
                headers.insert("dsn".into(), Value::from(d.to_public_string()));
            }
        }
        envelope::build(&headers, &[(envelope::item_headers("event"), payload)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DSN: &str = "http://abc123@127.0.0.1:8000/7";

    fn client(dsn: Option<&str>) -> Client {
        Client::new(Options { dsn: dsn.map(Into::into), runtime: Some("node".into()), release: Some("app@1".into()), ..Default::default() })
    }

    fn split(envelope: &[u8]) -> (Value, Value, Value) {
        let text = std::str::from_utf8(envelope).unwrap();
        let mut lines = text.splitn(3, '\n');
        let h: Value = serde_json::from_str(lines.next().unwrap()).unwrap();
        let ih: Value = serde_json::from_str(lines.next().unwrap()).unwrap();
        let rest = lines.next().unwrap();
        let len = ih["length"].as_u64().unwrap() as usize;
        assert_eq!(&rest[len..], "\n", "payload is exactly `length` bytes");
        (h, ih, serde_json::from_str(&rest[..len]).unwrap())
    }

    #[test]
    fn exception_becomes_a_complete_envelope() {
        let mut c = client(Some(DSN));
        let input = CaptureInput {
            exception: Some(Thrown { kind: "error".into(), name: Some("TypeError".into()), message: Some("bad".into()), ..Default::default() }),
            timestamp: 1_700_000_000_000.0,
            ..Default::default()
        };
        let Outcome::Send { event_id, envelope } = c.capture(input, 1_700_000_000_500.0, &[7; 16]) else { panic!("dropped") };
        assert!(ids::is_event_id(&event_id));
        let (h, ih, ev) = split(&envelope);
        assert_eq!(h["event_id"], event_id.as_str());
        assert_eq!(h["sent_at"], "2023-11-14T22:13:20.500Z");
        assert_eq!(h["sdk"]["name"], "oxeye.javascript.node");
        assert!(h.get("dsn").is_none(), "dsn header only when tunnelling");
        assert_eq!(ih["type"], "event");
        assert_eq!(ev["event_id"], event_id.as_str());
        assert_eq!(ev["platform"], "javascript");
        assert_eq!(ev["level"], "error");
        assert_eq!(ev["release"], "app@1");
        assert_eq!(ev["environment"], "production");
        assert_eq!(ev["timestamp"], 1_700_000_000.0);
        assert_eq!(ev["sdk"]["version"], VERSION);
        assert_eq!(ev["exception"]["values"][0]["type"], "TypeError");
        assert_eq!(ev["exception"]["values"][0]["mechanism"]["type"], "generic");
        assert_eq!(ev["exception"]["values"][0]["mechanism"]["handled"], true);
    }

    #[test]
    fn message_and_queued_id() {
        let mut c = client(Some(DSN));
        let id = "0123456789abcdef0123456789abcdef";
        let input = CaptureInput { message: Some("hi".into()), event_id: Some(id.into()), level: Some("warning".into()), ..Default::default() };
        let Outcome::Send { event_id, envelope } = c.capture(input, 0.0, &[1; 16]) else { panic!() };
        assert_eq!(event_id, id);
        let (_, _, ev) = split(&envelope);
        assert_eq!(ev["logentry"]["formatted"], "hi");
        assert_eq!(ev["level"], "warning");
    }

    #[test]
    fn capture_event_keeps_given_fields() {
        let mut c = client(Some(DSN));
        let input = CaptureInput { event: Some(json!({"message": "m", "environment": "staging", "tags": {"a": "b"}})), ..Default::default() };
        let Outcome::Send { envelope, .. } = c.capture(input, 0.0, &[1; 16]) else { panic!() };
        let (_, _, ev) = split(&envelope);
        assert_eq!(ev["environment"], "staging");
        assert_eq!(ev["logentry"]["formatted"], "m");
        assert!(ev.get("message").is_none());
        assert_eq!(ev["tags"]["a"], "b");
        assert_eq!(ev["platform"], "javascript");
    }

    #[test]
    fn missing_or_bad_dsn_disables() {
        let mut c = client(None);
        assert!(!c.is_enabled());
        assert!(c.dsn_error().is_none());
        assert!(matches!(c.capture(CaptureInput::default(), 0.0, &[0; 16]), Outcome::Dropped { reason: "disabled", .. }));
        let c = client(Some("ftp://k@h/1"));
        assert!(!c.is_enabled());
        assert!(c.dsn_error().unwrap().contains("scheme"), "{:?}", c.dsn_error());
        assert!(c.url().is_none());
        let mut off = Client::new(Options { dsn: Some(DSN.into()), enabled: Some(false), ..Default::default() });
        assert!(matches!(off.capture(CaptureInput::default(), 0.0, &[0; 16]), Outcome::Dropped { reason: "disabled", .. }));
    }

    #[test]
    fn tunnel_puts_dsn_in_header_without_secret() {
        let mut c = Client::new(Options { dsn: Some("https://pub:sec@o1.ingest.sentry.io/5".into()), tunnel: Some("/tunnel".into()), ..Default::default() });
        assert_eq!(c.url().unwrap(), "/tunnel");
        let Outcome::Send { envelope, .. } = c.capture(CaptureInput { message: Some("x".into()), ..Default::default() }, 0.0, &[0; 16]) else { panic!() };
        let (h, _, _) = split(&envelope);
        let dsn = h["dsn"].as_str().unwrap();
        assert!(dsn.contains("pub@") && !dsn.contains("sec"), "{dsn}");
    }

    #[test]
    fn endpoint_url_has_query_auth() {
        let c = client(Some(DSN));
        let url = c.url().unwrap();
        assert!(url.starts_with("http://127.0.0.1:8000/api/7/envelope/?"), "{url}");
        assert!(url.contains("sentry_key=abc123") && url.contains("sentry_version=7"), "{url}");
        assert!(url.contains("sentry_client=oxeye.javascript"), "{url}");
    }
}
