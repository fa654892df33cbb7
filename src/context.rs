//! Automatic context from facts the host provides. The shim hands them over already
//! shaped as the context objects events carry (`browser` and `os`, read from the user
//! agent by `js/api/user-agent.ts`; `culture`; `runtime`); they are read once from the
//! options JSON and kept as that text, which every event copies. The user agent itself is
//! kept for request headers and sessions. (The environment a host name suggests is the
//! shim's: `js/api/options.ts` resolves it before the core reads the options.)

use crate::json::read;
use crate::scope::Entry;

/// The host's contexts, in the order events list them, then the user agent and whether
/// the host is a browser extension (the members [`HostFacts::parse`] reads, in one pass).
#[cfg(feature = "runtime-browser")]
const MEMBERS: [&str; 6] = ["browser", "os", "culture", "runtime", "userAgent", "extension"];
/// (Servers' wasm: no browser extension runs there; Node's host adds `device` and `app`.)
#[cfg(not(feature = "runtime-browser"))]
const MEMBERS: [&str; 7] = ["browser", "os", "culture", "runtime", "device", "app", "userAgent"];
/// How many of [`MEMBERS`] are contexts.
const CONTEXTS: usize = MEMBERS.len() - if cfg!(feature = "runtime-browser") { 2 } else { 1 };

/// Facts about the host, collected once by the shim.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HostFacts {
    /// `navigator.userAgent`.
    pub user_agent: Option<String>,
    /// The code runs inside a browser extension (its pages, worker or content scripts).
    pub extension: bool,
    /// The contexts the shim wrote (JSON objects), in [`MEMBERS`] order, as fragments
    /// events add where they have none of their own; the client takes them.
    pub contexts: Vec<Entry>,
}

impl HostFacts {
    /// Reads `{userAgent, browser, os, culture, runtime, extension}` (servers': `device` and
    /// `app` for `extension`): the user agent when it is a string, the contexts when they are
    /// objects, `extension` when it is `true`; anything else is ignored.
    pub fn parse(text: &str) -> HostFacts {
        let found = read::pick(text, &MEMBERS);
        let mut contexts = Vec::new();
        // (`zip` stops after the contexts.)
        for (key, v) in MEMBERS.iter().zip(&found[..CONTEXTS]) {
            if let Some(v) = v.filter(|v| v.starts_with('{')) {
                contexts.push(Entry { key: (*key).into(), json: String::from(v).into_bytes(), meta: None });
            }
        }
        HostFacts { user_agent: found[CONTEXTS].and_then(read::owned_string), extension: found.get(CONTEXTS + 1) == Some(&Some("true")), contexts }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    #[test]
    fn keeps_the_shims_contexts_in_order() {
        let facts = HostFacts::parse(
            &json!({"runtime": {"name": "node"}, "culture": {"locale": "de-CH", "timezone": "Europe/Zurich"}, "userAgent": "UA", "os": "Linux", "browser": {"name": "Chrome", "version": "1.2"}})
                .to_string(),
        );
        assert_eq!(facts.user_agent.as_deref(), Some("UA"));
        let ctx: Vec<(String, Value)> = facts.contexts.into_iter().map(|e| (e.key, serde_json::from_slice(&e.json).unwrap())).collect();
        assert_eq!(
            ctx,
            [
                ("browser".into(), json!({"name": "Chrome", "version": "1.2"})),
                ("culture".into(), json!({"locale": "de-CH", "timezone": "Europe/Zurich"})),
                ("runtime".into(), json!({"name": "node"})),
            ],
            "`os` is not an object"
        );
        assert!(HostFacts::default().contexts.is_empty());
    }

    #[cfg(not(feature = "runtime-browser"))]
    #[test]
    fn servers_keep_the_device_and_app_contexts() {
        let facts = HostFacts::parse(
            &json!({"app": {"app_start_time": "2026-12-02T05:00:00.000Z"}, "device": {"arch": "x64", "processor_count": 2}, "userAgent": "node", "runtime": {"name": "node"}})
                .to_string(),
        );
        assert_eq!(facts.user_agent.as_deref(), Some("node"));
        let keys: Vec<&str> = facts.contexts.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["runtime", "device", "app"]);
        assert_eq!(serde_json::from_slice::<Value>(&facts.contexts[1].json).unwrap(), json!({"arch": "x64", "processor_count": 2}));
    }
}
