//! Client options as the core sees them: plain data, deserialised once at `init`.
//!
//! Callbacks (`transport`, `beforeSend`, …) stay in the shim; only values cross into the
//! core. Unknown fields are ignored so newer shims keep working with older cores.

use serde::Deserialize;

/// The options the core reads. Field names follow the JavaScript API (camelCase).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Options {
    /// Where events go; absent or empty disables the SDK.
    pub dsn: Option<String>,
    /// Release name, e.g. `my-app@1.2.3`.
    pub release: Option<String>,
    /// Deployment environment; `production` when not given.
    pub environment: Option<String>,
    /// Verbose logging of every decision the SDK takes.
    pub debug: bool,
    /// `false` turns the SDK off without removing its calls.
    pub enabled: Option<bool>,
    /// The host runtime (`browser`, `node`, `workerd`), named in `sdk.name`.
    pub runtime: Option<String>,
    /// A URL that receives envelopes instead of the DSN's endpoint.
    pub tunnel: Option<String>,
}

impl Options {
    /// The environment to stamp on events.
    pub fn environment(&self) -> &str {
        match self.environment.as_deref() {
            Some(e) if !e.is_empty() => e,
            _ => "production",
        }
    }

    /// The SDK name for `sdk.name`: `oxeye.javascript.<runtime>`.
    pub fn sdk_name(&self) -> String {
        let runtime = match self.runtime.as_deref() {
            Some(r) if !r.is_empty() && r.bytes().all(|c| c.is_ascii_alphanumeric()) => r,
            _ => "unknown",
        };
        let mut name = String::from("oxeye.javascript.");
        name.push_str(runtime);
        name
    }
}
