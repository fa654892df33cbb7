//! Substring search for the core's short, fixed needles (`" at "`, `"/node_modules/"`,
//! `"://"`, and the PII scanners' byte patterns), the app's filter patterns
//! (`ignoreErrors`, `denyUrls`, `allowUrls`) and for any of a few ASCII bytes: a byte
//! scan and a compare. It stands in for `str::find`,
//! `contains` and `split_once` with a `&str` pattern, whose Two-Way searcher takes longer
//! to set up than these searches take to run and adds its code to the wasm (about 0.6 KB
//! gzip). The price is a worst case of (text length × pattern length) byte compares for a
//! pattern that almost matches everywhere; the app chooses its patterns.
//!
//! A match found here always starts on a character boundary: the needle is UTF-8, and no
//! UTF-8 sequence starts inside another.
//!
//! Finding, splitting and trimming at one ASCII byte (`find_byte`, `split_byte`,
//! `split_once_byte`, `lines`, ...) likewise stand in for `str`'s methods with a `char`
//! pattern, so the wasm carries neither std's forward char searcher nor its `memchr`.
//!
//! The UTF-8 check (`is_utf8`, `str_of`, `string_of`, `utf8`) stands in for
//! `std::str::from_utf8`, so the wasm carries neither its checker nor its character-width
//! table (about 0.26 KB gzip); its verdicts are the standard library's, which the tests
//! check exhaustively for short sequences.
//!
//! Also the value of a run of decimal digits, the one integer reader of the core; the
//! digits of a number pushed into a string (`push_num`); and the one percent-escape
//! reader and decoder (`pct`, `pct_decode`); and the test that a URL part needs no
//! escapes (`is_url_safe`); and sets of ASCII bytes made at compile time (`ascii_set`,
//! `in_ascii_set`), for the DSN's and the PII scanners' byte classes.

/// Byte offset of the first occurrence of `needle` in `hay`.
pub fn find(hay: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    find_bytes(hay.as_bytes(), 0, needle.as_bytes())
}

/// The first position `>= from` where the non-empty `n` occurs in `h` (None for an empty
/// `n`). Shared with the PII scanners, which search bytes.
pub fn find_bytes(h: &[u8], from: usize, n: &[u8]) -> Option<usize> {
    let (Some(&first), Some(&end)) = (n.first(), n.last()) else { return None };
    let last = h.len().checked_sub(n.len())?;
    let mut i = from;
    while i <= last {
        // First and last byte before the rest: most candidates fail there, and the rest
        // is compared inline (a `memcmp` call per candidate costs more than it saves).
        if h[i] == first && h[i + n.len() - 1] == end {
            let mut j = 1;
            while j < n.len() && h[i + j] == n[j] {
                j += 1;
            }
            if j >= n.len() {
                return Some(i);
            }
        }
        i += 1;
    }
    None
}

/// Byte offset of the last occurrence of `needle` in `hay`.
pub fn rfind(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let mut i = h.len().checked_sub(n.len())? + 1;
    while i > 0 {
        i -= 1;
        if h[i..].starts_with(n) {
            return Some(i);
        }
    }
    None
}

/// True when `needle` occurs in `hay`.
pub fn contains(hay: &str, needle: &str) -> bool {
    find(hay, needle).is_some()
}

/// `hay` split around the first `needle`.
pub fn split_once<'a>(hay: &'a str, needle: &str) -> Option<(&'a str, &'a str)> {
    split_around(hay, find(hay, needle)?, needle.len())
}

/// `hay` before byte offset `i` and after the `len` bytes from there, when both ends are
/// character boundaries: the one cut of the `split_once` family.
pub fn split_around(hay: &str, i: usize, len: usize) -> Option<(&str, &str)> {
    Some((hay.get(..i)?, hay.get(i + len..)?))
}

