// The TypeScript shim over the real wasm core (Node entry): public API, event shape,
// non-Error throws, DSN handling, queueing before the core is ready, failure safety.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as oxeye from "../dist/entrypoints/node.js";
import { OxeyeClient } from "../dist/api/client.js";
import { startEngine } from "../dist/api/engine.js";
import { startWhenLoaded } from "../dist/api/async-load.js";
import { stampSentAt } from "../dist/delivery/sent-at.js";
import { initSync, Core, parseDsn } from "../dist/core/core.js";
import { Verdict, Reason, Category, ScopeOp, RequestSessionStatus } from "../dist/core/enums.js";
import { parseEnvelope } from "./helpers/envelope.mjs";
import { assertValidForSentry } from "./helpers/real.mjs";

const DSN = "http://pubkey@127.0.0.1:9/42";
const everyEvent = [];
// The Node entry's core is the servers' wasm (the glue is instantiated once, with it); a
// browser platform gets the browsers' wasm in a glue instance of its own.
const SERVER_WASM = new URL("../dist/core/wasm/oxeye_server_bg.wasm", import.meta.url);
const BROWSER_WASM = new URL("../dist/core/wasm/oxeye_bg.wasm", import.meta.url);
async function browserCore() {
  const glue = await import("../dist/core/core.js?wasm=browser");
  glue.initSync({ module: readFileSync(BROWSER_WASM) });
  return glue.Core;
}

// Every event this suite produced must be one Sentry accepts as it is.
after(async () => {
  await assertValidForSentry(everyEvent);
});

function capturing(status = 200) {
  const requests = [];
  const transport = async (req) => {
    requests.push(req);
    everyEvent.push(...parseEnvelope(req.body).items.filter((i) => i.headers.type === "event").map((i) => i.json));
    return { status, headers: {} };
  };
  const events = () => requests.map((r) => parseEnvelope(r.body).items[0].json);
  return { requests, transport, events };
}

test("delivery stamps sent_at exactly as the core writes it, for any clock value", () => {
  initSync({ module: readFileSync(SERVER_WASM) });
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  const head = (bytes) => dec.decode(bytes.subarray(0, 40));
  const input = enc.encode(JSON.stringify({ eventId: "0123456789abcdef0123456789abcdef", timestamp: 1700000000000, message: "m" }));
  const last = 253402300799999;
  for (const ms of [1700000000123, 1700000000123.9, 1, 0.5, 0, NaN, Infinity, 951782400000, 4107542399999, last, last + 1, 8.64e15, 1e300]) {
    // The core's own sent_at for `ms`: the envelope of an event it builds at that time.
    const core = new Core(JSON.stringify({ dsn: DSN, runtime: "node" }));
    assert.equal(core.capture(input, 2, 1, 0, ms, new Uint8Array(core.randomBytes), false), Verdict.Send, `an event at ${ms}`);
    const theirs = core.envelope;
    core.free();
    const ours = theirs.slice();
    ours.set(enc.encode("2000-01-01T00:00:00.000Z"), 12);
    stampSentAt(ours, ms);
    assert.equal(head(ours), head(theirs), `sent_at for ${ms}`);
  }
  // Times before 1970 (the core builds no event then; its clock rule gives the epoch).
  for (const ms of [-1, -1e15, -Infinity]) {
    const ours = enc.encode('{"sent_at":"2000-01-01T00:00:00.000Z","x":1}');
    stampSentAt(ours, ms);
    assert.equal(dec.decode(ours), '{"sent_at":"1970-01-01T00:00:00.000Z","x":1}', `sent_at for ${ms}`);
  }
  // Bytes that are not an envelope the core wrote are left alone.
  for (const text of ['{"sent_at":"1970-01-01T00:00:00.000Z', '{"event_id":"1970-01-01T00:00:00.000Z","x":1}', '{"sent_at":"1970-01-01T00:00:00.000ZZ,"x":1}', ""]) {
    const bytes = enc.encode(text);
    stampSentAt(bytes, 1700000000123);
    assert.deepEqual(bytes, enc.encode(text), text);
  }
});

function thrower() {
  throw new TypeError("settings.theme is undefined");
}

