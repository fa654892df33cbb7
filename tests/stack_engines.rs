//! Engine tables: whole stack strings from each engine, with the frames expected from
//! them. Stacks captured from engines run here (Node, Chromium, workerd through
//! miniflare; `tests/data/stacks-captured.json` records the versions) come first; then
//! stacks written from each engine's documented format (Firefox, Safari/JavaScriptCore,
//! React Native/Hermes, legacy IE and EdgeHTML, Opera ≥ 15, webpack, WebAssembly), and
//! the `in_app` policy on the URLs real tools produce.
//!
//! Each runtime family's wasm reads its own engines' stacks (Cargo features): the tables of
//! Node and workerd need `runtime-server`; Firefox, Safari, React Native, extension frames
//! and Next.js client chunks need `runtime-browser`.
//!
//! Expected frames are listed as the stack lists them, newest first, as
//! `(function, filename, line, column, in_app)` with `0` for an absent line or column.

use oxeye::stacktrace::{parse_stack, parse_stack_after, Frame};

type Want<'a> = (&'a str, &'a str, u32, u32, Option<bool>);
const T: Option<bool> = Some(true);
const F: Option<bool> = Some(false);
const U: Option<bool> = None;

fn captured(engine: &str, name: &str) -> String {
    let all: serde_json::Value = serde_json::from_str(include_str!("data/stacks-captured.json")).unwrap();
    all[engine]["stacks"][name].as_str().unwrap_or_else(|| panic!("no captured stack {engine}/{name}")).to_owned()
}

fn frame(w: &Want<'_>) -> Frame {
    let n = |v: u32| (v != 0).then_some(v);
    Frame {
        filename: (!w.1.is_empty()).then(|| w.1.to_owned()),
        function: Some(w.0.to_owned()),
        lineno: n(w.2),
        colno: n(w.3),
        in_app: w.4,
        image: None,
        source: None,
        instruction_addr: None,
    }
}

/// Asserts the frames of `stack` (a message of `message_lines` lines), given newest first.
fn check(stack: &str, message_lines: usize, want: &[Want<'_>]) {
    let got = parse_stack_after(stack, message_lines);
    let mut expected: Vec<Frame> = want.iter().map(frame).collect();
    expected.reverse();
    assert_eq!(got, expected, "\nstack:\n{stack}");
    // Every frame is written as JSON that serde_json reads back with the same fields.
    for f in &got {
        let mut out = Vec::new();
        f.write_json(&mut out);
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v.get("filename").and_then(|x| x.as_str()), f.filename.as_deref());
        assert_eq!(v.get("function").and_then(|x| x.as_str()), f.function.as_deref());
        assert_eq!(v.get("lineno").and_then(|x| x.as_u64()), f.lineno.map(u64::from));
        assert_eq!(v.get("colno").and_then(|x| x.as_u64()), f.colno.map(u64::from));
        assert_eq!(v.get("in_app").and_then(|x| x.as_bool()), f.in_app);
    }
}

#[cfg(feature = "runtime-server")]
const NODE_APP: &str = "/tmp/stackcap/node-cap.mjs";
#[cfg(feature = "runtime-server")]
const CJS: &str = "/tmp/stackcap/cap.cjs";

