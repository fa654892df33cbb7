//! Thrown values → Sentry's `exception.values`: the thrown error last, its linked errors
//! (`cause` chains and `AggregateError` members, at most `maxLinkedErrors`) before it,
//! each with a mechanism carrying `exception_id`/`parent_id`/`source` as Sentry's
//! exception groups expect.
//!
//! Non-Error throws read and group apart (Sentry and Bugsink ignore the type and value
//! of a frameless synthetic exception): a thrown string becomes the event's message (see
//! `event.rs`); any other value keeps an exception whose value names it (`Non-Error
//! exception captured with value: 42`, `Object captured as exception with keys: a, b`)
//! and whose frames come from the stack the shim took at the capture call
//! (`syntheticStack`, SDK frames already removed). It is not marked `synthetic`, so the
//! server titles and groups it by that value and those frames.

use crate::json::read::{self, Reader, Token};
use crate::json::write::{self as w, Arr, Obj};
use crate::pii::{scrub_str, Invalid, MetaLog, PiiConfig, Seg};
use crate::stacktrace::{parse_stack, Frame, StackCache};

/// Longest exception value or message kept, in characters.
pub const MAX_VALUE_CHARS: usize = 8192;
/// Longest exception type kept, in characters.
const MAX_TYPE_CHARS: usize = 256;
/// Keys of a thrown plain object named in its value.
const MAX_KEYS_NAMED: usize = 20;
/// Linked errors read from the input at most (the option is clamped below this).
pub const MAX_LINKED_LIMIT: usize = 100;

/// What kind of value was thrown (the shim's `typeof`-like classification).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Kind {
    /// An `Error` (or anything with a stack and message).
    #[default]
    Error,
    /// A string.
    Str,
    /// A number, boolean, bigint or symbol.
    Primitive,
    /// `null` or `undefined`.
    Nothing,
    /// A plain object.
    Object,
    /// A function.
    Function,
}

/// Facts about a thrown value, collected by the shim.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Thrown {
    /// The classification.
    pub kind: Kind,
    /// The `kind` as the shim wrote it (`number`, `null`, …), for messages.
    pub kind_name: String,
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
    /// A normalised copy of a plain object (raw JSON text).
    pub data: Option<String>,
    /// `error.cause`.
    pub cause: Option<Box<Thrown>>,
    /// Members of an `AggregateError`.
    pub errors: Vec<Thrown>,
    /// HTTP status of an error that stands for a failed response.
    pub http_status: Option<u16>,
    /// `new Error().stack` taken at the capture call, for non-Error throws.
    pub synthetic_stack: Option<String>,
}

/// Where the first 0xFF byte of `b` is (its length when there is none): four bytes at a
/// time while they are ASCII, as stacks mostly are.
pub fn separator_at(b: &[u8]) -> usize {
    let mut i = 0;
    while let Some(w) = b.get(i..i + 4) {
        if u32::from_le_bytes([w[0], w[1], w[2], w[3]]) & 0x8080_8080 != 0 {
            break;
        }
        i += 4;
    }
    while i < b.len() && b[i] != 0xFF {
        i += 1;
    }
    i
}

/// A capture's stacks (each stack's UTF-8 after a 0xFF byte, which UTF-8 never holds),
/// read by index. The shim numbers them in the order the JSON names them, so one walk
/// over the bytes finds them all; a stack asked for again, or out of order, starts the
/// walk over.
#[derive(Default)]
pub struct Stacks<'a> {
    all: &'a [u8],
    /// The bytes from stack `next`'s 0xFF byte on.
    rest: &'a [u8],
    next: usize,
}

