//! Byte-level helpers shared by the matchers: character classes and case-insensitive
//! comparisons on `&[u8]`. Everything here is allocation-free and constant time per byte.
//!
//! Matchers work on UTF-8 bytes. Every pattern they look for is ASCII, so a match can
//! never start or end inside a multi-byte character; non-ASCII bytes count as
//! non-word characters (so `é4111…` still starts a card number: stricter than Relay,
//! whose `\b` is Unicode-aware).

/// Byte classes as bit sets, made at compile time (shared with the DSN parser).
pub use crate::text::{ascii_set, in_ascii_set, AsciiSet};

/// A "word" character as in a regex `\b`: ASCII letter, digit or `_`.
#[inline]
pub fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Characters that end an unquoted value (`key=value`) or a bearer token: whitespace,
/// quotes and JSON/URL punctuation.
pub fn ends_value(c: u8) -> bool {
    // one bit per ASCII byte, made at compile time from the list
    const SET: AsciiSet = ascii_set(b"\t\n\x0c\r \"'\\,;&)]}<>", false);
    in_ascii_set(&SET, c)
}

/// True when position `i` of `s` is preceded by a non-word character, the start, or a
/// `%XX` escape (URL-encoded text: `note%3D4111…` starts a number after `%3D`).
#[inline]
pub fn word_start(s: &[u8], i: usize) -> bool {
    i == 0 || !is_word(s[i - 1]) || escape_before(s, i)
}

/// True when `s[i - 3..i]` is a `%XX` escape.
#[inline]
pub fn escape_before(s: &[u8], i: usize) -> bool {
    i >= 3 && pct(s, i - 3).is_some()
}

/// True when position `i` (one past a match) is followed by a non-word character (or the end).
#[inline]
pub fn word_end(s: &[u8], i: usize) -> bool {
    !is_word(byte(s, i))
}

/// True when `pat` (lowercase ASCII) occurs at `s[i..]`, ignoring ASCII case.
#[inline]
pub fn at_ci(s: &[u8], i: usize, pat: &[u8]) -> bool {
    s.len() >= i + pat.len() && s[i..i + pat.len()].eq_ignore_ascii_case(pat)
}

/// `true`, `false`, `null` or `undefined`: text that is no secret (a value of one of
/// these is never replaced).
pub fn literal(v: &[u8]) -> bool {
    listed(words!("true false null undefined"), v)
}

/// A word list as one byte string made at compile time from a space-separated text,
/// each word after a byte holding its length (`words!("true null")` is
/// `b"\x04true\x04null"`). One string in the data instead of a table of slices, and
/// read as fast as one: [`each`] steps from word to word by their lengths.
macro_rules! words {
    ($text:expr) => {{
        const TEXT: &str = $text;
        const LIST: [u8; TEXT.len() + 1] = $crate::pii::scan::coded(TEXT);
        &LIST
    }};
}
pub(crate) use words;

/// The coded list of [`words!`] for a space-separated `text` (`N`: its length + 1).
pub const fn coded<const N: usize>(text: &str) -> [u8; N] {
    let b = text.as_bytes();
    let mut out = [0u8; N];
    let (mut start, mut i) = (0, 0);
    while i <= b.len() {
        if i == b.len() || b[i] == b' ' {
            out[start] = (i - start) as u8;
        } else {
            out[i + 1] = b[i];
        }
        if i < b.len() && b[i] == b' ' {
            start = i + 1;
        }
        i += 1;
    }
    out
}

/// True when `f` holds for a word of the coded `list` (see [`words!`]), tried in order.
pub fn each(list: &[u8], mut f: impl FnMut(&[u8]) -> bool) -> bool {
    let mut i = 0;
    while let Some(&n) = list.get(i) {
        let end = i + 1 + n as usize;
        if f(&list[i + 1..end.min(list.len())]) {
            return true;
        }
        i = end;
    }
    false
}

/// True when `word` is one of the words of the coded `list` (see [`words!`]).
pub fn listed(list: &[u8], word: &[u8]) -> bool {
    each(list, |w| w == word)
}

/// True when `word` is one of the words of the coded `list` (lowercase ASCII),
/// ignoring ASCII case.
pub fn one_of_ci(word: &[u8], list: &[u8]) -> bool {
    each(list, |w| word.eq_ignore_ascii_case(w))
}

