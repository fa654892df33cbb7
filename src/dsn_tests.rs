//! Tests of `dsn.rs`: what parses and into which parts and envelope URL, what each
//! invalid DSN is told, that the secret never reaches the auth header, and that no
//! mangled input panics.

use super::*;

const CLIENT: &str = "oxeye.javascript/0.1.0";

/// (input, scheme, key, secret, host, port, path, project, org, envelope URL without the query)
#[rustfmt::skip]
type Valid = (&'static str, &'static str, &'static str, Option<&'static str>, &'static str,
    Option<u16>, &'static str, &'static str, Option<&'static str>, &'static str);

#[rustfmt::skip]
const VALID: &[Valid] = &[
    ("https://abc123@o447951.ingest.us.sentry.io/4505", "https", "abc123", None,
     "o447951.ingest.us.sentry.io", None, "", "4505", Some("447951"),
     "https://o447951.ingest.us.sentry.io/api/4505/envelope/"),
    ("https://k@o1.ingest.sentry.io/1", "https", "k", None, "o1.ingest.sentry.io", None, "",
     "1", Some("1"), "https://o1.ingest.sentry.io/api/1/envelope/"),
    ("http://0123abcd@127.0.0.1:8000/1", "http", "0123abcd", None, "127.0.0.1", Some(8000),
     "", "1", None, "http://127.0.0.1:8000/api/1/envelope/"),
    ("http://key@[::1]:9000/1", "http", "key", None, "[::1]", Some(9000), "", "1", None,
     "http://[::1]:9000/api/1/envelope/"),
    ("https://key@[2001:DB8::1]/7", "https", "key", None, "[2001:db8::1]", None, "", "7",
     None, "https://[2001:db8::1]/api/7/envelope/"),
    ("http://key@[::ffff:192.168.0.1]:8080/sub/12", "http", "key", None,
     "[::ffff:192.168.0.1]", Some(8080), "/sub", "12", None,
     "http://[::ffff:192.168.0.1]:8080/sub/api/12/envelope/"),
    ("https://key@host/sentry/prefix/42", "https", "key", None, "host", None,
     "/sentry/prefix", "42", None, "https://host/sentry/prefix/api/42/envelope/"),
    ("https://key@host/42/", "https", "key", None, "host", None, "", "42", None,
     "https://host/api/42/envelope/"),
    ("https://pub:s3cr3t@sentry.example.com/3", "https", "pub", Some("s3cr3t"),
     "sentry.example.com", None, "", "3", None, "https://sentry.example.com/api/3/envelope/"),
    ("https://key:@host/1", "https", "key", None, "host", None, "", "1", None,
     "https://host/api/1/envelope/"),
    ("  https://key@host/1\n", "https", "key", None, "host", None, "", "1", None,
     "https://host/api/1/envelope/"),
    ("HTTPS://Key@Sentry.Example.COM/5", "https", "Key", None, "sentry.example.com", None,
     "", "5", None, "https://sentry.example.com/api/5/envelope/"),
    ("http://key@localhost:65535/1", "http", "key", None, "localhost", Some(65535), "", "1",
     None, "http://localhost:65535/api/1/envelope/"),
    ("https://key@glitchtip.example.com:443/prefix/2/", "https", "key", None,
     "glitchtip.example.com", Some(443), "/prefix", "2", None,
     "https://glitchtip.example.com:443/prefix/api/2/envelope/"),
    ("https://key@ingest.sentry.io/1", "https", "key", None, "ingest.sentry.io", None, "",
     "1", None, "https://ingest.sentry.io/api/1/envelope/"),
    ("https://key@oabc.ingest.sentry.io/1", "https", "key", None, "oabc.ingest.sentry.io",
     None, "", "1", None, "https://oabc.ingest.sentry.io/api/1/envelope/"),
    ("http://my_key-1.0~x@my_host.internal/a%20b/9", "http", "my_key-1.0~x", None,
     "my_host.internal", None, "/a%20b", "9", None,
     "http://my_host.internal/a%20b/api/9/envelope/"),
];