impl<'a> Stacks<'a> {
    /// The stacks of `all`, from its first 0xFF byte on (empty: none).
    pub fn new(all: &'a [u8]) -> Stacks<'a> {
        Stacks { all, rest: all, next: 0 }
    }

    /// Stack number `i`, or None when there is none.
    pub fn get(&mut self, i: usize) -> Option<&'a str> {
        if i < self.next {
            (self.rest, self.next) = (self.all, 0);
        }
        loop {
            // `rest` starts at a 0xFF byte (or is empty).
            let (_, rest) = self.rest.split_first()?;
            let (stack, rest) = rest.split_at(separator_at(rest));
            let at = self.next;
            (self.rest, self.next) = (rest, at + 1);
            if at == i {
                return crate::text::str_of(stack);
            }
        }
    }
}

/// The string value that comes next, or None for any other value (which is consumed). A
/// number is the index of a stack in `stacks` (see [`Stacks`]): that stack, or None.
fn next_string(r: &mut Reader, stacks: &mut Stacks) -> Result<Option<String>, Invalid> {
    Ok(match r.next()? {
        Some(Token::Str(s)) => Some(s.text().into_owned()),
        Some(Token::Num(i)) => read::number(i).and_then(|i| stacks.get(i as usize)).map(str::to_string),
        Some(Token::ObjStart | Token::ArrStart) => {
            r.skip_rest()?;
            None
        }
        _ => None,
    })
}

/// The first `max` string elements of the array that comes next (other elements are
/// skipped, and any other value gives none).
fn next_strings(r: &mut Reader, max: usize) -> Result<Vec<String>, Invalid> {
    let mut out = Vec::new();
    match r.next()? {
        Some(Token::ArrStart) => {}
        Some(Token::ObjStart) => {
            r.skip_rest()?;
            return Ok(out);
        }
        _ => return Ok(out),
    }
    // Each element read as `next_string` reads a value; the `]` after them.
    let mut seen = 0;
    while !r.at_end() {
        let s = next_string(r, &mut Stacks::default())?;
        if seen < max {
            if let Some(s) = s {
                out.push(s);
            }
        }
        seen += 1;
    }
    r.next()?;
    Ok(out)
}

impl Thrown {
    /// Reads a `Thrown` from its JSON text, in one pass (linked errors are read where they
    /// stand, never re-read). A `stack` or `syntheticStack` is a string, or the index of
    /// one in `stacks` (see [`Stacks`]). Linked errors nest at most `budget` deep/wide in
    /// total, so a hostile chain costs nothing beyond the limit. None unless `text` is one
    /// valid JSON object.
    pub fn parse(text: &str, stacks: &[u8], budget: &mut usize) -> Option<Thrown> {
        let mut r = Reader::new(text);
        if !matches!(r.next().ok()?, Some(Token::ObjStart)) {
            return None;
        }
        let mut t = Thrown::default();
        Thrown::read_members(&mut r, &mut Stacks::new(stacks), budget, &mut t).ok()?;
        r.finish().ok()?;
        Some(t)
    }

