/**
 * Test helper: seeded corpora for the PII conformance suite and the scrubbing benchmark.
 *
 *   sensitiveCorpus(seed, n) -> [{ event, plants: [{ place, kind, spelling, needles }] }]
 *     Realistic error events with secrets and personal data planted in every part of an
 *     event (message, exception value, frame vars, breadcrumbs, request url/query/headers/
 *     cookies/data/env, extra, contexts, tags, user, transaction, server_name), in many
 *     spellings: key case and separators, nesting, arrays and pairs, JSON-in-strings,
 *     URL-encoding, query strings, header lines. A plant is "removed" from an output when
 *     none of its `needles` occurs in the output's JSON.
 *   cleanCorpus(seed, n) -> [{ event, values: [{ place, kind, needle }] }]
 *     The same kind of events carrying only ordinary values (UUIDs, digests, timestamps,
 *     versions, order/invoice numbers, phone-like ids, prices, paths, …) that a scrubber
 *     must leave alone.
 *
 * Every generated event is valid for Sentry's normaliser.
 */
import { rng, DIGITS, ALNUM, HEX, B64URL } from "./prng.mjs";

// ----- sensitive values --------------------------------------------------------------

function luhnCheckDigit(digits) {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

function creditCard(r) {
  const [prefix, len] = r.pick([["4", 16], ["51", 16], ["53", 16], ["55", 16], ["2221", 16], ["34", 15], ["37", 15], ["6011", 16], ["65", 16]]);
  const body = prefix + r.chars(DIGITS, len - prefix.length - 1);
  const num = body + luhnCheckDigit(body);
  const groups = len === 15 ? [4, 6, 5] : [4, 4, 4, 4];
  const sep = r.pick(["", " ", "-"]);
  let out = "";
  let i = 0;
  for (const g of groups) {
    out += (i ? sep : "") + num.slice(i, i + g);
    i += g;
  }
  return { kind: "creditcard", text: out };
}

const IBAN_SPECS = { DE: "n18", GB: "a4n14", NL: "a4n10", ES: "n20", AT: "n16", BE: "n12", PL: "n24", FR: "n10c11n2", CH: "n5c12" };

function iban(r) {
  const country = r.pick(Object.keys(IBAN_SPECS));
  let bban = "";
  for (const [, type, n] of IBAN_SPECS[country].matchAll(/([anc])(\d+)/g)) {
    const alphabet = type === "n" ? DIGITS : type === "a" ? "ABCDEFGHIJKLMNOPQRSTUVWXYZ" : "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    bban += r.chars(alphabet, Number(n));
  }
  const numeric = (bban + country + "00").replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rem = 0;
  for (const ch of numeric) rem = (rem * 10 + Number(ch)) % 97;
  const solid = country + String(98 - rem).padStart(2, "0") + bban;
  const text = r.chance(0.3) ? solid.match(/.{1,4}/g).join(" ") : solid;
  return { kind: "iban", text };
}

function ssn(r) {
  let area = r.int(1, 899);
  if (area === 666) area = 667;
  const text = `${String(area).padStart(3, "0")}-${String(r.int(1, 99)).padStart(2, "0")}-${String(r.int(1, 9999)).padStart(4, "0")}`;
  return { kind: "usssn", text };
}

function ipv4(r) {
  let first = r.int(1, 223);
  if (first === 127) first = 128;
  return { kind: "ipv4", text: `${first}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}` };
}

function hexGroup(r) {
  return r.pick("123456789abcdef".split("")) + r.chars(HEX, r.int(0, 3));
}

function ipv6(r) {
  const g = () => hexGroup(r);
  const text = r.pick([
    () => `2001:0db8:${Array.from({ length: 6 }, () => r.chars(HEX, 3) + r.pick("123456789abcdef".split(""))).join(":")}`,
    () => `2001:db8:${g()}::${g()}:${g()}`,
    () => `2a02:${g()}:${g()}:${g()}::${g()}`,
    () => `fe80::${g()}:${g()}:${g()}:${g()}%eth0`,
    () => `::ffff:${ipv4(r).text}`,
  ])();
  return { kind: "ipv6", text };
}

function email(r) {
  const first = r.pick(["anna", "bob", "carla", "dmitri", "eve", "farah", "gus", "hana"]);
  const last = r.pick(["smith", "okafor", "muller", "rossi", "tanaka", "silva"]);
  const domain = r.pick(["example.com", "mail.example.org", "example.co.uk", "corp.example.net"]);
  return { kind: "email", text: `${first}.${last}${r.int(1, 999)}@${domain}` };
}

function b64url(text) {
  return Buffer.from(text).toString("base64url");
}

function jwt(r) {
  const payload = b64url(JSON.stringify({ sub: r.chars(ALNUM, 12), iat: r.int(1.6e9, 1.8e9) }));
  const sig = r.chars(B64URL, 43);
  return { kind: "jwt", text: `${b64url('{"alg":"HS256","typ":"JWT"}')}.${payload}.${sig}`, needles: [payload, sig] };
}

function pem(r) {
  const label = r.pick(["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY"]);
  const lines = Array.from({ length: 3 }, () => r.chars(ALNUM + "+/", 64));
  return { kind: "pemkey", text: `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----`, needles: [lines[0], lines[2]] };
}

function bearer(r) {
  const token = r.chars(ALNUM, 8) + r.chars(ALNUM + "._-", 24);
  return { kind: "bearer", text: `Bearer ${token}`, needles: [token] };
}

function urlauth(r) {
  const pw = r.chars(ALNUM, 14);
  const scheme = r.pick(["https", "postgres", "redis", "mongodb", "ftp"]);
  return { kind: "urlauth", text: `${scheme}://${r.pick(["admin", "app", "deploy", "svc_user"])}:${pw}@${r.pick(["db.internal", "cache.example.com", "files.example.org"])}:${r.int(1000, 9999)}/main`, needles: [pw] };
}

const PATTERNS = [creditCard, iban, ssn, ipv4, ipv6, email, jwt, pem, bearer, urlauth];

function secret(r) {
  return r.pick(ALNUM.slice(0, 52)) + r.chars(ALNUM, 15);
}

// ----- key spellings -------------------------------------------------------------------

const KEYS = {
  password: ["password", "Password", "PASSWORD", "user_password", "userPassword", "new-password", "passwd", "db_pass", "pwd", "mysql_pwd", "passphrase"],
  secret: ["secret", "client_secret", "clientSecret", "SECRET_KEY", "app.secret", "webhookSecret"],
  api_key: ["api_key", "apiKey", "API-KEY", "x-api-key", "X-Api-Key", "apikey", "api key", "api.key", "ApiKey"],
  token: ["token", "access_token", "accessToken", "refresh_token", "auth_token", "id_token", "X-Auth-Token", "csrf_token", "XSRF-TOKEN", "sso_token", "jwt"],
  auth: ["auth", "authorization", "Authorization", "proxy-authorization", "credentials", "Credentials"],
  session: ["session", "sessionid", "session_id", "sessionId", "PHPSESSID", "sid", "connect.sid"],
  private_key: ["private_key", "privateKey", "PRIVATE-KEY", "signing_key"],
  otp: ["otp", "OTP", "two_factor", "two-factor", "mfa_code"],
  card: ["credit_card", "card_number", "cardNumber", "cvv", "cvc"],
  id_number: ["ssn", "SSN"],
  sso: ["bearer", "saml", "SAMLResponse", "sso"],
};
const KEY_GROUPS = Object.keys(KEYS);

/** Query parameters that carry credentials. */
const QUERY_KEYS = ["token", "access_token", "api_key", "apikey", "key", "sig", "signature", "X-Amz-Signature", "password", "code", "session", "auth", "client_secret"];

const HEADERS = [
  ["Authorization", (x) => `Bearer ${x}`],
  ["Authorization", (x) => `Basic ${x}`],
  ["authorization", (x) => x],
  ["Proxy-Authorization", (x) => `Basic ${x}`],
  ["X-Api-Key", (x) => x],
  ["x-auth-token", (x) => x],
  ["X-CSRF-Token", (x) => x],
  ["X-Session-Token", (x) => x],
  ["Cookie", (x) => `sessionid=${x}; theme=dark`],
  ["Cookie", (x) => `theme=dark; csrftoken=${x}`],
  ["Set-Cookie", (x) => `session=${x}; Path=/; HttpOnly`],
];

const COOKIES = ["sessionid", "csrftoken", "PHPSESSID", "connect.sid", "session", "remember_token", "__Host-session", "theme", "_ga", "locale"];

const NEUTRAL = ["settings", "config", "db", "payload", "form", "state", "context", "body", "params", "details"];
const ORDINARY_KEYS = ["note", "details", "info", "comment", "message_text", "input", "line", "description", "raw", "value"];

// ----- event skeleton ------------------------------------------------------------------

function baseEvent(r) {
  const ev = {
    level: r.pick(["error", "warning", "fatal"]),
    environment: "production",
    release: `shop@${r.int(1, 4)}.${r.int(0, 20)}.${r.int(0, 9)}`,
    exception: {
      values: [
        {
          type: r.pick(["TypeError", "Error", "RangeError", "FetchError"]),
          value: r.pick(["Cannot read properties of undefined (reading 'items')", "Request failed with status 502", "Invalid array length"]),
          stacktrace: {
            frames: [
              { filename: "https://shop.example.com/static/js/vendor.js", function: "dispatch", lineno: r.int(1, 900), colno: r.int(1, 80), in_app: false },
              { filename: "https://shop.example.com/static/js/app.js", function: r.pick(["loadCart", "submitOrder", "renderList"]), lineno: r.int(1, 900), colno: r.int(1, 80), in_app: true, vars: {} },
            ],
          },
          mechanism: { type: "generic", handled: true },
        },
      ],
    },
    breadcrumbs: { values: [{ timestamp: 1700000000 + r.int(0, 1e6), category: "navigation", message: "/cart" }] },
    request: { url: "https://shop.example.com/cart", method: "GET", headers: { Accept: "text/html", "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0.0.0 Safari/537.36" } },
    contexts: { browser: { name: "Chrome", version: "120.0.0.0" }, custom: {} },
    tags: { route: r.pick(["cart", "checkout", "search"]) },
    extra: {},
    user: { id: String(r.int(1000, 99999)) },
  };
  if (r.chance(0.3)) ev.logentry = { formatted: r.pick(["Checkout failed", "Cart could not be loaded"]) };
  return ev;
}

/** Puts `value` under `key` in `obj`, nesting it if the key is taken. */
function put(obj, key, value, n) {
  if (Object.hasOwn(obj, key)) {
    obj[`slot_${n}`] = { [key]: value };
  } else {
    obj[key] = value;
  }
}

// ----- places --------------------------------------------------------------------------

/** Structured containers: an object the plant can be written into, by place name. */
const CONTAINERS = {
  extra: (ev) => ev.extra,
  "frame.vars": (ev) => ev.exception.values[0].stacktrace.frames[1].vars,
  "breadcrumb.data": (ev) => {
    const crumb = { timestamp: 1700000100, category: "http", type: "http", data: {} };
    ev.breadcrumbs.values.push(crumb);
    return crumb.data;
  },
  "request.data": (ev) => {
    if (typeof ev.request.data !== "object" || ev.request.data === null) ev.request.data = {};
    return ev.request.data;
  },
  contexts: (ev) => ev.contexts.custom,
  "user.data": (ev) => (ev.user.data ??= {}),
};

/** Free-text fields: set or append a line of text, by place name. */
const TEXTS = {
  "logentry.formatted": (ev, text) => {
    if (typeof ev.message === "string") ev.message += `; ${text}`;
    else ev.logentry = { formatted: `${ev.logentry?.formatted ?? "Request failed"}; ${text}` };
  },
  "message (legacy)": (ev, text) => {
    ev.message = `${ev.message ?? ev.logentry?.formatted ?? "Payment step failed"}; ${text}`;
    delete ev.logentry;
  },
  "exception.value": (ev, text) => {
    ev.exception.values[0].value += `: ${text}`;
  },
  "breadcrumb.message": (ev, text) => {
    ev.breadcrumbs.values.push({ timestamp: 1700000200, category: "console", level: "info", message: `request ${text}` });
  },
  transaction: (ev, text) => {
    ev.transaction = `/checkout/callback ${text}`;
  },
  "request.data (string)": (ev, text) => {
    ev.request.data = `step=2&note=${text}`;
  },
};

// ----- spellings of a keyed secret ---------------------------------------------------------

/** Spellings of `key: secret` written into a structured container. */
const KEYED_SPELLINGS = {
  plain: (c, k, x, r, n) => put(c, k, x, n),
  nested: (c, k, x, r, n) => {
    let o = {};
    const root = o;
    for (let d = r.int(1, 3); d > 0; d--) {
      const next = {};
      o[r.pick(NEUTRAL)] = next;
      o = next;
    }
    o[k] = x;
    put(c, `${r.pick(NEUTRAL)}_${n}`, root, n);
  },
  "array of objects": (c, k, x, r, n) => put(c, `items_${n}`, [{ id: r.int(1, 99) }, { [k]: x }], n),
  "pair list": (c, k, x, r, n) => put(c, `pairs_${n}`, [["page", "2"], [k, x]], n),
  "array under key": (c, k, x, r, n) => put(c, k, [x, "second"], n),
  "json string": (c, k, x, r, n) => put(c, `json_${n}`, JSON.stringify({ user: "u1", [k]: x }), n),
  "json in json": (c, k, x, r, n) => put(c, `json_${n}`, JSON.stringify({ body: JSON.stringify({ [k]: x }) }), n),
  "form body": (c, k, x, r, n) => put(c, `body_${n}`, `a=1&${encodeURIComponent(k)}=${x}&b=2`, n),
  "url-encoded": (c, k, x, r, n) => put(c, `enc_${n}`, encodeURIComponent(`${k}=${x}`), n),
  "url-encoded json": (c, k, x, r, n) => put(c, `enc_${n}`, encodeURIComponent(JSON.stringify({ [k]: x })), n),
  "query in url": (c, k, x, r, n) => put(c, `url_${n}`, `https://api.example.com/v1/items?page=2&${encodeURIComponent(k)}=${x}`, n),
  "k=v text": (c, k, x, r, n) => put(c, `line_${n}`, `${k}=${x}`, n),
  "k: v text": (c, k, x, r, n) => put(c, `line_${n}`, `${k}: ${x}`, n),
};

/** Spellings of `key: secret` inside a line of free text. */
const TEXT_SPELLINGS = {
  "k=v": (k, x) => `${k}=${x}`,
  "k: v": (k, x) => `${k}: ${x}`,
  "json": (k, x) => JSON.stringify({ [k]: x }),
  "query": (k, x) => `GET /api/v1/items?${encodeURIComponent(k)}=${x}&page=2`,
  "url-encoded": (k, x) => encodeURIComponent(`${k}=${x}`),
};

// ----- spellings of a pattern value ----------------------------------------------------------

const PATTERN_SPELLINGS = {
  bare: (t) => t,
  sentence: (t) => `saw ${t} while processing the order`,
  "json string": (t) => JSON.stringify({ step: 3, note: `got ${t}` }),
  "url-encoded": (t) => encodeURIComponent(`note=${t}&step=3`),
};

const URL_ENCODED = new Set(["url-encoded", "url-encoded json"]);

function needlesOf(value, text, spelling) {
  const raw = value.needles ?? [value.text];
  return URL_ENCODED.has(spelling) ? raw.map((s) => encodeURIComponent(s)) : raw;
}

// ----- planting ----------------------------------------------------------------------------

function plantKeyed(ev, r, n) {
  const group = r.pick(KEY_GROUPS);
  const x = secret(r);
  const roll = r.next();
  if (roll < 0.55) {
    const place = r.pick(Object.keys(CONTAINERS));
    const spelling = r.pick(Object.keys(KEYED_SPELLINGS));
    const key = r.pick(KEYS[group]);
    KEYED_SPELLINGS[spelling](CONTAINERS[place](ev), key, x, r, n);
    return { place, kind: `key:${group}`, spelling, needles: needlesOf({ text: x }, x, spelling) };
  }
  if (roll < 0.72) {
    const place = r.pick(Object.keys(TEXTS));
    const spelling = r.pick(Object.keys(TEXT_SPELLINGS));
    const key = r.pick(KEYS[group]);
    TEXTS[place](ev, TEXT_SPELLINGS[spelling](key, x));
    return { place, kind: `key:${group}`, spelling: `text ${spelling}`, needles: spelling === "url-encoded" ? [encodeURIComponent(x)] : [x] };
  }
  const where = r.pick(["request.headers", "request.headers (pairs)", "request.cookies", "request.cookies (string)", "request.query_string", "request.query_string (object)", "request.url", "tags"]);
  switch (where) {
    case "request.headers":
    case "request.headers (pairs)": {
      const [name, value] = r.pick(HEADERS);
      const pairs = Array.isArray(ev.request.headers) ? ev.request.headers : Object.entries(ev.request.headers);
      if (where === "request.headers" && !Array.isArray(ev.request.headers)) ev.request.headers[name] = value(x);
      else ev.request.headers = [...pairs, [name, value(x)]];
      return { place: where, kind: `header:${name.toLowerCase()}`, spelling: "header", needles: [x] };
    }
    case "request.cookies":
    case "request.cookies (string)": {
      const name = r.pick(COOKIES);
      if (where === "request.cookies") ev.request.cookies = { [name]: x, lang: "en" };
      else ev.request.cookies = `lang=en; ${name}=${x}`;
      return { place: where, kind: `cookie:${name}`, spelling: "cookie", needles: [x] };
    }
    case "request.query_string":
    case "request.query_string (object)": {
      const key = r.pick(QUERY_KEYS);
      if (where === "request.query_string") ev.request.query_string = `page=2&${encodeURIComponent(key)}=${x}&sort=asc`;
      else ev.request.query_string = { page: "2", [key]: x };
      return { place: where, kind: `query:${key}`, spelling: "query", needles: [x] };
    }
    case "request.url": {
      const key = r.pick(QUERY_KEYS);
      ev.request.url = `https://shop.example.com/callback?${encodeURIComponent(key)}=${x}&page=2`;
      return { place: where, kind: `query:${key}`, spelling: "query", needles: [x] };
    }
    case "tags": {
      const key = r.pick(KEYS[group].filter((k) => /^[A-Za-z0-9_.-]+$/.test(k)));
      ev.tags[key] = x;
      return { place: "tags", kind: `key:${group}`, spelling: "plain", needles: [x] };
    }
  }
  return null;
}

function plantPattern(ev, r, n) {
  const value = r.pick(PATTERNS)(r);
  const ip = value.kind === "ipv4" || value.kind === "ipv6";
  const special = ip ? ["user.ip_address", "request.env.REMOTE_ADDR", "server_name", "request.headers X-Forwarded-For", "tags"] : ["tags"];
  const roll = r.next();
  if (roll < 0.12 && special.length) {
    const place = r.pick(special);
    const short = value.text.length <= 200 && !value.text.includes("\n");
    switch (place) {
      case "user.ip_address":
        ev.user.ip_address = value.text.replace(/%eth0$/, "");
        return { place, kind: value.kind, spelling: "bare", needles: [ev.user.ip_address] };
      case "request.env.REMOTE_ADDR":
        ev.request.env = { REMOTE_ADDR: value.text };
        break;
      case "server_name":
        ev.server_name = value.text;
        break;
      case "request.headers X-Forwarded-For":
        if (Array.isArray(ev.request.headers)) ev.request.headers.push(["X-Forwarded-For", `${value.text}, 203.0.113.7`]);
        else ev.request.headers["X-Forwarded-For"] = `${value.text}, 203.0.113.7`;
        break;
      case "tags":
        if (!short) return null;
        ev.tags[`note_${n}`] = value.text;
        break;
    }
    return { place, kind: value.kind, spelling: "bare", needles: value.needles ?? [value.text] };
  }
  const spelling = r.pick(Object.keys(PATTERN_SPELLINGS));
  const text = PATTERN_SPELLINGS[spelling](value.text);
  const needles = needlesOf(value, text, spelling);
  if (roll < 0.55) {
    const place = r.pick(Object.keys(CONTAINERS));
    const container = CONTAINERS[place](ev);
    if (r.chance(0.2)) put(container, `list_${n}`, ["first", text], n);
    else put(container, `${r.pick(ORDINARY_KEYS)}_${n}`, text, n);
    return { place, kind: value.kind, spelling, needles };
  }
  const place = r.pick(Object.keys(TEXTS));
  TEXTS[place](ev, text);
  return { place, kind: value.kind, spelling, needles };
}

/** Events with planted sensitive values (see the module docs). */
export function sensitiveCorpus(seed, n) {
  const r = rng(seed);
  const out = [];
  for (let i = 0; i < n; i++) {
    const event = baseEvent(r);
    const plants = [];
    const count = r.int(3, 6);
    for (let k = 0; k < count; k++) {
      const p = r.chance(0.55) ? plantKeyed(event, r, `${i}_${k}`) : plantPattern(event, r, `${i}_${k}`);
      if (p && p.needles.length) plants.push(p);
    }
    // a later plant may have replaced an earlier one (same header, same URL): keep only
    // plants that are really in the event
    const text = JSON.stringify(event);
    out.push({ event, plants: plants.filter((p) => p.needles.every((x) => text.includes(x))) });
  }
  return out;
}

// ----- ordinary values ---------------------------------------------------------------------

const uuid = (r) => `${r.chars(HEX, 8)}-${r.chars(HEX, 4)}-4${r.chars(HEX, 3)}-${r.pick(["8", "9", "a", "b"])}${r.chars(HEX, 3)}-${r.chars(HEX, 12)}`;
const pad = (n, w) => String(n).padStart(w, "0");

const CLEAN = {
  uuid,
  "md5": (r) => r.chars(HEX, 32),
  "sha1": (r) => r.chars(HEX, 40),
  "sha256": (r) => r.chars(HEX, 64),
  "iso timestamp": (r) => `20${r.int(20, 26)}-${pad(r.int(1, 12), 2)}-${pad(r.int(1, 28), 2)}T${pad(r.int(0, 23), 2)}:${pad(r.int(0, 59), 2)}:${pad(r.int(0, 59), 2)}.${pad(r.int(0, 999), 3)}Z`,
  "epoch seconds": (r) => String(r.int(1.5e9, 1.8e9)),
  "epoch millis": (r) => String(r.int(1.5e9, 1.8e9) * 1000 + r.int(0, 999)),
  "date time": (r) => `20${r.int(20, 26)}-${pad(r.int(1, 12), 2)}-${pad(r.int(1, 28), 2)} ${pad(r.int(0, 23), 2)}:${pad(r.int(0, 59), 2)}`,
  "semver": (r) => r.weighted([
    [6, `${r.int(0, 20)}.${r.int(0, 40)}.${r.int(0, 30)}`],
    [2, `v${r.int(0, 9)}.${r.int(0, 20)}.${r.int(0, 9)}-${r.pick(["beta", "rc", "alpha"])}.${r.int(1, 9)}`],
    [1, `${r.int(100, 130)}.0.${r.int(5000, 6999)}.${r.int(10, 250)}`],
    [1, `${r.int(1, 9)}.${r.int(0, 9)}.${r.int(0, 9)}.${r.int(1000, 9999)}`],
    [1, `${r.int(100, 130)}.0.0.0`],
  ]),
  "order number": (r) => r.pick([`ORD-20${r.int(20, 26)}-${pad(r.int(0, 999999), 6)}`, `SO-${r.int(10000, 99999)}`, `#${r.int(100000, 999999)}`, `PO-20${r.int(20, 26)}-${pad(r.int(1, 12), 2)}-${r.int(1000, 9999)}`]),
  "invoice number": (r) => r.pick([`INV-20${r.int(20, 26)}-${pad(r.int(0, 99999), 6)}`, `20${r.int(20, 26)}/INV/${pad(r.int(1, 9999), 4)}`, `RE${r.int(100000, 999999)}`]),
  "phone-like id": (r) => r.pick([`+1 (${r.int(200, 999)}) 555-${pad(r.int(100, 199), 4)}`, `+44 20 7946 ${pad(r.int(0, 999), 4)}`, `+49 30 ${r.int(100000, 999999)}`, `555-${pad(r.int(100, 199), 4)}`, `0151 ${r.int(10000000, 99999999)}`]),
  "price": (r) => r.pick([`$${r.int(1, 9)},${pad(r.int(0, 999), 3)}.${pad(r.int(0, 99), 2)}`, `€${r.int(1, 999)}.${pad(r.int(0, 99), 2)}`, `${r.int(1, 9999)}.${pad(r.int(0, 99), 2)} USD`, `${r.int(1, 99)}.99`]),
  "file path": (r) => r.pick([
    `/var/www/shop/releases/20${r.int(20, 26)}${pad(r.int(1, 12), 2)}${pad(r.int(1, 28), 2)}/server.js`,
    `src/components/${r.pick(["Cart", "Checkout", "Search", "Header"])}${r.pick(["Button", "List", "View"])}.tsx`,
    `C:\\Program Files\\Shop\\bin\\shop-${r.int(1, 9)}.${r.int(0, 9)}.exe`,
    `./node_modules/${r.pick(["react-dom", "lodash", "zod"])}/dist/index.js`,
    `/static/js/main.${r.chars(HEX, 8)}.chunk.js`,
    `/opt/app/logs/app-${r.int(1, 30)}.log`,
  ]),
  "url path": (r) => `https://shop.example.com/${r.pick(["products", "orders", "categories"])}/${r.int(1, 99999)}?page=${r.int(1, 9)}&sort=${r.pick(["asc", "desc"])}`,
  "duration": (r) => `${r.int(1, 999)}.${r.int(0, 99)}ms`,
  "http status": (r) => String(r.pick([200, 201, 204, 301, 400, 403, 404, 409, 500, 502, 503])),
  "hostname": (r) => `${r.pick(["api", "cdn", "www", "edge"])}-${r.int(1, 9)}.example.com`,
  "sku": (r) => `SKU-${r.chars("ABCDEFGHJKLMNPQRSTUVWXYZ", 3)}-${r.int(1000, 9999)}`,
};

const CLEAN_KEYS = ["order_id", "invoice", "checksum", "digest", "created_at", "updated", "version", "build", "path", "file", "price", "amount", "phone_ref", "request_id", "status", "host", "duration", "sku", "item", "ref"];

const CLEAN_PLACES = {
  extra: (ev, k, v) => (ev.extra[k] = v),
  "extra (nested)": (ev, k, v) => ((ev.extra.order ??= { lines: [] }).lines.push({ [k]: v })),
  "extra (array)": (ev, k, v) => (ev.extra.values ??= []).push(v),
  "frame.vars": (ev, k, v) => (ev.exception.values[0].stacktrace.frames[1].vars[k] = v),
  "breadcrumb.message": (ev, k, v) => ev.breadcrumbs.values.push({ timestamp: 1700000300, category: "app", message: `${k} ${v} processed` }),
  "breadcrumb.data": (ev, k, v) => ev.breadcrumbs.values.push({ timestamp: 1700000400, category: "app", data: { [k]: v } }),
  "request.data": (ev, k, v) => ((ev.request.data ??= {})[k] = v),
  "request.headers": (ev, k, v) => (ev.request.headers[`X-${k.replace(/_/g, "-")}`] = v),
  contexts: (ev, k, v) => (ev.contexts.custom[k] = v),
  tags: (ev, k, v) => v.length <= 200 && (ev.tags[k] = v),
  "user.data": (ev, k, v) => ((ev.user.data ??= {})[k] = v),
  "logentry.formatted": (ev, k, v) => (ev.logentry = { formatted: `${ev.logentry?.formatted ?? "Order update failed"}; ${k} ${v}` }),
  "request.query_string": (ev, k, v) => (ev.request.query_string = `${ev.request.query_string ? ev.request.query_string + "&" : ""}${k}=${encodeURIComponent(v)}`),
  "exception.value": (ev, k, v) => (ev.exception.values[0].value += ` (${k} ${v})`),
  transaction: (ev, k, v) => (ev.transaction = `/orders/${v}`),
};

/** Events carrying only ordinary values (see the module docs). */
export function cleanCorpus(seed, n) {
  const r = rng(seed);
  const out = [];
  for (let i = 0; i < n; i++) {
    const event = baseEvent(r);
    const values = [];
    for (let k = r.int(6, 10); k > 0; k--) {
      const kind = r.pick(Object.keys(CLEAN));
      const value = CLEAN[kind](r);
      const place = r.pick(Object.keys(CLEAN_PLACES));
      const key = Object.hasOwn(event.extra, r.pick(CLEAN_KEYS)) ? `${r.pick(CLEAN_KEYS)}_${k}` : r.pick(CLEAN_KEYS);
      const needle = place === "request.query_string" ? encodeURIComponent(value) : value;
      if (CLEAN_PLACES[place](event, key, value) !== false) values.push({ place, kind, needle });
    }
    const text = JSON.stringify(event);
    out.push({ event, values: values.filter((v) => text.includes(JSON.stringify(v.needle).slice(1, -1))) });
  }
  return out;
}
