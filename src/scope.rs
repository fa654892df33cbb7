//! One scope: the data that events captured under it inherit (tags, extras, contexts,
//! user, level, fingerprint, transaction name, breadcrumbs), and how a stack of scopes is
//! applied to an event.
//!
//! Precedence, lowest first: global < isolation < current < data given at capture. Maps
//! (tags, extra, contexts) merge key by key; the user merges field by field; level,
//! fingerprint and transaction come from the most specific place that sets them;
//! breadcrumbs of all scopes are merged in time order and the newest kept.

use std::collections::VecDeque;

use serde_json::{Map, Value};

/// Scope data. Cloning a scope is how `withScope` forks it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scope {
    /// Tag values are always strings.
    pub tags: Map<String, Value>,
    /// Arbitrary extra data.
    pub extra: Map<String, Value>,
    /// Named context objects (`contexts.<name>`).
    pub contexts: Map<String, Value>,
    /// The user, when set.
    pub user: Option<Map<String, Value>>,
    /// Level override.
    pub level: Option<String>,
    /// Grouping fingerprint.
    pub fingerprint: Option<Vec<Value>>,
    /// Transaction name (what the app was doing).
    pub transaction: Option<String>,
    /// Breadcrumbs, oldest first; never longer than the client's `maxBreadcrumbs`.
    pub breadcrumbs: VecDeque<Value>,
    /// The trace of this scope's events and requests (read from isolation scopes; forked
    /// with them; see `trace.rs`).
    pub propagation: Option<crate::trace::PropagationContext>,
}

/// Longest tag key or value Sentry keeps, in characters.
const MAX_TAG_CHARS: usize = 200;

/// Renders a tag value as the string Sentry wants.
pub fn tag_value(v: &Value) -> Value {
    let s = match v {
        Value::String(s) => s.clone(),
        Value::Null => "null".into(),
        other => other.to_string(),
    };
    Value::String(crate::event::truncate(&s, MAX_TAG_CHARS))
}

impl Scope {
    /// Sets one tag (non-string values are stringified).
    pub fn set_tag(&mut self, key: &str, value: &Value) {
        if !key.is_empty() {
            self.tags.insert(crate::event::truncate(key, MAX_TAG_CHARS), tag_value(value));
        }
    }

    /// Sets every tag of `tags` (an object); other values are ignored.
    pub fn set_tags(&mut self, tags: &Value) {
        if let Value::Object(m) = tags {
            for (k, v) in m {
                self.set_tag(k, v);
            }
        }
    }

    /// Sets one extra; `null`/undefined removes it.
    pub fn set_extra(&mut self, key: &str, value: Value) {
        if value.is_null() {
            self.extra.remove(key);
        } else {
            self.extra.insert(key.into(), value);
        }
    }

    /// Sets every extra of `extras` (an object).
    pub fn set_extras(&mut self, extras: Value) {
        if let Value::Object(m) = extras {
            for (k, v) in m {
                self.set_extra(&k, v);
            }
        }
    }

    /// Sets a named context; `null` removes it. Non-object values are wrapped as `{value}`.
    pub fn set_context(&mut self, key: &str, value: Value) {
        match value {
            Value::Null => {
                self.contexts.remove(key);
            }
            Value::Object(m) => {
                self.contexts.insert(key.into(), Value::Object(m));
            }
            other => {
                let mut m = Map::new();
                m.insert("value".into(), other);
                self.contexts.insert(key.into(), Value::Object(m));
            }
        }
    }

    /// Sets the user; `null` (or a non-object) clears it.
    pub fn set_user(&mut self, user: Value) {
        self.user = match user {
            Value::Object(m) if !m.is_empty() => Some(m),
            _ => None,
        };
    }

    /// Sets the fingerprint from an array of strings; anything else clears it.
    pub fn set_fingerprint(&mut self, fp: Value) {
        self.fingerprint = match fp {
            Value::Array(a) if !a.is_empty() => Some(a.into_iter().map(|v| tag_value(&v)).collect()),
            _ => None,
        };
    }

