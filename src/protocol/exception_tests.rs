//! Tests of `exception.rs`: how thrown values, their linked errors and aggregate members
//! become `exception.values` (order, ids, mechanisms, limits), how stacks given by index
//! are found, and how non-Error throws read.

use super::*;
use serde_json::{json, Value};

fn js(values: &[ExceptionValue], m: &Mechanism) -> Value {
    let mut out = Vec::new();
    write_values(values, m.kind(), &mut out);
    serde_json::from_slice(&out).unwrap()
}

#[test]
fn separator_at_finds_the_first_0xff_byte() {
    for b in [&b""[..], b"\xFF", b"abc", b"abcd\xFF", b"abcdefg\xFFh\xFF", "é\u{2028}x".as_bytes(), b"ab\xC3\xA9cdefgh\xFF\xFF", b"abcdefghijklmnop"] {
        assert_eq!(separator_at(b), b.iter().position(|&x| x == 0xFF).unwrap_or(b.len()), "{b:?}");
    }
}

#[test]
fn stacks_are_found_by_index_in_any_order() {
    let all = "\u{ff}".to_string(); // not the separator byte: U+00FF is C3 BF in UTF-8
    let texts = ["a", "", "at f (x.js:1:2)\n", all.as_str(), "\u{e9}\u{2028}"];
    let mut bytes = Vec::new();
    for t in texts {
        bytes.push(0xFF);
        bytes.extend_from_slice(t.as_bytes());
    }
    bytes.extend_from_slice(b"\xFF\xC3"); // a last stack that is not UTF-8
    let mut stacks = Stacks::new(&bytes);
    for i in [0, 1, 2, 3, 4, 4, 2, 0, 5, 6, 3, 1, 9, 0] {
        assert_eq!(stacks.get(i), texts.get(i).copied(), "stack {i}");
    }
    assert_eq!(Stacks::new(b"").get(0), None);
}

