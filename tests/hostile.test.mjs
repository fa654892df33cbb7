// Hostile values through every public API of the Node entry (dist/entrypoints/node.js). Values:
// cyclic, a shared graph of 100 users referencing each other, a 5,000-deep chain, a 4 MiB
// Buffer, a 10 MB string, a revoked Proxy, a Proxy whose getPrototypeOf throws, throwing
// getters, BigInt, Symbol, a function. APIs: captureException/Message/Event with and
// without hints, every scope setter, addBreadcrumb, event processors and beforeSend
// returning or adding the value, init options holding it; plus init options that are
// themselves hostile (throwing getters, a throwing Proxy).
//
// Each row runs in a worker thread (tests/helpers/hostile-worker.mjs), so a crash or a
// hang fails that row alone. A row passes when nothing is thrown into the app, the call
// and its flush take under 50 ms (median of a few runs; on a machine so loaded that the
// same API with a plain value takes over 2.5 ms, the bound is 20 times that instead),
// every envelope parses and is under 1 MiB, and the row's one capture was sent or
// counted in a client report.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Worker } from "node:worker_threads";
import { APIS, OPTION_ROWS, VALUES } from "./helpers/hostile-worker.mjs";

const WORKER = new URL("./helpers/hostile-worker.mjs", import.meta.url);
/** A row still running after this is a hang: the worker is stopped. */
const ROW_DEADLINE_MS = 10_000;
const BUDGET_MS = 50;
const BASELINE_FACTOR = 20;


/** Runs rows `from`… for one value (null: the option rows) in workers; one result per row. */
async function runValue(valueName, count) {
  const results = new Array(count);
  let from = 0;
  while (from < count) {
    from = await new Promise((resolve) => {
      const worker = new Worker(WORKER, { workerData: { valueName, from }, resourceLimits: { maxOldGenerationSizeMb: 2048 } });
      let current = from;
      let inRow = false;
      let timer;
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          results[current] = { problems: [`no answer within ${ROW_DEADLINE_MS} ms (hang)`], ms: Infinity };
          worker.terminate();
        }, ROW_DEADLINE_MS);
      };
      let finished = false;
      const end = (next) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        resolve(next);
      };
      worker.on("message", (m) => {
        if (m.done) return end(count);
        if (m.started) {
          current = m.index;
          inRow = true;
          return arm();
        }
        results[m.index] = m;
        inRow = false;
        current = m.index + 1;
      });
      worker.on("error", (e) => {
        if (inRow) results[current] ??= { problems: [`the worker crashed: ${e?.name}: ${e?.message}`], ms: Infinity };
      });
      worker.on("exit", (code) => {
        if (inRow) {
          results[current] ??= { problems: [`the worker exited with ${code}`], ms: Infinity };
          current += 1;
        }
        end(current);
      });
      arm();
    });
  }
  return results;
}

const rows = [];
let baseline = [];
for (const valueName of Object.keys(VALUES)) {
  const results = await runValue(valueName, APIS.length);
  if (valueName === "plain") baseline = results.map((r) => r.ms);
  APIS.forEach(([api], i) => {
    const limit = Math.max(BUDGET_MS, BASELINE_FACTOR * (Number.isFinite(baseline[i]) ? baseline[i] : 0));
    rows.push({ ...results[i], name: `${valueName} × ${api}`, limit });
  });
}
const optionResults = await runValue(null, OPTION_ROWS.length);
OPTION_ROWS.forEach(([name], i) => rows.push({ ...optionResults[i], name, limit: BUDGET_MS }));

// OXEYE_HOSTILE_DUMP=<file>: every row's result as JSON, to review what fails and why.
if (process.env.OXEYE_HOSTILE_DUMP) {
  const { writeFileSync } = await import("node:fs");
  writeFileSync(process.env.OXEYE_HOSTILE_DUMP, JSON.stringify(rows, (k, v) => (v === Infinity ? "Infinity" : v), 1));
}

for (const row of rows) {
  test(row.name, () => {
    assert.deepEqual(row.problems, [], "no exception, valid envelopes under 1 MiB, nothing lost uncounted");
    assert.ok(row.ms < row.limit, `median ${row.ms.toFixed(1)} ms for the call and its flush (bound ${row.limit.toFixed(0)} ms)`);
  });
}
