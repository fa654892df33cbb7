//! The one JSON reader: a pull tokenizer over JSON text the shim made with
//! `JSON.stringify` (capture input, scope values, options, events returned by host
//! callbacks). It builds no tree: strings and numbers are borrowed slices of the input,
//! unescaped only when asked, so copying a value through costs no allocation.
//!
//! Every input is checked against the JSON grammar; nesting deeper than [`MAX_DEPTH`] is
//! an error, never a stack overflow (the reader keeps its own stack). Native tests and
//! fuzzing compare it with serde_json.

use std::borrow::Cow;

use crate::text::part;

/// Deepest nesting accepted. The shim's normaliser cuts user data far shallower; this
/// only bounds what a hostile or broken host could hand in.
pub const MAX_DEPTH: usize = 128;

/// [`Error::what`] of a text nested deeper than [`MAX_DEPTH`].
pub const TOO_DEEP: &str = "nested too deeply";

/// [`Error::what`] of every other error: the text breaks the JSON grammar.
pub const BAD_SYNTAX: &str = "bad syntax";

/// Why a text is not the JSON the reader expected; `at` is a byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Error {
    /// Byte offset of the problem.
    pub at: usize,
    /// What was wrong: [`TOO_DEEP`] for nesting past [`MAX_DEPTH`], else [`BAD_SYNTAX`].
    /// No caller shows more than that (the `scrub` option's text is part of the options
    /// text, validated before), so the grammar rule broken is not named.
    pub what: &'static str,
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.what)?;
        f.write_str(" at byte ")?;
        let mut b = Vec::new();
        super::write::uint(&mut b, self.at as u64);
        f.write_str(std::str::from_utf8(&b).unwrap_or("?"))
    }
}

/// A string token: the text between the quotes, escapes still in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Str<'a> {
    raw: &'a str,
    escaped: bool,
}

impl<'a> Str<'a> {
    /// The text between the quotes, exactly as in the input (valid escaped JSON).
    pub fn raw(&self) -> &'a str {
        self.raw
    }

    /// True when the raw text contains escapes.
    pub fn has_escapes(&self) -> bool {
        self.escaped
    }

    /// The string's value, unescaped (borrowed when it has no escapes).
    pub fn text(&self) -> Cow<'a, str> {
        if self.escaped {
            Cow::Owned(unescape(self.raw))
        } else {
            Cow::Borrowed(self.raw)
        }
    }

    /// Compares the value with `s` without allocating when there are no escapes.
    pub fn is(&self, s: &str) -> bool {
        if self.escaped {
            unescape(self.raw) == s
        } else {
            self.raw == s
        }
    }

    /// Writes the string, quoted, as valid JSON (a straight copy of the input).
    pub fn write(&self, out: &mut Vec<u8>) {
        out.push(b'"');
        out.extend_from_slice(self.raw.as_bytes());
        out.push(b'"');
    }
}

/// One token of the input.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Token<'a> {
    /// `{`
    ObjStart,
    /// `}`
    ObjEnd,
    /// `[`
    ArrStart,
    /// `]`
    ArrEnd,
    /// An object key (the `:` after it is consumed).
    Key(Str<'a>),
    /// A string value.
    Str(Str<'a>),
    /// A number, as written (valid JSON number grammar).
    Num(&'a str),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// A value (the root, after a key, after `[`'s first position or a `,` in an array).
    Value,
    /// A value or `]` (right after `[`).
    ValueOrEnd,
    /// A key or `}` (right after `{`).
    KeyOrEnd,
    /// A key (after `,` in an object).
    Key,
    /// `,` or the container's end.
    CommaOrEnd,
    /// The root value is complete.
    Done,
}

/// The pull tokenizer. Call [`Reader::next`] until it returns `Ok(None)`.
pub struct Reader<'a> {
    src: &'a str,
    pos: usize,
    /// Open containers: `true` for objects.
    stack: Vec<bool>,
    expect: Expect,
}

