//! Whole stack strings, as each engine writes them, through `oxeye::stacktrace`.

use oxeye::stacktrace::{parse_stack, Frame, MAX_FRAMES};

fn fr(file: Option<&str>, func: Option<&str>, line: Option<u32>, col: Option<u32>, app: bool) -> Frame {
    Frame {
        filename: file.map(str::to_owned),
        function: func.map(str::to_owned),
        lineno: line,
        colno: col,
        in_app: app,
        instruction_addr: None,
    }
}

fn at(file: &str, func: Option<&str>, line: u32, col: u32, app: bool) -> Frame {
    fr(Some(file), func, Some(line), Some(col), app)
}

fn wasm(file: &str, func: &str, addr: &str) -> Frame {
    Frame { instruction_addr: Some(addr.to_owned()), ..fr(Some(file), Some(func), None, None, true) }
}

const APP: &str = "http://127.0.0.1:8080/app.js";

#[test]
fn chrome() {
    let s = "TypeError: Cannot read properties of undefined (reading 'id')\n    at Object.handleClick (http://127.0.0.1:8080/app.js:10:15)\n    at http://127.0.0.1:8080/app.js:20:3\n    at Array.map (<anonymous>)\n    at eval (eval at load (http://127.0.0.1:8080/app.js:33:7), <anonymous>:1:1)\n    at new Widget (http://127.0.0.1:8080/app.js:41:9)\n    at HTMLButtonElement.dispatch (http://127.0.0.1:8080/vendor/node_modules/jquery/dist/jquery.js:5145:27)\n    at async main (http://127.0.0.1:8080/app.js:50:3)";
    assert_eq!(
        parse_stack(s),
        vec![
            at(APP, Some("async main"), 50, 3, true),
            at("http://127.0.0.1:8080/vendor/node_modules/jquery/dist/jquery.js", Some("HTMLButtonElement.dispatch"), 5145, 27, false),
            at(APP, Some("new Widget"), 41, 9, true),
            at(APP, Some("eval"), 33, 7, true),
            fr(Some("<anonymous>"), Some("Array.map"), None, None, false),
            at(APP, None, 20, 3, true),
            at(APP, Some("Object.handleClick"), 10, 15, true),
        ]
    );
}

#[test]
fn chrome_multi_line_message_and_wasm() {
    let s = "RuntimeError: unreachable\n  while running the module\n\n  see https://example.com/help\n    at wasm://wasm/0012abcd:wasm-function[190]:0x5aeb\n    at render (http://127.0.0.1:8080/pkg/app_bg.wasm:wasm-function[7]:0x37)\n    at http://127.0.0.1:8080/app.js:5:1";
    assert_eq!(
        parse_stack(s),
        vec![
            at(APP, None, 5, 1, true),
            wasm("http://127.0.0.1:8080/pkg/app_bg.wasm", "render", "0x37"),
            wasm("wasm://wasm/0012abcd", "wasm-function[190]", "0x5aeb"),
        ]
    );
}

#[test]
fn node() {
    let s = "Error: ENOENT: no such file or directory, open 'config.json'\n    at Object.openSync (node:fs:573:18)\n    at readConfig (/srv/app/src/config.js:12:20)\n    at Object.<anonymous> (/srv/app/src/index.js:3:1)\n    at Layer.handle [as handle_request] (/srv/app/node_modules/express/lib/router/layer.js:95:5)\n    at Module._compile (node:internal/modules/cjs/loader:1376:14)\n    at async Promise.all (index 1)\n    at load (file:///srv/app/src/main.mjs:3:9)\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)\n    at node:internal/main/run_main_module:28:49";
    assert_eq!(
        parse_stack(s),
        vec![
            at("node:internal/main/run_main_module", None, 28, 49, false),
            at("node:internal/process/task_queues", Some("process.processTicksAndRejections"), 95, 5, false),
            at("file:///srv/app/src/main.mjs", Some("load"), 3, 9, true),
            fr(None, Some("async Promise.all"), None, None, false),
            at("node:internal/modules/cjs/loader", Some("Module._compile"), 1376, 14, false),
            at("/srv/app/node_modules/express/lib/router/layer.js", Some("Layer.handle"), 95, 5, false),
            at("/srv/app/src/index.js", Some("Object.<anonymous>"), 3, 1, true),
            at("/srv/app/src/config.js", Some("readConfig"), 12, 20, true),
            at("node:fs", Some("Object.openSync"), 573, 18, false),
        ]
    );
}

