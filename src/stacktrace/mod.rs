//! Turning a JavaScript `Error.stack` string into Sentry stack frames.
//!
//! This module owns the whole path from the engine's text to protocol frames: reading
//! the frame lines every engine writes ([`v8`]: Chrome, Edge, Opera ≥ 15, Node, workerd,
//! Hermes, legacy IE/EdgeHTML; [`gecko`]: Firefox, Safari and other JavaScriptCore
//! hosts), normalising file and function names the way Sentry's own SDKs do
//! ([`normalize`]), deciding `in_app`, and writing each frame as Sentry expects it.
//!
//! The parser is a hand-written scanner: no regular expressions, no backtracking. Every
//! line is cut to 1024 characters first and scanning stops once [`MAX_FRAMES`] frames
//! are found, so any input, however hostile, costs time linear in its length and never
//! panics.

mod gecko;
mod loc;
mod normalize;
mod v8;

use crate::json::write::Obj;
use loc::Loc;
use serde_json::{Map, Value};
use std::borrow::Cow;

/// Most frames kept from one stack string.
pub const MAX_FRAMES: usize = 50;

/// Longest line looked at, in characters; the rest of a longer line is ignored.
const MAX_LINE_CHARS: usize = 1024;

/// One stack frame, as Sentry's protocol has it.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    /// URL or path, e.g. `http://127.0.0.1:8080/app.js`, `/srv/app/x.js`,
    /// `node:internal/process/task_queues`, `<anonymous>`, `<data:text/javascript>`.
    pub filename: Option<String>,
    /// Function name, e.g. `Object.handleClick`, `new Foo`, `Layer.handle [as handle_request]`;
    /// `?` when the engine gave none, as Sentry's SDKs write it.
    pub function: Option<String>,
    /// 1-based line number.
    pub lineno: Option<u32>,
    /// 1-based column number.
    pub colno: Option<u32>,
    /// Whether the frame belongs to the application rather than to dependencies, the
    /// runtime, the engine or framework code; `None` leaves the decision to the server.
    pub in_app: Option<bool>,
    /// For WebAssembly frames, the code offset as written, e.g. `0x5aeb`.
    pub instruction_addr: Option<String>,
}

impl Frame {
    /// Writes the frame as one Sentry protocol frame object into `out`, with no value
    /// tree. Only present fields are written. WebAssembly frames (those with an
    /// `instruction_addr`) also carry `"platform":"native"` so the server treats them by
    /// address rather than trying to source-map a line and column they do not have.
    pub fn write_json(&self, out: &mut Vec<u8>) {
        let mut o = Obj::new(out);
        if let Some(f) = &self.filename {
            o.str("filename", f);
        }
        if let Some(f) = &self.function {
            o.str("function", f);
        }
        if let Some(n) = self.lineno {
            o.uint("lineno", u64::from(n));
        }
        if let Some(n) = self.colno {
            o.uint("colno", u64::from(n));
        }
        if let Some(b) = self.in_app {
            o.bool("in_app", b);
        }
        if let Some(a) = &self.instruction_addr {
            o.str("instruction_addr", a);
            o.str("platform", "native");
        }
        o.end();
    }

    /// The same object as [`Frame::write_json`] writes, as a `serde_json` value.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        if let Some(f) = &self.filename {
            m.insert("filename".into(), Value::from(f.as_str()));
        }
        if let Some(f) = &self.function {
            m.insert("function".into(), Value::from(f.as_str()));
        }
        if let Some(n) = self.lineno {
            m.insert("lineno".into(), Value::from(n));
        }
        if let Some(n) = self.colno {
            m.insert("colno".into(), Value::from(n));
        }
        if let Some(b) = self.in_app {
            m.insert("in_app".into(), Value::Bool(b));
        }
        if let Some(a) = &self.instruction_addr {
            m.insert("instruction_addr".into(), Value::from(a.as_str()));
            m.insert("platform".into(), Value::from("native"));
        }
        Value::Object(m)
    }
}

/// Parses a stack string from any supported engine into frames ordered oldest first,
/// the reverse of the string, as Sentry wants them.
///
/// Lines that are not frames (the `TypeError: msg` header, the further lines of a
/// multi-line message, blank lines) are skipped. Each line is cut to 1024 characters
/// before parsing. Callers that know the error's message should use
/// [`parse_stack_after`], which never reads the message's lines.
///
/// At most [`MAX_FRAMES`] frames are returned. When the stack is longer, the frames
/// nearest the throw are kept (the first ones in the string, the last ones in the
/// result) and the outermost callers are dropped; scanning stops there, so the cost of
/// a huge input is bounded by where its 50th frame line is.
pub fn parse_stack(stack: &str) -> Vec<Frame> {
    let mut raws = Vec::new();
    for line in stack.lines() {
        if raws.len() >= MAX_FRAMES {
            break;
        }
        if let Some(raw) = parse_line(cut(line, MAX_LINE_CHARS)) {
            raws.push(raw);
        }
    }
    let style = style(&raws);
    raws.into_iter().rev().map(|r| finish(r, style)).collect()
}

