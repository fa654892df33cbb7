// The captures a page left before its core loaded, kept for the tab's next page
// (js/api/unsent-keep.ts, js/api/unsent-send.ts), with an in-memory sessionStorage: they
// are filed under the DSN as the core reads it (`dsn`, or `SENTRY_DSN` of `env`, as
// `oxeye/nextjs` passes it), so only a page reporting to the same project sends them; a
// client with no DSN keeps nothing; a page's own entry is dropped, not sent again; an entry
// another script wrote is passed over.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = pathToFileURL(process.env.OXEYE_UNIT_DIST ?? `${root}dist/`).href.replace(/\/?$/, "/");

const store = new Map();
// (As a browser's Storage: its entries are also its own properties, which `Object.keys` lists.)
const storage = {
  getItem: (k) => store.get(k) ?? null,
  setItem: (k, v) => store.set(k, String(v)),
  removeItem: (k) => store.delete(k),
  key: (i) => [...store.keys()][i] ?? null,
  get length() {
    return store.size;
  },
};
globalThis.sessionStorage = new Proxy(storage, {
  ownKeys: () => [...store.keys()],
  getOwnPropertyDescriptor: (_t, k) => (store.has(k) ? { value: store.get(k), enumerable: true, configurable: true } : undefined),
});
const hide = [];
globalThis.addEventListener = (type, fn) => type === "pagehide" && hide.push(fn);
const { keepUnsent } = await import(`${dist}api/unsent-keep.js`);
const { sendUnsent } = await import(`${dist}api/unsent-send.js`);

/** A client as the two modules see it, made by a page whose DSN comes from `options`. */
function client(options) {
  const sent = [];
  const inputs = [];
  return {
    options,
    platform: {},
    captureHooks: [],
    engine: undefined,
    closed: false,
    // (As the client runs them: each capture goes through the capture hooks.)
    captureMessage(m, hint) {
      const input = {};
      for (const hook of this.captureHooks) hook(input, hint);
      sent.push(["message", m, hint.event_id]);
      inputs.push(input);
    },
    captureException(e, hint) {
      const input = {};
      for (const hook of this.captureHooks) hook(input, hint);
      sent.push(["exception", e?.message ?? e, hint.event_id]);
      inputs.push(input);
    },
    log: () => {},
    cleanups: [],
    addCleanup(fn) {
      this.cleanups.push(fn);
    },
    sent,
    inputs,
  };
}

/** A page is left before its core loads, after `count` captures; the page after it is another page. */
function leave(options, message = "A's page failed to start", eventId = "e1", count = 1) {
  const a = client(options);
  keepUnsent(a);
  for (let i = 0; i < count; i++) for (const hook of a.captureHooks) hook({ eventId: count > 1 ? `${eventId}-${i}` : eventId, message, level: "error" }, {});
  hide.splice(0).forEach((fn) => fn());
  Object.defineProperty(performance, "timeOrigin", { value: performance.timeOrigin + 1, configurable: true });
}

test("kept captures are filed under the DSN the options give, from env too: another project's page sends none of them", () => {
  store.clear();
  leave({ env: { SENTRY_DSN: "https://a@o1.ingest.example/111" } });
  assert.deepEqual([...store.keys()].map((k) => k.replace(/ [\d.]+$/, " <page>")), ["oxeye.unsent https://a@o1.ingest.example/111 <page>"]);
  const other = client({ env: { SENTRY_DSN: "https://b@o1.ingest.example/222" } });
  sendUnsent(other);
  assert.deepEqual(other.sent, [], "project 222 sends nothing of project 111's");
  const same = client({ dsn: "https://a@o1.ingest.example/111" });
  sendUnsent(same);
  assert.deepEqual(same.sent, [["message", "A's page failed to start", "e1"]]);
  assert.equal(store.size, 0, "sent once, then gone");
});

test("a client with no DSN keeps nothing: it loads nothing, so nothing is set up to keep its captures", async () => {
  store.clear();
  const { OxeyeClient } = await import(`${dist}api/client.js`);
  let loads = 0;
  const c = new OxeyeClient({}, { runtime: "browser", load: () => void loads++ });
  assert.equal(c.captureException(new Error("never kept")), "");
  assert.equal(c.disabledReason, "oxeye is disabled: no DSN was given");
  assert.equal(loads, 0, "the platform's load (which sets up keeping) never ran");
  assert.equal(store.size, 0);
});

