//! V8-style frame lines, `at function (location)` and `at location`: Chrome, Edge,
//! Opera ≥ 15, Node, workerd, Hermes (React Native), and legacy IE / EdgeHTML, which
//! write the same shape.

use super::loc::{self, balanced, last_group_start, line_col, v8_eval_origin, wasm_location, Loc};
use super::{Engine, Raw};

/// Parses the text after `at `.
pub(super) fn parse(rest: &str) -> Option<Raw<'_>> {
    let rest = crate::text::trim(rest);
    // `fn (data:text/javascript,…source…)`: the source may hold any parentheses.
    if let Some(i) = crate::text::find(rest, "(data:") {
        let (before, after) = crate::text::split_around(rest, i, 1)?;
        return Some(raw(name(before), loc::data_uri(after)?));
    }
    if let Some(loc) = loc::data_uri(strip_async(rest)) {
        return Some(raw(None, loc));
    }
    if rest.ends_with(")") {
        if let Some((function, text)) = split_last_group(rest) {
            if let Some(l) = location(text) {
                let (function, l) = super::safari_extension(function, l);
                return Some(raw(function, l));
            }
        }
    }
    anonymous(rest).map(|l| raw(None, l))
}

fn raw<'a>(function: Option<&'a str>, loc: Loc<'a>) -> Raw<'a> {
    Raw { function, loc, engine: Engine::V8, eval: false }
}

fn name(s: &str) -> Option<&str> {
    let s = crate::text::trim(s);
    (!s.is_empty()).then_some(s)
}

fn strip_async(s: &str) -> &str {
    s.strip_prefix("async ").unwrap_or(s)
}

/// `name (location)` or `name(location)`: the location is the LAST parenthesised group,
/// so a C++ name holding ` (` (`MethodInvoker<int (C::*)(int)>::invoke(…) (url)`) stays
/// whole, and parentheses inside a URL (`copy (1).js`, eval origins) stay in the location.
/// When that would leave the name with an unclosed `(`, the first ` (` is taken instead.
fn split_last_group(rest: &str) -> Option<(Option<&str>, &str)> {
    let body = rest.strip_suffix(")")?;
    if let Some(i) = last_group_start(rest) {
        let (before, after) = crate::text::split_around(body, i, 1)?;
        if balanced(before) {
            return Some((name(before), after));
        }
    }
    let (before, after) = crate::text::split_once(body, " (")?;
    Some((name(before), after))
}

/// The location inside the parentheses; `None` when it does not look like one.
fn location(text: &str) -> Option<Loc<'_>> {
    let mut t = crate::text::trim(text);
    // Hermes: `(address at index.android.bundle:1:31561)`.
    t = t.strip_prefix("address at ").unwrap_or(t);
    t = strip_async(t);
    // webpack's `(error: (/chunks/app.js))` wrapper.
    if let Some(inner) = t.strip_prefix("error: (").and_then(|s| s.strip_suffix(")")) {
        t = crate::text::trim(inner);
    }
    if t.starts_with("eval at ") {
        return v8_eval_origin(t);
    }
    match t {
        "native" | "native code" | "<anonymous>" | "unknown location" => return Some(Loc::file(t)),
        _ => {}
    }
    if let Some(n) = t.strip_prefix("index ") {
        // `Promise.all (index 0)`: no source location; Sentry keeps the text as the file.
        return loc::number(n).map(|_| Loc::file(t));
    }
    if let Some(w) = wasm_location(t) {
        return Some(w);
    }
    if let Some(l) = line_col(t) {
        return Some(l);
    }
    // A file without a position: `at fn (/path/to/file.js)`.
    let pathlike = crate::text::has_any(t, b"/\\") || (crate::text::contains_byte(t, b'.') && !crate::text::has_space(t));
    let origin_only = match crate::text::split_once(t, "://") {
        Some((_, host)) => !crate::text::contains_byte(host, b'/'),
        None => false,
    };
    (pathlike && !origin_only && !t.starts_with("(")).then(|| Loc::file(t))
}

/// `at url:line:col`, `at async url:line:col`, `at <anonymous>`, `at wasm://…`.
fn anonymous(rest: &str) -> Option<Loc<'_>> {
    let t = strip_async(rest);
    // `at f (url:1:2` with its `)` cut off is not an anonymous frame at `f (url`.
    if let Some((before, _)) = crate::text::split_once(t, " (") {
        if !crate::text::has_any(before, b"/\\:") {
            return None;
        }
    }
    if t.starts_with("eval at ") {
        return v8_eval_origin(t);
    }
    match t {
        "native" | "<anonymous>" => return Some(Loc::file(t)),
        _ => {}
    }
    if let Some(w) = wasm_location(t) {
        return Some(w);
    }
    line_col(t).filter(|l| l.lineno.is_some() || !crate::text::has_space(&l.filename))
}
