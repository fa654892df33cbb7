// Rate limits, HTTP dates and what a response means (js/delivery/rate-limits.ts), and where
// the client applies them: before an error is built, before one held by the host stages is
// sealed, and before a client report is taken. The header forms are Sentry's (PROTOCOL.md):
// per-category limits, empty categories = all, float seconds rounded up, unknown categories
// ignored, the longer limit winning; a 429 without a usable header falls back to
// Retry-After (seconds or an HTTP date) and else to 60 s. `tests/corpus/` holds inputs that
// once reached the edges of this reading; each is replayed through the same properties.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { fakeCore, linkedLoad } from "./helpers/fake-core.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = pathToFileURL(process.env.OXEYE_UNIT_DIST ?? `${root}dist/`).href.replace(/\/?$/, "/");
const { RateLimits, Response, responseOf, httpDate } = await import(`${dist}delivery/rate-limits.js`);
const { Delivery } = await import(`${dist}delivery/delivery.js`);
const { OxeyeClient } = await import(`${dist}api/client.js`);
const { startEngine } = await import(`${dist}api/engine.js`);
const enums = await import(`${dist}core/enums.js`);
const { Category, Reason } = enums;

const NOW = 1_700_000_000_000;
const S = 1000;
const ALL = Object.values(Category);

function limits(header) {
  const l = new RateLimits();
  l.update(header, NOW);
  return l;
}

// ---- X-Sentry-Rate-Limits ------------------------------------------------------------

test("the spec's examples", () => {
  let l = limits("60:transaction:key, 2700:default;error;security:organization");
  assert.equal(l.limitedUntil(Category.Transaction, NOW), NOW + 60 * S);
  for (const c of [Category.Default, Category.Error]) assert.equal(l.limitedUntil(c, NOW), NOW + 2700 * S, `${c}`);
  assert.equal(l.isLimited(Category.Session, NOW), false);
  assert.equal(l.isLimited(Category.Internal, NOW), false);
  assert.equal(l.isLimited(Category.Error, NOW + 2699 * S), true);
  assert.equal(l.isLimited(Category.Error, NOW + 2700 * S), false, "a limit ends at its time");

  l = limits("60::organization, 2700::organization");
  for (const c of ALL) assert.equal(l.limitedUntil(c, NOW), NOW + 2700 * S, `empty categories mean all: ${c}`);
});

test("Bugsink limits transactions and spans only", () => {
  const l = limits("86400:transaction;span:organization");
  assert.ok(l.isLimited(Category.Transaction, NOW) && l.isLimited(Category.Span, NOW));
  assert.ok(!l.isLimited(Category.Error, NOW) && !l.isLimited(Category.Internal, NOW));
});

test("float seconds are rounded up", () => {
  assert.equal(limits("0.2:error").limitedUntil(Category.Error, NOW), NOW + S);
  assert.equal(limits("59.001:error").limitedUntil(Category.Error, NOW), NOW + 60 * S);
  assert.equal(limits("59.0000000000000000000001:error").limitedUntil(Category.Error, NOW), NOW + 60 * S, "any non-zero fraction");
  assert.equal(limits("7.000:error").limitedUntil(Category.Error, NOW), NOW + 7 * S);
  assert.equal(limits("0:error").limitedUntil(Category.Error, NOW), undefined, "zero seconds is no limit");
});

test("unknown categories are ignored; a limit naming only unknown ones is ignored as a whole", () => {
  let l = limits("100:error;unicorn;metric_bucket:key");
  assert.ok(l.isLimited(Category.Error, NOW));
  l = limits("100:unicorn;metric_bucket:organization:quota_exceeded:custom");
  for (const c of ALL) assert.equal(l.isLimited(c, NOW), false, `${c}`);
  l = new RateLimits();
  assert.equal(l.update("100:unicorn", NOW), false);
  for (const c of ALL) assert.equal(l.isLimited(c, NOW), false, `${c}`);
  assert.equal(l.update("100:unicorn, 5:session", NOW), true);
  assert.equal(l.limitedUntil(Category.Session, NOW), NOW + 5 * S);
});