#[test]
fn valid_dsns() {
    for &(input, scheme, key, secret, host, port, path, project, org, url) in VALID {
        let dsn = Dsn::parse(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
        let expected = Dsn {
            scheme: scheme.into(),
            public_key: key.into(),
            secret_key: secret.map(Into::into),
            host: host.into(),
            port,
            path: path.into(),
            project_id: project.into(),
            org_id: org.map(Into::into),
        };
        assert_eq!(dsn, expected, "{input:?}");
        let full = format!(
            "{url}?sentry_key={key}&sentry_version=7&sentry_client=oxeye.javascript/0.1.0"
        );
        assert_eq!(dsn.envelope_url(CLIENT), full, "{input:?}");
        // The public form parses back to the same DSN, minus the secret.
        let public = Dsn::parse(&dsn.to_public_string()).unwrap();
        assert_eq!(
            public,
            Dsn {
                secret_key: None,
                ..expected
            },
            "{input:?}"
        );
    }
}

/// (input, expected error, text the message must contain to name the part)
#[rustfmt::skip]
fn invalid_cases() -> Vec<(&'static str, Fault<'static>, &'static str)> {
    use Fault::*;
    let s = |text: &'static str| text;
    vec![
        ("", Empty, "empty"),
        ("  \t\n ", Empty, "empty"),
        ("key@host/1", MissingScheme, "scheme"),
        ("://key@host/1", MissingScheme, "scheme"),
        ("ftp://key@host/1", InvalidScheme(s("ftp")), "scheme \"ftp\""),
        ("http://@host/1", MissingPublicKey, "public key"),
        ("http://host/1", MissingPublicKey, "public key"),
        ("http://k ey@host/1", InvalidPublicKey(s("k ey")), "public key \"k ey\""),
        ("http://key:se cret@host/1", InvalidSecretKey, "secret key"),
        ("http://key@/1", MissingHost, "host"),
        ("http://key@:9000/1", MissingHost, "host"),
        ("http://key@ho st/1", InvalidHost(s("ho st")), "host \"ho st\""),
        ("http://key@h\u{e9}.com/1", InvalidHost(s("h\u{e9}.com")), "host"),
        ("http://key@[::1/1", InvalidHost(s("[::1")), "host \"[::1\""),
        ("http://key@[]/1", InvalidHost(s("[]")), "host"),
        ("http://key@[::1]x/1", InvalidHost(s("[::1]x")), "host"),
        ("http://key@::1/1", InvalidHost(s("::1")), "host"),
        ("http://key@host:abc/1", InvalidPort(s("abc")), "port \"abc\""),
        ("http://key@host:0/1", InvalidPort(s("0")), "port \"0\""),
        ("http://key@host:70000/1", InvalidPort(s("70000")), "port"),
        ("http://key@host:/1", InvalidPort(s("")), "port"),
        ("http://key@host:+80/1", InvalidPort(s("+80")), "port"),
        ("http://key@[::1]:99999999999/1", InvalidPort(s("99999999999")), "port"),
        ("http://key@host", MissingProjectId, "project id"),
        ("http://key@host/", MissingProjectId, "project id"),
        ("http://key@host/abc", InvalidProjectId(s("abc")), "project id \"abc\""),
        ("http://key@host/1 2", InvalidProjectId(s("1 2")), "project id"),
        ("http://key@host/my prefix/1", InvalidPath(s("/my prefix")), "path"),
        ("http://key@host//1", InvalidPath(s("/")), "path"),
        ("http://key@host/a%zz/1", InvalidPath(s("/a%zz")), "path"),
        ("http://key@host/1?x=y", UnexpectedQueryOrFragment, "query"),
        ("http://key@host/1#frag", UnexpectedQueryOrFragment, "fragment"),
    ]
}

#[test]
fn invalid_dsns() {
    for (input, expected, part) in invalid_cases() {
        assert_eq!(scan(input, &mut String::new()).err(), Some(expected), "{input:?}");
        let msg = Dsn::parse(input).expect_err(input).to_string();
        assert_eq!(msg, expected.sentence(), "{input:?}");
        assert!(msg.starts_with("invalid DSN: "), "{msg}");
        assert!(
            msg.contains(part),
            "{input:?}: {msg:?} should name {part:?}"
        );
        assert!(!msg.contains("se cret"), "the secret leaked: {msg}");
    }
}

/// Hosts whose characters pass but whose shape is impossible: (host, offending part,
/// words the message must contain). Each is tried alone and with a port.
#[rustfmt::skip]
const IMPOSSIBLE_HOSTS: &[(&str, &str, &str)] = &[
    ("999.999.999.999", "999", "over 255"),
    ("1.2.3.256", "256", "over 255"),
    ("1.2.3.4.5", "1.2.3.4.5", "IPv4"),
    ("1.2.3", "1.2.3", "IPv4"),
    ("4294967295", "4294967295", "IPv4"),
    ("01.2.3.4", "01", "leading zero"),
    ("0x7f.1", "0x7f.1", "IPv4"),
    ("foo.123", "foo.123", "IPv4"),
    ("host.1.2.3", "host", "IPv4"),
    ("-host", "-host", "'-'"),
    ("host-", "host-", "'-'"),
    ("a.-b.com", "-b", "'-'"),
    ("host..com", "", "empty label"),
    (".host", "", "empty label"),
    ("host.", "", "empty label"),
    ("[1:2:3:4:5:6:7:8:9]", "1:2:3:4:5:6:7:8:9", "eight groups"),
    ("[1:2:3:4:5:6:7]", "1:2:3:4:5:6:7", "eight groups"),
    ("[1::2::3]", "1::2::3", "more than one '::'"),
    ("[12345::1]", "12345", "hex digits"),
    ("[:1]", "", "hex digits"),
    ("[:::]", "", "hex digits"),
    ("[::1.2.3.999]", "999", "over 255"),
    ("[1.2.3.4::1]", "1.2.3.4::1", "IPv4 part"),
    ("[1:2:3:4:5:6:7:1.2.3.4]", "1:2:3:4:5:6:7:1.2.3.4", "eight groups"),
];

#[test]
fn impossible_hosts_name_the_part() {
    let long_label = "a".repeat(64);
    let long_host = vec!["a".repeat(63); 4].join(".") + ".b";
    let built = [
        (format!("{long_label}.com"), long_label.clone(), "longer than 63"),
        (long_host.clone(), long_host.clone(), "longer than 253"),
    ];
    let rows = IMPOSSIBLE_HOSTS.iter().map(|&(h, p, w)| (h.to_string(), p.to_string(), w)).chain(built);
    for (host, part, words) in rows {
        for dsn in [format!("https://key@{host}/1"), format!("https://key@{host}:443/1")] {
            let mut lower = String::new();
            let fault = scan(&dsn, &mut lower).err();
            let Some(Fault::InvalidHostPart { part: got, .. }) = fault else { panic!("{dsn}: {fault:?}") };
            assert_eq!(got, part, "{dsn}");
            let msg = Dsn::parse(&dsn).expect_err(&dsn).to_string();
            assert!(msg.contains(&format!("{part:?}")) && msg.contains(words), "{dsn}: {msg}");
            assert!(msg.contains("the host"), "{msg}");
        }
    }
    // The limits themselves are fine, and so are the shapes next to the broken ones.
    let label63 = "a".repeat(63);
    let host253 = vec!["a".repeat(63); 3].join(".") + "." + &"b".repeat(61);
    assert_eq!(host253.len(), 253);
    for host in [
        label63.as_str(), &host253, "0.0.0.0", "255.255.255.255", "10.0.0.1", "a-b.c-d", "x1.y2", "123abc.com",
        "my_host", "[::]", "[1::]", "[1:2:3:4:5:6:7:8]", "[1:2:3:4:5:6::8]", "[::ffff:1.2.3.4]", "[64:ff9b::1.2.3.4]",
    ] {
        let dsn = format!("https://key@{host}:9/1");
        Dsn::parse(&dsn).unwrap_or_else(|e| panic!("{dsn}: {e}"));
    }
    for port in ["65536", "99999", "65535x", "-1"] {
        let dsn = format!("https://key@host:{port}/1");
        assert_eq!(scan(&dsn, &mut String::new()).err(), Some(Fault::InvalidPort(port)), "{dsn}");
        assert!(Dsn::parse(&dsn).unwrap_err().to_string().contains("port"));
    }
}

#[test]
fn secret_never_leaves_and_client_is_written_as_it_is() {
    let dsn = Dsn::parse("https://pub:topsecret@o5.ingest.sentry.io:8443/p/9/").unwrap();
    assert_eq!(dsn.secret_key.as_deref(), Some("topsecret"));
    let public = dsn.to_public_string();
    assert_eq!(public, "https://pub@o5.ingest.sentry.io:8443/p/9");
    let url = dsn.envelope_url("oxeye.js/1.0-b_x~");
    let tail = "sentry_client=oxeye.js/1.0-b_x~";
    assert!(url.ends_with(tail), "{url}");
    assert!(!url.contains("topsecret") && !public.contains("topsecret"));
}

#[test]
fn never_panics_on_mangled_input() {
    let extra = [
        "", "é", "\0", "[", "]", ":", "@", "/", "%", "?", " ", "://", "%4",
    ];
    let invalid = invalid_cases();
    let inputs = VALID.iter().map(|v| v.0).chain(invalid.iter().map(|v| v.0));
    for input in inputs {
        for (i, _) in input.char_indices().chain([(input.len(), ' ')]) {
            for x in extra {
                let (a, b) = input.split_at(i);
                for s in [format!("{a}{x}{b}"), format!("{a}{x}"), format!("{x}{b}")] {
                    if let Ok(d) = Dsn::parse(&s) {
                        let _ = d.envelope_url(CLIENT);
                        let back = Dsn::parse(&d.to_public_string());
                        assert_eq!(
                            back,
                            Ok(Dsn {
                                secret_key: None,
                                ..d
                            }),
                            "{s:?}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn the_unreserved_set_holds_exactly_rfc_3986s_unreserved_bytes() {
    for b in 0..=255u8 {
        let unreserved = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~');
        assert_eq!(is_unreserved(b), unreserved, "{b}");
        // A path segment's other bytes: sub-delims, `:` and `@`.
        let other = b"!$&'()*+,;=:@".contains(&b);
        assert_eq!(is_path_segment(&String::from(char::from(b))), b < 128 && (unreserved || other), "{b}");
    }
}
