//! Turning what the host captured into a Sentry event payload.
//!
//! The shim hands over plain facts about a thrown value (its kind, name, message, stack
//! string, keys) and this module writes the `exception`, `message` and `level` parts of
//! the event. Anything a JavaScript program can throw yields a readable event.

use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::stacktrace::parse_stack;

/// Longest exception value or message kept, in characters.
pub const MAX_VALUE_CHARS: usize = 8192;

/// Facts about a thrown or captured value, collected by the host.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Thrown {
    /// `error`, `string`, `number`, `boolean`, `bigint`, `symbol`, `null`, `undefined`,
    /// `object` or `function`.
    pub kind: String,
    /// The error's `name`, or the constructor name of an object.
    pub name: Option<String>,
    /// The error's `message`.
    pub message: Option<String>,
    /// The error's `stack` string, as the engine wrote it.
    pub stack: Option<String>,
    /// `String(value)` for primitives.
    pub text: Option<String>,
    /// Own enumerable keys of a plain object.
    pub keys: Vec<String>,
    /// A bounded, cycle-free copy of a plain object.
    pub data: Option<Value>,
    /// `error.cause`, when it is set.
    pub cause: Option<Box<Thrown>>,
    /// Members of an `AggregateError`.
    pub errors: Vec<Thrown>,
    /// The HTTP status of an error that stands for a failed response.
    pub http_status: Option<u16>,
}

/// How an error was captured: by the app (`generic`, handled) or by a global handler.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Mechanism {
    /// Sentry mechanism type, e.g. `generic` or `auto.browser.global_handlers.onerror`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Whether the app handled the error.
    pub handled: Option<bool>,
}

/// Normalises a level name to one Sentry accepts; unknown names become `error`.
pub fn level(name: Option<&str>) -> &'static str {
    match name.unwrap_or("error") {
        "fatal" => "fatal",
        "warning" | "warn" => "warning",
        "info" | "log" => "info",
        "debug" => "debug",
        _ => "error",
    }
}

/// Cuts `s` to at most `max` characters, marking the cut with `…`.
pub fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_string(),
        Some((i, _)) => {
            let mut t = s[..i].to_string();
            t.push('…');
            t
        }
    }
}

/// Queues the linked errors of `t` so they pop in order: cause first, then members.
fn push_children<'a>(t: &'a Thrown, id: u64, stack: &mut Vec<(&'a Thrown, u64, String)>) {
    for (i, e) in t.errors.iter().enumerate().rev() {
        stack.push((e, id, format!("errors[{i}]")));
    }
    if let Some(c) = t.cause.as_deref() {
        stack.push((c, id, "cause".into()));
    }
}

/// The `exception.values` list for a thrown value and what it links to (`cause` chains
/// and `AggregateError` members, at most `max_linked` of them), oldest first so the
/// thrown error comes last. Linked errors carry `exception_id`, `parent_id` and `source`
/// in their mechanism, as Sentry's exception groups expect. Also returns extra data worth
/// keeping (a copy of a thrown plain object).
pub fn exception_values(thrown: &Thrown, mechanism: &Mechanism, max_linked: usize) -> (Vec<Value>, Option<Value>) {
    let (mut root, extra) = exception(thrown, mechanism);
    let mut values = Vec::new();
    // Depth-first walk with an explicit stack: (error, parent id, source).
    let mut stack: Vec<(&Thrown, u64, String)> = Vec::new();
    if max_linked > 0 && (thrown.cause.is_some() || !thrown.errors.is_empty()) {
        if let Some(m) = root.get_mut("mechanism").and_then(Value::as_object_mut) {
            m.insert("exception_id".into(), Value::from(0u64));
            if !thrown.errors.is_empty() {
                m.insert("is_exception_group".into(), Value::Bool(true));
            }
        }
        push_children(thrown, 0, &mut stack);
    }
    values.push(root);
    let mut next_id = 1u64;
    while let Some((t, parent, source)) = stack.pop() {
        if values.len() > max_linked {
            break;
        }
        let id = next_id;
        next_id += 1;
        let chained = Mechanism { kind: Some("chained".into()), handled: mechanism.handled };
        let (mut v, _) = exception(t, &chained);
        if let Some(m) = v.get_mut("mechanism").and_then(Value::as_object_mut) {
            m.remove("synthetic");
            m.insert("exception_id".into(), Value::from(id));
            m.insert("parent_id".into(), Value::from(parent));
            m.insert("source".into(), Value::from(source));
            if !t.errors.is_empty() {
                m.insert("is_exception_group".into(), Value::Bool(true));
            }
        }
        values.push(v);
        push_children(t, id, &mut stack);
    }
    values.reverse();
    (values, extra)
}

