/**
 * Test helper for the 10,000-event delivery tests, run by the SDK's side of both: the Node
 * child (tests/fixtures/delivery-load.mjs) and the Chromium page (imported from the static
 * server as `/tests/helpers/load-driver.mjs`), so it uses nothing but timers.
 *
 * Captures `n` events in bursts of 50, one burst every 40 ms (the pace of a busy app, not a
 * wait for anything), while sampling the SDK's pending work every 20 ms and live memory
 * every 250 ms; reports progress (`sent <n>` every 1000 events, then `flushing`) so the
 * test can time its outages; then lets `settle()` flush, and returns one summary.
 */
const BURST = 50;
const PACE_MS = 40;

/**
 * The client options of both load tests: a small buffer, quick retries, and a request
 * timeout of 3 s: short enough that the schedule's 6 s answers time out, long enough that
 * a busy machine never times out an answer that was sent at once (which would then be
 * acknowledged twice).
 */
export const LOAD_OPTIONS = {
  // The load tests delivery under faults, not a page's storm budget: no events-per-minute limit.
  transportOptions: { bufferSize: 32, maxRetries: 2, retryBaseMs: 20, retryMaxMs: 200, timeoutMs: 3000, maxEventsPerMinute: 1e9 },
  clientReportFlushInterval: 300,
};

/**
 * `capture(i)` sends event i; `pending()` is the SDK's pending work; `memory()` is
 * `{ heap, wasm }` in bytes (live heap after a forced GC); `progress(line)` may be async;
 * `settle()` returns `{ first, second, … }` (the flush results and anything else to report).
 */
export async function driveLoad({ n, capture, pending, memory, progress, settle }) {
  const start = memory();
  const max = { pending: 0, heap: start.heap, wasm: start.wasm };
  const heapSamples = [];
  const sample = () => {
    const m = memory();
    heapSamples.push(m.heap);
    max.heap = Math.max(max.heap, m.heap);
    max.wasm = Math.max(max.wasm, m.wasm);
  };
  const notePending = () => (max.pending = Math.max(max.pending, pending()));
  const pendingSampler = setInterval(notePending, 20);
  const sampler = setInterval(sample, 250);
  const t0 = Date.now();
  for (let i = 0; i < n; i += BURST) {
    for (let j = i; j < Math.min(n, i + BURST); j++) {
      capture(j);
      notePending();
    }
    if ((i + BURST) % 1000 === 0) await progress(`sent ${i + BURST}`);
    await new Promise((resolve) => setTimeout(resolve, PACE_MS));
  }
  const sendMs = Date.now() - t0;
  await progress("flushing");
  const settled = await settle();
  clearInterval(sampler);
  clearInterval(pendingSampler);
  sample();
  return { ...settled, n, sendMs, start, end: memory(), max, heapSamples, pending: pending() };
}
