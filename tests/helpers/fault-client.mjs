/**
 * Test helper: the default Node client of oxeye against the fault-injecting server
 * (scripts/lib/fault-server.mjs), as the delivery suites drive it: `start` makes a fresh
 * default client (short retries and timeout) whose requests the server answers with
 * `respond`, and `discardedSince` sums the client reports the server acknowledged.
 */
import * as oxeye from "../../dist/entrypoints/node.js";

const FAST = { retryBaseMs: 20, retryMaxMs: 80, timeoutMs: 400 };

/** A fresh default client against `server`, answering with `respond`; `requests()` are those it sent. */
export function startFaulted(server, respond, options = {}) {
  server.respond = respond;
  const before = server.stats().requests;
  const client = oxeye.init({
    dsn: server.dsn,
    ...options,
    transportOptions: { ...FAST, ...options.transportOptions },
  });
  return { client, requests: () => server.requests.filter((r) => r.n >= before) };
}

/** Sums the discarded_events of the client reports `server` acknowledged since `from` (a copy of `server.stats().discarded`). */
export function discardedOf(server, from) {
  const out = {};
  for (const [k, v] of Object.entries(server.stats().discarded)) {
    const d = v - (from[k] ?? 0);
    if (d) out[k] = d;
  }
  return out;
}
