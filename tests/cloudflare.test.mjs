// Cloudflare Workers (miniflare, offline, outbound limited to loopback): `oxeye/cloudflare`
// wraps every handler of a module worker and a Durable Object, hands the real ctx to the
// handler, continues the caller's trace and request id, and never turns a setup problem
// into a 500. Asserted on the envelopes a local capture server receives.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { startWorker } from "./helpers/worker.mjs";
import { startCaptureServer } from "./helpers/capture-server.mjs";

let cap;
let echo;
let echoUrl;
const echoed = [];
const outbound = [];
const stderr = [];
const workers = [];

function start(bindings = {}) {
  const mf = startWorker(new URL("./workers/cloudflare-worker.mjs", import.meta.url), {
    bindings: { SENTRY_DSN: cap.dsn, ECHO_URL: echoUrl, ...bindings },
    onOutbound: (url) => outbound.push(url.href),
    durableObjects: { COUNTER: "Counter" },
    handleRuntimeStdio: (out, err) => {
      out.on("data", (d) => stderr.push(String(d)));
      err.on("data", (d) => stderr.push(String(d)));
    },
  });
  workers.push(mf);
  return mf;
}

const waitFor = async (what, cond) => {
  const until = Date.now() + 10_000;
  for (;;) {
    const v = cond();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};
const eventWith = (pred) => waitFor("an event", () => cap.events().find(pred));

before(async () => {
  cap = await startCaptureServer();
  echo = createServer((req, res) => {
    echoed.push({ url: req.url, headers: req.headers });
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ path: req.url }));
  });
  await new Promise((ok) => echo.listen(0, "127.0.0.1", ok));
  echoUrl = `http://127.0.0.1:${echo.address().port}`;
});
after(async () => {
  for (const mf of workers) await mf.dispose();
  echo?.closeAllConnections?.();
  await new Promise((ok) => echo?.close(ok) ?? ok());
  await cap?.close();
});

test("cloudflare: a fetch handler's crash is captured and rethrown, named by its request, with top-level request, CF-Ray, request id and the caller's trace", async () => {
  const mf = start();
  const trace = "5b1c3a4d192642f0b136d5159a501700";
  const res = await mf.dispatchFetch("http://worker.test/crash?token=s3cret&page=2", {
    headers: { "sentry-trace": `${trace}-b6576219fd7dcf45-1`, "x-request-id": "req-cf-1", "cf-ray": "8a1b2c3d4e5f-AMS", cookie: "sessionid=x", authorization: "Bearer t" },
  });
  assert.equal(res.status, 500, "the error is rethrown: the Worker behaves as without oxeye");
  await res.text();
  const ev = await eventWith((e) => e.exception?.values?.[0]?.value === "handler crashed");
  assert.deepEqual(ev.exception.values[0].mechanism, { type: "auto.http.cloudflare", handled: false });
  assert.equal(ev.contexts.trace.trace_id, trace);
  assert.equal(ev.contexts.trace.parent_span_id, "b6576219fd7dcf45");
  assert.equal(ev.tags.request_id, "req-cf-1");
  assert.equal(ev.tags.cf_ray, "8a1b2c3d4e5f-AMS");
  assert.equal(ev.request.method, "GET");
  assert.equal(ev.request.url, "http://worker.test/crash");
  assert.equal(ev.transaction, "GET /crash", "named by method and path, without the query, as on Node");
  assert.equal(ev.request.query_string, "token=[Filtered]&page=2");
  assert.equal(ev.request.headers["cf-ray"], "8a1b2c3d4e5f-AMS");
  assert.equal(ev.request.headers.authorization, undefined);
  assert.equal(ev.request.cookies, undefined);
  assert.equal(ev.contexts.request, undefined, "request data is Sentry's top-level request, not a context");
  assert.equal(ev.contexts.runtime.name, "workerd");
});

test("cloudflare: scheduled and queue handlers are wrapped: their errors are captured with their trigger", async () => {
  const mf = start();
  const worker = await mf.getWorker();
  // The errors are rethrown: the runtime sees the invocations fail, as without oxeye.
  assert.equal((await worker.scheduled({ cron: "0 3 * * *", scheduledTime: new Date(0) })).outcome, "exception");
  assert.equal((await worker.queue("orders", [{ id: "m1", timestamp: new Date(0), body: { n: 1 }, attempts: 1 }])).outcome, "exception");
  const cron = await eventWith((e) => e.exception?.values?.[0]?.type === "RangeError");
  assert.equal(cron.exception.values[0].value, "cron 0 3 * * * failed");
  assert.deepEqual(cron.exception.values[0].mechanism, { type: "auto.faas.cloudflare.scheduled", handled: false });
  assert.equal(cron.tags.job, "nightly");
  assert.equal(cron.contexts.cloudflare.cron, "0 3 * * *");
  assert.equal(cron.transaction, "scheduled 0 3 * * *");
  const q = await eventWith((e) => e.exception?.values?.[0]?.value === "queue orders failed");
  assert.deepEqual(q.exception.values[0].mechanism, { type: "auto.faas.cloudflare.queue", handled: false });
  assert.equal(q.contexts.cloudflare.messages, 1);
  assert.deepEqual(q.breadcrumbs.values.map((b) => b.message), ["batch of 1"]);
});

