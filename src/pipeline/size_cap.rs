//! Stage 9's size cap: no event leaves bigger than `MAX_EVENT_BYTES` (Sentry's 1 MiB).

use super::*;

/// Stage 9's size cap (see `protocol/limits.rs`): the biggest field first, again and
/// again: breadcrumbs lose their oldest, any other field its long strings and large
/// containers; then the biggest optional fields go whole.
pub(super) fn cap_size(fields: &mut [(&str, std::borrow::Cow<str>)], meta: &mut EventMeta) {
    const KEEP: [&str; 5] = ["timestamp", "platform", "level", "sdk", "exception"];
    for pass in 0..2 {
        while size(fields) > MAX_EVENT_BYTES {
            // The biggest candidate; of equal ones, the last.
            // (the list's length when there is none)
            let mut i = fields.len();
            for (j, (k, v)) in fields.iter().enumerate() {
                if KEEP.contains(k) || v.as_ref() == "null" || (pass == 0 && meta.trimmed.iter().any(|(t, _)| t == k)) {
                    continue;
                }
                if i == fields.len() || v.len() >= fields[i].1.len() {
                    i = j;
                }
            }
            if i == fields.len() {
                break;
            }
            if pass == 0 && fields[i].0 == "breadcrumbs" && drop_oldest_crumbs(fields, i, meta) {
                continue;
            }
            let original = fields[i].1.len();
            let replacement = if pass == 0 {
                let mut out = Vec::new();
                let _ = limits::trim_json(&fields[i].1, limits::TRIM_STRING_CHARS, limits::TRIM_ITEMS, &mut out);
                // (UTF-8 even when cut short: the trim copies whole tokens of the text and
                // writes strings cut at character boundaries.)
                crate::text::utf8(out)
            } else {
                "null".into()
            };
            replace(fields, i, replacement, original, meta);
        }
    }
}

/// The event's size as written (an estimate from above: names, values and separators).
fn size(fields: &[(&str, std::borrow::Cow<str>)]) -> usize {
    let mut n = 64;
    for (k, v) in fields {
        n += k.len() + v.len() + 4;
    }
    n
}

/// Drops the oldest breadcrumbs of field `i` until the event fits (all of them if it
/// must); false when there were none to drop.
fn drop_oldest_crumbs(fields: &mut [(&str, std::borrow::Cow<str>)], i: usize, meta: &mut EventMeta) -> bool {
    let others = size(fields) - fields[i].1.len();
    let mut out = Vec::new();
    let (count, dropped) = {
        let values = read::field(&fields[i].1, "values").and_then(read::elements).unwrap_or_default();
        let mut total = 16;
        for v in &values {
            total += v.len() + 1;
        }
        let mut dropped = 0;
        while others + total > MAX_EVENT_BYTES && dropped < values.len() {
            total -= values[dropped].len() + 1;
            dropped += 1;
        }
        if dropped > 0 {
            out.reserve(total);
            let mut o = Obj::new(&mut out);
            let mut a = w::Arr::new(o.name("values"));
            for v in &values[dropped..] {
                a.raw(v.as_bytes());
            }
            a.end();
            o.end();
        }
        (values.len(), dropped)
    };
    if dropped > 0 {
        meta.drop_crumbs(dropped);
        replace(fields, i, crate::text::utf8(out), count, meta);
    }
    dropped > 0
}

/// Gives field `i` the value `text` and records the cut: `{"len":…}`, the length of the
/// value it had. (Each field is in the list once: an earlier record is removed, the new
/// one appended.) One routine for the breadcrumbs and the other fields.
fn replace(fields: &mut [(&str, std::borrow::Cow<str>)], i: usize, text: String, len: usize, meta: &mut EventMeta) {
    let mut out = Vec::new();
    let mut o = Obj::new(&mut out);
    o.uint("len", len as u64);
    o.end();
    super::build::put_last(&mut meta.trimmed, fields[i].0.to_string(), out);
    fields[i].1 = std::borrow::Cow::Owned(text);
}
