//! Turning a JavaScript `Error.stack` string into Sentry stack frames.
//!
//! This module owns the whole path from the engine's text to protocol frames: recognising
//! frame lines written by V8 (Chrome, Edge, Node, workerd) and by SpiderMonkey and
//! JavaScriptCore (Firefox, Safari), extracting file, function, line, column and wasm
//! address, deciding `in_app`, and writing each frame as Sentry expects it.
//!
//! The parser is a hand-written scanner with no allocation beyond the frames it returns.
//! Every line is cut to 1024 characters first and scanning stops once
//! [`MAX_FRAMES`] frames are found, so any input, however hostile, costs time linear in
//! its length and never panics.

use serde_json::{Map, Value};

/// Most frames kept from one stack string.
pub const MAX_FRAMES: usize = 50;

/// Longest line looked at, in characters; the rest of a longer line is ignored.
const MAX_LINE_CHARS: usize = 1024;

/// Deepest chain of nested V8 eval origins (`eval at f (eval at g (...))`) followed.
const MAX_EVAL_DEPTH: usize = 8;

/// One stack frame, as parsed from a single line of a stack string.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    /// URL or path as the engine wrote it, e.g. `http://127.0.0.1:8080/app.js`,
    /// `/srv/app/x.js`, `node:internal/process/task_queues`, `<anonymous>`.
    pub filename: Option<String>,
    /// Function name as the engine wrote it, e.g. `Object.handleClick`, `async main`,
    /// `new Foo`; `None` when the engine gave none.
    pub function: Option<String>,
    /// 1-based line number.
    pub lineno: Option<u32>,
    /// 1-based column number.
    pub colno: Option<u32>,
    /// Whether the frame belongs to the application rather than to dependencies,
    /// the runtime or the engine.
    pub in_app: bool,
    /// For WebAssembly frames, the code offset as written, e.g. `0x5aeb`.
    pub instruction_addr: Option<String>,
}

impl Frame {
    /// The frame as a Sentry protocol frame object. Only present fields are written;
    /// `in_app` always is. WebAssembly frames (those with an `instruction_addr`) also
    /// carry `"platform":"native"` so the server treats them by address rather than
    /// trying to source-map a line and column they do not have.
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
        m.insert("in_app".into(), Value::Bool(self.in_app));
        if let Some(a) = &self.instruction_addr {
            m.insert("instruction_addr".into(), Value::from(a.as_str()));
            m.insert("platform".into(), Value::from("native"));
        }
        Value::Object(m)
    }
}

/// Parses a stack string from V8 (Chrome, Edge, Node, workerd) or SpiderMonkey /
/// JavaScriptCore (Firefox, Safari) into frames ordered oldest first, the reverse of
/// the string, as Sentry wants them.
///
/// Lines that are not frames (the `TypeError: msg` header, the further lines of a
/// multi-line message, blank lines) are skipped. Each line is cut to 1024 characters
/// before parsing.
///
/// At most [`MAX_FRAMES`] frames are returned. When the stack is longer, the frames
/// nearest the throw are kept (the first ones in the string, the last ones in the
/// result) and the outermost callers are dropped; scanning stops there, so the cost of
/// a huge input is bounded by where its 50th frame line is.
pub fn parse_stack(stack: &str) -> Vec<Frame> {
    let mut frames = Vec::new();
    for line in stack.lines() {
        if frames.len() >= MAX_FRAMES {
            break;
        }
        if let Some(frame) = parse_line(cut(line, MAX_LINE_CHARS)) {
            frames.push(frame);
        }
    }
    frames.reverse();
    frames
}

/// At most the first `max` characters of `s`.
fn cut(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => s.get(..i).unwrap_or(s),
        None => s,
    }
}

/// Parses one line of any supported format.
fn parse_line(line: &str) -> Option<Frame> {
    let line = line.trim();
    if let Some(rest) = line.strip_prefix("at ") {
        return parse_v8(rest.trim_start());
    }
    if line == "[native code]" {
        return Some(make(None, Loc::file(line)));
    }
    parse_gecko(line)
}

