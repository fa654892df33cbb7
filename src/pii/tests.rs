//! Whole-event tests: every place of an event, `_meta` remarks, defaults and options.

use super::*;
use serde_json::{json, Map, Value};
use std::borrow::Cow;

fn cfg(sdp: Option<Value>, scrub: Option<Value>) -> PiiConfig {
    let mut c =
        PiiConfig::from_options(sdp == Some(Value::Bool(true)), scrub.map(|v| v.to_string()).as_deref(), true).unwrap();
    c.sdk_settings = true;
    c
}

/// The event scrubbed as JSON text, parsed back by serde_json (the oracle).
fn scrubbed(ev: Value, c: &PiiConfig) -> Value {
    let mut out = Vec::new();
    let mut meta = MetaLog::default();
    scrub_json(&ev.to_string(), &[], c, &mut out, &mut meta).unwrap();
    assert!(meta.is_empty());
    serde_json::from_slice(&out).unwrap()
}

const JWT: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";

#[test]
fn every_place_of_an_event() {
    let ev = json!({
        "event_id": "0123456789abcdef0123456789abcdef",
        "release": "shop@1.2.3.4",
        "logentry": {"formatted": "login failed for bob@example.com password=hunter2 from 203.0.113.9"},
        "exception": {"values": [{
            "type": "AuthError",
            "value": "card 4111 1111 1111 1111 rejected, token: tok_live_1",
            "stacktrace": {"frames": [{
                "function": "authenticate",
                "filename": "https://app.example.com/app.js?token=abc",
                "abs_path": "http://10.0.0.5/static/app.4111111111111111.js",
                "vars": {"password": "hunter2", "ok": "fine", "pair": ["secret", "s3"], "n": 4111111111111111u64}
            }]}
        }]},
        "breadcrumbs": {"values": [
            {"category": "auth", "message": "Authenticating user"},
            {"category": "fetch", "data": {"url": "https://api.example.com/x?api_key=k1&page=2", "status_code": 200}}
        ]},
        "request": {
            "url": "https://u:pw@example.com/p?access_token=t1&q=shoes",
            "query_string": "sig=abc&q=reset+password",
            "headers": {"Authorization": "Bearer abc", "User-Agent": "Mozilla/5.0 Chrome/120.0.0.0", "X-Forwarded-For": "198.51.100.7", "Cookie": "sessionid=s1; theme=dark", "Accept": "text/html"},
            "cookies": {"sessionid": "s1", "theme": "dark"},
            "data": {"card": "4111-1111-1111-1111", "nested": "{\"password\":\"p1\"}"},
            "env": {"REMOTE_ADDR": "198.51.100.8"}
        },
        "user": {"id": "42", "email": "bob@example.com", "ip_address": "198.51.100.9", "data": {"ssn": "123-45-6789"}},
        "contexts": {"browser": {"name": "Chrome", "version": "120.0.0.0"}, "custom": {"iban": "DE89370400440532013000", "jwt_here": JWT}},
        "tags": {"api_key": "k2", "host": "192.0.2.1", "service": "auth-api"},
        "extra": {"note": "hello", "pem": "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----"},
        "transaction": "/user/bob@example.com/orders?token=t2",
        "fingerprint": ["{{ default }}"]
    });
    let out = scrubbed(ev, &PiiConfig::default());
    assert_eq!(out["release"], "shop@1.2.3.4");
    assert_eq!(out["logentry"]["formatted"], "login failed for [email] password=[Filtered] from [ip]");
    let ex = &out["exception"]["values"][0];
    assert_eq!(ex["type"], "AuthError");
    assert_eq!(ex["value"], "card [creditcard] rejected, token: [Filtered]");
    let frame = &ex["stacktrace"]["frames"][0];
    assert_eq!(frame["function"], "authenticate");
    assert_eq!(frame["filename"], "https://app.example.com/app.js?token=[Filtered]");
    assert_eq!(frame["abs_path"], "http://10.0.0.5/static/app.4111111111111111.js");
    assert_eq!(
        frame["vars"],
        json!({"password": "[Filtered]", "ok": "fine", "pair": ["secret", "[Filtered]"], "n": "[creditcard]"})
    );
    assert_eq!(out["breadcrumbs"]["values"][0]["message"], "[Filtered]");
    assert_eq!(out["breadcrumbs"]["values"][0]["category"], "auth");
    assert_eq!(out["breadcrumbs"]["values"][1]["data"]["url"], "https://api.example.com/x?api_key=[Filtered]&page=2");
    let req = &out["request"];
    assert_eq!(req["url"], "https://u:[Filtered]@example.com/p?access_token=[Filtered]&q=shoes");
    assert_eq!(req["query_string"], "sig=[Filtered]&q=[Filtered]");
    assert_eq!(req["headers"]["Authorization"], "[Filtered]");
    assert_eq!(req["headers"]["User-Agent"], "Mozilla/5.0 Chrome/120.0.0.0");
    assert_eq!(req["headers"]["X-Forwarded-For"], "[ip]");
    assert_eq!(req["headers"]["Cookie"], "sessionid=[Filtered]; theme=[Filtered]");
    assert_eq!(req["headers"]["Accept"], "text/html");
    assert_eq!(req["cookies"], json!({"sessionid": "[Filtered]", "theme": "[Filtered]"}));
    assert_eq!(req["data"], json!({"card": "[creditcard]", "nested": "[Filtered]"}));
    assert_eq!(req["env"]["REMOTE_ADDR"], Value::Null);
    assert_eq!(
        out["user"],
        json!({"id": "42", "email": "bob@example.com", "ip_address": null, "data": {"ssn": "[Filtered]"}})
    );
    assert_eq!(out["contexts"]["browser"]["version"], "120.0.0.0");
    assert_eq!(out["contexts"]["custom"], json!({"iban": "[iban]", "jwt_here": "[Filtered]"}));
    assert_eq!(out["tags"], json!({"api_key": "[Filtered]", "host": "[ip]", "service": "auth-api"}));
    assert_eq!(out["extra"]["note"], "hello");
    assert_eq!(out["extra"]["pem"], "-----BEGIN PRIVATE KEY-----\n[pemkey]\n-----END PRIVATE KEY-----");
    assert_eq!(out["transaction"], "/user/bob@example.com/orders?token=[Filtered]");
    assert!(out.get("sdk").is_none(), "sdk.settings only for sentry.io");
    let meta = &out["_meta"];
    assert_eq!(
        meta["request"]["headers"]["Authorization"][""],
        json!({"rem": [["!oxeye:key", "s", 0, 10]], "len": 10})
    );
    assert_eq!(meta["user"]["ip_address"][""], json!({"rem": [["!oxeye:ip", "x"]]}));
    assert_eq!(
        meta["logentry"]["formatted"][""],
        json!({"rem": [["!oxeye:email", "s", 17, 24], ["!oxeye:secret", "s", 34, 44], ["!oxeye:ip", "s", 50, 54]], "len": 66})
    );
    assert_eq!(
        meta["exception"]["values"]["0"]["stacktrace"]["frames"]["0"]["vars"]["pair"]["1"][""]["rem"][0][0],
        "!oxeye:key"
    );
}

