// Node: a client made per request and never closed does not leak. 20,000 clients each
// capture one event and flush; the heap after a full collection is compared between the
// 2,000th and the 20,000th client. (Before: each client's report timer kept it alive,
// about 2.6 KB per client.)
import { test } from "node:test";
import assert from "node:assert/strict";
import v8 from "node:v8";
import vm from "node:vm";
import * as oxeye from "../dist/entrypoints/node.js";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc");

async function settledHeap() {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
  return process.memoryUsage().heapUsed;
}

test("Node: 20,000 per-request clients, flushed and never closed, keep the heap bounded", async () => {
  let sent = 0;
  const transport = async () => {
    sent++;
    return { status: 200, headers: {} };
  };
  const TOTAL = 20_000;
  const BASE = 2_000;
  let base = 0;
  for (let i = 0; i < TOTAL; i++) {
    const client = oxeye.createClient({ dsn: "http://key@127.0.0.1:9/1", transport });
    client.getIsolationScope().setTag("i", String(i));
    client.captureMessage("per request");
    assert.equal(await client.flush(1000), true);
    if (i === BASE - 1) base = await settledHeap();
  }
  const end = await settledHeap();
  assert.equal(sent, TOTAL);
  const perClient = (end - base) / (TOTAL - BASE);
  // A leaked client costs kilobytes; what is left is allocator noise.
  assert.ok(perClient < 300, `heap grew ${(end - base) / 1e6} MB over ${TOTAL - BASE} clients (${perClient.toFixed(0)} B each)`);
});