test("cloudflare: the handler gets the real ctx: passThroughOnException forwards to the origin, waitUntil works", async () => {
  const mf = start();
  const before = outbound.length;
  const res = await mf.dispatchFetch("http://worker.test/pass-through");
  // The origin (worker.test) is outside loopback, so the test's outbound service refuses it:
  // that refusal, not a 500, proves the request was passed through.
  assert.equal(res.status, 403);
  assert.equal(await res.text(), "outbound blocked");
  assert.ok(outbound.slice(before).includes("http://worker.test/pass-through"));
  await eventWith((e) => e.exception?.values?.[0]?.value === "passed through to the origin");
  const w = await mf.dispatchFetch("http://worker.test/wait-until");
  assert.equal(w.status, 200);
  await w.text();
});

test("cloudflare: work handed to ctx.waitUntil is covered after the response: its captures are delivered, its rejection is captured and passed on", async () => {
  const mf = start();
  const res = await mf.dispatchFetch("http://worker.test/later");
  assert.equal(await res.text(), "answered");
  const caught = await eventWith((e) => e.exception?.values?.[0]?.value === "caught after the response");
  assert.deepEqual(caught.exception.values[0].mechanism, { type: "generic", handled: true });
  const rejected = await eventWith((e) => e.exception?.values?.[0]?.value === "rejected after the response");
  assert.equal(rejected.exception.values[0].type, "EvalError");
  assert.deepEqual(rejected.exception.values[0].mechanism, { type: "auto.faas.cloudflare.wait_until", handled: false });
  assert.equal(rejected.request.url, "http://worker.test/later", "the request's scope data");
});

test("cloudflare: an options callback that throws, or an invalid DSN, is logged once and the handler runs with a disabled client", async () => {
  const throwing = start({ OPTIONS_THROW: "yes" });
  for (let i = 0; i < 2; i++) {
    const res = await throwing.dispatchFetch("http://worker.test/options");
    assert.equal(res.status, 200);
    assert.match((await res.json()).disabled, /disabled/i);
  }
  const bad = start({ BAD_DSN: "yes" });
  for (let i = 0; i < 2; i++) {
    const res = await bad.dispatchFetch("http://worker.test/options");
    assert.equal(res.status, 200);
    assert.match((await res.json()).disabled, /dsn/i);
  }
  const log = stderr.join("");
  assert.equal(log.match(/options callback given to withOxeye threw \(Error: misconfigured\)/g)?.length, 1, log);
  assert.equal(log.match(/\[oxeye\].*dsn/gi)?.length, 1, log);
});

test("cloudflare: two concurrent requests never mix user, tags, extras, contexts or breadcrumbs", async () => {
  const mf = start();
  const [a, b] = await Promise.all([
    mf.dispatchFetch("http://worker.test/user?id=alice&wait=60", { headers: { "x-request-id": "ra" } }).then((r) => r.text()),
    mf.dispatchFetch("http://worker.test/user?id=bob&wait=0", { headers: { "x-request-id": "rb" } }).then((r) => r.text()),
  ]);
  for (const [who, id, rid] of [["alice", a, "ra"], ["bob", b, "rb"]]) {
    const ev = await eventWith((e) => e.event_id === id);
    assert.equal(ev.user.id, who);
    assert.equal(ev.tags.user_tag, who);
    assert.equal(ev.tags.request_id, rid);
    assert.equal(ev.extra.who, who);
    assert.equal(ev.contexts.account.owner, who);
    assert.deepEqual(ev.breadcrumbs.values.map((c) => c.message), [`crumb of ${who}`]);
  }
});

