//! Which part of an event gets which rules: a [`Place`] says what to do with the value
//! found at a path, and [`Place::child`] gives the place of a member or element.
//!
//! | where | rules |
//! |---|---|
//! | `extra`, `user`, `contexts`, `request.data`/`env`/headers, breadcrumb message and data, frame `vars`, `server_name`, anything unknown | key rules, Relay's password-word rule, value rules, IPs |
//! | `logentry` message, exception values and types, `fingerprint` | value rules, secrets in text, IPs, emails (default) |
//! | `tags`, `transaction`, `request.url`, `request.query_string`, the trace header (`["_dsc", field]`) | key rules (tags, query parameters), value rules, secrets in text, IPs |
//! | frame `filename`/`abs_path` | URL passwords and query secrets only |
//! | cookies (`request.cookies`, `Cookie`/`Set-Cookie` headers, any `cookie` key) | per cookie, see `cookies.rs` |
//! | `user.ip_address`, `request.env.REMOTE_ADDR` | removed while IP scrubbing is on |
//! | object keys (where the value is scrubbed) | value rules of free text: a key that is a card number, a token or a URL with a password is replaced |
//! | ids, timestamps, levels, `release`, `environment`, `sdk`, frame functions and modules, `debug_meta` | untouched |
//!
//! The split follows Sentry's server: where it scrubs, oxeye applies at least its rules;
//! where it scrubs nothing (messages, exception values, tags, URLs) oxeye adds precise
//! rules only, so a message such as "Authentication failed" is kept.
//!
//! Some places depend on the value found there (a `logentry` string is a message, a
//! `logentry` object has fields; a header that is not a string is structured data):
//! [`Place::resolve`] turns a place into what applies to a value of a given [`Kind`].

use super::config::PiiConfig;
use super::keys::{self, KeyClass};
use super::meta::Seg;
use super::rule::Rule;
use super::scan::{listed, words};
use super::text::Mode;

/// Top-level fields never scrubbed, as one coded word list (`scan::words!`).
const SKIP: &[u8] = words!("event_id timestamp start_timestamp received platform level logger release dist \
environment sdk debug_meta modules type _meta errors version measurements breakdowns");

/// Fields of the trace header (DSC) that are ids, versions and numbers.
const DSC_SKIP: &[u8] = words!("trace_id public_key release environment sample_rate sample_rand sampled org_id");

/// Context fields that are versions and build ids, never personal data.
const CONTEXT_SKIP: &[u8] = words!("type version build kernel_version raw_description");

/// The kind of a JSON value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A string.
    Str,
    /// The string `{{auto}}` (asks the server to fill in the sender's IP).
    Auto,
    /// A number.
    Num,
    /// An object.
    Obj,
    /// An array.
    Arr,
    /// `true` or `false`.
    Bool,
    /// `null`.
    Null,
}

/// Objects of a list (`exception.values`, `breadcrumbs.values`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// An exception (or a thread).
    Exception,
    /// A breadcrumb.
    Breadcrumb,
    /// A span.
    Span,
    /// A stack frame.
    Frame,
}

/// Name → value collections given as an object or as `[name, value]` pairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pairs {
    /// HTTP headers.
    Header,
    /// Query parameters.
    Query,
    /// Tags.
    Tag,
    /// A cookie jar.
    Cookie,
}

