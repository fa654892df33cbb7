/**
 * One measurement in a fresh Node process (so SDKs never share a heap or global state):
 *
 *   node --expose-gc bench/lib/node-capture.mjs <adapter> throughput [minMs]
 *     -> { exception: {eventsPerSec, ...}, message: {...}, missing: [...] }
 *   node --expose-gc bench/lib/node-capture.mjs <adapter> memory <events>
 *     -> { checkpoints: [{ events, heapUsed, wasmMemory }], missing }
 *
 * The result is printed as one JSON line prefixed with RESULT.
 */
import { makeSink, realisticError, throughput } from "./workload.mjs";

const [adapterName, task, arg] = process.argv.slice(2);
const adapter = await import(`../adapters/${adapterName}.mjs`);

// The SDKs' debug logging and console instrumentation stay quiet.
const sink = makeSink();
const sdk = await adapter.setup(sink);

async function wasmMemoryBytes() {
  if (adapterName !== "oxeye") return null;
  // The glue module the node entry loaded (same URL, so the same instance): initSync
  // returns the already-initialised exports, memory included.
  const glue = await import(new URL("../../dist/core/core.js", import.meta.url).href);
  const exports = glue.initSync({ module: new Uint8Array(0) });
  return exports.memory.buffer.byteLength;
}

function heapUsed() {
  globalThis.gc?.();
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
}

let result;
if (task === "throughput") {
  const minMs = Number(arg) || 1500;
  const exception = await throughput(sdk, sink, "exception", { minMs });
  const message = await throughput(sdk, sink, "message", { minMs });
  result = { exception, message, missing: sdk.missing };
} else if (task === "memory") {
  const total = Number(arg) || 100_000;
  const marks = [0, 1000, 10_000, 25_000, 50_000, 75_000, 100_000].filter((m) => m <= total);
  const checkpoints = [];
  let i = 0;
  const batch = 25;
  const t0 = performance.now();
  for (const mark of marks) {
    while (i < mark) {
      const target = sink.count + batch;
      for (let j = 0; j < batch; j++) sdk.captureException(realisticError(i++));
      await sink.until(target);
    }
    await new Promise((r) => setTimeout(r, 0));
    checkpoints.push({ events: i, heapUsed: heapUsed(), wasmMemory: await wasmMemoryBytes(), rss: process.memoryUsage().rss });
  }
  result = { checkpoints, ms: performance.now() - t0, delivered: sink.count, missing: sdk.missing };
} else {
  throw new Error(`unknown task ${task}`);
}
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
process.exit(0);