/// Where a frame points, before the function name is attached.
struct Loc<'a> {
    filename: Option<&'a str>,
    lineno: Option<u32>,
    colno: Option<u32>,
    /// For wasm: the engine's placeholder name (`wasm-function[N]`) and the offset.
    wasm: Option<(&'a str, &'a str)>,
}

impl<'a> Loc<'a> {
    fn file(f: &'a str) -> Self {
        Loc { filename: Some(f), lineno: None, colno: None, wasm: None }
    }
    fn none() -> Self {
        Loc { filename: None, lineno: None, colno: None, wasm: None }
    }
}

fn make(function: Option<String>, loc: Loc<'_>) -> Frame {
    let (function, instruction_addr) = match loc.wasm {
        Some((placeholder, addr)) => {
            (function.or_else(|| Some(placeholder.to_owned())), Some(addr.to_owned()))
        }
        None => (function, None),
    };
    Frame {
        filename: loc.filename.map(str::to_owned),
        function,
        lineno: loc.lineno,
        colno: loc.colno,
        in_app: in_app(loc.filename),
        instruction_addr,
    }
}

/// A V8 frame, with the leading `at ` already removed.
fn parse_v8(rest: &str) -> Option<Frame> {
    // `fn (location)`: the location runs from the first ` (` to the final `)`, so
    // parentheses inside it (eval origins, URLs) stay in it.
    if let Some(body) = rest.strip_suffix(')') {
        if let Some(i) = body.find(" (") {
            let name = body.get(..i).unwrap_or("");
            let loc = v8_location(body.get(i + 2..).unwrap_or(""))?;
            return Some(make(clean_v8_function(name), loc));
        }
    }
    // Anonymous: `at url:line:col`, `at <anonymous>`, `at async url:line:col`.
    let loc = rest.strip_prefix("async ").unwrap_or(rest);
    // `at f (url:1:2` with its `)` cut off is not an anonymous frame at `f (url`.
    if let Some(i) = loc.find(" (") {
        if !loc.get(..i).unwrap_or("").contains(['/', '\\', ':']) {
            return None;
        }
    }
    let loc = v8_location(loc)?;
    Some(make(None, loc))
}

/// `Object.foo [as bar]` becomes `Object.foo`; `?` and `<anonymous>` become `None`.
fn clean_v8_function(name: &str) -> Option<String> {
    let mut name = name.trim();
    if name.ends_with(']') {
        if let Some(i) = name.rfind(" [as ") {
            name = name.get(..i).unwrap_or(name).trim_end();
        }
    }
    named(name)
}

fn named(name: &str) -> Option<String> {
    match name {
        "" | "?" | "<anonymous>" => None,
        n => Some(n.to_owned()),
    }
}

/// The location part of a V8 frame; `None` when it does not look like one.
fn v8_location(loc: &str) -> Option<Loc<'_>> {
    let loc = loc.trim();
    if loc.starts_with("eval at ") {
        return v8_eval_origin(loc);
    }
    match loc {
        "native" | "<anonymous>" | "unknown location" => return Some(Loc::file(loc)),
        _ => {}
    }
    if let Some(n) = loc.strip_prefix("index ") {
        // `Promise.all (index 0)`: no source location at all.
        return number(n).map(|_| Loc::none());
    }
    if let Some(w) = wasm_location(loc) {
        return Some(w);
    }
    let l = line_col(loc);
    if positioned(&l, loc) {
        Some(l)
    } else {
        None
    }
}