test("cloudflare: the Worker's own fetch carries the request's trace to tracePropagationTargets and leaves breadcrumbs", async () => {
  const mf = start();
  const trace = "6c1c3a4d192642f0b136d5159a501700";
  const res = await mf.dispatchFetch("http://worker.test/fetch", { headers: { "sentry-trace": `${trace}-b6576219fd7dcf45`, "x-request-id": "req-out" } });
  const { id } = await res.json();
  for (const path of ["/global", "/bound"]) {
    const seen = echoed.find((e) => e.url === path);
    assert.ok(seen, `the echo server got ${path}`);
    assert.match(seen.headers["sentry-trace"], new RegExp(`^${trace}-[0-9a-f]{16}`));
    assert.match(seen.headers.baggage, new RegExp(`sentry-trace_id=${trace}`));
    assert.equal(seen.headers["x-request-id"], "req-out", "the incoming request id is forwarded");
  }
  const ev = await eventWith((e) => e.event_id === id);
  const crumbs = ev.breadcrumbs.values.filter((c) => c.category === "fetch");
  assert.deepEqual(crumbs.map((c) => new URL(c.data.url).pathname), ["/global", "/bound"]);
  assert.ok(crumbs.every((c) => c.data.status_code === 200 && c.type === "http"));
});

test("cloudflare: a client kept at module scope and used by concurrent requests is warned about once", async () => {
  const mf = start();
  const before = stderr.join("").match(/used by more than one request/g)?.length ?? 0;
  await Promise.all(["x", "y", "z"].map((id) => mf.dispatchFetch(`http://worker.test/shared?id=${id}`).then((r) => r.text())));
  await waitFor("the warning", () => /used by more than one request/.test(stderr.join("")));
  assert.equal((stderr.join("").match(/used by more than one request/g)?.length ?? 0) - before, 1);
});

test("cloudflare: the API on oxeye itself (code shared with Node or browser builds, init included) runs, drops what it is given and says so once", async () => {
  const mf = start();
  const said = () => stderr.join("").match(/made on oxeye itself in a Worker/g)?.length ?? 0;
  const before = said();
  for (let i = 0; i < 2; i++) {
    const res = await mf.dispatchFetch("http://worker.test/top-level");
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { id: "", scoped: "ran", data: {}, client: null, flushed: true });
  }
  await waitFor("the warning", () => said() > before);
  assert.equal(said() - before, 1);
  // `init` (a framework's hooks call it at the top of a module) exists, makes a client that
  // sends nothing, and says so once.
  assert.equal(stderr.join("").match(/init\(\) makes no default client in a Worker/g)?.length, 1);
});

test("cloudflare: a Durable Object's fetch is wrapped: its error is captured and rethrown", async () => {
  const mf = start();
  const ok = await mf.dispatchFetch("http://worker.test/object");
  assert.equal(await ok.text(), "counted");
  const res = await mf.dispatchFetch("http://worker.test/object/boom", { headers: { "x-request-id": "req-do" } });
  assert.equal(res.status, 500);
  await res.text();
  const ev = await eventWith((e) => e.exception?.values?.[0]?.value === "durable object failed");
  assert.deepEqual(ev.exception.values[0].mechanism, { type: "auto.faas.cloudflare.durable_object", handled: false });
  assert.equal(ev.tags.request_id, "req-do");
  assert.equal(ev.tags.durable_object, "c1");
});

test("cloudflare: with the Worker's trace headers (docs/workers.md), the object's error and the Worker's share one trace; caught as `remote`, only the object's is sent", async () => {
  const mf = start();
  const both = await mf.dispatchFetch("http://worker.test/object/traced/boom", { headers: { "x-request-id": "req-do-2" } });
  assert.equal(both.status, 500);
  await both.text();
  const isDo = (e) => e.tags?.request_id === "req-do-2" && e.exception?.values?.[0]?.mechanism?.type === "auto.faas.cloudflare.durable_object";
  const isWorker = (e) => e.tags?.request_id === "req-do-2" && e.exception?.values?.[0]?.mechanism?.type === "auto.http.cloudflare";
  const [inObject, inWorker] = await waitFor("both events", () => {
    const a = cap.events().find(isDo);
    const b = cap.events().find(isWorker);
    return a && b && [a, b];
  });
  assert.equal(inObject.contexts.trace.trace_id, inWorker.contexts.trace.trace_id, "one trace");
  assert.equal(inObject.contexts.trace.parent_span_id, inWorker.contexts.trace.span_id, "the object's span continues the Worker's");

  const caught = await mf.dispatchFetch("http://worker.test/object/traced/boom?catch", { headers: { "x-request-id": "req-do-3" } });
  assert.equal(caught.status, 502, "workerd marks the object's error remote");
  await caught.text();
  await waitFor("the object's event", () => cap.events().find((e) => e.tags?.request_id === "req-do-3"));
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(cap.events().filter((e) => e.tags?.request_id === "req-do-3").map((e) => e.exception.values[0].mechanism.type), ["auto.faas.cloudflare.durable_object"]);
});
