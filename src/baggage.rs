//! The Dynamic Sampling Context (DSC) of a trace.
//!
//! The DSC is the head of a trace's summary (`trace_id`, `public_key`, `release`,
//! `environment`, `sample_rate`, `sampled`, `sample_rand`, `org_id`, …). It travels in
//! W3C `baggage` as `sentry-` prefixed entries and, prefix stripped, as the `trace`
//! header of every envelope. The `baggage` text itself (reading the incoming header,
//! writing the outgoing one with the app's members and the 8192-byte cap) is the shim's
//! (`js/api/trace-headers.ts`); between the shim and the core a DSC crosses as a JSON
//! array of strings, each key (prefix stripped) followed by its value, in order:
//! `["trace_id","…","public_key","…"]`.

use crate::json::read;
use crate::json::write::{Arr, Obj};

/// A Dynamic Sampling Context: keys without the `sentry-` prefix, in order, values decoded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dsc(pub Vec<(String, String)>);

impl Dsc {
    /// The value of `key`, if present.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// True when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Reads the shim's `["key","value",…]` array; `None` when it is not one or holds no
    /// entry. Pairs that are not two strings, empty keys and repeated keys are skipped.
    pub fn from_json(text: &str) -> Option<Dsc> {
        let items = read::elements(text)?;
        let mut dsc = Dsc::default();
        let mut i = 1;
        while i < items.len() {
            if let (Some(k), Some(v)) = (read::string(items[i - 1]), read::string(items[i])) {
                if !k.is_empty() && dsc.get(&k).is_none() {
                    dsc.0.push((k.into_owned(), v.into_owned()));
                }
            }
            i += 2;
        }
        (!dsc.is_empty()).then_some(dsc)
    }

    /// Writes the `["key","value",…]` array the shim reads.
    pub fn write_pairs(&self, out: &mut Vec<u8>) {
        let mut a = Arr::new(out);
        for (k, v) in &self.0 {
            a.str(k);
            a.str(v);
        }
        a.end();
    }

    /// Writes the envelope's `trace` header, an object of strings; `value` may rewrite
    /// each value (the core scrubs them) before it is written.
    pub fn write(&self, out: &mut Vec<u8>, mut value: impl for<'v> FnMut(&str, &'v str) -> std::borrow::Cow<'v, str>) {
        let mut o = Obj::new(out);
        for (k, v) in &self.0 {
            crate::json::write::string(o.key(k), &value(k, v));
        }
        o.end();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dsc(pairs: &[(&str, &str)]) -> Dsc {
        Dsc(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    #[test]
    fn crosses_as_an_array_of_keys_and_values_in_order() {
        let d = dsc(&[("trace_id", "abc"), ("0", "first key that looks like an index"), ("release", "app@1.0,+ä;x=y\"\\"), ("environment", "prod uction")]);
        let mut out = Vec::new();
        d.write_pairs(&mut out);
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v, serde_json::json!(["trace_id", "abc", "0", "first key that looks like an index", "release", "app@1.0,+ä;x=y\"\\", "environment", "prod uction"]));
        assert_eq!(Dsc::from_json(std::str::from_utf8(&out).unwrap()), Some(d.clone()));
        let mut out = Vec::new();
        d.write(&mut out, |_, v| v.into());
        assert_eq!(serde_json::from_slice::<serde_json::Value>(&out).unwrap()["release"], "app@1.0,+ä;x=y\"\\");
    }

    #[test]
    fn odd_input_reads_as_what_it_holds() {
        assert_eq!(Dsc::from_json(r#"["a","1","","x","a","2","b",3,"c","4","d"]"#), Some(dsc(&[("a", "1"), ("c", "4")])), "empty, repeated and non-string pairs skipped, a trailing key ignored");
        for t in ["", "[]", "{}", "null", r#"["a"]"#, r#"["a","1""#, "[1,2]", r#"{"a":"1"}"#] {
            assert_eq!(Dsc::from_json(t), None, "{t:?}");
        }
    }
}
