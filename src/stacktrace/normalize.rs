//! What Sentry's SDKs do to a frame after reading it, so the server's source-map lookup,
//! grouping and in-app rules see the same `filename` and `function` a Sentry SDK would
//! send: Node-style filename clean-up (`file://` stripped, percent-decoding), Node-style
//! function names (`async ` dropped, `Object.<anonymous>` → `Object.?`), and oxeye's
//! `in_app` policy.

use std::borrow::Cow;

use crate::text::part;

/// `file:///srv/my%20app/x.mjs` → `/srv/my app/x.mjs`, `file:///C:/app/x.js` →
/// `C:/app/x.js`, as Sentry's Node parser writes them. Percent-escapes are decoded the
/// way `decodeURI` does; a malformed one leaves the name as it was.
pub(super) fn node_filename(f: &str) -> Cow<'_, str> {
    let mut path = f.strip_prefix("file://").unwrap_or(f);
    let b = path.as_bytes();
    if b.len() >= 3 && b[0] == b'/' && b[1].is_ascii_uppercase() && b[2] == b':' {
        path = part(path, 1, path.len());
    }
    match decode_uri(path) {
        Some(decoded) => Cow::Owned(decoded),
        None => Cow::Borrowed(path),
    }
}

/// `decodeURI`: `%XX` escapes decoded, except those of the reserved characters
/// `;/?:@&=+$,#`. `None` when there is nothing to decode or an escape is malformed
/// (not hex, or not UTF-8).
fn decode_uri(s: &str) -> Option<String> {
    if !crate::text::contains_byte(s, b'%') {
        return None;
    }
    crate::text::pct_decode(s, b";/?:@&=+$,#")
}

/// A V8 function name as Sentry's Node parser writes it: `async ` dropped,
/// `Object.<anonymous>` → `Object.?`, `Object.Module._load` → `Module._load`;
/// `[as alias]` suffixes are kept.
pub(super) fn node_function(name: &str) -> Cow<'_, str> {
    let name = name.strip_prefix("async ").unwrap_or(name);
    let Some(mut start) = crate::text::rfind_byte(name, b'.') else { return Cow::Borrowed(name) };
    if start > 0 && name.as_bytes()[start - 1] == b'.' {
        start -= 1;
    }
    if start == 0 {
        return Cow::Borrowed(name);
    }
    let (mut object, method) = crate::text::split_around(name, start, 1).unwrap_or(("", ""));
    let mut function = name;
    if let Some((o, f)) = crate::text::find(object, ".Module").filter(|&e| e > 0).and_then(|e| crate::text::split_around(name, e, 1)) {
        object = o;
        function = f;
    }
    if method == "<anonymous>" {
        let mut s = String::with_capacity(object.len() + 2);
        s.push_str(object);
        s.push_str(".?");
        return Cow::Owned(s);
    }
    Cow::Borrowed(function)
}

