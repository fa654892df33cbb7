//! Why a piece of text was replaced: the rules, their `_meta` ids, their replacement
//! texts, and which rule wins when two hits start at the same byte.

use super::config::PiiConfig;

/// The replacement for key rules and `[Filtered]`-style value rules.
pub const FILTERED: &str = "[Filtered]";

/// Why a piece of text was replaced. Each rule has its own `_meta` rule id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// The value sits under a sensitive key (`password`, `x-api-key`, …).
    Key,
    /// The value contains a password-like word (Relay's `@password` value pattern).
    Password,
    /// A `key=value` / `"key": "value"` pair inside text with a sensitive key.
    Secret,
    /// A cookie value.
    Cookie,
    /// The body of a PEM key block.
    PemKey,
    /// A JSON Web Token.
    Jwt,
    /// The token after `Bearer `.
    Bearer,
    /// An API key or access token recognisable by its prefix (AWS, GitHub, Stripe, Slack).
    Token,
    /// The password in `scheme://user:password@host`.
    UrlAuth,
    /// A Luhn-valid card number.
    Creditcard,
    /// An IBAN with a valid checksum.
    Iban,
    /// A US social security number.
    UsSsn,
    /// An IPv4 or IPv6 address.
    Ip,
    /// An email address.
    Email,
    /// An app-defined value rule (index into the configured rules).
    Custom(u16),
    /// The string was longer than the scan limit.
    Limit,
}

impl Rule {
    /// Writes the rule id of `_meta` remarks (`!oxeye:<rule>`; `!limit` for truncation) as
    /// the escaped body of a JSON string (no quotes).
    pub fn write_id(self, cfg: &PiiConfig, out: &mut Vec<u8>) {
        let name = match self {
            Rule::Key => "key",
            Rule::Password => "password",
            Rule::Secret => "secret",
            Rule::Cookie => "cookie",
            Rule::Bearer => "bearer",
            Rule::UrlAuth => "urlauth",
            Rule::UsSsn => "usssn",
            // the others are named by their replacement without its brackets (`[jwt]`)
            Rule::PemKey | Rule::Jwt | Rule::Token | Rule::Creditcard | Rule::Iban | Rule::Ip | Rule::Email => {
                let text = self.replacement(cfg);
                crate::text::part(text, 1, text.len() - 1)
            }
            Rule::Custom(i) => {
                out.extend_from_slice(b"!oxeye:custom:");
                crate::json::write::escape_into(out, cfg.value_rules().get(i as usize).map_or("?", |r| r.name.as_str()));
                return;
            }
            Rule::Limit => {
                out.extend_from_slice(b"!limit");
                return;
            }
        };
        out.extend_from_slice(b"!oxeye:");
        out.extend_from_slice(name.as_bytes());
    }

    /// The text that replaces a hit.
    pub fn replacement(self, cfg: &PiiConfig) -> &str {
        match self {
            Rule::Key | Rule::Password | Rule::Secret | Rule::Cookie | Rule::UrlAuth => FILTERED,
            Rule::PemKey => "[pemkey]",
            Rule::Jwt => "[jwt]",
            Rule::Bearer | Rule::Token => "[token]",
            Rule::Creditcard => "[creditcard]",
            Rule::Iban => "[iban]",
            Rule::UsSsn => "[us-ssn]",
            Rule::Ip => "[ip]",
            Rule::Email => "[email]",
            Rule::Custom(i) => cfg.value_rules().get(i as usize).map_or(FILTERED, |r| r.replacement.as_str()),
            Rule::Limit => "...",
        }
    }

    /// Which hit wins when two start at the same byte (lower first).
    pub(crate) fn priority(self) -> u8 {
        match self {
            Rule::Limit => 0,
            Rule::PemKey => 1,
            Rule::Secret | Rule::Cookie => 2,
            Rule::UrlAuth => 3,
            Rule::Jwt | Rule::Bearer | Rule::Token => 4,
            Rule::Custom(_) => 5,
            Rule::Key | Rule::Password | Rule::Creditcard | Rule::Iban | Rule::UsSsn | Rule::Ip | Rule::Email => 6,
        }
    }
}

/// One match: bytes `start..end` of the scanned string are replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// First byte replaced.
    pub start: usize,
    /// One past the last byte replaced.
    pub end: usize,
    /// Why.
    pub rule: Rule,
}


impl Hit {
    /// Adds the hit `start..end` for `rule` to `out` (one out-of-line push for every matcher).
    #[inline(never)]
    pub fn push(out: &mut Vec<Hit>, start: usize, end: usize, rule: Rule) {
        out.push(Hit { start, end, rule });
    }
}
