//! Sensitive key names: which object keys, header names, query parameters and cookie
//! names hold secrets.
//!
//! Keys are compared in a normalised form: ASCII lowercase, with `-`, `.`, space, `[`,
//! `]`, `/` and `:` all turned into `_` (so `X-Api-Key`, `x_api_key`, `api.key` and
//! `API KEY` are the same). Most names match anywhere in the key (`auth` matches
//! `Authorization`, `oauth_state` and — as on Sentry's server — `author`); short ones
//! (`sid`, `sso`, `otp`, `pass`, …) only as a whole segment, where segments are split at
//! separators and at camelCase humps (`connect.sid`, `sessionSid`, `otpCode`), so
//! `inside` or `passenger` stay plain.
//!
//! The lists are the union of Relay's `@password` key pattern, the SDK data-scrubbing
//! spec's key snippets, sentry-python's denylist and the cookie names Sentry's server
//! filters.

use super::config::PiiConfig;
use super::scan::{any_word, each, find, lettered, listed, norm_byte, one_of_ci, words, Lettered};

/// What a key says about the value under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyClass {
    /// Nothing special: the value gets value rules.
    Plain,
    /// Listed in `scrub.safeKeys`: no key rule and no password-word rule for this value.
    Safe,
    /// The value is a secret: replaced by `[Filtered]` (containers and numbers removed).
    Sensitive,
    /// A cookie header or cookie jar: parsed and filtered per cookie.
    Cookie,
}

/// Matched anywhere in the normalised key, grouped by first letter so a key is read once
/// (`scan::lettered`).
const ANYWHERE: Lettered = lettered(words!(
    "api_key apikey auth access_key accesskey bearer credential csrf credit_card creditcard card_number cardnumber cookie encryption_key jwt password passwd pwd private_key privatekey passphrase secret session sessid saml signing_key token xsrf"
));

/// [`SEGMENTS`] and `key`, for HTTP headers (any `…-Key` header is a credential).
const HEADER_SEGMENTS: &[u8] = words!("sid sso otp pass ssn cvv cvc cvn 2fa mfa key");

/// Matched as a whole segment only: [`HEADER_SEGMENTS`] without its last name, `key`
/// (one text in the data for both lists).
const SEGMENTS: &[u8] = HEADER_SEGMENTS.split_at(HEADER_SEGMENTS.len() - 4).0;

/// Matched as the whole key only.
const WHOLE: &[u8] = words!("two_factor twofactor");

/// Keys that hold a cookie header or a cookie jar.
const COOKIE_KEYS: &[u8] = words!("cookie cookies set_cookie set_cookies");

/// Query parameters that carry credentials even though their names are generic
/// (`?key=` for API keys, `?sig=` / `?X-Amz-Signature=` for signed URLs, `?code=` for
/// OAuth); matched as a segment.
const QUERY_ONLY: &[u8] = words!("key sig signature code ticket hmac");

/// Cookie names filtered even when `sendDefaultPii` keeps other cookies: Sentry's
/// server list plus the SDK spec's cookie snippets.
const COOKIE_WHOLE: &[u8] = words!("sentrysid sudo su symfony");
const COOKIE_ANYWHERE: &[u8] =
    words!("remember oidc pkce nonce __secure_ __host_ awsalb awselb akamai __stripe cognito firebase supabase mfa 2fa");

/// The normalised form of `key`, in `stack` for ordinary key lengths (this runs for
/// every object key of every event), else in `heap`.
fn norm<'b>(key: &str, stack: &'b mut [u8; 48], heap: &'b mut Vec<u8>) -> &'b [u8] {
    let b = key.as_bytes();
    // one loop for both places; the heap buffer is given the key's length by a copy
    // that the loop overwrites
    let buf: &mut [u8] = if b.len() <= stack.len() {
        &mut stack[..b.len()]
    } else {
        heap.extend_from_slice(b);
        heap
    };
    for (d, &c) in buf.iter_mut().zip(b) {
        *d = norm_byte(c);
    }
    buf
}

/// Calls `f` with the normalised form of `key` (see [`norm`]).
fn with_norm<R>(key: &str, f: impl FnOnce(&[u8]) -> R) -> R {
    let (mut stack, mut heap) = ([0u8; 48], Vec::new());
    f(norm(key, &mut stack, &mut heap))
}