test("an entry another script wrote to the store is passed over; the replay hook never stays behind", () => {
  store.clear();
  const dsn = "https://a@o1.ingest.example/111";
  store.set(`oxeye.unsent ${dsn}`, JSON.stringify([0, [42, null, ["e2", "error", null, "kept message", null, 1700000000000, "https://shop.example/a"]], {}, "shop@1", "production"]));
  const next = client({ dsn });
  // A hook the client already has (the request tracker's) sees the capture's own time.
  const seen = [];
  next.captureHooks.push((input) => seen.push(input.timestamp));
  sendUnsent(next);
  assert.deepEqual(next.sent, [["message", "kept message", "e2"]]);
  assert.deepEqual(seen, [1700000000000], "the replay's hook runs first");
  next.captureHooks.pop();
  assert.deepEqual(next.captureHooks, [], "the replay hook is removed");
});

test("pages whose core could not load, one after the other, each keep theirs: all are sent, oldest first, each page in a trace of its own", () => {
  store.clear();
  const dsn = "https://a@o1.ingest.example/111";
  leave({ dsn, release: "shop@1" }, "first page", "p1");
  leave({ dsn, release: "shop@2" }, "second page", "p2");
  assert.equal(store.size, 2, "the second page did not replace the first's");
  const next = client({ dsn, release: "shop@3" });
  sendUnsent(next);
  assert.deepEqual(next.sent, [["message", "first page", "p1"], ["message", "second page", "p2"]]);
  assert.deepEqual(next.inputs.map((i) => i.event.release), ["shop@1", "shop@2"], "each its own page's release");
  const traces = next.inputs.map((i) => i.trace.sentryTrace);
  assert.match(traces[0], /^[0-9a-f]{32}-[0-9a-f]{16}$/);
  assert.notEqual(traces[0], traces[1], "a trace per page, not the next page's");
  assert.equal(store.size, 0);
});

test("an entry of an earlier version (filed under the DSN alone, each capture with its release and environment) is sent under its own release", () => {
  store.clear();
  const dsn = "https://a@o1.ingest.example/111";
  store.set(`oxeye.unsent ${dsn}`, JSON.stringify([1, [["e9", "error", null, "old layout", null, 1700000000000, "https://shop.example/old", "shop@A", "env-A"]]]));
  const next = client({ dsn, release: "shop@B" });
  sendUnsent(next);
  assert.deepEqual(next.sent, [["message", "old layout", "e9"]]);
  assert.deepEqual([next.inputs[0].event.release, next.inputs[0].event.environment, next.inputs[0].url], ["shop@A", "env-A", "https://shop.example/old"]);
  assert.equal(store.size, 0);
});

test("a page sends at most 10 kept captures, oldest pages first: the rest wait for the tab's next page; a tab keeps at most four pages' entries", () => {
  store.clear();
  const dsn = "https://a@o1.ingest.example/111";
  for (const p of [1, 2, 3, 4, 5, 6]) leave({ dsn, release: `shop@${p}` }, `page ${p}`, `p${p}`, 4);
  assert.equal(store.size, 4, "the two oldest pages' entries made room");
  const next = client({ dsn });
  sendUnsent(next);
  assert.equal(next.sent.length, 10);
  assert.deepEqual([...new Set(next.sent.map((s) => s[1]))], ["page 3", "page 4", "page 5"], "oldest first");
  assert.deepEqual(next.inputs.map((i) => i.event.release).slice(-2), ["shop@5", "shop@5"]);
  const after = client({ dsn });
  Object.defineProperty(performance, "timeOrigin", { value: performance.timeOrigin + 1, configurable: true });
  sendUnsent(after);
  assert.deepEqual(after.sent.map((s) => s[2]), ["p5-2", "p5-3", "p6-0", "p6-1", "p6-2", "p6-3"], "the rest, each once");
  assert.equal(store.size, 0);
});

test("a page keeps room only among its own DSN's entries: another DSN that starts with it keeps its own", () => {
  store.clear();
  const short = "https://a@o1.ingest.example/1";
  const long = "https://a@o1.ingest.example/11";
  for (const p of [1, 2, 3, 4]) leave({ dsn: long }, `long ${p}`, `l${p}`);
  for (const p of [1, 2, 3, 4, 5]) leave({ dsn: short }, `short ${p}`, `s${p}`);
  const keys = [...store.keys()];
  assert.equal(keys.filter((k) => k.startsWith(`oxeye.unsent ${long} `)).length, 4, "the longer DSN's four pages are all there");
  assert.equal(keys.filter((k) => k.startsWith(`oxeye.unsent ${short} `)).length, 4);
});