#[test]
fn send_default_pii_keeps_ips_and_ordinary_cookies() {
    let c = cfg(Some(json!(true)), None);
    let ev = json!({
        "request": {"headers": [["Cookie", "sessionid=s1; theme=dark"], ["X-Real-IP", "198.51.100.7"], ["X-Api-Key", "k"]]},
        "extra": {"where": "from 198.51.100.7"}
    });
    let out = scrubbed(ev, &c);
    assert_eq!(
        out["request"]["headers"],
        json!([
            ["Cookie", "sessionid=[Filtered]; theme=dark"],
            ["X-Real-IP", "198.51.100.7"],
            ["X-Api-Key", "[Filtered]"]
        ])
    );
    assert_eq!(out["extra"]["where"], "from 198.51.100.7");
    assert_eq!(out["_meta"]["request"]["headers"]["0"]["1"][""]["rem"], json!([["!oxeye:cookie", "s", 10, 20]]));
    assert!(c.infer_ip);
    // a `{{auto}}` written for IP inference is kept when inferring
    let out = scrubbed(json!({"user": {"ip_address": "{{auto}}"}}), &c);
    assert_eq!(out["user"]["ip_address"], "{{auto}}");
    // outside browsers the sender's IP is a server's: never inferred
    assert!(!PiiConfig::from_options(true, None, false).unwrap().infer_ip);
}

