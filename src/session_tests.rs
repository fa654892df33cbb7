//! Tests of `session.rs`: state rules, payloads parsed back by serde_json, and a schema
//! check of every payload written from Sentry's session protocol (the `session` and
//! `sessions` items as Relay reads them).

use super::*;
use serde_json::{json, Map, Value};

const T0: f64 = 1_700_000_000_123.0; // 2023-11-14T22:13:20.123Z

fn attrs() -> Attrs {
    Attrs::new(Some("shop@1.2.3"), Some("production"), Some("Mozilla/5.0 (X11; Linux x86_64)")).unwrap()
}

fn rand(n: u8) -> [u8; SID_RANDOM_BYTES] {
    [n; SID_RANDOM_BYTES]
}

fn parse(bytes: &[u8]) -> Value {
    let v: Value = serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(bytes)));
    v
}

// ---- schema check (protocol docs + the fields and types Relay accepts) ----

/// `YYYY-MM-DDTHH:MM:SS[.fff]Z` with plausible ranges; returns Unix ms.
fn rfc3339_ms(s: &str) -> Result<i64, String> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Result<i64, String> {
        let part = s.get(r).ok_or("short timestamp")?;
        if part.is_empty() || !part.bytes().all(|c| c.is_ascii_digit()) {
            return Err(format!("bad digits in {s:?}"));
        }
        Ok(part.parse().unwrap())
    };
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' || !s.ends_with('Z') {
        return Err(format!("not an RFC 3339 UTC timestamp: {s:?}"));
    }
    let (y, mo, d, h, mi, se) = (num(0..4)?, num(5..7)?, num(8..10)?, num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 59 {
        return Err(format!("out of range: {s:?}"));
    }
    let frac = match &s[19..s.len() - 1] {
        "" => 0,
        f if f.starts_with('.') && f.len() >= 2 && f.len() <= 10 && f[1..].bytes().all(|c| c.is_ascii_digit()) => {
            let digits = &f[1..f.len().min(4)];
            digits.parse::<i64>().unwrap() * 10i64.pow(3 - digits.len() as u32)
        }
        other => return Err(format!("bad fraction {other:?} in {s:?}")),
    };
    // days from civil (proleptic Gregorian)
    let (yy, mm) = if mo <= 2 { (y - 1, mo + 9) } else { (y, mo - 3) };
    let era = yy.div_euclid(400);
    let yoe = yy - era * 400;
    let doy = (153 * mm + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Ok(((days * 86_400 + h * 3600 + mi * 60 + se) * 1000) + frac)
}

fn check_keys(o: &Map<String, Value>, allowed: &[&str], what: &str) -> Result<(), String> {
    match o.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(format!("{what}: unknown key {k:?}")),
        None => Ok(()),
    }
}

fn check_attrs(v: &Value) -> Result<(), String> {
    let o = v.as_object().ok_or("attrs is not an object")?;
    check_keys(o, &["release", "environment", "ip_address", "user_agent"], "attrs")?;
    let release = o.get("release").and_then(Value::as_str).ok_or("attrs.release (string) is required")?;
    if let Some(p) = release_problem(release) {
        return Err(format!("attrs.release: {p}"));
    }
    for k in ["environment", "ip_address", "user_agent"] {
        if let Some(x) = o.get(k) {
            x.as_str().ok_or(format!("attrs.{k} is not a string"))?;
        }
    }
    if let Some(env) = o.get("environment").and_then(Value::as_str) {
        if env.is_empty() || env.chars().count() > MAX_ENVIRONMENT_CHARS || env.contains('/') {
            return Err(format!("attrs.environment {env:?} is not valid"));
        }
    }
    Ok(())
}

fn is_uuid(s: &str) -> bool {
    let hex = |t: &str| t.bytes().all(|c| c.is_ascii_hexdigit());
    (s.len() == 32 && hex(s))
        || (s.len() == 36 && s.split('-').map(str::len).eq([8, 4, 4, 4, 12]) && hex(&s.replace('-', "")))
}

