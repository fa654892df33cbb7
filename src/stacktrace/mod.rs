//! Turning a JavaScript `Error.stack` string into Sentry stack frames.
//!
//! This module owns the whole path from the engine's text to protocol frames: reading
//! the frame lines every engine writes (`v8`: Chrome, Edge, Opera ≥ 15, Node, workerd,
//! Hermes, legacy IE/EdgeHTML; `gecko`: Firefox, Safari and other JavaScriptCore
//! hosts), normalising file and function names the way Sentry's own SDKs do
//! (`normalize`), deciding `in_app`, and writing each frame as Sentry expects it.
//!
//! Where oxeye deliberately differs from Sentry's SDKs: native, `<anonymous>` and
//! `Promise.all (index N)` frames are `in_app: false` (Sentry's browser SDK says `true`
//! for every frame); frames of Node core modules, dependencies, browser extensions and
//! well-known framework chunks are `in_app: false`, and `in_app` is left unset where the
//! file may hold either; V8 `eval` frames and Firefox `Function` frames point at the code
//! that ran them (Sentry's Node SDK keeps the `eval at …` text as the file); every `data:`
//! URI frame is `<data:…>`, never the module's source; unnamed wasm frames keep the
//! engine's `wasm-function[N]` name with their `instruction_addr`, as `@sentry/wasm`
//! would add; and a few lines Sentry cannot read at all (Safari extension frames without
//! `at`, JSC `<?>.wasm-function[N]@[wasm code]`) are read.
//!
//! The parser is a hand-written scanner: no regular expressions, no backtracking. Every
//! line is cut to 1024 characters first and scanning stops once [`MAX_FRAMES`] frames
//! are found, so any input, however hostile, costs time linear in its length and never
//! panics.

#[cfg(feature = "runtime-browser")]
mod gecko;
mod loc;
mod normalize;
#[cfg(feature = "runtime-browser")]
pub use normalize::set_in_extension;
mod v8;

use crate::json::write::Obj;
use crate::protocol::limits::cut;
use loc::Loc;
#[cfg(test)]
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
    /// For WebAssembly frames whose module is one of the event's debug images: that
    /// image's index in `debug_meta.images`. Written as `"addr_mode":"rel:<index>"`, which
    /// tells the server the address is an offset into that module (as `@sentry/wasm`
    /// marks them); set by `protocol::debug_meta::link_frames`.
    pub image: Option<u32>,
    /// Lines of source around the frame, as the JSON members `pre_context`,
    /// `context_line` and `post_context` (no braces); set by
    /// `protocol::source_context::attach` on servers that read the app's files.
    pub source: Option<Vec<u8>>,
}

impl Frame {
    /// Writes the frame as one Sentry protocol frame object into `out`, with no value
    /// tree. Only present fields are written. WebAssembly frames (those with an
    /// `instruction_addr`) also carry `"platform":"native"` so the server treats them by
    /// address rather than trying to source-map a line and column they do not have, and
    /// `addr_mode` when their module's image is known.
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
        #[cfg(feature = "runtime-server")]
        if let Some(lines) = &self.source {
            // (`filename` and `lineno` came first: the object is not empty.)
            o.out().push(b',');
            o.out().extend_from_slice(lines);
        }
        if let Some(a) = &self.instruction_addr {
            o.str("instruction_addr", a);
            o.str("platform", "native");
            if let Some(i) = self.image {
                let out = o.name("addr_mode");
                out.extend_from_slice(b"\"rel:");
                crate::json::write::uint(out, u64::from(i));
                out.push(b'"');
            }
        }
        o.end();
    }

    /// The same object as [`Frame::write_json`] writes, as a `serde_json` value (tests).
    #[cfg(test)]
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
        if let Some(lines) = &self.source {
            let members: Map<String, Value> = serde_json::from_slice(&[b"{", lines.as_slice(), b"}"].concat()).expect("source lines are JSON members");
            m.extend(members);
        }
        if let Some(a) = &self.instruction_addr {
            m.insert("instruction_addr".into(), Value::from(a.as_str()));
            m.insert("platform".into(), Value::from("native"));
            if let Some(i) = self.image {
                m.insert("addr_mode".into(), Value::from(format!("rel:{i}")));
            }
        }
        Value::Object(m)
    }
}