/// Like [`parse_stack`], but first skips the error's header: the `Name: message` text
/// V8-style engines (Chrome, Edge, Node, workerd, Hermes, IE) put before the frames,
/// which spans as many lines as the message has. `message_lines` is that count, the
/// number of `\n`-separated lines of the error's message (an empty message is one
/// line). Frame-like lines inside the message, such as
/// `boom\n    at fn (https://evil/x.js:1:1)`, are therefore never read as frames.
///
/// Firefox and Safari write no header (and no message) in `stack`: when the first line
/// is itself a frame and no line is a V8 `at` frame, nothing is skipped.
pub fn parse_stack_after(stack: &str, message_lines: usize) -> Vec<Frame> {
    let headerless = stack.split('\n').next().is_some_and(|first| parse_line(cut(first, MAX_LINE_CHARS)).is_some())
        && !stack.split('\n').any(|l| l.trim_start().starts_with("at "));
    let skip = if headerless { 0 } else { message_lines.max(1) };
    let rest = match stack.match_indices('\n').nth(skip.wrapping_sub(1)) {
        _ if skip == 0 => stack,
        Some((i, _)) => stack.get(i + 1..).unwrap_or(""),
        None => "",
    };
    parse_stack(rest)
}

/// At most the first `max` characters of `s`.
fn cut(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => s.get(..i).unwrap_or(s),
        None => s,
    }
}

/// Which family of engines wrote a frame line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Engine {
    /// `at function (location)`: V8, Hermes, legacy IE / EdgeHTML.
    V8,
    /// `function@location` and bare locations: SpiderMonkey, JavaScriptCore.
    Gecko,
}

/// Which Sentry SDK's reading a V8 stack gets: the browser SDK's (names and URLs kept as
/// written) or the Node SDK's (`file://` stripped, percent-decoding, `async ` and
/// `.<anonymous>` rewritten), which Sentry's Node, Next.js-server and Cloudflare SDKs use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Browser,
    Node,
}

/// One frame as read from its line, before normalisation.
#[derive(Debug)]
struct Raw<'a> {
    /// The function name as written (trimmed), `None` when the engine wrote none.
    function: Option<&'a str>,
    loc: Loc<'a>,
    engine: Engine,
    /// A Firefox frame inside an `eval` chain.
    eval: bool,
}

/// Parses one line of any supported format.
fn parse_line(line: &str) -> Option<Raw<'_>> {
    let line = line.trim();
    if let Some(rest) = line.strip_prefix("at ") {
        return v8::parse(rest);
    }
    if let Some(raw) = gecko::parse(line) {
        return Some(raw);
    }
    // Text before `at` on the same line (`[1] at fn (file.js:1:2)`): read as V8 when the
    // text holds no `:` (never an `Error: …` header) and a position follows.
    let i = line.find(" at ")?;
    if line.get(..i)?.contains(':') {
        return None;
    }
    v8::parse(line.get(i + 4..)?).filter(|r| r.loc.lineno.is_some() || r.loc.wasm.is_some())
}

/// `fn@safari-extension:` with a location `//ID/file.js`: the function is what precedes
/// `@` and the file is `safari-extension://ID/file.js`, as Sentry writes it. Other names
/// pass through.
fn safari_extension<'a>(function: Option<&'a str>, loc: Loc<'a>) -> (Option<&'a str>, Loc<'a>) {
    let Some(name) = function else { return (function, loc) };
    for prefix in ["safari-extension:", "safari-web-extension:"] {
        if let Some(before) = name.strip_suffix(prefix) {
            let function = before.strip_suffix('@').filter(|f| !f.is_empty());
            return (function, prefixed(prefix, loc));
        }
    }
    (function, loc)
}

/// `loc` with `prefix` put before its filename.
fn prefixed<'a>(prefix: &str, mut loc: Loc<'a>) -> Loc<'a> {
    let mut f = String::with_capacity(prefix.len() + loc.filename.len());
    f.push_str(prefix);
    f.push_str(&loc.filename);
    loc.filename = Cow::Owned(f);
    loc
}