fn contains(norm: &[u8], pat: &[u8]) -> bool {
    find(norm, 0, pat).is_some()
}

/// True when a segment of `key` (split at separators and camelCase humps:
/// `XMLHttpToken` → `XML`, `Http`, `Token`) is one of `list`, ignoring ASCII case.
fn any_segment(key: &[u8], list: &[u8]) -> bool {
    let f = |seg: &[u8]| one_of_ci(seg, list);
    let mut start = 0;
    for i in 0..key.len() {
        let c = key[i];
        // a separator is what the normal form writes as `_` (and `_` itself)
        let sep = norm_byte(c) == b'_';
        let hump = c.is_ascii_uppercase()
            && i > 0
            && (key[i - 1].is_ascii_lowercase()
                || (key[i - 1].is_ascii_uppercase() && key.get(i + 1).is_some_and(|n| n.is_ascii_lowercase())));
        if sep || hump {
            if i > start && f(&key[start..i]) {
                return true;
            }
            start = if sep { i + 1 } else { i };
        }
    }
    start < key.len() && f(&key[start..])
}

/// True when the key names a secret by the built-in lists or `scrub.keys`.
fn sensitive(norm: &[u8], key: &str, cfg: &PiiConfig, header: bool) -> bool {
    any_word(norm, &ANYWHERE)
        || listed(WHOLE, norm)
        || cfg.custom_keys().iter().any(|k| contains(norm, k))
        || any_segment(key.as_bytes(), if header { HEADER_SEGMENTS } else { SEGMENTS })
}

fn safe(norm: &[u8], cfg: &PiiConfig) -> bool {
    cfg.safe_keys().iter().any(|k| k == norm)
}

/// Classifies an object key or header name (`header`: HTTP header rules, where any
/// `…-Key` header is a credential).
pub fn classify(key: &str, cfg: &PiiConfig, header: bool) -> KeyClass {
    if key.is_empty() {
        return KeyClass::Plain;
    }
    with_norm(key, |norm| {
        if safe(norm, cfg) {
            KeyClass::Safe
        } else if listed(COOKIE_KEYS, norm) {
            KeyClass::Cookie
        } else if sensitive(norm, key, cfg, header) {
            KeyClass::Sensitive
        } else {
            KeyClass::Plain
        }
    })
}

/// True for a query parameter name that [`classify`] finds `Plain` but that carries a
/// credential all the same (`?key=`, `?sig=`, `?code=`, …: a segment of it is one of
/// [`QUERY_ONLY`]). Safe and sensitive names are [`classify`]'s to answer.
pub fn is_query_credential(name: &str) -> bool {
    any_segment(name.as_bytes(), QUERY_ONLY)
}

