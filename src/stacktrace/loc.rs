//! Where a frame points: splitting `url:line:col` from the right, wasm code offsets,
//! Firefox eval chains and V8 eval origins. Shared by the V8 and Gecko/JSC line readers.

use std::borrow::Cow;

/// Deepest chain of nested V8 eval origins (`eval at f (eval at g (...))`) followed.
const MAX_EVAL_DEPTH: usize = 8;

/// Where a frame points, before the function name is attached and before the filename
/// is normalised.
#[derive(Debug)]
pub(super) struct Loc<'a> {
    pub filename: Cow<'a, str>,
    pub lineno: Option<u32>,
    pub colno: Option<u32>,
    /// For wasm: the engine's placeholder name (`wasm-function[N]`) and the offset.
    pub wasm: Option<(&'a str, &'a str)>,
}

impl<'a> Loc<'a> {
    /// A location with a file (or pseudo-file such as `native`) and no position (one
    /// routine for its six sites).
    #[inline(never)]
    pub fn file(f: &'a str) -> Self {
        Loc { filename: Cow::Borrowed(f), lineno: None, colno: None, wasm: None }
    }
}

/// A `data:` URI's location, written as Sentry writes it (`<data:text/javascript>`): the
/// module's source is never sent, and its line and column point into nothing the server
/// can fetch. `None` when `s` is not a data URI with a media type.
pub(super) fn data_uri(s: &str) -> Option<Loc<'static>> {
    let rest = s.strip_prefix("data:")?;
    let (mime, _) = crate::text::split_once_byte(rest, b',')?;
    if mime.is_empty() || crate::text::has_space(mime) {
        return None;
    }
    let mut name = String::with_capacity(mime.len() + 7);
    name.push_str("<data:");
    name.push_str(mime);
    name.push('>');
    Some(Loc { filename: Cow::Owned(name), lineno: None, colno: None, wasm: None })
}

/// `url:wasm-function[190]:0x5aeb`, in V8 and Firefox spellings.
pub(super) fn wasm_location(loc: &str) -> Option<Loc<'_>> {
    let (url, after) = crate::text::split_around(loc, crate::text::find(loc, ":wasm-function[")?, 1)?;
    let (placeholder, addr) = crate::text::split_around(after, crate::text::find_byte(after, b']')? + 1, 0)?;
    let addr = addr.strip_prefix(":")?;
    let hex = addr.strip_prefix("0x")?;
    if hex.len() > 16 || !crate::text::all_hex(hex) {
        return None;
    }
    // Firefox names the module `url line 1 > WebAssembly.instantiate`.
    let url = match crate::text::split_once(url, " line ") {
        Some((module, _)) if crate::text::contains(url, " > ") => module,
        _ => url,
    };
    Some(Loc { filename: Cow::Borrowed(url), lineno: None, colno: None, wasm: Some((placeholder, addr)) })
}

/// Splits `url:line:col` or `url:line` from the right, so ports and drive letters in
/// the URL are left alone. A number too large for `u32` is cut off but not kept.
/// `None` when no position is found or nothing is left for the file.
pub(super) fn line_col(loc: &str) -> Option<Loc<'_>> {
    let (a, last) = split_digits(loc)?;
    let (filename, lineno, colno) = match split_digits(a) {
        Some((f, line)) if !bare_origin(f) => {
            let lineno = position(line);
            (f, lineno, lineno.and(position(last)))
        }
        _ if !bare_origin(a) => (a, position(last), None),
        _ => return None,
    };
    if filename.is_empty() {
        return None;
    }
    Some(Loc { filename: Cow::Borrowed(filename), lineno, colno, wasm: None })
}

/// `("url", "12")` for `url:12`.
fn split_digits(s: &str) -> Option<(&str, &str)> {
    let (s, d) = crate::text::rsplit_once_byte(s, b':')?;
    if !crate::text::all_digits(d) {
        return None;
    }
    Some((s, d))
}

