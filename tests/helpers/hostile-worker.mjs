/**
 * Test helper for tests/hostile.test.mjs, run in a worker thread (so a crash or a hang
 * costs only the worker): builds one hostile value, then runs rows `from`… of the API
 * list against oxeye's Node entry, posting one result per row.
 *
 * A row: a fresh client whose transport keeps every envelope, one call of the API with
 * the value, then `flush`. It is run up to RUNS times; the time is the median of the
 * call plus its flush (processors and beforeSend run after the call returns). Checked:
 * nothing thrown (synchronously, as a rejection, or uncaught); every envelope parses and
 * is under 1 MiB; and the one capture of the row was either sent or counted in a client
 * report (nothing lost silently).
 */
import { parentPort, workerData } from "node:worker_threads";
import * as oxeye from "../../dist/entrypoints/node.js";
import { checkEnvelopes } from "./hostile-check.mjs";

export const RUNS = 3;
const DSN = "http://hostilekey@127.0.0.1:9/1";

/** The hostile values, by name; each call builds a fresh one. */
export const VALUES = {
  // Not hostile: each API's time with it is the baseline the others are compared with.
  plain: () => ({ id: 7, name: "plain" }),
  cyclic: () => {
    const a = { name: "a", list: [] };
    a.self = a;
    a.list.push(a, { back: a });
    return a;
  },
  "shared graph (100 users)": () => {
    const users = Array.from({ length: 100 }, (_, i) => ({ id: i, name: `user ${i}`, friends: [] }));
    for (const u of users) for (let k = 1; k <= 10; k++) u.friends.push(users[(u.id + k) % 100]);
    return { users, owner: users[0] };
  },
  "5,000-deep chain": () => {
    let c = { end: true };
    for (let i = 0; i < 5000; i++) c = { next: c };
    return c;
  },
  "4 MiB Buffer": () => Buffer.alloc(4 << 20, 7),
  "10 MB string": () => "x".repeat(10_000_000),
  "revoked Proxy": () => {
    const { proxy, revoke } = Proxy.revocable({ a: 1 }, {});
    revoke();
    return proxy;
  },
  "Proxy with throwing getPrototypeOf": () =>
    new Proxy({ a: 1 }, { getPrototypeOf() { throw new Error("getPrototypeOf trap"); } }),
  "throwing getters": () => ({
    ok: 1,
    get boom() { throw new Error("getter trap"); },
    get [Symbol.toStringTag]() { throw new Error("toStringTag trap"); },
  }),
  BigInt: () => 10n ** 30n,
  Symbol: () => Symbol("hostile"),
  function: () => function hostileFunction() {},
};

/**
 * The APIs, by name: `(v) => void` runs the call (oxeye is the Node entry); every row
 * makes exactly one capture. `options(v)` adds init options for the row.
 */
export const APIS = [
  ["captureException(v)", (v) => oxeye.captureException(v)],
  ["captureException hint {extra,tags,contexts,user,fingerprint}", (v) =>
    oxeye.captureException(new Error("with hint"), { extra: { v }, tags: { v }, contexts: { c: { v } }, user: { id: "u", v }, fingerprint: ["f", v] })],
  ["captureMessage(v)", (v) => oxeye.captureMessage(v)],
  ["captureMessage hint {extra}", (v) => oxeye.captureMessage("with hint", { level: "warning", extra: { v } })],
  ["captureEvent(v)", (v) => oxeye.captureEvent(v)],
  ["captureEvent {extra, contexts}", (v) => oxeye.captureEvent({ message: "event", extra: { v }, contexts: { c: { v } } }, { data: v })],
  ["setTag", (v) => (oxeye.setTag("k", v), oxeye.captureMessage("probe"))],
  ["setTags", (v) => (oxeye.setTags({ k: v }), oxeye.captureMessage("probe"))],
  ["setExtra", (v) => (oxeye.setExtra("k", v), oxeye.captureMessage("probe"))],
  ["setExtras", (v) => (oxeye.setExtras({ k: v, v }), oxeye.captureMessage("probe"))],
  ["setContext", (v) => (oxeye.setContext("c", { v }), oxeye.captureMessage("probe"))],
  ["setUser", (v) => (oxeye.setUser({ id: "u", data: v }), oxeye.captureMessage("probe"))],
  ["setUser(v)", (v) => (oxeye.setUser(v), oxeye.captureMessage("probe"))],
  ["scope setLevel/setFingerprint/setTransactionName", (v) => {
    const s = oxeye.getCurrentScope();
    s.setLevel(v);
    s.setFingerprint([v]);
    s.setTransactionName(v);
    oxeye.captureMessage("probe");
  }],
  ["addBreadcrumb {data}", (v) => (oxeye.addBreadcrumb({ message: "crumb", data: { v } }, { v }), oxeye.captureMessage("probe"))],
  ["addBreadcrumb(v)", (v) => (oxeye.addBreadcrumb(v), oxeye.captureMessage("probe"))],
  ["event processor returning v", (v) => (oxeye.addEventProcessor(() => v), oxeye.captureMessage("probe"))],
  ["event processor adding v", (v) => (oxeye.addEventProcessor((e) => ({ ...e, extra: { v } })), oxeye.captureMessage("probe"))],
  ["beforeSend returning v", (v) => oxeye.captureMessage("probe"), (v) => ({ beforeSend: () => v })],
  ["beforeSend adding v", (v) => oxeye.captureMessage("probe"), (v) => ({ beforeSend: (e) => ({ ...e, extra: { v }, contexts: { c: { v } } }) })],
  ["init options holding v", (v) => oxeye.captureMessage("probe"), (v) => ({ release: v, environment: v, initialScope: { tags: { v } } })],
];

