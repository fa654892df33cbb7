//! Whole stack strings, as each engine writes them, through `oxeye::stacktrace`.

use oxeye::stacktrace::{parse_stack, Frame, MAX_FRAMES};

const T: Option<bool> = Some(true);
const F: Option<bool> = Some(false);

fn fr(file: Option<&str>, func: &str, line: Option<u32>, col: Option<u32>, app: Option<bool>) -> Frame {
    Frame {
        filename: file.map(str::to_owned),
        function: Some(func.to_owned()),
        lineno: line,
        colno: col,
        in_app: app,
        instruction_addr: None,
        image: None,
        source: None,
    }
}

fn at(file: &str, func: &str, line: u32, col: u32, app: Option<bool>) -> Frame {
    fr(Some(file), func, Some(line), Some(col), app)
}

fn wasm(file: &str, func: &str, addr: &str) -> Frame {
    Frame { instruction_addr: Some(addr.to_owned()), ..fr(Some(file), func, None, None, T) }
}

const APP: &str = "http://127.0.0.1:8080/app.js";

#[test]
fn chrome() {
    let s = "TypeError: Cannot read properties of undefined (reading 'id')\n    at Object.handleClick (http://127.0.0.1:8080/app.js:10:15)\n    at http://127.0.0.1:8080/app.js:20:3\n    at Array.map (<anonymous>)\n    at eval (eval at load (http://127.0.0.1:8080/app.js:33:7), <anonymous>:1:1)\n    at new Widget (http://127.0.0.1:8080/app.js:41:9)\n    at HTMLButtonElement.dispatch (http://127.0.0.1:8080/vendor/node_modules/jquery/dist/jquery.js:5145:27)\n    at async main (http://127.0.0.1:8080/app.js:50:3)";
    assert_eq!(
        parse_stack(s),
        vec![
            at(APP, "async main", 50, 3, T),
            at("http://127.0.0.1:8080/vendor/node_modules/jquery/dist/jquery.js", "HTMLButtonElement.dispatch", 5145, 27, F),
            at(APP, "new Widget", 41, 9, T),
            at(APP, "eval", 33, 7, T),
            fr(Some("<anonymous>"), "Array.map", None, None, F),
            at(APP, "?", 20, 3, T),
            at(APP, "Object.handleClick", 10, 15, T),
        ]
    );
}

#[test]
fn chrome_multi_line_message_and_wasm() {
    let s = "RuntimeError: unreachable\n  while running the module\n\n  see https://example.com/help\n    at wasm://wasm/0012abcd:wasm-function[190]:0x5aeb\n    at render (http://127.0.0.1:8080/pkg/app_bg.wasm:wasm-function[7]:0x37)\n    at http://127.0.0.1:8080/app.js:5:1";
    assert_eq!(
        parse_stack(s),
        vec![
            at(APP, "?", 5, 1, T),
            wasm("http://127.0.0.1:8080/pkg/app_bg.wasm", "render", "0x37"),
            wasm("wasm://wasm/0012abcd", "wasm-function[190]", "0x5aeb"),
        ]
    );
}

#[test]
#[cfg(feature = "runtime-server")]
fn node() {
    let s = "Error: ENOENT: no such file or directory, open 'config.json'\n    at Object.openSync (node:fs:573:18)\n    at readConfig (/srv/app/src/config.js:12:20)\n    at Object.<anonymous> (/srv/app/src/index.js:3:1)\n    at Layer.handle [as handle_request] (/srv/app/node_modules/express/lib/router/layer.js:95:5)\n    at Module._compile (node:internal/modules/cjs/loader:1376:14)\n    at async Promise.all (index 1)\n    at load (file:///srv/app/src/main.mjs:3:9)\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)\n    at node:internal/main/run_main_module:28:49";
    assert_eq!(
        parse_stack(s),
        vec![
            at("node:internal/main/run_main_module", "?", 28, 49, F),
            at("node:internal/process/task_queues", "process.processTicksAndRejections", 95, 5, F),
            at("/srv/app/src/main.mjs", "load", 3, 9, T),
            fr(Some("index 1"), "Promise.all", None, None, F),
            at("node:internal/modules/cjs/loader", "Module._compile", 1376, 14, F),
            at("/srv/app/node_modules/express/lib/router/layer.js", "Layer.handle [as handle_request]", 95, 5, F),
            at("/srv/app/src/index.js", "Object.?", 3, 1, T),
            at("/srv/app/src/config.js", "readConfig", 12, 20, T),
            at("node:fs", "Object.openSync", 573, 18, F),
        ]
    );
}