test("captureException builds a complete event and envelope", async () => {
  const cap = capturing();
  const client = oxeye.init({ dsn: DSN, release: "app@2.0.0", environment: "staging", transport: cap.transport });
  let id;
  try {
    thrower();
  } catch (e) {
    id = oxeye.captureException(e);
  }
  assert.match(id, /^[0-9a-f]{32}$/);
  assert.equal(await oxeye.flush(2000), true);
  assert.equal(cap.requests.length, 1);
  const req = cap.requests[0];
  assert.equal(
    req.url,
    "http://127.0.0.1:9/api/42/envelope/?sentry_key=pubkey&sentry_version=7&sentry_client=oxeye.javascript/0.1.0",
  );
  const env = parseEnvelope(req.body);
  assert.equal(env.headers.event_id, id);
  assert.match(env.headers.sent_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.deepEqual(env.headers.sdk, { name: "oxeye.javascript.node", version: "0.1.0" });
  assert.equal(env.headers.dsn, undefined);
  assert.equal(env.items.length, 1);
  assert.equal(env.items[0].headers.type, "event");
  assert.equal(env.items[0].headers.length, env.items[0].payload.length);
  const ev = env.items[0].json;
  assert.equal(ev.event_id, id);
  assert.equal(ev.platform, "javascript");
  assert.equal(ev.level, "error");
  assert.equal(ev.release, "app@2.0.0");
  assert.equal(ev.environment, "staging");
  assert.ok(Math.abs(ev.timestamp - Date.now() / 1000) < 60);
  const ex = ev.exception.values[0];
  assert.equal(ex.type, "TypeError");
  assert.equal(ex.value, "settings.theme is undefined");
  assert.deepEqual(ex.mechanism, { type: "generic", handled: true });
  const last = ex.stacktrace.frames.at(-1);
  assert.equal(last.function, "thrower");
  assert.match(last.filename, /tests\/shim\.test\.mjs$/);
  assert.equal(last.in_app, true);
  assert.ok(last.lineno > 0 && last.colno > 0);
  await client.close(100);
});

test("two copies of the entry (two bundles of one page or process) that each call init both reach the client the later init made", async () => {
  const [a, b] = [capturing(), capturing()];
  oxeye.init({ dsn: DSN, transport: a.transport });
  const copy = await import(`../dist/entrypoints/node.js?copy=${Date.now()}`);
  assert.notEqual(copy.captureException, oxeye.captureException);
  const second = copy.init({ dsn: DSN, transport: b.transport });
  assert.equal(oxeye.getClient(), second);
  oxeye.setTag("bundle", "host");
  const id = oxeye.captureException(new Error("from the first bundle"));
  assert.notEqual(id, "");
  assert.equal(await second.flush(2000), true);
  const ev = b.events().find((e) => e.event_id === id);
  assert.equal(ev?.tags?.bundle, "host");
  await second.close(100);
});

test("anything thrown gives a readable event and never throws", async () => {
  const cap = capturing();
  oxeye.init({ dsn: DSN, transport: cap.transport });
  const cyclic = { self: null, name: "loop" };
  cyclic.self = cyclic;
  const huge = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, "x".repeat(5000)]));
  const hostile = new Proxy({}, { get() { throw new Error("getter trap"); }, ownKeys() { throw new Error("keys trap"); } });
  const inputs = ["plain string", 42, null, undefined, true, 10n, Symbol("s"), { code: 7 }, cyclic, huge, hostile, () => 1];
  for (const v of inputs) assert.match(oxeye.captureException(v), /^[0-9a-f]{32}$/);
  assert.equal(await oxeye.flush(2000), true);
  // A thrown string is the event's message (the core titles and groups by it); anything
  // else keeps an exception whose value names it, with frames from the capture call.
  const events = cap.events();
  assert.equal(events.length, inputs.length);
  assert.equal(events[0].logentry.formatted, "plain string");
  assert.equal(events[0].exception, undefined);
  const values = events.slice(1).map((e) => e.exception.values[0]);
  assert.equal(values[0].value, "Non-Error exception captured with value: 42");
  assert.equal(values[1].value, "Non-Error exception captured with value: null");
  assert.equal(values[2].value, "Non-Error exception captured with value: undefined");
  assert.equal(values[6].value, "Object captured as exception with keys: code");
  assert.equal(values[7].value, "Object captured as exception with keys: name, self", "keys sorted, so that key order never splits an issue");
  for (const v of values) {
    assert.ok(v.type && typeof v.value === "string");
    assert.ok(v.stacktrace.frames.some((f) => /shim\.test\.mjs$/.test(f.filename)), "frames from the capture call");
    assert.match(v.stacktrace.frames.at(-1).filename, /shim\.test\.mjs$/, "the top frame is the app's capture call, not one of oxeye's");
  }
  assert.equal(events[8].extra.__serialized__.self, "[Circular ~]");
  assert.ok(cap.requests[9].body.length < 1_000_000, "a huge object is truncated, not sent whole");
});