#[test]
#[cfg(feature = "runtime-server")]
fn node_captured() {
    let n = |name| captured("node", name);
    check(&n("esm_named"), 1, &[
        ("named", NODE_APP, 4, 26, T),
        ("?", NODE_APP, 5, 7, T),
        ("ModuleJob.run", "node:internal/modules/esm/module_job", 325, 25, F),
        ("ModuleLoader.import", "node:internal/modules/esm/loader", 606, 24, F),
        ("asyncRunEntryPointWithESMLoader", "node:internal/modules/run_main", 117, 5, F),
    ]);
    check(&n("esm_async"), 1, &[
        ("inner", NODE_APP, 8, 44, T),
        ("Promise.all", "index 0", 0, 0, F),
        ("outer", NODE_APP, 9, 26, T),
        ("?", NODE_APP, 10, 7, T),
    ]);
    check(&n("esm_class_map"), 1, &[
        ("?", NODE_APP, 6, 56, T),
        ("Array.map", "<anonymous>", 0, 0, F),
        ("Widget.render", NODE_APP, 6, 38, T),
        ("?", NODE_APP, 7, 20, T),
        ("ModuleJob.run", "node:internal/modules/esm/module_job", 325, 25, F),
        ("ModuleLoader.import", "node:internal/modules/esm/loader", 606, 24, F),
        ("asyncRunEntryPointWithESMLoader", "node:internal/modules/run_main", 117, 5, F),
    ]);
    // eval and new Function point at the code that ran them.
    check(&n("esm_eval"), 1, &[("evald", NODE_APP, 11, 7, T), ("eval", NODE_APP, 11, 7, T), ("?", NODE_APP, 11, 7, T)]);
    check(&n("esm_function_ctor"), 1, &[("eval", NODE_APP, 12, 7, T), ("?", NODE_APP, 12, 55, T)]);
    check(&n("esm_builtin"), 1, &[("JSON.parse", "<anonymous>", 0, 0, F), ("?", NODE_APP, 13, 12, T)]);
    check(&n("esm_timer"), 1, &[
        ("Timeout._onTimeout", NODE_APP, 14, 67, T),
        ("listOnTimeout", "node:internal/timers", 581, 17, F),
        ("process.processTimers", "node:internal/timers", 519, 7, F),
    ]);
    // Paths with spaces: CommonJS writes them as they are, ESM percent-encodes its file
    // URL; both become the same decoded path, as Sentry's Node SDK writes it.
    check(&n("cjs_space"), 1, &[("Object.f", "/tmp/stackcap/dir with space/mod.cjs", 1, 34, T), ("?", NODE_APP, 19, 9, T)]);
    check(&n("esm_space_url"), 1, &[("Module.spaced", "/tmp/stackcap/dir with space/esm mod.mjs", 1, 34, T), ("?", CJS, 8, 68, T)]);
    check(&n("esm_odd_name"), 1, &[("with space", NODE_APP, 20, 55, T), ("?", NODE_APP, 20, 90, T)]);
    // A data: module's source is never sent.
    check(&n("esm_data_uri"), 1, &[
        ("dyn", "<data:text/javascript>", 0, 0, U),
        ("?", "<data:text/javascript>", 0, 0, U),
        ("ModuleJob.run", "node:internal/modules/esm/module_job", 325, 25, F),
        ("ModuleLoader.import", "node:internal/modules/esm/loader", 606, 24, F),
        ("?", NODE_APP, 21, 7, T),
    ]);
    check(&n("esm_as_alias"), 1, &[("Object.realName", NODE_APP, 22, 92, T), ("?", NODE_APP, 22, 121, T)]);
    // CommonJS: `[as alias]` kept, `Object.<anonymous>` → `Object.?`.
    let loader = "node:internal/modules/cjs/loader";
    check(&n("cjs_as_alias"), 1, &[
        ("Object.realName [as alias]", CJS, 2, 53, T),
        ("Object.?", CJS, 3, 9, T),
        ("Module._compile", loader, 1521, 14, F),
        ("Module._extensions..js", loader, 1623, 10, F),
        ("Module.load", loader, 1266, 32, F),
        ("Module._load", loader, 1091, 12, F),
        ("Function.executeUserEntryPoint [as runMain]", "node:internal/modules/run_main", 164, 12, F),
        ("?", "node:internal/main/run_main_module", 28, 49, F),
    ]);
    check(&n("cjs_async"), 1, &[("a1", CJS, 5, 41, T), ("?", CJS, 7, 9, T)]);
    check(&n("cjs_ctor"), 1, &[("new K", CJS, 11, 69, T), ("K.make", CJS, 11, 36, T), ("?", CJS, 12, 11, T)]);
    check(&n("cjs_fs"), 1, &[
        ("Object.openSync", "node:fs", 573, 18, F),
        ("Object.readFileSync", "node:fs", 452, 35, F),
        ("?", CJS, 9, 28, T),
    ]);
    check(&n("cjs_top"), 1, &[
        ("Timeout._onTimeout", "[worker eval]", 1, 23, T),
        ("listOnTimeout", "node:internal/timers", 581, 17, F),
        ("process.processTimers", "node:internal/timers", 519, 7, F),
    ]);
    // Frames written into the message are never read.
    check(&n("cjs_forged"), 3, &[("?", CJS, 17, 15, T)]);
    check(&n("cjs_no_frames_forged"), 2, &[]);
}