#[test]
fn workerd() {
    let s = "Error: upstream failed\n    at handle (worker.js:12:11)\n    at Object.fetch (worker.js:30:18)";
    assert_eq!(
        parse_stack(s),
        vec![at("worker.js", Some("Object.fetch"), 30, 18, true), at("worker.js", Some("handle"), 12, 11, true)]
    );
}

#[test]
fn firefox() {
    let s = "handleClick@http://127.0.0.1:8080/app.js:10:15\nrender/<@http://127.0.0.1:8080/app.js:31:9\n@http://127.0.0.1:8080/app.js:40:1\nrun@http://127.0.0.1:8080/app.js line 12 > eval:1:1\nasync*main@http://127.0.0.1:8080/app.js:50:3\nEventListener.handleEvent*@http://127.0.0.1:8080/app.js:60:5\ndispatch@http://127.0.0.1:8080/node_modules/.vite/deps/react-dom.js:1:2\nwasm-function[3]@http://127.0.0.1:8080/pkg/app_bg.wasm:wasm-function[3]:0x8a\nold@http://127.0.0.1:8080/old.js:7\n";
    assert_eq!(
        parse_stack(s),
        vec![
            fr(Some("http://127.0.0.1:8080/old.js"), Some("old"), Some(7), None, true),
            wasm("http://127.0.0.1:8080/pkg/app_bg.wasm", "wasm-function[3]", "0x8a"),
            at("http://127.0.0.1:8080/node_modules/.vite/deps/react-dom.js", Some("dispatch"), 1, 2, false),
            at(APP, Some("EventListener.handleEvent*"), 60, 5, true),
            at(APP, Some("async main"), 50, 3, true),
            fr(Some(APP), Some("run"), Some(12), None, true),
            at(APP, None, 40, 1, true),
            at(APP, Some("render/<"), 31, 9, true),
            at(APP, Some("handleClick"), 10, 15, true),
        ]
    );
}

#[test]
fn safari() {
    let s = "handleClick@http://127.0.0.1:8080/app.js:10:15\nforEach@[native code]\n[native code]\n<?>.wasm-function[3]@[wasm code]\neval code@\neval@[native code]\nmodule code@http://127.0.0.1:8080/main.js:1:8\nglobal code@http://127.0.0.1:8080/index.html:22:4";
    assert_eq!(
        parse_stack(s),
        vec![
            at("http://127.0.0.1:8080/index.html", Some("global code"), 22, 4, true),
            at("http://127.0.0.1:8080/main.js", Some("module code"), 1, 8, true),
            fr(Some("[native code]"), Some("eval"), None, None, false),
            fr(None, Some("eval code"), None, None, false),
            fr(Some("[wasm code]"), Some("wasm-function[3]"), None, None, true),
            fr(Some("[native code]"), None, None, None, false),
            fr(Some("[native code]"), Some("forEach"), None, None, false),
            at(APP, Some("handleClick"), 10, 15, true),
        ]
    );
}

#[test]
fn frames_serialise_for_sentry() {
    let frames: Vec<_> = parse_stack("Error: x\n    at f (http://h/a.js:1:2)\n    at wasm://wasm/00ab:wasm-function[2]:0x10")
        .iter()
        .map(Frame::to_json)
        .collect();
    assert_eq!(
        serde_json::Value::Array(frames),
        serde_json::json!([
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