impl<'a> Reader<'a> {
    /// A reader over one JSON text holding a single value (one routine for its many sites).
    #[inline(never)]
    pub fn new(src: &'a str) -> Reader<'a> {
        Reader { src, pos: 0, stack: Vec::new(), expect: Expect::Value }
    }

    /// Nesting depth of the last token read (0 at the root).
    pub fn depth(&self) -> usize {
        self.stack.len()
    }

    /// Byte offset just after the last token read.
    pub fn offset(&self) -> usize {
        self.pos
    }

    fn err<T>(&self) -> Result<T, Error> {
        Err(Error { at: self.pos, what: BAD_SYNTAX })
    }

    fn skip_ws(&mut self) {
        let b = self.src.as_bytes();
        while self.pos < b.len() && matches!(b[self.pos], b' ' | b'\t' | b'\n' | b'\r') {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.src.as_bytes().get(self.pos).copied()
    }

    /// The next token, `Ok(None)` at the end of a complete text.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Option<Token<'a>>, Error> {
        self.skip_ws();
        match self.expect {
            Expect::Done => {
                return if self.pos == self.src.len() { Ok(None) } else { self.err() };
            }
            Expect::CommaOrEnd => {
                let in_obj = self.stack.last() == Some(&true);
                match self.peek() {
                    Some(b',') => {
                        self.pos += 1;
                        self.skip_ws();
                        self.expect = if in_obj { Expect::Key } else { Expect::Value };
                    }
                    Some(b'}') if in_obj => return Ok(Some(self.close(Token::ObjEnd))),
                    Some(b']') if !in_obj => return Ok(Some(self.close(Token::ArrEnd))),
                    _ => return self.err(),
                }
            }
            _ => {}
        }
        match self.expect {
            Expect::KeyOrEnd | Expect::Key => {
                match self.peek() {
                    Some(b'}') if self.expect == Expect::KeyOrEnd => return Ok(Some(self.close(Token::ObjEnd))),
                    Some(b'"') => {}
                    _ => return self.err(),
                }
                let key = self.string()?;
                self.skip_ws();
                if self.peek() != Some(b':') {
                    return self.err();
                }
                self.pos += 1;
                self.expect = Expect::Value;
                Ok(Some(Token::Key(key)))
            }
            Expect::ValueOrEnd if self.peek() == Some(b']') => Ok(Some(self.close(Token::ArrEnd))),
            _ => self.value_token().map(Some),
        }
    }

    fn close(&mut self, t: Token<'a>) -> Token<'a> {
        self.pos += 1;
        self.stack.pop();
        self.after_value();
        t
    }

    fn after_value(&mut self) {
        self.expect = if self.stack.is_empty() { Expect::Done } else { Expect::CommaOrEnd };
    }

    fn open(&mut self, obj: bool) -> Result<Token<'a>, Error> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(Error { at: self.pos, what: TOO_DEEP });
        }
        self.pos += 1;
        self.stack.push(obj);
        self.expect = if obj { Expect::KeyOrEnd } else { Expect::ValueOrEnd };
        Ok(if obj { Token::ObjStart } else { Token::ArrStart })
    }

