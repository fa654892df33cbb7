//! The JavaScript boundary: the only module that knows about wasm-bindgen and JS values.
//!
//! `Core` wraps a [`Client`]. Values cross as plain objects through serde-wasm-bindgen;
//! envelopes leave as `Uint8Array`. No method throws: bad input becomes a dropped
//! outcome with reason `internal_sdk_error` and a sentence for debug logging.

use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

use crate::client::{CaptureInput, Client, Outcome, VERSION};
use crate::options::Options;

/// One oxeye client as seen from JavaScript.
#[wasm_bindgen]
pub struct Core {
    client: Client,
    options_error: Option<String>,
}

#[wasm_bindgen]
impl Core {
    /// Builds a client from plain option values. Never throws.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Core {
        let (opts, options_error) = match serde_wasm_bindgen::from_value::<Options>(options) {
            Ok(o) => (o, None),
            Err(e) => (Options::default(), Some(format!("oxeye is disabled: options could not be read: {e}"))),
        };
        Core { client: Client::new(opts), options_error }
    }

    /// Why the DSN was rejected, if it was.
    #[wasm_bindgen(getter, js_name = dsnError)]
    pub fn dsn_error(&self) -> Option<String> {
        self.client.dsn_error().map(Into::into)
    }

    /// A sentence saying why the SDK is off, or undefined when it is on.
    #[wasm_bindgen(getter, js_name = disabledReason)]
    pub fn disabled_reason(&self) -> Option<String> {
        self.options_error.clone().or_else(|| self.client.disabled_reason())
    }

    /// The URL envelopes are posted to.
    #[wasm_bindgen(getter)]
    pub fn url(&self) -> Option<String> {
        self.client.url()
    }

    /// The SDK version.
    #[wasm_bindgen(getter)]
    pub fn version(&self) -> String {
        VERSION.into()
    }

    /// Runs a capture. Returns `{ eventId, envelope }` or `{ eventId, reason, detail }`.
    pub fn capture(&mut self, input: JsValue, now_ms: f64, random: &[u8]) -> JsValue {
        let outcome = match serde_wasm_bindgen::from_value::<CaptureInput>(input) {
            Ok(i) => self.client.capture(i, now_ms, random),
            Err(e) => Outcome::Dropped {
                event_id: Client::new_event_id(random),
                reason: "internal_sdk_error",
                detail: format!("capture input could not be read: {e}"),
            },
        };
        let out = Object::new();
        match outcome {
            Outcome::Send { event_id, envelope } => {
                set(&out, "eventId", &event_id.into());
                set(&out, "envelope", &Uint8Array::from(envelope.as_slice()).into());
            }
            Outcome::Dropped { event_id, reason, detail } => {
                set(&out, "eventId", &event_id.into());
                set(&out, "reason", &reason.into());
                set(&out, "detail", &detail.into());
            }
        }
        out.into()
    }
}

fn set(obj: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}