/// True for a cookie name that is a session, CSRF or auth cookie.
pub fn is_sensitive_cookie(name: &str, cfg: &PiiConfig) -> bool {
    with_norm(name, |norm| {
        !safe(norm, cfg)
            && (listed(COOKIE_WHOLE, norm)
                || norm.starts_with(b"sb_")
                || each(COOKIE_ANYWHERE, |s| find(norm, 0, s).is_some())
                || sensitive(norm, name, cfg, false))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(k: &str) -> KeyClass {
        classify(k, &PiiConfig::default(), false)
    }

    #[test]
    fn segment_lists() {
        // the plain list is the header list without its last name
        assert!(listed(SEGMENTS, b"mfa") && listed(SEGMENTS, b"sid") && !listed(SEGMENTS, b"key"));
        assert!(listed(HEADER_SEGMENTS, b"key") && listed(HEADER_SEGMENTS, b"mfa"));
    }

    #[test]
    fn sensitive_spellings() {
        for k in [
            "password",
            "PASSWORD",
            "userPassword",
            "pass_word_hash_password",
            "passwd",
            "db_pwd",
            "mysql_pwd",
            "secret",
            "clientSecret",
            "api_key",
            "apiKey",
            "API-KEY",
            "x-api-key",
            "X-Api-Key",
            "api.key",
            "api key",
            "apikey",
            "auth",
            "Authorization",
            "proxy-authorization",
            "credentials",
            "token",
            "access_token",
            "refreshToken",
            "X-Auth-Token",
            "private_key",
            "privateKey",
            "session",
            "sessionid",
            "sessionId",
            "PHPSESSID",
            "sid",
            "connect.sid",
            "csrf",
            "XSRF-TOKEN",
            "x_csrftoken",
            "jwt",
            "bearer",
            "sso",
            "sso_ticket",
            "saml",
            "SAMLResponse",
            "otp",
            "otpCode",
            "two_factor",
            "two-factor",
            "pass",
            "db_pass",
            "ssn",
            "cvv",
            "card_number",
            "AWSAccessKeyId",
            "set-cookie-header",
        ] {
            assert_eq!(class(k), KeyClass::Sensitive, "{k}");
        }
    }

    #[test]
    fn plain_keys_stay_plain() {
        for k in [
            "",
            "user",
            "id",
            "email",
            "username",
            "inside",
            "side",
            "passenger",
            "compass",
            "bypass",
            "lasso",
            "keyboard",
            "key",
            "monkey",
            "primary_key",
            "cache-key",
            "order_id",
            "invoice",
            "version",
            "path",
            "checksum",
            "created_at",
            "price",
            "phone",
            "request_id",
            "spotpin",
            "considered",
            "x-request-id",
        ] {
            assert_eq!(class(k), KeyClass::Plain, "{k:?}");
        }
    }

    #[test]
    fn cookies_headers_and_options() {
        assert_eq!(class("Cookie"), KeyClass::Cookie);
        assert_eq!(class("set-cookie"), KeyClass::Cookie);
        assert_eq!(class("cookies"), KeyClass::Cookie);
        let cfg = PiiConfig::default();
        assert_eq!(classify("X-Idempotency-Key", &cfg, true), KeyClass::Sensitive);
        assert_eq!(classify("X-Idempotency-Key", &cfg, false), KeyClass::Plain);
        // `scrub.keys` and `scrub.safeKeys`: a build without `scrub-rules` never reads them,
        // so there they change nothing.
        let cfg =
            PiiConfig { keys: vec!["tenant_ref".into()], safe_keys: vec!["author".into()], ..PiiConfig::default() };
        let rules = cfg!(feature = "scrub-rules");
        assert_eq!(classify("X-Tenant-Ref", &cfg, false), if rules { KeyClass::Sensitive } else { KeyClass::Plain });
        assert_eq!(classify("Author", &cfg, false), if rules { KeyClass::Safe } else { KeyClass::Sensitive });
        assert_eq!(classify("author", &PiiConfig::default(), false), KeyClass::Sensitive);
    }

    #[test]
    fn query_params_and_cookie_names() {
        let cfg = PiiConfig::default();
        let secret_param = |p: &str| match class(p) {
            KeyClass::Sensitive => true,
            KeyClass::Plain => is_query_credential(p),
            _ => false,
        };
        for p in ["key", "sig", "Signature", "code", "access_token", "X-Amz-Signature", "X-Amz-Credential", "password"]
        {
            assert!(secret_param(p), "{p}");
        }
        for p in ["q", "page", "utm_source", "lang"] {
            assert!(!secret_param(p), "{p}");
        }
        for c in [
            "sessionid",
            "PHPSESSID",
            "csrftoken",
            "_xsrf",
            "sentrysid",
            "su",
            "remember_me",
            "__Secure-next-auth",
            "__Host-id",
            "sb-access",
            "AWSALB",
            "connect.sid",
        ] {
            assert!(is_sensitive_cookie(c, &cfg), "{c}");
        }
        for c in ["theme", "lang", "_ga", "consent", "tz"] {
            assert!(!is_sensitive_cookie(c, &cfg), "{c}");
        }
    }

    #[test]
    fn hostile_keys_are_linear() {
        assert_eq!(class(&"aB".repeat(1000)), KeyClass::Plain);
        for unit in ["aB", "pa", "a_", "tok"] {
            crate::pii::testkit::assert_linear(unit, |n| unit.repeat(n), |k| {
                let _ = class(k);
            });
        }
    }
}