/// Byte offset of the first ASCII byte `b` in `hay` (`str::find` with a `char` pattern
/// brings the forward UTF-8 char searcher and `memchr`; an ASCII byte needs neither).
pub fn find_byte(hay: &str, b: u8) -> Option<usize> {
    hay.bytes().position(|c| c == b)
}

/// True when `hay` holds the ASCII byte `b`.
pub fn contains_byte(hay: &str, b: u8) -> bool {
    find_byte(hay, b).is_some()
}

/// `hay` split around its first ASCII byte `b`.
pub fn split_once_byte(hay: &str, b: u8) -> Option<(&str, &str)> {
    split_around(hay, find_byte(hay, b)?, 1)
}

/// The pieces of `hay` between its ASCII bytes `b`, as `str::split` with a `char` gives
/// them (an empty `hay` is one empty piece).
pub fn split_byte(hay: &str, b: u8) -> SplitByte<'_> {
    SplitByte { rest: Some(hay), b }
}

/// How many pieces [`split_byte`] gives: one more than the bytes `b` in `hay`, counted
/// without splitting.
pub fn pieces(hay: &str, b: u8) -> usize {
    let mut n = 1;
    for &c in hay.as_bytes() {
        n += usize::from(c == b);
    }
    n
}

/// The iterator of [`split_byte`].
pub struct SplitByte<'a> {
    rest: Option<&'a str>,
    b: u8,
}

impl<'a> Iterator for SplitByte<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        let (piece, tail) = match split_once_byte(rest, self.b) {
            Some((piece, tail)) => (piece, Some(tail)),
            None => (rest, None),
        };
        self.rest = tail;
        Some(piece)
    }
}

/// The lines of `hay` as `str::lines` gives them: split at `\n`, a `\r` before the `\n`
/// dropped, no empty last line after a final `\n`.
pub fn lines(hay: &str) -> Lines<'_> {
    Lines { rest: hay }
}

/// The iterator of [`lines`].
pub struct Lines<'a> {
    rest: &'a str,
}

impl<'a> Iterator for Lines<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.rest.is_empty() {
            return None;
        }
        let (line, rest) = match split_once_byte(self.rest, b'\n') {
            Some((line, rest)) => (line.strip_suffix("\r").unwrap_or(line), rest),
            None => (self.rest, ""),
        };
        self.rest = rest;
        Some(line)
    }
}

/// `hay` without the ASCII byte `b` repeated at its start (`trim_start_matches` with a
/// `char`).
pub fn trim_start_byte(hay: &str, b: u8) -> &str {
    let i = hay.bytes().position(|c| c != b).unwrap_or(hay.len());
    part(hay, i, hay.len())
}

/// `hay` without the ASCII byte `b` repeated at its end (`trim_end_matches` with a
/// `char`).
pub fn trim_end_byte(hay: &str, b: u8) -> &str {
    let i = hay.bytes().rposition(|c| c != b).map_or(0, |i| i + 1);
    part(hay, 0, i)
}

/// `hay[start..end]`, or all of `hay` when either end is no character boundary: the one
/// cut of the trimming functions, and of the callers that cut at a boundary they found.
pub fn part(hay: &str, start: usize, end: usize) -> &str {
    hay.get(start..end).unwrap_or(hay)
}

/// `hay` with every ASCII byte `from` replaced by `to` (`str::replace` with a `char`).
pub fn replace_byte(hay: &str, from: u8, to: &str) -> String {
    let mut out = String::with_capacity(hay.len());
    for (i, piece) in split_byte(hay, from).enumerate() {
        if i > 0 {
            out.push_str(to);
        }
        out.push_str(piece);
    }
    out
}

/// Byte offset of the last ASCII byte `b` in `hay` (`str::rfind` with a `char` pattern
/// brings the reverse UTF-8 searcher; an ASCII byte needs none).
pub fn rfind_byte(hay: &str, b: u8) -> Option<usize> {
    hay.bytes().rposition(|c| c == b)
}

