//! Line-level tests of the stack parser; whole stacks per engine are in
//! `tests/stack_engines.rs` and `tests/stack_fixtures.rs`.

use super::*;

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

fn one(line: &str) -> Frame {
    let mut v = parse_stack(line);
    assert_eq!(v.len(), 1, "expected one frame from {line:?}: {v:?}");
    v.remove(0)
}

fn none(line: &str) {
    assert_eq!(parse_stack(line), vec![], "expected no frame from {line:?}");
}

#[test]
fn v8_function_forms() {
    assert_eq!(one("    at Object.handleClick (http://h/app.js:10:15)"), at("http://h/app.js", "Object.handleClick", 10, 15, T));
    assert_eq!(one("    at http://h/app.js:20:3"), at("http://h/app.js", "?", 20, 3, T));
    assert_eq!(one("    at new Foo (http://h/app.js:2:11)"), at("http://h/app.js", "new Foo", 2, 11, T));
    assert_eq!(one("    at Foo.bar [as baz] (http://h/app.js:8:1)").function.as_deref(), Some("Foo.bar [as baz]"));
    assert_eq!(one("    at ? (http://h/app.js:8:1)").function.as_deref(), Some("?"));
    assert_eq!(one("    at <anonymous> (http://h/app.js:8:1)").function.as_deref(), Some("?"));
    assert_eq!(one("    at new <anonymous> (http://h/app.js:8:1)").function.as_deref(), Some("new <anonymous>"));
    // No space before the location.
    assert_eq!(one("    at fn(http://h/file.js:10:5)"), at("http://h/file.js", "fn", 10, 5, T));
    assert_eq!(one("    at Array.reduce(<anonymous>)"), fr(Some("<anonymous>"), "Array.reduce", None, None, F));
    // A location without line and column.
    assert_eq!(one("    at fn (/path/to/file.js)"), fr(Some("/path/to/file.js"), "fn", None, None, T));
    // Text before `at`.
    assert_eq!(one("[1] at fn (http://h/a.js:1:2)"), at("http://h/a.js", "fn", 1, 2, T));
}

#[test]
fn an_empty_stack_has_no_frames() {
    // A thrown value without a capture stack is read as this one.
    assert!(parse_stack("").is_empty());
    assert!(parse_stack("\n \n").is_empty());
}

#[test]
fn v8_pseudo_locations() {
    assert_eq!(one("    at <anonymous>"), fr(Some("<anonymous>"), "?", None, None, F));
    // Node's way drops the `native` pseudo-file and an `async ` before the function; a
    // browsers-only build reads both as the browser SDK does.
    let native = if cfg!(feature = "runtime-server") { None } else { Some("native") };
    assert_eq!(one("    at Array.forEach (native)"), fr(native, "Array.forEach", None, None, F));
    assert_eq!(one("    at Array.prototype.map (native code)"), fr(Some("native code"), "Array.prototype.map", None, None, F));
    let all = if cfg!(feature = "runtime-server") { "Promise.all" } else { "async Promise.all" };
    assert_eq!(one("    at async Promise.all (index 0)"), fr(Some("index 0"), all, None, None, F));
    assert_eq!(one("    at <anonymous>:1:9"), at("<anonymous>", "?", 1, 9, F));
    assert_eq!(one("    at f (unknown location)"), fr(Some("unknown location"), "f", None, None, F));
    assert_eq!(one("    at (error: (/chunks/app.js))"), fr(Some("/chunks/app.js"), "?", None, None, T));
    assert_eq!(one("    at fn (address at index.android.bundle:1:31561)"), at("index.android.bundle", "fn", 1, 31561, T));
    assert_eq!(one("    at fn (async http://h/:25:7)"), at("http://h/", "fn", 25, 7, T));
}

