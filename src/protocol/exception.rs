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
#[derive(Debug, Clone, PartialEq)]
pub struct Thrown<'a> {
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
    /// A normalised copy of a plain object (raw JSON text, borrowed from the input).
    pub data: Option<&'a str>,
    /// `error.cause`.
    pub cause: Option<Box<Thrown<'a>>>,
    /// Members of an `AggregateError`.
    pub errors: Vec<Thrown<'a>>,
    /// HTTP status of an error that stands for a failed response.
    pub http_status: Option<u16>,
    /// `new Error().stack` taken at the capture call, for non-Error throws.
    pub synthetic_stack: Option<String>,
}

/// An empty `Thrown`, made by one routine for the value and each linked error read.
impl Default for Thrown<'_> {
    #[inline(never)]
    fn default() -> Self {
        Thrown {
            kind: Kind::Error,
            kind_name: String::new(),
            name: None,
            message: None,
            stack: None,
            text: None,
            keys: Vec::new(),
            data: None,
            cause: None,
            errors: Vec::new(),
            http_status: None,
            synthetic_stack: None,
        }
    }
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

impl<'a> Thrown<'a> {
    /// Reads a `Thrown` from its JSON text, in one pass (linked errors are read where they
    /// stand, never re-read). A `stack` or `syntheticStack` is a string, or the index of
    /// one in `stacks` (see [`Stacks`]). Linked errors nest at most `budget` deep/wide in
    /// total, so a hostile chain costs nothing beyond the limit. None unless `text` is one
    /// valid JSON object.
    pub fn parse(text: &'a str, stacks: &[u8], budget: &mut usize) -> Option<Thrown<'a>> {
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
    fn read_members(r: &mut Reader<'a>, stacks: &mut Stacks, budget: &mut usize, t: &mut Thrown<'a>) -> Result<(), Invalid> {
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
                    t.data = (!read::is_null(v)).then_some(v);
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
    /// The mechanism type of the thrown value's own exception: the given one, else `generic`.
    pub fn kind(&self) -> &str {
        self.kind.as_deref().unwrap_or("generic")
    }

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

/// Cuts `s` to at most `max` (≥ 1) characters, the last of them `…` marking the cut:
/// Sentry's limits count the whole value (a tag value of 201 characters is dropped). A
/// word the cut would split goes whole ([`crate::text::word_cut`]): the start of a secret
/// would pass the scrubbers, which run after.
pub fn truncate(s: &str, max: usize) -> String {
    use crate::protocol::limits::cut;
    if cut(s, max).len() == s.len() {
        return s.to_string();
    }
    let head = crate::text::part(s, 0, crate::text::word_cut(s, cut(s, max - 1).len()));
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
    cache.parse_after(stack, header_lines(stack, t.message.as_deref().unwrap_or("")))
}

/// The lines of `stack`'s header: as many as the message has while the stack holds the
/// message as it is now. A message changed after the stack was written (Svelte, in
/// development, appends its component trace to it) leaves a header of its own length:
/// the lines before the first V8 frame.
fn header_lines(stack: &str, message: &str) -> usize {
    use crate::text::{contains, find, pieces};
    // (A message the shim cut is cut in the stack's header too.)
    match find(stack, "\n    at ") {
        Some(i) if !contains(stack, message) => pieces(&stack[..i], b'\n'),
        _ => pieces(message, b'\n'),
    }
}

/// The exception value for one thrown value, captured with `handled`; `rejection` when
/// an unhandled-rejection handler captured it (never a linked error, typed `chained`).
pub fn value_of(t: &Thrown, rejection: bool, handled: bool, cache: &mut StackCache) -> ExceptionValue {
    let what = if rejection { "promise rejection" } else { "exception" };
    let name = nonempty(t.name.as_deref());
    let (ty, value, frames) = match t.kind {
        Kind::Error => {
            let ty = name.unwrap_or("Error");
            (ty, truncate(t.message.as_deref().unwrap_or(""), MAX_VALUE_CHARS), error_frames(t, cache))
        }
        kind => {
            // Not an `Error`: the value names what was thrown, the frames are the capture
            // call's.
            let fallback = if rejection { "UnhandledRejection" } else { "Error" };
            let mut v;
            let ty = if matches!(kind, Kind::Object | Kind::Function) {
                // An object that says what went wrong (`{ code, message }`) is named by
                // its message, as Sentry's Node SDK names it; others by their keys.
                if let Some(m) = nonempty(t.message.as_deref()) {
                    v = String::from(m);
                } else {
                    v = String::from(if kind == Kind::Function { "Function" } else { "Object" });
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
                }
                match name {
                    Some(n) if n != "Object" && n != "Function" => n,
                    _ => fallback,
                }
            } else {
                v = String::from("Non-Error ");
                v.push_str(what);
                v.push_str(" captured with value: ");
                v.push_str(t.text.as_deref().unwrap_or(t.kind_name.as_str()));
                fallback
            };
            (ty, truncate(&v, MAX_VALUE_CHARS), synthetic_frames(t))
        }
    };
    ExceptionValue {
        ty: truncate(ty, MAX_TYPE_CHARS),
        value,
        frames,
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

fn push_children<'a>(t: &'a Thrown<'a>, id: u32, stack: &mut Vec<(&'a Thrown<'a>, u32, Source)>) {
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
    let mut root = value_of(thrown, mechanism.kind().ends_with("onunhandledrejection"), handled, cache);
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
        let mut v = value_of(t, false, handled, cache);
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
    /// Writes the value object; `kind` is the capture's mechanism type ([`Mechanism::kind`]),
    /// which the thrown value's own exception carries (the linked ones are `chained`).
    pub fn write(&self, kind: &str, out: &mut Vec<u8>) {
        let mut o = Obj::new(out);
        o.str("type", &self.ty);
        o.str("value", &self.value);
        {
            let mut m = Obj::new(o.name("mechanism"));
            // Only a linked error has a parent.
            m.str("type", if self.parent_id.is_some() { "chained" } else { kind });
            m.bool("handled", self.handled);
            if let Some(id) = self.exception_id {
                m.uint("exception_id", id.into());
            }
            if let Some(id) = self.parent_id {
                m.uint("parent_id", id.into());
            }
            if let Some(s) = self.source {
                let out = m.name("source");
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
            let mut st = Obj::new(o.name("stacktrace"));
            let mut a = Arr::new(st.name("frames"));
            for f in &self.frames {
                f.write_json(a.item());
            }
            a.end();
            st.end();
        }
        o.end();
    }
}

/// Writes `{"values":[…]}` of values captured with the mechanism type `kind`.
pub fn write_values(values: &[ExceptionValue], kind: &str, out: &mut Vec<u8>) {
    let mut o = Obj::new(out);
    let mut a = Arr::new(o.name("values"));
    for v in values {
        v.write(kind, a.item());
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
#[path = "exception_tests.rs"]
mod tests;
