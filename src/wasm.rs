//! The JavaScript boundary: the only module that knows about wasm-bindgen and JS values.
//!
//! `Core` wraps a [`Client`]. Values cross as plain objects through serde-wasm-bindgen;
//! envelopes leave as `Uint8Array`. No method throws: bad input becomes a dropped
//! outcome with reason `internal_sdk_error` and a sentence for debug logging.

use js_sys::{Object, Reflect, Uint8Array};
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::client::{CaptureInput, Client, Dropped, Outcome, ScopeIds, VERSION};
use crate::dsn::Dsn;

/// One oxeye client as seen from JavaScript.
#[wasm_bindgen]
pub struct Core {
    client: Client,
}

fn value(v: JsValue) -> Value {
    serde_wasm_bindgen::from_value(v).unwrap_or(Value::Null)
}

// ---- Delivery: rate limits and DSN parsing behind the shim's transport and tunnel. The
// shim does the I/O and passes the time in.
#[wasm_bindgen]
impl Core {
    /// Reads a response to an envelope (status, `X-Sentry-Rate-Limits`, `Retry-After`),
    /// updates the rate limits, and says what became of the envelope: `delivered`,
    /// `retry`, `rate_limited`, `too_large` or `rejected`.
    #[wasm_bindgen(js_name = onResponse)]
    pub fn on_response(&mut self, status: u16, rate_limits: Option<String>, retry_after: Option<String>, now_ms: f64) -> String {
        let limits = self.client.rate_limits_mut();
        limits.on_response(status, rate_limits.as_deref(), retry_after.as_deref(), now_ms).as_str().into()
    }

    /// True while items of `category` (e.g. `error`, `internal`) must not be sent.
    #[wasm_bindgen(js_name = isRateLimited)]
    pub fn is_rate_limited(&self, category: &str, now_ms: f64) -> bool {
        self.client.rate_limits().is_limited(crate::reasons::Category::from_name(category).unwrap_or(crate::reasons::Category::Internal), now_ms)
    }

    /// Parses a DSN with the core's parser: `{ publicDsn, envelopeUrl }` (the endpoint
    /// with query-string auth) or `{ error }`.
    #[wasm_bindgen(js_name = parseDsn)]
    pub fn parse_dsn(text: &str) -> JsValue {
        let out = Object::new();
        match Dsn::parse(text) {
            Ok(dsn) => {
                let client = format!("oxeye.javascript/{VERSION}");
                set(&out, "publicDsn", &dsn.to_public_string().into());
                set(&out, "envelopeUrl", &dsn.envelope_url(&client).into());
            }
            Err(e) => set(&out, "error", &e.to_string().into()),
        }
        out.into()
    }
}
// ---- end of delivery