/// `eval at f (eval at g (http://x/app.js:10:5), <anonymous>:1:1), <anonymous>:2:3`:
/// the location of the outermost real script, or failing that the eval's own position.
fn v8_eval_origin(loc: &str) -> Option<Loc<'_>> {
    let mut cur = loc;
    for _ in 0..MAX_EVAL_DEPTH {
        let Some(origin) = cur.strip_prefix("eval at ") else { break };
        let inner = match origin.find(" (") {
            Some(open) => match origin.get(open + 1..).and_then(paren_body) {
                Some(inner) => inner,
                None => break,
            },
            // `eval at url:line:col, <anonymous>:1:1`
            None => origin.split(", ").next().unwrap_or(""),
        };
        if inner.starts_with("eval at ") {
            cur = inner;
            continue;
        }
        let inner = inner.trim();
        let l = line_col(inner);
        if positioned(&l, inner) {
            return Some(l);
        }
        break;
    }
    // The eval's own position: what follows the last `, `.
    let own = loc.get(loc.rfind(", ")? + 2..)?.trim();
    let l = line_col(own);
    if positioned(&l, own) {
        Some(l)
    } else {
        None
    }
}

/// For `s` starting with `(`, the text up to its matching `)`.
fn paren_body(s: &str) -> Option<&str> {
    let mut depth = 0usize;
    for (i, b) in s.bytes().enumerate() {
        match b {
            b'(' => depth += 1,
            b')' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return s.get(1..i);
                }
            }
            _ => {}
        }
    }
    None
}

/// A SpiderMonkey / JavaScriptCore frame: `function@location`.
fn parse_gecko(line: &str) -> Option<Frame> {
    // Function names do not contain `@`, URLs may (`/node_modules/@scope/`).
    let at = line.find('@')?;
    let name = line.get(..at)?;
    let loc = line.get(at + 1..)?.trim();
    // Guards against message lines such as `Error: write to a@b.example:25`: engine
    // names have at most one space (`global code`, `get size`).
    if name.contains(": ") || name.matches(' ').count() > 1 {
        return None;
    }
    let function = clean_gecko_function(name);
    let loc = match loc {
        // JSC `eval code@`; not `a sentence ending in a mail address@`.
        "" if function.is_some() && (name.ends_with(" code") || !name.contains(' ')) => Loc::none(),
        "[native code]" | "[wasm code]" => Loc::file(loc),
        _ => match wasm_location(loc) {
            Some(w) => w,
            None => {
                let l = match gecko_eval_chain(loc) {
                    Some(l) => l,
                    None => line_col(loc),
                };
                if !positioned(&l, loc) {
                    return None;
                }
                l
            }
        },
    };
    Some(make(function, loc))
}

/// `async*fn` becomes `async fn` (as V8 writes it), `<?>.wasm-function[3]` becomes
/// `wasm-function[3]`; an empty name becomes `None`.
fn clean_gecko_function(name: &str) -> Option<String> {
    let name = name.trim();
    if let Some(rest) = name.strip_prefix("async*") {
        let mut s = String::from("async ");
        s.push_str(named(rest.trim())?.as_str());
        return Some(s);
    }
    named(name.strip_prefix("<?>.").unwrap_or(name))
}

/// Firefox eval chains: `http://x/app.js line 10 > eval line 2 > Function:1:1` points
/// at line 10 of `http://x/app.js`, the code that ran the eval.
fn gecko_eval_chain(loc: &str) -> Option<Loc<'_>> {
    if !loc.contains(" > ") {
        return None;
    }
    let i = loc.find(" line ")?;
    let url = loc.get(..i)?;
    let after = loc.get(i + 6..)?;
    let lineno = position(after.split(' ').next().unwrap_or(""))?;
    Some(Loc { filename: Some(url), lineno: Some(lineno), colno: None, wasm: None })
}

/// `url:wasm-function[190]:0x5aeb`, in V8 and Firefox spellings.
fn wasm_location(loc: &str) -> Option<Loc<'_>> {
    let i = loc.find(":wasm-function[")?;
    let url = loc.get(..i)?;
    let after = loc.get(i + 1..)?;
    let close = after.find(']')?;
    let placeholder = after.get(..=close)?;
    let addr = after.get(close + 1..)?.strip_prefix(':')?;
    let hex = addr.strip_prefix("0x")?;
    if hex.is_empty() || hex.len() > 16 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    // Firefox names the module `url line 1 > WebAssembly.instantiate`.
    let url = match url.find(" line ") {
        Some(j) if url.contains(" > ") => url.get(..j).unwrap_or(url),
        _ => url,
    };
    Some(Loc { filename: Some(url), lineno: None, colno: None, wasm: Some((placeholder, addr)) })
}