/// A `session` item payload as Sentry's protocol defines it.
fn check_session_update(v: &Value) -> Result<(), String> {
    let o = v.as_object().ok_or("not an object")?;
    check_keys(
        o,
        &["sid", "did", "seq", "init", "timestamp", "started", "duration", "status", "errors", "attrs", "abnormal_mechanism"],
        "session",
    )?;
    let sid = o.get("sid").and_then(Value::as_str).ok_or("sid (string) is required")?;
    if !is_uuid(sid) {
        return Err(format!("sid {sid:?} is not a UUID"));
    }
    if let Some(did) = o.get("did") {
        if !(did.is_string() || did.is_null()) {
            return Err("did is not a string".into());
        }
    }
    if let Some(seq) = o.get("seq") {
        seq.as_u64().filter(|&n| n < u64::MAX).ok_or("seq is not an unsigned integer")?;
    }
    if let Some(init) = o.get("init") {
        init.as_bool().ok_or("init is not a boolean")?;
    }
    let started = rfc3339_ms(o.get("started").and_then(Value::as_str).ok_or("started (string) is required")?)?;
    let timestamp = rfc3339_ms(o.get("timestamp").and_then(Value::as_str).ok_or("timestamp (string) is required")?)?;
    if timestamp < started {
        return Err("timestamp is before started".into());
    }
    if let Some(d) = o.get("duration") {
        let d = d.as_f64().ok_or("duration is not a number")?;
        if d.is_nan() || d < 0.0 {
            return Err("duration is negative".into());
        }
    }
    let status = o.get("status").and_then(Value::as_str).unwrap_or("ok");
    if !["ok", "exited", "crashed", "abnormal", "errored"].contains(&status) {
        return Err(format!("status {status:?} is not a session status"));
    }
    if let Some(e) = o.get("errors") {
        e.as_u64().ok_or("errors is not an unsigned integer")?;
    }
    if let Some(m) = o.get("abnormal_mechanism") {
        if !(m.is_null() || ["none", "anr_foreground", "anr_background"].contains(&m.as_str().unwrap_or("?"))) {
            return Err("abnormal_mechanism is not valid".into());
        }
    }
    check_attrs(o.get("attrs").ok_or("attrs is required")?)
}

/// A `sessions` item payload (request-mode aggregates).
fn check_session_aggregates(v: &Value) -> Result<(), String> {
    let o = v.as_object().ok_or("not an object")?;
    check_keys(o, &["aggregates", "attrs"], "sessions")?;
    let aggs = o.get("aggregates").and_then(Value::as_array).ok_or("aggregates (array) is required")?;
    if aggs.is_empty() || aggs.len() > MAX_BUCKETS_PER_ITEM {
        return Err(format!("{} buckets (1..=100 allowed)", aggs.len()));
    }
    for a in aggs {
        let a = a.as_object().ok_or("a bucket is not an object")?;
        check_keys(a, &["started", "did", "exited", "errored", "abnormal", "unhandled", "crashed"], "bucket")?;
        rfc3339_ms(a.get("started").and_then(Value::as_str).ok_or("bucket.started is required")?)?;
        for k in ["exited", "errored", "abnormal", "unhandled", "crashed"] {
            if let Some(n) = a.get(k) {
                n.as_u64().filter(|&n| n <= u64::from(u32::MAX)).ok_or(format!("bucket.{k} is not a u32"))?;
            }
        }
    }
    check_attrs(o.get("attrs").ok_or("attrs is required")?)
}

fn update(bytes: &[u8]) -> Value {
    let v = parse(bytes);
    check_session_update(&v).unwrap_or_else(|e| panic!("{e}: {v}"));
    v
}

// ---- the schema check itself can fail ----