#[test]
fn v8_urls() {
    assert_eq!(one("    at f (http://127.0.0.1:8080/a.js?v=2#x:1:20577)"), at("http://127.0.0.1:8080/a.js?v=2#x", "f", 1, 20577, T));
    assert_eq!(one("    at f (http://h/assets/copy (1).js:7:3)"), at("http://h/assets/copy (1).js", "f", 7, 3, T));
    assert_eq!(one("    at http://h/assets/copy (1).js:7:3"), at("http://h/assets/copy (1).js", "?", 7, 3, T));
    assert_eq!(one("    at f (http://h/(group)/page.js:7:3)").filename.as_deref(), Some("http://h/(group)/page.js"));
    assert_eq!(one("    at f (http://h/a(b.js:7:3)").filename.as_deref(), Some("http://h/a(b.js"));
    assert_eq!(one("    at f (http://h/my%20dir/a.js:1:2)").filename.as_deref(), Some("http://h/my%20dir/a.js"));
    assert_eq!(one("    at run (blob:http://h/7d0b7e2c-9d1a:12:5)"), at("blob:http://h/7d0b7e2c-9d1a", "run", 12, 5, T));
    // Extension frames are told apart only in the browsers' wasm (`runtime-browser`).
    let extension = if cfg!(feature = "runtime-browser") { F } else { T };
    assert_eq!(one("    at f (chrome-extension://abcdef/content.js:1:2)").in_app, extension);
    assert_eq!(one("    at f (http://user@h/@scope/x.js:1:2)").filename.as_deref(), Some("http://user@h/@scope/x.js"));
    let data = "    at dyn (data:text/javascript,export function dyn(){throw new Error('(')}; dyn():1:29)";
    assert_eq!(one(data), fr(Some("<data:text/javascript>"), "dyn", None, None, None));
    assert_eq!(one("    at data:application/javascript;base64,ZXhwb3J0:1:7"), fr(Some("<data:application/javascript;base64>"), "?", None, None, None));
}

#[test]
fn v8_eval_frames_use_outer_location() {
    assert_eq!(one("    at eval (eval at fn (http://x/app.js:10:5), <anonymous>:1:1)"), at("http://x/app.js", "eval", 10, 5, T));
    let nested = "    at inner (eval at a (eval at b (http://x/app.js:3:1), <anonymous>:1:1), <anonymous>:2:3)";
    assert_eq!(one(nested), at("http://x/app.js", "inner", 3, 1, T));
    // No usable outer location: the eval's own position.
    assert_eq!(one("    at eval (eval at f (garbage), <anonymous>:4:2)"), at("<anonymous>", "eval", 4, 2, F));
    // Deeper than followed: also the eval's own position.
    let mut deep = String::from("    at e (");
    deep.push_str(&"eval at f (".repeat(20));
    deep.push_str("http://x/a.js:1:1");
    deep.push_str(&"), <anonymous>:1:1".repeat(20));
    deep.push(')');
    assert_eq!(one(&deep), at("<anonymous>", "e", 1, 1, F));
}

#[test]
fn wasm_frames() {
    let w = |file: &str, func: &str, addr: &str| Frame { instruction_addr: Some(addr.into()), ..fr(Some(file), func, None, None, T) };
    assert_eq!(one("    at wasm://wasm/0012abcd:wasm-function[190]:0x5aeb"), w("wasm://wasm/0012abcd", "wasm-function[190]", "0x5aeb"));
    assert_eq!(one("    at myfunc (http://host/x.wasm:wasm-function[1]:0x37)"), w("http://host/x.wasm", "myfunc", "0x37"));
    let cpp = "    at emscripten::internal::MethodInvoker<int (MyClass::*)(int) const, int, MyClass const*, int>::invoke(int (MyClass::* const&)(int) const, MyClass const*, int) (http://host/main.wasm:wasm-function[2]:0x1a)";
    assert_eq!(
        one(cpp),
        w("http://host/main.wasm", "emscripten::internal::MethodInvoker<int (MyClass::*)(int) const, int, MyClass const*, int>::invoke(int (MyClass::* const&)(int) const, MyClass const*, int)", "0x1a")
    );
    assert_eq!(one("    at MyClass::bar(int) const (http://host/main.wasm:wasm-function[190]:0x5aeb)").function.as_deref(), Some("MyClass::bar(int) const"));
    // Firefox's and Safari's forms: only the browsers' wasm reads them.
    #[cfg(feature = "runtime-browser")]
    {
        let g = one("wasm-function[3]@http://host/x.wasm line 1 > WebAssembly.instantiate:wasm-function[3]:0x8a");
        assert_eq!(g, w("http://host/x.wasm", "wasm-function[3]", "0x8a"));
        assert_eq!(one("<?>.wasm-function[3]@[wasm code]"), fr(Some("[wasm code]"), "wasm-function[3]", None, None, T));
    }
    none("    at wasm://wasm/0012abcd:wasm-function[190]:0xzz");
    none("    at wasm://wasm/0012abcd:wasm-function[190:0x1");
}