#[cfg(feature = "runtime-browser")]
std::thread_local! {
    /// The core runs inside a browser extension (the shim's host facts say so): there the
    /// extension's frames are the app's own. (A content script's stack holds no other
    /// extension's code: each runs in a world of its own.)
    static IN_EXTENSION: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Says whether the core runs inside a browser extension (for every core of the page).
#[cfg(feature = "runtime-browser")]
pub fn set_in_extension(yes: bool) {
    IN_EXTENSION.with(|c| c.set(yes));
}

/// Whether a frame is the application's own code: `Some(false)` for the runtime, the
/// engine, dependencies, browser extensions (unless the app is one) and well-known
/// framework code; `None` where the file may hold either (left to the server); `Some(true)`
/// otherwise.
pub(super) fn in_app(filename: Option<&str>, function: &str) -> Option<bool> {
    let Some(f) = filename else { return Some(false) };
    if f.starts_with("<data:") {
        return None;
    }
    // `|`-separated (`webpack/bootstrap` is found anywhere below): Node's modules, which
    // only servers run, and browser extensions', which only pages run, are left out of the
    // other runtime family's wasm.
    const SERVER_PREFIXES: &str = "node:|internal/|ext:";
    const BROWSER_PREFIXES: &str = "chrome-extension://|moz-extension://|safari-extension:|safari-web-extension:|ms-browser-extension://|webkit-masked-url:";
    let runtime = matches!(f, "" | "native" | "native code" | "[native code]" | "unknown location")
        || (cfg!(feature = "runtime-server") && starts_with_one(f, SERVER_PREFIXES))
        || (cfg!(feature = "runtime-browser") && starts_with_one(f, BROWSER_PREFIXES) && !in_extension())
        || starts_with_one(f, "<anonymous>|index |node_modules/")
        || crate::text::contains(f, "/node_modules/")
        || crate::text::contains(f, "\\node_modules\\")
        || crate::text::contains(f, "webpack/runtime/")
        || crate::text::contains(f, "webpack/bootstrap");
    // Frames only a server runtime writes (Node's own modules named without a directory,
    // wrangler's middleware facade): a wasm for browsers only leaves the checks out.
    #[cfg(feature = "runtime-server")]
    let runtime = runtime || node_core_module(f) || crate::text::contains(function, "__facade_") || crate::text::contains(function, "__Facade_");
    // @sentry/browser's wrapper of timers and listeners, on a page that also runs it (a
    // migration): its frame is not the app's, wherever the bundle put it.
    #[cfg(feature = "runtime-browser")]
    let runtime = runtime || function == "sentryWrapped";
    if runtime {
        return Some(false);
    }
    let path = crate::text::before_any(f, b"?#");
    let base = crate::text::after_last_any(path, b"/\\");
    if crate::text::contains(base, "react-dom") || (cfg!(feature = "runtime-server") && wrangler_wrapper(path, base)) || base == "webpack-runtime.js" {
        return Some(false);
    }
    // Next.js serves its client chunks to pages only: the servers' wasm leaves the rule out.
    #[cfg(feature = "runtime-browser")]
    if let Some((_, chunk)) = crate::text::split_once(path, "/_next/static/chunks/") {
        return next_chunk(chunk, base);
    }
    Some(true)
}

/// Whether the app is a browser extension ([`set_in_extension`]).
fn in_extension() -> bool {
    #[cfg(feature = "runtime-browser")]
    return IN_EXTENSION.with(|c| c.get());
    #[cfg(not(feature = "runtime-browser"))]
    false
}

/// Whether `s` starts with one of the `|`-separated prefixes of `list`.
fn starts_with_one(s: &str, list: &str) -> bool {
    crate::text::split_byte(list, b'|').any(|p| s.starts_with(p))
}

/// Node's own modules as older Node wrote them, with no directory: `timers.js`,
/// `node.js`, `_stream_readable.js`, `bootstrap_node.js`.
fn node_core_module(f: &str) -> bool {
    // The names, each between two spaces.
    const CORE: &[u8] = concat!(
        " assert async_hooks bootstrap_node buffer child_process cluster console constants crypto",
        " dgram diagnostics_channel dns domain events fs http http2 https inspector module net",
        " node os path perf_hooks process punycode querystring readline repl stream",
        " string_decoder sys timers tls trace_events tty url util v8 vm wasi worker_threads zlib ",
    )
    .as_bytes();
    if crate::text::has_any(f, b"/\\") {
        return false;
    }
    let Some(stem) = f.strip_suffix(".js") else { return false };
    // A name found where a space precedes and follows it.
    let mut from = 0;
    while let Some(k) = crate::text::find_bytes(CORE, from, stem.as_bytes()).filter(|_| !crate::text::contains_byte(stem, b' ')) {
        if CORE.get(k.wrapping_sub(1)) == Some(&b' ') && CORE.get(k + stem.len()) == Some(&b' ') {
            return true;
        }
        from = k + 1;
    }
    stem.starts_with("_") && stem.len() > 1 && stem.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
}

/// The code wrangler wraps around a worker (`wrangler/templates/…`,
/// `.wrangler/tmp/bundle-…/middleware-loader.entry.ts`, `middleware-insertion-facade.js`,
/// `checked-fetch.js`), as named once frames are source-mapped.
fn wrangler_wrapper(path: &str, base: &str) -> bool {
    crate::text::contains(path, "/wrangler/templates/")
        || path.starts_with("wrangler/templates/")
        || base.starts_with("middleware-loader.entry.")
        || base.starts_with("middleware-insertion-facade.")
        || (crate::text::contains(path, ".wrangler/tmp/") && (base.starts_with("middleware-") || base == "checked-fetch.js"))
}

/// A chunk of a Next.js build under `/_next/static/chunks/` (`rel` is the path below).
/// Next's own runtime chunks (webpack's `framework-`, `main-`, `main-app-`, `webpack-`,
/// `polyfills-`; Turbopack's `turbopack-` runtime and `node_modules_…` development
/// chunks) are not the app's. `pages/_app` / `pages/_error` are Next's defaults unless
/// the app overrides them: left to the server. The other chunks count as the app's, as
/// any bundle does: route chunks (`app/…`, `pages/…`), and the shared numbered (webpack)
/// or hashed (Turbopack, where every production chunk is one) chunks that mix libraries
/// with app code. A server that marks frames by their source-mapped path (Sentry's
/// `node_modules` rule) still tells the libraries apart; one that keeps what the SDK says
/// (Bugsink) shows the app's frames as its own.
#[cfg(feature = "runtime-browser")]
fn next_chunk(rel: &str, base: &str) -> Option<bool> {
    const NEXT_RUNTIME: &str = "framework-|framework.|main-|main.|webpack-|webpack.|polyfills-|polyfills.|react-refresh|app-pages-internals|turbopack-";
    if crate::text::contains_byte(rel, b'/') {
        let own_default = rel.starts_with("pages/_app") || rel.starts_with("pages/_error");
        return if own_default { None } else { Some(true) };
    }
    Some(!(starts_with_one(base, NEXT_RUNTIME) || base.starts_with("node_modules_")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_filenames() {
        assert_eq!(node_filename("file:///srv/my%20app/x.mjs"), "/srv/my app/x.mjs");
        assert_eq!(node_filename("file:///C:/app/x.js"), "C:/app/x.js");
        assert_eq!(node_filename("/a/%E2%82%AC.js"), "/a/€.js");
        assert_eq!(node_filename("/a/%3F%2F%23.js"), "/a/%3F%2F%23.js");
        assert_eq!(node_filename("/a/%zz%20.js"), "/a/%zz%20.js");
        assert_eq!(node_filename("/a/%E2%82.js"), "/a/%E2%82.js");
        assert_eq!(node_filename("/a/%ff.js"), "/a/%ff.js");
        assert_eq!(node_filename("/a/100%"), "/a/100%");
        assert_eq!(node_filename("node:internal/timers"), "node:internal/timers");
    }

    #[test]
    fn node_functions() {
        for (name, want) in [
            ("Object.<anonymous>", "Object.?"),
            ("async Object.fetch", "Object.fetch"),
            ("Object.realName [as alias]", "Object.realName [as alias]"),
            ("Module._extensions..js", "Module._extensions..js"),
            ("Object.Module._extensions..js", "Module._extensions..js"),
            ("Function.Module._load", "Module._load"),
            ("new Foo", "new Foo"),
            (".x", ".x"),
            ("Foo.<anonymous>", "Foo.?"),
        ] {
            assert_eq!(node_function(name), want, "{name}");
        }
    }

    #[test]
    fn in_app_policy() {
        let f = |s: &str| in_app(Some(s), "f");
        for s in [
            "native", "<anonymous>", "[native code]", "index 0", "/srv/node_modules/x/i.js", "C:\\app\\node_modules\\x.js",
            "http://h/assets/react-dom.production.min.js", "http://h/node_modules/.vite/deps/react-dom_client.js?v=9",
            "../node_modules/wrangler/templates/middleware/common.ts", "webpack://app/webpack/bootstrap",
        ] {
            assert_eq!(f(s), Some(false), "{s}");
        }
        // Rules for frames only one runtime family writes; the other family's wasm leaves
        // them out and reads such a frame as the app's own.
        let (server, browser) = (cfg!(feature = "runtime-server"), cfg!(feature = "runtime-browser"));
        let family = |only: bool, want: Option<bool>| if only { want } else { Some(true) };
        for s in [
            "timers.js", "node.js", "_stream_readable.js", "internal/timers.js", "node:internal/timers",
            "/w/.wrangler/tmp/bundle-AbC/middleware-loader.entry.ts", "/w/.wrangler/tmp/bundle-AbC/middleware-insertion-facade.js",
        ] {
            assert_eq!(f(s), family(server, Some(false)), "{s}");
        }
        assert_eq!(in_app(Some("/w/index.js"), "__facade_invokeChain__"), family(server, Some(false)));
        assert_eq!(in_app(Some("/w/index.js"), "new __Facade_ScheduledController__"), family(server, Some(false)));
        assert_eq!(in_app(Some("http://h/assets/index-4f3e2d.js"), "sentryWrapped"), family(browser, Some(false)));
        for s in [
            "chrome-extension://abc/x.js", "moz-extension://abc/x.js", "safari-extension://abc/x.js",
            "safari-web-extension://abc/x.js", "http://h/_next/static/chunks/framework-2c79e2a64abdb08b.js",
            "http://h/_next/static/chunks/main-0ff2d2e4ea4b5d2f.js", "http://h/_next/static/chunks/main-app-4b2c1f.js",
            "http://h/_next/static/chunks/webpack-59c5c889f52620d6.js", "http://h/_next/static/chunks/polyfills-42372ed130431b0a.js",
            "http://h/_next/static/chunks/webpack.js?v=1", "http://h/_next/static/chunks/node_modules_next_dist_client_8f1e2a._.js",
            "http://h/_next/static/chunks/turbopack-077hmtqrhcoji.js",
        ] {
            assert_eq!(f(s), family(browser, Some(false)), "{s}");
        }
        for s in ["http://h/_next/static/chunks/pages/_app-3c5e2a.js", "http://h/_next/static/chunks/pages/_error-7a8b9c.js"] {
            assert_eq!(f(s), family(browser, None), "{s}");
        }
        assert_eq!(f("<data:text/javascript>"), None);
        for s in [
            "http://h/_next/static/chunks/1234-9f8e7d6c5b4a3f2e.js", "http://h/_next/static/chunks/9f8e7d6c5b4a3f2e.js",
            "http://h/_next/static/chunks/42mylhc_dhb8j.js", "http://h/_next/static/chunks/%5Broot-of-the-server%5D__0a1b2c._.js",
            "http://h/_next/static/chunks/app/page-1a2b3c.js", "http://h/_next/static/chunks/pages/index-1a2b3c.js",
            "http://h/app.js", "/srv/app/index.js", "worker.js", "index.android.bundle", "wasm://wasm/00ab",
            "/w/.wrangler/tmp/dev-XyZ/index.js", "http://h/assets/index-4f3e2d.js", "util-helpers.js",
        ] {
            assert_eq!(f(s), Some(true), "{s}");
        }
        assert_eq!(in_app(None, "f"), Some(false));
    }

    /// Inside a browser extension, extension frames are the app's own (this test's thread only).
    #[cfg(feature = "runtime-browser")]
    #[test]
    fn extension_frames_are_the_apps_inside_an_extension() {
        let f = |s: &str| in_app(Some(s), "f");
        set_in_extension(true);
        let inside = ["chrome-extension://abc/cs/content.js", "moz-extension://abc/x.js"].map(f);
        set_in_extension(false);
        assert_eq!(inside, [Some(true), Some(true)]);
        assert_eq!(f("chrome-extension://abc/cs/content.js"), Some(false));
        // Not the app's code there either: node_modules and the runtime.
        set_in_extension(true);
        let others = ["chrome-extension://abc/node_modules/x/i.js", "native"].map(f);
        set_in_extension(false);
        assert_eq!(others, [Some(false), Some(false)]);
    }
}