test("an object holding an error (a logger's { err }, GraphQL's { originalError }) is reported as that error with the object's data; an object with a message is named by it, so two such objects from one call are two events, not a duplicate", async () => {
  const cap = capturing();
  oxeye.init({ dsn: DSN, transport: cap.transport });
  const fail = (n) => {
    try {
      throw new SyntaxError(`insert into orders failed: deadlock on order ${n}`);
    } catch (e) {
      return e;
    }
  };
  for (const n of [1, 2]) oxeye.captureException({ err: fail(n), op: "saveOrder", order: n });
  oxeye.captureException({ originalError: new RangeError("no such page"), path: ["orders", 3] });
  for (const tenant of ["acme", "globex"]) oxeye.captureException({ code: 429, message: `rate limited for tenant ${tenant}` });
  oxeye.captureException({ name: "ApiError", message: "upstream said no", status: 502 });
  // A `name` without a message is data, perhaps a person's: not the type.
  oxeye.captureException({ name: "Jane Doe", plan: "pro" });
  oxeye.captureException({ name: "Jane Doe", message: " ", plan: "team" });
  assert.equal(await oxeye.flush(2000), true);
  const events = cap.events();
  assert.equal(events.length, 8, "none dropped as a duplicate");
  const [a, b, c, d, e, f, g, h] = events.map((ev) => ev.exception.values.at(-1));
  assert.deepEqual([g.type, g.value], ["Error", "Object captured as exception with keys: name, plan"]);
  assert.deepEqual([h.type, h.value], ["Error", "Object captured as exception with keys: message, name, plan"], "a blank message says nothing");
  assert.equal(a.type, "SyntaxError");
  assert.equal(a.value, "insert into orders failed: deadlock on order 1");
  assert.ok(a.stacktrace.frames.some((fr) => fr.function === "fail"), "the error's own frames");
  assert.equal(events[0].extra.__serialized__.op, "saveOrder");
  assert.equal(events[1].extra.__serialized__.order, 2);
  assert.notEqual(a.value, b.value);
  assert.deepEqual([c.type, c.value], ["RangeError", "no such page"]);
  assert.deepEqual(events[2].extra.__serialized__.path, ["orders", 3]);
  assert.deepEqual([d.type, d.value, e.value], ["Error", "rate limited for tenant acme", "rate limited for tenant globex"]);
  assert.deepEqual([f.type, f.value], ["ApiError", "upstream said no"]);
  assert.equal(events[5].extra.__serialized__.status, 502);
});

test("an error whose message is too long to send whole (a stack past 64 KiB) keeps the frames of its throw: the header the core skips has the lines of the message it reads", async () => {
  const cap = capturing();
  oxeye.init({ dsn: DSN, transport: cap.transport });
  function throwSite() {
    throw new Error(`first\nsecond ${"x".repeat(70_000)}\nthird`);
  }
  function caller() {
    throwSite();
  }
  try {
    caller();
  } catch (e) {
    oxeye.captureException(e);
  }
  assert.equal(await oxeye.flush(2000), true);
  const frames = cap.events()[0].exception.values[0].stacktrace.frames.map((f) => f.function);
  assert.deepEqual(frames.slice(-2), ["caller", "throwSite"], JSON.stringify(frames));
});