/// Splits `url:line:col` or `url:line` from the right, so ports and drive letters in
/// the URL are left alone. A number too large for `u32` is cut off but not kept.
fn line_col(loc: &str) -> Loc<'_> {
    let whole = Loc::file(loc);
    let Some((a, last)) = split_digits(loc) else { return whole };
    match split_digits(a) {
        Some((f, line)) if !bare_origin(f) => {
            let lineno = position(line);
            let colno = lineno.and(position(last));
            Loc { filename: Some(f), lineno, colno, wasm: None }
        }
        _ if !bare_origin(a) => Loc { filename: Some(a), lineno: position(last), colno: None, wasm: None },
        _ => whole,
    }
}

/// Whether `line_col` found a position in `loc`, even one too large to keep.
fn positioned(l: &Loc<'_>, loc: &str) -> bool {
    l.filename.map_or(0, str::len) < loc.len()
}

/// `("url", "12")` for `url:12`.
fn split_digits(s: &str) -> Option<(&str, &str)> {
    let i = s.rfind(':')?;
    let d = s.get(i + 1..)?;
    if d.is_empty() || !d.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((s.get(..i)?, d))
}

/// `http://host` with no port and no path: what is left when a port was taken for a
/// line number, never a script URL.
fn bare_origin(s: &str) -> bool {
    match s.find("://") {
        Some(i) => s.get(i + 3..).is_some_and(|h| !h.contains('/') && !h.contains(':')),
        None => false,
    }
}

