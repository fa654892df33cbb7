//! Tests of stage 9's size cap (`size_cap.rs`): no envelope over 1 MiB, and where an
//! event that is too big is cut.

use super::tests::{client, error_input, run, split, ISOLATION};
use super::*;
use serde_json::{json, Value};

#[test]
fn no_envelope_is_over_one_mebibyte() {
    let mut c = client(json!({}));
    for i in 0..100 {
        c.add_breadcrumb(ISOLATION, &json!({"message": "word ".repeat(4_000), "timestamp": i}).to_string(), 0.0);
    }
    let Outcome::Send(env) = run(&mut c, error_input("E", "crumbs")) else { panic!() };
    assert!(env.bytes.len() <= 1 << 20, "{} bytes", env.bytes.len());
    let ev = split(&env.bytes).2;
    let crumbs = ev["breadcrumbs"]["values"].as_array().unwrap();
    assert!(crumbs.len() < 100 && crumbs.len() > 10 && crumbs.last().unwrap()["timestamp"] == 99, "the oldest breadcrumbs go first");
    assert_eq!(ev["_meta"]["breadcrumbs"][""]["len"], 100);
    c.scope_set(ISOLATION, ScopeOp::SetExtra, Some("blob"), Some(&json!("y".repeat(3_000_000)).to_string()));
    c.scope_set(ISOLATION, ScopeOp::SetExtra, Some(&"k".repeat(20_000)), Some("1"));
    c.scope_set(ISOLATION, ScopeOp::SetContext, Some("big"), Some(&json!({"list": vec!["z".repeat(100); 20_000]}).to_string()));
    let Outcome::Send(env) = run(&mut c, error_input("E", "huge")) else { panic!() };
    assert!(env.bytes.len() <= 1 << 20, "{} bytes", env.bytes.len());
    let ev = split(&env.bytes).2;
    let meta = ev["_meta"].to_string();
    assert!(ev["_meta"]["contexts"][""]["len"].as_u64().unwrap_or(0) > 1_000_000, "{}", &meta[..meta.len().min(2000)]);
    assert!(ev["contexts"]["big"]["list"].as_array().unwrap().len() <= 50, "large containers are cut");
    assert!(ev["extra"]["blob"].as_str().unwrap().len() < 20_000, "long strings were cut when set");
    assert!(ev["extra"].as_object().unwrap().keys().all(|k| k.chars().count() <= 201), "keys are bounded");
    assert_eq!(ev["exception"]["values"][0]["value"], "huge");
}

#[test]
fn a_full_event_is_cut_where_it_is_biggest_and_keeps_its_newest_breadcrumbs() {
    let mut c = client(json!({}));
    // Extras and contexts of about 250 KB each (as the shim's normaliser bounds them), and
    // 100 breadcrumbs of about 16 KB: 6.6 MB in all.
    for n in 0..10 {
        let bag: serde_json::Map<String, Value> = (0..1_000).map(|i| (format!("k{i}"), json!("v".repeat(240)))).collect();
        c.scope_set(ISOLATION, ScopeOp::SetExtra, Some(&format!("extra{n}")), Some(&Value::Object(bag.clone()).to_string()));
        c.scope_set(ISOLATION, ScopeOp::SetContext, Some(&format!("context{n}")), Some(&Value::Object(bag).to_string()));
    }
    for i in 0..100 {
        c.add_breadcrumb(ISOLATION, &json!({"message": "m".repeat(16_000), "timestamp": i}).to_string(), 0.0);
    }
    let Outcome::Send(env) = run(&mut c, error_input("E", "full")) else { panic!() };
    assert!(env.bytes.len() <= 1 << 20, "{} bytes", env.bytes.len());
    let ev = split(&env.bytes).2;
    let crumbs = ev["breadcrumbs"]["values"].as_array().unwrap();
    assert!(crumbs.len() >= 40, "the big bags were cut first; {} breadcrumbs kept", crumbs.len());
    assert_eq!(crumbs.last().unwrap()["timestamp"], 99, "the newest kept");
    assert!(ev["extra"]["extra0"].as_object().unwrap().len() <= 50, "large containers are cut");
    assert_eq!(ev["_meta"]["breadcrumbs"][""]["len"], 100);
    assert_eq!(ev["exception"]["values"][0]["value"], "full");
}
