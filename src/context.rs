//! Automatic context from facts the host provides: browser and OS (parsed from the user
//! agent), culture (locale, time zone), runtime (Node, workerd) and the page URL. The
//! facts are read once from the options JSON and written once, with `json::write`, as
//! context fragments every event copies.

use crate::json::read;
use crate::json::write::Obj;
use crate::scope::Entry;

/// Facts about the host, collected once by the shim.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HostFacts {
    /// `navigator.userAgent`.
    pub user_agent: Option<String>,
    /// BCP 47 locale, e.g. `de-CH`.
    pub locale: Option<String>,
    /// IANA time zone, e.g. `Europe/Zurich`.
    pub timezone: Option<String>,
    /// Runtime name (`node`, `workerd`).
    pub runtime_name: Option<String>,
    /// Runtime version.
    pub runtime_version: Option<String>,
    /// Host name of the page or request, used to detect the environment.
    pub hostname: Option<String>,
}

/// Finds `token` followed by a version (digits, dots, underscores) in `ua`.
fn version_after<'a>(ua: &'a str, token: &str) -> Option<&'a str> {
    let start = crate::text::find(ua, token)? + token.len();
    let rest = &ua[start..];
    // The version's characters are ASCII, so the first other byte starts a character.
    let end = rest.bytes().position(|b| !(b.is_ascii_digit() || b == b'.' || b == b'_')).unwrap_or(rest.len());
    Some(&rest[..end]).filter(|v| !v.is_empty())
}

/// Browser `(name, version)` from a user agent.
pub fn browser(ua: &str) -> Option<(&'static str, &str)> {
    // `token/name` pairs, `|`-separated, in the order they are tried: one text in the
    // data instead of a table of string slices.
    const TABLE: &str = "Edg/Edge|OPR/Opera|SamsungBrowser/Samsung Internet|Firefox/Firefox|FxiOS/Firefox|CriOS/Chrome|Chrome/Chrome|HeadlessChrome/Chrome";
    for pair in crate::text::split_byte(TABLE, b'|') {
        let slash = crate::text::find_byte(pair, b'/')? + 1;
        if let Some(v) = version_after(ua, &pair[..slash]) {
            return Some((&pair[slash..], v));
        }
    }
    if crate::text::contains(ua, "Safari/") {
        if let Some(v) = version_after(ua, "Version/") {
            return Some(("Safari", v));
        }
    }
    None
}

/// Operating system `(name, version)` from a user agent (version may be empty).
pub fn os(ua: &str) -> Option<(&'static str, String)> {
    let dots = |v: &str| crate::text::replace_byte(v, b'_', ".");
    if let Some(v) = version_after(ua, "Windows NT ") {
        let name = match v {
            "10.0" => "10",
            "6.3" => "8.1",
            "6.2" => "8",
            "6.1" => "7",
            other => other,
        };
        return Some(("Windows", name.to_string()));
    }
    if let Some(v) = version_after(ua, "iPhone OS ") {
        return Some(("iOS", dots(v)));
    }
    if let Some(v) = version_after(ua, "CPU OS ") {
        return Some(("iOS", dots(v)));
    }
    if let Some(v) = version_after(ua, "Android ") {
        return Some(("Android", v.to_string()));
    }
    if let Some(v) = version_after(ua, "Mac OS X ") {
        return Some(("macOS", dots(v)));
    }
    if crate::text::contains(ua, "CrOS") {
        return Some(("Chrome OS", String::new()));
    }
    if crate::text::contains(ua, "Linux") {
        return Some(("Linux", String::new()));
    }
    None
}

fn named(name: &str, version: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut o = Obj::new(&mut out);
    o.str("name", name);
    if !version.is_empty() {
        o.str("version", version);
    }
    o.end();
    out
}