#[test]
fn default_never_infers_ip_and_drops_auto() {
    let out = scrubbed(json!({"user": {"ip_address": "{{auto}}", "email": "a@b.co"}}), &PiiConfig::default());
    assert_eq!(out["user"], json!({"ip_address": null, "email": "a@b.co"}));
}

#[test]
#[cfg(feature = "scrub-rules")]
fn a_scrub_object_changes_the_rules() {
    let c = cfg(
        None,
        Some(json!({
            "keys": ["tenant_ref"],
            "safeKeys": ["author"],
            "values": [{"name": "stripe", "prefix": "sk_live_", "chars": "A-Za-z0-9", "minLength": 8}],
            "ip": false,
            "email": true
        })),
    );
    let ev = json!({"extra": {"X-Tenant-Ref": "t1", "author": "Authored by Bob", "k": "use sk_live_abcdefgh12", "ip": "198.51.100.7"}, "user": {"email": "bob@example.com"}});
    let out = scrubbed(ev, &c);
    assert_eq!(
        out["extra"],
        json!({"X-Tenant-Ref": "[Filtered]", "author": "Authored by Bob", "k": "use [Filtered]", "ip": "198.51.100.7"})
    );
    assert_eq!(out["user"]["email"], "[email]");
    assert_eq!(out["_meta"]["extra"]["k"][""]["rem"][0][0], "!oxeye:custom:stripe");

    let no_mail = cfg(None, Some(json!({"email": false})));
    let out = scrubbed(json!({"logentry": {"formatted": "to bob@example.com"}}), &no_mail);
    assert_eq!(out["logentry"]["formatted"], "to bob@example.com");
}

#[test]
fn scrub_false_turns_scrubbing_off() {
    let off = cfg(None, Some(json!(false)));
    let ev = json!({"extra": {"password": "x"}, "user": {"ip_address": "198.51.100.7"}});
    let out = scrubbed(ev, &off);
    assert_eq!(out["extra"]["password"], "x");
    assert_eq!(out["user"]["ip_address"], "198.51.100.7");
    assert!(out.get("_meta").is_none());
}

#[test]
fn sensitive_containers_and_numbers_are_removed() {
    let out = scrubbed(
        json!({"extra": {"credentials": {"user": "u", "pass": "p"}, "pin_secret": 1234, "tokens": ["a", "b"], "auth_ok": true}}),
        &PiiConfig::default(),
    );
    assert_eq!(out["extra"], json!({"credentials": null, "pin_secret": null, "tokens": null, "auth_ok": true}));
    assert_eq!(out["_meta"]["extra"]["credentials"][""]["rem"], json!([["!oxeye:key", "x"]]));
}

#[test]
fn query_string_objects_know_query_secrets() {
    let out =
        scrubbed(json!({"request": {"query_string": {"sig": "s1", "page": "2", "token": "t"}}}), &PiiConfig::default());
    assert_eq!(out["request"]["query_string"], json!({"sig": "[Filtered]", "page": "2", "token": "[Filtered]"}));
    let out = scrubbed(json!({"request": {"query_string": [["code", "c1"], ["q", "x"]]}}), &PiiConfig::default());
    assert_eq!(out["request"]["query_string"], json!([["code", "[Filtered]"], ["q", "x"]]));
}

#[test]
fn unparseable_cookie_header_is_filtered_whole() {
    let out = scrubbed(json!({"request": {"headers": {"cookie": "not a cookie header"}}}), &PiiConfig::default());
    assert_eq!(out["request"]["headers"]["cookie"], "[Filtered]");
}