#[test]
fn schema_check_rejects_what_sentry_rejects() {
    let good = json!({"sid": "7c7b6585a11b4d5f9e3f1b9b9e4a3c2d", "init": true, "started": "2020-02-07T14:16:00Z",
        "timestamp": "2020-02-07T14:16:00.5Z", "status": "ok", "errors": 0, "attrs": {"release": "a@1"}});
    check_session_update(&good).unwrap();
    let broken: [(&str, Value); 9] = [
        ("sid", json!("not-a-uuid")),
        ("status", json!("fine")),
        ("errors", json!(-1)),
        ("started", json!("2020-02-07 14:16:00")),
        ("timestamp", json!("2020-02-07T14:15:59Z")),
        ("duration", json!(-1)),
        ("attrs", json!({"environment": "x"})),
        ("attrs", json!({"release": "a/b"})),
        ("extra_key", json!(1)),
    ];
    for (k, v) in broken {
        let mut bad = good.clone();
        bad[k] = v.clone();
        assert!(check_session_update(&bad).is_err(), "{k} = {v} must be rejected");
    }
    let agg = json!({"aggregates": [{"started": "2020-02-07T14:16:00Z", "exited": 2}], "attrs": {"release": "a@1"}});
    check_session_aggregates(&agg).unwrap();
    for bad in [
        json!({"aggregates": [], "attrs": {"release": "a@1"}}),
        json!({"aggregates": [{"exited": 1}], "attrs": {"release": "a@1"}}),
        json!({"aggregates": [{"started": "2020-02-07T14:16:00Z", "exited": -1}], "attrs": {"release": "a@1"}}),
        json!({"aggregates": [{"started": "2020-02-07T14:16:00Z"}]}),
    ] {
        assert!(check_session_aggregates(&bad).is_err(), "{bad}");
    }
    assert_eq!(rfc3339_ms("2023-11-14T22:13:20.123Z"), Ok(T0 as i64));
}

// ---- releases ----

#[test]
fn releases_follow_sentrys_rules() {
    for ok in ["shop@1.2.3", "a", " ", "x b", &"x".repeat(200), &"é".repeat(200)] {
        assert_eq!(release_problem(ok), None, "{ok:?}");
    }
    for bad in ["", "a/b", "a\\b", "a\tb", "a\nb", "a\0b", ".", "..", "latest", "Latest", "LATEST", &"x".repeat(201)] {
        assert!(release_problem(bad).is_some(), "{bad:?}");
    }
    let no = Attrs::new(None, Some("production"), None).unwrap_err();
    assert!(no.contains("no `release`"), "{no}");
    let bad = Attrs::new(Some("latest"), None, None).unwrap_err();
    assert!(bad.contains("reserved"), "{bad}");
}

#[test]
fn attrs_leave_out_what_sentry_would_strip() {
    let a = Attrs::new(Some("r@1"), Some(&"e".repeat(65)), Some("")).unwrap();
    let mut s = Session::start(&rand(1), T0, None);
    let mut out = Vec::new();
    s.write_update(&a, &mut out);
    assert_eq!(update(&out)["attrs"], json!({"release": "r@1"}));
    let a = Attrs::new(Some("r@1"), Some("staging"), Some("UA")).unwrap();
    let mut out = Vec::new();
    s.write_update(&a, &mut out);
    assert_eq!(update(&out)["attrs"], json!({"release": "r@1", "environment": "staging", "user_agent": "UA"}));
}

// ---- one session ----

#[test]
fn first_update_is_init_then_exited() {
    let a = attrs();
    let mut s = Session::start(&rand(0xab), T0, Some("user-7"));
    let mut out = Vec::new();
    s.write_update(&a, &mut out);
    let first = update(&out);
    assert_eq!(
        first,
        json!({"sid": s.sid(), "did": "user-7", "init": true,
            "started": "2023-11-14T22:13:20.123Z", "timestamp": "2023-11-14T22:13:20.123Z", "duration": 0,
            "status": "ok", "errors": 0,
            "attrs": {"release": "shop@1.2.3", "environment": "production", "user_agent": "Mozilla/5.0 (X11; Linux x86_64)"}})
    );
    assert!(ids::is_event_id(s.sid()), "sid is a 32-hex UUID v4: {}", s.sid());
    assert_eq!(&s.sid()[12..13], "4");
    assert!(s.end(T0 + 2_500.0));
    let mut out = Vec::new();
    s.write_update(&a, &mut out);
    let last = update(&out);
    assert_eq!(last["init"], false);
    assert_eq!(last["status"], "exited");
    assert_eq!(last["timestamp"], "2023-11-14T22:13:22.623Z");
    assert_eq!(last["duration"], 2.5);
    assert_eq!(last["sid"], first["sid"]);
    assert!(!s.end(T0 + 9_000.0), "ending twice sends nothing");
    assert!(!s.apply(Effect::Crash, T0 + 9_000.0), "an ended session takes no changes");
    assert_eq!(s.status(), Status::Exited);
}