    /// The members of the object whose `{` was just read, through its `}`, read into `t`
    /// (a fresh `Thrown`: no copy of one returned by value at each level).
    fn read_members(r: &mut Reader, stacks: &mut Stacks, budget: &mut usize, t: &mut Thrown) -> Result<(), Invalid> {
        let mut none = Stacks::default();
        while let Some(Token::Key(k)) = r.next()? {
            let key = k.text();
            // The string members, read by one call (the stacks may be given by index).
            let slot = match &*key {
                "name" => Some((&mut t.name, false)),
                "message" => Some((&mut t.message, false)),
                "stack" => Some((&mut t.stack, true)),
                "text" => Some((&mut t.text, false)),
                "syntheticStack" => Some((&mut t.synthetic_stack, true)),
                _ => None,
            };
            if let Some((slot, by_index)) = slot {
                *slot = next_string(r, if by_index { &mut *stacks } else { &mut none })?;
                continue;
            }
            match &*key {
                "kind" => {
                    let name = next_string(r, &mut none)?.unwrap_or_default();
                    t.kind = match name.as_str() {
                        "error" => Kind::Error,
                        "string" => Kind::Str,
                        "number" | "boolean" | "bigint" | "symbol" => Kind::Primitive,
                        "null" | "undefined" => Kind::Nothing,
                        "function" => Kind::Function,
                        _ => Kind::Object,
                    };
                    t.kind_name = name;
                }
                "keys" => t.keys = next_strings(r, MAX_KEYS_NAMED + 1)?,
                "data" => {
                    let v = r.value_text()?;
                    t.data = (!read::is_null(v)).then(|| v.to_string());
                }
                "httpStatus" => t.http_status = read::number(r.value_text()?).filter(|n| (100.0..1000.0).contains(n)).map(|n| n as u16),
                "cause" => match r.next()? {
                    Some(Token::ObjStart) if *budget > 0 => {
                        *budget -= 1;
                        Thrown::read_members(r, stacks, budget, t.cause.insert(Box::default()))?;
                    }
                    Some(Token::ObjStart | Token::ArrStart) => r.skip_rest()?,
                    _ => {}
                },
                "errors" => match r.next()? {
                    Some(Token::ArrStart) => {
                        // Past the budget, the rest of the list is skipped unread.
                        while !r.at_end() && *budget > 0 {
                            *budget -= 1;
                            match r.next()? {
                                Some(Token::ObjStart) => {
                                    t.errors.push(Thrown::default());
                                    if let Some(e) = t.errors.last_mut() {
                                        Thrown::read_members(r, stacks, budget, e)?;
                                    }
                                }
                                Some(Token::ArrStart) => r.skip_rest()?,
                                _ => {}
                            }
                        }
                        r.skip_rest()?;
                    }
                    Some(Token::ObjStart) => r.skip_rest()?,
                    _ => {}
                },
                _ => r.skip()?,
            }
        }
        if t.kind_name.is_empty() {
            t.kind_name = "error".into();
        }
        Ok(())
    }
}

/// How an error was captured: by the app (`generic`, handled) or by a global handler.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Mechanism {
    /// Sentry mechanism type, e.g. `generic` or `auto.browser.global_handlers.onerror`.
    pub kind: Option<String>,
    /// Whether the app handled the error.
    pub handled: Option<bool>,
}

impl Mechanism {
    /// Reads `{"type":…,"handled":…}`.
    pub fn parse(text: &str) -> Mechanism {
        let mut m = Mechanism::default();
        let Some(fields) = read::fields(text) else { return m };
        for (k, v) in &fields {
            let v = *v;
            match &**k {
                "type" => m.kind = read::string(v).filter(|s| !s.is_empty()).map(|s| truncate(&s, 128)),
                "handled" => m.handled = read::boolean(v),
                _ => {}
            }
        }
        m
    }
}

/// Cuts `s` to at most `max` characters, marking the cut with `…`.
pub fn truncate(s: &str, max: usize) -> String {
    let head = crate::protocol::limits::cut(s, max);
    if head.len() == s.len() {
        return s.to_string();
    }
    let mut t = String::with_capacity(head.len() + 3);
    t.push_str(head);
    t.push('…');
    t
}

fn nonempty(s: Option<&str>) -> Option<&str> {
    s.filter(|s| !crate::text::trim(s).is_empty())
}

/// Where a linked error sits in the error that links it (`mechanism.source`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// `cause`.
    Cause,
    /// `errors[N]`: member N of an `AggregateError`.
    Errors(u32),
}

/// One exception value, typed.
#[derive(Debug, Clone, PartialEq)]
pub struct ExceptionValue {
    /// `type`.
    pub ty: String,
    /// `value`.
    pub value: String,
    /// Frames, oldest first.
    pub frames: Vec<Frame>,
    /// `mechanism.type`.
    pub mechanism: String,
    /// `mechanism.handled`.
    pub handled: bool,
    /// `mechanism.exception_id` (set when there are linked errors).
    pub exception_id: Option<u32>,
    /// `mechanism.parent_id`.
    pub parent_id: Option<u32>,
    /// `mechanism.source` (`cause`, `errors[3]`).
    pub source: Option<Source>,
    /// `mechanism.is_exception_group`.
    pub group: bool,
}