/// `hay` split around its last ASCII byte `b`.
pub fn rsplit_once_byte(hay: &str, b: u8) -> Option<(&str, &str)> {
    split_around(hay, rfind_byte(hay, b)?, 1)
}

/// Whether `s` is one or more ASCII digits (DSN ports and project ids, stack positions).
pub fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `s` is one or more ASCII hex digits, either case (wasm code offsets, DSN IPv6
/// groups, build ids).
pub fn all_hex(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The value of `s` when it is only ASCII digits (no sign, no spaces) and fits in a `u64`.
/// One loop for every integer the core reads from text: `str::parse` brings a parser per
/// integer type (signs, overflow checks for each width) into the wasm.
pub fn digits_value(s: &str) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    // Overflow is tested against the largest value that still takes a digit, not by
    // `checked_mul`, whose 128-bit product links a multiplication routine into the wasm.
    const MAX: u64 = u64::MAX / 10;
    s.bytes().try_fold(0u64, |n, b| {
        let d = u64::from(b.wrapping_sub(b'0'));
        (d < 10 && (n < MAX || (n == MAX && d <= u64::MAX % 10))).then(|| n * 10 + d)
    })
}

/// A plain decimal (`1`, `0.25`, `.5`, `2.`): its digits before and after the dot, when
/// `s` is only ASCII digits and at most one dot and is not empty or a lone dot. The one
/// shape check of the hand-written number readers (rates, retry-after seconds).
pub fn decimal(s: &str) -> Option<(&str, &str)> {
    let (int, frac) = split_once_byte(s, b'.').unwrap_or((s, ""));
    let digits = |t: &str| t.bytes().all(|c| c.is_ascii_digit());
    ((!int.is_empty() || !frac.is_empty()) && digits(int) && digits(frac)).then_some((int, frac))
}

/// Value of an ASCII hex digit (either case): the one hex reader of the core (percent
/// escapes, IPv6 groups, trace flags).
#[inline]
pub fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// The byte the `%XX` escape at `i` of `s` stands for (hex digits in either case), or
/// `None` when there is no such escape at `i`: the one percent-escape reader of the core
/// (file URLs, the PII matchers).
pub fn pct(s: &[u8], i: usize) -> Option<u8> {
    if s.get(i) != Some(&b'%') {
        return None;
    }
    Some(hex_val(*s.get(i + 1)?)? << 4 | hex_val(*s.get(i + 2)?)?)
}

/// `s` with its `%XX` escapes decoded, except those of the bytes in `kept`, which stay as
/// written: the one percent-decoder of the core (file URLs).
/// `None` when an escape is malformed or the decoded bytes are not UTF-8. The bytes
/// between escapes are whole characters of `s`, so the one UTF-8 check at the end fails
/// exactly when an escaped sequence is not UTF-8.
pub fn pct_decode(s: &str, kept: &[u8]) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let c = pct(b, i)?;
            if in_set(kept, c) {
                out.extend_from_slice(&b[i..i + 3]);
            } else {
                out.push(c);
            }
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    string_of(out)
}

/// True when `s` needs no percent-escapes in a URL's query: ASCII letters and digits and
/// `-._~/` only (the DSN endpoint's `sentry_client`; a `const fn`, so the crate checks its
/// text when it compiles).
pub const fn is_url_safe(s: &str) -> bool {
    const SAFE: AsciiSet = ascii_set(b"-._~/", true);
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !in_ascii_set(&SAFE, b[i]) {
            return false;
        }
        i += 1;
    }
    true
}

/// Appends the decimal digits of `n`.
pub fn push_num(out: &mut String, n: usize) {
    // SAFETY: ASCII digits are UTF-8.
    crate::json::write::uint(unsafe { out.as_mut_vec() }, n as u64);
}