test("captureMessage and captureEvent", async () => {
  const cap = capturing();
  oxeye.init({ dsn: DSN, transport: cap.transport });
  oxeye.captureMessage("checkout finished", "warning");
  oxeye.captureEvent({ message: "raw event", tags: { area: "billing" }, level: "info" });
  await oxeye.flush(2000);
  const [m, e] = cap.events();
  assert.equal(m.logentry.formatted, "checkout finished");
  assert.equal(m.level, "warning");
  assert.equal(e.tags.area, "billing");
  assert.equal(e.level, "info");
  assert.equal(e.platform, "javascript");
});

test("an invalid DSN disables the SDK, says why, and never throws", async () => {
  const cases = [
    ["ftp://k@host/1", /scheme/],
    ["http://host/1", /public key/],
    ["http://k@host/abc", /project id/],
    ["http://k@host:99999/1", /port/],
    ["http://k@/1", /host/],
  ];
  for (const [dsn, why] of cases) {
    const cap = capturing();
    const lines = [];
    const orig = console.log;
    console.log = (...a) => lines.push(a.join(" "));
    let client;
    try {
      client = oxeye.init({ dsn, debug: true, transport: cap.transport });
      oxeye.captureException(new Error("x"));
      await oxeye.flush(100);
    } finally {
      console.log = orig;
    }
    assert.match(client.dsnError, why, dsn);
    assert.ok(lines.some((l) => why.test(l)), `debug log explains ${dsn}: ${lines}`);
    // Once it is known that nothing is sent, captures give no id to show.
    assert.equal(oxeye.captureException(new Error("y")), "", dsn);
    assert.equal(cap.requests.length, 0);
  }
});

test("a missing DSN disables quietly with one debug line", async () => {
  const cap = capturing();
  const lines = [];
  const orig = console.log;
  console.log = (...a) => lines.push(a.join(" "));
  try {
    const client = oxeye.init({ debug: true, transport: cap.transport });
    oxeye.captureException(new Error("x"));
    oxeye.captureMessage("y");
    await oxeye.flush(100);
    assert.equal(client.dsnError, undefined);
  } finally {
    console.log = orig;
  }
  assert.equal(lines.length, 1, lines.join("\n"));
  assert.match(lines[0], /no DSN/);
  assert.equal(cap.requests.length, 0);
});

test("enabled: true as given wins over its environment's defaults; a client its environment's defaults turn off gives no ids", async () => {
  const cap = capturing();
  const on = oxeye.init({ dsn: DSN, enabled: true, environment: "test", environments: { test: { enabled: false } }, transport: cap.transport });
  await on.ready;
  assert.equal(on.disabledReason, undefined);
  assert.match(oxeye.captureException(new Error("sent, enabled as given")), /^[0-9a-f]{32}$/);
  assert.equal(await oxeye.flush(2000), true);
  assert.ok(cap.events().some((e) => e.exception?.values?.[0]?.value === "sent, enabled as given"));
  // Named by SENTRY_ENVIRONMENT, which only the core reads: it turns the client off as it loads.
  const off = oxeye.init({ dsn: DSN, env: { SENTRY_ENVIRONMENT: "test" }, environments: { test: { enabled: false } }, transport: cap.transport });
  await off.ready;
  assert.match(off.disabledReason ?? "", /`enabled` is false/);
  assert.equal(oxeye.captureException(new Error("never sent")), "");
  await oxeye.flush(500);
  assert.ok(!cap.events().some((e) => e.exception?.values?.[0]?.value === "never sent"));
});

test("enabled: false sends nothing", async () => {
  const cap = capturing();
  oxeye.init({ dsn: DSN, enabled: false, transport: cap.transport });
  assert.equal(oxeye.captureException(new Error("x")), "", "no id for an event that never exists");
  await oxeye.flush(100);
  assert.equal(cap.requests.length, 0);
});

