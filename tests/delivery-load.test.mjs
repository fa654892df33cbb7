// 10,000 events from Node under a mixed fault schedule: every event is either acknowledged
// by the server, answered 429 (which the server counts itself, as Relay does), or counted
// in a client report with the right reason. Nothing is unexplained, and the SDK's pending
// work and memory stay bounded throughout. The SDK runs in a child process so its heap is
// measured alone.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startFaultServer } from "../scripts/lib/fault-server.mjs";
import { assertAllAccounted, mixedSchedule, okOnly } from "./helpers/load.mjs";

let server;
before(async () => {
  server = await startFaultServer();
});
after(async () => {
  await server?.close();
});

test("Node: 10,000 events under mixed faults, zero unexplained, bounded memory and pending work", { timeout: 90_000 }, async (t) => {
  const N = 10_000;
  server.respond = mixedSchedule();
  const script = fileURLToPath(new URL("./fixtures/delivery-load.mjs", import.meta.url));
  const child = spawn(process.execPath, ["--expose-gc", script], {
    env: { ...process.env, OXEYE_LOAD_DSN: server.dsn, OXEYE_LOAD_N: String(N) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let summary;
  let buffered = "";
  const outages = [];
  const lines = (async () => {
    for await (const chunk of child.stdout) {
      buffered += chunk;
      let nl;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        // Two network outages (connections refused) while the events are being sent.
        if (line === "sent 3000" || line === "sent 7000") outages.push(server.setOffline(true));
        if (line === "sent 4000" || line === "sent 8000") outages.push(server.setOffline(false));
        if (line === "flushing") {
          await Promise.all(outages);
          await server.setOffline(false);
          server.respond = okOnly;
        }
        if (line.startsWith("{")) summary = JSON.parse(line);
      }
    }
  })();
  const code = await new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 80_000);
    child.on("exit", (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  await lines;
  assert.equal(code, 0);
  assert.ok(summary, "the child printed its summary");
  assert.equal(summary.first, true, "flush resolved true");
  assert.equal(summary.second, true);
  assert.equal(summary.pending, 0);

  const reasons = assertAllAccounted(server.stats(), N);
  for (const r of ["queue_overflow", "ratelimit_backoff", "send_error", "network_error"]) {
    assert.ok(reasons[r] > 0, `the schedule produced ${r}: ${JSON.stringify(reasons)}`);
  }

  const MB = 1024 * 1024;
  assert.ok(summary.max.pending <= summary.bufferSize + 3, `pending peaked at ${summary.max.pending}`);
  // Baseline: the live heap once sending is under way (fetch and its connection pool are
  // loaded lazily by the first request), then it must stay flat.
  const samples = summary.heapSamples;
  const warm = Math.min(...samples.slice(1, 4));
  const growth = (summary.max.heap - warm) / MB;
  const shown = samples.map((h) => (h / MB).toFixed(1)).join(" ");
  assert.ok(growth < 8, `live heap grew by ${growth.toFixed(1)} MB while sending: ${shown}`);
  assert.ok((summary.end.heap - warm) / MB < 2, `nothing is retained once delivery is done: ${shown}`);
  assert.ok(summary.max.wasm <= 8 * MB, `wasm memory peaked at ${summary.max.wasm / MB} MB`);
  t.diagnostic(`Node load: ${JSON.stringify({ reasons, sendMs: summary.sendMs, maxPending: summary.max.pending, liveHeapGrowthMB: +growth.toFixed(1), wasmMB: summary.max.wasm / MB, requests: server.stats().requests })}`);
});