#[test]
#[cfg(feature = "runtime-browser")]
fn gecko_and_jsc_frames() {
    assert_eq!(one("handleClick@http://h/app.js:10:15"), at("http://h/app.js", "handleClick", 10, 15, T));
    assert_eq!(one("@http://h/app.js:40:1"), at("http://h/app.js", "?", 40, 1, T));
    assert_eq!(one("old@http://127.0.0.1:8080/old.js:7"), fr(Some("http://127.0.0.1:8080/old.js"), "old", Some(7), None, T));
    assert_eq!(one("async*main@http://h/app.js:50:3").function.as_deref(), Some("async*main"));
    assert_eq!(one("forEach@[native code]"), fr(Some("[native code]"), "forEach", None, None, F));
    assert_eq!(one("[native code]"), fr(Some("[native code]"), "?", None, None, F));
    assert_eq!(one("fn@http://x/app.js line 10 > eval:1:1"), fr(Some("http://x/app.js"), "fn", Some(10), None, T));
    assert_eq!(one("@http://x/app.js line 3 > eval line 1 > Function:2:7"), fr(Some("http://x/app.js"), "eval", Some(3), None, T));
    assert_eq!(one("@http://x/app.js line 3 > Function:2:7"), fr(Some("http://x/app.js"), "?", Some(3), None, T));
    assert_eq!(one("f@http://h/node_modules/@scope/x/i.js:1:2").in_app, F);
    // Firefox ≤ 13 argument lists.
    assert_eq!(one("bar(2)@http://h/a.js:13").function.as_deref(), Some("bar"));
    assert_eq!(one("(null)@http://h/a.js:31").function.as_deref(), Some("?"));
    // JSC anonymous frames are bare locations.
    assert_eq!(one("http://h/file.js:48:22"), at("http://h/file.js", "?", 48, 22, T));
    assert_eq!(one("/var/app/main.jsbundle:1:2"), at("/var/app/main.jsbundle", "?", 1, 2, T));
    assert_eq!(one("index.android.bundle:3:4"), at("index.android.bundle", "?", 3, 4, T));
    // Safari extensions.
    assert_eq!(one("fn@safari-extension:(//ID/x/file.js:10:2)"), at("safari-extension://ID/x/file.js", "fn", 10, 2, F));
    assert_eq!(one("   at fn@safari-web-extension:(//ID/x/file.js:10:2)"), at("safari-web-extension://ID/x/file.js", "fn", 10, 2, F));
    assert_eq!(one("   at safari-extension:(//ID/x/file.js:10:2)"), at("safari-extension://ID/x/file.js", "?", 10, 2, F));
    // JSC `eval code@` has no location at all and is dropped, as Sentry drops it.
    none("eval code@");
}