/// Frames of an error's stack, skipping the `Name: message` header (which may span
/// several lines), so frames written into a message are never read as frames.
fn error_frames(t: &Thrown, cache: &mut StackCache) -> Vec<Frame> {
    let Some(stack) = t.stack.as_deref() else { return Vec::new() };
    let message_lines = t.message.as_deref().map_or(1, |m| crate::text::pieces(m, b'\n'));
    cache.parse_after(stack, message_lines)
}

/// The exception value for one thrown value, captured by the mechanism `kind` (`generic`,
/// `chained`, a global handler's type) with `handled`.
pub fn value_of(t: &Thrown, kind: &str, handled: bool, cache: &mut StackCache) -> ExceptionValue {
    let rejection = kind.ends_with("onunhandledrejection");
    let what = if rejection { "promise rejection" } else { "exception" };
    let name = nonempty(t.name.as_deref());
    let (ty, value, frames) = match t.kind {
        Kind::Error => {
            let ty = name.unwrap_or("Error");
            (ty, truncate(t.message.as_deref().unwrap_or(""), MAX_VALUE_CHARS), error_frames(t, cache))
        }
        Kind::Object | Kind::Function => {
            let mut v = String::from(if t.kind == Kind::Function { "Function" } else { "Object" });
            v.push_str(" captured as ");
            v.push_str(what);
            v.push_str(" with keys: ");
            if t.keys.is_empty() {
                v.push_str("[none]");
            }
            for (i, k) in t.keys[..t.keys.len().min(MAX_KEYS_NAMED)].iter().enumerate() {
                if i > 0 {
                    v.push_str(", ");
                }
                v.push_str(k);
            }
            let ty = match name {
                Some(n) if n != "Object" && n != "Function" => n,
                _ if rejection => "UnhandledRejection",
                _ => "Error",
            };
            (ty, truncate(&v, MAX_VALUE_CHARS), synthetic_frames(t))
        }
        Kind::Str | Kind::Primitive | Kind::Nothing => {
            let text = t.text.as_deref().unwrap_or(t.kind_name.as_str());
            let mut v = String::from("Non-Error ");
            v.push_str(what);
            v.push_str(" captured with value: ");
            v.push_str(text);
            let ty = if rejection { "UnhandledRejection" } else { "Error" };
            (ty, truncate(&v, MAX_VALUE_CHARS), synthetic_frames(t))
        }
    };
    ExceptionValue {
        ty: truncate(ty, MAX_TYPE_CHARS),
        value,
        frames,
        mechanism: kind.to_owned(),
        handled,
        exception_id: None,
        parent_id: None,
        source: None,
        group: false,
    }
}

fn synthetic_frames(t: &Thrown) -> Vec<Frame> {
    // No stack reads as an empty one: no frames.
    parse_stack(t.synthetic_stack.as_deref().unwrap_or(""))
}

fn push_children<'a>(t: &'a Thrown, id: u32, stack: &mut Vec<(&'a Thrown, u32, Source)>) {
    let mut i = t.errors.len();
    while i > 0 {
        i -= 1;
        stack.push((&t.errors[i], id, Source::Errors(i as u32)));
    }
    if let Some(c) = t.cause.as_deref() {
        stack.push((c, id, Source::Cause));
    }
}

/// `exception.values` for a thrown value and what it links to, oldest first.
pub fn values(thrown: &Thrown, mechanism: &Mechanism, max_linked: usize) -> Vec<ExceptionValue> {
    values_cached(thrown, mechanism, max_linked, &mut StackCache::default())
}