#[test]
#[cfg(feature = "runtime-server")]
fn node_older_versions_documented() {
    // Node ≤ 14: core modules without `node:`, `Object.Module._extensions..js`.
    let s = "TypeError: x is not a function\n    at Object.<anonymous> (C:\\app\\index.js:3:1)\n    at Module._compile (internal/modules/cjs/loader.js:1085:14)\n    at Object.Module._extensions..js (internal/modules/cjs/loader.js:1114:10)\n    at Function.Module._load (module.js:506:12)\n    at listOnTimeout (timers.js:531:17)\n    at emitOne (events.js:96:13)\n    at Readable.read (_stream_readable.js:10:3)\n    at startup (node.js:966:3)\n    at Array.forEach (native)";
    check(s, 1, &[
        ("Object.?", "C:\\app\\index.js", 3, 1, T),
        ("Module._compile", "internal/modules/cjs/loader.js", 1085, 14, F),
        ("Module._extensions..js", "internal/modules/cjs/loader.js", 1114, 10, F),
        ("Module._load", "module.js", 506, 12, F),
        ("listOnTimeout", "timers.js", 531, 17, F),
        ("emitOne", "events.js", 96, 13, F),
        ("Readable.read", "_stream_readable.js", 10, 3, F),
        ("startup", "node.js", 966, 3, F),
        ("Array.forEach", "", 0, 0, F),
    ]);
    // file:// URLs on Windows, dependencies.
    let s = "Error: x\n    at run (file:///C:/srv/my%20app/main.mjs:2:3)\n    at Layer.handle [as handle_request] (/srv/app/node_modules/express/lib/router/layer.js:95:5)\n    at async Promise.all (index 1)";
    check(s, 1, &[
        ("run", "C:/srv/my app/main.mjs", 2, 3, T),
        ("Layer.handle [as handle_request]", "/srv/app/node_modules/express/lib/router/layer.js", 95, 5, F),
        ("Promise.all", "index 1", 0, 0, F),
    ]);
}

#[cfg(feature = "runtime-server")]
const WK: &str = "/tmp/stackcap/wk/src/worker.js";

#[test]
#[cfg(feature = "runtime-server")]
fn workerd_captured() {
    let w = |name| captured("workerd", name);
    check(&w("workerd_sync"), 1, &[("parseOrder", WK, 2, 47, T), ("Object.fetch", WK, 7, 11, T)]);
    check(&w("workerd_async"), 1, &[("parseOrder", WK, 2, 47, T), ("Handler.handle", WK, 3, 56, T), ("Object.fetch", WK, 8, 11, T)]);
    check(&w("workerd_module_map"), 1, &[
        ("helper", "/tmp/stackcap/wk/src/lib/helper.js", 1, 34, T),
        ("?", WK, 9, 25, T),
        ("Array.map", "<anonymous>", 0, 0, F),
        ("Object.fetch", WK, 9, 15, T),
    ]);
    check(&w("workerd_builtin"), 1, &[("JSON.parse", "<anonymous>", 0, 0, F), ("Object.fetch", WK, 10, 16, T)]);
    check(&w("workerd_function"), 1, &[("new Function", "<anonymous>", 0, 0, F), ("Object.fetch", WK, 11, 11, T)]);
    check(&w("workerd_then"), 1, &[("?", WK, 12, 67, T), ("Promise.all", "index 0", 0, 0, F), ("Object.fetch", WK, 12, 11, T)]);
}