test("categories are Sentry's names of the Category members, case included", () => {
  const names = { Error: "error", Default: "default", Transaction: "transaction", Attachment: "attachment", Session: "session", Internal: "internal", Span: "span", Replay: "replay", Profile: "profile", Monitor: "monitor", Feedback: "feedback", LogItem: "log_item" };
  assert.deepEqual(Object.keys(names), Object.keys(Category), "every member is named here");
  for (const [key, name] of Object.entries(names)) {
    const l = limits(`10:${name}`);
    for (const c of ALL) assert.equal(l.isLimited(c, NOW), c === Category[key], `${name} limits ${key} only`);
  }
  for (const other of ["Error", "ERROR", "logItem", "LogItem", "metric_bucket", "security"]) {
    assert.equal(new RateLimits().update(`10:${other}`, NOW), false, other);
  }
});

test("the longer limit wins, in any order", () => {
  for (const header of ["10:error, 100:error", "100:error, 10:error", "100:error;error, 10::key"]) {
    assert.equal(limits(header).limitedUntil(Category.Error, NOW), NOW + 100 * S, header);
  }
  const l = limits("100:error");
  l.update("5:error", NOW + 50 * S);
  assert.equal(l.limitedUntil(Category.Error, NOW), NOW + 100 * S, "a later, shorter limit does not shorten it");
  l.update("5::key", NOW);
  assert.equal(l.limitedUntil(Category.Error, NOW), NOW + 100 * S, "nor does a shorter limit on all");
  assert.equal(l.limitedUntil(Category.Session, NOW), NOW + 5 * S);
  l.update("500::key", NOW);
  assert.equal(l.limitedUntil(Category.Error, NOW), NOW + 500 * S, "a longer limit on all covers it");
});

test("odd but readable headers; a retry-after that is not a number is 60 s", () => {
  assert.ok(limits("60").isLimited(Category.Error, NOW), "no category field: all");
  assert.ok(limits(" 60:error ,, ").isLimited(Category.Error, NOW), "spaces and empty entries");
  assert.ok(limits("60: error ; session :key").isLimited(Category.Session, NOW));
  assert.ok(limits("60:;:key").isLimited(Category.Replay, NOW), "only empty names: all");
  for (const junk of ["abc:error", "-5:error", "inf:error", "Infinity:error", "NaN:error", "1e3:error", ":error", "1.2.3:error", ".:error", "0x10:error", "+5:error"]) {
    assert.equal(limits(junk).limitedUntil(Category.Error, NOW), NOW + 60 * S, `${junk}: not a number means 60 s`);
  }
  assert.equal(limits("5.:error").limitedUntil(Category.Error, NOW), NOW + 5 * S, "a trailing dot");
  assert.equal(limits(".5:error").limitedUntil(Category.Error, NOW), NOW + S, "a leading dot");
  assert.equal(limits("").limitedUntil(Category.Error, NOW), undefined);
  assert.equal(limits(" , ").limitedUntil(Category.Error, NOW), undefined);
});

// ---- responses -------------------------------------------------------------------------

test("a 429 without the header: Retry-After in seconds or as an HTTP date, else 60 s", () => {
  const date = "Wed, 15 Nov 2023 00:00:00 GMT"; // NOW is 2023-11-14T22:13:20Z
  const cases = [
    ["120", NOW + 120 * S],
    [" 7.5 ", NOW + 8 * S],
    [date, 1_700_006_400_000],
    [undefined, NOW + 60 * S],
    [null, NOW + 60 * S],
    ["", NOW + 60 * S],
    ["soon", NOW + 60 * S],
  ];
  for (const [retryAfter, until] of cases) {
    const l = new RateLimits();
    assert.equal(l.onResponse(429, undefined, retryAfter, NOW), Response.RateLimited);
    for (const c of ALL) assert.equal(l.limitedUntil(c, NOW), until, `${retryAfter} ${c}`);
  }
  const l = new RateLimits();
  l.onResponse(429, undefined, "Tue, 14 Nov 2023 00:00:00 GMT", NOW);
  assert.equal(l.isLimited(Category.Error, NOW), false, "a date in the past is no limit");
});

test("the header wins over Retry-After; an unusable header falls back to it", () => {
  let l = new RateLimits();
  l.onResponse(429, "30:transaction", "600", NOW);
  assert.ok(l.isLimited(Category.Transaction, NOW));
  assert.equal(l.isLimited(Category.Error, NOW), false, "Retry-After is not used when the header says something");
  l = new RateLimits();
  l.onResponse(429, "30:unicorn", "600", NOW);
  assert.equal(l.limitedUntil(Category.Error, NOW), NOW + 600 * S, "an unusable header falls back to Retry-After");
  l = new RateLimits();
  l.onResponse(429, "\ud800", "\ud800", NOW);
  assert.equal(l.limitedUntil(Category.Error, NOW), NOW + 60 * S, "lone surrogates are read, not trusted");
});