#[test]
fn many_stacks_by_index_read_in_linear_time() {
    // An AggregateError whose members each give their stack by index, as the shim writes them.
    let make = |n: usize| {
        let members: Vec<String> = (1..=n).map(|i| format!(r#"{{"kind":"error","stack":{i}}}"#)).collect();
        let json = format!(r#"{{"kind":"error","stack":0,"errors":[{}]}}"#, members.join(","));
        let mut stacks = Vec::new();
        for _ in 0..=n {
            stacks.push(0xFF);
            stacks.extend_from_slice("    at f (https://example.com/app.js:10:20)\n".repeat(20).as_bytes());
        }
        (json, stacks)
    };
    crate::growth::assert_linear("stacks by index", 16, make, |(json, stacks): &(String, Vec<u8>)| {
        let mut budget = usize::MAX;
        let t = Thrown::parse(json, stacks, &mut budget).unwrap();
        assert!(t.errors.last().is_some_and(|e| e.stack.is_some()));
    });
}

fn parse(text: &str) -> Thrown<'_> {
    Thrown::parse(text, &[], &mut 1000).unwrap()
}

/// Scrubbing the typed values gives the bytes and `_meta` the event walk gives for
/// the written values, for secrets in every field the walk scrubs.
#[test]
fn typed_scrubbing_equals_the_event_walk() {
    let stack = "Error: x\\n    at f (https://u:hunter2@h.example/app.js?token=abc123:1:2)\\n    at g (http://10.0.0.7/x.js:3:4)\\n    at h (/srv/app/j@ne.doe@mail.example/y.js:5:6)";
    let inputs = [
        format!(r#"{{"kind":"error","name":"Error","message":"card 4111 1111 1111 1111 for jane@example.com from 192.168.1.20","stack":"{stack}"}}"#),
        format!(r#"{{"kind":"error","name":"Bearer abc.def.ghi","message":"password=hunter2 Authorization: Bearer sk_live_abcdefghijklmnop1234","stack":"{stack}","cause":{{"kind":"error","name":"TypeError","message":"AKIAABCDEFGHIJKLMNOP","stack":"{stack}"}}}}"#),
        r#"{"kind":"error","name":"Error","message":"nothing to see","stack":"Error: nothing to see\n    at f (https://h/app.js:1:2)"}"#.to_string(),
    ];
    let configs = [
        PiiConfig::default(),
        #[cfg(feature = "scrub-rules")]
        crate::scrub::config_from_options(false, Some(r#"{"values":[{"name":"order","prefix":"ORD-","chars":"0-9","minLength":4}]}"#), true).unwrap(),
    ];
    for cfg in &configs {
        for text in &inputs {
            let t = Thrown::parse(text, &[], &mut 1000).unwrap_or_else(|| panic!("{text}"));
            let m = Mechanism::parse(r#"{"type":"generic","handled":true}"#);
            let mut walked_log = MetaLog::default();
            let (mut raw, mut walked) = (Vec::new(), Vec::new());
            let plain = values(&t, &m, 5);
            write_values(&plain, m.kind(), &mut raw);
            crate::pii::scrub_json(std::str::from_utf8(&raw).unwrap(), &[Seg::Key("exception")], cfg, &mut walked, &mut walked_log).unwrap();
            let mut typed_log = MetaLog::default();
            let mut typed = values(&t, &m, 5);
            scrub_values(&mut typed, cfg, &mut typed_log);
            let mut out = Vec::new();
            write_values(&typed, m.kind(), &mut out);
            assert_eq!(String::from_utf8(out).unwrap(), String::from_utf8(walked).unwrap(), "{text}");
            assert_eq!(crate::scrub::written(&typed_log, cfg), crate::scrub::written(&walked_log, cfg), "{text}");
        }
    }
    let mut log = MetaLog::default();
    let mut v = values(&parse(&inputs[0]), &Mechanism::default(), 5);
    scrub_values(&mut v, &PiiConfig::default(), &mut log);
    assert!(!v[0].value.contains("4111") && !v[0].frames.iter().any(|f| f.filename.as_deref().unwrap_or("").contains("hunter2")), "{:?}", v[0]);
}

#[test]
fn error_keeps_type_value_and_frames() {
    let t = parse(r#"{"kind":"error","name":"TypeError","message":"x is undefined","stack":"TypeError: x is undefined\n    at f (http://h/app.js:2:3)\n    at g (http://h/app.js:9:1)"}"#);
    let m = Mechanism::parse(r#"{"type":"auto.browser.global_handlers.onerror","handled":false}"#);
    let ev = js(&values(&t, &m, 5), &m);
    let ex = &ev["values"][0];
    assert_eq!(ex["type"], "TypeError");
    assert_eq!(ex["value"], "x is undefined");
    assert_eq!(ex["mechanism"], json!({"type": "auto.browser.global_handlers.onerror", "handled": false}));
    let frames = ex["stacktrace"]["frames"].as_array().unwrap();
    assert_eq!(frames.len(), 2);
    assert_eq!(frames[1]["function"], "f", "newest frame last");
}

#[test]
fn frames_written_into_a_message_are_not_frames() {
    let t = parse(r#"{"kind":"error","name":"Error","message":"bad\n    at evil (https://evil/x.js:1:1)","stack":"Error: bad\n    at evil (https://evil/x.js:1:1)\n    at real (http://h/app.js:3:4)"}"#);
    let v = values(&t, &Mechanism::default(), 5);
    assert_eq!(v[0].frames.len(), 1);
    assert_eq!(v[0].frames[0].function.as_deref(), Some("real"));
}

#[test]
fn a_message_changed_after_the_stack_was_written_loses_no_frames() {
    // Svelte in development reads `stack`, then appends its component trace to `message`.
    let t = parse(r#"{"kind":"error","name":"Error","message":"boom\n\n\tin <unknown>\n\tin App.svelte\n","stack":"Error: boom\n    at price (http://h/Bomb.svelte:14:9)\n    at render (http://h/Bomb.svelte:21:3)\n    at update (http://h/svelte.js:1:1)"}"#);
    let v = values(&t, &Mechanism::default(), 5);
    let names: Vec<_> = v[0].frames.iter().map(|f| f.function.as_deref().unwrap_or("")).collect();
    assert_eq!(names, ["update", "render", "price"]);
    // A header that is the message as it is now still hides the frames written into it,
    // and one of a single line reads from the second.
    let forged = parse(r#"{"kind":"error","name":"Error","message":"changed","stack":"Error: was\n    at real (http://h/app.js:3:4)"}"#);
    assert_eq!(values(&forged, &Mechanism::default(), 5)[0].frames.len(), 1);
    // A message the shim cut (ending in "…", and so in the stack's header) that quotes
    // another stack: still the header.
    let cut = parse(r#"{"kind":"error","name":"Error","message":"failed: Error: inner\n    at innerFn (http://h/lib.js:1:1)\nbody…","stack":"Error: failed: Error: inner\n    at innerFn (http://h/lib.js:1:1)\nbody…\n    at real (http://h/app.js:3:4)"}"#);
    let names: Vec<_> = values(&cut, &Mechanism::default(), 5)[0].frames.iter().map(|f| f.function.clone().unwrap_or_default()).collect();
    assert_eq!(names, ["real"]);
    let empty = parse(r#"{"kind":"error","name":"Error","message":"a\nb","stack":""}"#);
    assert!(values(&empty, &Mechanism::default(), 5)[0].frames.is_empty());
}

#[test]
fn every_non_error_is_readable_and_carries_the_capture_stack() {
    let m = Mechanism::default();
    let stack = r#""Error\n    at captureIt (http://h/app.js:10:5)""#;
    let text = format!(r#"{{"kind":"number","text":"42","syntheticStack":{stack}}}"#);
    let n = parse(&text);
    let v = &values(&n, &m, 5)[0];
    assert_eq!(v.value, "Non-Error exception captured with value: 42");
    assert_eq!(v.frames.len(), 1, "frames from the stack taken at the capture call");
    let ev = js(&values(&n, &m, 5), &m);
    assert!(ev["values"][0]["mechanism"].get("synthetic").is_none(), "titled and grouped by its value");
    assert_eq!(values(&parse(r#"{"kind":"null"}"#), &m, 5)[0].value, "Non-Error exception captured with value: null");
    let o = parse(r#"{"kind":"object","keys":["a","b"],"data":{"a":1}}"#);
    assert_eq!(values(&o, &m, 5)[0].value, "Object captured as exception with keys: a, b");
    assert_eq!(o.data, Some(r#"{"a":1}"#));
    // An object with a message is named by it; its `name`, if any, is the type.
    let said = parse(r#"{"kind":"object","name":"ApiError","message":"rate limited for tenant acme","keys":["code","message","name"]}"#);
    let v = &values(&said, &m, 5)[0];
    assert_eq!((v.ty.as_str(), v.value.as_str()), ("ApiError", "rate limited for tenant acme"));
    let plain = parse(r#"{"kind":"object","name":"Object","message":"quota","keys":["message"]}"#);
    assert_eq!((values(&plain, &m, 5)[0].ty.as_str(), values(&plain, &m, 5)[0].value.as_str()), ("Error", "quota"));
    assert_eq!(values(&parse(r#"{"kind":"error"}"#), &m, 5)[0].ty, "Error");
    assert_eq!(values(&parse(r#"{"kind":"???"}"#), &m, 5)[0].ty, "Error");
    let rej = Mechanism::parse(r#"{"type":"auto.browser.global_handlers.onunhandledrejection","handled":false}"#);
    let s = parse(r#"{"kind":"string","text":"nope"}"#);
    let v = &values(&s, &rej, 5)[0];
    assert_eq!((v.ty.as_str(), v.value.as_str()), ("UnhandledRejection", "Non-Error promise rejection captured with value: nope"));
}

fn err(name: &str, message: &str) -> String {
    format!(r#"{{"kind":"error","name":"{name}","message":"{message}""#)
}

#[test]
fn cause_chains_become_linked_exceptions_oldest_first() {
    let text = format!("{},\"cause\":{},\"cause\":{}}}}}}}", err("Error", "top"), err("TypeError", "mid"), err("RangeError", "root"));
    let ev = js(&values(&parse(&text), &Mechanism::default(), 5), &Mechanism::default());
    let types: Vec<&str> = ev["values"].as_array().unwrap().iter().map(|v| v["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["RangeError", "TypeError", "Error"]);
    assert_eq!(ev["values"][2]["mechanism"]["exception_id"], 0);
    assert_eq!(ev["values"][1]["mechanism"], json!({"type": "chained", "handled": true, "exception_id": 1, "parent_id": 0, "source": "cause"}));
    assert_eq!(ev["values"][0]["mechanism"]["parent_id"], 1);
    let single = js(&values(&parse(&(err("E", "x") + "}")), &Mechanism::default(), 5), &Mechanism::default());
    assert!(single["values"][0]["mechanism"].get("exception_id").is_none());
}

#[test]
fn aggregate_members_and_the_limits() {
    let members: Vec<String> = (0..8).map(|i| err("Error", &format!("member {i}")) + "}").collect();
    let text = format!("{},\"errors\":[{}]}}", err("AggregateError", "all failed"), members.join(","));
    let t = parse(&text);
    let v = values(&t, &Mechanism::default(), 5);
    assert_eq!(v.len(), 6);
    assert!(v.last().unwrap().group);
    assert_eq!(v[v.len() - 2].source, Some(Source::Errors(0)));
    assert_eq!(v[0].source, Some(Source::Errors(4)));
    let written = js(&v, &Mechanism::default());
    assert_eq!(written["values"][4]["mechanism"]["source"], "errors[0]");
    assert_eq!(written["values"][0]["mechanism"]["source"], "errors[4]");
    assert_eq!(values(&t, &Mechanism::default(), 0).len(), 1);
    assert_eq!(values(&t, &Mechanism::default(), 1_000_000_000).len(), 9, "a huge limit is clamped, never trusted");
    // A deep chain costs only the budget.
    let mut deep = err("E", "0") + "}";
    for i in 1..100 {
        deep = format!("{},\"cause\":{}}}", err("E", &i.to_string()), deep);
    }
    let mut budget = 10;
    let t = Thrown::parse(&deep, &[], &mut budget).unwrap();
    assert_eq!(values(&t, &Mechanism::default(), 100).len(), 11);
}

/// One pass reads everything where it stands: values of the wrong type are skipped
/// whatever they hold, the budget counts every list element it reads, and only one
/// valid JSON object is a `Thrown`.
#[test]
fn the_one_pass_reader_takes_what_is_there_and_nothing_else() {
    let t = parse(r#"{"kind":"object","name":{"a":[1,{"b":2}]},"keys":["a",1,{"x":"y"},"b",["c"],"d"],"data":{"k":[1,2]},"message":"m","x":{"kind":"string"},"cause":"not an object","httpStatus":503}"#);
    assert_eq!((t.kind, t.name, t.message.as_deref()), (Kind::Object, None, Some("m")));
    assert_eq!(t.keys, ["a", "b", "d"]);
    assert_eq!(t.data, Some(r#"{"k":[1,2]}"#));
    assert_eq!((t.cause, t.http_status), (None, Some(503)));
    // Three members read, a string among them uses budget but is no error; the rest are left.
    let mut budget = 3;
    let t = Thrown::parse(r#"{"kind":"error","errors":[{"kind":"error","name":"A"},"s",[{"kind":"error"}],{"kind":"error","name":"B"},{"kind":"error","name":"C","cause":{"kind":"error"}}],"name":"AggregateError"}"#, &[], &mut budget).unwrap();
    assert_eq!(t.errors.iter().map(|e| e.name.as_deref()).collect::<Vec<_>>(), [Some("A")]);
    assert_eq!((budget, t.name.as_deref()), (0, Some("AggregateError")), "members after the list are still read");
    for bad in ["", "[]", r#"{"kind":"error""#, r#"{"kind":"error"} {}"#, r#"{"kind":"error","cause":{"kind":}}"#, r#"{"errors":[{"kind":"error"},]}"#] {
        assert_eq!(Thrown::parse(bad, &[], &mut 10), None, "{bad}");
    }
    let escaped = parse(r#"{"\u006bind":"string","text":"a\"b"}"#);
    assert_eq!((escaped.kind, escaped.text.as_deref()), (Kind::Str, Some("a\"b")));
}

#[test]
fn truncate_keeps_no_start_of_a_word_it_cuts() {
    assert_eq!(truncate("short", 8), "short");
    assert_eq!(truncate("token sk_live_4eC39HqLyjWD", 12), "token …");
    assert_eq!(truncate("a 4111 1111 1111 1111 b", 10), "a …");
    assert_eq!(truncate("one two three", 8), "one two…");
    let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJlbWFpbCI6ImFAYi5jbyJ9.c2lnbmF0dXJl";
    let long = format!("{} {jwt} (expired)", "y".repeat(MAX_VALUE_CHARS - 40));
    let t = truncate(&long, MAX_VALUE_CHARS);
    assert!(t.ends_with("y …") && !t.contains("eyJ"), "{:?}", &t[t.len() - 20..]);
}
