// One scenario per team write-up in shared/seeds (000–004): that team's configuration
// reproduced with oxeye in Node, and what their write-up says must (or must not) arrive,
// asserted on the events a real Bugsink stored. Every stored event passes Relay's normaliser.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as oxeye from "../dist/entrypoints/node.js";
import { assertValidForSentry, freshBugsink } from "./helpers/real.mjs";
import { startBackend } from "../scripts/lib/backend.mjs";

let bugsink;
before(async () => {
  bugsink = await freshBugsink();
});
after(async () => {
  await bugsink?.stop();
});

const find = (events, text) => events.find((e) => (e.data.logentry?.formatted ?? e.data.exception?.values?.at(-1)?.value) === text);

test("seed 000: data-bearing events arrive whether extras are set one by one or in bulk", async () => {
  oxeye.init({ dsn: bugsink.dsn, release: "sensor@1.0.0" });
  // The logger's fail-open wrapper: one code path for events with and without data.
  function emit(code, message, data) {
    oxeye.withScope((scope) => {
      scope.setLevel("info").setTag("event_code", code);
      if (data) scope.setExtras(data);
      oxeye.captureMessage(message);
    });
  }
  emit("CFG.CB.003", "Config circuit breaker CLOSED");
  emit("TRACE.CAPTURE.001", "Traffic captured", { host: "grok.com", method: "POST", path: "/rest/app-chat" });
  oxeye.withScope((scope) => {
    scope.setTag("event_code", "TRACE.WRITE.001").setExtra("bytes", 2048).setExtra("file", "traces.jsonl");
    oxeye.captureMessage("Trace written");
  });
  assert.equal(await oxeye.flush(5000), true);
  const events = await bugsink.api.waitForEvents((evs) => evs.length >= 3);
  assert.equal(find(events, "Config circuit breaker CLOSED").data.tags.event_code, "CFG.CB.003");
  const capture = find(events, "Traffic captured");
  assert.deepEqual(capture.data.extra, { host: "grok.com", method: "POST", path: "/rest/app-chat" });
  assert.deepEqual(find(events, "Trace written").data.extra, { bytes: 2048, file: "traces.jsonl" });
  await assertValidForSentry(events.map((e) => e.data));
});

test("seed 001: user, request id, business tags and a breadcrumb trail arrive; a 404 does not", async () => {
  oxeye.init({ dsn: bugsink.dsn, release: "podcast@2.0.0", maxBreadcrumbs: 100 });
  const before = (await bugsink.api.allEvents()).length;
  class HttpError extends Error {
    constructor(status, message) {
      super(message);
      this.name = "HttpError";
      this.status = status;
    }
  }
  await oxeye.withIsolationScope(async () => {
    oxeye.setUser({ id: "user-123", email: "host@example.com", username: "host" });
    oxeye.setTags({ request_id: "req-abc-def", podcast_id: "pod-7", action: "upload" });
    oxeye.addBreadcrumb({ category: "request", message: "POST /api/media/upload", data: { method: "POST" } });
    oxeye.addBreadcrumb({ category: "validation", message: "audio validated" });
    oxeye.addBreadcrumb({ category: "gcs", message: "upload attempt", level: "warning" });
    oxeye.captureException(new HttpError(404, "episode not found"));
    oxeye.captureException(new HttpError(500, "GCS upload failed"));
  });
  assert.equal(await oxeye.flush(5000), true);
  const events = (await bugsink.api.waitForEvents((evs) => evs.length >= before + 1)).slice(before);
  assert.equal(events.length, 1, "only the 5xx is stored");
  const ev = events[0].data;
  assert.equal(ev.exception.values[0].value, "GCS upload failed");
  assert.equal(ev.user.id, "user-123");
  assert.equal(ev.tags.request_id, "req-abc-def");
  assert.equal(ev.tags.podcast_id, "pod-7");
  assert.deepEqual(ev.breadcrumbs.values.map((b) => b.message), ["POST /api/media/upload", "audio validated", "upload attempt"]);
  assert.equal(ev.contexts.response.status_code, 500);
  await assertValidForSentry([ev]);
});