#[test]
fn unhandled_error_crashes_and_crashed_is_final() {
    let mut s = Session::start(&rand(1), T0, None);
    assert!(s.apply(Effect::Crash, T0 + 10.0));
    assert_eq!((s.status(), s.errors()), (Status::Crashed, 1));
    assert!(!s.apply(Effect::Error, T0 + 20.0));
    assert!(!s.apply(Effect::Crash, T0 + 30.0));
    assert_eq!(s.errors(), 1);
    let mut out = Vec::new();
    s.write_update(&attrs(), &mut out);
    let v = update(&out);
    assert_eq!((v["status"].as_str(), v["errors"].as_u64(), v["init"].as_bool()), (Some("crashed"), Some(1), Some(true)));
    assert!(!v.as_object().unwrap().contains_key("did"));
    assert!(!s.end(T0 + 50.0), "nothing changed since the crash update");
    assert_eq!(s.status(), Status::Crashed);
}

#[test]
fn handled_errors_count_and_mark_errored_once() {
    let a = attrs();
    let mut s = Session::start(&rand(2), T0, None);
    let mut out = Vec::new();
    s.write_update(&a, &mut out);
    assert!(s.apply(Effect::Error, T0 + 100.0), "ok → errored is sent at once");
    out.clear();
    s.write_update(&a, &mut out);
    assert_eq!((update(&out)["status"].as_str(), update(&out)["errors"].as_u64()), (Some("errored"), Some(1)));
    assert!(!s.apply(Effect::Error, T0 + 200.0), "more errors wait for the next update");
    assert!(!s.apply(Effect::None, T0 + 250.0));
    assert_eq!(s.errors(), 2);
    assert!(s.has_changes());
    assert!(s.end(T0 + 300.0), "the end carries the count");
    out.clear();
    s.write_update(&a, &mut out);
    let v = update(&out);
    assert_eq!((v["status"].as_str(), v["errors"].as_u64(), v["init"].as_bool()), (Some("errored"), Some(2), Some(false)));
    assert_eq!(v["duration"], 0.3);
}

#[test]
fn errored_session_can_still_crash() {
    let mut s = Session::start(&rand(3), T0, None);
    assert!(s.apply(Effect::Error, T0));
    assert!(s.apply(Effect::Crash, T0 + 1.0));
    assert_eq!((s.status(), s.errors()), (Status::Crashed, 2));
}

#[test]
fn errored_session_ended_without_news_sends_nothing() {
    let mut s = Session::start(&rand(3), T0, None);
    let mut out = Vec::new();
    s.apply(Effect::Error, T0);
    s.write_update(&attrs(), &mut out);
    assert!(!s.end(T0 + 1000.0));
    assert_eq!(s.status(), Status::Errored);
}

#[test]
fn events_are_classified_as_the_protocol_says() {
    assert_eq!(Effect::of_event(None, false, false), Effect::Error);
    assert_eq!(Effect::of_event(Some("error"), false, false), Effect::Error);
    assert_eq!(Effect::of_event(Some("fatal"), false, false), Effect::Error);
    assert_eq!(Effect::of_event(Some("warning"), false, false), Effect::None);
    assert_eq!(Effect::of_event(Some("info"), false, false), Effect::None);
    assert_eq!(Effect::of_event(Some("error"), true, false), Effect::None, "captureMessage never counts");
    assert_eq!(Effect::of_event(Some("warning"), false, true), Effect::Crash);
}

#[test]
fn did_is_the_user_and_is_bounded() {
    let mut s = Session::start(&rand(4), T0, Some(""));
    let mut out = Vec::new();
    s.write_update(&attrs(), &mut out);
    assert!(!update(&out).as_object().unwrap().contains_key("did"), "an empty id is no id");
    s.set_did(Some("u\"1"));
    assert!(s.has_changes());
    s.set_did(Some(&"é".repeat(300)));
    out.clear();
    s.write_update(&attrs(), &mut out);
    assert_eq!(update(&out)["did"].as_str().unwrap().chars().count(), MAX_DID_CHARS);
    s.set_did(Some(&"é".repeat(300)));
    assert!(!s.has_changes(), "same id: no change");
}

#[test]
fn odd_clocks_never_write_a_timestamp_before_started() {
    let mut s = Session::start(&rand(5), T0, None);
    s.apply(Effect::Error, T0 - 5_000.0);
    s.end(f64::NAN);
    let mut out = Vec::new();
    s.write_update(&attrs(), &mut out);
    let v = update(&out);
    assert_eq!(v["timestamp"], v["started"]);
    assert_eq!(v["duration"], 0);
}

