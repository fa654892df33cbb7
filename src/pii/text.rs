//! Scrubbing one string: run the matchers that apply, keep the non-overlapping hits,
//! and rebuild the string with each hit replaced, recording a `_meta` remark per hit.
//!
//! Strings longer than [`MAX_SCAN_BYTES`] are cut first: only the head is scanned, the
//! tail (with the start of a word the cut splits, [`crate::text::word_cut`]) is replaced
//! by `...` (remark `!limit`, as Relay marks trimmed values), so every matcher sees a
//! bounded input. Each matcher is a single forward pass with bounded
//! look-around, so the whole string costs O(n).

use super::config::{EmailScope, PiiConfig};
use super::meta::Remark;
use super::rule::{Hit, Rule};
use super::scan::{Features, ASSIGN, AT, B, DASH, DOT, J, SLASH};
use super::{assign, cards, custom, email, iban, ip, ssn, tokens, urls, words};

/// Longest string scanned, in bytes; longer strings are truncated to this first.
pub const MAX_SCAN_BYTES: usize = 16 * 1024;

/// Which rules apply to a string, decided by where it sits in the event: a set of the
/// flags below, in one byte.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Mode(u8);

/// Replace the whole value when it contains a password-like word (fields Relay scrubs).
const WORDS: u8 = 1;
/// Cards, IBANs, SSNs, tokens, keys, URL passwords, secrets in text, custom rules.
const VALUES: u8 = 2;
/// Only URL passwords and secrets in query strings (stack frame paths).
const URL_ONLY: u8 = 4;
/// IP addresses.
const IP: u8 = 8;
/// Email addresses.
const EMAIL: u8 = 16;
/// The string itself is a query string or form body: its first `key=` counts as a query
/// parameter.
const QUERY: u8 = 32;

fn flag(on: bool, bit: u8) -> u8 {
    if on {
        bit
    } else {
        0
    }
}

impl Mode {
    /// Fields Relay scrubs: extra, frame vars, breadcrumbs, request data, user, contexts.
    pub fn structured(cfg: &PiiConfig) -> Mode {
        Mode(WORDS | Mode::text(cfg).0)
    }

    /// Free text Relay leaves alone (tags, transaction, URLs): precise rules only.
    pub fn text(cfg: &PiiConfig) -> Mode {
        Mode(VALUES | flag(cfg.ip, IP) | flag(cfg.email == EmailScope::All, EMAIL))
    }

    /// Log messages and exception values: precise rules, emails unless turned off.
    pub fn message(cfg: &PiiConfig) -> Mode {
        Mode(Mode::text(cfg).0 | flag(cfg.email != EmailScope::Off, EMAIL))
    }

    /// Stack frame file names and URLs: never IPs (source maps depend on them).
    pub fn url_only() -> Mode {
        Mode(URL_ONLY)
    }

    /// The same rules for a string that is itself a query string or form body.
    pub fn query(self) -> Mode {
        Mode(self.0 | QUERY)
    }

    fn has(self, bit: u8) -> bool {
        self.0 & bit != 0
    }

    /// Cards, IBANs, SSNs, tokens, keys, URL passwords, secrets in text, custom rules apply.
    pub fn values(self) -> bool {
        self.has(VALUES)
    }
}

/// Finds every hit in `s` under `mode` (unsorted, possibly overlapping).
pub fn find_hits(text: &str, mode: &Mode, cfg: &PiiConfig, out: &mut Vec<Hit>) {
    let s = text.as_bytes();
    let f = Features::of(s);
    if mode.has(URL_ONLY | VALUES) {
        if f.has(AT) && f.has(SLASH | ASSIGN) {
            urls::find_userinfo(s, out);
        }
        if f.has(ASSIGN) || f.colons > 0 {
            assign::find(text, mode.has(QUERY), cfg, out);
        }
        if f.has(DASH) && !mode.has(URL_ONLY) {
            assign::find_flags(text, cfg, out);
        }
        if mode.has(QUERY) && !mode.has(WORDS) {
            words::find_in_query(s, out);
        }
    }
    if mode.has(VALUES) {
        if f.has(DASH) {
            tokens::find_pem(s, out);
        }
        if f.has(DOT) && f.has(J) {
            tokens::find_jwt(s, out);
        }
        if f.has(B) {
            tokens::find_bearer(s, out);
        }
        if f.key_prefix {
            tokens::find_keys(s, out);
        }
        if f.digits >= 12 {
            cards::find(s, out);
        }
        if f.digits >= 4 {
            iban::find(s, out);
        }
        if f.digits >= 9 && f.has(DASH) {
            ssn::find(s, out);
        }
        for (i, rule) in cfg.value_rules().iter().enumerate() {
            custom::find(s, rule, i as u16, out);
        }
    }
    // `url_only` never carries `IP` or `EMAIL`, so no `URL_ONLY` test below.
    if mode.has(IP) {
        if f.digits >= 4 && f.has(DOT) {
            ip::find_v4(s, out);
        }
        if f.colons >= 2 {
            ip::find_v6(s, out);
        }
    }
    if mode.has(EMAIL) && f.has(AT) {
        email::find(s, out);
    }
}