/// A plain decimal `u32`; signs, spaces and overflow are rejected.
fn number(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 10 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// A line or column: 1-based, so `0` is no position.
fn position(s: &str) -> Option<u32> {
    number(s).filter(|&n| n > 0)
}

/// Whether a frame at `filename` is the application's own code.
fn in_app(filename: Option<&str>) -> bool {
    let Some(f) = filename else { return false };
    const NOT_APP: [&str; 8] = [
        "node:",
        "internal/",
        "chrome-extension://",
        "moz-extension://",
        "safari-extension://",
        "safari-web-extension://",
        "webkit-masked-url:",
        "<anonymous>",
    ];
    !(matches!(f, "" | "native" | "[native code]" | "unknown location")
        || NOT_APP.iter().any(|p| f.starts_with(p))
        || f.contains("/node_modules/")
        || f.contains("\\node_modules\\"))
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(one("    at Object.handleClick (http://h/app.js:10:15)"), at("http://h/app.js", Some("Object.handleClick"), 10, 15, true));
        assert_eq!(one("    at http://h/app.js:20:3"), at("http://h/app.js", None, 20, 3, true));
        assert_eq!(one("    at async main (http://h/app.js:4:9)"), at("http://h/app.js", Some("async main"), 4, 9, true));
        assert_eq!(one("    at new Foo (http://h/app.js:2:11)"), at("http://h/app.js", Some("new Foo"), 2, 11, true));
        assert_eq!(one("    at Object.<anonymous> (/srv/app/index.js:1:7)"), at("/srv/app/index.js", Some("Object.<anonymous>"), 1, 7, true));
        assert_eq!(one("    at Foo.bar [as baz] (http://h/app.js:8:1)"), at("http://h/app.js", Some("Foo.bar"), 8, 1, true));
        assert_eq!(one("    at get size [as size] (http://h/app.js:8:1)").function.as_deref(), Some("get size"));
        assert_eq!(one("    at ? (http://h/app.js:8:1)").function, None);
        assert_eq!(one("    at <anonymous> (http://h/app.js:8:1)").function, None);
        assert_eq!(one("    at new <anonymous> (http://h/app.js:8:1)").function.as_deref(), Some("new <anonymous>"));
    }

    #[test]
    fn v8_anonymous_and_builtin_frames() {
        assert_eq!(one("    at <anonymous>"), fr(Some("<anonymous>"), None, None, None, false));
        assert_eq!(one("    at Array.map (<anonymous>)"), fr(Some("<anonymous>"), Some("Array.map"), None, None, false));
        assert_eq!(one("    at Array.forEach (native)"), fr(Some("native"), Some("Array.forEach"), None, None, false));
        assert_eq!(one("    at async Promise.all (index 0)"), fr(None, Some("async Promise.all"), None, None, false));
        assert_eq!(one("    at Promise.all (index 12)"), fr(None, Some("Promise.all"), None, None, false));
        assert_eq!(one("    at async http://h/app.js:3:1"), at("http://h/app.js", None, 3, 1, true));
        assert_eq!(one("    at <anonymous>:1:9"), at("<anonymous>", None, 1, 9, false));
        assert_eq!(one("    at f (unknown location)"), fr(Some("unknown location"), Some("f"), None, None, false));
    }

    #[test]
    fn v8_node_frames() {
        assert_eq!(one("    at node:internal/main/run_main_module:28:49"), at("node:internal/main/run_main_module", None, 28, 49, false));
        assert_eq!(
            one("    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)"),
            at("node:internal/process/task_queues", Some("process.processTicksAndRejections"), 95, 5, false)
        );
        assert!(!one("    at Module._load (internal/modules/cjs/loader.js:724:14)").in_app);
        assert!(!one("    at f (/srv/app/node_modules/@scope/pkg/x.js:1:2)").in_app);
        assert_eq!(one("    at C:\\app\\node_modules\\lib\\x.js:1:2"), at("C:\\app\\node_modules\\lib\\x.js", None, 1, 2, false));
        assert_eq!(one("    at C:\\app\\src\\y.js:3:4"), at("C:\\app\\src\\y.js", None, 3, 4, true));
    }

    #[test]
    fn v8_urls() {
        assert_eq!(one("    at load (file:///home/me/app/main.mjs:3:9)"), at("file:///home/me/app/main.mjs", Some("load"), 3, 9, true));
        assert_eq!(one("    at f (http://127.0.0.1:8080/a.js?v=2#x:1:20577)"), at("http://127.0.0.1:8080/a.js?v=2#x", Some("f"), 1, 20577, true));
        assert_eq!(one("    at f (http://h/assets/copy (1).js:7:3)"), at("http://h/assets/copy (1).js", Some("f"), 7, 3, true));
        assert_eq!(one("    at http://h/assets/copy (1).js:7:3"), at("http://h/assets/copy (1).js", None, 7, 3, true));
        assert_eq!(one("    at f (http://h/(group)/page.js:7:3)").filename.as_deref(), Some("http://h/(group)/page.js"));
        assert_eq!(one("    at data:text/javascript,throw%20Error(%22x%22):1:7"), at("data:text/javascript,throw%20Error(%22x%22)", None, 1, 7, true));
        assert_eq!(one("    at run (blob:http://h/7d0b7e2c-9d1a:12:5)"), at("blob:http://h/7d0b7e2c-9d1a", Some("run"), 12, 5, true));
        assert!(!one("    at f (chrome-extension://abcdef/content.js:1:2)").in_app);
        assert_eq!(one("    at f (http://user@h/@scope/x.js:1:2)").filename.as_deref(), Some("http://user@h/@scope/x.js"));
    }

    #[test]
    fn v8_eval_frames_use_outer_location() {
        assert_eq!(one("    at eval (eval at fn (http://x/app.js:10:5), <anonymous>:1:1)"), at("http://x/app.js", Some("eval"), 10, 5, true));
        let nested = "    at inner (eval at a (eval at b (http://x/app.js:3:1), <anonymous>:1:1), <anonymous>:2:3)";
        assert_eq!(one(nested), at("http://x/app.js", Some("inner"), 3, 1, true));
        assert_eq!(one("    at eval (eval at <anonymous> (file:///x/m.mjs:1:1), <anonymous>:4:2)").filename.as_deref(), Some("file:///x/m.mjs"));
        // No usable outer location: the eval's own position.
        assert_eq!(one("    at eval (eval at f (garbage), <anonymous>:4:2)"), at("<anonymous>", Some("eval"), 4, 2, false));
        // Deeper than followed: also the eval's own position.
        let mut deep = String::from("    at e (");
        deep.push_str(&"eval at f (".repeat(20));
        deep.push_str("http://x/a.js:1:1");
        deep.push_str(&"), <anonymous>:1:1".repeat(20));
        deep.push(')');
        assert_eq!(one(&deep), at("<anonymous>", Some("e"), 1, 1, false));
    }

    #[test]
    fn wasm_frames() {
        let mut w = fr(Some("wasm://wasm/0012abcd"), Some("wasm-function[190]"), None, None, true);
        w.instruction_addr = Some("0x5aeb".into());
        assert_eq!(one("    at wasm://wasm/0012abcd:wasm-function[190]:0x5aeb"), w);
        let v = one("    at myfunc (http://host/x.wasm:wasm-function[1]:0x37)");
        assert_eq!((v.filename.as_deref(), v.function.as_deref(), v.instruction_addr.as_deref()), (Some("http://host/x.wasm"), Some("myfunc"), Some("0x37")));
        assert_eq!((v.lineno, v.colno), (None, None));
        let g = one("wasm-function[3]@http://host/x.wasm line 1 > WebAssembly.instantiate:wasm-function[3]:0x8a");
        assert_eq!((g.filename.as_deref(), g.function.as_deref(), g.instruction_addr.as_deref()), (Some("http://host/x.wasm"), Some("wasm-function[3]"), Some("0x8a")));
        let s = one("<?>.wasm-function[3]@[wasm code]");
        assert_eq!((s.filename.as_deref(), s.function.as_deref(), s.instruction_addr), (Some("[wasm code]"), Some("wasm-function[3]"), None));
        none("    at wasm://wasm/0012abcd:wasm-function[190]:0xzz");
        none("    at wasm://wasm/0012abcd:wasm-function[190:0x1");
    }

    #[test]
    fn gecko_and_jsc_frames() {
        assert_eq!(one("handleClick@http://h/app.js:10:15"), at("http://h/app.js", Some("handleClick"), 10, 15, true));
        assert_eq!(one("@http://h/app.js:40:1"), at("http://h/app.js", None, 40, 1, true));
        assert_eq!(one("render/<@http://h/app.js:31:9").function.as_deref(), Some("render/<"));
        assert_eq!(one("old@http://127.0.0.1:8080/old.js:7"), fr(Some("http://127.0.0.1:8080/old.js"), Some("old"), Some(7), None, true));
        assert_eq!(one("async*main@http://h/app.js:50:3").function.as_deref(), Some("async main"));
        assert_eq!(one("async*@http://h/app.js:50:3").function, None);
        assert_eq!(one("global code@http://h/index.html:22:4").function.as_deref(), Some("global code"));
        assert_eq!(one("eval code@"), fr(None, Some("eval code"), None, None, false));
        assert_eq!(one("forEach@[native code]"), fr(Some("[native code]"), Some("forEach"), None, None, false));
        assert_eq!(one("[native code]"), fr(Some("[native code]"), None, None, None, false));
        assert_eq!(one("fn@http://x/app.js line 10 > eval:1:1"), fr(Some("http://x/app.js"), Some("fn"), Some(10), None, true));
        assert_eq!(one("@http://x/app.js line 3 > eval line 1 > Function:2:7"), fr(Some("http://x/app.js"), None, Some(3), None, true));
        assert_eq!(one("@debugger eval code:1:1"), at("debugger eval code", None, 1, 1, true));
        assert_eq!(one("f@http://h/node_modules/@scope/x/i.js:1:2"), at("http://h/node_modules/@scope/x/i.js", Some("f"), 1, 2, false));
    }

    #[test]
    fn non_frames_are_skipped() {
        for s in [
            "TypeError: x is not a function",
            "Error: contact ops@example.com:8080",
            "line two mentions a@b.example:25",
            "please write to me@",
            "@", "x@y", "at ", "at (", "at f ()", "at the end",
            "    at f (http://h:8080)",
            "    at http://h/a.js",
            "    at x (:1:2:)",
            "    at f (http://h/a.js:1:2",
        ] {
            none(s);
        }
        let s = "Error: line one\nline two\n\n    at f (http://h/app.js:1:2)\n";
        assert_eq!(parse_stack(s), vec![at("http://h/app.js", Some("f"), 1, 2, true)]);
    }

    #[test]
    fn line_and_column_split_from_the_right() {
        let lc = |s| {
            let l = line_col(s);
            (l.filename, l.lineno, l.colno)
        };
        assert_eq!(lc("http://127.0.0.1:8080/app.js:10:5"), (Some("http://127.0.0.1:8080/app.js"), Some(10), Some(5)));
        assert_eq!(lc("http://127.0.0.1:8080/app.js:10"), (Some("http://127.0.0.1:8080/app.js"), Some(10), None));
        assert_eq!(lc("http://h:8080"), (Some("http://h:8080"), None, None));
        assert_eq!(lc("http://h:8080:10"), (Some("http://h:8080"), Some(10), None));
        assert_eq!(lc("/a.js:99999999999:1"), (Some("/a.js"), None, None));
        assert_eq!(number("4294967295"), Some(u32::MAX));
        assert_eq!(number("4294967296"), None);
        assert_eq!(number("+1"), None);
        assert_eq!(one("    at f (http://h/a.js:99999999999:1)"), fr(Some("http://h/a.js"), Some("f"), None, None, true));
    }

    #[test]
    fn to_json_writes_present_fields_only() {
        let j = at("http://h/app.js", Some("f"), 1, 2, true).to_json();
        assert_eq!(j, serde_json::json!({"filename": "http://h/app.js", "function": "f", "lineno": 1, "colno": 2, "in_app": true}));
        assert_eq!(fr(None, None, None, None, false).to_json(), serde_json::json!({"in_app": false}));
        let j = one("    at wasm://wasm/0012abcd:wasm-function[190]:0x5aeb").to_json();
        assert_eq!(
            j,
            serde_json::json!({"filename": "wasm://wasm/0012abcd", "function": "wasm-function[190]", "in_app": true, "instruction_addr": "0x5aeb", "platform": "native"})
        );
    }

    #[test]
    fn adversarial_inputs_are_bounded() {
        for s in ["", " ", "\n\n\n", "\r\n", "\t at \t", "@@@@", "((((", "))))", "at ((((", "at eval at (", "at f (eval at ", "\u{0}\u{ffff}é@ü:1:2"] {
            let _ = parse_stack(s);
        }
        let t = std::time::Instant::now();
        assert!(parse_stack(&"a".repeat(1 << 20)).is_empty());
        let _ = parse_stack(&("    at f (".to_string() + &"(".repeat(1 << 20) + ")"));
        let _ = parse_stack(&("    at f (".to_string() + &"eval at f (".repeat(100_000)));
        // Lines are cut at MAX_LINE_CHARS characters, on a character boundary.
        let long = "f@http://h/".to_string() + &"é".repeat(2000) + ".js:1:2";
        assert!(parse_stack(&long).is_empty());
        let ok = "f@http://h/".to_string() + &"é".repeat(1000) + ".js:1:2";
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
        // 100k lines that are never frames are all looked at, linearly.
        let junk = "x@y:\nat eval at (\n    at f (eval at g (\n".repeat(33_334);
        assert!(parse_stack(&junk).is_empty());
        assert!(t.elapsed().as_secs() < 5, "took {:?}", t.elapsed());
    }
}
