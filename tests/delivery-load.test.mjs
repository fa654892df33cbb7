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
import { allExplained, assertAllAccounted, assertBounded, mixedSchedule, outagePlan } from "./helpers/load.mjs";
import { waitFor } from "./helpers/wait.mjs";

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
    stdio: ["pipe", "pipe", "inherit"],
  });
  child.stdin.on("error", () => {}); // the child may be gone already
  let summary;
  let buffered = "";
  const plan = outagePlan(server);
  const lines = (async () => {
    for await (const chunk of child.stdout) {
      buffered += chunk;
      let nl;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        await plan(line);
        if (line === "flushed") {
          waitFor(() => allExplained(server.stats(), N), { timeoutMs: 30_000, what: "every event explained" })
            .then(() => child.stdin.write("explained\n"))
            .catch(() => child.stdin.end());
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

  const bounded = assertBounded(summary, summary.bufferSize);
  t.diagnostic(`Node load: ${JSON.stringify({ reasons, ...bounded, requests: server.stats().requests })}`);
});