test("calls made before the core is ready are queued, keep their ids and times, and flush waits", async () => {
  let release;
  const gate = new Promise((r) => (release = r));
  const platform = {
    runtime: "browser",
    loadCore: async () => {
      await gate;
      return browserCore();
    },
    load(client, start) {
      startWhenLoaded(client, start, startEngine, this.loadCore(0));
    },
  };
  const cap = capturing();
  const client = new OxeyeClient({ dsn: DSN, transport: cap.transport }, platform);
  assert.equal(client.dsnError, undefined, "unknown until ready");
  const before = Date.now();
  const ids = [client.captureException(new Error("early 1")), client.captureMessage("early 2")];
  for (const id of ids) assert.match(id, /^[0-9a-f]{32}$/);
  assert.equal(cap.requests.length, 0);
  const flushed = client.flush(3000);
  // Nothing is sent while the core is loading.
  await new Promise((r) => setImmediate(r));
  assert.equal(cap.requests.length, 0);
  release();
  assert.equal(await flushed, true);
  assert.deepEqual(cap.events().map((e) => e.event_id), ids);
  assert.ok(cap.events()[0].timestamp * 1000 <= before + 50, "capture time, not send time");
  assert.equal(cap.events()[1].logentry.formatted, "early 2");
});

test("a failing transport never throws into the app", async () => {
  // No retries here: they have their own tests (delivery.test.mjs).
  const transportOptions = { maxRetries: 0 };
  oxeye.init({ dsn: DSN, transportOptions, transport: async () => { throw new Error("network down"); } });
  assert.match(oxeye.captureException(new Error("x")), /^[0-9a-f]{32}$/);
  assert.equal(await oxeye.flush(1000), true);
  oxeye.init({ dsn: DSN, transportOptions, transport: () => { throw new Error("sync throw"); } });
  assert.match(oxeye.captureException(new Error("x")), /^[0-9a-f]{32}$/);
  assert.equal(await oxeye.flush(1000), true);
});

test("flush reports false when delivery outlasts the timeout", async () => {
  let done;
  oxeye.init({ dsn: DSN, transport: () => new Promise((r) => (done = r)) });
  oxeye.captureException(new Error("slow"));
  assert.equal(await oxeye.flush(50), false);
  done({ status: 200, headers: {} });
  assert.equal(await oxeye.flush(500), true);
});

test("a tunnel gets the envelope, which names its DSN without the secret", async () => {
  const cap = capturing();
  oxeye.init({ dsn: "https://pub:topsecret@o12.ingest.sentry.io/5", tunnel: "http://127.0.0.1:9/tunnel", transport: cap.transport });
  oxeye.captureMessage("via tunnel");
  await oxeye.flush(500);
  assert.equal(cap.requests[0].url, "http://127.0.0.1:9/tunnel");
  const env = parseEnvelope(cap.requests[0].body);
  assert.equal(env.headers.dsn, "https://pub@o12.ingest.sentry.io/5");
  assert.ok(!new TextDecoder().decode(cap.requests[0].body).includes("topsecret"));
});

test("package metadata: versions agree and the exports map serves each runtime", () => {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url)));
  const cargo = readFileSync(new URL("../Cargo.toml", import.meta.url), "utf8");
  assert.equal(cargo.match(/^version = "(.*)"$/m)[1], pkg.version);
  assert.equal(pkg.dependencies, undefined, "the shim has no runtime dependencies");
  const root = pkg.exports["."];
  assert.equal(root.browser.default, "./dist/entrypoints/browser.js");
  assert.equal(root.node.default, "./dist/entrypoints/node.js");
  assert.equal(root.workerd.default, "./dist/entrypoints/workerd.js");
  // The browser entry loads the engine and the core lazily; only js/core/ touches the glue.
  const browser = readFileSync(new URL("../dist/entrypoints/browser.js", import.meta.url), "utf8");
  assert.match(browser, /import\("\.\.\/core\/load-web-fresh\.js"\)/);
  assert.match(browser, /import\("\.\.\/api\/engine\.js"\)/);
  assert.doesNotMatch(browser, /oxeye_bg\.wasm|core\.js"/);
  const loader = readFileSync(new URL("../dist/core/load-web.js", import.meta.url), "utf8");
  assert.match(loader, /"\.\/wasm\/oxeye_bg\.wasm"/);
  assert.match(loader, /compileStreaming/);
  // The glue instantiates the wasm with no imports at all.
  const glue = readFileSync(new URL("../dist/core/core.js", import.meta.url), "utf8");
  assert.match(glue, /new WebAssembly\.Instance\(.*, \{\}\)/);
  const workerd = readFileSync(new URL("../dist/core/load-workerd.js", import.meta.url), "utf8");
  assert.match(workerd, /import wasmModule from "\.\/wasm\/oxeye_server_bg\.wasm"/);
});

