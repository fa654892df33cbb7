//! The streaming walk: JSON text in, scrubbed JSON bytes out, with no value tree.
//!
//! The text is read with the pull tokenizer (`json::read`) and written as it is read;
//! the path to the current value is a chain of segments, one per level, each held in the
//! walk's own frame for that level, and each value's rules come from its [`Place`] (see
//! `place.rs`). What is not scrubbed is copied byte for byte.
//!
//! `[name, value]` pairs need a look ahead: the value gets the name's key rules only
//! when the array has exactly two elements, so a second reader reads the array ahead to
//! its second element's end before the walk's reader goes on. Keys are
//! scrubbed too (a key may itself be a secret); the value under a replaced key keeps the
//! rules of the key as given, and its remarks the path of the key as sent.
//!
//! The walk recurses once per nesting level; the tokenizer bounds nesting
//! (`json::read::MAX_DEPTH`), so the stack does too.

use std::borrow::Cow;

use super::cards;
use super::config::PiiConfig;
use super::cookies;
use super::meta::{MetaLog, Path, Remark, Seg, NO_LEN};
use super::place::{Kind, Modes, Place};
use super::rule::Rule;
use super::scan;
use super::text;
use crate::json::read::{Reader, Str, Token};
use crate::json::write;

/// Invalid JSON: the error of the walk (and of the thrown-value reader). Where and why are
/// not kept: no caller reads them.
#[derive(Debug)]
pub struct Invalid;

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("invalid JSON")
    }
}

impl From<crate::json::read::Error> for Invalid {
    fn from(_: crate::json::read::Error) -> Invalid {
        Invalid
    }
}

/// A reader and the text it reads (raw copies need both).
struct Src<'a> {
    r: Reader<'a>,
    text: &'a str,
}

impl<'a> Src<'a> {
    fn new(text: &'a str) -> Src<'a> {
        Src { r: Reader::new(text), text }
    }

    fn next(&mut self) -> Result<Token<'a>, Invalid> {
        match self.r.next()? {
            Some(t) => Ok(t),
            None => Err(Invalid),
        }
    }

    /// Consumes the rest of the container just opened and returns its whole text.
    fn rest(&mut self) -> Result<&'a str, Invalid> {
        let start = self.r.offset() - 1;
        self.r.skip_rest()?;
        Ok(crate::text::part(self.text, start, self.r.offset()))
    }

    /// Copies the value that starts with `t`.
    fn copy(&mut self, t: Token<'a>, out: &mut Vec<u8>) -> Result<(), Invalid> {
        match t {
            Token::ObjStart | Token::ArrStart => out.extend_from_slice(self.rest()?.as_bytes()),
            Token::Str(s) => s.write(out),
            Token::Num(n) => out.extend_from_slice(n.as_bytes()),
            Token::Bool(b) => write::boolean(out, b),
            Token::Null => write::null(out),
            Token::Key(_) | Token::ObjEnd | Token::ArrEnd => return Err(Invalid),
        }
        Ok(())
    }
}

/// One walk: configuration and where remarks go.
pub struct Walk<'c> {
    cfg: &'c PiiConfig,
    m: Modes,
    meta: &'c mut MetaLog,
    /// The remarks were written into the event's `_meta` (a whole event).
    pub wrote_meta: bool,
}

/// The scrubbed text of a string at a resolved place, or `None` to keep it.
pub fn leaf(place: &Place, s: &str, cfg: &PiiConfig, m: &Modes) -> Option<(String, Vec<Remark>)> {
    match place {
        Place::Str(mode) => text::scrub_str(s, mode, cfg),
        Place::CookieStr(set_cookie) => match cookies::find(s, *set_cookie, cfg) {
            None => Some(text::whole(Rule::Cookie, cfg)),
            Some(mut hits) => {
                text::find_hits(s, &m.text, cfg, &mut hits);
                text::apply(s, hits, cfg)
            }
        },
        Place::FilterStr(rule) | Place::Removed(rule) => {
            if s.is_empty() || super::scan::literal(s.as_bytes()) {
                None
            } else {
                Some(text::whole(*rule, cfg))
            }
        }
        Place::Keep
        | Place::Event
        | Place::Num(_)
        | Place::Logentry
        | Place::LogentryObj
        | Place::Values(_)
        | Place::ValuesObj(_)
        | Place::List(_)
        | Place::Item(_)
        | Place::Mechanism
        | Place::Stacktrace
        | Place::Request
        | Place::QueryString
        | Place::RequestData
        | Place::Env
        | Place::Pairs(_)
        | Place::PairItem(_)
        | Place::PairValue(..)
        | Place::User
        | Place::IpAddress
        | Place::Contexts
        | Place::Context(_)
        | Place::ContextObj(_)
        | Place::Strings(_)
        | Place::Dsc
        | Place::Data(_)
        | Place::DataObj
        | Place::DataArr
        | Place::Cookies(_)
        | Place::Remove(_) => None,
    }
}