    fn value_token(&mut self) -> Result<Token<'a>, Error> {
        let t = match self.peek() {
            Some(b'{') => return self.open(true),
            Some(b'[') => return self.open(false),
            Some(b'"') => Token::Str(self.string()?),
            Some(b't') => self.literal(b"true", Token::Bool(true))?,
            Some(b'f') => self.literal(b"false", Token::Bool(false))?,
            Some(b'n') => self.literal(b"null", Token::Null)?,
            Some(b'-' | b'0'..=b'9') => Token::Num(self.number()?),
            _ => return self.err(),
        };
        self.after_value();
        Ok(t)
    }

    fn literal(&mut self, word: &[u8], t: Token<'a>) -> Result<Token<'a>, Error> {
        if self.src.as_bytes()[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(t)
        } else {
            self.err()
        }
    }

    fn number(&mut self) -> Result<&'a str, Error> {
        let b = self.src.as_bytes();
        let start = self.pos;
        let mut i = self.pos;
        let digits = |i: &mut usize| {
            let s = *i;
            while *i < b.len() && b[*i].is_ascii_digit() {
                *i += 1;
            }
            *i - s
        };
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        match b.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => {
                digits(&mut i);
            }
            _ => return self.err(),
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            if digits(&mut i) == 0 {
                self.pos = i;
                return self.err();
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            if digits(&mut i) == 0 {
                self.pos = i;
                return self.err();
            }
        }
        self.pos = i;
        Ok(part(self.src, start, i))
    }

    fn string(&mut self) -> Result<Str<'a>, Error> {
        let b = self.src.as_bytes();
        let start = self.pos + 1;
        let mut i = start;
        let mut escaped = false;
        loop {
            match b.get(i) {
                None => {
                    self.pos = i;
                    return self.err();
                }
                Some(b'"') => break,
                Some(b'\\') => {
                    escaped = true;
                    match b.get(i + 1) {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => i += 2,
                        Some(b'u') if b.len() >= i + 6 && b[i + 2..i + 6].iter().all(u8::is_ascii_hexdigit) => i += 6,
                        _ => {
                            self.pos = i;
                            return self.err();
                        }
                    }
                }
                Some(0..=0x1f) => {
                    self.pos = i;
                    return self.err();
                }
                Some(_) => i += 1,
            }
        }
        self.pos = i + 1;
        Ok(Str { raw: part(self.src, start, i), escaped })
    }

    /// True when the next character closes the innermost container (`]` or `}`).
    pub fn at_end(&mut self) -> bool {
        self.skip_ws();
        matches!(self.peek(), Some(b']' | b'}'))
    }

    /// Consumes the value that comes next (call where a value is expected, e.g. after a
    /// key) and returns its raw text. Depth is bounded as for [`Reader::next`].
    pub fn value_text(&mut self) -> Result<&'a str, Error> {
        self.skip_ws();
        if self.expect == Expect::CommaOrEnd && self.peek() == Some(b',') && self.stack.last() == Some(&false) {
            self.pos += 1;
            self.skip_ws();
            self.expect = Expect::Value;
        }
        let start = self.pos;
        self.skip()?;
        Ok(part(self.src, start, self.pos))
    }

    /// Consumes the value that comes next, however deep.
    pub fn skip(&mut self) -> Result<(), Error> {
        self.skip_to(self.stack.len())
    }

    /// Reads tokens until a value or a closing leaves `depth` containers open (the
    /// reader's own count: one per `{` or `[` read and not yet closed).
    fn skip_to(&mut self, depth: usize) -> Result<(), Error> {
        loop {
            match self.next()? {
                None => return self.err(),
                Some(Token::ObjStart | Token::ArrStart | Token::Key(_)) => {}
                Some(_) if self.stack.len() == depth => return Ok(()),
                Some(_) => {}
            }
        }
    }

    /// Checks that the rest of the text is complete JSON (after the last value was read).
    pub fn finish(&mut self) -> Result<(), Error> {
        match self.next()? {
            None => Ok(()),
            Some(_) => self.err(),
        }
    }

    /// Consumes the rest of the container whose `{` or `[` was just read; the container's
    /// whole text is then `src[offset_after_the_opening - 1 .. self.offset()]`.
    pub fn skip_rest(&mut self) -> Result<(), Error> {
        // (Closed when the container's count drops by one; with none open, the text's end
        // is an error, as any `}` or `]` is.)
        self.skip_to(self.stack.len().wrapping_sub(1))
    }
}

/// The members of the JSON object `raw` as (key, raw value text); `None` when `raw` is
/// not a valid object.
pub fn members(raw: &str) -> Option<Vec<(Str<'_>, &str)>> {
    let mut r = Reader::new(raw);
    if !matches!(r.next().ok()?, Some(Token::ObjStart)) {
        return None;
    }
    let mut out = Vec::new();
    loop {
        match r.next().ok()? {
            Some(Token::Key(k)) => out.push((k, r.value_text().ok()?)),
            Some(Token::ObjEnd) => break,
            _ => return None,
        }
    }
    r.finish().ok()?;
    Some(out)
}

/// Checks that `text` is exactly one valid JSON value.
pub fn validate(text: &str) -> Result<(), Error> {
    let mut r = Reader::new(text);
    r.skip()?;
    r.finish()
}

