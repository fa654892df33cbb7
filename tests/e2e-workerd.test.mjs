// workerd (through miniflare, offline, outbound limited to loopback): a module worker
// using oxeye's `withOxeye` reports a handled error and a crash of its fetch handler to
// a real Bugsink.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startWorker } from "./helpers/worker.mjs";
import { assertValidForSentry, byType, freshBugsink } from "./helpers/real.mjs";

let bugsink;
let mf;
const outbound = [];

before(async () => {
  bugsink = await freshBugsink();
  mf = startWorker(new URL("./workers/capture-worker.mjs", import.meta.url), {
    bindings: { SENTRY_DSN: bugsink.dsn },
    // Every outbound request of the worker goes through here: loopback only.
    onOutbound: (url) => outbound.push(url.href),
  });
});
after(async () => {
  await mf?.dispose();
  await bugsink?.stop();
});

test("workerd: a handled error and a handler crash are stored by Bugsink", async () => {
  const handled = await mf.dispatchFetch("http://worker.test/handled");
  assert.equal(handled.status, 200);
  const handledId = await handled.text();
  assert.match(handledId, /^[0-9a-f]{32}$/);
  const crash = await mf.dispatchFetch("http://worker.test/crash");
  assert.equal(crash.status, 500, "the error is rethrown: the worker's behaviour is unchanged");
  await crash.text();

  const events = await bugsink.api.waitForEvents((evs) => !!byType(evs, "RangeError") && !!byType(evs, "TypeError"));
  const h = byType(events, "RangeError");
  assert.equal(h.data.event_id, handledId);
  assert.equal(h.data.exception.values[0].value, "handled in the worker");
  assert.equal(h.data.sdk.name, "oxeye.javascript.workerd");
  assert.equal(h.data.environment, "edge");
  const c = byType(events, "TypeError");
  const ex = c.data.exception.values[0];
  assert.match(ex.value, /reading 'length'/);
  assert.deepEqual(ex.mechanism, { type: "auto.http.cloudflare", handled: false });
  const top = ex.stacktrace.frames.at(-1);
  assert.equal(top.function, "parseOrder");
  assert.match(top.filename, /capture-worker\.mjs$/);
  assert.ok(outbound.length >= 2 && outbound.every((u) => u.startsWith("http://127.0.0.1:")), outbound.join(" "));
  await assertValidForSentry(events.map((e) => e.data));
});

test("workerd: concurrent requests keep their own scope data (no state shared across requests)", async () => {
  const [a, b] = await Promise.all([
    mf.dispatchFetch("http://worker.test/user?id=alice&wait=50"),
    mf.dispatchFetch("http://worker.test/user?id=bob&wait=0"),
  ]);
  await a.text();
  await b.text();
  const events = await bugsink.api.waitForEvents((evs) => evs.filter((e) => /^request of /.test(e.data.logentry?.formatted ?? "")).length >= 2);
  for (const who of ["alice", "bob"]) {
    const ev = events.find((e) => e.data.logentry?.formatted === `request of ${who}`);
    assert.equal(ev.data.user.id, who);
    assert.equal(ev.data.tags.user_tag, who);
    assert.equal(ev.data.contexts.runtime.name, "workerd");
  }
});

test("workerd: withOxeye continues the caller's trace and names the request by its X-Request-ID", async () => {
  const trace = "771a43a4192642f0b136d5159a501700";
  const res = await mf.dispatchFetch("http://worker.test/traced", {
    headers: {
      "sentry-trace": `${trace}-b6576219fd7dcf45`,
      baggage: `other=1,sentry-trace_id=${trace},sentry-public_key=frontendkey,sentry-release=web%401`,
      "x-request-id": "req-edge-1",
    },
  });
  const { id, trace: outgoing } = await res.json();
  assert.match(outgoing["sentry-trace"], new RegExp(`^${trace}-[0-9a-f]{16}$`), "calls the worker makes continue the trace");
  // The caller's DSC, with the sample_rand made for it (it came without one).
  assert.match(outgoing.baggage, new RegExp(`^sentry-trace_id=${trace},sentry-public_key=frontendkey,sentry-release=web%401,sentry-sample_rand=0\\.\\d{6}$`));
  const events = await bugsink.api.waitForEvents((evs) => evs.some((e) => e.data.event_id === id));
  const ev = events.find((e) => e.data.event_id === id);
  assert.equal(ev.data.contexts.trace.trace_id, trace);
  assert.equal(ev.data.contexts.trace.parent_span_id, "b6576219fd7dcf45");
  assert.equal(ev.data.tags.request_id, "req-edge-1");
  await assertValidForSentry([ev.data]);
});