/// Scrubs one string. Returns the new string and its remarks, or `None` when nothing
/// matched (the string is then left as it is).
pub fn scrub_str(s: &str, mode: &Mode, cfg: &PiiConfig) -> Option<(String, Vec<Remark>)> {
    if super::scan::literal(s.as_bytes()) {
        return None;
    }
    let cut = crate::text::word_cut(s, s.floor_char_boundary(MAX_SCAN_BYTES));
    let head = crate::text::part(s, 0, cut);
    let worded = mode.has(WORDS) && words::matches(head.as_bytes());
    let url = worded && words::url_like(head.as_bytes());
    let mut hits = Vec::new();
    // a worded value that is no URL is replaced whole without looking further; in a URL,
    // only when a word is left outside what the hits replace
    if !worded || url {
        find_hits(head, mode, cfg, &mut hits);
    }
    if worded && (!url || words::matches_in_url(head.as_bytes(), &hits)) {
        return Some(whole(Rule::Password, cfg));
    }
    if cut < s.len() {
        Hit::push(&mut hits, cut, s.len(), Rule::Limit);
    }
    apply(s, hits, cfg)
}

/// The whole value replaced by `rule`'s text.
pub fn whole(rule: Rule, cfg: &PiiConfig) -> (String, Vec<Remark>) {
    let text = rule.replacement(cfg);
    (text.to_string(), vec![Remark::replaced(rule, 0, text.len())])
}

/// Keeps the earliest (then highest-priority, then longest) non-overlapping hits and
/// rebuilds the string with remarks whose ranges are byte offsets into the result;
/// `None` when there are no hits (the string is then left as it is).
pub fn apply(s: &str, mut hits: Vec<Hit>, cfg: &PiiConfig) -> Option<(String, Vec<Remark>)> {
    if hits.is_empty() {
        return None;
    }
    // Insertion sort: each matcher reports in order, so the list is a few sorted runs,
    // and a string under the scan limit has a bounded number of hits. (The slice sorts
    // of `core` would add kilobytes to the wasm.)
    let before = |a: &Hit, b: &Hit| {
        (a.start, a.rule.priority(), usize::MAX - a.end) < (b.start, b.rule.priority(), usize::MAX - b.end)
    };
    for i in 1..hits.len() {
        let mut j = i;
        while j > 0 && before(&hits[j], &hits[j - 1]) {
            hits.swap(j, j - 1);
            j -= 1;
        }
    }
    let mut out = String::with_capacity(s.len());
    let mut remarks = Vec::new();
    let mut pos = 0;
    for h in hits {
        // `pos` is a character boundary, so `get` refuses a hit that starts before it or
        // off a boundary
        let Some(head) = s.get(pos..h.start) else { continue };
        // (`head` ends at `h.start`, a boundary: only `h.end` is left to check)
        if h.end <= h.start || s.get(pos..h.end).is_none() {
            continue;
        }
        out.push_str(head);
        let text = h.rule.replacement(cfg);
        let at = out.len();
        out.push_str(text);
        remarks.push(Remark::replaced(h.rule, at, out.len()));
        pos = h.end;
    }
    out.push_str(crate::text::part(s, pos, s.len()));
    Some((out, remarks))
}


#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> PiiConfig {
        PiiConfig::default()
    }

    fn run(s: &str, mode: Mode) -> String {
        scrub_str(s, &mode, &cfg()).map_or_else(|| s.to_string(), |(t, _)| t)
    }

    #[test]
    fn overlapping_hits_keep_the_earliest_and_ranges_are_bytes_of_the_result() {
        let c = cfg();
        let (out, rem) = scrub_str("é password=4111111111111111 ok", &Mode::text(&c), &c).unwrap();
        assert_eq!(out, "é password=[Filtered] ok");
        assert_eq!(rem.len(), 1);
        assert_eq!(rem[0].rule, Rule::Secret);
        assert_eq!(rem[0].kind, crate::pii::meta::Kind::Replaced(12, 22));
        assert_eq!(&out[12..22], "[Filtered]");
    }

    #[test]
    fn words_replace_the_whole_value_only_where_relay_does() {
        let c = cfg();
        assert_eq!(run("my password is hunter2", Mode::structured(&c)), "[Filtered]");
        assert_eq!(run("my password is hunter2", Mode::message(&c)), "my password is hunter2");
        assert_eq!(run("true", Mode::structured(&c)), "true");
    }

    #[test]
    fn long_strings_are_cut_before_scanning() {
        let c = cfg();
        let s = format!("{} 4111 1111 1111 1111", "ab ".repeat(MAX_SCAN_BYTES / 3 + 10));
        let (out, rem) = scrub_str(&s, &Mode::text(&c), &c).unwrap();
        assert_eq!(out.len(), MAX_SCAN_BYTES + 3 - 1, "the cut falls in a word of two letters: it goes");
        assert!(out.ends_with(" ..."));
        assert_eq!(rem[0].rule, Rule::Limit);
        // a secret the cut splits leaves nothing of itself
        for secret in ["4111 1111 1111 1111", "4111-1111-1111-1111", "sk_live_4eC39HqLyjWDarjtT1zdp7dc", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcdefghijklmnop", "AKIAIOSFODNN7EXAMPLE", "DE89 3704 0044 0532 0130 00", "user.name@example.com"] {
            for shift in 1..secret.len() {
                let s = format!("{} {secret} tail", "x".repeat(MAX_SCAN_BYTES - shift - 1));
                let (out, _) = scrub_str(&s, &Mode::text(&c), &c).unwrap();
                assert!(out.ends_with("x ..."), "{secret} split after {shift}: {:?}", &out[out.len() - 30..]);
            }
        }
        // a multi-byte character at the cut is not split
        let s = format!("{}é{}", "a".repeat(MAX_SCAN_BYTES - 1), "b".repeat(10));
        let (out, _) = scrub_str(&s, &Mode::text(&c), &c).unwrap();
        assert!(out.ends_with("a..."));
    }

    #[test]
    fn url_only_mode_keeps_ips_and_numbers() {
        assert_eq!(
            run("http://10.0.0.5/app.4111111111111111.js?token=abc", Mode::url_only()),
            "http://10.0.0.5/app.4111111111111111.js?token=[Filtered]"
        );
    }
}
