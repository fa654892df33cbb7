//! The properties every fuzz target checks, one `check_<target>` function per target.
//!
//! Shared by the libFuzzer targets (`fuzz/fuzz_targets/*.rs`) and by
//! `tests/fuzz_corpus.rs`, which replays every file of `fuzz/corpus/<target>/` through the
//! same function in a plain `cargo test`. Only oxeye's public API is used; serde_json is
//! the oracle for the JSON reader and writer. A broken property panics.

#![allow(dead_code)]

use oxeye::json::read::{self, Reader, Token};
use oxeye::json::write;
use serde_json::{Map, Value};

fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// DSN: parsing never panics; a parsed DSN prints a public DSN that parses back to the
/// same DSN (minus the secret key) and an envelope URL on the same scheme and host.
pub fn check_dsn(data: &[u8]) {
    let Some(s) = text(data) else { return };
    let Ok(dsn) = oxeye::dsn::Dsn::parse(s) else { return };
    assert!(dsn.scheme == "http" || dsn.scheme == "https");
    assert!(!dsn.public_key.is_empty() && !dsn.host.is_empty());
    assert!(!dsn.project_id.is_empty() && dsn.project_id.bytes().all(|b| b.is_ascii_digit()));
    assert!(dsn.port != Some(0));
    let public = dsn.to_public_string();
    let again = oxeye::dsn::Dsn::parse(&public).unwrap_or_else(|e| panic!("{public:?} does not parse back: {e}"));
    assert_eq!(again, oxeye::dsn::Dsn { secret_key: None, ..dsn.clone() }, "{public:?}");
    // (the client the core names: its text needs no escapes, checked when the crate compiles)
    let url = dsn.envelope_url(oxeye::pipeline::sentry_client());
    assert!(url.starts_with(&format!("{}://{}", dsn.scheme, dsn.host)), "{url}");
    assert!(url.bytes().all(|b| b.is_ascii_graphic()), "{url:?}");
    // The userinfo of the public DSN is the public key alone: the secret is dropped (the
    // path may still hold any text the DSN had there).
    let authority = public.split("://").nth(1).and_then(|r| r.split('/').next()).unwrap_or("");
    assert_eq!(authority.split_once('@').map(|(user, _)| user), Some(dsn.public_key.as_str()), "{public:?}");
}

/// Stack strings: parsing never panics, stays within the frame cap, and every frame has
/// a line and column of at least 1 when it has one.
pub fn check_stack(data: &[u8]) {
    let Some(s) = text(data) else { return };
    let frames = oxeye::stacktrace::parse_stack(s);
    assert!(frames.len() <= oxeye::stacktrace::MAX_FRAMES);
    assert!(frames.len() <= s.lines().count());
    for f in &frames {
        assert!(f.lineno != Some(0) && f.colno != Some(0), "{f:?}");
    }
}

/// Sample rates, the DSC as it crosses from the shim, and continued traces: a decimal
/// reads as at most one; whatever DSC array is read writes back as itself; a trace
/// continued from any parts (the input's lines: trace id, parent span id, DSC array)
/// yields header parts that are JSON with the context's ids.
pub fn check_trace(data: &[u8]) {
    use oxeye::baggage::Dsc;
    use oxeye::trace::{parse_micro, DscSource, Incoming, PropagationContext};
    let Some(s) = text(data) else { return };
    if let Some(m) = parse_micro(s) {
        assert!(m <= 1_000_000, "{s:?} → {m}");
    }
    if let Some(dsc) = Dsc::from_json(s) {
        let mut out = Vec::new();
        dsc.write_pairs(&mut out);
        assert_eq!(Dsc::from_json(std::str::from_utf8(&out).unwrap()).as_ref(), Some(&dsc), "{s:?}");
    }
    let mut fields = s.splitn(3, '\n');
    let (trace_id, parent_span_id) = (fields.next().unwrap_or(""), fields.next().unwrap_or(""));
    let incoming = Incoming { trace_id, parent_span_id, sampled: s.len().checked_rem(3).and_then(|r| [None, Some(true), Some(false)][r]), dsc: fields.next() };
    let random: Vec<u8> = (0..64u8).collect();
    let src = DscSource { public_key: "k", org_id: Some("1"), release: None, environment: "e" };
    for strict in [false, true] {
        let (mut ctx, _) = PropagationContext::continued(Some(&incoming), Some("1"), strict, &random);
        let parts: Value = serde_json::from_slice(&ctx.headers(&src)).unwrap_or_else(|e| panic!("{s:?}: {e}"));
        assert_eq!(parts["trace_id"], ctx.trace_id.as_str());
        assert_eq!(parts["span_id"], ctx.span_id.as_str());
        assert!(parts["dsc"].is_array());
    }
}