#[test]
#[cfg(feature = "runtime-server")]
fn workerd_deployed_and_wrangler_documented() {
    // A deployed worker's modules are named relative to its root.
    let s = "Error: upstream failed\n    at handle (worker.js:12:11)\n    at async Object.fetch (index.js:30:18)";
    check(s, 1, &[("handle", "worker.js", 12, 11, T), ("Object.fetch", "index.js", 30, 18, T)]);
    // wrangler's wrapper, once frames carry its source names, and its `__facade_` functions.
    let s = "Error: x\n    at Object.fetch (/w/src/index.ts:5:11)\n    at __facade_invokeChain__ (/w/.wrangler/tmp/dev-Ab1/index.js:120:9)\n    at drainBody (/w/node_modules/wrangler/templates/middleware/middleware-ensure-req-body-drained.ts:5:10)\n    at Object.fetch (/w/.wrangler/tmp/bundle-Xy2/middleware-loader.entry.ts:54:16)";
    check(s, 1, &[
        ("Object.fetch", "/w/src/index.ts", 5, 11, T),
        ("__facade_invokeChain__", "/w/.wrangler/tmp/dev-Ab1/index.js", 120, 9, F),
        ("drainBody", "/w/node_modules/wrangler/templates/middleware/middleware-ensure-req-body-drained.ts", 5, 10, F),
        ("Object.fetch", "/w/.wrangler/tmp/bundle-Xy2/middleware-loader.entry.ts", 54, 16, F),
    ]);
}

const CR: &str = "http://127.0.0.1:8080/my%20dir/app.js";

#[test]
fn chromium_captured() {
    let c = |name| captured("chromium", name);
    check(&c("chrome_app"), 1, &[
        ("handleClick", CR, 1, 43, T),
        ("?", CR, 2, 48, T),
        ("Array.map", "<anonymous>", 0, 0, F),
        ("Widget.render", CR, 2, 38, T),
        ("?", CR, 3, 40, T),
        ("frameworkCall", "http://127.0.0.1:8080/static/chunks/framework-abc123.js", 2, 60, T),
        ("?", CR, 3, 7, T),
    ]);
    check(&c("chrome_eval"), 1, &[("ev", CR, 4, 7, T), ("eval", CR, 4, 7, T), ("?", CR, 4, 7, T)]);
    check(&c("chrome_function_ctor"), 1, &[("eval", CR, 5, 7, T), ("?", CR, 5, 53, T)]);
    check(&c("chrome_as_alias"), 1, &[("Object.realName [as alias]", CR, 6, 48, T), ("?", CR, 7, 9, T)]);
    // Browser stacks keep `async ` in names, as Sentry's browser SDK does.
    check(&c("chrome_async"), 1, &[("inner", CR, 9, 46, T), ("async Promise.all", "index 0", 0, 0, F), ("?", CR, 10, 9, T)]);
    check(&c("chrome_data_uri"), 1, &[("dyn", "<data:text/javascript>", 0, 0, U), ("?", "<data:text/javascript>", 0, 0, U)]);
    check(&c("chrome_inline"), 1, &[("inline", "http://127.0.0.1:8080/", 6, 34, T), ("?", "http://127.0.0.1:8080/", 6, 56, T)]);
    check(&c("chrome_blob"), 1, &[("Module.b", "blob:http://127.0.0.1:PORT/UUID", 1, 28, T), ("?", CR, 13, 30, T)]);
    let got = parse_stack_after(&c("chrome_wasm"), 1);
    assert_eq!(got.len(), 2);
    let w = &got[1];
    assert_eq!(
        (w.function.as_deref(), w.filename.as_deref(), w.instruction_addr.as_deref(), w.lineno, w.in_app),
        (Some("wasm-function[0]"), Some("wasm://wasm/e30a2672"), Some("0x1e"), None, T)
    );
}

