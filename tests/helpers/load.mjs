/**
 * Test helper for the 10,000-event delivery tests: the mixed fault schedule the fault
 * server plays, and the accounting check that every event is explained.
 */
import assert from "node:assert/strict";
import { faults } from "../../scripts/lib/fault-server.mjs";

/**
 * A fault for every request, cycling through 100-request blocks: mostly 200 (some with a
 * rate-limit header for other categories), 500, 503, connection resets, responses slower
 * than the client's 1 s timeout, 413 and 400; and every 1000 requests a rate limit of
 * 1 to 2 seconds, in turn as X-Sentry-Rate-Limits on a 429, Retry-After in seconds,
 * Retry-After as an HTTP date, and X-Sentry-Rate-Limits on a 200.
 *
 * Client reports get the same faults except a 4xx refusal: a report the server refuses as
 * invalid is dropped by the SDK by design (it never reports about reports), so its counts
 * could not be checked. 5xx, resets, timeouts and 429 do hit reports: their counts must
 * survive into a later report.
 */
export function mixedSchedule() {
  let limits = 0;
  const fault = (r) => {
    const k = r.n % 100;
    if (k < 55) return faults.ok();
    if (k < 60) return faults.ok({ headers: { "x-sentry-rate-limits": "60:transaction;span:organization" } });
    if (k < 65) return faults.status(500);
    if (k < 68) return faults.status(503);
    if (k < 73) return faults.reset();
    if (k < 75) return faults.slow(2500);
    if (k < 78) return faults.status(413);
    if (k < 80) return faults.status(400);
    if (k === 80 && Math.floor(r.n / 100) % 10 === 5) {
      switch (limits++ % 4) {
        case 0:
          return faults.rateLimited("1:error:key");
        case 1:
          return faults.retryAfter(1);
        case 2:
          return faults.retryAfter(new Date(Date.now() + 2000).toUTCString());
        default:
          return faults.rateLimited("1:error:key", 200);
      }
    }
    return faults.ok();
  };
  return (r) => {
    const f = fault(r);
    const refused = f.status >= 400 && f.status < 500 && f.status !== 429;
    return r.kind === "client_report" && refused ? faults.ok() : f;
  };
}

/** Everything fine (the final flush). */
export const okOnly = () => faults.ok();

/**
 * Asserts that acknowledged + answered-429 + reported == n for `error` items, with no
 * duplicates, only known reasons and only the `error` category; and that 413s are
 * reported (at least as many send_errors as events whose last answer was 413).
 * Returns the reported counts by reason.
 */
export function assertAllAccounted(stats, n, allowed = ["queue_overflow", "ratelimit_backoff", "send_error", "network_error", "cache_overflow"]) {
  const reasons = {};
  for (const [key, q] of Object.entries(stats.discarded)) {
    const [reason, category] = key.split("/");
    assert.equal(category, "error", `only error items were dropped: ${key}`);
    assert.ok(allowed.includes(reason), `unexpected reason ${key}`);
    reasons[reason] = (reasons[reason] ?? 0) + q;
  }
  const reported = Object.values(reasons).reduce((a, b) => a + b, 0);
  const acked = stats.acked.size;
  const limited = [...stats.rateLimited].filter((id) => !stats.acked.has(id)).length;
  assert.equal(stats.duplicates, 0, "no event was acknowledged twice");
  const detail = JSON.stringify({ acked, limited429: limited, reported, reasons, answered: stats.answered });
  assert.equal(acked + limited + reported, n, `every event explained exactly once: ${detail}`);
  const final413 = [...stats.finalStatus.values()].filter((s) => s === 413).length;
  assert.ok((reasons.send_error ?? 0) >= final413, `413s are send_errors: ${detail}`);
  return reasons;
}