/// Why our reader's tree could not be built: the grammar (a reader error) or a number
/// serde_json would not represent.
enum Ours {
    Bad(read::Error),
    NumberOutOfRange,
}

fn build(tok: Token<'_>, r: &mut Reader<'_>) -> Result<Value, Ours> {
    Ok(match tok {
        Token::ObjStart => {
            let mut m = Map::new();
            loop {
                match r.next().map_err(Ours::Bad)?.expect("a key or `}` before the end") {
                    Token::ObjEnd => break,
                    Token::Key(k) => {
                        let t = r.next().map_err(Ours::Bad)?.expect("a value after a key");
                        let v = build(t, r)?;
                        m.insert(k.text().into_owned(), v);
                    }
                    other => panic!("a key or `}}` expected in an object, got {other:?}"),
                }
            }
            Value::Object(m)
        }
        Token::ArrStart => {
            let mut a = Vec::new();
            loop {
                match r.next().map_err(Ours::Bad)?.expect("a value or `]` before the end") {
                    Token::ArrEnd => break,
                    t @ (Token::ObjEnd | Token::Key(_)) => panic!("{t:?} inside an array"),
                    t => a.push(build(t, r)?),
                }
            }
            Value::Array(a)
        }
        Token::Str(s) => Value::String(s.text().into_owned()),
        Token::Num(n) => {
            check_number(n);
            serde_json::from_str(n).map_err(|_| Ours::NumberOutOfRange)?
        }
        Token::Bool(b) => Value::Bool(b),
        Token::Null => Value::Null,
        t @ (Token::ObjEnd | Token::ArrEnd | Token::Key(_)) => panic!("{t:?} where a value starts"),
    })
}

/// `read::number` is exact for integers up to 2^53 and close for everything else it
/// promises (15 significant digits).
fn check_number(n: &str) {
    let std: f64 = n.parse().expect("the reader only yields JSON numbers");
    let ours = read::number(n);
    if !std.is_finite() {
        return;
    }
    let ours = ours.unwrap_or_else(|| panic!("{n:?} is a finite number"));
    if std.abs() <= 9_007_199_254_740_992.0 && std.fract() == 0.0 && !n.contains(['.', 'e', 'E']) {
        assert_eq!(ours, std, "{n:?}");
    } else if std != 0.0 && std.abs() > 1e-300 && std.abs() < 1e300 {
        assert!(((ours - std) / std).abs() < 1e-14, "{n:?}: {ours} vs {std}");
    }
}

fn ours(s: &str) -> Result<Value, Ours> {
    let mut r = Reader::new(s);
    let first = r.next().map_err(Ours::Bad)?.expect("a value before the end");
    let v = build(first, &mut r)?;
    r.finish().map_err(Ours::Bad)?;
    Ok(v)
}