/// An object key as it may be sent: the value rules of free text apply (a key that is a
/// card number, a token, `Bearer …` or a URL with a password or a secret query parameter
/// is replaced), noted as remarks without ranges for the object.
pub fn key_rules(key: &str, cfg: &PiiConfig, m: &Modes) -> Option<(String, Vec<Remark>)> {
    // most keys are short words: no built-in rule can match one (every shape needs a
    // digit, a separator such as `:`, `=`, `@` or a space, or 15 characters)
    let word = |c: u8| c.is_ascii_alphabetic() || matches!(c, b'_' | b'-' | b'.');
    if cfg.value_rules().is_empty() && key.len() < 15 && key.bytes().all(word) {
        return None;
    }
    let (new, remarks) = text::scrub_str(key, &m.text, cfg)?;
    let mut out: Vec<Remark> = Vec::new();
    for &r in &remarks {
        let renamed = Remark::renamed(r.rule);
        if !out.contains(&renamed) {
            out.push(renamed);
        }
    }
    Some((new, out))
}

/// Makes a replaced key unique among the keys replaced in the same object, so two secret
/// keys never become one (`[creditcard]`, `[creditcard] (2)`, …). Past 64 replaced keys
/// every one gets its number, without comparing.
fn unique_key(new: String, renamed: &mut Vec<String>) -> String {
    let n = renamed.len() + 1;
    let key = if n > 64 || renamed.contains(&new) {
        let mut k = new;
        k.push_str(" (");
        scan::push_num(&mut k, n);
        k.push(')');
        k
    } else {
        new
    };
    renamed.push(if n <= 64 { key.clone() } else { String::new() });
    key
}