/// [`values`], with stacks parsed through `cache`.
pub fn values_cached(thrown: &Thrown, mechanism: &Mechanism, max_linked: usize, cache: &mut StackCache) -> Vec<ExceptionValue> {
    let max_linked = max_linked.min(MAX_LINKED_LIMIT);
    let handled = mechanism.handled.unwrap_or(true);
    let mut root = value_of(thrown, mechanism.kind.as_deref().unwrap_or("generic"), handled, cache);
    let mut out = Vec::new();
    let mut stack: Vec<(&Thrown, u32, Source)> = Vec::new();
    if max_linked > 0 && (thrown.cause.is_some() || !thrown.errors.is_empty()) {
        root.exception_id = Some(0);
        root.group = !thrown.errors.is_empty();
        push_children(thrown, 0, &mut stack);
    }
    out.push(root);
    let mut next_id = 1u32;
    while let Some((t, parent, source)) = stack.pop() {
        if out.len() > max_linked {
            break;
        }
        let mut v = value_of(t, "chained", handled, cache);
        v.exception_id = Some(next_id);
        v.parent_id = Some(parent);
        v.source = Some(source);
        v.group = !t.errors.is_empty();
        out.push(v);
        push_children(t, next_id, &mut stack);
        next_id += 1;
    }
    out.reverse();
    out
}

impl ExceptionValue {
    /// Writes the value object.
    pub fn write(&self, out: &mut Vec<u8>) {
        let mut o = Obj::new(out);
        o.str("type", &self.ty);
        o.str("value", &self.value);
        {
            let mut m = Obj::new(o.key("mechanism"));
            m.str("type", &self.mechanism);
            m.bool("handled", self.handled);
            if let Some(id) = self.exception_id {
                m.uint("exception_id", id.into());
            }
            if let Some(id) = self.parent_id {
                m.uint("parent_id", id.into());
            }
            if let Some(s) = self.source {
                let out = m.key("source");
                match s {
                    Source::Cause => out.extend_from_slice(b"\"cause\""),
                    Source::Errors(i) => {
                        out.extend_from_slice(b"\"errors[");
                        w::uint(out, u64::from(i));
                        out.extend_from_slice(b"]\"");
                    }
                }
            }
            if self.group {
                m.bool("is_exception_group", true);
            }
            m.end();
        }
        if !self.frames.is_empty() {
            let mut st = Obj::new(o.key("stacktrace"));
            let mut a = Arr::new(st.key("frames"));
            for f in &self.frames {
                f.write_json(a.item());
            }
            a.end();
            st.end();
        }
        o.end();
    }
}

/// Writes `{"values":[…]}`.
pub fn write_values(values: &[ExceptionValue], out: &mut Vec<u8>) {
    let mut o = Obj::new(out);
    let mut a = Arr::new(o.key("values"));
    for v in values {
        v.write(a.item());
    }
    a.end();
    o.end();
}

/// Scrubs the values in place, as the event walk would scrub them once written (the same
/// rules for the same paths: `type` and `value` as messages, frame filenames as URLs;
/// everything else the writer emits is untouched by the walk), without writing and
/// reading them back. Remarks go to `log` under `exception.values.<i>…`.
pub fn scrub_values(values: &mut [ExceptionValue], cfg: &PiiConfig, log: &mut MetaLog) {
    use std::borrow::Cow;
    if !cfg.enabled {
        return;
    }
    fn put(s: &mut String, path: &[Seg], cfg: &PiiConfig, log: &mut MetaLog) -> bool {
        match scrub_str(s, path, cfg, log) {
            Cow::Owned(new) => *s = new,
            Cow::Borrowed(_) => return true,
        }
        false
    }
    // Frame filenames repeat (a stack is mostly a few files) and all get the same rules:
    // one found clean is clean wherever it recurs.
    let mut clean: Vec<String> = Vec::new();
    for (i, v) in values.iter_mut().enumerate() {
        let at = [Seg::Key("exception"), Seg::Key("values"), Seg::Index(i)];
        put(&mut v.ty, &[at[0], at[1], at[2], Seg::Key("type")], cfg, log);
        put(&mut v.value, &[at[0], at[1], at[2], Seg::Key("value")], cfg, log);
        for (j, f) in v.frames.iter_mut().enumerate() {
            if let Some(name) = &mut f.filename {
                if clean.contains(name) {
                    continue;
                }
                let path = [at[0], at[1], at[2], Seg::Key("stacktrace"), Seg::Key("frames"), Seg::Index(j), Seg::Key("filename")];
                if put(name, &path, cfg, log) {
                    clean.push(name.clone());
                }
            }
        }
    }
}

