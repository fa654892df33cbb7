// Delivery's bounded send buffer in Node, against the fault-injecting server
// (scripts/lib/fault-server.mjs): overflow is counted as `queue_overflow` and the buffer
// never holds more than `bufferSize` envelopes; session envelopes have a buffer of their
// own, so many sessions started quickly never crowd out an error.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as oxeye from "../dist/entrypoints/node.js";
import { Category } from "../dist/core/enums.js";
import { faults, startFaultServer } from "../scripts/lib/fault-server.mjs";
import { discardedOf, startFaulted } from "./helpers/fault-client.mjs";

let server;
before(async () => {
  server = await startFaultServer();
});
after(async () => {
  await oxeye.close(0);
  await server?.close();
});

const start = (respond, options) => startFaulted(server, respond, options);
const discardedSince = (from) => discardedOf(server, from);

test("the buffer is bounded: overflow is counted as queue_overflow, pending never exceeds it", async () => {
  const from = { ...server.stats().discarded };
  const s = start((r) => (r.kind === "event" ? faults.slow(100) : faults.ok()), { transportOptions: { bufferSize: 5 } });
  const delivery = s.client["engine"]["delivery"];
  let maxPending = 0;
  for (let i = 0; i < 20; i++) {
    oxeye.captureMessage(`burst ${i}`);
    maxPending = Math.max(maxPending, delivery.pending);
  }
  assert.equal(maxPending, 5);
  assert.equal(await oxeye.flush(3000), true);
  assert.equal(delivery.pending, 0);
  assert.deepEqual(discardedSince(from), { "queue_overflow/error": 15 });
  assert.equal(s.requests().filter((r) => r.kind === "event").length, 5);
});

test("session envelopes have a buffer of their own: a page starting many sessions quickly never crowds out its errors", async () => {
  const from = { ...server.stats().discarded };
  const s = start(() => faults.slow(150), { transportOptions: { bufferSize: 5 } });
  await s.client.ready;
  const delivery = s.client["engine"]["delivery"];
  const dsn = new URL(server.dsn);
  const url = `${dsn.origin}/api${dsn.pathname}/envelope/?sentry_key=${dsn.username}&sentry_version=7`;
  const session = (i) =>
    new TextEncoder().encode(`{"sent_at":"2026-01-01T00:00:00.000Z"}\n{"type":"session"}\n{"sid":"${String(i).padStart(32, "0")}","init":true,"status":"ok","errors":0,"started":"2026-01-01T00:00:00.000Z","timestamp":"2026-01-01T00:00:00.000Z","attrs":{"release":"storm@1"}}\n`);
  // A URL rewritten at every scroll step: a session ended and one started each time.
  for (let i = 0; i < 8; i++) delivery.send(url, session(i), `session ${i}`, Category.Session, 1);
  const id = oxeye.captureMessage("checkout failed", "error");
  assert.equal(await oxeye.flush(5000), true);
  assert.ok(s.requests().some((r) => r.kind === "event" && r.eventId === id), "the error after the sessions is sent");
  assert.equal(s.requests().filter((r) => r.kind === "other").length, 5, "sessions beyond their own buffer are dropped");
  assert.deepEqual(discardedSince(from), { "queue_overflow/session": 3 });
});