test("every response is read, 200 included; Retry-After alone limits only on a 429", () => {
  let l = new RateLimits();
  assert.equal(l.onResponse(200, "60:error:key", undefined, NOW), Response.Delivered);
  assert.ok(l.isLimited(Category.Error, NOW));
  l = new RateLimits();
  assert.equal(l.onResponse(503, undefined, "120", NOW), Response.Rejected);
  assert.equal(l.isLimited(Category.Error, NOW), false, "Retry-After alone limits only on 429");
  assert.equal(l.onResponse(500, "10::org", undefined, NOW), Response.Rejected);
  assert.ok(l.isLimited(Category.Internal, NOW));
});

test("what a status means", () => {
  const cases = [
    [200, "Delivered"], [202, "Delivered"], [299, "Delivered"],
    [429, "RateLimited"], [413, "TooLarge"],
    [400, "Rejected"], [403, "Rejected"], [404, "Rejected"], [302, "Rejected"], [0, "Rejected"], [1e6, "Rejected"], [199, "Rejected"], [600, "Rejected"],
    // (Sentry's protocol: an answer is never retried; only a network failure is.)
    [500, "Rejected"], [503, "Rejected"], [599, "Rejected"],
  ];
  for (const [status, key] of cases) {
    assert.equal(responseOf(status), Response[key], `${status}`);
    assert.equal(new RateLimits().onResponse(status, undefined, undefined, NOW), Response[key], `${status}`);
  }
});

test("limits are kept per instance (a Worker's clients do not share them)", () => {
  const a = limits("60::key");
  const b = new RateLimits();
  assert.ok(a.isLimited(Category.Error, NOW));
  assert.equal(b.isLimited(Category.Error, NOW), false);
});

// ---- HTTP dates ------------------------------------------------------------------------

const NOV_6_1994 = 784_111_777_000;

test("HTTP dates: all three forms of the same instant", () => {
  assert.equal(httpDate("Sun, 06 Nov 1994 08:49:37 GMT"), NOV_6_1994);
  assert.equal(httpDate("Sunday, 06-Nov-94 08:49:37 GMT"), NOV_6_1994);
  assert.equal(httpDate("Sun Nov  6 08:49:37 1994"), NOV_6_1994);
  assert.equal(httpDate("Sun Nov 06 08:49:37 1994"), NOV_6_1994, "asctime's day may be zero-padded");
  assert.equal(httpDate("  Sun, 06 Nov 1994 08:49:37 GMT \t"), NOV_6_1994, "surrounding space");
  assert.equal(httpDate("Mon, 06 Nov 1994 08:49:37 GMT"), NOV_6_1994, "the weekday is not checked against the date");
});

test("HTTP dates: the instants they name", () => {
  for (const [text, iso] of [
    ["Thu, 01 Jan 1970 00:00:00 GMT", "1970-01-01T00:00:00.000Z"],
    ["Tue, 29 Feb 2000 12:00:00 GMT", "2000-02-29T12:00:00.000Z"],
    ["Wed, 21 Oct 2015 07:28:00 GMT", "2015-10-21T07:28:00.000Z"],
    ["Fri, 31 Dec 2038 23:59:59 GMT", "2038-12-31T23:59:59.000Z"],
    ["Monday, 01-Jan-07 00:00:01 GMT", "2007-01-01T00:00:01.000Z"],
    ["Thursday, 01-Jan-70 00:00:00 GMT", "1970-01-01T00:00:00.000Z"],
    ["Wednesday, 31-Dec-69 23:59:59 GMT", "2069-12-31T23:59:59.000Z"],
    ["Thu Feb 29 01:02:03 2024", "2024-02-29T01:02:03.000Z"],
    ["Sat Dec 31 23:59:59 2099", "2099-12-31T23:59:59.000Z"],
  ]) {
    assert.equal(new Date(httpDate(text) ?? -1).toISOString(), iso, text);
  }
  // Years before 100 are the years written, not 19xx.
  assert.equal(httpDate("Sat, 01 Jan 0000 00:00:00 GMT"), -62_167_219_200_000);
  assert.equal(new Date(httpDate("Mon, 01 Mar 0050 00:00:00 GMT")).getUTCFullYear(), 50);
});

