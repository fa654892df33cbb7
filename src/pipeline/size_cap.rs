//! Stage 9's size cap: no event leaves bigger than `MAX_EVENT_BYTES` (Sentry's 1 MiB).

use super::*;

/// Stage 9's size cap (see `protocol/limits.rs`): oldest breadcrumbs first, then long
/// strings and large containers of the biggest fields, then the biggest optional fields.
pub(super) fn cap_size(fields: &mut [(&str, std::borrow::Cow<str>)], meta: &mut EventMeta) {
    let size = |f: &[(&str, std::borrow::Cow<str>)]| f.iter().map(|(k, v)| k.len() + v.len() + 4).sum::<usize>() + 64;
    if size(fields) <= MAX_EVENT_BYTES {
        return;
    }
    // Breadcrumbs, oldest first.
    if let Some(i) = fields.iter().position(|(k, _)| *k == "breadcrumbs") {
        let values = read::field(&fields[i].1, "values").and_then(read::elements).unwrap_or_default().into_iter().map(String::from).collect::<Vec<_>>();
        let others = size(fields) - fields[i].1.len();
        let mut keep = values.len();
        let mut total: usize = values.iter().map(|v| v.len() + 1).sum::<usize>() + 16;
        let mut dropped = 0;
        while others + total > MAX_EVENT_BYTES && keep > 0 {
            total -= values[dropped].len() + 1;
            dropped += 1;
            keep -= 1;
        }
        if dropped > 0 {
            let mut out = Vec::with_capacity(total);
            let mut o = Obj::new(&mut out);
            let mut a = w::Arr::new(o.key("values"));
            for v in &values[dropped..] {
                a.raw(v.as_bytes());
            }
            a.end();
            o.end();
            fields[i].1 = std::borrow::Cow::Owned(String::from_utf8(out).unwrap_or_default());
            meta.drop_crumbs(dropped);
            meta.trimmed.push(("breadcrumbs".into(), len_remark(values.len())));
        }
    }
    // Long strings and large containers, biggest field first; then whole fields.
    const KEEP: [&str; 5] = ["timestamp", "platform", "level", "sdk", "exception"];
    for pass in 0..2 {
        while size(fields) > MAX_EVENT_BYTES {
            let Some(i) = fields
                .iter()
                .enumerate()
                .filter(|(_, (k, v))| !KEEP.contains(k) && v.as_ref() != "null" && (pass == 1 || !meta.trimmed.iter().any(|(t, _)| t == k)))
                .max_by_key(|(_, (_, v))| v.len())
                .map(|(i, _)| i)
            else {
                break;
            };
            let original = fields[i].1.len();
            let replacement = if pass == 0 {
                let mut out = Vec::new();
                let _ = limits::trim_json(&fields[i].1, limits::TRIM_STRING_CHARS, limits::TRIM_ITEMS, &mut out);
                String::from_utf8(out).unwrap_or_else(|_| "null".into())
            } else {
                "null".into()
            };
            let key = fields[i].0.to_string();
            fields[i].1 = std::borrow::Cow::Owned(replacement);
            meta.trimmed.retain(|(t, _)| *t != key);
            meta.trimmed.push((key, len_remark(original)));
        }
    }
}

fn len_remark(len: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut o = Obj::new(&mut out);
    o.uint("len", len as u64);
    o.end();
    out
}