#[test]
fn hostile_events_are_scrubbed_in_linear_time() {
    let big = "4111 1111 1111 1111 password=x 10.0.0.1 ".repeat(2_000);
    let wide: Map<String, Value> = (0..20_000).map(|i| (format!("k{i}"), Value::from("v 198.51.100.7"))).collect();
    let mut deep = json!("password=x");
    for _ in 0..100 {
        deep = json!({ "a": deep });
    }
    let ev = json!({"extra": {"big": big, "wide": wide, "deep": deep}, "logentry": {"formatted": "é".repeat(50_000)}});
    let out = scrubbed(ev, &PiiConfig::default());
    assert!(out["extra"]["big"].as_str().unwrap().len() <= MAX_SCAN_BYTES + 3);
    assert!(out["logentry"]["formatted"].as_str().unwrap().ends_with("..."));
    assert_eq!(out["extra"]["wide"]["k19999"], "v [ip]");
    // wide objects of secrets (each with a remark), pairs, deep nesting, long strings
    let c = PiiConfig::default();
    let run = |text: &str| {
        let mut out = Vec::new();
        scrub_json(text, &[], &c, &mut out, &mut MetaLog::default()).unwrap();
    };
    let shapes: [(&str, crate::pii::testkit::Make); 4] = [
        ("wide", |n| {
            let members: Vec<String> = (0..n / 16).map(|i| format!("\"k{i}\":\"v 198.51.100.7\"")).collect();
            format!("{{\"extra\":{{{}}}}}", members.join(","))
        }),
        ("pairs", |n| format!("{{\"extra\":{{\"a\":[{}[\"password\",\"x\"]]}}}}", "[\"token\",[\"k\",1]],".repeat(n / 16))),
        ("deep pairs", |n| format!("{{\"extra\":{}{}{}}}", "[\"k\",".repeat(100), vec!["1"; n / 4].join(","), "]".repeat(100))),
        ("strings", |n| format!("{{\"extra\":[{}\"\"]}}", "\"4111 1111 1111 1111 a@b.co 10.0.0.1\",".repeat(n / 32))),
    ];
    for (what, make) in shapes {
        crate::pii::testkit::assert_linear(what, make, |s| run(s));
    }
}

#[test]
fn scrub_str_chooses_rules_by_path() {
    let c = PiiConfig::default();
    let mut meta = MetaLog::default();
    let ex = [Seg::Key("exception"), Seg::Key("values"), Seg::Index(0), Seg::Key("value")];
    assert_eq!(scrub_str("mail bob@example.com", &ex, &c, &mut meta), "mail [email]");
    assert_eq!(scrub_str("password=x", &[Seg::Key("request"), Seg::Key("url")], &c, &mut meta), "password=[Filtered]");
    // tags: key rules of the tag name, text rules (no password-word rule)
    assert_eq!(scrub_str("k1", &[Seg::Key("tags"), Seg::Key("api_key")], &c, &mut meta), "[Filtered]");
    assert_eq!(scrub_str("Authenticating", &[Seg::Key("tags"), Seg::Key("step")], &c, &mut meta), "Authenticating");
    // structured data: the password-word rule; emails kept by default
    assert_eq!(scrub_str("Authenticating", &[Seg::Key("extra"), Seg::Key("step")], &c, &mut meta), "[Filtered]");
    assert_eq!(scrub_str("bob@example.com", &[Seg::Key("user"), Seg::Key("email")], &c, &mut meta), "bob@example.com");
    // frame paths: URL rules only
    let frame = [Seg::Key("exception"), Seg::Key("values"), Seg::Index(0), Seg::Key("stacktrace"), Seg::Key("frames"), Seg::Index(3), Seg::Key("abs_path")];
    assert_eq!(scrub_str("http://10.0.0.5/a.js?token=t", &frame, &c, &mut meta), "http://10.0.0.5/a.js?token=[Filtered]");
    // untouched places and values stay borrowed
    assert!(matches!(scrub_str("AuthError", &[Seg::Key("release")], &c, &mut meta), Cow::Borrowed(_)));
    assert!(matches!(scrub_str("{{auto}}", &[Seg::Key("user"), Seg::Key("ip_address")], &PiiConfig { infer_ip: true, ..c.clone() }, &mut meta), Cow::Borrowed(_)));
    let mut out = Vec::new();
    meta.write(&c, &mut out);
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["exception"]["values"]["0"]["value"][""], json!({"rem": [["!oxeye:email", "s", 5, 12]], "len": 20}));
    assert_eq!(v["tags"]["api_key"][""]["rem"][0][0], "!oxeye:key");
    let off = PiiConfig { enabled: false, ..c };
    assert_eq!(scrub_str("password=x", &[Seg::Key("request"), Seg::Key("url")], &off, &mut MetaLog::default()), "password=x");
}