// ---- tracker (one session per page view) ----

#[test]
fn tracker_runs_one_session_per_page_view() {
    let (a, mut t) = (attrs(), Tracker::default());
    assert!(t.on_event(&a, Effect::Crash, T0).is_none(), "no session yet");
    assert!(t.end(&a, T0).is_none());
    let first = t.start(&a, &rand(1), T0, None);
    assert_eq!(first.len(), 1);
    let v = update(&first[0]);
    assert_eq!((v["init"].as_bool(), v["status"].as_str()), (Some(true), Some("ok")));
    let sid1 = v["sid"].clone();

    let due = t.on_event(&a, Effect::Error, T0 + 10.0).expect("errored at once");
    assert_eq!(update(&due)["status"], "errored");
    assert!(t.on_event(&a, Effect::Error, T0 + 20.0).is_none());

    // a navigation: the errored session ends (carrying 2 errors), a new one starts
    let due = t.start(&a, &rand(2), T0 + 1_000.0, Some("42"));
    assert_eq!(due.len(), 2);
    let (end, start) = (update(&due[0]), update(&due[1]));
    assert_eq!((end["sid"].clone(), end["status"].as_str(), end["errors"].as_u64()), (sid1.clone(), Some("errored"), Some(2)));
    assert_ne!(start["sid"], sid1);
    assert_eq!((start["init"].as_bool(), start["did"].as_str()), (Some(true), Some("42")));

    let crash = t.on_event(&a, Effect::Crash, T0 + 1_500.0).expect("crash at once");
    assert_eq!(update(&crash)["status"], "crashed");
    assert!(t.end(&a, T0 + 2_000.0).is_none(), "crash already sent");
    assert!(t.current().is_none());

    // a quiet page view: init, then exited on page hide
    let due = t.start(&a, &rand(3), T0 + 3_000.0, None);
    assert_eq!(due.len(), 1, "no session ran before");
    t.set_did(Some("7"));
    let end = update(&t.end(&a, T0 + 4_000.0).unwrap());
    assert_eq!((end["status"].as_str(), end["did"].as_str(), end["init"].as_bool()), (Some("exited"), Some("7"), Some(false)));
}

// ---- request-mode aggregates ----

fn aggregates(bytes: &[u8]) -> Value {
    let v = parse(bytes);
    check_session_aggregates(&v).unwrap_or_else(|e| panic!("{e}: {v}"));
    v
}

#[test]
fn fifty_requests_five_failing_make_one_bucket() {
    let mut agg = Aggregates::new();
    let minute = 1_700_000_040_000.0; // 22:14:00.000Z
    for i in 0..50u32 {
        let status = match i {
            7 | 19 | 31 => RequestSessionStatus::Errored,
            40 | 45 => RequestSessionStatus::Crashed,
            _ => RequestSessionStatus::Exited,
        };
        assert_eq!(agg.record(status, minute + f64::from(i) * 1_000.0), 0);
    }
    assert_eq!(agg.pending(), 50);
    let a = Attrs::new(Some("api@2"), Some("production"), None).unwrap();
    let mut out = Vec::new();
    assert!(agg.write_item(&a, &mut out));
    assert_eq!(
        aggregates(&out),
        json!({"aggregates": [{"started": "2023-11-14T22:14:00.000Z", "exited": 45, "errored": 3, "crashed": 2}],
               "attrs": {"release": "api@2", "environment": "production"}})
    );
    assert!(agg.is_empty());
    out.clear();
    assert!(!agg.write_item(&a, &mut out), "nothing left");
    assert!(out.is_empty());
}

