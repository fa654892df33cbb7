/**
 * Test helper for the 10,000-event delivery tests, run by the test's side of both: the
 * mixed fault schedule the fault server plays, the two outages, the condition "every event
 * is explained" the SDK's side waits for, and the checks on accounting, pending work and
 * memory. The SDK's side of the load is tests/helpers/load-driver.mjs.
 */
import assert from "node:assert/strict";
import { faults } from "../../scripts/lib/fault-server.mjs";

/**
 * A fault for every request, cycling through 100-request blocks: mostly 200 (some with a
 * rate-limit header for other categories), 500, 503, connection resets, responses slower
 * than the client's 3 s timeout (LOAD_OPTIONS), 413 and 400; and every 1000 requests a rate limit of
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
    if (k < 75) return faults.slow(6000);
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

/**
 * What the SDK's side reports as it goes (see load-driver.mjs), answered with the test's
 * side of the load: two outages (connections refused) while the events are being sent,
 * from 3000 to 4000 and from 7000 to 8000 events, and a server that only answers 200 once
 * the flush begins.
 */
export function outagePlan(server) {
  const outages = [];
  return async (line) => {
    if (line === "sent 3000" || line === "sent 7000") outages.push(server.setOffline(true));
    if (line === "sent 4000" || line === "sent 8000") outages.push(server.setOffline(false));
    if (line === "flushing") {
      await Promise.all(outages);
      await server.setOffline(false);
      server.respond = okOnly;
    }
  };
}

/**
 * Whether every one of `n` events is explained at the server: acknowledged, answered 429,
 * or counted in a client report it acknowledged (an answer lost on the way can make an
 * event both, so the sum may exceed n). What the SDK's side waits for before its last
 * flush: rate limits still in force hold reports back until they end.
 */
export function allExplained(stats, n) {
  const reported = Object.values(stats.discarded).reduce((a, b) => a + b, 0);
  const limited = [...stats.rateLimited].filter((id) => !stats.acked.has(id)).length;
  return stats.acked.size + limited + reported >= n;
}

/**
 * Asserts that pending work stayed within the buffer, the live heap stayed flat once
 * sending was under way (its baseline: the lowest of the first samples, after fetch and its
 * connection pool have loaded) and kept nothing once delivery was done, and wasm memory
 * stayed small. Returns the numbers for the test's diagnostic line.
 */
export function assertBounded(summary, bufferSize) {
  const MB = 1024 * 1024;
  const samples = summary.heapSamples;
  const warm = Math.min(...samples.slice(1, 4));
  const growth = (summary.max.heap - warm) / MB;
  const shown = samples.map((h) => (h / MB).toFixed(1)).join(" ");
  assert.ok(summary.max.pending <= bufferSize + 3, `pending peaked at ${summary.max.pending}`);
  assert.ok(growth < 8, `live heap grew by ${growth.toFixed(1)} MB while sending: ${shown}`);
  assert.ok((summary.end.heap - warm) / MB < 2, `nothing is retained once delivery is done: ${shown}`);
  assert.ok(summary.max.wasm <= 8 * MB, `wasm memory peaked at ${summary.max.wasm / MB} MB`);
  return { sendMs: summary.sendMs, maxPending: summary.max.pending, liveHeapGrowthMB: +growth.toFixed(1), wasmMB: summary.max.wasm / MB };
}

/** One event's requests as `#n outcome +ms`, for failure messages. */
export function history(id, list) {
  return `${id}: ${list.map((a) => `#${a.n} ${a.outcome} +${a.at - list[0].at}ms`).join(", ")}`;
}

/** Everything fine (the final flush). */
export const okOnly = () => faults.ok();

/**
 * Per event id (Chromium): `captured` are the ids the app got back, `counted` maps an id to
 * the reason the SDK counted it under (from its debug log). Asserts that every captured
 * event was acknowledged, answered 429, or counted; that no event was counted twice; that
 * the client reports carried exactly the counts decided per event; and that an event both
 * acknowledged and counted, or acknowledged twice, is one whose answer never reached the
 * page: the server acknowledged it and then saw it again, or acknowledged its last attempt
 * while the page, seeing no answer, counted a network error. Returns those ids.
 */
export function assertEachAccounted(stats, { captured, counted, countedTwice, n }) {
  assert.equal(captured.size, n, "every capture returned an id");
  const unexplained = [...captured].filter((id) => !stats.acked.has(id) && !stats.rateLimited.has(id) && !counted.has(id));
  assert.deepEqual(unexplained.slice(0, 5), [], `${unexplained.length} event(s) unexplained`);
  assert.deepEqual(countedTwice, [], "no event was counted twice");
  const perReason = {};
  for (const reason of counted.values()) perReason[`${reason}/error`] = (perReason[`${reason}/error`] ?? 0) + 1;
  assert.deepEqual(stats.discarded, perReason, "the client reports carried exactly the per-event decisions");
  const answerLost = (id) => {
    const list = stats.attempts.get(id) ?? [];
    const first = list.findIndex((a) => a.outcome === 200);
    return first >= 0 && first < list.length - 1;
  };
  // An answer can also be lost without a later attempt: the server acknowledged a request
  // and the page, never seeing that answer, gave up on it (network_error) or, about to retry
  // it, found a rate limit in force (ratelimit_backoff). The page cannot know; the count is honest.
  const lastAnswerLost = (id) => {
    const list = stats.attempts.get(id) ?? [];
    return ["network_error", "ratelimit_backoff"].includes(counted.get(id)) && list.some((a) => a.outcome === 200);
  };
  const both = [...counted.keys()].filter((id) => stats.acked.has(id));
  const wrong = both.filter((id) => !answerLost(id) && !lastAnswerLost(id));
  assert.deepEqual(
    wrong,
    [],
    `acknowledged and counted only when the answer was lost: ${wrong.slice(0, 3).map((id) => `${history(id, stats.attempts.get(id))} counted ${counted.get(id)}`).join("; ")}`,
  );
  const lost = [...new Set([...[...stats.acked].filter(answerLost), ...both.filter(lastAnswerLost)])];
  const twice = [...stats.attempts].filter(([, list]) => list.filter((a) => a.outcome === 200).length > 1).map(([id]) => id);
  assert.deepEqual(twice.filter((id) => !answerLost(id)), [], "acknowledged twice only when the answer was lost");
  return lost;
}

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
  const twice = [...stats.attempts].filter(([, list]) => list.filter((a) => a.outcome === 200).length > 1);
  assert.equal(stats.duplicates, 0, `no event was acknowledged twice: ${twice.slice(0, 3).map(([id, list]) => history(id, list)).join("; ")}`);
  const detail = JSON.stringify({ acked, limited429: limited, reported, reasons, answered: stats.answered });
  assert.equal(acked + limited + reported, n, `every event explained exactly once: ${detail}`);
  const final413 = [...stats.finalStatus.values()].filter((s) => s === 413).length;
  assert.ok((reasons.send_error ?? 0) >= final413, `413s are send_errors: ${detail}`);
  return reasons;
}