/// Decides how a stack's V8 frames are normalised: like Sentry's Node SDK when a frame
/// is a Node path or module (`/srv/…`, `C:\…`, `node:…`, `internal/…`), like its browser
/// SDK when a frame is a web URL (or Hermes' `address at`), Node's way for `file://` or
/// relative names only (Node ESM, workerd).
fn style(raws: &[Raw<'_>]) -> Style {
    let mut web = false;
    for r in raws.iter().filter(|r| r.engine == Engine::V8) {
        let f = r.loc.filename.as_ref();
        let b = f.as_bytes();
        let drive = b.len() > 2 && b[0].is_ascii_alphabetic() && b[1] == b':' && matches!(b[2], b'\\' | b'/');
        if f.starts_with(['/', '\\']) || f.starts_with("node:") || f.starts_with("internal/") || drive {
            return Style::Node;
        }
        if loc::scheme(f).is_some_and(|s| s != "file") || f.ends_with(".bundle") {
            web = true;
        }
    }
    if web {
        Style::Browser
    } else {
        Style::Node
    }
}

/// A raw frame normalised the way Sentry's SDK for `style` would write it.
fn finish(raw: Raw<'_>, style: Style) -> Frame {
    let node = raw.engine == Engine::V8 && style == Style::Node;
    let Raw { function, loc, engine, eval } = raw;
    let filename = match loc.filename {
        Cow::Borrowed("native") if node => None,
        Cow::Borrowed(f) if node => Some(normalize::node_filename(f).into_owned()),
        f => Some(f.into_owned()),
    };
    let function: Cow<'_, str> = match (function, loc.wasm) {
        (None, Some((placeholder, _))) => Cow::Borrowed(placeholder),
        (None, None) if engine == Engine::Gecko && eval => Cow::Borrowed("eval"),
        (None, None) => Cow::Borrowed("?"),
        (Some("<anonymous>"), _) => Cow::Borrowed("?"),
        (Some(name), _) if node => normalize::node_function(name),
        (Some(name), _) => Cow::Borrowed(name.strip_prefix("<?>.").unwrap_or(name)),
    };
    let in_app = normalize::in_app(filename.as_deref(), &function);
    Frame {
        filename,
        function: Some(function.into_owned()),
        lineno: loc.lineno,
        colno: loc.colno,
        in_app,
        instruction_addr: loc.wasm.map(|(_, addr)| addr.to_owned()),
    }
}

#[cfg(test)]
mod tests {
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
    fn v8_pseudo_locations() {
        assert_eq!(one("    at <anonymous>"), fr(Some("<anonymous>"), "?", None, None, F));
        assert_eq!(one("    at Array.forEach (native)"), fr(None, "Array.forEach", None, None, F));
        assert_eq!(one("    at Array.prototype.map (native code)"), fr(Some("native code"), "Array.prototype.map", None, None, F));
        assert_eq!(one("    at async Promise.all (index 0)"), fr(Some("index 0"), "Promise.all", None, None, F));
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
        assert_eq!(one("    at f (chrome-extension://abcdef/content.js:1:2)").in_app, F);
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
        let g = one("wasm-function[3]@http://host/x.wasm line 1 > WebAssembly.instantiate:wasm-function[3]:0x8a");
        assert_eq!(g, w("http://host/x.wasm", "wasm-function[3]", "0x8a"));
        assert_eq!(one("<?>.wasm-function[3]@[wasm code]"), fr(Some("[wasm code]"), "wasm-function[3]", None, None, T));
        none("    at wasm://wasm/0012abcd:wasm-function[190]:0xzz");
        none("    at wasm://wasm/0012abcd:wasm-function[190:0x1");
    }

    #[test]
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
        // Firefox and Safari write no header.
        let ff = "f@http://h/app.js:1:2\ng@http://h/app.js:3:4";
        assert_eq!(parse_stack_after(ff, 3).len(), 2);
        assert_eq!(parse_stack_after("http://h/app.js:1:2\n[native code]", 2).len(), 2);
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
        let long = "f@http://h/".to_string() + &"é".repeat(2000) + ".js:1:2";
        assert!(parse_stack(&long).is_empty());
        let ok = "f@http://h/".to_string() + &"é".repeat(1000) + ".js:1:2";
        assert_eq!(one(&ok).lineno, Some(1));
        assert_eq!(cut("ééé", 2), "éé");
        // 100k frame lines: the 50 nearest the throw, newest last.
        let mut many = String::from("RangeError: Maximum call stack size exceeded\n");
        for i in 0..100_000u32 {
            many.push_str("    at f (http://h/app.js:");
            many.push_str(&i.to_string());
            many.push_str(":1)\n");
        }
        let v = parse_stack(&many);
        assert_eq!(v.len(), MAX_FRAMES);
        assert_eq!(v.last().and_then(|f| f.lineno), Some(0));
        assert_eq!(v.first().and_then(|f| f.lineno), Some(49));
    }
}