#[test]
fn buckets_are_per_minute_in_order_and_capped() {
    let mut agg = Aggregates::new();
    let base = 1_700_000_040_000.0;
    agg.record(RequestSessionStatus::Exited, base + 61_000.0);
    agg.record(RequestSessionStatus::Exited, base + 59_999.0);
    agg.record(RequestSessionStatus::Errored, base);
    agg.record(RequestSessionStatus::Exited, base + 60_000.0);
    let mut out = Vec::new();
    agg.write_item(&attrs(), &mut out);
    let v = aggregates(&out);
    assert_eq!(
        v["aggregates"],
        json!([{"started": "2023-11-14T22:14:00.000Z", "exited": 1, "errored": 1},
               {"started": "2023-11-14T22:15:00.000Z", "exited": 2}])
    );

    // more minutes than one item holds: oldest 100 first, the rest next time
    for m in 0..150u32 {
        agg.record(RequestSessionStatus::Exited, base + f64::from(m) * 60_000.0);
    }
    out.clear();
    assert!(agg.write_item(&attrs(), &mut out));
    let first = aggregates(&out);
    assert_eq!(first["aggregates"].as_array().unwrap().len(), MAX_BUCKETS_PER_ITEM);
    assert_eq!(first["aggregates"][0]["started"], "2023-11-14T22:14:00.000Z");
    out.clear();
    assert!(agg.write_item(&attrs(), &mut out));
    assert_eq!(aggregates(&out)["aggregates"].as_array().unwrap().len(), 50);

    // never flushed: memory stays bounded and the loss is reported
    let mut lost = 0;
    for m in 0..(MAX_PENDING_BUCKETS as u32 + 3) {
        lost += agg.record(RequestSessionStatus::Crashed, base + f64::from(m) * 60_000.0);
    }
    assert_eq!(lost, 3);
    assert_eq!(agg.pending(), MAX_PENDING_BUCKETS as u64);
}

// ---- envelopes ----