/// The JSON reader against serde_json: the same texts are accepted and read as the same
/// values, and `validate` agrees. Three deliberate differences: escaped lone surrogates
/// (what `JSON.stringify` writes for them) are read as U+FFFD, numbers beyond f64's
/// range are grammar-valid JSON to the reader, and the reader's depth limit
/// (`read::MAX_DEPTH`, 128 levels) is one level deeper than serde_json's.
pub fn check_json_read(data: &[u8]) {
    let Some(s) = text(data) else { return };
    let oracle = serde_json::from_str::<Value>(s);
    let mine = ours(s);
    let valid = read::validate(s);
    match (&oracle, &mine) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{s:?}"),
        (Err(_), Err(Ours::Bad(_))) => {}
        (Ok(_), Err(Ours::Bad(e))) => panic!("serde_json reads {s:?}, the reader says {e}"),
        (Err(_), Err(Ours::NumberOutOfRange)) => {}
        (Ok(_), Err(Ours::NumberOutOfRange)) => panic!("serde_json reads a number in {s:?} that it does not read alone"),
        (Err(e), Ok(_)) => {
            let why = e.to_string();
            let allowed = why.contains("surrogate") || why.contains("hex escape") || why.contains("recursion limit");
            assert!(allowed, "the reader reads {s:?}, serde_json says {why}");
        }
    }
    // (A number out of range stops the tree early, so the grammar verdict is validate's.)
    if !matches!(mine, Err(Ours::NumberOutOfRange)) {
        assert_eq!(valid.is_ok(), mine.is_ok(), "validate vs tokens on {s:?}");
    }
    // A third opinion on the grammar (`is_json_text`, neither serde_json nor the reader):
    // it agrees with `validate` but for nesting past the reader's limit.
    let grammar = is_json_text(s.as_bytes());
    match &valid {
        Ok(()) => assert!(grammar, "validate accepts {s:?}, the grammar does not"),
        Err(e) => assert!(!grammar || e.what == "nested too deeply", "validate refuses {s:?} ({e}), the grammar accepts it"),
    }
    if let Ok(v) = &oracle {
        // What serde_json writes, the reader reads back to the same value.
        // (Compared with serde_json's reading of the same text: its float parser is not
        // exact, so a number it writes may read back one ulp off.)
        let again = serde_json::to_string(v).expect("serializable");
        let oracle_again = serde_json::from_str::<Value>(&again).ok();
        assert!(oracle_again.is_some() && ours(&again).ok() == oracle_again, "{again:?}");
    }
}

/// The JSON writer: any string written by `write::string` is one JSON string that
/// serde_json and the reader both read back equal, with U+2028/2029 escaped.
pub fn check_json_write(data: &[u8]) {
    let s = String::from_utf8_lossy(data);
    let mut out = Vec::new();
    write::string(&mut out, &s);
    let json = std::str::from_utf8(&out).expect("the writer writes UTF-8");
    assert!(!json.contains(['\u{2028}', '\u{2029}']), "{json:?}");
    assert_eq!(serde_json::from_str::<String>(json).ok().as_deref(), Some(&*s), "{json:?}");
    let mut r = Reader::new(json);
    match r.next() {
        Ok(Some(Token::Str(t))) => assert_eq!(t.text(), s),
        other => panic!("{json:?} read as {other:?}"),
    }
    assert!(matches!(r.next(), Ok(None)));
    let mut o = Vec::new();
    {
        let mut a = write::Arr::new(&mut o);
        a.str(&s);
        let mut obj = write::Obj::new(a.item());
        write::string(obj.key(&s), &s);
        obj.end();
        a.end();
    }
    let v: Value = serde_json::from_slice(&o).unwrap_or_else(|e| panic!("{}: {e}", String::from_utf8_lossy(&o)));
    assert_eq!(v, serde_json::json!([*s, { s.to_string(): *s }]));
}

fn pii_config() -> &'static oxeye::pii::PiiConfig {
    static CFG: std::sync::OnceLock<oxeye::pii::PiiConfig> = std::sync::OnceLock::new();
    CFG.get_or_init(|| oxeye::pii::PiiConfig::from_options(false, None, false).expect("the default PII config"))
}