impl<'c> Walk<'c> {
    /// A walk recording its remarks in `meta`.
    pub fn new(cfg: &'c PiiConfig, meta: &'c mut MetaLog) -> Walk<'c> {
        Walk { cfg, m: Modes::of(cfg), meta, wrote_meta: false }
    }

    /// Scrubs the single JSON value `json`, found at `at` (the walk's starting path), into
    /// `out`; with scrubbing off, copies it (checked, without surrounding white space).
    pub fn run(&mut self, json: &str, at: &[Seg], out: &mut Vec<u8>) -> Result<(), Invalid> {
        let place = Place::at(at, self.cfg, &self.m);
        let mut src = Src::new(json);
        let t = src.next()?;
        self.value(&mut src, t, place, &Path::Root(at), out)?;
        src.r.finish()?;
        Ok(())
    }

    fn value<'a>(&mut self, src: &mut Src<'a>, t: Token<'a>, place: Place, path: &Path, out: &mut Vec<u8>) -> Result<(), Invalid> {
        let kind = match t {
            Token::ObjStart => Kind::Obj,
            Token::ArrStart => Kind::Arr,
            Token::Str(s) if matches!(place, Place::IpAddress) && s.is("{{auto}}") => Kind::Auto,
            Token::Str(_) => Kind::Str,
            Token::Num(_) => Kind::Num,
            Token::Bool(_) => Kind::Bool,
            Token::Null => Kind::Null,
            Token::Key(_) | Token::ObjEnd | Token::ArrEnd => return Err(Invalid),
        };
        let place = place.resolve(kind, self.cfg, &self.m);
        match &place {
            Place::Keep => src.copy(t, out),
            Place::Removed(rule) => {
                if matches!(t, Token::ObjStart | Token::ArrStart) {
                    src.r.skip_rest()?;
                }
                write::null(out);
                self.meta.add(path, vec![Remark::removed(*rule)], NO_LEN);
                Ok(())
            }
            Place::Str(_) | Place::CookieStr(_) | Place::FilterStr(_) => {
                let Token::Str(s) = t else { return src.copy(t, out) };
                let text = s.text();
                match leaf(&place, &text, self.cfg, &self.m) {
                    Some((new, remarks)) => {
                        self.meta.add(path, remarks, crate::text::char_count(&text));
                        write::string(out, &new);
                    }
                    None => s.write(out),
                }
                Ok(())
            }
            Place::Num(mode) => {
                let Token::Num(n) = t else { return src.copy(t, out) };
                if mode.values() && cards::is_card_number(n.as_bytes()) {
                    let text = Rule::Creditcard.replacement(self.cfg);
                    write::string(out, text);
                    let remark = Remark::replaced(Rule::Creditcard, 0, text.len());
                    self.meta.add(path, vec![remark], n.len());
                } else {
                    out.extend_from_slice(n.as_bytes());
                }
                Ok(())
            }
            Place::Pairs(_) if matches!(t, Token::ArrStart) => self.array(src, &place, path, out),
            Place::DataArr => self.data_array(src, path, out),
            Place::List(_) | Place::PairItem(_) | Place::Strings(_) => self.array(src, &place, path, out),
            Place::Pairs(_)
            | Place::Event
            | Place::LogentryObj
            | Place::ValuesObj(_)
            | Place::Item(_)
            | Place::Mechanism
            | Place::Stacktrace
            | Place::Request
            | Place::Env
            | Place::User
            | Place::Contexts
            | Place::ContextObj(_)
            | Place::Dsc
            | Place::DataObj => self.object(src, &place, path, out),
            // never left by `resolve`
            Place::Logentry
            | Place::Values(_)
            | Place::QueryString
            | Place::RequestData
            | Place::PairValue(..)
            | Place::IpAddress
            | Place::Context(_)
            | Place::Data(_)
            | Place::Cookies(_)
            | Place::Remove(_) => src.copy(t, out),
        }
    }

    fn object<'a>(&mut self, src: &mut Src<'a>, place: &Place, path: &Path, out: &mut Vec<u8>) -> Result<(), Invalid> {
        let root = matches!(place, Place::Event);
        let mut existing_meta = None;
        let mut first = true;
        let mut renamed = Vec::new();
        out.push(b'{');
        loop {
            match src.next()? {
                Token::ObjEnd => break,
                Token::Key(k) => {
                    if root && k.is("_meta") {
                        existing_meta = Some(src.r.value_text()?);
                        continue;
                    }
                    if !first {
                        out.push(b',');
                    }
                    first = false;
                    let key = k.text();
                    // the value's rules follow the key as given; its path, the key as sent
                    let child = place.child(Seg::Key(&key), self.cfg, &self.m);
                    let new_key;
                    let sent: &str = match key_rules(&key, self.cfg, &self.m) {
                        Some((new, remarks)) => {
                            self.meta.add(path, remarks, NO_LEN);
                            new_key = unique_key(new, &mut renamed);
                            write::string(out, &new_key);
                            &new_key
                        }
                        None => {
                            k.write(out);
                            &key
                        }
                    };
                    out.push(b':');
                    let t = src.next()?;
                    self.at(path, Seg::Key(sent), src, t, child, out)?;
                }
                Token::ObjStart
                | Token::ArrStart
                | Token::ArrEnd
                | Token::Str(_)
                | Token::Num(_)
                | Token::Bool(_)
                | Token::Null => return Err(Invalid),
            }
        }
        if root && (existing_meta.is_some() || !self.meta.is_empty()) {
            if !first {
                out.push(b',');
            }
            out.extend_from_slice(b"\"_meta\":");
            // with no remarks the event carries a `_meta` of its own: copied as it is
            if let (true, Some(existing)) = (self.meta.is_empty(), existing_meta) {
                out.extend_from_slice(existing.as_bytes());
            } else {
                self.meta.write_merged(existing_meta, self.cfg, out);
                self.wrote_meta = true;
            }
        }
        out.push(b'}');
        Ok(())
    }

    /// An array: each element under its child place; in an array of `[name, value]`
    /// pairs (headers, query parameters, tags, cookies) the value of each two-element pair
    /// with a string name gets the name's rules and any other element is copied.
    fn array<'a>(&mut self, src: &mut Src<'a>, place: &Place, path: &Path, out: &mut Vec<u8>) -> Result<(), Invalid> {
        out.push(b'[');
        let mut i = 0;
        loop {
            let t = src.next()?;
            if matches!(t, Token::ArrEnd) {
                break;
            }
            if i > 0 {
                out.push(b',');
            }
            if let Place::Pairs(of) = *place {
                // an array of pairs: each `[name, value]` element is a pair, others are copied
                if matches!(t, Token::ArrStart) {
                    self.pair(src, of, &Path::Child(path, Seg::Index(i)), out)?;
                } else {
                    src.copy(t, out)?;
                }
            } else {
                let child = place.child(Seg::Index(i), self.cfg, &self.m);
                self.at(path, Seg::Index(i), src, t, child, out)?;
            }
            i += 1;
        }
        out.push(b']');
        Ok(())
    }

    /// Walks the value that starts with `t` under `place`, at `seg` of `path`.
    fn at<'a>(&mut self, path: &Path, seg: Seg, src: &mut Src<'a>, t: Token<'a>, place: Place, out: &mut Vec<u8>) -> Result<(), Invalid> {
        self.value(src, t, place, &Path::Child(path, seg), out)
    }

    /// Structured data in an array: a `[key, value]` pair gets the key's rules for its
    /// value (as on Sentry's server); when that changes nothing, the key is scrubbed as a
    /// value too. Any other array: every element as data.
    fn data_array<'a>(&mut self, src: &mut Src<'a>, path: &Path, out: &mut Vec<u8>) -> Result<(), Invalid> {
        let Some(name) = pair_name(src) else { return self.array(src, &Place::DataArr, path, out) };
        let key = name.text();
        self.named(src, name, Place::Data(Some(&key)), None, path, out)
    }

    fn pair<'a>(&mut self, src: &mut Src<'a>, of: super::place::Pairs, path: &Path, out: &mut Vec<u8>) -> Result<(), Invalid> {
        let Some(name) = pair_name(src) else { return src.copy(Token::ArrStart, out) };
        let key = name.text();
        self.named(src, name, Place::PairValue(of, &key), Some(Place::Str(self.m.text)), path, out)
    }

    /// The rest of a `[name, value]` pair whose `[` was just read: the value under
    /// `value_place` (walked first), then the name under `name_place`, or, for `None`,
    /// as data when the value's rules changed nothing and as free text when they did
    /// (the name may itself be a secret).
    fn named<'a>(
        &mut self,
        src: &mut Src<'a>,
        name: Str<'a>,
        value_place: Place,
        name_place: Option<Place>,
        path: &Path,
        out: &mut Vec<u8>,
    ) -> Result<(), Invalid> {
        src.next()?;
        let before = self.meta.count();
        let mut second = Vec::new();
        let t = src.next()?;
        self.at(path, Seg::Index(1), src, t, value_place, &mut second)?;
        src.next()?;
        let changed = self.meta.count() != before;
        let name_place = name_place.unwrap_or(if changed { Place::Str(self.m.text) } else { Place::Data(None) });
        out.push(b'[');
        self.at(path, Seg::Index(0), src, Token::Str(name), name_place, out)?;
        out.push(b',');
        out.extend_from_slice(&second);
        out.push(b']');
        Ok(())
    }
}