// ---- the hand-written boundary (src/bindings.rs ↔ js/core/core.ts) ---------------------------

/**
 * The calls the glue makes into the wasm: `x.name(args)`, with the number of arguments, and
 * the getters its `facts("name …", …)` tables define (each passes the core's handle).
 */
function glueCalls() {
  const text = readFileSync(new URL("../dist/core/core.js", import.meta.url), "utf8");
  const calls = [];
  for (const m of text.matchAll(/\bx\.(\w+)\(/g)) {
    let depth = 1;
    let args = 0;
    let empty = true;
    for (let i = m.index + m[0].length; depth > 0; i++) {
      const c = text[i];
      if (c === "(" || c === "[" || c === "{") depth++;
      else if (c === ")" || c === "]" || c === "}") depth--;
      else if (c === "," && depth === 1) args++;
      if (depth > 0 && !/\s/.test(c)) empty = false;
    }
    calls.push({ name: m[1], args: empty ? 0 : args + 1 });
  }
  for (const m of text.matchAll(/\bfacts\("([\w ]+)"/g)) for (const name of m[1].split(" ")) calls.push({ name, args: 1 });
  return calls;
}

test("boundary: every export the glue calls exists in a wasm with that many parameters, and neither wasm imports anything", () => {
  // The glue serves both wasm files: each call is in at least one of them (which runtime
  // calls what is tests/runtime-wasm.test.mjs's), with the same parameters in each.
  const modules = [BROWSER_WASM, SERVER_WASM].map((url) => new WebAssembly.Module(readFileSync(url)));
  const calls = glueCalls();
  assert.ok(calls.length >= 33, `${calls.length} calls found in the glue`);
  const called = new Set(calls.map((c) => c.name));
  const found = new Set();
  for (const module of modules) {
    assert.deepEqual(WebAssembly.Module.imports(module), []);
    const exports = new WebAssembly.Instance(module, {}).exports;
    for (const { name, args } of calls) {
      if (typeof exports[name] !== "function") continue;
      found.add(name);
      assert.equal(exports[name].length, args, `${name}: the glue passes ${args} arguments, the wasm takes ${exports[name].length}`);
    }
    // And nothing a wasm exports is left unused (an unused export is dead weight).
    const unused = WebAssembly.Module.exports(module).filter((e) => e.kind === "function" && !called.has(e.name));
    assert.deepEqual(unused, []);
  }
  assert.deepEqual(calls.map((c) => c.name).filter((n) => !found.has(n)), [], "the glue calls these, which neither wasm exports");
});

test("boundary: unknown enum numbers, odd strings and a freed core neither trap nor throw", async () => {
  initSync({ module: readFileSync(SERVER_WASM) });
  const core = new Core(JSON.stringify({ dsn: DSN, runtime: "node", release: "app@1" }));
  core.recordOutcome(Reason.SampleRate, Category.Error, 1);
  core.recordOutcome(99, 99, 1);
  core.recordOutcome(Reason.SampleRate, 1e9, 1);
  core.recordOutcome(-1, Category.Error, 1);
  core.scopeSet(2, 99, "k", '"v"');
  core.scopeSet(2, ScopeOp.SetTag, null, null);
  core.dropPending("not held", 4096);
  core.recordRequestSession(1, 99, Date.now());
  // Outcomes with an unknown number are not counted; a drop with an unknown reason is
  // counted as the SDK's own error.
  const report = JSON.parse(new TextDecoder().decode(core.takeClientReport(Date.now())).split("\n")[2]);
  assert.deepEqual(report.discarded_events.map((d) => `${d.reason} ${d.category} ${d.quantity}`).sort(), ["internal_sdk_error error 1", "sample_rate error 1"]);
  // Bad JSON, lone surrogates, empty input: a counted drop with a sentence, never a trap.
  const random = new Uint8Array(core.randomBytes);
  for (const input of ["{", "", "\ud800", "null"]) {
    assert.equal(core.capture(new TextEncoder().encode(input), 2, 1, 0, Date.now(), random, false), Verdict.Drop, input);
    assert.equal(core.reason, Reason.InternalSdkError);
    assert.ok(core.detail.length > 0);
  }
  assert.equal(core.finish("x", "{", Date.now()), Verdict.Drop);
  core.addBreadcrumb(2, "{", Date.now());
  core.addBreadcrumb(2, "é".repeat(100_000), Date.now());
  // Strings round-trip through UTF-8 both ways, empty and absent kept apart.
  assert.equal(core.continueTrace(2, undefined, undefined, undefined, undefined, new Uint8Array(32)), false);
  const T = "771a43a4192642f0b136d5159a501700";
  assert.equal(core.continueTrace(3, T, "b6576219fd7dcf45", true, JSON.stringify(["trace_id", T, "release", "ünï@1"]), new Uint8Array(32)), true);
  const parts = JSON.parse(core.traceHeaders(3, new Uint8Array(32)));
  assert.equal(parts.trace_id, T);
  assert.match(parts.span_id, /^[0-9a-f]{16}$/);
  assert.equal(parts.sampled, true);
  // (With the sample_rand made for it: it came without one.)
  assert.deepEqual(parts.dsc.slice(0, 4), ["trace_id", T, "release", "ünï@1"]);
  assert.deepEqual(parts.dsc.slice(4, 5), ["sample_rand"]);
  assert.equal(core.release, "app@1");
  assert.equal(new Core("{").dsnError !== undefined || new Core("{").disabledReason !== undefined, true);
  assert.match(parseDsn("https://ü@o1.ingest.sentry.io/5").error, /public key "ü"/);
  const dsn = parseDsn("https://key:secret@o1.ingest.sentry.io/5");
  assert.equal(dsn.publicDsn, "https://key@o1.ingest.sentry.io/5");
  assert.equal(dsn.error, undefined);
  assert.match(dsn.envelopeUrl, /^https:\/\/o1\.ingest\.sentry\.io\/api\/5\/envelope\/\?/);
  assert.match(parseDsn("ftp://x").error, /scheme/);
  dsn.free();
  // A freed core answers with defaults (free twice is fine).
  core.free();
  core.free();
  assert.equal(core.capture(new TextEncoder().encode("{}"), 2, 1, 0, Date.now(), random, false), Verdict.Drop);
  assert.equal(core.envelope, undefined);
  core.recordRequestSession(1, RequestSessionStatus.Crashed, Date.now());
  assert.equal(core.detail, "");
  // Page-view sessions are the browsers' wasm's.
  const BrowserCore = await browserCore();
  const page = new BrowserCore(JSON.stringify({ dsn: DSN, runtime: "browser", release: "app@1" }));
  page.free();
  assert.equal(page.takeSessionEnvelope(Date.now()), undefined);
  assert.equal(page.startSession(1, Date.now(), new Uint8Array(16)), false);
  page.endSession(Date.now());
});

test("boundary: results read after the memory grows are not stale views", () => {
  const core = new Core(JSON.stringify({ dsn: DSN, runtime: "node", maxBreadcrumbs: 100 }));
  const enc = new TextEncoder();
  const big = "x".repeat(200_000);
  let last;
  for (let i = 0; i < 40; i++) {
    core.scopeSet(2, ScopeOp.SetExtra, `k${i}`, JSON.stringify(big + i));
    const input = enc.encode(JSON.stringify({ eventId: (i + 1).toString(16).padStart(32, "0"), timestamp: 1700000000000, message: `m${i}` }));
    assert.equal(core.capture(input, 2, 1, 0, 1700000000000, new Uint8Array(core.randomBytes), false), Verdict.Send);
    last = core.envelope;
    assert.ok(new TextDecoder().decode(last).includes(`"m${i}"`), `envelope ${i} is the event's own`);
  }
  core.free();
});
