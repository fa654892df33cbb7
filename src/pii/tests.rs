//! Whole-event tests: every place of an event, `_meta` remarks, defaults and options.

use super::*;
use serde_json::json;

fn cfg(sdp: Option<Value>, scrub: Option<Value>) -> PiiConfig {
    let mut c = PiiConfig::from_options(sdp == Some(Value::Bool(true)), scrub.as_ref(), true).unwrap();
    c.sdk_settings = true;
    c
}

fn scrubbed(ev: Value, c: &PiiConfig) -> Value {
    let mut ev = ev;
    scrub_event(&mut ev, c);
    ev
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
    assert_eq!(out["user"]["ip_address"], "{{auto}}");
    assert_eq!(out["sdk"]["settings"]["infer_ip"], "auto");
    assert_eq!(out["_meta"]["request"]["headers"]["0"]["1"][""]["rem"], json!([["!oxeye:cookie", "s", 10, 20]]));
    // outside browsers the sender's IP is a server's: never inferred
    let node = PiiConfig { sdk_settings: true, ..PiiConfig::from_options(true, None, false).unwrap() };
    let out = scrubbed(json!({}), &node);
    assert_eq!(out["sdk"]["settings"]["infer_ip"], "never");
    assert!(out.get("user").is_none());
}

#[test]
fn default_never_infers_ip_and_drops_auto() {
    let out = scrubbed(json!({"user": {"ip_address": "{{auto}}", "email": "a@b.co"}}), &PiiConfig::default());
    assert_eq!(out["user"], json!({"ip_address": null, "email": "a@b.co"}));
}

#[test]
fn options_change_the_rules() {
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

    let off = cfg(None, Some(json!(false)));
    let ev = json!({"extra": {"password": "x"}, "user": {"ip_address": "198.51.100.7"}});
    let out = scrubbed(ev, &off);
    assert_eq!(out["extra"]["password"], "x");
    assert_eq!(out["user"]["ip_address"], "198.51.100.7");
    assert_eq!(out["sdk"]["settings"]["infer_ip"], "never");
    assert!(out.get("_meta").is_none());

    let no_mail = cfg(None, Some(json!({"email": false})));
    let out = scrubbed(json!({"logentry": {"formatted": "to bob@example.com"}}), &no_mail);
    assert_eq!(out["logentry"]["formatted"], "to bob@example.com");
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
fn scrub_json_round_trips() {
    let out = scrub_json("{\"extra\":{\"password\":\"x\"}}", &PiiConfig::default()).unwrap();
    assert!(out.contains("[Filtered]") && out.contains("_meta"));
    assert!(scrub_json("{", &PiiConfig::default()).is_err());
}

#[test]
fn hostile_events_stay_fast() {
    let big = "4111 1111 1111 1111 password=x 10.0.0.1 ".repeat(2_000);
    let wide: Map<String, Value> = (0..20_000).map(|i| (format!("k{i}"), Value::from("v 198.51.100.7"))).collect();
    let mut deep = json!("password=x");
    for _ in 0..100 {
        deep = json!({ "a": deep });
    }
    let ev = json!({"extra": {"big": big, "wide": wide, "deep": deep}, "logentry": {"formatted": "é".repeat(50_000)}});
    let t = std::time::Instant::now();
    let out = scrubbed(ev, &PiiConfig::default());
    assert!(t.elapsed().as_secs_f64() < 8.0);
    assert!(out["extra"]["big"].as_str().unwrap().len() <= MAX_SCAN_BYTES + 3);
    assert!(out["logentry"]["formatted"].as_str().unwrap().ends_with("..."));
}