#[test]
#[cfg(feature = "runtime-browser")]
fn chromium_and_opera_documented() {
    // Opera ≥ 15 and Edge ≥ 79 are Chromium: the same lines.
    let s = "TypeError: Cannot read properties of undefined (reading 'x')\n    at fn(http://h/file.js:10:5)\n    at Array.reduce(<anonymous>)\n    at HTMLButtonElement.onclick (http://h/:1:1)\n    at Object.<anonymous> (http://h/app.js:3:3)\n    at async http://h/app.js:25:7\n    at http://h/static/js/main.chunk.js:1:2";
    check(s, 1, &[
        ("fn", "http://h/file.js", 10, 5, T),
        ("Array.reduce", "<anonymous>", 0, 0, F),
        ("HTMLButtonElement.onclick", "http://h/", 1, 1, T),
        ("Object.<anonymous>", "http://h/app.js", 3, 3, T),
        ("?", "http://h/app.js", 25, 7, T),
        ("?", "http://h/static/js/main.chunk.js", 1, 2, T),
    ]);
    // A message spanning lines, with text that looks like a location.
    let s = "Error: Problem at this\nlocation. Error code:1234\n    at http://path/to/file.js:47:22\n    at foo (http://path/to/file.js:52:15)";
    check(s, 2, &[("?", "http://path/to/file.js", 47, 22, T), ("foo", "http://path/to/file.js", 52, 15, T)]);
    // webpack's `(error: …)` wrapper, locations without a position, extensions.
    let s = "Error: x\n    at (error: (/chunks/app.js))\n    at fn (/path/to/file.js)\n    at f (chrome-extension://abcdef/content.js:1:2)\n    at g (moz-extension://abcdef/content.js:3:4)";
    check(s, 1, &[
        ("?", "/chunks/app.js", 0, 0, T),
        ("fn", "/path/to/file.js", 0, 0, T),
        ("f", "chrome-extension://abcdef/content.js", 1, 2, F),
        ("g", "moz-extension://abcdef/content.js", 3, 4, F),
    ]);
}

#[test]
#[cfg(feature = "runtime-browser")]
fn firefox_documented() {
    let s = "handleClick@http://h/app.js:10:15\nrender/<@http://h/app.js:31:9\n@http://h/app.js:40:1\nrun@http://h/app.js line 12 > eval:1:1\n@http://h/app.js line 3 > eval line 1 > eval:2:7\nanonymous@http://h/app.js line 5 > Function:1:1\nasync*main@http://h/app.js:50:3\nEventListener.handleEvent*@http://h/app.js:60:5\nf@resource://gre/modules/x.sys.mjs:4:2\ndispatch@http://h/node_modules/.vite/deps/react-dom_client.js:1:2\nc@moz-extension://0d9b/content.js:1:5";
    check(s, 0, &[
        ("handleClick", "http://h/app.js", 10, 15, T),
        ("render/<", "http://h/app.js", 31, 9, T),
        ("?", "http://h/app.js", 40, 1, T),
        ("run", "http://h/app.js", 12, 0, T),
        ("eval", "http://h/app.js", 3, 0, T),
        ("anonymous", "http://h/app.js", 5, 0, T),
        ("async*main", "http://h/app.js", 50, 3, T),
        ("EventListener.handleEvent*", "http://h/app.js", 60, 5, T),
        ("f", "resource://gre/modules/x.sys.mjs", 4, 2, T),
        ("dispatch", "http://h/node_modules/.vite/deps/react-dom_client.js", 1, 2, F),
        ("c", "moz-extension://0d9b/content.js", 1, 5, F),
    ]);
    // Firefox ≤ 13: arguments after the name, no columns.
    let s = "()@file:///G:/js/stacktrace.js:44\n(null)@file:///G:/js/stacktrace.js:31\nprintStackTrace()@file:///G:/js/stacktrace.js:18\nbar(1)@file:///G:/js/test/case.html:13\nfoo(\"a\",2)@file:///G:/js/test/case.html:10\n@file:///G:/js/test/case.html:16";
    check(s, 0, &[
        ("?", "file:///G:/js/stacktrace.js", 44, 0, T),
        ("?", "file:///G:/js/stacktrace.js", 31, 0, T),
        ("printStackTrace", "file:///G:/js/stacktrace.js", 18, 0, T),
        ("bar", "file:///G:/js/test/case.html", 13, 0, T),
        ("foo", "file:///G:/js/test/case.html", 10, 0, T),
        ("?", "file:///G:/js/test/case.html", 16, 0, T),
    ]);
}