/// What to do with the value at a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place<'k> {
    /// The whole event.
    Event,
    /// Copied untouched.
    Keep,
    /// A string scrubbed under a mode (other values untouched).
    Str(Mode),
    /// A number under a mode: a card number becomes `[creditcard]`.
    Num(Mode),
    /// `logentry`/`message`: a message string, or an object with message fields.
    Logentry,
    /// The fields of a `logentry` object.
    LogentryObj,
    /// `{ values: [...] }` or a bare array of `Shape` objects.
    Values(Shape),
    /// The object form of [`Place::Values`].
    ValuesObj(Shape),
    /// The array of a [`Place::Values`].
    List(Shape),
    /// One element of a list.
    Item(Shape),
    /// An exception's `mechanism`.
    Mechanism,
    /// A `stacktrace`.
    Stacktrace,
    /// `request`.
    Request,
    /// `request.query_string`: a string, or query parameters.
    QueryString,
    /// `request.data`: a form body string, or structured data.
    RequestData,
    /// `request.env`.
    Env,
    /// An object or array of name → value pairs.
    Pairs(Pairs),
    /// One `[name, value]` pair of an array of pairs (the name is only known when walking).
    PairItem(Pairs),
    /// The value of a named pair.
    PairValue(Pairs, &'k str),
    /// `user`.
    User,
    /// `user.ip_address`.
    IpAddress,
    /// `contexts`.
    Contexts,
    /// One context, by name.
    Context(&'k str),
    /// An array of strings scrubbed under a mode (`fingerprint`).
    Strings(Mode),
    /// The trace header's fields (`_dsc`, a pseudo-field of the event for the envelope).
    Dsc,
    /// The fields of a context object (`true`: the trace context).
    ContextObj(bool),
    /// Structured data under a key (`None` inside arrays): key rules, then value rules.
    Data(Option<&'k str>),
    /// An object of structured data: each member is [`Place::Data`] under its key.
    DataObj,
    /// An array of structured data: `[key, value]` pairs get key rules.
    DataArr,
    /// A cookie header (`true`: `Set-Cookie`) or a cookie jar.
    Cookies(bool),
    /// A cookie header string.
    CookieStr(bool),
    /// A string replaced whole.
    FilterStr(Rule),
    /// Removed (written as `null`) when not already `null`.
    Remove(Rule),
    /// Removed now.
    Removed(Rule),
}

/// The modes of one configuration.
#[derive(Debug, Clone, Copy)]
pub struct Modes {
    /// Fields Relay scrubs.
    pub structured: Mode,
    /// Free text Relay leaves alone.
    pub text: Mode,
    /// Messages and exception values.
    pub message: Mode,
    /// Stack frame paths.
    pub url: Mode,
}

impl Modes {
    /// The modes for `cfg`.
    pub fn of(cfg: &PiiConfig) -> Modes {
        Modes {
            structured: Mode::structured(cfg),
            text: Mode::text(cfg),
            message: Mode::message(cfg),
            url: Mode::url_only(),
        }
    }
}

fn is_set_cookie(name: &str) -> bool {
    super::scan::at_ci(name.as_bytes(), 0, b"set")
}

impl<'k> Place<'k> {
    /// What applies to a value of kind `kind` found at this place: a place the walk acts
    /// on (a container it walks, a leaf it scrubs or removes, or [`Place::Keep`]).
    pub fn resolve(self, kind: Kind, cfg: &PiiConfig, m: &Modes) -> Place<'k> {
        let keep_unless = |yes: bool, p: Place<'k>| if yes { p } else { Place::Keep };
        match self {
            // containers with fixed fields
            Place::Event
            | Place::LogentryObj
            | Place::ValuesObj(_)
            | Place::Item(_)
            | Place::Mechanism
            | Place::Stacktrace
            | Place::Request
            | Place::Env
            | Place::User
            | Place::Contexts
            | Place::ContextObj(_)
            | Place::Dsc
            | Place::DataObj => keep_unless(kind == Kind::Obj, self),
            Place::Pairs(_) => keep_unless(matches!(kind, Kind::Obj | Kind::Arr), self),
            Place::List(_) | Place::PairItem(_) | Place::DataArr => keep_unless(kind == Kind::Arr, self),
            // leaves
            Place::Keep => Place::Keep,
            Place::Str(_) | Place::CookieStr(_) | Place::FilterStr(_) => keep_unless(matches!(kind, Kind::Str | Kind::Auto), self),
            Place::Num(_) => keep_unless(kind == Kind::Num, self),
            Place::Removed(_) => self,
            // places that depend on the value
            Place::Logentry => match kind {
                Kind::Str | Kind::Auto => Place::Str(m.message),
                Kind::Obj => Place::LogentryObj,
                Kind::Num | Kind::Arr | Kind::Bool | Kind::Null => Place::Keep,
            },
            Place::Strings(mode) => match kind {
                Kind::Arr => self,
                Kind::Str | Kind::Auto => Place::Str(mode),
                Kind::Num | Kind::Obj | Kind::Bool | Kind::Null => Place::Keep,
            },
            Place::Values(s) => match kind {
                Kind::Obj => Place::ValuesObj(s),
                Kind::Arr => Place::List(s),
                Kind::Str | Kind::Auto | Kind::Num | Kind::Bool | Kind::Null => Place::Keep,
            },
            Place::QueryString => match kind {
                Kind::Str | Kind::Auto => Place::Str(m.text.query()),
                Kind::Obj | Kind::Arr => Place::Pairs(Pairs::Query),
                Kind::Num | Kind::Bool | Kind::Null => Place::Keep,
            },
            Place::RequestData => match kind {
                Kind::Str | Kind::Auto => Place::Str(m.structured.query()),
                Kind::Num | Kind::Obj | Kind::Arr | Kind::Bool | Kind::Null => value(m.structured, kind),
            },
            Place::PairValue(of, name) => pair_value(of, name, kind, cfg, m),
            Place::IpAddress => keep_unless(cfg.ip && !(kind == Kind::Auto && cfg.infer_ip), removed(Rule::Ip, kind)),
            // a context named like a secret (`credentials`, `auth`) is removed whole, as
            // any other value under such a key
            Place::Context(name) if kind == Kind::Obj && !matches!(keys::classify(name, cfg, false), KeyClass::Sensitive) => {
                Place::ContextObj(name == "trace")
            }
            Place::Context(name) => data(Some(name), kind, cfg, m),
            Place::Data(key) => data(key, kind, cfg, m),
            Place::Cookies(set) => cookies(set, kind),
            Place::Remove(r) => removed(r, kind),
        }
    }

    /// The place of a member (`Seg::Key`) or element (`Seg::Index`) of a container
    /// value at this (resolved) place.
    pub fn child<'s>(&self, step: Seg<'s>, cfg: &PiiConfig, m: &Modes) -> Place<'s>
    where
        'k: 's,
    {
        let k = match step {
            Seg::Key(k) => k,
            Seg::Index(i) => {
                return match self {
                    Place::List(s) => Place::Item(*s),
                    Place::Pairs(p) => Place::PairItem(*p),
                    // the name of an array pair is only known while walking: by path
                    // alone the value is treated as an unnamed one
                    Place::PairItem(p) if i == 1 => Place::PairValue(*p, ""),
                    Place::Strings(mode) => Place::Str(*mode),
                    Place::DataArr => Place::Data(None),
                    Place::Event
                    | Place::LogentryObj
                    | Place::ValuesObj(_)
                    | Place::Item(_)
                    | Place::Mechanism
                    | Place::Stacktrace
                    | Place::Request
                    | Place::Env
                    | Place::PairItem(_)
                    | Place::User
                    | Place::Contexts
                    | Place::ContextObj(_)
                    | Place::DataObj
                    | Place::Dsc
                    | Place::Keep
                    | Place::Str(_)
                    | Place::Num(_)
                    | Place::Logentry
                    | Place::Values(_)
                    | Place::QueryString
                    | Place::RequestData
                    | Place::PairValue(..)
                    | Place::IpAddress
                    | Place::Context(_)
                    | Place::Data(_)
                    | Place::Cookies(_)
                    | Place::CookieStr(_)
                    | Place::FilterStr(_)
                    | Place::Remove(_)
                    | Place::Removed(_) => Place::Keep,
                };
            }
        };
        let named = || Place::Data(Some(k));
        match self {
            Place::Event => event_field(k, m),
            Place::LogentryObj => match k {
                "formatted" | "message" => Place::Str(m.message),
                "params" => Place::Data(None),
                _ => Place::Keep,
            },
            Place::ValuesObj(s) if k == "values" => Place::List(*s),
            Place::Item(Shape::Exception) => match k {
                "value" | "type" => Place::Str(m.message),
                "stacktrace" | "raw_stacktrace" => Place::Stacktrace,
                "mechanism" => Place::Mechanism,
                _ => Place::Keep,
            },
            Place::Item(Shape::Breadcrumb) => match k {
                "message" | "data" => Place::Data(None),
                _ => Place::Keep,
            },
            Place::Item(Shape::Span) => match k {
                "data" => Place::Data(None),
                "description" => Place::Str(m.text),
                _ => Place::Keep,
            },
            Place::Item(Shape::Frame) => match k {
                "vars" | "data" => Place::Data(None),
                "filename" | "abs_path" => Place::Str(m.url),
                _ => Place::Keep,
            },
            Place::Mechanism => match k {
                "data" => Place::Data(None),
                "description" => Place::Str(m.message),
                _ => Place::Keep,
            },
            Place::Stacktrace if k == "frames" => Place::Values(Shape::Frame),
            Place::Request => match k {
                "url" | "fragment" => Place::Str(m.text),
                "query_string" => Place::QueryString,
                "data" => Place::RequestData,
                "headers" => Place::Pairs(Pairs::Header),
                "cookies" => Place::Cookies(false),
                "env" => Place::Env,
                k if listed(words!("method api_target inferred_content_type protocol body_size"), k.as_bytes()) => Place::Keep,
                _ => named(),
            },
            Place::Env if cfg.ip && k.eq_ignore_ascii_case("REMOTE_ADDR") => Place::Remove(Rule::Ip),
            Place::Pairs(p) => Place::PairValue(*p, k),
            Place::User if k == "ip_address" => Place::IpAddress,
            Place::Contexts => Place::Context(k),
            Place::ContextObj(true) if k == "data" => Place::Data(None),
            Place::ContextObj(false) if listed(CONTEXT_SKIP, k.as_bytes()) => Place::Keep,
            Place::Env | Place::User | Place::ContextObj(false) | Place::DataObj => named(),
            Place::Dsc if !listed(DSC_SKIP, k.as_bytes()) => Place::Str(m.text),
            Place::ValuesObj(_)
            | Place::Stacktrace
            | Place::ContextObj(true)
            | Place::Dsc
            | Place::List(_)
            | Place::PairItem(_)
            | Place::Strings(_)
            | Place::DataArr
            // not containers (once resolved)
            | Place::Keep
            | Place::Str(_)
            | Place::Num(_)
            | Place::Logentry
            | Place::Values(_)
            | Place::QueryString
            | Place::RequestData
            | Place::PairValue(..)
            | Place::IpAddress
            | Place::Context(_)
            | Place::Data(_)
            | Place::Cookies(_)
            | Place::CookieStr(_)
            | Place::FilterStr(_)
            | Place::Remove(_)
            | Place::Removed(_) => Place::Keep,
        }
    }

    /// The place of the value at `path` of an event (containers along the way are taken
    /// as objects for keys and arrays for indices); with scrubbing off, [`Place::Keep`]
    /// for every path.
    pub fn at<'s>(path: &[Seg<'s>], cfg: &PiiConfig, m: &Modes) -> Place<'s> {
        if !cfg.enabled {
            return Place::Keep;
        }
        let mut p = Place::Event;
        for &seg in path {
            let kind = match seg {
                Seg::Key(_) => Kind::Obj,
                Seg::Index(_) => Kind::Arr,
            };
            p = p.resolve(kind, cfg, m).child(seg, cfg, m);
        }
        p
    }
}