/// A coded word list (see [`words!`]) of lowercase words grouped by first letter, `a` to
/// `z` in order, with where each letter's group starts (the list's end last; a list is
/// shorter than 256 bytes, so each is a byte), made at compile time by [`lettered`]:
/// [`any_word`] tries only the words of the letter at hand.
pub struct Lettered {
    list: &'static [u8],
    starts: [u8; 27],
}

/// The [`Lettered`] form of a coded `list` whose words are grouped by first letter in
/// alphabetical order (checked at compile time).
pub const fn lettered(list: &'static [u8]) -> Lettered {
    assert!(list.len() < 256, "a lettered list's offsets are bytes");
    let mut starts = [0u8; 27];
    let mut letter = 0;
    while letter < 27 {
        let mut i = 0;
        while i < list.len() {
            if (list[i + 1] - b'a') as usize >= letter {
                break;
            }
            i += 1 + list[i] as usize;
        }
        starts[letter] = i as u8;
        letter += 1;
    }
    let mut i = 0;
    let mut prev = 0;
    while i < list.len() {
        assert!(list[i + 1].is_ascii_lowercase() && list[i + 1] >= prev, "words grouped by first letter, a to z");
        prev = list[i + 1];
        i += 1 + list[i] as usize;
    }
    Lettered { list, starts }
}

/// True when a word of `words` occurs anywhere in `s`, ignoring ASCII case: the one loop
/// of the word rules (`words.rs`) and the key names (`keys.rs`).
pub fn any_word(s: &[u8], words: &Lettered) -> bool {
    let mut i = 0;
    while i < s.len() {
        let k = usize::from(s[i].to_ascii_lowercase().wrapping_sub(b'a'));
        if k < 26 {
            let group = &words.list[usize::from(words.starts[k])..usize::from(words.starts[k + 1])];
            if each(group, |w| at_ci(s, i, w)) {
                return true;
            }
        }
        i += 1;
    }
    false
}

/// The end of the run of bytes in `class` that starts at `i`: the first position from
/// `i` whose byte is not in it, or the end of `s`. The one loop for the matchers' runs
/// (token characters, labels, a line, a query parameter).
pub fn run(s: &[u8], mut i: usize, class: fn(u8) -> bool) -> usize {
    while i < s.len() && class(s[i]) {
        i += 1;
    }
    i
}

/// True when `pat` occurs at `s[i..]` exactly.
#[inline]
pub fn at(s: &[u8], i: usize, pat: &[u8]) -> bool {
    s.len() >= i + pat.len() && &s[i..i + pat.len()] == pat
}

/// The first position `>= from` where `pat` occurs exactly.
pub fn find(s: &[u8], from: usize, pat: &[u8]) -> Option<usize> {
    crate::text::find_bytes(s, from, pat)
}

/// The normalised form of a key: ASCII lowercase, with `-`, `.`, space, `[`, `]`, `/` and
/// `:` turned into `_` (see `keys.rs`), as the bytes the key lookups compare (the bytes of
/// other characters are kept).
pub fn normalize_key(key: &str) -> Vec<u8> {
    let mut b = key.as_bytes().to_vec();
    for c in &mut b {
        *c = norm_byte(*c);
    }
    b
}

/// The normalised byte of a key byte (see [`normalize_key`]; a byte of a non-ASCII
/// character is kept).
#[inline]
pub fn norm_byte(c: u8) -> u8 {
    const SEPARATORS: AsciiSet = ascii_set(b"-. []/:", false);
    if in_ascii_set(&SEPARATORS, c) {
        b'_'
    } else {
        c.to_ascii_lowercase()
    }
}

pub use crate::text::push_num;

/// An ASCII letter, digit or `-` (a domain label's characters, and some key shapes').
pub fn alnum_dash(c: u8) -> bool {
    const ALNUM_DASH: AsciiSet = ascii_set(b"-", true);
    in_ascii_set(&ALNUM_DASH, c)
}

/// The byte at `i`, or 0 past the end.
#[inline]
pub fn byte(s: &[u8], i: usize) -> u8 {
    s.get(i).copied().unwrap_or(0)
}