test("seed 002: environment detected from the host, per-environment defaults, error_type and user_role tags", async () => {
  const environments = { development: { sampleRate: 1, debug: false }, production: { sampleRate: 1 } };
  const client = oxeye.init({ dsn: bugsink.dsn, hostname: "proximity.local", environments, release: "0.1.0" });
  assert.equal(client.environment, "development");
  oxeye.setTag("user_role", "admin");
  oxeye.captureException(new Error("Proxmox API unreachable"), { tags: { error_type: "proxmox" } });
  assert.equal(await oxeye.flush(5000), true);
  const events = await bugsink.api.waitForEvents((evs) => !!find(evs, "Proxmox API unreachable"));
  const ev = find(events, "Proxmox API unreachable").data;
  assert.equal(ev.environment, "development");
  assert.equal(ev.tags.error_type, "proxmox");
  assert.equal(ev.tags.user_role, "admin");
  await assertValidForSentry([ev]);
});

test("seed 003: environment variables configure the SDK", async () => {
  const env = { SENTRY_DSN: bugsink.dsn, SENTRY_ENVIRONMENT: "production", SENTRY_RELEASE: "mina@1.0.0", SENTRY_SAMPLE_RATE: "1" };
  oxeye.init({ env });
  oxeye.setUser({ id: "u-42", email: "speaker@example.com" });
  oxeye.setTag("meeting_id", "m-123");
  oxeye.setTag("transcription_model", "whisper-1");
  oxeye.setContext("meeting", { id: "m-123", participants: 4 });
  oxeye.captureMessage("User exceeded rate limit", "warning");
  assert.equal(await oxeye.flush(5000), true);
  const events = await bugsink.api.waitForEvents((evs) => !!find(evs, "User exceeded rate limit"));
  const ev = find(events, "User exceeded rate limit").data;
  assert.equal(ev.release, "mina@1.0.0");
  assert.equal(ev.environment, "production");
  assert.equal(ev.level, "warning");
  assert.equal(ev.tags.meeting_id, "m-123");
  assert.deepEqual(ev.contexts.meeting, { id: "m-123", participants: 4 });
  await assertValidForSentry([ev]);
});

test("seed 004: a frontend error and the backend error behind it share trace_id and request_id", async () => {
  // Their gap: "no error correlation between frontend and backend, no shared request
  // context". Backend: Sentry's Python SDK; frontend: oxeye propagating to it.
  const backend = await startBackend({ dsn: bugsink.dsn, release: "netra-backend@1.0.0", environment: "staging" });
  try {
    oxeye.init({ dsn: bugsink.dsn, release: "netra-frontend@1.0.0", environment: "staging", tracePropagationTargets: [backend.url] });
    oxeye.setUser({ id: "user-1138" });
    const res = await fetch(`${backend.url}/api/fail`);
    if (!res.ok) oxeye.captureException(new Error(`agent run failed: HTTP ${res.status}`));
    assert.equal(await oxeye.flush(5000), true);
    const value = (e) => e.data.exception?.values?.at(-1)?.value ?? "";
    const events = await bugsink.api.waitForEvents(
      (evs) => evs.some((e) => value(e) === "agent run failed: HTTP 500") && evs.some((e) => e.data.platform === "python"),
      { timeoutMs: 15_000 },
    );
    const front = events.find((e) => value(e) === "agent run failed: HTTP 500");
    const back = events.find((e) => e.data.platform === "python");
    assert.equal(front.data.contexts.trace.trace_id, back.data.contexts.trace.trace_id);
    assert.equal(front.data.tags.request_id, back.data.tags.request_id);
    assert.equal(front.data.tags.request_id, res.headers.get("x-request-id"));
    assert.equal(front.data.user.id, "user-1138");
    await assertValidForSentry([front.data]);
  } finally {
    await oxeye.close(1000);
    await backend.stop();
  }
});