/// The `exception` interface value for a thrown value, plus extra data worth keeping.
pub fn exception(thrown: &Thrown, mechanism: &Mechanism) -> (Value, Option<Value>) {
    let mech_type = mechanism.kind.as_deref().unwrap_or("generic");
    let rejection = mech_type.ends_with("onunhandledrejection");
    let mut extra = None;
    let mut synthetic = true;
    let (ty, value) = match thrown.kind.as_str() {
        "error" => {
            synthetic = false;
            let ty = nonempty(thrown.name.as_deref()).unwrap_or("Error").to_string();
            (ty, thrown.message.clone().unwrap_or_default())
        }
        "string" if !rejection => ("Error".to_string(), thrown.text.clone().unwrap_or_default()),
        "object" | "function" => {
            let label = if thrown.kind == "function" { "Function" } else { "Object" };
            let mut v = String::from(label);
            v.push_str(" captured as ");
            v.push_str(if rejection { "promise rejection" } else { "exception" });
            v.push_str(" with keys: ");
            if thrown.keys.is_empty() {
                v.push_str("[none]");
            } else {
                v.push_str(&thrown.keys.iter().take(20).cloned().collect::<Vec<_>>().join(", "));
            }
            extra = thrown.data.clone();
            let ty = match nonempty(thrown.name.as_deref()) {
                Some(n) if n != "Object" && n != "Function" => n,
                _ if rejection => "UnhandledRejection",
                _ => "Error",
            };
            (ty.to_string(), v)
        }
        _ => {
            let text = thrown.text.as_deref().unwrap_or(thrown.kind.as_str());
            let mut v = String::from(if rejection {
                "Non-Error promise rejection captured with value: "
            } else {
                "Non-Error exception captured with value: "
            });
            v.push_str(text);
            let ty = if rejection { "UnhandledRejection" } else { "Error" };
            (ty.to_string(), v)
        }
    };
    let mut mech = Map::new();
    mech.insert("type".into(), Value::from(mech_type));
    mech.insert("handled".into(), Value::from(mechanism.handled.unwrap_or(true)));
    if synthetic {
        mech.insert("synthetic".into(), Value::Bool(true));
    }
    let mut ex = Map::new();
    ex.insert("type".into(), Value::from(truncate(&ty, 256)));
    ex.insert("value".into(), Value::from(truncate(&value, MAX_VALUE_CHARS)));
    ex.insert("mechanism".into(), Value::Object(mech));
    if let Some(stack) = thrown.stack.as_deref() {
        let frames: Vec<Value> = parse_stack(stack).iter().map(|f| f.to_json()).collect();
        if !frames.is_empty() {
            ex.insert("stacktrace".into(), json!({ "frames": frames }));
        }
    }
    (Value::Object(ex), extra)
}

