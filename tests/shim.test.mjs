// The TypeScript shim over the real wasm core (Node entry): public API, event shape,
// non-Error throws, DSN handling, queueing before the core is ready, failure safety.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as oxeye from "../dist/entrypoints/node.js";
import { OxeyeClient } from "../dist/api/client.js";
import { startEngine } from "../dist/api/engine.js";
import { stampSentAt } from "../dist/delivery/delivery.js";
import { initSync, Core, Verdict } from "../dist/core/core.js";
import { parseEnvelope } from "./helpers/envelope.mjs";
import { assertValidForSentry } from "./helpers/real.mjs";

const DSN = "http://pubkey@127.0.0.1:9/42";
const everyEvent = [];

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
  initSync({ module: readFileSync(new URL("../dist/core/wasm/oxeye_bg.wasm", import.meta.url)) });
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

test("anything thrown gives a readable event and never throws", async () => {
  const cap = capturing();
  oxeye.init({ dsn: DSN, transport: cap.transport });
  const cyclic = { name: "loop" };
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
  assert.equal(values[7].value, "Object captured as exception with keys: name, self");
  for (const v of values) {
    assert.ok(v.type && typeof v.value === "string");
    assert.ok(v.stacktrace.frames.some((f) => /shim\.test\.mjs$/.test(f.filename)), "frames from the capture call");
  }
  assert.equal(events[8].extra.__serialized__.self, "[Circular ~]");
  assert.ok(cap.requests[9].body.length < 1_000_000, "a huge object is truncated, not sent whole");
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

test("enabled: false sends nothing", async () => {
  const cap = capturing();
  oxeye.init({ dsn: DSN, enabled: false, transport: cap.transport });
  oxeye.captureException(new Error("x"));
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
      initSync({ module: readFileSync(new URL("../dist/core/wasm/oxeye_bg.wasm", import.meta.url)) });
      return Core;
    },
    loadEngine: () => startEngine,
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
  assert.match(browser, /import\("\.\.\/core\/load-web\.js"\)/);
  assert.match(browser, /import\("\.\.\/api\/engine\.js"\)/);
  assert.doesNotMatch(browser, /oxeye_bg\.wasm|core\.js"/);
  const loader = readFileSync(new URL("../dist/core/load-web.js", import.meta.url), "utf8");
  assert.match(loader, /oxeye_bg\.wasm/);
  assert.match(loader, /compileStreaming/);
  const glue = readFileSync(new URL("../dist/core/core.js", import.meta.url), "utf8");
  assert.match(glue, /instantiateStreaming/);
  const workerd = readFileSync(new URL("../dist/core/load-workerd.js", import.meta.url), "utf8");
  assert.match(workerd, /import wasmModule from "\.\/wasm\/oxeye_bg\.wasm"/);
});
