//! Tests of sampling in the capture pipeline, and of what a dropped error still does to a
//! session: `sampleRate` is drawn from the host's randomness and applied after the filters
//! and callbacks; an error sampled out, or dropped by the host before it was built, still
//! counts in the session; one filtered out does not.

use super::tests::{cap, client, error_input, hand_back, reason, run, ISOLATION};
use super::*;
use serde_json::{json, Value};

const IDS: ScopeIds = ScopeIds { current: 2, isolation: 1, global: 0 };

#[test]
fn sampling_uses_host_randomness_and_counts_drops() {
    let mut c = client(json!({"sampleRate": [1, 1]}));
    let mut low = [0u8; CAPTURE_RANDOM_BYTES];
    low[16..20].copy_from_slice(&(u32::MAX / 4).to_le_bytes());
    let mut high = [0u8; CAPTURE_RANDOM_BYTES];
    high[16..20].copy_from_slice(&(u32::MAX / 4 * 3).to_le_bytes());
    assert!(matches!(cap(&mut c, &error_input("E", "kept"), IDS, &low), Outcome::Send(_)));
    assert_eq!(reason(cap(&mut c, &error_input("E", "dropped"), IDS, &high)), Reason::SampleRate);
    assert_eq!(c.outcomes().count(Reason::SampleRate, Category::Error), 1);
    let mut none = client(json!({"sampleRate": [0, 0]}));
    assert_eq!(reason(cap(&mut none, &error_input("E", "x"), IDS, &low)), Reason::SampleRate);
}

#[test]
fn an_event_sampled_out_still_says_what_it_did_to_the_session() {
    use crate::session::Effect;
    let mut c = client(json!({"sampleRate": 0}));
    let mut unhandled = error_input("E", "crashed");
    unhandled["mechanism"] = json!({"type": "onerror", "handled": false});
    assert_eq!(reason(run(&mut c, unhandled)), Reason::SampleRate);
    assert_eq!(c.last_effect(), Effect::Crash);
    run(&mut c, error_input("E", "handled"));
    assert_eq!(c.last_effect(), Effect::Error);
    run(&mut c, json!({"message": "a message never counts", "level": "error"}));
    assert_eq!(c.last_effect(), Effect::None);
    c.scope_set(ISOLATION, ScopeOp::SetLevel, None, Some("\"warning\""));
    run(&mut c, error_input("E", "below error level"));
    assert_eq!(c.last_effect(), Effect::None);
}

#[test]
fn sampling_comes_after_the_filters_and_the_callbacks() {
    use crate::session::Effect;
    // An error the app filters out is not sampled: it never counts in a session.
    let mut c = client(json!({"sampleRate": 0, "ignoreErrors": ["noisy widget"]}));
    assert_eq!(reason(run(&mut c, error_input("E", "noisy widget broke"))), Reason::EventProcessor);
    assert_eq!(c.outcomes().count(Reason::SampleRate, Category::Error), 0);
    // With host stages, the event goes through them first; `finish` samples it out and
    // says what the event, as the callbacks left it, does to the session.
    let (event, _) = hand_back(&mut c, &error_input("E", "handed back"));
    let mut ev: Value = serde_json::from_str(&event).unwrap();
    let id = ev["event_id"].as_str().unwrap().to_string();
    ev["exception"]["values"][0]["mechanism"] = json!({"type": "onerror", "handled": false});
    assert_eq!(reason(c.finish(&id, &ev.to_string(), 0.0)), Reason::SampleRate);
    assert_eq!(c.last_effect(), Effect::Crash);
    assert_eq!(c.pending_count(), 0);
}

#[test]
fn an_error_dropped_before_it_was_built_still_counts_in_the_session() {
    use crate::session::Effect;
    let mut c = client(json!({}));
    assert_eq!(c.shed_effect(r#"{"exception":{},"mechanism":{"handled":false}}"#, IDS), Effect::Crash);
    assert_eq!(c.shed_effect(r#"{"exception":{},"mechanism":{"handled":true}}"#, IDS), Effect::Error);
    assert_eq!(c.shed_effect(r#"{"exception":{},"level":"warning"}"#, IDS), Effect::None);
    assert_eq!(c.shed_effect(r#"{"message":"a message never counts"}"#, IDS), Effect::None);
    assert_eq!(c.shed_effect("not json", IDS), Effect::None);
    c.scope_set(ISOLATION, ScopeOp::SetLevel, None, Some("\"warning\""));
    assert_eq!(c.shed_effect(r#"{"exception":{}}"#, IDS), Effect::None, "a scope's level applies");
    assert_eq!(c.shed_effect(r#"{"exception":{},"level":"fatal"}"#, IDS), Effect::Error, "the capture's level wins");
}

#[test]
fn an_error_sampled_out_is_no_previous_event_for_dedupe() {
    let mut c = client(json!({"sampleRate": [1, 1]}));
    let mut high = [0u8; CAPTURE_RANDOM_BYTES];
    high[16..20].copy_from_slice(&(u32::MAX / 4 * 3).to_le_bytes());
    let mut low = [0u8; CAPTURE_RANDOM_BYTES];
    low[16..20].copy_from_slice(&(u32::MAX / 4).to_le_bytes());
    assert_eq!(reason(cap(&mut c, &error_input("E", "repeats"), IDS, &high)), Reason::SampleRate);
    assert!(matches!(cap(&mut c, &error_input("E", "repeats"), IDS, &low), Outcome::Send(_)), "its sampled-in repeat is sent");
    assert_eq!(reason(cap(&mut c, &error_input("E", "repeats"), IDS, &low)), Reason::EventProcessor, "a repeat of a sent one is a duplicate");
    assert_eq!(reason(cap(&mut c, &error_input("E", "repeats"), IDS, &high)), Reason::EventProcessor, "also when it would be sampled out");
}
