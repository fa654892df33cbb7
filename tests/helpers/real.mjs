/**
 * Test helper shared by the end-to-end suites: a fresh Bugsink per suite, the assertion
 * that events pass Sentry's own normaliser (sentry-relay) with no errors, and selectors
 * of stored events.
 */
import assert from "node:assert/strict";
import { startBugsink } from "../../scripts/lib/bugsink.mjs";
import { normalizeEvents } from "../../scripts/lib/relay.mjs";
import { startBackend } from "../../scripts/lib/backend.mjs";

/** Starts a Bugsink on 127.0.0.1 in a temp dir that validates events strictly. */
export function freshBugsink() {
  return startBugsink({ validation: "strict" });
}

/**
 * The real parts of one trace from a page to its backend: a fresh Bugsink, the Python
 * backend with Sentry's SDK reporting to it (release `shop-api@2.0.0`), and `serverOxeye`
 * (oxeye's Node entry, which renders a server-rendered page's meta tags) initialised for
 * it (release `shop-ssr@1.0.0`), all in environment `e2e`. `stop()` ends the three.
 */
export async function startTraceParts(serverOxeye) {
  const bugsink = await freshBugsink();
  const backend = await startBackend({ dsn: bugsink.dsn, release: "shop-api@2.0.0", environment: "e2e" });
  serverOxeye.init({ dsn: bugsink.dsn, release: "shop-ssr@1.0.0", environment: "e2e" });
  return {
    bugsink,
    backend,
    async stop() {
      await serverOxeye.close(2000);
      await backend.stop();
      await bugsink.stop();
    },
  };
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

/** Stored events sent by oxeye (any of its SDK names). */
export const oxeyeEvents = (events) => events.filter((e) => e.data.sdk?.name?.startsWith("oxeye."));

/** Stored events sent by the Python backend (the official sentry-sdk). */
export const pythonEvents = (events) => events.filter((e) => e.data.platform === "python");

/** The value of a stored event's outermost exception, "" without one. */
export const errorValue = (e) => e.data.exception?.values?.at(-1)?.value ?? "";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * Asserts that a page's error (`web`, an unhandled rejection) and the backend's error
 * (`py`) are about one failed GET of `path`: the same trace, the backend's parent span the
 * page's span, one request id (a UUID) as the tag of both, and that request as the page
 * error's breadcrumb (status 500, level error, its duration). Returns the breadcrumb.
 */
export function assertSameFailedRequest(web, py, path) {
  assert.equal(web.data.contexts.trace.trace_id, py.data.contexts.trace.trace_id);
  assert.equal(py.data.contexts.trace.parent_span_id, web.data.contexts.trace.span_id, "the backend's parent span is the page's span");
  assert.match(web.data.tags.request_id, UUID);
  assert.equal(web.data.tags.request_id, py.data.tags.request_id, "one request id, on both errors");
  assert.equal(web.data.exception.values.at(-1).mechanism.type, "auto.browser.global_handlers.onunhandledrejection");
  const crumb = web.data.breadcrumbs.values.find((c) => c.category === "fetch" && c.data.url.endsWith(path));
  assert.deepEqual(
    { method: crumb.data.method, status_code: crumb.data.status_code, request_id: crumb.data.request_id, level: crumb.level },
    { method: "GET", status_code: 500, request_id: web.data.tags.request_id, level: "error" },
  );
  assert.equal(typeof crumb.data.duration_ms, "number");
  return crumb;
}
