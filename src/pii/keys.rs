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
use super::scan::contains;

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

/// Matched anywhere in the normalised key.
const ANYWHERE: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "secret",
    "api_key",
    "apikey",
    "auth",
    "credential",
    "token",
    "private_key",
    "privatekey",
    "session",
    "sessid",
    "csrf",
    "xsrf",
    "jwt",
    "bearer",
    "saml",
    "passphrase",
    "credit_card",
    "creditcard",
    "card_number",
    "cardnumber",
    "access_key",
    "accesskey",
    "signing_key",
    "encryption_key",
    "cookie",
];

/// Matched as a whole segment only.
const SEGMENTS: &[&str] = &["sid", "sso", "otp", "pass", "ssn", "cvv", "cvc", "cvn", "2fa", "mfa"];

/// Matched as the whole key only.
const WHOLE: &[&str] = &["two_factor", "twofactor"];

/// Keys that hold a cookie header or a cookie jar.
const COOKIE_KEYS: &[&str] = &["cookie", "cookies", "set_cookie", "set_cookies"];

/// Query parameters that carry credentials even though their names are generic
/// (`?key=` for API keys, `?sig=` / `?X-Amz-Signature=` for signed URLs, `?code=` for
/// OAuth); matched as a segment.
const QUERY_ONLY: &[&str] = &["key", "sig", "signature", "code", "ticket", "hmac"];

/// Cookie names filtered even when `sendDefaultPii` keeps other cookies: Sentry's
/// server list plus the SDK spec's cookie snippets.
const COOKIE_WHOLE: &[&str] = &["sentrysid", "sudo", "su", "symfony"];
const COOKIE_ANYWHERE: &[&str] = &[
    "remember",
    "oidc",
    "pkce",
    "nonce",
    "__secure_",
    "__host_",
    "awsalb",
    "awselb",
    "akamai",
    "__stripe",
    "cognito",
    "firebase",
    "supabase",
    "mfa",
    "2fa",
];

/// The normalised form of a key (see the module docs).
pub fn normalize(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for c in key.chars() {
        out.push(match c {
            '-' | '.' | ' ' | '[' | ']' | '/' | ':' => '_',
            c => c.to_ascii_lowercase(),
        });
    }
    out
}

/// Calls `f` with each lowercase segment of `key` (split at separators and camelCase
/// humps: `XMLHttpToken` → `xml`, `http`, `token`) until it returns true.
fn any_segment(key: &str, mut f: impl FnMut(&str) -> bool) -> bool {
    let b = key.as_bytes();
    let mut seg = String::new();
    for i in 0..b.len() {
        let c = b[i];
        let sep = matches!(c, b'-' | b'.' | b' ' | b'[' | b']' | b'/' | b':' | b'_');
        let hump = c.is_ascii_uppercase()
            && i > 0
            && (b[i - 1].is_ascii_lowercase()
                || (b[i - 1].is_ascii_uppercase() && b.get(i + 1).is_some_and(|n| n.is_ascii_lowercase())));
        if (sep || hump) && !seg.is_empty() {
            if f(&seg) {
                return true;
            }
            seg.clear();
        }
        if !sep {
            seg.push(c.to_ascii_lowercase() as char);
        }
    }
    !seg.is_empty() && f(&seg)
}

/// True when the key names a secret by the built-in lists or `scrub.keys`.
fn sensitive(norm: &str, key: &str, cfg: &PiiConfig, header: bool) -> bool {
    ANYWHERE.iter().any(|s| contains(norm, s))
        || WHOLE.contains(&norm)
        || cfg.keys.iter().any(|k| contains(norm, k))
        || any_segment(key, |seg| SEGMENTS.contains(&seg) || (header && seg == "key"))
}

/// Classifies an object key or header name (`header`: HTTP header rules, where any
/// `…-Key` header is a credential).
pub fn classify(key: &str, cfg: &PiiConfig, header: bool) -> KeyClass {
    if key.is_empty() {
        return KeyClass::Plain;
    }
    let norm = normalize(key);
    if cfg.safe_keys.contains(&norm) {
        KeyClass::Safe
    } else if COOKIE_KEYS.contains(&norm.as_str()) {
        KeyClass::Cookie
    } else if sensitive(&norm, key, cfg, header) {
        KeyClass::Sensitive
    } else {
        KeyClass::Plain
    }
}

/// True for a query parameter name that carries a credential (`?token=`, `?key=`, …).
pub fn is_secret_param(name: &str, cfg: &PiiConfig) -> bool {
    let norm = normalize(name);
    !cfg.safe_keys.contains(&norm)
        && (any_segment(name, |seg| QUERY_ONLY.contains(&seg)) || sensitive(&norm, name, cfg, false))
}

/// True for a cookie name that is a session, CSRF or auth cookie.
pub fn is_sensitive_cookie(name: &str, cfg: &PiiConfig) -> bool {
    let norm = normalize(name);
    if cfg.safe_keys.contains(&norm) {
        return false;
    }
    COOKIE_WHOLE.contains(&norm.as_str())
        || norm.starts_with("sb_")
        || COOKIE_ANYWHERE.iter().any(|s| contains(&norm, s))
        || sensitive(&norm, name, cfg, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(k: &str) -> KeyClass {
        classify(k, &PiiConfig::default(), false)
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
        let cfg =
            PiiConfig { keys: vec!["tenant_ref".into()], safe_keys: vec!["author".into()], ..PiiConfig::default() };
        assert_eq!(classify("X-Tenant-Ref", &cfg, false), KeyClass::Sensitive);
        assert_eq!(classify("Author", &cfg, false), KeyClass::Safe);
        assert_eq!(classify("author", &PiiConfig::default(), false), KeyClass::Sensitive);
    }

    #[test]
    fn query_params_and_cookie_names() {
        let cfg = PiiConfig::default();
        for p in ["key", "sig", "Signature", "code", "access_token", "X-Amz-Signature", "X-Amz-Credential", "password"]
        {
            assert!(is_secret_param(p, &cfg), "{p}");
        }
        for p in ["q", "page", "utm_source", "lang"] {
            assert!(!is_secret_param(p, &cfg), "{p}");
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
        let k = "aB".repeat(50_000);
        assert_eq!(class(&k), KeyClass::Plain);
    }
}
