//! SpiderMonkey (Firefox) and JavaScriptCore (Safari, React Native on JSC) frame lines:
//! `function@location`, Firefox ≤ 13's `function(args)@location`, and JSC's bare
//! `location` lines for anonymous functions.

use super::loc::{self, gecko_eval_chain, line_col, scheme, wasm_location, Loc};
use super::{Engine, Raw};

/// Parses one trimmed line that does not start with `at `.
pub(super) fn parse(line: &str) -> Option<Raw<'_>> {
    if line == "[native code]" {
        return Some(raw(None, Loc::file(line), false));
    }
    let Some((name, text)) = crate::text::split_once_byte(line, b'@') else { return bare(line) };
    let text = crate::text::trim(text);
    // Guards against message lines such as `Error: write to a@b.example:25`: engine
    // names have at most one space (`global code`, `get size`).
    if crate::text::contains(name, ": ") || crate::text::pieces(name, b' ') > 2 {
        return None;
    }
    let function = strip_arguments(crate::text::trim(name));
    let mut eval = false;
    let l = match text {
        "[native code]" | "[wasm code]" => Loc::file(text),
        _ => {
            if let Some(d) = loc::data_uri(text) {
                d
            } else if let Some((prefix, inner)) = safari_extension_text(text) {
                super::prefixed(prefix, line_col(inner)?)
            } else if let Some(w) = wasm_location(text) {
                w
            } else if let Some((l, is_eval)) = gecko_eval_chain(text) {
                eval = is_eval;
                l
            } else {
                let l = line_col(text)?;
                // Engines write URLs and paths; `debugger eval code:1:1` (Firefox's console)
                // and other bare names are not read, as Sentry does not read them.
                if !located(&l.filename) {
                    return None;
                }
                l
            }
        }
    };
    Some(raw(function, l, eval))
}

fn raw<'a>(function: Option<&'a str>, loc: Loc<'a>, eval: bool) -> Raw<'a> {
    Raw { function, loc, engine: Engine::Gecko, eval }
}

/// Firefox ≤ 13 wrote the arguments: `foo()`, `bar(2)`, `(null)`; Sentry keeps the name.
fn strip_arguments(name: &str) -> Option<&str> {
    let name = match crate::text::split_once_byte(name, b'(') {
        Some((before, _)) if name.ends_with(")") => before,
        _ => name,
    };
    let name = crate::text::trim(name);
    (!name.is_empty()).then_some(name)
}

/// `safari-extension:(//ID/path/file.js:10:2)`: the scheme with its colon, and the text
/// inside the parentheses.
fn safari_extension_text(text: &str) -> Option<(&str, &str)> {
    for prefix in crate::text::split_byte("safari-extension:|safari-web-extension:", b'|') {
        let Some(rest) = text.strip_prefix(prefix) else { continue };
        if let Some(rest) = rest.strip_prefix("(") {
            return Some((prefix, rest.strip_suffix(")")?));
        }
    }
    None
}

/// JavaScriptCore writes anonymous functions as a bare `http://host/file.js:48:22`.
/// Only a whole line with no spaces that is a URL, an absolute path or a React Native
/// bundle, and has a line number, is taken.
fn bare(line: &str) -> Option<Raw<'_>> {
    if crate::text::has_space(line) {
        return None;
    }
    if let Some((prefix, inner)) = safari_extension_text(line) {
        return Some(raw(None, super::prefixed(prefix, line_col(inner)?), false));
    }
    let l = line_col(line)?;
    l.lineno?;
    if !located(&l.filename) {
        return None;
    }
    Some(raw(None, l, false))
}

/// A file as JavaScriptCore and SpiderMonkey name it: a URL, an absolute path, or a
/// React Native bundle (`index.android.bundle`, a RAM bundle's `42.js`).
fn located(f: &str) -> bool {
    let url = scheme(f).is_some() && crate::text::contains(f, ":/");
    url || f.starts_with("/") || f.ends_with("bundle") || numbered_js(f)
}

/// `42.js`: a React Native RAM bundle's module file.
fn numbered_js(f: &str) -> bool {
    let base = crate::text::after_last_any(f, b"/\\");
    base.strip_suffix(".js").is_some_and(crate::text::all_digits)
}