fn lines(bytes: &[u8]) -> Vec<Value> {
    let text = std::str::from_utf8(bytes).unwrap();
    text.trim_end_matches('\n').split('\n').map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn updates_travel_in_one_session_envelope() {
    const SDK: (&str, &str) = ("oxeye.javascript", "0.1.0");
    assert!(updates_envelope(&[], None, SDK, T0).is_none());
    let (a, mut t) = (attrs(), Tracker::default());
    t.start(&a, &rand(1), T0, None);
    let due = t.start(&a, &rand(2), T0 + 1_000.0, None);
    let env = updates_envelope(&due, Some("https://k@o1.ingest.sentry.io/1"), SDK, T0 + 1_000.0).unwrap();
    assert_eq!((env.category, env.quantity), (Category::Session, 2));
    assert!(env.bytes.starts_with(b"{\"sent_at\":\"2023-11-14T22:13:21.123Z\","), "sent_at at its fixed offset");
    let l = lines(&env.bytes);
    assert_eq!(l.len(), 5);
    assert_eq!(l[0]["dsn"], "https://k@o1.ingest.sentry.io/1");
    assert_eq!(l[0]["sdk"], json!({"name": "oxeye.javascript", "version": "0.1.0"}));
    assert_eq!(l[1]["type"], "session");
    assert_eq!(l[1]["length"].as_u64().unwrap() as usize, due[0].len());
    check_session_update(&l[2]).unwrap();
    assert_eq!((l[2]["status"].as_str(), l[4]["init"].as_bool()), (Some("exited"), Some(true)));
    assert_eq!(l[3]["type"], "session");

    let mut agg = Aggregates::new();
    assert!(agg.take_envelope(&attrs(), None, SDK, T0).is_none());
    agg.record(RequestSessionStatus::Errored, T0);
    let env = agg.take_envelope(&attrs(), None, SDK, T0 + 60_000.0).unwrap();
    assert_eq!((env.category, env.quantity), (Category::Session, 1));
    let l = lines(&env.bytes);
    assert!(l[0].get("dsn").is_none());
    assert_eq!(l[1]["type"], "sessions");
    check_session_aggregates(&l[2]).unwrap();
    assert!(agg.is_empty());
}

// ---- one client's release health ----

const SDK: (&str, &str) = ("oxeye.javascript", "0.1.0");

fn updates_of(env: &Envelope) -> Vec<Value> {
    let l = lines(&env.bytes);
    l[1..].chunks(2).map(|c| {
        assert_eq!(c[0]["type"], "session");
        check_session_update(&c[1]).unwrap();
        c[1].clone()
    }).collect()
}

#[test]
fn health_without_release_sends_nothing_and_says_why() {
    let mut h = Health::new(None, Some("production"), None);
    assert_eq!(h.error(), Some("sessions are not sent: no `release` is set"));
    h.event_sent(1, Effect::Crash, T0);
    #[cfg(feature = "runtime-browser")]
    {
        assert!(!h.start(&rand(1), T0, None));
        h.end(T0);
        assert!(h.take_envelope(None, SDK, T0).is_none());
    }
    #[cfg(feature = "runtime-server")]
    {
        assert_eq!(h.record_request(5, RequestSessionStatus::Crashed, T0), 0);
        assert!(h.take_aggregates(None, SDK, T0).is_none());
    }
}

#[cfg(feature = "runtime-browser")]
#[test]
fn health_page_views_queue_updates_until_taken() {
    let mut h = Health::new(Some("web@1"), Some("production"), Some("UA"));
    assert_eq!(h.error(), None);
    assert!(h.take_envelope(None, SDK, T0).is_none());
    assert!(h.start(&rand(1), T0, Some("u1")));
    let first = updates_of(&h.take_envelope(None, SDK, T0).unwrap());
    assert_eq!((first.len(), first[0]["init"].as_bool(), first[0]["did"].as_str()), (1, Some(true), Some("u1")));
    h.event_sent(1, Effect::None, T0 + 1.0);
    assert!(h.take_envelope(None, SDK, T0).is_none(), "a warning changes nothing");
    h.event_sent(1, Effect::Error, T0 + 2.0);
    h.event_sent(1, Effect::Error, T0 + 3.0);
    let errored = updates_of(&h.take_envelope(None, SDK, T0).unwrap());
    assert_eq!((errored.len(), errored[0]["status"].as_str()), (1, Some("errored")));
    h.set_did(Some("u2"));
    assert!(h.start(&rand(2), T0 + 10.0, Some("u2")));
    let nav = updates_of(&h.take_envelope(None, SDK, T0).unwrap());
    assert_eq!(nav.len(), 2);
    assert_eq!((nav[0]["status"].as_str(), nav[0]["errors"].as_u64(), nav[0]["did"].as_str()), (Some("errored"), Some(2), Some("u2")));
    assert_eq!((nav[1]["init"].as_bool(), nav[1]["status"].as_str()), (Some(true), Some("ok")));
    h.end(T0 + 20.0);
    h.end(T0 + 30.0);
    let end = updates_of(&h.take_envelope(None, SDK, T0).unwrap());
    assert_eq!((end.len(), end[0]["status"].as_str()), (1, Some("exited")));

    // never taken: bounded, newest kept, at most 100 per envelope
    for i in 0..(MAX_PENDING_UPDATES as u32 + 10) {
        h.start(&[i as u8; 16], T0 + 100.0 + f64::from(i), None);
    }
    let env = h.take_envelope(None, SDK, T0).unwrap();
    assert_eq!(env.quantity as usize, MAX_UPDATES_PER_ENVELOPE);
    let env = h.take_envelope(None, SDK, T0).unwrap();
    assert_eq!(env.quantity as usize, MAX_UPDATES_PER_ENVELOPE);
    assert!(h.take_envelope(None, SDK, T0).is_none());
}

#[cfg(feature = "runtime-server")]
#[test]
fn health_counts_requests_by_what_their_isolation_scope_sent() {
    let mut h = Health::new(Some("api@2"), Some("production"), None);
    let minute = 1_700_000_040_000.0;
    // 50 requests in isolation scopes 100..150; 3 capture a handled error, 2 an unhandled one
    for i in 0..50u32 {
        let iso = 100 + i;
        let _ = match i {
            3 | 17 | 29 => h.event_sent(iso, Effect::Error, minute),
            8 => h.event_sent(iso, Effect::Crash, minute),
            _ => h.event_sent(iso, Effect::None, minute),
        };
        let status = if i == 44 { RequestSessionStatus::Crashed } else { RequestSessionStatus::Exited };
        h.record_request(iso, status, minute + f64::from(i) * 100.0);
    }
    // an isolation scope's memory ends with its request: the same id reused is clean
    h.event_sent(7, Effect::Error, minute);
    h.forget(7);
    h.record_request(7, RequestSessionStatus::Exited, minute);
    let env = h.take_aggregates(None, SDK, minute + 60_000.0).unwrap();
    assert_eq!((env.category, env.quantity), (Category::Session, 1));
    let l = lines(&env.bytes);
    check_session_aggregates(&l[2]).unwrap();
    assert_eq!(l[2]["aggregates"], json!([{"started": "2023-11-14T22:14:00.000Z", "exited": 46, "errored": 3, "crashed": 2}]));
    assert!(h.take_aggregates(None, SDK, minute).is_none());
    #[cfg(feature = "runtime-browser")]
    assert!(h.take_envelope(None, SDK, minute).is_none(), "no page session on a server");
    // a crash is not downgraded by a later handled error in the same scope
    h.event_sent(9, Effect::Crash, minute);
    h.event_sent(9, Effect::Error, minute);
    h.record_request(9, RequestSessionStatus::Exited, minute);
    let l = lines(&h.take_aggregates(None, SDK, minute).unwrap().bytes);
    assert_eq!(l[2]["aggregates"][0]["crashed"], 1);
}

// ---- what the sent event does ----

#[test]
fn effect_of_the_event_as_sent() {
    let cases = [
        (r#"{"exception":{"values":[{"type":"E","mechanism":{"type":"generic","handled":true}}]}}"#, Effect::Error),
        (r#"{"level":"fatal","exception":{"values":[{"type":"E"}]}}"#, Effect::Error),
        (r#"{"level":"warning","exception":{"values":[{"type":"E"}]}}"#, Effect::None),
        (r#"{"level":"warning","exception":{"values":[{"type":"A"},{"type":"E","mechanism":{"type":"onerror","handled":false}}]}}"#, Effect::Crash),
        (r#"{"level":"error","logentry":{"formatted":"a message"}}"#, Effect::None),
        (r#"{"exception":{"values":[]}}"#, Effect::None),
        ("not json", Effect::None),
    ];
    for (event, want) in cases {
        assert_eq!(Effect::of_event_json(event), want, "{event}");
    }
}

#[test]
fn did_is_a_string_or_number_user_id() {
    assert_eq!(did_of_user_id(r#""u-1""#).as_deref(), Some("u-1"));
    assert_eq!(did_of_user_id("42").as_deref(), Some("42"));
    assert_eq!(did_of_user_id(" 4.5 ").as_deref(), Some("4.5"));
    assert_eq!(did_of_user_id("null"), None);
    assert_eq!(did_of_user_id(r#"{"a":1}"#), None);
}

#[test]
fn the_pipeline_reports_the_effect_of_what_it_sent_and_the_scope_user() {
    use crate::pipeline::{Client, Outcome, ScopeIds};
    use crate::scope::ScopeOp;
    let mut c = Client::from_json(r#"{"dsn":"https://k@o1.ingest.sentry.io/1","release":"r@1","runtime":"browser"}"#);
    let ids = ScopeIds { current: 2, isolation: 1, global: 0 };
    let random = [7u8; 64];
    let unhandled = r#"{"eventId":"0123456789abcdef0123456789abcdef","timestamp":1700000000000,"exception":{"kind":"error","name":"TypeError","message":"x","keys":[],"errors":[]},"mechanism":{"type":"onerror","handled":false}}"#;
    assert!(matches!(c.capture(unhandled, &[], ids, T0, &random, false), Outcome::Send(_)));
    assert_eq!(c.last_effect(), Effect::Crash);
    let message = r#"{"eventId":"1123456789abcdef0123456789abcdef","timestamp":1700000000000,"message":"hello","level":"error"}"#;
    assert!(matches!(c.capture(message, &[], ids, T0, &random, false), Outcome::Send(_)));
    assert_eq!(c.last_effect(), Effect::None, "captureMessage never counts");
    assert_eq!(c.user_id(1), None);
    c.scope_set(1, ScopeOp::SetUser, None, Some(r#"{"id":"user-9","email":"a@b.c"}"#));
    assert_eq!(c.user_id(1).as_deref(), Some("user-9"));
    c.scope_set(1, ScopeOp::SetUser, None, Some("null"));
    assert_eq!(c.user_id(1), None);
}

#[test]
fn request_statuses_cross_the_boundary_by_number_and_unknown_numbers_are_refused() {
    for (i, s) in [RequestSessionStatus::Exited, RequestSessionStatus::Errored, RequestSessionStatus::Crashed].into_iter().enumerate() {
        assert_eq!(s as usize, i);
        assert_eq!(RequestSessionStatus::from_index(i as u32), Some(s));
    }
    assert_eq!(RequestSessionStatus::from_index(3), None);
}
