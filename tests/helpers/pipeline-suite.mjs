/**
 * Test helper for the pipeline suites (Node entry, real wasm core): `setup(options)` makes
 * the default client with an in-memory transport, and every event a suite produced is
 * checked, once it has run, to be one Sentry accepts as it is; `discarded(reports)` sums
 * client reports by `reason/category`.
 */
import { after } from "node:test";
import * as oxeye from "../../dist/entrypoints/node.js";
import { captureTransport } from "./capture-transport.mjs";
import { assertValidForSentry } from "./real.mjs";

export const DSN = "http://pubkey@127.0.0.1:9/42";

/** The suite's `setup`; call once at the top of a test file. */
export function pipelineSuite() {
  const everyEvent = [];
  after(async () => {
    await assertValidForSentry(everyEvent);
  });
  return function setup(options = {}) {
    const cap = captureTransport({ seen: everyEvent });
    const client = oxeye.init({ dsn: DSN, transport: cap.transport, ...options });
    return { client, events: cap.events, reports: cap.reports };
  };
}

export function discarded(reports) {
  const out = {};
  for (const r of reports) for (const d of r.discarded_events) out[`${d.reason}/${d.category}`] = (out[`${d.reason}/${d.category}`] ?? 0) + d.quantity;
  return out;
}