test("HTTP dates: a leap second is the second before it", () => {
  assert.equal(httpDate("Sun, 06 Nov 1994 08:49:60 GMT"), NOV_6_1994 + 22_000);
  assert.equal(httpDate("Sun, 06 Nov 1994 08:49:60 GMT"), httpDate("Sun, 06 Nov 1994 08:49:59 GMT"));
  // The last second of year 9999 stays in year 9999.
  assert.equal(httpDate("Fri, 31 Dec 9999 23:59:60 GMT"), 253_402_300_799_000);
});

test("HTTP dates: everything else is rejected", () => {
  for (const bad of [
    "",
    "120",
    "Sun, 06 Nov 1994 08:49:37 UTC",
    "Sun, 06 Nov 1994 08:49:37",
    "Sun, 6 Nov 1994 08:49:37 GMT",
    "Sun, 06 nov 1994 08:49:37 GMT",
    "Sun, 06 Nov 94 08:49:37 GMT",
    "Sun, 06 Nov 1994 24:00:00 GMT",
    "Sun, 06 Nov 1994 08:60:00 GMT",
    "Sun, 06 Nov 1994 08:49:61 GMT",
    "Sun, 30 Feb 1994 08:49:37 GMT",
    "Sun, 29 Feb 1900 08:49:37 GMT",
    "Sun, 31 Apr 1994 08:49:37 GMT",
    "Sun, 00 Nov 1994 08:49:37 GMT",
    "Sun, 06 Nox 1994 08:49:37 GMT",
    "Sun, 06 anF 1994 08:49:37 GMT",
    "Xyz, 06 Nov 1994 08:49:37 GMT",
    "Sunday, 06-Nov-1994 08:49:37 GMT",
    "Sun, 06-Nov-94 08:49:37 GMT",
    "Sun Nov 6 08:49:37 1994",
    "Sun Nov  6 08:49:37 94  ",
    "Sun, 06 Nov 1994 08:49:37 GMT extra",
    "Sün, 06 Nov 1994 08:49:37 GMT",
    "Sun, ٠٦ Nov 1994 08:49:37 GMT",
    "1994-11-06T08:49:37Z",
    "Sun Nov 06 1994 08:49:37 GMT+0000",
  ]) {
    assert.equal(httpDate(bad), undefined, JSON.stringify(bad));
  }
});

// ---- the saved inputs ------------------------------------------------------------------

function corpus(name) {
  const dir = `${root}tests/corpus/${name}/`;
  const files = readdirSync(dir).sort();
  assert.ok(files.length > 0, `${dir} has no inputs`);
  return files.map((f) => [f, new TextDecoder().decode(readFileSync(dir + f))]);
}

test("saved inputs: reading `status\\nX-Sentry-Rate-Limits\\nRetry-After` never throws; every limit lies after now", () => {
  for (const [file, s] of corpus("rate-limits")) {
    // `status`, then the header, then Retry-After (the rest, newlines included).
    const [first, ...rest] = s.split("\n");
    const status = /^\d+$/.test(first.trim()) && +first.trim() < 65536 ? +first.trim() : 429;
    const l = new RateLimits();
    l.onResponse(status, rest[0], rest.length > 1 ? rest.slice(1).join("\n") : undefined, NOW);
    const h = new RateLimits();
    h.update(s, NOW);
    for (const x of [l, h]) {
      for (const c of ALL) {
        const until = x.limitedUntil(c, NOW);
        if (until !== undefined) assert.ok(until > NOW && !Number.isNaN(until), `${file}: ${c} ${until}`);
      }
    }
  }
});

test("saved inputs: an HTTP date read is a whole second between years 0 and 9999", () => {
  for (const [file, s] of corpus("http-date")) {
    const ms = httpDate(s);
    if (ms === undefined) continue;
    assert.ok(Number.isFinite(ms) && ms % 1000 === 0, `${file}: ${ms}`);
    assert.ok(ms >= -62_167_219_200_000 && ms <= 253_402_300_799_000, `${file}: ${ms}`);
  }
});

// ---- where the client applies them -----------------------------------------------------

const DSN = "http://pubkey@127.0.0.1:9/42";