#[test]
fn scrub_json_at_a_path_records_absolute_paths_and_writes_nothing_on_bad_json() {
    let c = PiiConfig::default();
    let mut meta = MetaLog::default();
    let mut out = b"prefix:".to_vec();
    scrub_json(r#" {"id": "42", "ip_address": "198.51.100.9", "data": {"pin": "4111111111111111"}} "#, &[Seg::Key("user")], &c, &mut out, &mut meta).unwrap();
    let v: Value = serde_json::from_slice(&out[7..]).unwrap();
    assert_eq!(v, json!({"id": "42", "ip_address": null, "data": {"pin": "[creditcard]"}}));
    let mut m = Vec::new();
    meta.write(&c, &mut m);
    let m: Value = serde_json::from_slice(&m).unwrap();
    assert_eq!(m["user"]["ip_address"][""]["rem"], json!([["!oxeye:ip", "x"]]));
    assert_eq!(m["user"]["data"]["pin"][""]["len"], 16);
    // header pairs at their own path
    let mut out = Vec::new();
    scrub_json(r#"[["Cookie","a=1"],["X-Api-Key","k"],["Accept","text/html",3],5]"#, &[Seg::Key("request"), Seg::Key("headers")], &c, &mut out, &mut meta).unwrap();
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v, json!([["Cookie", "a=[Filtered]"], ["X-Api-Key", "[Filtered]"], ["Accept", "text/html", 3], 5]));
    // invalid JSON: an error, and neither bytes nor remarks
    let n = meta.count();
    for bad in [r#"{"password": "x""#, r#"{"password": "x"} 1"#, "", r#"["a", "b",]"#, &"[".repeat(500)] {
        let mut out = b"keep".to_vec();
        assert!(scrub_json(bad, &[], &c, &mut out, &mut meta).is_err(), "{bad}");
        assert_eq!(out, b"keep");
        assert_eq!(meta.count(), n);
    }
    // scrubbing off: copied as it is (still checked)
    let off = PiiConfig { enabled: false, ..c };
    let mut out = Vec::new();
    scrub_json(" {\"password\":\"x\"}\n", &[], &off, &mut out, &mut meta).unwrap();
    assert_eq!(out, b"{\"password\":\"x\"}");
    assert!(scrub_json("{", &[], &off, &mut out, &mut meta).is_err());
}

#[test]
fn a_whole_event_merges_earlier_remarks_into_its_meta() {
    let c = PiiConfig::default();
    let mut meta = MetaLog::default();
    let mut frag = Vec::new();
    scrub_json(r#"{"token":"t"}"#, &[Seg::Key("extra")], &c, &mut frag, &mut meta).unwrap();
    let ev = format!(r#"{{"extra":{},"_meta":{{"tags":{{"":{{"len":2}}}}}},"tags":{{"ip":"198.51.100.7"}}}}"#, String::from_utf8(frag).unwrap());
    let mut out = Vec::new();
    scrub_json(&ev, &[], &c, &mut out, &mut meta).unwrap();
    assert!(meta.is_empty());
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["extra"]["token"], "[Filtered]");
    assert_eq!(v["tags"]["ip"], "[ip]");
    assert_eq!(v["_meta"]["extra"]["token"][""]["rem"], json!([["!oxeye:key", "s", 0, 10]]));
    assert_eq!(v["_meta"]["tags"][""]["len"], 2);
    assert_eq!(v["_meta"]["tags"]["ip"][""]["rem"][0][0], "!oxeye:ip");
    // scrubbing the result again changes nothing and repeats no remark
    let again = String::from_utf8(out.clone()).unwrap();
    let mut out2 = Vec::new();
    scrub_json(&again, &[], &c, &mut out2, &mut meta).unwrap();
    assert_eq!(serde_json::from_slice::<Value>(&out2).unwrap(), v);
}

#[test]
fn secrets_in_keys_are_replaced_and_noted_on_their_object() {
    let c = PiiConfig::default();
    let ev = json!({
        "extra": {
            "4111 1111 1111 1111": "v1",
            "4012888888881881": "v2",
            "https://u:pw@db.example.com/x?token=abc": 1,
            "Bearer abc123": "v3",
            "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": {"password": "p"},
            "plain": "ok"
        },
        "tags": {"sk_live_51H8abcdefGHIJKLmnop": "t"},
        "request": {"headers": [["Bearer xyz", "v"]]},
        "modules": {"4111111111111111": "1.0.0"}
    });
    let out = scrubbed(ev, &c);
    let extra = out["extra"].as_object().unwrap();
    let keys: Vec<&str> = extra.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        vec!["Bearer [token]", "[creditcard]", "[creditcard] (2)", "[token]", "https://u:[Filtered]@db.example.com/x?token=[Filtered]", "plain"]
    );
    // the value keeps the rules of the key as given (`Bearer …` is a sensitive key name)
    assert_eq!(extra["Bearer [token]"], "[Filtered]");
    assert_eq!(extra["[token]"], json!({"password": "[Filtered]"}));
    assert_eq!(out["tags"], json!({"[token]": "t"}));
    // a header named `Bearer …` is a credential header: its value goes too
    assert_eq!(out["request"]["headers"], json!([["Bearer [token]", "[Filtered]"]]));
    assert_eq!(out["modules"], json!({"4111111111111111": "1.0.0"}));
    let rem = &out["_meta"]["extra"][""]["rem"];
    for id in ["!oxeye:creditcard", "!oxeye:urlauth", "!oxeye:secret", "!oxeye:bearer", "!oxeye:token"] {
        assert!(rem.as_array().unwrap().contains(&json!([id, "s"])), "{id}: {rem}");
    }
    // the remark of a value under a replaced key sits at the key as sent
    assert_eq!(out["_meta"]["extra"]["[token]"]["password"][""]["rem"][0][0], "!oxeye:key");
    // one key at a time
    let mut meta = MetaLog::default();
    assert_eq!(scrub_key("4111111111111111", &[Seg::Key("extra")], &c, &mut meta), "[creditcard]");
    assert_eq!(scrub_key("order_id", &[Seg::Key("extra")], &c, &mut meta), "order_id");
    assert_eq!(scrub_key("4111111111111111", &[Seg::Key("sdk")], &c, &mut meta), "4111111111111111");
    assert_eq!(scrub_key("xoxb-1234567890-abc", &[Seg::Key("tags")], &c, &mut meta), "[token]");
    let mut m = Vec::new();
    meta.write(&c, &mut m);
    assert_eq!(serde_json::from_slice::<Value>(&m).unwrap(), json!({"extra": {"": {"rem": [["!oxeye:creditcard", "s"]]}}, "tags": {"": {"rem": [["!oxeye:token", "s"]]}}}));
}

#[test]
fn fingerprints_exception_types_and_the_trace_header_get_value_rules() {
    let c = PiiConfig::default();
    let ev = json!({
        "fingerprint": ["{{ default }}", "user bob@example.com", "card 4111111111111111", 5],
        "exception": {"values": [{"type": "TokenError AKIAIOSFODNN7EXAMPLE", "value": "x"}, {"type": "TypeError"}]}
    });
    let out = scrubbed(ev, &c);
    assert_eq!(out["fingerprint"], json!(["{{ default }}", "user [email]", "card [creditcard]", 5]));
    assert_eq!(out["exception"]["values"][0]["type"], "TokenError [token]");
    assert_eq!(out["exception"]["values"][1]["type"], "TypeError");
    assert_eq!(out["_meta"]["fingerprint"]["1"][""]["rem"][0][0], "!oxeye:email");
    let mut meta = MetaLog::default();
    let dsc = |field| [Seg::Key("_dsc"), Seg::Key(field)];
    assert_eq!(scrub_str("GET /reset?token=abc123", &dsc("transaction"), &c, &mut meta), "GET /reset?token=[Filtered]");
    assert_eq!(scrub_str("https://u:pw@h/x", &dsc("transaction"), &c, &mut meta), "https://u:[Filtered]@h/x");
    assert_eq!(scrub_str("4111111111111111", &dsc("user_segment"), &c, &mut meta), "[creditcard]");
    assert_eq!(scrub_str("Authentication", &dsc("transaction"), &c, &mut meta), "Authentication");
    assert_eq!(scrub_str("app@1.2.3.4", &dsc("release"), &c, &mut meta), "app@1.2.3.4");
    assert_eq!(scrub_str("0123456789abcdef0123456789abcdef", &dsc("trace_id"), &c, &mut meta), "0123456789abcdef0123456789abcdef");
}

#[test]
fn the_listed_leaks_are_closed_wherever_they_appear() {
    let c = PiiConfig::default();
    let leaks = [
        ("redis://:s3cretpw@cache:6379/0", "s3cretpw"),
        ("postgres://app:Xy7@ab99zz@db/app", "Xy7@ab99zz"),
        ("key AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"),
        ("gh 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", "wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx"),
        ("stripe sk_live_51H8abcdefGHIJKLmnop", "51H8abcdefGHIJKLmnop"),
        ("slack xoxb-123456789012-abcdefABCDEF", "123456789012-abcdefABCDEF"),
        ("maestro 6759649826438453", "6759649826438453"),
        ("run --password hunter2 --verbose", "hunter2"),
        ("run --token=t0k3n", "t0k3n"),
        ("iban de89370400440532013000", "de89370400440532013000"),
        ("iban DE89 3704 0044 0532 0130 00", "0532 0130"),
    ];
    for (text, secret) in leaks {
        for place in ["logentry", "exception", "tags", "extra", "transaction", "request"] {
            let ev = match place {
                "logentry" => json!({"logentry": {"formatted": text}}),
                "exception" => json!({"exception": {"values": [{"value": text}]}}),
                "tags" => json!({"tags": {"t": text}}),
                "extra" => json!({"extra": {"e": text, "nested": [{"x": [text]}]}}),
                "transaction" => json!({"transaction": text}),
                // (command lines are not looked for inside URL-encoded query strings)
                _ if text.contains("--") => json!({"request": {"data": {"d": text}}}),
                _ => json!({"request": {"url": format!("https://x.io/?q={}", text.replace(' ', "+")), "data": {"d": text}}}),
            };
            let out = scrubbed(ev, &c).to_string();
            assert!(!out.contains(secret), "{place}: {out}");
        }
    }
}

#[test]
fn a_context_named_like_a_secret_is_removed_whole() {
    let ev = json!({"contexts": {
        "credentials": {"user": "svc-deploy", "value": "hunter2-prod"},
        "auth": {"scheme": "basic"},
        "token": "t1",
        "account": {"plan": "pro", "password": "p1"},
        "trace": {"trace_id": "0123456789abcdef0123456789abcdef"}
    }});
    let out = scrubbed(ev, &PiiConfig::default());
    let ctx = &out["contexts"];
    assert_eq!(ctx["credentials"], Value::Null);
    assert_eq!(ctx["auth"], Value::Null);
    assert_eq!(ctx["token"], "[Filtered]");
    assert_eq!(ctx["account"], json!({"plan": "pro", "password": "[Filtered]"}));
    assert_eq!(ctx["trace"]["trace_id"], "0123456789abcdef0123456789abcdef");
    assert_eq!(out["_meta"]["contexts"]["credentials"][""]["rem"][0][0], "!oxeye:key");
}