impl HostFacts {
    /// Reads `{userAgent, locale, timezone, runtimeName, runtimeVersion, hostname}`;
    /// values that are not strings are ignored.
    pub fn parse(text: &str) -> HostFacts {
        let get = |key| read::field(text, key).and_then(read::string).map(String::from);
        HostFacts {
            user_agent: get("userAgent"),
            locale: get("locale"),
            timezone: get("timezone"),
            runtime_name: get("runtimeName"),
            runtime_version: get("runtimeVersion"),
            hostname: get("hostname"),
        }
    }

    /// The contexts these facts give (`browser`, `os`, `culture`, `runtime`), written
    /// once; events add them where they have none of their own.
    pub fn contexts(&self) -> Vec<Entry> {
        let mut out = Vec::new();
        let mut push = |key: &str, json| out.push(Entry { key: key.into(), json, meta: None });
        // Only browsers pass a user agent (`runtime-browser`).
        #[cfg(feature = "runtime-browser")]
        if let Some(ua) = self.user_agent.as_deref() {
            if let Some((name, v)) = browser(ua) {
                push("browser", named(name, v));
            }
            if let Some((name, v)) = os(ua) {
                push("os", named(name, &v));
            }
        }
        if self.locale.is_some() || self.timezone.is_some() {
            let mut c = Vec::new();
            let mut o = Obj::new(&mut c);
            if let Some(l) = &self.locale {
                o.str("locale", l);
            }
            if let Some(t) = &self.timezone {
                o.str("timezone", t);
            }
            o.end();
            push("culture", c);
        }
        if let Some(name) = self.runtime_name.as_deref() {
            push("runtime", named(name, self.runtime_version.as_deref().unwrap_or("")));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    const CHROME_LINUX: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.8078.73 Safari/537.36";
    const SAFARI_MAC: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15";
    const FIREFOX_WIN: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
    const EDGE: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86";
    const IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
    const ANDROID: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";

    #[test]
    fn parses_common_user_agents() {
        assert_eq!(browser(CHROME_LINUX), Some(("Chrome", "156.0.8078.73")));
        assert_eq!(os(CHROME_LINUX), Some(("Linux", "".into())));
        assert_eq!(browser(SAFARI_MAC), Some(("Safari", "18.1")));
        assert_eq!(os(SAFARI_MAC), Some(("macOS", "10.15.7".into())));
        assert_eq!(browser(FIREFOX_WIN), Some(("Firefox", "133.0")));
        assert_eq!(os(FIREFOX_WIN), Some(("Windows", "10".into())));
        assert_eq!(browser(EDGE), Some(("Edge", "131.0.2903.86")));
        assert_eq!(os(IPHONE), Some(("iOS", "17.5".into())));
        assert_eq!(browser(IPHONE), Some(("Safari", "17.5")));
        assert_eq!(os(ANDROID), Some(("Android", "14".into())));
        assert_eq!(browser("curl/8.0"), None);
        assert_eq!(os(""), None);
    }

    #[test]
    fn writes_contexts_once() {
        let facts = HostFacts::parse(&json!({"userAgent": CHROME_LINUX, "locale": "de-CH", "timezone": "Europe/Zurich", "hostname": 3}).to_string());
        assert_eq!(facts.hostname, None);
        let ctx: Vec<(String, Value)> = facts.contexts().into_iter().map(|e| (e.key, serde_json::from_slice(&e.json).unwrap())).collect();
        assert_eq!(ctx[0], ("browser".into(), json!({"name": "Chrome", "version": "156.0.8078.73"})));
        assert_eq!(ctx[1], ("os".into(), json!({"name": "Linux"})));
        assert_eq!(ctx[2], ("culture".into(), json!({"locale": "de-CH", "timezone": "Europe/Zurich"})));
        let node = HostFacts { runtime_name: Some("node".into()), runtime_version: Some("v20.20.2".into()), ..Default::default() };
        assert_eq!(serde_json::from_slice::<Value>(&node.contexts()[0].json).unwrap(), json!({"name": "node", "version": "v20.20.2"}));
        assert!(HostFacts::default().contexts().is_empty());
    }
}