/// The byte a `%XX` escape at `i` stands for, read once where several escapes may stand.
pub use crate::text::pct;

pub use crate::text::hex_val;

/// A cheap summary of what a string contains, so matchers that cannot apply are skipped.
#[derive(Debug, Default, Clone, Copy)]
pub struct Features {
    /// Number of ASCII digits.
    pub digits: usize,
    /// Number of `:`.
    pub colons: usize,
    /// Which of the bytes below the string holds (one bit each, see [`Features::has`]).
    flags: u8,
    /// Contains `_`, `-`, `AK` or `AS` (a vendor key prefix may follow).
    pub key_prefix: bool,
}

/// Contains `@` (or `%40`).
pub const AT: u8 = 1;
/// Contains `=` (or a `%` that may encode one).
pub const ASSIGN: u8 = 2;
/// Contains `.`.
pub const DOT: u8 = 4;
/// Contains `-`.
pub const DASH: u8 = 8;
/// Contains `/`.
pub const SLASH: u8 = 16;
/// Contains `b` or `B` (for `Bearer`).
pub const B: u8 = 32;
/// Contains `J` (for the `eyJ` of a JWT).
pub const J: u8 = 64;

/// The [`Features`] flag of each ASCII byte (made at compile time): a table instead of a
/// `match` per byte.
const FLAGS: [u8; 128] = {
    let mut t = [0u8; 128];
    t[b'@' as usize] = AT;
    t[b'=' as usize] = ASSIGN;
    t[b'%' as usize] = ASSIGN;
    t[b'.' as usize] = DOT;
    t[b'-' as usize] = DASH;
    t[b'/' as usize] = SLASH;
    t[b'b' as usize] = B;
    t[b'B' as usize] = B;
    t[b'J' as usize] = J;
    t
};

impl Features {
    /// One pass over `s`.
    pub fn of(s: &[u8]) -> Features {
        let mut f = Features::default();
        let mut prev = 0u8;
        for &b in s {
            f.key_prefix |= matches!(b, b'_' | b'-') || (prev == b'A' && matches!(b, b'K' | b'S'));
            prev = b;
            f.digits += usize::from(b.is_ascii_digit());
            f.colons += usize::from(b == b':');
            if let Some(flag) = FLAGS.get(usize::from(b)) {
                f.flags |= flag;
            }
        }
        if f.has(ASSIGN) && !f.has(AT) && crate::pii::scan::find(s, 0, b"%40").is_some() {
            f.flags |= AT;
        }
        f
    }

    /// True when the string holds one of the bytes of `flags` (a set of the flags above).
    pub fn has(&self, flags: u8) -> bool {
        self.flags & flags != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coded_word_lists() {
        let list: &[u8] = words!("true null x");
        assert_eq!(list, b"\x04true\x04null\x01x");
        assert!(listed(list, b"null") && listed(list, b"x") && !listed(list, b"nul") && !listed(list, b""));
        assert!(one_of_ci(b"NuLL", list) && !one_of_ci(b"true null", list));
        let mut seen = Vec::new();
        assert!(!each(list, |w| {
            seen.push(w.to_vec());
            false
        }));
        assert_eq!(seen, [b"true".to_vec(), b"null".to_vec(), b"x".to_vec()]);
        assert!(!each(&[], |_| true));
    }

    #[test]
    fn helpers() {
        assert!(at_ci(b"xBeArEr y", 1, b"bearer"));
        assert!(!at_ci(b"bear", 0, b"bearer"));
        assert_eq!(find(b"abcabc", 1, b"abc"), Some(3));
        assert_eq!(pct(b"a%3db", 1), Some(b'='));
        let mut s = String::new();
        push_num(&mut s, 0);
        push_num(&mut s, 1234);
        assert_eq!(s, "01234");
        assert_eq!(pct(b"a%3", 1), None);
        assert!(word_start(b" 1", 1) && !word_start(b"a1", 1));
        assert!(word_start(b"x%3D1", 4) && !word_start(b"x3D1", 3));
        let f = Features::of(b"a%40b.c");
        assert!(f.has(AT) && f.has(DOT) && f.has(ASSIGN));
    }
}