    /// Appends a breadcrumb, dropping the oldest beyond `max` (0 keeps none).
    pub fn add_breadcrumb(&mut self, crumb: Value, max: usize) {
        if max == 0 {
            return;
        }
        self.breadcrumbs.push_back(crumb);
        while self.breadcrumbs.len() > max {
            self.breadcrumbs.pop_front();
        }
    }

    /// Resets the scope to empty.
    pub fn clear(&mut self) {
        *self = Scope::default();
    }
}

fn merge_map(into: &mut Map<String, Value>, from: &Map<String, Value>) {
    for (k, v) in from {
        into.entry(k.clone()).or_insert_with(|| v.clone());
    }
}

fn timestamp_of(crumb: &Value) -> f64 {
    crumb.get("timestamp").and_then(Value::as_f64).unwrap_or(0.0)
}

/// Applies `scopes` (most specific first: current, isolation, global) to `event`, whose
/// own fields win. Breadcrumbs: all scopes' and the event's, time-ordered, newest `max`.
pub fn apply(event: &mut Map<String, Value>, scopes: &[&Scope], max_breadcrumbs: usize) {
    for (field, pick) in [("tags", 0u8), ("extra", 1), ("contexts", 2)] {
        let mut merged = match event.remove(field) {
            Some(Value::Object(m)) => m,
            _ => Map::new(),
        };
        for s in scopes {
            merge_map(&mut merged, [&s.tags, &s.extra, &s.contexts][pick as usize]);
        }
        if field == "tags" {
            for v in merged.values_mut() {
                *v = tag_value(v);
            }
        }
        if !merged.is_empty() {
            event.insert(field.into(), Value::Object(merged));
        }
    }
    let mut user = match event.remove("user") {
        Some(Value::Object(m)) => m,
        _ => Map::new(),
    };
    for s in scopes {
        if let Some(u) = &s.user {
            merge_map(&mut user, u);
        }
    }
    if !user.is_empty() {
        event.insert("user".into(), Value::Object(user));
    }
    if !event.contains_key("level") {
        if let Some(l) = scopes.iter().find_map(|s| s.level.as_deref()) {
            event.insert("level".into(), Value::from(l));
        }
    }
    if !event.contains_key("fingerprint") {
        if let Some(fp) = scopes.iter().find_map(|s| s.fingerprint.as_ref()) {
            event.insert("fingerprint".into(), Value::Array(fp.clone()));
        }
    }
    if !event.contains_key("transaction") {
        if let Some(t) = scopes.iter().find_map(|s| s.transaction.as_deref()) {
            event.insert("transaction".into(), Value::from(t));
        }
    }
    let own = match event.remove("breadcrumbs") {
        Some(Value::Object(mut m)) => match m.remove("values") {
            Some(Value::Array(a)) => a,
            _ => Vec::new(),
        },
        Some(Value::Array(a)) => a,
        _ => Vec::new(),
    };
    let mut crumbs: Vec<Value> = scopes.iter().rev().flat_map(|s| s.breadcrumbs.iter().cloned()).chain(own).collect();
    if max_breadcrumbs > 0 && !crumbs.is_empty() {
        // Stable sort keeps insertion order for equal timestamps.
        crumbs.sort_by(|a, b| timestamp_of(a).partial_cmp(&timestamp_of(b)).unwrap_or(core::cmp::Ordering::Equal));
        let skip = crumbs.len().saturating_sub(max_breadcrumbs);
        let kept: Vec<Value> = crumbs.into_iter().skip(skip).collect();
        let mut wrap = Map::new();
        wrap.insert("values".into(), Value::Array(kept));
        event.insert("breadcrumbs".into(), Value::Object(wrap));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn crumb(t: f64, m: &str) -> Value {
        json!({"timestamp": t, "message": m})
    }

    #[test]
    fn merge_order_global_isolation_current_event() {
        let mut global = Scope::default();
        global.set_tag("a", &json!("global"));
        global.set_tag("g", &json!("only-global"));
        global.level = Some("info".into());
        let mut iso = Scope::default();
        iso.set_tag("a", &json!("iso"));
        iso.set_tag("b", &json!("iso"));
        iso.set_user(json!({"id": "42", "email": "a@b.c"}));
        let mut cur = Scope::default();
        cur.set_tag("b", &json!("current"));
        cur.set_user(json!({"id": "7"}));
        cur.set_extra("x", json!({"deep": [1, 2]}));
        let mut ev: Map<String, Value> = serde_json::from_value(json!({"tags": {"c": "event"}})).unwrap();
        apply(&mut ev, &[&cur, &iso, &global], 100);
        assert_eq!(ev["tags"], json!({"a": "iso", "b": "current", "c": "event", "g": "only-global"}));
        assert_eq!(ev["user"], json!({"id": "7", "email": "a@b.c"}));
        assert_eq!(ev["extra"]["x"]["deep"][1], 2);
        assert_eq!(ev["level"], "info");
        assert!(ev.get("contexts").is_none(), "empty maps are not written");
    }

    #[test]
    fn event_fields_win_over_scopes() {
        let mut s = Scope::default();
        s.level = Some("warning".into());
        s.set_fingerprint(json!(["scope"]));
        s.transaction = Some("GET /scope".into());
        let mut ev: Map<String, Value> = serde_json::from_value(json!({"level": "fatal", "fingerprint": ["ev"], "transaction": "ev"})).unwrap();
        apply(&mut ev, &[&s], 100);
        assert_eq!(ev["level"], "fatal");
        assert_eq!(ev["fingerprint"], json!(["ev"]));
        assert_eq!(ev["transaction"], "ev");
        let mut bare = Map::new();
        apply(&mut bare, &[&s], 100);
        assert_eq!(bare["fingerprint"], json!(["scope"]));
        assert_eq!(bare["transaction"], "GET /scope");
    }

    #[test]
    fn ring_buffer_keeps_newest_and_zero_disables() {
        let mut s = Scope::default();
        for i in 0..10 {
            s.add_breadcrumb(crumb(i as f64, &i.to_string()), 3);
        }
        assert_eq!(s.breadcrumbs.len(), 3);
        assert_eq!(s.breadcrumbs[0]["message"], "7");
        let mut off = Scope::default();
        off.add_breadcrumb(crumb(1.0, "x"), 0);
        assert!(off.breadcrumbs.is_empty());
    }

    #[test]
    fn breadcrumbs_merge_in_time_order_across_scopes() {
        let mut g = Scope::default();
        g.add_breadcrumb(crumb(1.0, "g1"), 10);
        g.add_breadcrumb(crumb(5.0, "g5"), 10);
        let mut i = Scope::default();
        i.add_breadcrumb(crumb(3.0, "i3"), 10);
        let mut c = Scope::default();
        c.add_breadcrumb(crumb(4.0, "c4"), 10);
        let mut ev = Map::new();
        apply(&mut ev, &[&c, &i, &g], 3);
        let msgs: Vec<&str> = ev["breadcrumbs"]["values"].as_array().unwrap().iter().map(|c| c["message"].as_str().unwrap()).collect();
        assert_eq!(msgs, ["i3", "c4", "g5"]);
    }

    #[test]
    fn setters_normalise_values() {
        let mut s = Scope::default();
        s.set_tags(&json!({"n": 5, "b": true, "long": "x".repeat(300)}));
        assert_eq!(s.tags["n"], "5");
        assert_eq!(s.tags["b"], "true");
        assert_eq!(s.tags["long"].as_str().unwrap().chars().count(), 201);
        s.set_extras(json!({"a": 1, "b": {"c": 2}}));
        s.set_extra("a", Value::Null);
        assert!(!s.extra.contains_key("a"));
        s.set_context("app", json!({"v": 1}));
        s.set_context("scalar", json!(3));
        assert_eq!(s.contexts["scalar"], json!({"value": 3}));
        s.set_user(json!({"id": 1}));
        s.set_user(Value::Null);
        assert!(s.user.is_none(), "null clears the user");
        s.clear();
        assert_eq!(s, Scope::default());
    }
}
