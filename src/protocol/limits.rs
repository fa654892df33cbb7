//! The event size cap: no envelope leaves over the server's 1 MiB limit. An event over
//! [`MAX_EVENT_BYTES`] is cut where it is biggest, field by field: the breadcrumbs lose
//! their oldest, any other field the long strings and large containers it holds; then
//! (only if that is not enough) the biggest optional fields are dropped. Every cut is
//! recorded in `_meta`.

use crate::json::read::{Error, Reader, Token};
use crate::json::write as w;

/// Largest event payload written (the rest of the 1 MiB is headroom for headers and
/// `_meta`).
pub const MAX_EVENT_BYTES: usize = 1_000_000;
/// Longest string kept when an event must be trimmed, in characters.
pub const TRIM_STRING_CHARS: usize = 1024;
/// Most elements kept per array or object when an event must be trimmed.
pub const TRIM_ITEMS: usize = 50;

/// The first `max_chars` characters of `s` (all of `s` when it has no more); the one
/// character cutter of the core.
pub(crate) fn cut(s: &str, max_chars: usize) -> &str {
    // A character is at least one byte: no longer in bytes is no longer in characters.
    if s.len() <= max_chars {
        return s;
    }
    // the byte that starts character `max_chars` (every byte but UTF-8's continuation
    // bytes, 0b10xx_xxxx, starts one)
    let mut n = 0;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if (b as i8) >= -0x40 {
            if n == max_chars {
                return crate::text::part(s, 0, i);
            }
            n += 1;
        }
    }
    s
}

/// Copies the JSON value `raw`, cutting strings (and keys) longer than `max_chars`
/// characters and dropping elements past the `max_items`-th of every container.
pub fn trim_json(raw: &str, max_chars: usize, max_items: usize, out: &mut Vec<u8>) -> Result<(), Error> {
    let mut r = Reader::new(raw);
    // (is object, elements seen, elements written)
    let mut stack: Vec<(bool, usize, usize)> = Vec::new();
    let mut after_key = false;
    loop {
        if let Some(top) = stack.last_mut() {
            if !top.0 && !r.at_end() {
                top.1 += 1;
                if top.1 > max_items {
                    r.value_text()?;
                    continue;
                }
            }
        }
        let Some(tok) = r.next()? else { break };
        let value_start = |stack: &mut Vec<(bool, usize, usize)>, after_key: &mut bool, out: &mut Vec<u8>| {
            if *after_key {
                *after_key = false;
            } else if let Some(top) = stack.last_mut() {
                if top.2 > 0 {
                    out.push(b',');
                }
                top.2 += 1;
            }
        };
        match tok {
            Token::ObjStart | Token::ArrStart => {
                value_start(&mut stack, &mut after_key, out);
                let obj = matches!(tok, Token::ObjStart);
                out.push(if obj { b'{' } else { b'[' });
                stack.push((obj, 0, 0));
            }
            Token::ObjEnd | Token::ArrEnd => {
                stack.pop();
                out.push(if matches!(tok, Token::ObjEnd) { b'}' } else { b']' });
            }
            Token::Key(k) => {
                let Some(top) = stack.last_mut() else { break };
                top.1 += 1;
                if top.1 > max_items {
                    r.value_text()?;
                    continue;
                }
                if top.2 > 0 {
                    out.push(b',');
                }
                top.2 += 1;
                let text = k.text();
                w::string(out, cut(&text, max_chars));
                out.push(b':');
                after_key = true;
            }
            Token::Str(s) => {
                value_start(&mut stack, &mut after_key, out);
                let text = s.text();
                if cut(&text, max_chars).len() < text.len() {
                    w::string(out, &super::exception::truncate(&text, max_chars));
                } else {
                    s.write(out);
                }
            }
            Token::Num(n) => {
                value_start(&mut stack, &mut after_key, out);
                out.extend_from_slice(n.as_bytes());
            }
            Token::Bool(b) => {
                value_start(&mut stack, &mut after_key, out);
                w::boolean(out, b);
            }
            Token::Null => {
                value_start(&mut stack, &mut after_key, out);
                w::null(out);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn trim(v: &Value, chars: usize, items: usize) -> Value {
        let mut out = Vec::new();
        trim_json(&v.to_string(), chars, items, &mut out).unwrap();
        serde_json::from_slice(&out).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out)))
    }

    #[test]
    fn trims_strings_keys_and_containers() {
        let v = json!({"a": "x y z w v", "k".repeat(8): 1, "list": [1, [2, 3, 4], {"p": "q", "r": "s", "t": "u"}, 5], "é": "ééééé"});
        let t = trim(&v, 4, 3);
        assert_eq!(t, json!({"a": "x y…", "kkkk": 1, "list": [1, [2, 3, 4], {"p": "q", "r": "s", "t": "u"}], }));
        let small = json!({"a": [1, 2], "b": {"c": null, "d": true}, "e": -1.5e3});
        assert_eq!(trim(&small, 100, 100), small, "small values pass unchanged");
        assert_eq!(trim(&json!([]), 1, 1), json!([]));
        assert_eq!(trim(&json!([[], {}, [[]]]), 1, 2), json!([[], {}]));
        assert_eq!(trim(&json!("abc"), 1, 1), json!("…"));
    }
}
