/**
 * Waiting for a condition instead of sleeping, for the test servers (a process ready to
 * answer, events stored) and the tests (tests/helpers/wait.mjs). Runs in Node and in a
 * browser page (the static server serves it as `/scripts/lib/wait.mjs`). The deadline is
 * measured with `performance.now()`, so tests that move `Date.now()` neither shorten nor
 * stretch it. A condition that throws ends the wait with its error (a process that died).
 */

/**
 * Resolves with the first truthy value `cond()` returns (it may be async), checking every
 * `intervalMs`; once `timeoutMs` has passed without one, rejects with `fail()`'s error
 * (by default one naming `what`).
 */
export async function waitFor(cond, { timeoutMs = 10_000, intervalMs = 20, what = String(cond), fail } = {}) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await cond();
    if (value) return value;
    if (performance.now() + intervalMs > deadline) throw fail?.() ?? new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * A GET of `url` as `{ ok, status }` (the body read), or undefined while nothing answers
 * there within 2 s: the probe for a server that is starting.
 */
export async function answers(url) {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await r.arrayBuffer();
    return { ok: r.ok, status: r.status };
  } catch {
    return undefined; // not listening yet
  }
}