/// A top-level field of an event.
fn event_field(k: &str, m: &Modes) -> Place<'static> {
    match k {
        k if listed(SKIP, k.as_bytes()) => Place::Keep,
        "logentry" | "message" => Place::Logentry,
        "exception" | "threads" => Place::Values(Shape::Exception),
        "stacktrace" => Place::Stacktrace,
        "breadcrumbs" => Place::Values(Shape::Breadcrumb),
        "request" => Place::Request,
        "user" => Place::User,
        "contexts" => Place::Contexts,
        "tags" => Place::Pairs(Pairs::Tag),
        "transaction" | "culprit" => Place::Str(m.text),
        "spans" => Place::Values(Shape::Span),
        "fingerprint" => Place::Strings(m.message),
        "_dsc" => Place::Dsc,
        _ => Place::Data(None),
    }
}

/// Generic structured data under `mode`.
fn value<'k>(mode: Mode, kind: Kind) -> Place<'k> {
    match kind {
        Kind::Str | Kind::Auto => Place::Str(mode),
        Kind::Num => Place::Num(mode),
        Kind::Obj => Place::DataObj,
        Kind::Arr => Place::DataArr,
        Kind::Bool | Kind::Null => Place::Keep,
    }
}

/// Structured data under `key` (`None` inside arrays): its key rules, else the value rules.
fn data<'k>(key: Option<&'k str>, kind: Kind, cfg: &PiiConfig, m: &Modes) -> Place<'k> {
    match key.map_or(KeyClass::Plain, |k| keys::classify(k, cfg, false)) {
        KeyClass::Sensitive => filter(Rule::Key, kind),
        KeyClass::Cookie => cookies(key.is_some_and(is_set_cookie), kind),
        KeyClass::Safe => value(m.text, kind),
        KeyClass::Plain => value(m.structured, kind),
    }
}