#[test]
fn non_frames_are_skipped() {
    for s in [
        "TypeError: x is not a function",
        "Error: contact ops@example.com:8080",
        "line two mentions a@b.example:25",
        "please write to me@",
        "see http://h/a.js:1:2 for details",
        "Error: failed at fn (http://h/a.js:1:2)",
        "@", "x@y", "@:0", "at ", "at (", "at f ()", "at the end", "at the end (really)",
        "    at f (http://h:8080)",
        "    at http://h/a.js",
        "    at x (:1:2:)",
        "    at f (http://h/a.js:1:2",
    ] {
        none(s);
    }
    let s = "Error: line one\nline two\n\n    at f (http://h/app.js:1:2)\n";
    assert_eq!(parse_stack(s), vec![at("http://h/app.js", "f", 1, 2, T)]);
}

#[test]
#[cfg(feature = "runtime-server")]
fn node_style_normalisation() {
    let s = "Error: x\n    at Object.<anonymous> (file:///srv/my%20app/i.mjs:1:7)\n    at async main (/srv/a.js:2:3)\n    at Array.forEach (native)";
    assert_eq!(
        parse_stack(s),
        vec![
            fr(None, "Array.forEach", None, None, F),
            at("/srv/a.js", "main", 2, 3, T),
            at("/srv/my app/i.mjs", "Object.?", 1, 7, T),
        ]
    );
    // Deno: its own modules (`ext:`) are not the app's, and its `file:` URLs are paths.
    let d = "Error: x\n    at handler (file:///srv/app/main.ts:4:9)\n    at ext:deno_http/00_serve.ts:373:34";
    assert_eq!(parse_stack(d), vec![fr(Some("ext:deno_http/00_serve.ts"), "?", Some(373), Some(34), F), at("/srv/app/main.ts", "handler", 4, 9, T)]);
    // The same names in a browser stack are kept as Sentry's browser SDK keeps them.
    let b = "Error: x\n    at Object.<anonymous> (http://h/my%20app.js:1:7)\n    at async main (http://h/a.js:2:3)";
    let v = parse_stack(b);
    assert_eq!((v[1].function.as_deref(), v[1].filename.as_deref()), (Some("Object.<anonymous>"), Some("http://h/my%20app.js")));
    assert_eq!(v[0].function.as_deref(), Some("async main"));
}

#[test]
fn line_and_column_split_from_the_right() {
    let lc = |s| loc::line_col(s).map(|l| (l.filename.into_owned(), l.lineno, l.colno));
    assert_eq!(lc("http://127.0.0.1:8080/app.js:10:5"), Some(("http://127.0.0.1:8080/app.js".into(), Some(10), Some(5))));
    assert_eq!(lc("http://127.0.0.1:8080/app.js:10"), Some(("http://127.0.0.1:8080/app.js".into(), Some(10), None)));
    assert_eq!(lc("http://h:8080"), None);
    assert_eq!(lc("http://h:8080:10"), Some(("http://h:8080".into(), Some(10), None)));
    assert_eq!(lc("/a.js:99999999999:1"), Some(("/a.js".into(), None, None)));
    assert_eq!(lc(":1:2"), None);
    assert_eq!(loc::number("4294967295"), Some(u32::MAX));
    assert_eq!(loc::number("4294967296"), None);
    assert_eq!(loc::number("+1"), None);
    assert_eq!(one("    at f (http://h/a.js:99999999999:1)"), fr(Some("http://h/a.js"), "f", None, None, T));
}