fn set(obj: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

fn dropped(d: Dropped) -> JsValue {
    let out = Object::new();
    set(&out, "eventId", &d.event_id.into());
    set(&out, "reason", &d.reason.as_str().into());
    set(&out, "detail", &d.detail.into());
    out.into()
}

fn outcome(o: Outcome) -> JsValue {
    match o {
        Outcome::Send { event_id, envelope } => {
            let out = Object::new();
            set(&out, "eventId", &event_id.into());
            set(&out, "envelope", &Uint8Array::from(envelope.as_slice()).into());
            out.into()
        }
        Outcome::Dropped(d) => dropped(d),
    }
}

fn to_js(v: &Value) -> JsValue {
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    serde::Serialize::serialize(v, &ser).unwrap_or(JsValue::NULL)
}

/// Client-report reasons the host may record (anything else counts as `internal_sdk_error`).
fn reason(s: &str) -> crate::reasons::Reason {
    use crate::reasons::Reason;
    [Reason::QueueOverflow, Reason::CacheOverflow, Reason::RatelimitBackoff, Reason::NetworkError, Reason::SampleRate, Reason::BeforeSend, Reason::EventProcessor, Reason::SendError, Reason::BufferOverflow]
        .into_iter()
        .find(|r| r.as_str() == s)
        .unwrap_or(Reason::InternalSdkError)
}

fn category(s: &str) -> crate::reasons::Category {
    crate::reasons::Category::from_name(s).unwrap_or(crate::reasons::Category::Internal)
}

#[wasm_bindgen]
impl Core {
    /// Builds a client from plain option values. Never throws.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Core {
        let opts = serde_wasm_bindgen::from_value::<Value>(options).unwrap_or_else(|e| Value::String(e.to_string()));
        Core { client: Client::from_value(opts) }
    }

    /// Why the DSN was rejected, if it was.
    #[wasm_bindgen(getter, js_name = dsnError)]
    pub fn dsn_error(&self) -> Option<String> {
        self.client.dsn_error().map(Into::into)
    }

    /// Why the `scrub` option was rejected (the client is then disabled), if it was.
    #[wasm_bindgen(getter, js_name = scrubError)]
    pub fn scrub_error(&self) -> Option<String> {
        self.client.scrub_error().map(Into::into)
    }

    /// Sentences about rejected option values.
    #[wasm_bindgen(getter, js_name = optionErrors)]
    pub fn option_errors(&self) -> Vec<String> {
        self.client.option_errors().to_vec()
    }

    /// A sentence saying why the SDK is off, or undefined when it is on.
    #[wasm_bindgen(getter, js_name = disabledReason)]
    pub fn disabled_reason(&self) -> Option<String> {
        self.client.disabled_reason()
    }

    /// The URL envelopes are posted to.
    #[wasm_bindgen(getter)]
    pub fn url(&self) -> Option<String> {
        self.client.url()
    }

    /// Resolved `debug` (code, `SENTRY_DEBUG`, per-environment default).
    #[wasm_bindgen(getter)]
    pub fn debug(&self) -> bool {
        self.client.options().debug
    }

    /// Resolved environment.
    #[wasm_bindgen(getter)]
    pub fn environment(&self) -> String {
        self.client.options().environment.clone()
    }

    /// Resolved release.
    #[wasm_bindgen(getter)]
    pub fn release(&self) -> Option<String> {
        self.client.options().release.clone()
    }

    /// Resolved `maxBreadcrumbs`.
    #[wasm_bindgen(getter, js_name = maxBreadcrumbs)]
    pub fn max_breadcrumbs(&self) -> usize {
        self.client.options().max_breadcrumbs
    }

    /// The SDK version.
    #[wasm_bindgen(getter)]
    pub fn version(&self) -> String {
        VERSION.into()
    }

    /// The whole pipeline in one call. `{ eventId, envelope }` or `{ eventId, reason, detail }`.
    pub fn capture(&mut self, input: JsValue, current: u32, isolation: u32, global: u32, now_ms: f64, random: &[u8]) -> JsValue {
        match serde_wasm_bindgen::from_value::<CaptureInput>(input) {
            Ok(i) => outcome(self.client.capture(i, ScopeIds { current, isolation, global }, now_ms, random)),
            Err(e) => self.bad_input(e, random),
        }
    }

    /// Stage 1 for apps with callbacks: `{ eventId, event }` or a drop.
    pub fn prepare(&mut self, input: JsValue, current: u32, isolation: u32, global: u32, now_ms: f64, random: &[u8]) -> JsValue {
        match serde_wasm_bindgen::from_value::<CaptureInput>(input) {
            Ok(i) => match self.client.prepare(i, ScopeIds { current, isolation, global }, now_ms, random) {
                Ok((event_id, event)) => {
                    let out = Object::new();
                    set(&out, "eventId", &event_id.into());
                    set(&out, "event", &to_js(&event));
                    out.into()
                }
                Err(d) => dropped(d),
            },
            Err(e) => self.bad_input(e, random),
        }
    }

    /// Stage 2: filters and dedupe; undefined to go on, or a drop.
    pub fn screen(&mut self, event_id: String, event: JsValue) -> JsValue {
        match self.client.screen(&event_id, &value(event)) {
            Ok(()) => JsValue::UNDEFINED,
            Err(d) => dropped(d),
        }
    }

    /// Stage 3: scrubbing and the envelope.
    pub fn finish(&mut self, event_id: String, event: JsValue, now_ms: f64) -> JsValue {
        outcome(self.client.finish(&event_id, value(event), now_ms))
    }

    /// Counts discarded items for the next client report.
    #[wasm_bindgen(js_name = recordOutcome)]
    pub fn record_outcome(&mut self, reason_name: &str, category_name: &str, quantity: u32) {
        self.client.record(reason(reason_name), category(category_name), quantity.into());
    }

    /// The pending counts as a `client_report` envelope, or undefined.
    #[wasm_bindgen(js_name = takeClientReport)]
    pub fn take_client_report(&mut self, now_ms: f64) -> Option<Vec<u8>> {
        self.client.take_client_report(now_ms)
    }

    /// `withScope` / `withIsolationScope`: scope `to` becomes a copy of `from`.
    #[wasm_bindgen(js_name = forkScope)]
    pub fn fork_scope(&mut self, from: u32, to: u32) {
        self.client.fork_scope(from, to);
    }

    /// Forgets a scope.
    #[wasm_bindgen(js_name = dropScope)]
    pub fn drop_scope(&mut self, id: u32) {
        self.client.drop_scope(id);
    }

    /// Applies one setter to a scope: `op` is the method name (`setTag`, `setTags`,
    /// `setExtra`, `setExtras`, `setContext`, `setUser`, `setLevel`, `setFingerprint`,
    /// `setTransactionName`, `clearBreadcrumbs`, `clear`).
    #[wasm_bindgen(js_name = scopeSet)]
    pub fn scope_set(&mut self, id: u32, op: &str, key: Option<String>, val: JsValue) {
        let v = value(val);
        let key = key.unwrap_or_default();
        let s = self.client.scope_mut(id);
        match op {
            "setTag" => s.set_tag(&key, &v),
            "setTags" => s.set_tags(&v),
            "setExtra" => s.set_extra(&key, v),
            "setExtras" => s.set_extras(v),
            "setContext" => s.set_context(&key, v),
            "setUser" => s.set_user(v),
            "setLevel" => s.level = v.as_str().map(|l| crate::event::level(Some(l)).to_string()),
            "setFingerprint" => s.set_fingerprint(v),
            "setTransactionName" => s.transaction = v.as_str().map(String::from),
            "clearBreadcrumbs" => s.breadcrumbs.clear(),
            "clear" => s.clear(),
            _ => {}
        }
    }

    /// Adds a breadcrumb to a scope.
    #[wasm_bindgen(js_name = addBreadcrumb)]
    pub fn add_breadcrumb(&mut self, id: u32, crumb: JsValue, now_ms: f64) {
        self.client.add_breadcrumb(id, value(crumb), now_ms);
    }

    // ---- trace propagation ----

    /// Headers for an outgoing request under isolation scope `isolation`, merging the
    /// app's own `baggage`: `{ sentryTrace, baggage, dscBaggage, traceparent }`, or
    /// undefined while the SDK is disabled. `random`: 28 bytes, used when the scope has no
    /// trace yet.
    #[wasm_bindgen(js_name = traceHeaders)]
    pub fn trace_headers(&mut self, isolation: u32, existing_baggage: Option<String>, random: &[u8]) -> JsValue {
        match self.client.trace_headers(isolation, existing_baggage.as_deref(), random) {
            Some(h) => {
                let out = Object::new();
                set(&out, "sentryTrace", &h.sentry_trace.into());
                set(&out, "baggage", &h.baggage.into());
                set(&out, "dscBaggage", &h.dsc_baggage.into());
                set(&out, "traceparent", &h.traceparent.into());
                out.into()
            }
            None => JsValue::UNDEFINED,
        }
    }

    /// Sets the trace of scope `id` from `{ sentryTrace, baggage, traceparent }` (strings),
    /// or starts a new one when they name none. True when the incoming trace was continued.
    #[wasm_bindgen(js_name = continueTrace)]
    pub fn continue_trace(&mut self, id: u32, incoming: JsValue, random: &[u8]) -> bool {
        let incoming = crate::trace::Incoming::from_value(&value(incoming));
        self.client.continue_trace(id, &incoming, random)
    }

    fn bad_input(&mut self, e: serde_wasm_bindgen::Error, random: &[u8]) -> JsValue {
        let event_id = Client::new_event_id(random);
        self.client.record(crate::reasons::Reason::InternalSdkError, crate::reasons::Category::Error, 1);
        dropped(Dropped { event_id, reason: crate::reasons::Reason::InternalSdkError, detail: format!("capture input could not be read: {e}") })
    }
}
