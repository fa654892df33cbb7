// `close({ discard: true })` in Node, with transports and offline stores of the app's own
// (the public `transport` and `offline: { store }` options): a retry waiting for its turn is
// never attempted again (and the debug log says what was dropped), and nothing is left in the store once `close` resolves, not even
// an envelope that was being kept again as it ran (its old copy being removed, its new one
// not yet written).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createClient } from "../dist/entrypoints/node.js";
import { createMemoryStore } from "../dist/delivery/offline.js";

const dsn = "http://k@127.0.0.1:9/1";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test("close({ discard: true }) during a retry's backoff: no attempt after it, and the debug log says what was dropped", async () => {
  let attempts = 0;
  const lines = [];
  const log = console.log;
  console.log = (...a) => lines.push(a.join(" "));
  const client = createClient({ dsn, offline: false, debug: true, transport: async () => {
      attempts++;
      throw new TypeError("fetch failed");
    }, transportOptions: { maxRetries: 5, retryBaseMs: 300 } });
  client.captureException(new Error("retried"));
  await sleep(100);
  assert.equal(attempts, 1);
  try {
    assert.equal(await client.close({ discard: true }), true);
  } finally {
    console.log = log;
  }
  assert.ok(lines.some((l) => /close\(\{ discard: true \}\): of 1 envelope\(s\) not yet delivered/.test(l)), lines.join("\n"));
  await sleep(1500);
  assert.equal(attempts, 1, "no retry after the discard");
});

test("close({ discard: true }) empties the app's store, with `clear` and without it, and keeps nothing being kept again as it runs", async () => {
  const body = new TextEncoder().encode('{"event_id":"0123456789abcdef0123456789abcdef"}\n{"type":"event"}\n{}\n');
  const url = "http://127.0.0.1:9/api/1/envelope/?sentry_key=k&sentry_version=7";
  const old = () => ({ url, body, category: 1, quantity: 1, savedAt: Date.now(), label: "old event" });

  // With `clear` (the memory store's), entries handed out or not.
  const memory = createMemoryStore();
  await memory.push(old());
  await memory.push({ ...old(), url: "http://127.0.0.1:9/api/2/envelope/?sentry_key=other&sentry_version=7" });
  const a = createClient({ dsn, offline: { store: memory }, transport: () => new Promise(() => {}), transportOptions: { maxRetries: 0 } });
  await a.ready;
  await a.close({ discard: true });
  const left = await memory.take(10);
  assert.deepEqual(left.entries.map((e) => e.url), ["http://127.0.0.1:9/api/2/envelope/?sentry_key=other&sentry_version=7"], "only another project's entry is left");

  // Without `clear`, and slow to remove: an entry whose send fails is being kept again
  // (its old copy removed, then the new one written) when the discard comes.
  const kept = new Map();
  let id = 0;
  const store = {
    async push(e) {
      kept.set(++id, e);
      e.id = id;
      return [];
    },
    async take(max) {
      const entries = [...kept.values()].filter((e) => !e.taken).slice(0, max);
      for (const e of entries) e.taken = true;
      return { entries, dropped: [] };
    },
    async remove(entries) {
      await sleep(200);
      for (const e of entries) kept.delete(e.id);
    },
    async size() {
      return kept.size;
    },
  };
  await store.push(old());
  let fail;
  const b = createClient({ dsn, offline: { store }, transport: () => new Promise((_, reject) => (fail = reject)), transportOptions: { maxRetries: 0 } });
  await b.ready;
  await sleep(100);
  assert.ok(fail, "the kept envelope is being sent");
  fail(new Error("ECONNRESET"));
  await sleep(50);
  await b.close({ discard: true });
  assert.equal(kept.size, 0, "nothing is left once close resolves");
  await sleep(400);
  assert.equal(kept.size, 0, "and nothing comes back after");
});