/** A client over a fake core whose transport answers 200 with `headers()`. */
function client(options = {}, headers = () => ({})) {
  const fake = fakeCore({ enums });
  const platform = { runtime: "node", loadCore: () => fake.Core, load: linkedLoad(startEngine) };
  const transport = async () => ({ status: 200, headers: headers() });
  const c = new OxeyeClient({ dsn: DSN, transport, offline: false, sendClientReports: false, ...options }, platform);
  const engine = c["engine"];
  const count = (name) => fake.state.calls.filter(([n]) => n === name).length;
  return { client: c, engine, limits: engine.delivery.limits, fake, count };
}

test("a rate-limited error is dropped before it is built and counted; it is sent again once the limit ends", async () => {
  const { client: c, engine, limits, fake, count } = client();
  const now = Date.now();
  limits.update("60:error:key", now);
  c.captureMessage("limited");
  assert.equal(count("capture"), 0, "nothing reached the core's builder");
  limits.update("86400:transaction;span:organization", now);
  const real = Date.now;
  try {
    Date.now = () => now + 61_000;
    c.captureMessage("after the limit");
    assert.equal(count("capture"), 1, "sent again once the limit ends; limits on other categories do not drop errors");
    limits.onResponse(429, undefined, "30", Date.now());
    c.captureMessage("after a 429");
    assert.equal(count("capture"), 1, "a 429 limits everything");
    engine.deliveryCore().takeClientReport(Date.now());
  } finally {
    Date.now = real;
  }
  const limited = fake.state.calls.filter(([n, r, cat]) => n === "recordOutcome" && r === Reason.RatelimitBackoff && cat === Category.Error);
  assert.equal(limited.reduce((n, [, , , q]) => n + q, 0), 2, "both drops are counted as ratelimit_backoff");
  await c.close(100);
});

test("a limit announced while beforeSend runs drops the event before it is sealed", async () => {
  let release;
  const gate = new Promise((r) => (release = r));
  const { client: c, limits, fake, count } = client({ beforeSend: async (e) => (await gate, e) });
  c.captureMessage("held by beforeSend");
  assert.equal(count("capture"), 1);
  limits.update("60:error", Date.now());
  release();
  assert.equal(await c.flush(1000), true);
  assert.equal(count("finish"), 0, "the core does not seal it");
  const dropped = fake.state.calls.filter(([n]) => n === "dropPending");
  assert.deepEqual(dropped.map(([, , r]) => r), [Reason.RatelimitBackoff]);
  await c.close(100);
});

test("client reports wait out a limit that covers them; a limit on errors does not hold them back", async () => {
  const taken = [];
  const sent = [];
  const d = new Delivery(async (r) => (sent.push(r), { status: 200, headers: {} }), () => {}, { transportOptions: { maxRetries: 0 } }, "node");
  const report = new TextEncoder().encode('{"sent_at":"1970-01-01T00:00:00.000Z"}\n{"type":"client_report"}\n{}');
  d.attach({ url: "http://127.0.0.1:9/api/1/envelope/", recordOutcome: () => {}, takeClientReport: (now) => (taken.push(now), report.slice()) });
  d.limits.update("5:error", Date.now());
  assert.equal(d.sendClientReport(), true, "a limit on errors does not hold back reports");
  d.limits.update("10::organization", Date.now());
  assert.equal(d.sendClientReport(), false, "client reports are covered by a limit on all");
  assert.equal(taken.length, 1, "the counts wait in the core: no report is taken");
  const other = new Delivery(async () => ({ status: 200, headers: {} }), () => {}, {}, "node");
  other.attach({ url: "http://127.0.0.1:9/api/1/envelope/", recordOutcome: () => {}, takeClientReport: (now) => (taken.push(now), undefined) });
  other.sendClientReport();
  assert.equal(taken.length, 2, "another client's limits are its own");
  assert.equal(await d.drain(Date.now() + 1000), true);
  assert.equal(sent.length, 1);
  d.close();
  other.close();
});

test("a limit is taken from a real response, 200 included, and honoured before the next send", async () => {
  let first = true;
  const { client: c, engine, count } = client({}, () => (first ? ((first = false), { "x-sentry-rate-limits": "60:error:key" }) : {}));
  c.captureMessage("answered with a limit");
  assert.equal(await c.flush(1000), true);
  assert.equal(engine.delivery.limits.isLimited(Category.Error, Date.now()), true);
  c.captureMessage("dropped");
  assert.equal(count("capture"), 1);
  await c.close(100);
});