#[test]
fn workerd() {
    let s = "Error: upstream failed\n    at handle (worker.js:12:11)\n    at Object.fetch (worker.js:30:18)";
    assert_eq!(
        parse_stack(s),
        vec![at("worker.js", "Object.fetch", 30, 18, T), at("worker.js", "handle", 12, 11, T)]
    );
}

#[test]
#[cfg(feature = "runtime-browser")]
fn firefox() {
    let s = "handleClick@http://127.0.0.1:8080/app.js:10:15\nrender/<@http://127.0.0.1:8080/app.js:31:9\n@http://127.0.0.1:8080/app.js:40:1\nrun@http://127.0.0.1:8080/app.js line 12 > eval:1:1\nasync*main@http://127.0.0.1:8080/app.js:50:3\nEventListener.handleEvent*@http://127.0.0.1:8080/app.js:60:5\ndispatch@http://127.0.0.1:8080/node_modules/.vite/deps/react-dom.js:1:2\nwasm-function[3]@http://127.0.0.1:8080/pkg/app_bg.wasm:wasm-function[3]:0x8a\nold@http://127.0.0.1:8080/old.js:7\n";
    assert_eq!(
        parse_stack(s),
        vec![
            fr(Some("http://127.0.0.1:8080/old.js"), "old", Some(7), None, T),
            wasm("http://127.0.0.1:8080/pkg/app_bg.wasm", "wasm-function[3]", "0x8a"),
            at("http://127.0.0.1:8080/node_modules/.vite/deps/react-dom.js", "dispatch", 1, 2, F),
            at(APP, "EventListener.handleEvent*", 60, 5, T),
            at(APP, "async*main", 50, 3, T),
            fr(Some(APP), "run", Some(12), None, T),
            at(APP, "?", 40, 1, T),
            at(APP, "render/<", 31, 9, T),
            at(APP, "handleClick", 10, 15, T),
        ]
    );
}

#[test]
#[cfg(feature = "runtime-browser")]
fn safari() {
    let s = "handleClick@http://127.0.0.1:8080/app.js:10:15\nforEach@[native code]\n[native code]\n<?>.wasm-function[3]@[wasm code]\neval code@\neval@[native code]\nmodule code@http://127.0.0.1:8080/main.js:1:8\nglobal code@http://127.0.0.1:8080/index.html:22:4";
    assert_eq!(
        parse_stack(s),
        vec![
            at("http://127.0.0.1:8080/index.html", "global code", 22, 4, T),
            at("http://127.0.0.1:8080/main.js", "module code", 1, 8, T),
            fr(Some("[native code]"), "eval", None, None, F),
            fr(Some("[wasm code]"), "wasm-function[3]", None, None, T),
            fr(Some("[native code]"), "?", None, None, F),
            fr(Some("[native code]"), "forEach", None, None, F),
            at(APP, "handleClick", 10, 15, T),
        ]
    );
}

#[test]
fn frames_serialise_for_sentry() {
    let mut parsed = parse_stack("Error: x\n    at f (http://h/a.js:1:2)\n    at wasm://wasm/00ab:wasm-function[2]:0x10\n    at http://h/m.wasm:wasm-function[5]:0x2f");
    // The module of the oldest frame is image 12 of the event's `debug_meta.images`; an
    // image index on a JavaScript frame is never written.
    parsed[0].image = Some(12);
    parsed[2].image = Some(4);
    let frames: Vec<_> = parsed
        .iter()
        .map(|f| {
            let mut out = Vec::new();
            f.write_json(&mut out);
            serde_json::from_slice::<serde_json::Value>(&out).unwrap()
        })
        .collect();
    assert_eq!(
        serde_json::Value::Array(frames),
        serde_json::json!([
            {"filename": "http://h/m.wasm", "function": "wasm-function[5]", "instruction_addr": "0x2f", "platform": "native", "addr_mode": "rel:12", "in_app": true},
            {"filename": "wasm://wasm/00ab", "function": "wasm-function[2]", "instruction_addr": "0x10", "platform": "native", "in_app": true},
            {"filename": "http://h/a.js", "function": "f", "lineno": 1, "colno": 2, "in_app": true},
        ])
    );
}

#[test]
fn long_stacks_keep_the_frames_nearest_the_throw() {
    let mut s = String::from("RangeError: Maximum call stack size exceeded\n");
    for i in 1..=120u32 {
        s.push_str("    at recurse (http://h/app.js:");
        s.push_str(&i.to_string());
        s.push_str(":5)\n");
    }
    let v = parse_stack(&s);
    assert_eq!(v.len(), MAX_FRAMES);
    let lines: Vec<_> = v.iter().filter_map(|f| f.lineno).collect();
    let expected: Vec<u32> = (1..=50).rev().collect();
    assert_eq!(lines, expected);
}