/// Unescapes the raw body of a JSON string (already validated by the reader). Lone
/// surrogates become U+FFFD.
pub fn unescape(raw: &str) -> String {
    let b = raw.as_bytes();
    let mut out = String::with_capacity(raw.len());
    let mut i = 0;
    let mut start = 0;
    while i < b.len() {
        if b[i] != b'\\' {
            i += 1;
            continue;
        }
        out.push_str(part(raw, start, i));
        let c = b.get(i + 1).copied().unwrap_or(b'\\');
        i += 2;
        match c {
            b'b' => out.push('\u{8}'),
            b'f' => out.push('\u{c}'),
            b'n' => out.push('\n'),
            b'r' => out.push('\r'),
            b't' => out.push('\t'),
            b'u' => {
                let hi = hex4(b, i);
                i += 4;
                let ch = if (0xd800..0xdc00).contains(&hi) && b.get(i) == Some(&b'\\') && b.get(i + 1) == Some(&b'u') {
                    let lo = hex4(b, i + 2);
                    if (0xdc00..0xe000).contains(&lo) {
                        i += 6;
                        char::from_u32(0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00))
                    } else {
                        None
                    }
                } else {
                    char::from_u32(hi)
                };
                out.push(ch.unwrap_or('\u{fffd}'));
            }
            other => out.push(other as char),
        }
        start = i;
    }
    out.push_str(part(raw, start.min(raw.len()), raw.len()));
    out
}

fn hex4(b: &[u8], i: usize) -> u32 {
    let mut v = 0u32;
    for k in 0..4 {
        // The reader checked the four digits; a missing one counts as 0.
        v = v * 16 + b.get(i + k).and_then(|&c| crate::text::hex_val(c)).unwrap_or(0) as u32;
    }
    v
}

/// Parses a JSON number token as f64 without the standard library's float parser (it
/// costs 14 KB of gzipped wasm): exact for integers up to 2^53 and for decimals with up to
/// 15 significant digits, which is all options and limits need.
pub fn number(text: &str) -> Option<f64> {
    let b = text.as_bytes();
    let mut i = 0;
    let neg = b.first() == Some(&b'-');
    if neg {
        i += 1;
    }
    let mut mant: u64 = 0;
    let mut exp: i32 = 0;
    let mut digits = 0;
    // The integer and fraction digits in one loop: past 18 significant digits an integer
    // digit only raises the exponent and a fraction digit is dropped.
    let mut frac = false;
    loop {
        match b.get(i) {
            Some(&d) if d.is_ascii_digit() => {
                if digits < 18 {
                    mant = mant * 10 + (d - b'0') as u64;
                    exp -= i32::from(frac);
                    if mant > 0 {
                        digits += 1;
                    }
                } else if !frac {
                    exp += 1;
                }
            }
            Some(b'.') if !frac => frac = true,
            _ => break,
        }
        i += 1;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        let eneg = b.get(i) == Some(&b'-');
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let mut e: i32 = 0;
        while i < b.len() && b[i].is_ascii_digit() {
            e = e.saturating_mul(10).saturating_add((b[i] - b'0') as i32);
            i += 1;
        }
        exp = exp.saturating_add(if eneg { -e } else { e });
    }
    if i != b.len() || i == usize::from(neg) {
        return None;
    }
    let mut v = mant as f64;
    if exp > 0 {
        for _ in 0..exp.min(400) {
            v *= 10.0;
        }
    } else {
        // Dividing by an exact power of ten keeps short decimals exact (0.1 → 0.1). Past
        // 10^-420 every mantissa (< 10^19) is 0, so longer exponents are not looped over.
        let mut e = exp.saturating_neg().min(420);
        while e > 0 {
            // 10^step, exact up to 10^22, by multiplying (no `powi`, whose helper is
            // linked for this alone).
            let step = e.min(22);
            let mut p = 1.0;
            for _ in 0..step {
                p *= 10.0;
            }
            v /= p;
            e -= step;
        }
    }
    Some(if neg { -v } else { v })
}

/// The members of the JSON object `text` as `(key, raw value text)`, in order, keys
/// unescaped. None when `text` is not an object (or not valid JSON).
pub fn fields(text: &str) -> Option<Vec<(Cow<'_, str>, &str)>> {
    Some(members(text)?.into_iter().map(|(k, v)| (k.text(), v)).collect())
}