fn nonempty(s: Option<&str>) -> Option<&str> {
    s.filter(|s| !s.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn thrown(kind: &str) -> Thrown {
        Thrown { kind: kind.into(), ..Default::default() }
    }

    #[test]
    fn error_keeps_type_value_and_frames() {
        let t = Thrown {
            kind: "error".into(),
            name: Some("TypeError".into()),
            message: Some("x is undefined".into()),
            stack: Some("TypeError: x is undefined\n    at f (http://h/app.js:2:3)\n    at g (http://h/app.js:9:1)".into()),
            ..Default::default()
        };
        let (ex, extra) = exception(&t, &Mechanism { kind: Some("auto.browser.global_handlers.onerror".into()), handled: Some(false) });
        assert_eq!(ex["type"], "TypeError");
        assert_eq!(ex["value"], "x is undefined");
        assert_eq!(ex["mechanism"]["handled"], false);
        assert_eq!(ex["mechanism"]["type"], "auto.browser.global_handlers.onerror");
        assert!(ex["mechanism"].get("synthetic").is_none());
        let frames = ex["stacktrace"]["frames"].as_array().unwrap();
        assert_eq!(frames.len(), 2);
        assert_eq!(frames[1]["function"], "f", "newest frame last");
        assert!(extra.is_none());
    }

    #[test]
    fn every_non_error_is_readable() {
        let m = Mechanism::default();
        let mut s = thrown("string");
        s.text = Some("boom".into());
        assert_eq!(exception(&s, &m).0["value"], "boom");
        let mut n = thrown("number");
        n.text = Some("42".into());
        assert_eq!(exception(&n, &m).0["value"], "Non-Error exception captured with value: 42");
        assert_eq!(exception(&thrown("null"), &m).0["value"], "Non-Error exception captured with value: null");
        assert_eq!(exception(&thrown("undefined"), &m).0["value"], "Non-Error exception captured with value: undefined");
        let mut o = thrown("object");
        o.keys = vec!["a".into(), "b".into()];
        o.data = Some(json!({"a": 1, "b": "[Circular ~]"}));
        let (ex, extra) = exception(&o, &m);
        assert_eq!(ex["value"], "Object captured as exception with keys: a, b");
        assert_eq!(ex["mechanism"]["synthetic"], true);
        assert_eq!(extra.unwrap()["a"], 1);
        // A thrown error with no name or message still has a type.
        assert_eq!(exception(&thrown("error"), &m).0["type"], "Error");
        // An unknown kind never panics.
        assert_eq!(exception(&thrown("???"), &m).0["type"], "Error");
    }

    #[test]
    fn rejections_name_themselves() {
        let m = Mechanism { kind: Some("auto.browser.global_handlers.onunhandledrejection".into()), handled: Some(false) };
        let mut s = thrown("string");
        s.text = Some("nope".into());
        let (ex, _) = exception(&s, &m);
        assert_eq!(ex["type"], "UnhandledRejection");
        assert_eq!(ex["value"], "Non-Error promise rejection captured with value: nope");
    }

    fn err(name: &str, message: &str) -> Thrown {
        Thrown { kind: "error".into(), name: Some(name.into()), message: Some(message.into()), ..Default::default() }
    }

    #[test]
    fn cause_chains_become_linked_exceptions_oldest_first() {
        let mut top = err("Error", "top");
        let mut mid = err("TypeError", "mid");
        mid.cause = Some(Box::new(err("RangeError", "root")));
        top.cause = Some(Box::new(mid));
        let (values, _) = exception_values(&top, &Mechanism::default(), 5);
        let types: Vec<&str> = values.iter().map(|v| v["type"].as_str().unwrap()).collect();
        assert_eq!(types, ["RangeError", "TypeError", "Error"], "the thrown error comes last");
        assert_eq!(values[2]["mechanism"]["exception_id"], 0);
        assert_eq!(values[2]["mechanism"]["type"], "generic");
        assert_eq!(values[1]["mechanism"], json!({"type": "chained", "handled": true, "exception_id": 1, "parent_id": 0, "source": "cause"}));
        assert_eq!(values[0]["mechanism"]["parent_id"], 1);
        // No links: a single value without group ids.
        let (single, _) = exception_values(&err("E", "x"), &Mechanism::default(), 5);
        assert_eq!(single.len(), 1);
        assert!(single[0]["mechanism"].get("exception_id").is_none());
    }

    #[test]
    fn aggregate_members_and_the_limit() {
        let mut agg = err("AggregateError", "all failed");
        agg.errors = (0..8).map(|i| err("Error", &format!("member {i}"))).collect();
        let (values, _) = exception_values(&agg, &Mechanism::default(), 5);
        assert_eq!(values.len(), 6, "the thrown error plus at most 5 linked");
        let main = values.last().unwrap();
        assert_eq!(main["mechanism"]["is_exception_group"], true);
        assert_eq!(values[values.len() - 2]["mechanism"]["source"], "errors[0]");
        assert_eq!(values[0]["mechanism"]["source"], "errors[4]");
        let (none, _) = exception_values(&agg, &Mechanism::default(), 0);
        assert_eq!(none.len(), 1, "a limit of 0 turns linking off");
        // A self-referencing chain is bounded by the limit.
        let mut deep = err("E", "0");
        for i in 1..100 {
            let mut e = err("E", &i.to_string());
            e.cause = Some(Box::new(deep));
            deep = e;
        }
        assert_eq!(exception_values(&deep, &Mechanism::default(), 5).0.len(), 6);
    }

    #[test]
    fn levels_and_truncation() {
        assert_eq!(level(Some("warn")), "warning");
        assert_eq!(level(Some("nonsense")), "error");
        assert_eq!(level(None), "error");
        assert_eq!(truncate("héllo", 2), "hé…");
        assert_eq!(truncate("abc", 3), "abc");
    }
}