#[test]
#[cfg(feature = "runtime-browser")]
fn safari_documented() {
    let s = "handleClick@http://h/app.js:10:15\nhttp://h/app.js:48:22\nforEach@[native code]\n[native code]\neval code@\neval@[native code]\nmodule code@http://h/main.js:1:8\nglobal code@http://h/index.html:22:4\nfn@safari-extension:(//3284871F/2665fee0/commons.js:223036:10)\nsafari-web-extension:(//3284871F/topee-content.js:3313:26)\npromiseReactionJob@[native code]";
    check(s, 0, &[
        ("handleClick", "http://h/app.js", 10, 15, T),
        ("?", "http://h/app.js", 48, 22, T),
        ("forEach", "[native code]", 0, 0, F),
        ("?", "[native code]", 0, 0, F),
        ("eval", "[native code]", 0, 0, F),
        ("module code", "http://h/main.js", 1, 8, T),
        ("global code", "http://h/index.html", 22, 4, T),
        ("fn", "safari-extension://3284871F/2665fee0/commons.js", 223036, 10, F),
        ("?", "safari-web-extension://3284871F/topee-content.js", 3313, 26, F),
        ("promiseReactionJob", "[native code]", 0, 0, F),
    ]);
    // Safari extension stacks written with `at`.
    let s = "Error: wat\n  at ClipperError@safari-extension:(//3284871F/2665fee0/commons.js:223036:10)\n  at safari-extension:(//3284871F/2665fee0/topee-content.js:3313:26)";
    check(s, 1, &[
        ("ClipperError", "safari-extension://3284871F/2665fee0/commons.js", 223036, 10, F),
        ("?", "safari-extension://3284871F/2665fee0/topee-content.js", 3313, 26, F),
    ]);
}

#[test]
#[cfg(feature = "runtime-browser")]
fn react_native_documented() {
    // Hermes.
    let s = "Error: x\n    at onPress (address at index.android.bundle:1:31561)\n    at anonymous (http://10.0.2.2:8081/index.bundle?platform=android&dev=true:120:5)\n    at apply (native)\n    at callFunctionReturnFlushedQueue (address at InternalBytecode.js:1:2)";
    check(s, 1, &[
        ("onPress", "index.android.bundle", 1, 31561, T),
        ("anonymous", "http://10.0.2.2:8081/index.bundle?platform=android&dev=true", 120, 5, T),
        ("apply", "native", 0, 0, F),
        ("callFunctionReturnFlushedQueue", "InternalBytecode.js", 1, 2, T),
    ]);
    // JavaScriptCore, with RAM bundle modules and bare bundle frames.
    let s = "onPress@/var/containers/Bundle/App.app/main.jsbundle:1:2\nrender@12.js:3:4\nindex.android.bundle:5:6\n[native code]";
    check(s, 0, &[
        ("onPress", "/var/containers/Bundle/App.app/main.jsbundle", 1, 2, T),
        ("render", "12.js", 3, 4, T),
        ("?", "index.android.bundle", 5, 6, T),
        ("?", "[native code]", 0, 0, F),
    ]);
}

#[test]
fn legacy_ie_and_edge_documented() {
    // IE 10/11 and EdgeHTML write V8-like lines with three-space indents.
    let s = "TypeError: Unable to get property 'undef' of undefined or null reference\n   at Anonymous function (http://h/file.js:47:21)\n   at foo (http://h/file.js:52:15)\n   at Array.prototype.map (native code)\n   at Global code (http://h/:12:3)";
    check(s, 1, &[
        ("Anonymous function", "http://h/file.js", 47, 21, T),
        ("foo", "http://h/file.js", 52, 15, T),
        ("Array.prototype.map", "native code", 0, 0, F),
        ("Global code", "http://h/", 12, 3, T),
    ]);
}

#[test]
fn wasm_documented() {
    let s = "RuntimeError: unreachable\n    at MyClass::bar(int) const (http://h/main.wasm:wasm-function[190]:0x5aeb)\n    at emscripten::internal::MethodInvoker<int (MyClass::*)(int) const, int, MyClass const*, int>::invoke(int (MyClass::* const&)(int) const, MyClass const*, int) (http://h/main.wasm:wasm-function[2]:0x1a)\n    at http://h/app.js:5:1";
    let got = parse_stack_after(s, 1);
    let names: Vec<_> = got.iter().rev().map(|f| (f.function.as_deref().unwrap(), f.filename.as_deref().unwrap(), f.instruction_addr.as_deref())).collect();
    assert_eq!(
        names,
        [
            ("MyClass::bar(int) const", "http://h/main.wasm", Some("0x5aeb")),
            ("emscripten::internal::MethodInvoker<int (MyClass::*)(int) const, int, MyClass const*, int>::invoke(int (MyClass::* const&)(int) const, MyClass const*, int)", "http://h/main.wasm", Some("0x1a")),
            ("?", "http://h/app.js", None),
        ]
    );
}