/// The number of characters of `s` (what `chars().count()` gives): its bytes that start
/// one, counted by a plain loop (the standard counter, a word at a time, costs the wasm
/// more).
pub fn char_count(s: &str) -> usize {
    let mut n = 0;
    for &b in s.as_bytes() {
        n += usize::from(b & 0xc0 != 0x80);
    }
    n
}

/// The pieces joined into one string, by plain pushes (what `concat` on a slice of
/// `&str` gives; the standard one costs the wasm more than this and its callers).
pub fn cat(parts: &[&str]) -> String {
    let mut s = String::new();
    for p in parts {
        s.push_str(p);
    }
    s
}

/// True when `b` is one of the bytes of `set`, by a plain loop (`[u8]::contains`
/// is a `memchr` search: more code, and no faster on the core's short sets and texts).
#[allow(clippy::manual_contains)] // the loop is the point: see above
pub fn in_set(set: &[u8], b: u8) -> bool {
    set.iter().any(|&s| s == b)
}

/// The length in bytes of the Unicode white-space character (what `char::is_whitespace`
/// accepts: U+0009–U+000D, U+0020, U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028,
/// U+2029, U+202F, U+205F, U+3000) that starts at byte `i` of the UTF-8 text `b`, or 0
/// when none does (also at a continuation byte). Read from the bytes, so neither a
/// character decoder nor the standard white-space table is linked.
fn space_len(b: &[u8], i: usize) -> usize {
    let at = |k: usize| b.get(i + k).copied().unwrap_or(0);
    match (at(0), at(1), at(2)) {
        (b'\t'..=b'\r' | b' ', _, _) => 1,
        (0xc2, 0x85 | 0xa0, _) => 2,
        (0xe1, 0x9a, 0x80) | (0xe2, 0x80, 0x80..=0x8a | 0xa8 | 0xa9 | 0xaf) | (0xe2, 0x81, 0x9f) | (0xe3, 0x80, 0x80) => 3,
        _ => 0,
    }
}

/// True when `hay` holds a Unicode white-space character (`str::contains` with
/// `char::is_whitespace` links a searcher of its own).
pub fn has_space(hay: &str) -> bool {
    let b = hay.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if space_len(b, i) > 0 {
            return true;
        }
        i += 1;
    }
    false
}

/// True when `hay` holds a control character (what `char::is_control` accepts: U+0000–
/// U+001F and U+007F–U+009F), read from the bytes.
pub fn has_control(hay: &str) -> bool {
    let b = hay.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c < 0x20 || c == 0x7f || (c == 0xc2 && matches!(b.get(i + 1), Some(0x80..=0x9f))) {
            return true;
        }
        i += 1;
    }
    false
}

/// `bytes` as a `String`, or an empty one when they are not UTF-8 (the core's writers
/// write only UTF-8); one instance of the conversion for the core.
pub fn utf8(bytes: Vec<u8>) -> String {
    string_of(bytes).unwrap_or_default()
}

/// `bytes` as a `String` when they are UTF-8 (`String::from_utf8(bytes).ok()`).
pub fn string_of(bytes: Vec<u8>) -> Option<String> {
    // SAFETY: checked first.
    is_utf8(&bytes).then(|| unsafe { String::from_utf8_unchecked(bytes) })
}

/// `b` as text when it is UTF-8 (`std::str::from_utf8(b).ok()`).
pub fn str_of(b: &[u8]) -> Option<&str> {
    // SAFETY: checked first.
    is_utf8(b).then(|| unsafe { std::str::from_utf8_unchecked(b) })
}

/// Every byte of a word: `ONES * b` repeats `b` eight times.
pub const ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of every byte of a word.
pub const HIGH: u64 = 0x8080_8080_8080_8080;

/// The eight bytes of `b` from `i` as one word (the caller checked `i + 8 <= b.len()`), so
/// that runs of plain ASCII are scanned a word at a time.
#[inline(always)]
pub fn word_at(b: &[u8], i: usize) -> u64 {
    debug_assert!(i + 8 <= b.len());
    // SAFETY: `i + 8 <= b.len()`, checked by every caller; an unaligned read of plain bytes.
    unsafe { b.as_ptr().add(i).cast::<u64>().read_unaligned() }
}

