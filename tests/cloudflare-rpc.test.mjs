// Cloudflare Workers RPC (miniflare, offline, outbound limited to loopback): a
// `WorkerEntrypoint` class given to `withOxeye` and a Durable Object class given to
// `instrumentDurableObject` get a client per handler call and per RPC method call; what
// an RPC method throws is captured and reaches the caller as before; the object's own
// method calls are not wrapped. Asserted on the envelopes a local capture server receives.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { Miniflare } from "miniflare";
import { outbound, workerModules } from "./helpers/worker.mjs";
import { startCaptureServer } from "./helpers/capture-server.mjs";
import { waitFor } from "./helpers/wait.mjs";

let cap;
let mf;

before(async () => {
  cap = await startCaptureServer();
  const shared = { bindings: { SENTRY_DSN: cap.dsn }, outboundService: outbound() };
  mf = new Miniflare({
    cf: false,
    workers: [
      {
        name: "caller",
        ...workerModules(new URL("./workers/rpc-caller.mjs", import.meta.url)),
        ...shared,
        serviceBindings: { PRICING: { name: "pricing", entrypoint: "PricingEntrypoint" } },
      },
      {
        name: "pricing",
        ...workerModules(new URL("./workers/rpc-worker.mjs", import.meta.url)),
        ...shared,
        durableObjects: { COUNTER: "CounterObject" },
      },
    ],
  });
});
after(async () => {
  await mf?.dispose();
  await cap?.close();
});

const eventWith = (pred) => waitFor(() => cap.events().find(pred), { what: "an event" });
const value = (e) => e.exception?.values?.at(-1)?.value;

test("cloudflare rpc: a WorkerEntrypoint's RPC method error is captured with its method, and the caller gets it as before", async () => {
  const ok = await mf.dispatchFetch("http://caller.test/?n=3");
  assert.equal(await ok.text(), "6", "the method runs on the instance: private fields and its own calls work");
  const res = await mf.dispatchFetch("http://caller.test/?n=-1");
  assert.equal(res.status, 502);
  assert.equal(await res.text(), "RangeError: no price for -1", "the error reaches the caller as without oxeye");
  const ev = await eventWith((e) => value(e) === "no price for -1");
  assert.deepEqual(ev.exception.values.at(-1).mechanism, { type: "auto.faas.cloudflare.rpc", handled: false });
  assert.deepEqual(ev.contexts.cloudflare, { trigger: "rpc", method: "price" });
  assert.equal(ev.transaction, "rpc price");
  assert.equal(ev.tags.pricing, "-1", "this.ctx.oxeye is the call's client");
  assert.equal(ev.release, "rpc@1.0.0");
});

test("cloudflare rpc: a string an RPC method throws is reported as an unhandled error, not as a message", async () => {
  const res = await mf.dispatchFetch("http://caller.test/fail");
  assert.equal(res.status, 502);
  await res.text();
  const ev = await eventWith((e) => value(e) === "a plain string was thrown");
  assert.deepEqual(ev.exception.values.at(-1).mechanism, { type: "auto.faas.cloudflare.rpc", handled: false });
  assert.equal(ev.exception.values.at(-1).type, "Error");
  assert.equal(ev.logentry, undefined);
});

test("cloudflare rpc: this.ctx.oxeye in an RPC method captures with the call's client; each call has its own", async () => {
  const [a, b] = await Promise.all([mf.dispatchFetch("http://caller.test/note?n=1"), mf.dispatchFetch("http://caller.test/note?n=2")]);
  const ids = [await a.text(), await b.text()];
  for (const id of ids) assert.match(id, /^[0-9a-f]{32}$/);
  const one = await eventWith((e) => e.message?.formatted === "note 1" || e.logentry?.formatted === "note 1");
  const two = await eventWith((e) => e.message?.formatted === "note 2" || e.logentry?.formatted === "note 2");
  assert.deepEqual([one.event_id, two.event_id].sort(), [...ids].sort());
  assert.equal(one.contexts.cloudflare.method, "note");
});

test("cloudflare rpc: the object's own calls are not RPC calls: an error it catches itself is not reported", async () => {
  assert.equal(await (await mf.dispatchFetch("http://caller.test/?n=5")).text(), "10");
  const pricing = await mf.getWorker("pricing");
  assert.match(await (await pricing.fetch("http://pricing.test/counter?by=2")).text(), /^\d+$/);
  await new Promise((r) => setTimeout(r, 300));
  const inner = cap.events().filter((e) => ["checked inside the entrypoint", "caught inside the object"].includes(value(e)));
  assert.deepEqual(inner, []);
});

test("cloudflare rpc: a WorkerEntrypoint as the default export, in a subclass with private fields as wrangler dev serves it: its fetch gets this.ctx.oxeye, and a crash is captured once, with the request", async () => {
  const pricing = await mf.getWorker("pricing");
  const ok = await pricing.fetch("http://pricing.test/");
  assert.equal(await ok.text(), "front");
  await assert.rejects(pricing.fetch("http://pricing.test/crash?token=s3cret"), /the front entrypoint failed/, "rethrown: the runtime sees the failure");
  const ev = await eventWith((e) => value(e) === "the front entrypoint failed");
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(cap.events().filter((e) => value(e) === "the front entrypoint failed").length, 1, "one report");
  assert.deepEqual(ev.exception.values.at(-1).mechanism, { type: "auto.http.cloudflare", handled: false });
  assert.equal(ev.tags.front, "yes");
  assert.equal(ev.request.url, "http://pricing.test/crash");
  assert.equal(ev.request.query_string, "token=[Filtered]");
});

test("cloudflare rpc: a Durable Object's RPC method error is captured with the object and method; the caller gets it as before", async () => {
  const pricing = await mf.getWorker("pricing");
  assert.equal(await (await pricing.fetch("http://pricing.test/bonus")).text(), "5", "a subclass's private fields work");
  const ok = await pricing.fetch("http://pricing.test/counter?by=2");
  assert.match(await ok.text(), /^\d+$/);
  const res = await pricing.fetch("http://pricing.test/counter?by=-3");
  assert.equal(res.status, 502);
  assert.equal(await res.text(), "counter failed: cannot count down by 3");
  const ev = await eventWith((e) => value(e) === "cannot count down by 3");
  assert.equal(ev.exception.values.at(-1).type, "TypeError");
  assert.deepEqual(ev.exception.values.at(-1).mechanism, { type: "auto.faas.cloudflare.durable_object", handled: false });
  assert.deepEqual(ev.contexts.cloudflare, { trigger: "rpc", method: "increment", durable_object: "c1" });
  assert.equal(ev.transaction, "rpc increment");
});

test("cloudflare rpc: a Durable Object's failing alarm is captured with the object, the transaction `alarm` and each run's retry count", async () => {
  const pricing = await mf.getWorker("pricing");
  assert.equal(await (await pricing.fetch("http://pricing.test/ring")).text(), "undefined");
  const ev = await eventWith((e) => value(e) === "the alarm failed");
  assert.deepEqual(ev.exception.values.at(-1).mechanism, { type: "auto.faas.cloudflare.durable_object", handled: false });
  assert.deepEqual(ev.contexts.cloudflare, { trigger: "alarm", durable_object: "alarmed", retry_count: 0 });
  assert.equal(ev.transaction, "alarm");
  // The runtime's next run (after about two seconds) says it is a retry.
  const retry = await waitFor(() => cap.events().find((e) => value(e) === "the alarm failed" && e.contexts.cloudflare.retry_count === 1), { what: "the retried alarm's event", timeoutMs: 10_000 });
  assert.equal(retry.transaction, "alarm");
});