#[test]
fn write_json_matches_to_json() {
    let frames = [
        at("http://h/app.js", "f", 1, 2, T),
        Frame { function: None, ..fr(None, "", None, None, F) },
        fr(Some("a\"b\\c\u{1}\u{2028}é"), "new <anonymous>", Some(u32::MAX), None, None),
        one("    at wasm://wasm/0012abcd:wasm-function[190]:0x5aeb"),
    ];
    for f in frames {
        let mut out = Vec::new();
        f.write_json(&mut out);
        let back: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(back, f.to_json(), "{}", String::from_utf8_lossy(&out));
    }
    let mut out = Vec::new();
    one("    at wasm://wasm/0012abcd:wasm-function[190]:0x5aeb").write_json(&mut out);
    assert_eq!(
        serde_json::from_slice::<Value>(&out).unwrap(),
        serde_json::json!({"filename": "wasm://wasm/0012abcd", "function": "wasm-function[190]", "in_app": true, "instruction_addr": "0x5aeb", "platform": "native"})
    );
    let mut out = Vec::new();
    fr(Some("x"), "f", None, None, None).write_json(&mut out);
    assert_eq!(out, br#"{"filename":"x","function":"f"}"#);
}

#[test]
fn frames_in_the_message_are_not_read() {
    let forged = "Error: boom\n    at fn (https://evil/x.js:1:1)\n    at real (http://h/app.js:3:4)";
    assert_eq!(parse_stack_after(forged, 2), vec![at("http://h/app.js", "real", 3, 4, T)]);
    // A three-line message, one header line per message line.
    let s = "TypeError: a\nb@https://evil/y.js:1:1\nhttps://evil/z.js:2:2\n    at g (http://h/app.js:5:6)";
    assert_eq!(parse_stack_after(s, 3), vec![at("http://h/app.js", "g", 5, 6, T)]);
    // No frames at all (stackTraceLimit = 0): the whole text is the header.
    assert_eq!(parse_stack_after("Error: x\n    at f (https://evil/x.js:1:1)", 2), vec![]);
    // An empty message still has the `Error` header line.
    assert_eq!(parse_stack_after("Error\n    at f (http://h/app.js:1:2)", 0).len(), 1);
    assert_eq!(parse_stack_after("Error\n    at f (http://h/app.js:1:2)", 1).len(), 1);
    // Firefox and Safari write no header (only the browsers' wasm reads their frames).
    #[cfg(feature = "runtime-browser")]
    {
        let ff = "f@http://h/app.js:1:2\ng@http://h/app.js:3:4";
        assert_eq!(parse_stack_after(ff, 3).len(), 2);
        assert_eq!(parse_stack_after("http://h/app.js:1:2\n[native code]", 2).len(), 2);
    }
    // An empty name puts the message first: its frame-like first line is still skipped.
    let bare = "https://evil/x.js:1:1\n    at f (http://h/app.js:1:2)";
    assert_eq!(parse_stack_after(bare, 1), vec![at("http://h/app.js", "f", 1, 2, T)]);
    // Fewer lines than the message claims.
    assert_eq!(parse_stack_after("Error: x", 5), vec![]);
}

#[test]
fn hostile_inputs_are_linear() {
    use crate::growth::assert_linear;
    let parse = |s: &String| {
        std::hint::black_box(parse_stack(s));
    };
    let parse_after = |s: &String| {
        std::hint::black_box(parse_stack_after(s, 3));
    };
    // Many long lines of every kind the readers look into, none of them a frame, so
    // all are read (frames would stop the scan at MAX_FRAMES).
    let lines = |line: String| move |n: usize| {
        let mut s = line.repeat(n);
        s.push('\n');
        s
    };
    assert_linear("one huge line", 1 << 16, |n| "a".repeat(n), parse);
    assert_linear("open parens", 16, lines(format!("    at f ({}\n", "(".repeat(2000))), parse);
    assert_linear("close parens", 16, lines(format!("    at f {})\n", ")".repeat(2000))), parse);
    assert_linear("eval chain", 16, lines(format!("    at f ({}\n", "eval at f (".repeat(200))), parse);
    assert_linear("junk lines", 256, |n| "x@y:\nat eval at (\n    at f (eval at g (\n".repeat(n), parse);
    assert_linear("gecko-like lines", 256, |n| "a b c@http://h/x.js:1:2\n(((@\n%%%\n:::::\n".repeat(n), parse);
    assert_linear("at in text", 16, lines(format!("{}\n", " at x".repeat(400))), parse);
    assert_linear("bare lines", 256, |n| "http://h/x.js:a:b\n/x:1:2:3:4:5\n".repeat(n), parse);
    assert_linear("header lines", 256, |n| "Error: x\nline\n".repeat(n), parse_after);
    assert_linear("data URIs", 16, lines(format!("    at f (data:{}\n", ",(".repeat(1000))), parse);
    assert_linear("percent escapes", 4, |n| format!("    at f (/{}.js:1:2)\n", "%E2%82%AC%zz".repeat(80)).repeat(n), parse);
}

#[test]
fn adversarial_inputs_do_not_panic() {
    for s in [
        "", " ", "\n\n\n", "\r\n", "\t at \t", "@@@@", "((((", "))))", "at ((((", "at eval at (", "at f (eval at ",
        "\u{0}\u{ffff}é@ü:1:2", "at (error: (", "at f(data:", "at (data:,)", "at )(", "%", "file://%ff:1:2", "at f (file:///%E2%82:1:2)",
        "safari-extension:(", "at f@safari-extension:()", "at a (address at )", "at  (index 99999999999)",
    ] {
        let _ = parse_stack(s);
        let _ = parse_stack_after(s, 3);
    }
    // Lines are cut at MAX_LINE_CHARS characters, on a character boundary.
    let long = "    at f (http://h/".to_string() + &"é".repeat(2000) + ".js:1:2)";
    assert!(parse_stack(&long).is_empty());
    let ok = "    at f (http://h/".to_string() + &"é".repeat(990) + ".js:1:2)";
    assert_eq!(one(&ok).lineno, Some(1));
    assert_eq!(cut("ééé", 2), "éé");
    // 100k frame lines: the 50 nearest the throw, newest last.
    let mut many = String::from("RangeError: Maximum call stack size exceeded\n");
    for i in 1..=100_000u32 {
        many.push_str("    at f (http://h/app.js:");
        many.push_str(&i.to_string());
        many.push_str(":1)\n");
    }
    let v = parse_stack(&many);
    assert_eq!(v.len(), MAX_FRAMES);
    assert_eq!(v.last().and_then(|f| f.lineno), Some(1));
    assert_eq!(v.first().and_then(|f| f.lineno), Some(50));
    // Lines and columns are 1-based: a 0 is no position.
    assert_eq!(one("    at f (http://h/app.js:0:0)").lineno, None);
}

/// A stack seen before is answered from the cache with the same frames, whatever the
/// header says; different frame lines are parsed; the cache stays bounded.
#[test]
fn the_stack_cache_answers_repeats_and_stays_bounded() {
    let mut cache = StackCache::default();
    let frames = "    at f (https://h/a.js:1:2)\n    at g (https://h/b.js:3:4)";
    let a = format!("Error: first\n{frames}");
    let b = format!("TypeError: second\nwith two lines\n{frames}");
    assert_eq!(cache.parse_after(&a, 1), parse_stack_after(&a, 1));
    assert_eq!(cache.parse_after(&b, 2), parse_stack_after(&b, 2), "same frames under another header");
    assert_eq!(cache.entries.len(), 1);
    let evil = "Error: x\n    at evil (https://evil/x.js:1:1)\n    at f (https://h/a.js:1:2)\n    at g (https://h/b.js:3:4)";
    assert_eq!(cache.parse_after(evil, 2), parse_stack_after(evil, 2), "frame lines inside the message stay out");
    assert_eq!(cache.parse_after(evil, 1).len(), 3, "read with one message line, the same text is three frames");
    for i in 0..50 {
        let s = format!("Error: x\n    at f{i} (https://h/a.js:{}:2)", i + 1);
        assert_eq!(cache.parse_after(&s, 1), parse_stack_after(&s, 1));
    }
    assert_eq!(cache.entries.len(), StackCache::ENTRIES);
    let huge = format!("Error: x\n{}", "    at f (https://h/a.js:1:2)\n".repeat(1000));
    assert_eq!(cache.parse_after(&huge, 1), parse_stack_after(&huge, 1));
    assert!(cache.entries.iter().all(|(t, _)| t.len() <= StackCache::MAX_TEXT));
}
