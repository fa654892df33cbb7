/**
 * Test helper: wait for a condition instead of sleeping. Runs in Node and in a browser page
 * (import it from the static server as `/tests/helpers/wait.mjs`); the deadline is measured
 * with `performance.now()`, so tests that move `Date.now()` do not shorten or stretch it.
 */

/**
 * Resolves with the first truthy value `cond()` returns (it may be async), checking every
 * `intervalMs`; rejects naming `what` once `timeoutMs` has passed without one.
 */
export async function waitFor(cond, { timeoutMs = 10_000, intervalMs = 20, what = String(cond) } = {}) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await cond();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