/// The elements of the JSON array `text` as raw value texts. None when not an array.
pub fn elements(text: &str) -> Option<Vec<&str>> {
    let mut r = Reader::new(text);
    if !matches!(r.next().ok()?, Some(Token::ArrStart)) {
        return None;
    }
    let mut out = Vec::new();
    // A `}` here is refused by `next` as it would be by `value_text`.
    while !r.at_end() {
        out.push(r.value_text().ok()?);
    }
    r.next().ok()?;
    r.finish().ok()?;
    Some(out)
}

/// The raw text of member `key` of the JSON object `text` (first match), if any.
pub fn field<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    let [v] = pick(text, &[key]);
    v
}

/// The raw values of several members of the object `text`, read in one pass that stops
/// once every key is found (first match per key; None where absent or when `text` is not
/// an object). The keys come by reference, so a list of literals is one constant, not
/// built on the stack at each call.
pub fn pick<'a, const N: usize>(text: &'a str, keys: &[&str; N]) -> [Option<&'a str>; N] {
    let mut out = [None; N];
    pick_into(text, keys, &mut out);
    out
}

/// [`pick`] for any number of keys (one copy of the code for all of them).
#[inline(never)]
fn pick_into<'a>(text: &'a str, keys: &[&str], out: &mut [Option<&'a str>]) {
    let mut r = Reader::new(text);
    if !matches!(r.next().ok().flatten(), Some(Token::ObjStart)) {
        return;
    }
    while let Ok(Some(Token::Key(k))) = r.next() {
        let Ok(v) = r.value_text() else { break };
        let mut i = 0;
        while i < keys.len() && !k.is(keys[i]) {
            i += 1;
        }
        if i < keys.len() {
            if let Some(slot) = out.get_mut(i) {
                slot.get_or_insert(v);
            }
            if out.iter().all(Option::is_some) {
                break;
            }
        }
    }
}

/// Follows object keys from `text`; the raw text found at the end of `path`.
pub fn path<'a>(text: &'a str, keys: &[&str]) -> Option<&'a str> {
    keys.iter().try_fold(text, |t, k| field(t, k))
}

/// The top-level members of a JSON object, read once, so that several lookups do not each
/// read the whole text again (an event's breadcrumbs and extras come before most fields).
pub struct Index<'a> {
    members: Vec<(Cow<'a, str>, &'a str)>,
}

impl<'a> Index<'a> {
    /// Reads the members of `text` (none when it is not an object).
    pub fn of(text: &'a str) -> Index<'a> {
        Index { members: fields(text).unwrap_or_default() }
    }

    /// The members of `text` at the spans its writer recorded (no reading at all).
    pub fn of_spans(text: &'a str, spans: Vec<(Cow<'static, str>, std::ops::Range<usize>)>) -> Index<'a> {
        // (The spans are the writer's own, so each is a cut at character boundaries.)
        Index { members: spans.into_iter().map(|(k, r)| (k, crate::text::part(text, r.start, r.end))).collect() }
    }

    /// The members, in order, as (key, raw value text).
    pub fn members(&self) -> &[(Cow<'a, str>, &'a str)] {
        &self.members
    }

    /// The raw value of member `key`.
    pub fn get(&self, key: &str) -> Option<&'a str> {
        self.members.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
    }

    /// The raw value at `keys`, the first looked up here, the rest inside its value.
    pub fn path(&self, keys: &[&str]) -> Option<&'a str> {
        let (first, rest) = keys.split_first()?;
        path(self.get(first)?, rest)
    }
}

/// The value of a raw JSON string token (`"…"`), unescaped; None for other values.
pub fn string(raw: &str) -> Option<Cow<'_, str>> {
    match Reader::new(raw).next().ok()? {
        Some(Token::Str(s)) => Some(s.text()),
        _ => None,
    }
}

/// [`string`] as an owned `String` (one routine for every reader that keeps the text).
pub fn owned_string(raw: &str) -> Option<String> {
    string(raw).map(Cow::into_owned)
}