/// `http://host` with no port and no path: what is left when a port was taken for a
/// line number, never a script URL.
fn bare_origin(s: &str) -> bool {
    match crate::text::split_once(s, "://") {
        Some((_, h)) => !crate::text::has_any(h, b"/:"),
        None => false,
    }
}

/// A plain decimal `u32`; signs, spaces and overflow are rejected.
pub(super) fn number(s: &str) -> Option<u32> {
    if s.len() > 10 {
        return None;
    }
    // `digits_value` takes digits only, and no empty text.
    u32::try_from(crate::text::digits_value(s)?).ok()
}

/// A line or column: 1-based, so `0` is no position.
pub(super) fn position(s: &str) -> Option<u32> {
    number(s).filter(|&n| n > 0)
}

/// Whether `s` starts with a URL scheme and `:` (`http:`, `chrome-extension:`, `node:`),
/// returning the scheme.
pub(super) fn scheme(s: &str) -> Option<&str> {
    let (sch, _) = crate::text::split_once_byte(s, b':')?;
    let mut bytes = sch.bytes();
    let ok = bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        && sch.len() > 1; // `C:` is a drive letter
    ok.then_some(sch)
}

/// Firefox eval chains: `http://x/app.js line 10 > eval line 2 > Function:1:1` points
/// at line 10 of `http://x/app.js`, the code that ran the eval. Also returns whether the
/// chain contains an `eval` (Sentry then names an unnamed frame `eval`).
pub(super) fn gecko_eval_chain(loc: &str) -> Option<(Loc<'_>, bool)> {
    if !crate::text::contains(loc, " > ") {
        return None;
    }
    let (url, after) = crate::text::split_once(loc, " line ")?;
    let lineno = position(crate::text::before_any(after, b" "))?;
    let is_eval = crate::text::contains(after, " > eval");
    Some((Loc { filename: Cow::Borrowed(url), lineno: Some(lineno), colno: None, wasm: None }, is_eval))
}

/// `eval at f (eval at g (http://x/app.js:10:5), <anonymous>:1:1), <anonymous>:2:3`:
/// the location of the outermost real script, or failing that the eval's own position.
pub(super) fn v8_eval_origin(loc: &str) -> Option<Loc<'_>> {
    let mut cur = loc;
    for _ in 0..MAX_EVAL_DEPTH {
        let Some(origin) = cur.strip_prefix("eval at ") else { break };
        let inner = match crate::text::find(origin, " (") {
            Some(open) => match crate::text::split_around(origin, open, 1).and_then(|(_, group)| paren_body(group)) {
                Some(inner) => inner,
                None => break,
            },
            // `eval at url:line:col, <anonymous>:1:1`
            None => crate::text::split_once(origin, ", ").map_or(origin, |(a, _)| a),
        };
        if inner.starts_with("eval at ") {
            cur = inner;
            continue;
        }
        if let Some(l) = line_col(crate::text::trim(inner)) {
            return Some(l);
        }
        break;
    }
    // The eval's own position: what follows the last `, `.
    let (_, last) = crate::text::split_around(loc, crate::text::rfind(loc, ", ")?, 2)?;
    line_col(crate::text::trim(last))
}

/// For `s` starting with `(`, the text up to its matching `)`.
pub(super) fn paren_body(s: &str) -> Option<&str> {
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

/// For `s` ending with `)`, the byte index of the `(` that matches it.
pub(super) fn last_group_start(s: &str) -> Option<usize> {
    let (b, mut i, mut depth) = (s.as_bytes(), s.len(), 0usize);
    while i > 0 {
        i -= 1;
        match b[i] {
            b')' => depth += 1,
            b'(' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Whether every `(` in `s` is closed and no `)` comes first.
pub(super) fn balanced(s: &str) -> bool {
    let mut depth = 0usize;
    for b in s.bytes() {
        match b {
            b'(' => depth += 1,
            b')' => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return false,
            },
            _ => {}
        }
    }
    depth == 0
}