/// Events holding the fuzzed string at `@` (written as a JSON string): one kind of place
/// each, between them every place the walk treats differently (message and logentry,
/// exception fields and frames, structured data values, keys and pairs, URL, query string
/// and its pairs, headers and cookies, request body and env, user, breadcrumbs, tags,
/// contexts, fingerprint, spans, the trace header's fields).
const PII_PLACES: &[&str] = &[
    r#"{"message":@}"#,
    r#"{"logentry":{"message":@,"formatted":@,"params":[@]}}"#,
    r#"{"exception":{"values":[{"type":@,"value":@,"mechanism":{"data":{"k":@}}}]}}"#,
    r#"{"exception":[{"stacktrace":{"frames":[{"vars":{"v":@,@:1},"abs_path":@,"context_line":@}]}}]}"#,
    r#"{"extra":{"k":@,"password":@}}"#,
    r#"{"extra":{@:1,"n":{@:[@]}}}"#,
    r#"{"extra":{"k":[[@,@],[@,{"x":@}]]}}"#,
    r#"{"request":{"url":@,"method":@}}"#,
    r#"{"request":{"query_string":@}}"#,
    r#"{"request":{"query_string":[[@,@]],"fragment":@}}"#,
    r#"{"request":{"headers":{"Cookie":@,"Set-Cookie":@}}}"#,
    r#"{"request":{"headers":{"Authorization":@,@:@}}}"#,
    r#"{"request":{"headers":[[@,@],["cookie",@]],"cookies":@}}"#,
    r#"{"request":{"cookies":[[@,@]],"data":{@:@}}}"#,
    r#"{"request":{"data":@,"env":{"REMOTE_ADDR":@,@:@}}}"#,
    r#"{"user":{"email":@,"username":@,"ip_address":@,"data":{@:@}}}"#,
    r#"{"breadcrumbs":{"values":[{"message":@,"category":@,"data":{"url":@,@:@}}]}}"#,
    r#"{"breadcrumbs":[{"data":[[@,@]]}]}"#,
    r#"{"tags":{"t":@,@:"v"}}"#,
    r#"{"tags":[[@,@]],"transaction":@,"server_name":@}"#,
    r#"{"contexts":{"trace":{"data":{"k":@}},"os":{"name":@},"device":{@:@}}}"#,
    r#"{"contexts":{@:{"k":@,"type":@}}}"#,
    r#"{"fingerprint":[@,"{{ default }}"],"modules":{@:@},"sdk":{"name":@}}"#,
    r#"{"spans":[{"description":@,"data":{"url":@,@:@}}]}"#,
    r#"{"_dsc":{"transaction":@,"trace_id":@,@:@}}"#,
];

/// Paths of the typed-field entry points (`scrub_str`, `scrub_key`).
const PII_PATHS: &[&[oxeye::pii::Seg<'static>]] = &[
    &[oxeye::pii::Seg::Key("message")],
    &[oxeye::pii::Seg::Key("request"), oxeye::pii::Seg::Key("url")],
    &[oxeye::pii::Seg::Key("_dsc"), oxeye::pii::Seg::Key("transaction")],
    &[oxeye::pii::Seg::Key("extra")],
    &[oxeye::pii::Seg::Key("exception"), oxeye::pii::Seg::Key("values"), oxeye::pii::Seg::Index(0), oxeye::pii::Seg::Key("value")],
];

/// Whether `b` is one JSON text by RFC 8259's grammar alone, written here (neither
/// serde_json nor the core's reader) for the one thing serde_json refuses that is JSON:
/// a number beyond f64's range. Nesting is capped at 512 levels (the walk that writes the
/// output stops at 128).
fn is_json_text(b: &[u8]) -> bool {
    fn ws(b: &[u8], mut i: usize) -> usize {
        while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
            i += 1;
        }
        i
    }
    fn digits(b: &[u8], mut i: usize) -> Option<usize> {
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        (i > start).then_some(i)
    }
    fn string(b: &[u8], mut i: usize) -> Option<usize> {
        i += 1; // the opening quote
        loop {
            match *b.get(i)? {
                b'"' => return Some(i + 1),
                b'\\' => match *b.get(i + 1)? {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => i += 2,
                    b'u' if b.get(i + 2..i + 6)?.iter().all(u8::is_ascii_hexdigit) => i += 6,
                    _ => return None,
                },
                0..=0x1f => return None,
                _ => i += 1,
            }
        }
    }
    fn value(b: &[u8], i: usize, depth: usize) -> Option<usize> {
        let i = ws(b, i);
        match *b.get(i)? {
            b'"' => string(b, i),
            b't' => b[i..].starts_with(b"true").then_some(i + 4),
            b'f' => b[i..].starts_with(b"false").then_some(i + 5),
            b'n' => b[i..].starts_with(b"null").then_some(i + 4),
            open @ (b'{' | b'[') if depth < 512 => {
                let close = if open == b'{' { b'}' } else { b']' };
                let mut j = ws(b, i + 1);
                if b.get(j) == Some(&close) {
                    return Some(j + 1);
                }
                loop {
                    if open == b'{' {
                        j = ws(b, j);
                        j = ws(b, string(b, j).filter(|_| b.get(j) == Some(&b'"'))?);
                        j = if b.get(j) == Some(&b':') { j + 1 } else { return None };
                    }
                    j = ws(b, value(b, j, depth + 1)?);
                    match *b.get(j)? {
                        b',' => j += 1,
                        c if c == close => return Some(j + 1),
                        _ => return None,
                    }
                }
            }
            b'-' | b'0'..=b'9' => {
                let mut j = if b[i] == b'-' { i + 1 } else { i };
                j = if b.get(j) == Some(&b'0') { j + 1 } else { digits(b, j)? };
                if b.get(j) == Some(&b'.') {
                    j = digits(b, j + 1)?;
                }
                if matches!(b.get(j), Some(b'e' | b'E')) {
                    j += 1;
                    if matches!(b.get(j), Some(b'+' | b'-')) {
                        j += 1;
                    }
                    j = digits(b, j)?;
                }
                Some(j)
            }
            _ => None,
        }
    }
    value(b, 0, 0).is_some_and(|end| ws(b, end) == b.len()) && std::str::from_utf8(b).is_ok()
}