#[test]
#[cfg(feature = "runtime-browser")]
fn in_app_for_framework_chunks() {
    // Next.js production (webpack) and development chunks, React DOM from Vite's deps.
    let s = "Error: x\n    at onClick (http://h/_next/static/chunks/app/page-2c7b1f0e.js:1:120)\n    at Object.Sj (http://h/_next/static/chunks/framework-2c79e2a64abdb08b.js:9:7399)\n    at http://h/_next/static/chunks/main-0ff2d2e4ea4b5d2f.js:1:3\n    at r (http://h/_next/static/chunks/webpack-59c5c889f52620d6.js:1:146)\n    at http://h/_next/static/chunks/polyfills-42372ed130431b0a.js:1:9\n    at t (http://h/_next/static/chunks/117-4e7c2b1a9d8f6e5c.js:2:3)\n    at App (http://h/_next/static/chunks/pages/_app-5e1f3c2a.js:1:700)\n    at HTMLUnknownElement.callCallback (http://h/node_modules/.vite/deps/react-dom_client.js?v=9c1b:3674:22)\n    at commitRoot (http://h/assets/react-dom.production.min.js:1:2)";
    check(s, 1, &[
        ("onClick", "http://h/_next/static/chunks/app/page-2c7b1f0e.js", 1, 120, T),
        ("Object.Sj", "http://h/_next/static/chunks/framework-2c79e2a64abdb08b.js", 9, 7399, F),
        ("?", "http://h/_next/static/chunks/main-0ff2d2e4ea4b5d2f.js", 1, 3, F),
        ("r", "http://h/_next/static/chunks/webpack-59c5c889f52620d6.js", 1, 146, F),
        ("?", "http://h/_next/static/chunks/polyfills-42372ed130431b0a.js", 1, 9, F),
        ("t", "http://h/_next/static/chunks/117-4e7c2b1a9d8f6e5c.js", 2, 3, T),
        ("App", "http://h/_next/static/chunks/pages/_app-5e1f3c2a.js", 1, 700, U),
        ("HTMLUnknownElement.callCallback", "http://h/node_modules/.vite/deps/react-dom_client.js?v=9c1b", 3674, 22, F),
        ("commitRoot", "http://h/assets/react-dom.production.min.js", 1, 2, F),
    ]);
}

#[test]
#[cfg(feature = "runtime-browser")]
fn in_app_for_turbopack_chunks() {
    // Chunk names of a real Next 16 (Turbopack) production build: hashed chunks mix the
    // app with React and Next, and count as the app's as any bundle does (a server marks
    // the libraries by their source-mapped paths); the runtime is not the app.
    let s = "TypeError: x\n    at onClick (http://h/_next/static/chunks/42mylhc_dhb8j.js:1:2411)\n    at Object.a (http://h/_next/static/chunks/1jniwdjpmkdgi.js:1:90210)\n    at http://h/_next/static/chunks/turbopack-077hmtqrhcoji.js:1:4000\n    at f (http://h/_next/static/chunks/node_modules_next_dist_client_0a1b2c._.js:3:4)";
    check(s, 1, &[
        ("onClick", "http://h/_next/static/chunks/42mylhc_dhb8j.js", 1, 2411, T),
        ("Object.a", "http://h/_next/static/chunks/1jniwdjpmkdgi.js", 1, 90210, T),
        ("?", "http://h/_next/static/chunks/turbopack-077hmtqrhcoji.js", 1, 4000, F),
        ("f", "http://h/_next/static/chunks/node_modules_next_dist_client_0a1b2c._.js", 3, 4, F),
    ]);
}

#[test]
fn parse_stack_without_message_count_reads_the_same_frames() {
    for (engine, name) in [("node", "cjs_as_alias"), ("chromium", "chrome_app"), ("workerd", "workerd_async")] {
        let s = captured(engine, name);
        assert_eq!(parse_stack(&s), parse_stack_after(&s, 1), "{engine}/{name}");
    }
}