/// Whether `b` is UTF-8, as `std::str::from_utf8` decides it.
pub fn is_utf8(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        // Eight ASCII bytes at once.
        if i + 8 <= b.len() && word_at(b, i) & HIGH == 0 {
            i += 8;
            continue;
        }
        let c = b[i];
        i += 1;
        if c < 0x80 {
            continue;
        }
        let (n, lo, hi) = match c {
            0xc2..=0xdf => (1, 0x80, 0xbf),
            0xe0 => (2, 0xa0, 0xbf),
            0xe1..=0xec | 0xee | 0xef => (2, 0x80, 0xbf),
            0xed => (2, 0x80, 0x9f),
            0xf0 => (3, 0x90, 0xbf),
            0xf1..=0xf3 => (3, 0x80, 0xbf),
            0xf4 => (3, 0x80, 0x8f),
            _ => return false,
        };
        if !matches!(b.get(i), Some(&x) if x >= lo && x <= hi) {
            return false;
        }
        let mut k = 1;
        while k < n {
            if !matches!(b.get(i + k), Some(0x80..=0xbf)) {
                return false;
            }
            k += 1;
        }
        i += n;
    }
    true
}

/// `s` without its leading Unicode white space, as `str::trim_start` gives it, by a walk
/// over the bytes (`trim_start` links a searcher wrapper of its own).
pub fn trim_start(s: &str) -> &str {
    let b = s.as_bytes();
    let mut i = 0;
    loop {
        let n = space_len(b, i);
        if n == 0 {
            break;
        }
        i += n;
    }
    part(s, i, s.len())
}

/// `s` without its leading and trailing Unicode white space, as `str::trim` gives it:
/// [`trim_start`], then a walk back one character at a time (each found by stepping over
/// continuation bytes), so no searcher of `str::trim` is linked.
pub fn trim(s: &str) -> &str {
    let s = trim_start(s);
    let b = s.as_bytes();
    let mut end = b.len();
    while end > 0 {
        let mut i = end - 1;
        while (b[i] as i8) < -0x40 {
            i -= 1;
        }
        if space_len(b, i) == 0 {
            break;
        }
        end = i;
    }
    part(s, 0, end)
}

/// True when `hay` holds any of the ASCII bytes `set`.
pub fn has_any(hay: &str, set: &[u8]) -> bool {
    hay.bytes().any(|b| in_set(set, b))
}

/// `hay` up to (not including) its first byte from the ASCII `set`; all of it if none.
pub fn before_any<'a>(hay: &'a str, set: &[u8]) -> &'a str {
    match hay.bytes().position(|b| in_set(set, b)) {
        Some(i) => part(hay, 0, i),
        None => hay,
    }
}

/// `hay` after its last byte from the ASCII `set`; all of it if none.
pub fn after_last_any<'a>(hay: &'a str, set: &[u8]) -> &'a str {
    match hay.bytes().rposition(|b| in_set(set, b)) {
        Some(i) => part(hay, i + 1, hay.len()),
        None => hay,
    }
}

/// A set of ASCII bytes, one bit each: bit `c % 64` of word `c / 64` for byte `c`; a
/// shift and a test instead of range checks or a `match`.
pub type AsciiSet = [u64; 2];

/// The bytes of `list` (ASCII), and with `alnum` the ASCII letters and digits, as an
/// [`AsciiSet`] (made at compile time).
pub const fn ascii_set(list: &[u8], alnum: bool) -> AsciiSet {
    let mut set = [0u64; 2];
    let mut c = 0u8;
    while c < 128 {
        let mut listed = alnum && c.is_ascii_alphanumeric();
        let mut i = 0;
        while i < list.len() {
            listed |= list[i] == c;
            i += 1;
        }
        if listed {
            set[(c / 64) as usize] |= 1 << (c % 64);
        }
        c += 1;
    }
    set
}