/// A `file://` URL as frames of Node and workerd stacks name it (`file://` stripped,
/// percent-escapes decoded), so a debug image names its file as its frames do (as it is
/// in a wasm built for browsers only, whose frames keep their URLs).
pub fn frame_filename(f: &str) -> std::borrow::Cow<'_, str> {
    if cfg!(feature = "runtime-server") && f.starts_with("file://") {
        normalize::node_filename(f)
    } else {
        std::borrow::Cow::Borrowed(f)
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
    for line in crate::text::lines(stack) {
        if raws.len() >= MAX_FRAMES {
            break;
        }
        if let Some(raw) = parse_line(line) {
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
    parse_stack(frame_lines(stack, message_lines))
}

/// The part of `stack` that [`parse_stack_after`] reads: after the header, if any.
fn frame_lines(stack: &str, message_lines: usize) -> &str {
    let headerless = parse_line(crate::text::before_any(stack, b"\n")).is_some()
        && !crate::text::split_byte(stack, b'\n').any(|l| crate::text::trim_start(l).starts_with("at "));
    let mut rest = stack;
    if !headerless {
        for _ in 0..message_lines.max(1) {
            rest = match crate::text::split_once_byte(rest, b'\n') {
                Some((_, after)) => after,
                None => return "",
            };
        }
    }
    rest
}

/// The frames of recently parsed stacks, by the text of their frame lines. Errors from
/// one code path have the same frames whatever their message says, so a repeated error
/// (a retry loop, an error storm, a failing render) is parsed once. Bounded: at most
/// [`StackCache::ENTRIES`] stacks of at most [`StackCache::MAX_TEXT`] bytes each.
#[derive(Debug, Default)]
pub struct StackCache {
    entries: Vec<(String, Vec<Frame>)>,
    next: usize,
}

impl StackCache {
    /// Stacks kept.
    pub const ENTRIES: usize = 8;
    /// Longest frame text kept (longer ones are parsed every time).
    pub const MAX_TEXT: usize = 8 * 1024;

    /// [`parse_stack_after`], answered from the cache when the frame lines were seen.
    pub fn parse_after(&mut self, stack: &str, message_lines: usize) -> Vec<Frame> {
        let text = frame_lines(stack, message_lines);
        if let Some((_, frames)) = self.entries.iter().find(|(t, _)| t == text) {
            return frames.clone();
        }
        let frames = parse_stack(text);
        if text.len() <= Self::MAX_TEXT {
            let entry = (text.to_string(), frames.clone());
            if self.entries.len() < Self::ENTRIES {
                self.entries.push(entry);
            } else {
                self.entries[self.next] = entry;
                self.next = (self.next + 1) % Self::ENTRIES;
            }
        }
        frames
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

/// Parses one line of any supported format, cut to [`MAX_LINE_CHARS`] first.
fn parse_line(line: &str) -> Option<Raw<'_>> {
    let line = crate::text::trim(cut(line, MAX_LINE_CHARS));
    if let Some(rest) = line.strip_prefix("at ") {
        return v8::parse(rest);
    }
    // Firefox and Safari lines: only browsers run those engines (`runtime-browser`).
    #[cfg(feature = "runtime-browser")]
    if let Some(raw) = gecko::parse(line) {
        return Some(raw);
    }
    // Text before `at` on the same line (`[1] at fn (file.js:1:2)`): read as V8 when the
    // text holds no `:` (never an `Error: …` header) and a position follows.
    let (before, after) = crate::text::split_once(line, " at ")?;
    if crate::text::contains_byte(before, b':') {
        return None;
    }
    v8::parse(after).filter(|r| r.loc.lineno.is_some() || r.loc.wasm.is_some())
}

/// `fn@safari-extension:` with a location `//ID/file.js`: the function is what precedes
/// `@` and the file is `safari-extension://ID/file.js`, as Sentry writes it. Other names
/// pass through.
fn safari_extension<'a>(function: Option<&'a str>, loc: Loc<'a>) -> (Option<&'a str>, Loc<'a>) {
    let Some(name) = function else { return (function, loc) };
    for prefix in crate::text::split_byte("safari-extension:|safari-web-extension:", b'|') {
        if let Some(before) = name.strip_suffix(prefix) {
            let function = before.strip_suffix("@").filter(|f| !f.is_empty());
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
/// is a Node module (`node:…`, `internal/…`); otherwise like its browser SDK when a frame
/// is a web URL or a React Native bundle; otherwise (paths, `file://` URLs and relative
/// names only: Node, workerd) Node's way again. A wasm built for browsers only
/// (no `runtime-server`) reads every V8 stack the browser SDK's way.
fn style(raws: &[Raw<'_>]) -> Style {
    #[cfg(not(feature = "runtime-server"))]
    if true {
        return Style::Browser;
    }
    let mut web = false;
    for r in raws.iter().filter(|r| r.engine == Engine::V8) {
        let f = r.loc.filename.as_ref();
        // (Deno's own modules are `ext:`: a server's stack too.)
        if f.starts_with("node:") || f.starts_with("internal/") || f.starts_with("ext:") {
            return Style::Node;
        }
        if loc::scheme(f).is_some_and(|s| s != "file") || f.ends_with("bundle") {
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
        image: None,
        source: None,
    }
}

#[cfg(test)]
mod tests;