/// The name of the array whose `[` was just read when it is a `[name, value]` pair with
/// a string name (read ahead with a second reader: the walk's reader does not move).
fn pair_name<'a>(src: &Src<'a>) -> Option<Str<'a>> {
    let mut r = Reader::new(crate::text::part(src.text, src.r.offset() - 1, src.text.len()));
    r.next().ok()?;
    let Ok(Some(Token::Str(name))) = r.next() else { return None };
    if r.at_end() {
        return None;
    }
    r.value_text().ok()?;
    matches!(r.next(), Ok(Some(Token::ArrEnd))).then_some(name)
}

/// A key of an object found at `path` (e.g. a tag name at `["tags"]`, an extra's key at
/// `["extra"]`) as it may be sent: a key that is itself a secret (a card number, a token,
/// `Bearer …`, a URL with a password or a secret query parameter) is replaced, with a
/// remark on the object. Keys of untouched places (`["sdk"]`, `["modules"]`) are kept.
/// [`super::scrub_json`] applies the same to every key it copies.
pub fn scrub_key<'s>(key: &'s str, path: &[Seg], cfg: &PiiConfig, meta: &mut MetaLog) -> Cow<'s, str> {
    let m = Modes::of(cfg);
    if matches!(Place::at(path, cfg, &m).resolve(Kind::Obj, cfg, &m), Place::Keep) {
        return Cow::Borrowed(key);
    }
    match key_rules(key, cfg, &m) {
        Some((new, remarks)) => {
            meta.add(&Path::Root(path), remarks, NO_LEN);
            Cow::Owned(new)
        }
        None => Cow::Borrowed(key),
    }
}

/// Scrubs one string found at `path` of an event. The rules are chosen from the path
/// exactly as the event walk chooses them (`["exception","values",0,"value"]` → message
/// rules, `["request","url"]` → URL rules, `["tags","k"]` → tag rules, `["user","email"]`
/// → structured data). Where the walk would remove the value (`user.ip_address`), the
/// string is replaced by the rule's text. Remarks go to `meta`.
pub fn scrub_str<'s>(s: &'s str, path: &[Seg], cfg: &PiiConfig, meta: &mut MetaLog) -> Cow<'s, str> {
    let m = Modes::of(cfg);
    let kind = if s == "{{auto}}" { Kind::Auto } else { Kind::Str };
    let place = Place::at(path, cfg, &m).resolve(kind, cfg, &m);
    match leaf(&place, s, cfg, &m) {
        Some((new, remarks)) => {
            meta.add(&Path::Root(path), remarks, crate::text::char_count(s));
            Cow::Owned(new)
        }
        None => Cow::Borrowed(s),
    }
}