/// A cookie header (`set`: `Set-Cookie`) or a cookie jar.
fn cookies<'k>(set: bool, kind: Kind) -> Place<'k> {
    match kind {
        Kind::Str | Kind::Auto => Place::CookieStr(set),
        Kind::Obj | Kind::Arr => Place::Pairs(Pairs::Cookie),
        Kind::Num => Place::Removed(Rule::Cookie),
        Kind::Bool | Kind::Null => Place::Keep,
    }
}

/// The value of a sensitive key: a string replaced, a number or container removed.
fn filter<'k>(r: Rule, kind: Kind) -> Place<'k> {
    match kind {
        Kind::Str | Kind::Auto => Place::FilterStr(r),
        Kind::Num | Kind::Obj | Kind::Arr => Place::Removed(r),
        Kind::Bool | Kind::Null => Place::Keep,
    }
}

/// A value removed unless it is `null`.
fn removed<'k>(r: Rule, kind: Kind) -> Place<'k> {
    if kind == Kind::Null {
        Place::Keep
    } else {
        Place::Removed(r)
    }
}

/// The value of a header, query parameter, tag or cookie named `name`.
fn pair_value<'k>(of: Pairs, name: &'k str, kind: Kind, cfg: &PiiConfig, m: &Modes) -> Place<'k> {
    match of {
        Pairs::Header if name.eq_ignore_ascii_case("user-agent") => Place::Keep,
        Pairs::Header | Pairs::Tag if !matches!(kind, Kind::Str | Kind::Auto) => data(Some(name), kind, cfg, m),
        Pairs::Header => match keys::classify(name, cfg, true) {
            KeyClass::Cookie => Place::CookieStr(is_set_cookie(name)),
            KeyClass::Sensitive => Place::FilterStr(Rule::Key),
            KeyClass::Safe => Place::Str(m.text),
            KeyClass::Plain => Place::Str(m.structured),
        },
        Pairs::Tag => match keys::classify(name, cfg, false) {
            KeyClass::Cookie => Place::CookieStr(false),
            KeyClass::Sensitive => Place::FilterStr(Rule::Key),
            KeyClass::Safe | KeyClass::Plain => Place::Str(m.text),
        },
        Pairs::Query => {
            if keys::classify(name, cfg, false) == KeyClass::Plain && keys::is_query_credential(name) {
                filter(Rule::Key, kind)
            } else {
                data(Some(name), kind, cfg, m)
            }
        }
        Pairs::Cookie => {
            if super::cookies::filters(name, cfg) {
                filter(Rule::Cookie, kind)
            } else {
                value(m.text, kind)
            }
        }
    }
}