/// True when the JSON text is an object with a `kind` string (a `Thrown`).
pub fn is_thrown(text: &str) -> bool {
    matches!(read::Reader::new(text).next(), Ok(Some(Token::ObjStart)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn js(values: &[ExceptionValue]) -> Value {
        let mut out = Vec::new();
        write_values(values, &mut out);
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

    fn parse(text: &str) -> Thrown {
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
        let configs = [PiiConfig::default(), crate::scrub::config_from_options(false, Some(r#"{"values":[{"name":"order","prefix":"ORD-","chars":"0-9","minLength":4}]}"#), true).unwrap()];
        for cfg in &configs {
            for text in &inputs {
                let t = Thrown::parse(text, &[], &mut 1000).unwrap_or_else(|| panic!("{text}"));
                let m = Mechanism::parse(r#"{"type":"generic","handled":true}"#);
                let mut walked_log = MetaLog::default();
                let (mut raw, mut walked) = (Vec::new(), Vec::new());
                let plain = values(&t, &m, 5);
                write_values(&plain, &mut raw);
                crate::pii::scrub_json(std::str::from_utf8(&raw).unwrap(), &[Seg::Key("exception")], cfg, &mut walked, &mut walked_log).unwrap();
                let mut typed_log = MetaLog::default();
                let mut typed = values(&t, &m, 5);
                scrub_values(&mut typed, cfg, &mut typed_log);
                let mut out = Vec::new();
                write_values(&typed, &mut out);
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
        let ev = js(&values(&t, &m, 5));
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
    fn every_non_error_is_readable_and_carries_the_capture_stack() {
        let m = Mechanism::default();
        let stack = r#""Error\n    at captureIt (http://h/app.js:10:5)""#;
        let n = parse(&format!(r#"{{"kind":"number","text":"42","syntheticStack":{stack}}}"#));
        let v = &values(&n, &m, 5)[0];
        assert_eq!(v.value, "Non-Error exception captured with value: 42");
        assert_eq!(v.frames.len(), 1, "frames from the stack taken at the capture call");
        let ev = js(&values(&n, &m, 5));
        assert!(ev["values"][0]["mechanism"].get("synthetic").is_none(), "titled and grouped by its value");
        assert_eq!(values(&parse(r#"{"kind":"null"}"#), &m, 5)[0].value, "Non-Error exception captured with value: null");
        let o = parse(r#"{"kind":"object","keys":["a","b"],"data":{"a":1}}"#);
        assert_eq!(values(&o, &m, 5)[0].value, "Object captured as exception with keys: a, b");
        assert_eq!(o.data.as_deref(), Some(r#"{"a":1}"#));
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
        let ev = js(&values(&parse(&text), &Mechanism::default(), 5));
        let types: Vec<&str> = ev["values"].as_array().unwrap().iter().map(|v| v["type"].as_str().unwrap()).collect();
        assert_eq!(types, ["RangeError", "TypeError", "Error"]);
        assert_eq!(ev["values"][2]["mechanism"]["exception_id"], 0);
        assert_eq!(ev["values"][1]["mechanism"], json!({"type": "chained", "handled": true, "exception_id": 1, "parent_id": 0, "source": "cause"}));
        assert_eq!(ev["values"][0]["mechanism"]["parent_id"], 1);
        let single = js(&values(&parse(&(err("E", "x") + "}")), &Mechanism::default(), 5));
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
        let written = js(&v);
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
        assert_eq!(t.data.as_deref(), Some(r#"{"k":[1,2]}"#));
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
}
