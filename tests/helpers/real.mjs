/**
 * Test helper shared by the end-to-end suites: a fresh Bugsink per suite, and the
 * assertion that events pass Sentry's own normaliser (sentry-relay) with no errors.
 */
import assert from "node:assert/strict";
import { startBugsink } from "../../scripts/lib/bugsink.mjs";
import { normalizeEvents } from "../../scripts/lib/relay.mjs";

/** Starts a Bugsink on 127.0.0.1 in a temp dir that validates events strictly. */
export function freshBugsink() {
  return startBugsink({ validation: "strict" });
}

/** Asserts every event passes `StoreNormalizer.normalize_event` with an empty `errors` list. */
export async function assertValidForSentry(events) {
  assert.ok(events.length > 0, "no events to check");
  const results = await normalizeEvents(events);
  results.forEach((r, i) => {
    assert.deepEqual(r.errors, [], `event ${events[i]?.event_id} has normaliser errors: ${JSON.stringify(r.errors)}`);
  });
  return results;
}

/** Finds the stored event whose first exception has the given type. */
export function byType(events, type) {
  return events.find((e) => e.data?.exception?.values?.at(-1)?.type === type);
}
