//! App-defined value rules (`scrub.values`): a literal prefix followed by a run of
//! characters from a class, e.g. `{ name: "stripe", prefix: "sk_live_", chars: "A-Za-z0-9",
//! minLength: 16 }`. No regular expressions: a prefix plus a character class covers API
//! keys and ids with a fixed shape and can be matched in one pass.
//!
//! A match takes the whole run of class characters after the prefix (so a long key is
//! never half-replaced) and needs at least `minLength` of them. Failed attempts read at
//! most `minLength` characters past the prefix, so the cost stays linear.

use super::config::ValueRule;
use super::scan::{at, at_ci};
use super::rule::{Hit, Rule};

/// Finds matches of `rule` (the `index`-th configured rule) in `s`.
pub fn find(s: &[u8], rule: &ValueRule, index: u16, out: &mut Vec<Hit>) {
    let p = &rule.prefix;
    if p.is_empty() {
        return;
    }
    let mut i = 0;
    while i + p.len() <= s.len() {
        let hit = if rule.ignore_case { at_ci(s, i, p) } else { at(s, i, p) };
        if hit {
            let mut j = i + p.len();
            while j < s.len() && rule.in_class(s[j]) {
                j += 1;
            }
            if j - (i + p.len()) >= rule.min_length {
                Hit::push(out, i, j, Rule::Custom(index));
                i = j;
                continue;
            }
        }
        i += 1;
    }
}

// The rules are read from a `scrub` object, which only a build with `scrub-rules` reads.
#[cfg(all(test, feature = "scrub-rules"))]
mod tests {
    use super::super::config::PiiConfig;
    use super::*;
    use serde_json::json;

    fn rule(v: serde_json::Value) -> ValueRule {
        let cfg = PiiConfig::from_options(false, Some(&json!({ "values": [v] }).to_string()), false).unwrap();
        cfg.values[0].clone()
    }

    fn hits<'a>(s: &'a str, r: &ValueRule) -> Vec<&'a str> {
        let mut out = Vec::new();
        find(s.as_bytes(), r, 0, &mut out);
        out.iter().map(|h| &s[h.start..h.end]).collect()
    }

    #[test]
    fn prefix_and_class() {
        let r = rule(json!({"name": "stripe", "prefix": "sk_live_", "chars": "A-Za-z0-9", "minLength": 8}));
        assert_eq!(hits("key sk_live_abcDEF123456 end", &r), vec!["sk_live_abcDEF123456"]);
        assert!(hits("sk_live_short", &r).is_empty());
        assert!(hits("SK_LIVE_abcdefghij", &r).is_empty());
        let ci = rule(json!({"name": "acme", "prefix": "acme-", "chars": "0-9", "minLength": 4, "ignoreCase": true}));
        assert_eq!(hits("ACME-12345 acme-1", &ci), vec!["ACME-12345"]);
        let lit = rule(json!({"name": "codename", "prefix": "Project Nightjar"}));
        assert_eq!(hits("about Project Nightjar!", &lit), vec!["Project Nightjar"]);
    }

    #[test]
    fn hostile_inputs_are_linear() {
        let r = rule(json!({"name": "a", "prefix": "a", "chars": "a", "minLength": 200}));
        for unit in ["ab", "a"] {
            crate::pii::testkit::assert_linear(unit, |n| unit.repeat(n), |s| {
                let _ = hits(s, &r);
            });
        }
    }
}