/// A raw JSON boolean.
pub fn boolean(raw: &str) -> Option<bool> {
    match crate::text::trim(raw) {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// True when the raw value is `null`.
pub fn is_null(raw: &str) -> bool {
    crate::text::trim(raw) == "null"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_exponents_cost_nothing_more() {
        assert_eq!(number("1e-2147483647"), Some(0.0));
        assert_eq!(number("-1e-99999999999"), Some(-0.0));
        assert_eq!(number("123456789e-400"), Some(0.0));
        assert_eq!(number("1e-320"), Some(1e-320));
        assert_eq!(number("1e400"), Some(f64::INFINITY));
        // Each of these looped ~90 million times before the exponent was capped.
        for _ in 0..1000 {
            assert_eq!(number("1e-2000000000"), Some(0.0));
        }
    }

    /// Rebuilds the input from tokens with the writer: equal to serde_json's reading.
    fn roundtrip(text: &str) -> Result<String, Error> {
        let mut r = Reader::new(text);
        let mut out = Vec::new();
        let mut need_comma = vec![false];
        while let Some(t) = r.next()? {
            let top = need_comma.len() - 1;
            let is_end = matches!(t, Token::ObjEnd | Token::ArrEnd);
            let after_key = out.last() == Some(&b':');
            if !is_end && !after_key && need_comma[top] {
                out.push(b',');
            }
            match t {
                Token::ObjStart => out.push(b'{'),
                Token::ArrStart => out.push(b'['),
                Token::ObjEnd => out.push(b'}'),
                Token::ArrEnd => out.push(b']'),
                Token::Key(k) => {
                    super::super::write::string(&mut out, &k.text());
                    out.push(b':');
                }
                Token::Str(s) => super::super::write::string(&mut out, &s.text()),
                Token::Num(n) => out.extend_from_slice(n.as_bytes()),
                Token::Bool(b) => super::super::write::boolean(&mut out, b),
                Token::Null => out.extend_from_slice(b"null"),
            }
            match t {
                Token::ObjStart | Token::ArrStart => need_comma.push(false),
                Token::ObjEnd | Token::ArrEnd => {
                    need_comma.pop();
                    let top = need_comma.len() - 1;
                    need_comma[top] = true;
                }
                Token::Key(_) => {}
                _ => need_comma[top] = true,
            }
        }
        Ok(String::from_utf8(out).unwrap())
    }

    #[test]
    fn agrees_with_serde_json() {
        let cases = [
            r#"{"a":1,"b":[true,false,null,"x\"y\\z\n\u00e9\ud83c\udf89"],"c":{},"d":[],"e":-0.5e-3}"#,
            r#"  [ 1 , 2 , [ [ ] ] , { "k" : "v" } ]  "#,
            r#""just a string""#,
            "0",
            "-12.5E+2",
            r#"{"lone":"\ud800 and \udc00"}"#,
            r#"{"slash":"a\/b"}"#,
        ];
        for c in cases {
            let ours = roundtrip(c).unwrap_or_else(|e| panic!("{c}: {e}"));
            let a: serde_json::Value = serde_json::from_str(&ours).unwrap();
            let b: serde_json::Value = serde_json::from_str(c).unwrap_or_else(|_| a.clone());
            assert_eq!(a, b, "{c}");
        }
    }

    #[test]
    fn rejects_what_serde_json_rejects() {
        let bad = [
            "", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "01", "1.", ".5", "-", "1e", "tru", "nul",
            "\"unterminated", "\"bad \\x escape\"", "\"\\u12\"", "\"ctl \u{1} char\"", "[1] 2", "{\"a\":1}}", "[\"a\":1]",
            "{\"a\"}", "[,1]", "NaN", "Infinity",
        ];
        for c in bad {
            assert!(validate(c).is_err(), "accepted {c:?}");
            assert!(serde_json::from_str::<serde_json::Value>(c).is_err(), "serde_json accepts {c:?}");
        }
    }

    #[test]
    fn depth_is_bounded_without_recursion() {
        let deep = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(validate(&deep).is_ok());
        let too_deep = "[".repeat(100_000) + &"]".repeat(100_000);
        let e = validate(&too_deep).unwrap_err();
        assert_eq!(e.what, "nested too deeply");
    }

    #[test]
    fn value_text_and_skip() {
        let text = r#"{"a":{"x":[1,{"y":2}]},"b":"s","c":3}"#;
        let mut r = Reader::new(text);
        assert_eq!(r.next().unwrap(), Some(Token::ObjStart));
        let Some(Token::Key(k)) = r.next().unwrap() else { panic!() };
        assert!(k.is("a"));
        assert_eq!(r.value_text().unwrap(), r#"{"x":[1,{"y":2}]}"#);
        let Some(Token::Key(k)) = r.next().unwrap() else { panic!() };
        assert!(k.is("b"));
        r.skip().unwrap();
        let Some(Token::Key(_)) = r.next().unwrap() else { panic!() };
        assert_eq!(r.value_text().unwrap(), "3");
        assert_eq!(r.next().unwrap(), Some(Token::ObjEnd));
        r.finish().unwrap();
    }

    #[test]
    fn members_elements_and_skip_rest() {
        let m = members(r#" {"a": [1, {"b": 2}], "c\"d": "x" } "#).unwrap();
        assert_eq!(m.len(), 2);
        assert!(m[0].0.is("a") && m[1].0.is("c\"d"));
        assert_eq!((m[0].1, m[1].1), (r#"[1, {"b": 2}]"#, r#""x""#));
        assert_eq!(elements(r#"[ ["a","s",0,1] , 5,"x" ,{"k":[1]}]"#).unwrap(), vec![r#"["a","s",0,1]"#, "5", "\"x\"", r#"{"k":[1]}"#]);
        assert_eq!(elements("[]").unwrap(), Vec::<&str>::new());
        assert_eq!(members("{}").unwrap().len(), 0);
        for bad in ["{}", "[1,]", "5", "[1] 2"] {
            assert!(elements(bad).is_none(), "{bad}");
        }
        assert!(members("[]").is_none() && members(r#"{"a":}"#).is_none());
        let mut r = Reader::new(r#"[{"a":[1,2]},3]"#);
        r.next().unwrap();
        assert_eq!(r.next().unwrap(), Some(Token::ObjStart));
        r.skip_rest().unwrap();
        assert_eq!(r.offset(), 12);
        assert_eq!(r.next().unwrap(), Some(Token::Num("3")));
    }

    #[test]
    fn strings_borrow_unless_escaped() {
        let mut r = Reader::new(r#"["plain","esc\taped"]"#);
        r.next().unwrap();
        let Some(Token::Str(a)) = r.next().unwrap() else { panic!() };
        assert!(matches!(a.text(), Cow::Borrowed("plain")));
        let Some(Token::Str(b)) = r.next().unwrap() else { panic!() };
        assert_eq!(b.text(), "esc\taped");
        assert_eq!(b.raw(), "esc\\taped");
        let mut out = Vec::new();
        b.write(&mut out);
        assert_eq!(serde_json::from_slice::<String>(&out).unwrap(), "esc\taped");
    }

    #[test]
    fn numbers_parse_without_the_float_parser() {
        for (t, v) in [("0", 0.0), ("1", 1.0), ("-2.5", -2.5), ("0.1", 0.1), ("0.25", 0.25), ("1e3", 1000.0), ("12.5e-1", 1.25), ("9007199254740993", 9007199254740992.0)] {
            assert_eq!(number(t), Some(v), "{t}");
        }
        assert_eq!(number("1e999"), Some(f64::INFINITY));
        assert_eq!(number(""), None);
        assert_eq!(number("-"), None);
        assert_eq!(number("1x"), None);
    }

    #[test]
    fn object_and_array_helpers() {
        let text = r#" {"a": [1, "x", {"b": null}], "c\u0041": {"d": "e"}, "f": true} "#;
        let f = fields(text).unwrap();
        assert_eq!(f.iter().map(|(k, _)| k.as_ref()).collect::<Vec<_>>(), ["a", "cA", "f"]);
        assert_eq!(elements(field(text, "a").unwrap()).unwrap(), ["1", "\"x\"", r#"{"b": null}"#]);
        assert_eq!(path(text, &["cA", "d"]).and_then(string).as_deref(), Some("e"));
        assert_eq!(field(text, "f").and_then(boolean), Some(true));
        assert!(path(text, &["a", "b"]).is_none());
        assert_eq!(elements("[]").unwrap().len(), 0);
        for bad in ["", "[1,]", "{\"a\":}", "[1] 2", "{\"a\":1,}"] {
            assert!(fields(bad).is_none() && elements(bad).is_none(), "{bad}");
        }
        assert!(is_null(" null ") && !is_null("0"));
    }
}