/// True when `c` is in `set` (a `const fn`, so compile-time checks use it too).
#[inline]
pub const fn in_ascii_set(set: &AsciiSet, c: u8) -> bool {
    c < 128 && set[(c / 64) as usize] >> (c % 64) & 1 != 0
}

/// Where to cut `s` at byte `at` (a character boundary) so that no start of a word split
/// there is kept: the start of that word, or `at` when the cut falls between words. A word
/// is a run of the bytes a secret can be written with, as the scrubbers match it: letters,
/// digits and `+/=_-.~%@:` (tokens, keys, base64 and JWTs, card and account numbers,
/// addresses, `key=value`); digit groups split by one separator of the card matcher (a
/// space, also the no-break, figure, narrow and ideographic ones) are one word. The scrubbers match whole secrets; the start of one, left at a cut, would pass
/// them. A text that is one word is cut where asked.
#[inline(never)]
pub fn word_cut(s: &str, at: usize) -> usize {
    let b = s.as_bytes();
    // (A byte before the start or past the end reads as 0, in no word.)
    let byte = |i: usize| b.get(i).copied().unwrap_or(0);
    // Byte `i` is in a separator of digit groups, as the card matcher reads them, between
    // two digits (`j`: the start of its character).
    let spaced = |i: usize| {
        let mut j = i;
        while j > 0 && (0x80..0xC0).contains(&byte(j)) {
            j -= 1;
        }
        let n = crate::pii::cards::separator(b, j);
        n > i - j && byte(j.wrapping_sub(1)).is_ascii_digit() && byte(j + n).is_ascii_digit()
    };
    let joined = |i: usize| {
        let c = byte(i);
        c.is_ascii_alphanumeric() || in_set(b"+/=_-.~%@:", c) || spaced(i)
    };
    let mut i = at;
    if joined(i) {
        while i > 0 && joined(i - 1) {
            i -= 1;
        }
    }
    // A text of one word (an id, a long token) keeps its start: cut it all, and nothing of
    // what it was would be left.
    if i == 0 {
        at
    } else {
        i
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_keeps_no_start_of_a_word() {
        fn at(s: &str, i: usize) -> &str {
            &s[..word_cut(s, i)]
        }
        assert_eq!(at("card 4111 1111 1111 1111 exp", 12), "card ");
        assert_eq!(at("card 4111 1111 1111 1111 exp", 9), "card ");
        assert_eq!(at("key sk_live_abc, more", 10), "key ");
        assert_eq!(at("a=1&token=abcdef", 13), "a=1&");
        assert_eq!(at("{\"k\":\"eyJh.eyJz\"}", 9), "{\"k\":\"");
        // between words, at either end, or at a character no secret has: unchanged
        assert_eq!(at("one two", 3), "one");
        assert_eq!(at("one two", 4), "one ");
        assert_eq!(at("one two", 7), "one two");
        assert_eq!(at("abc", 0), "");
        assert_eq!(at("aé b", 1), "a");
        assert_eq!(at("abcdef", 3), "abc", "a text of one word is cut where asked");
        // digit groups are one word only where digits meet on both sides of one space
        assert_eq!(at("total 12 items 4111 1111", 21), "total 12 items ");
        assert_eq!(at("a1 b2", 4), "a1 ");
        // the spaces locales group digits with, cut inside the space or after it
        let fr = "carte 4111\u{202f}1111\u{a0}1111\u{3000}1111 ok";
        for i in (6..fr.len() - 3).filter(|&i| fr.is_char_boundary(i)) {
            assert_eq!(at(fr, i), "carte ", "cut at {i}");
        }
        assert_eq!(at("x\u{a0}4111", 4), "x\u{a0}", "a space after a letter joins nothing");
    }

    #[test]
    fn agrees_with_the_standard_library() {
        let hays = ["", "a", ":", "::", "/a/", "a b  c ", "aaéaa", "  x  ", "::a:", "at at at", "x (y (z))", "héllo wörld ö", "://a://", "aaab", "  at f (a.js:1:2)", "0", "007", "+1", "-1", " 1", "18446744073709551615", "18446744073709551616", "99999999999999999999", ".", "0.25", ".5", "2.", "1.2.3", "1.x"];
        let needles = ["", "a", "at", " (", "ö", "://", "aab", "zz", "héllo wörld ö!", " at "];
        for h in hays {
            for n in needles {
                assert_eq!(find(h, n), h.find(n), "find {h:?} {n:?}");
                assert_eq!(rfind(h, n), h.rfind(n), "rfind {h:?} {n:?}");
                assert_eq!(contains(h, n), h.contains(n), "contains {h:?} {n:?}");
                assert_eq!(split_once(h, n), h.split_once(n), "split_once {h:?} {n:?}");
                for from in 0..=h.len() + 1 {
                    let (hb, nb) = (h.as_bytes(), n.as_bytes());
                    let want = if nb.is_empty() { None } else { (from..=hb.len().saturating_sub(nb.len())).find(|&i| hb.get(i..i + nb.len()) == Some(nb)) };
                    assert_eq!(find_bytes(h.as_bytes(), from, n.as_bytes()), want, "find_bytes {h:?} {from} {n:?}");
                }
            }
            assert_eq!(has_any(h, b"/("), h.contains(['/', '(']), "{h:?}");
            assert_eq!(before_any(h, b"( "), h.split(['(', ' ']).next().unwrap(), "{h:?}");
            assert_eq!(after_last_any(h, b"/:"), h.rsplit(['/', ':']).next().unwrap(), "{h:?}");
            assert_eq!(digits_value(h), h.parse::<u64>().ok().filter(|_| !h.starts_with('+')), "{h:?}");
            let plain = !h.is_empty() && h != "." && h.bytes().all(|c| c.is_ascii_digit() || c == b'.') && h.bytes().filter(|&c| c == b'.').count() <= 1;
            assert_eq!(decimal(h), plain.then(|| h.split_once('.').unwrap_or((h, ""))), "{h:?}");
            for b in [b'a', b':', b'/', b' '] {
                assert_eq!(find_byte(h, b), h.find(b as char), "{h:?} {b}");
                assert_eq!(contains_byte(h, b), h.contains(b as char), "{h:?} {b}");
                assert_eq!(split_once_byte(h, b), h.split_once(b as char), "{h:?} {b}");
                assert!(split_byte(h, b).eq(h.split(b as char)), "{h:?} {b}");
                assert_eq!(split_byte(h, b).count(), h.split(b as char).count(), "{h:?} {b}");
                assert_eq!(pieces(h, b), h.split(b as char).count(), "{h:?} {b}");
                assert_eq!(replace_byte(h, b, "._"), h.replace(b as char, "._"), "{h:?} {b}");
                let text = h.replace(b as char, "\n").replace("a", "\r");
                assert!(lines(&text).eq(text.lines()), "{text:?}");
                assert_eq!(trim_start_byte(h, b), h.trim_start_matches(b as char), "{h:?} {b}");
                assert_eq!(trim_end_byte(h, b), h.trim_end_matches(b as char), "{h:?} {b}");
                assert_eq!(rfind_byte(h, b), h.rfind(b as char), "{h:?} {b}");
                assert_eq!(rsplit_once_byte(h, b), h.rsplit_once(b as char), "{h:?} {b}");
            }
        }
        for text in ["\r", "a\r", "\r\n", "a\r\n\r", "\n\r\r\n", "a\n\n", "é\r\né"] {
            assert!(lines(text).eq(text.lines()), "{text:?}");
        }
        for text in ["", " ", "\u{a0}", " a ", "\t\u{3000}é\u{2028} ", "\u{200b}x\u{feff}", "x\u{85}", "😀 \u{1680}", "\r\n", "a b"] {
            assert_eq!(trim(text), text.trim(), "{text:?}");
        }
    }

    #[test]
    fn the_utf8_check_agrees_with_the_standard_library() {
        let same = |b: &[u8]| assert_eq!(is_utf8(b), std::str::from_utf8(b).is_ok(), "{b:x?}");
        let edges = [0x00, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xff];
        for a in 0..=255u8 {
            same(&[a]);
            for b in 0..=255u8 {
                same(&[a, b]);
                if (0xe0..0xf0).contains(&a) {
                    for c in 0..=255u8 {
                        same(&[a, b, c]);
                        same(&[b'x', a, b, c, b'y']);
                    }
                }
                if a >= 0xc0 {
                    for c in edges {
                        for d in edges {
                            same(&[a, b, c, d]);
                        }
                    }
                }
            }
        }
        // Every 1- to 4-byte sequence of edge bytes at every offset of an ASCII run, so the
        // word-at-a-time path meets it in each position of a word.
        let edges: Vec<u8> = [0x00, 0x41, 0x7f, 0x80, 0x9f, 0xa0, 0xbf, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff].to_vec();
        for before in 0..18 {
            for after in [0, 1, 7, 8, 9] {
                for len in 1..=4 {
                    for k in 0..edges.len().pow(len as u32) {
                        let mut seq = Vec::new();
                        let mut r = k;
                        for _ in 0..len {
                            seq.push(edges[r % edges.len()]);
                            r /= edges.len();
                        }
                        let mut b = vec![b'a'; before];
                        b.extend_from_slice(&seq);
                        b.extend(std::iter::repeat_n(b'z', after));
                        same(&b);
                    }
                }
            }
        }
        assert_eq!(str_of("h\u{e9}llo \u{1f600}".as_bytes()), Some("h\u{e9}llo \u{1f600}"));
        assert_eq!(utf8(vec![0xff]), "");
        assert_eq!((string_of(vec![0xc3, 0xa9]), string_of(vec![0xc3])), (Some("\u{e9}".to_string()), None));
    }

    #[test]
    fn white_space_and_control_agree_with_the_standard_library() {
        // Every character up to U+3100 (all white space and control characters are there),
        // then every 61st.
        for c in (0..=0x10ffffu32).filter(|&c| c <= 0x3100 || c % 61 == 0).filter_map(char::from_u32) {
            for text in [format!("{c}"), format!("a{c}"), format!("{c}{c}b"), format!(" {c}\u{a0}x{c} ")] {
                assert_eq!(has_space(&text), text.chars().any(char::is_whitespace), "{text:?}");
                assert_eq!(has_control(&text), text.chars().any(char::is_control), "{text:?}");
                assert_eq!(trim(&text), text.trim(), "{text:?}");
                assert_eq!(trim_start(&text), text.trim_start(), "{text:?}");
            }
        }
    }

    #[test]
    fn percent_escapes_agree_with_a_plain_parse() {
        for s in ["%41", "%e9", "%Ff", "a%2Cb", "%", "%4", "%G1", "%1g", "41", "%%41", ""] {
            for i in 0..s.len() + 2 {
                let want = (s.as_bytes().get(i) == Some(&b'%'))
                    .then(|| s.get(i + 1..i + 3).filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit())))
                    .flatten()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                assert_eq!(pct(s.as_bytes(), i), want, "{s:?} at {i}");
            }
        }
        assert!(is_url_safe("oxeye.javascript/0.1.0-beta_1~x") && is_url_safe(""));
        for bad in ["a b", "1.0+b", "x&y=z", "é", "%41"] {
            assert!(!is_url_safe(bad), "{bad:?}");
        }
    }
}