/// Scrubbed output must be JSON: serde_json reads it, or refuses it only for a number
/// beyond f64's range (which the reader accepts and the walk copies as it is) while the
/// grammar holds.
fn assert_json(out: &[u8], what: &str) {
    if let Err(e) = serde_json::from_slice::<Value>(out) {
        let range = e.to_string().starts_with("number out of range");
        assert!(range && is_json_text(out), "{what} scrubs to {:?}, not JSON: {e}", String::from_utf8_lossy(out));
    }
}

fn pii_scrub(json: &str) -> Result<Vec<u8>, oxeye::pii::Invalid> {
    let (mut out, mut meta) = (Vec::new(), oxeye::pii::MetaLog::default());
    oxeye::pii::scrub_json(json, &[], pii_config(), &mut out, &mut meta).map(|()| out)
}

/// One event of `PII_PLACES` with `s` in it: scrubbing never fails or panics and the
/// output is JSON.
fn pii_place(template: &str, s: &str) {
    let mut quoted = Vec::new();
    write::string(&mut quoted, s);
    let quoted = std::str::from_utf8(&quoted).expect("the writer writes UTF-8");
    let event = template.replace('@', quoted);
    let scrubbed = pii_scrub(&event).unwrap_or_else(|e| panic!("{event:?} does not scrub: {e}"));
    assert_json(&scrubbed, &event);
}

/// PII matchers. The first byte picks where the rest goes, so one input costs one event
/// rather than one per place (the fuzzer reaches every place through the coverage each
/// one adds): `n % PII_PLACES.len()` → that place of `PII_PLACES`; 255 → the string
/// behind `MAX_SCAN_BYTES - 8` bytes of text (the cut before scanning falls inside it) as
/// a message and an extra value (rare on purpose: scanning 16 KiB costs a hundred small
/// inputs). The string also goes through
/// `scrub_str` and `scrub_key` at one of `PII_PATHS`, and the rest, when it is JSON, is
/// scrubbed as a whole event. Never panics; every output is JSON.
pub fn check_pii(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else { return };
    let s = String::from_utf8_lossy(rest);
    let cfg = pii_config();
    if pick == u8::MAX {
        let mut long = "x".repeat(oxeye::pii::MAX_SCAN_BYTES - 8);
        long.push_str(&s);
        pii_place(PII_PLACES[0], &long);
        pii_place(r#"{"extra":{"k":@}}"#, &long);
    } else {
        pii_place(PII_PLACES[usize::from(pick) % PII_PLACES.len()], &s);
    }
    let path = PII_PATHS[usize::from(pick) % PII_PATHS.len()];
    let mut meta = oxeye::pii::MetaLog::default();
    let _ = oxeye::pii::scrub_str(&s, path, cfg, &mut meta);
    let _ = oxeye::pii::scrub_key(&s, path, cfg, &mut meta);
    if let Ok(raw) = std::str::from_utf8(rest) {
        if let Ok(out) = pii_scrub(raw) {
            assert_json(&out, raw);
        }
    }
}