/**
 * Options objects that are themselves hostile, not per value: `make(base)` returns them,
 * `base` holding the dsn and the transport, which stay readable so the row can be observed.
 */
export const OPTION_ROWS = [
  ["init options with throwing getters", (base) =>
    Object.defineProperties(Object.create(base), {
      release: { get() { throw new Error("release getter"); }, enumerable: true },
      sampleRate: { get() { throw new Error("sampleRate getter"); }, enumerable: true },
      integrations: { get() { throw new Error("integrations getter"); }, enumerable: true },
    })],
  ["init options behind a throwing Proxy", (base) =>
    new Proxy(base, {
      get(t, k) {
        if (k === "dsn" || k === "transport") return t[k];
        throw new Error(`get trap ${String(k)}`);
      },
      has() { throw new Error("has trap"); },
      ownKeys() { throw new Error("ownKeys trap"); },
      getOwnPropertyDescriptor() { throw new Error("getOwnPropertyDescriptor trap"); },
    })],
];

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

let escaped = [];
process.on("uncaughtException", (e) => escaped.push(`uncaught ${e?.name}: ${e?.message}`));
process.on("unhandledRejection", (e) => escaped.push(`unhandled rejection ${e?.name}: ${e?.message}`));

function clearScopes() {
  for (const get of [oxeye.getCurrentScope, oxeye.getIsolationScope, oxeye.getGlobalScope]) {
    try {
      get().clear();
    } catch {
      /* a broken scope shows in the row's result */
    }
  }
}

/** One run of one row; returns { ms, problems, envelopes }. */
async function runOnce(call, extraOptions, value, optionsOverride) {
  const problems = [];
  const bodies = [];
  escaped = [];
  clearScopes();
  let client;
  const base = { dsn: DSN, transport: async (req) => (bodies.push(req.body), { status: 200, headers: {} }) };
  const started = performance.now();
  try {
    if (optionsOverride) {
      // The hostile options object itself: dsn and transport must still be readable, so
      // they come from a prototype the traps do not cover.
      client = oxeye.init(optionsOverride(base));
      if (!oxeye.getClient()) problems.push("no client after init");
    } else {
      client = oxeye.init({ ...base, ...(extraOptions ? extraOptions(value) : {}) });
    }
  } catch (e) {
    problems.push(`init threw ${e?.name}: ${e?.message}`);
  }
  try {
    const out = call(value);
    if (out && typeof out.then === "function") await out;
  } catch (e) {
    problems.push(`threw ${e?.name}: ${e?.message}`);
  }
  try {
    await oxeye.flush(2000);
  } catch (e) {
    problems.push(`flush threw ${e?.name}: ${e?.message}`);
  }
  const ms = performance.now() - started;
  try {
    await oxeye.close(0);
  } catch (e) {
    problems.push(`close threw ${e?.name}: ${e?.message}`);
  }
  const largest = checkEnvelopes(bodies, problems);
  problems.push(...escaped);
  void client;
  return { ms, problems, largest };
}

async function runRow(call, extraOptions, value, optionsOverride) {
  const times = [];
  let problems = [];
  let largest = 0;
  for (let i = 0; i < RUNS; i++) {
    const r = await runOnce(call, extraOptions, typeof value === "function" ? value() : value, optionsOverride);
    times.push(r.ms);
    largest = Math.max(largest, r.largest);
    problems = [...new Set([...problems, ...r.problems])];
    if (r.ms > 1000) break; // hopelessly slow: one sample says enough
  }
  const poisoned = problems.some((p) => /RuntimeError|unsafe aliasing/.test(p));
  return { ms: median(times), problems, largest, poisoned };
}

if (parentPort && workerData) {
  const { valueName, from } = workerData;
  if (valueName === null) {
    for (let i = from; i < OPTION_ROWS.length; i++) {
      const [name, make] = OPTION_ROWS[i];
      parentPort.postMessage({ index: i, started: true });
      const r = await runRow(() => oxeye.captureMessage("probe"), undefined, undefined, make);
      parentPort.postMessage({ index: i, name, ...r });
      if (r.poisoned) process.exit(0);
    }
  } else {
    const make = VALUES[valueName];
    for (let i = from; i < APIS.length; i++) {
      const [name, call, extraOptions] = APIS[i];
      parentPort.postMessage({ index: i, started: true });
      const r = await runRow(call, extraOptions, make);
      parentPort.postMessage({ index: i, name, ...r });
      // A wasm trap leaves this thread's core unusable: later rows get a fresh worker.
      if (r.poisoned) process.exit(0);
    }
  }
  parentPort.postMessage({ done: true });
}
