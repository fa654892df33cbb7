// oxeye/nextjs on the server (Node entry, real wasm core): onRequestError continues the
// request's trace and carries its request id, reports one failure once, runs outside the
// request's async context (Next's prerender checks), and a plain `oxeye` import in another
// bundle of the app reaches the client init() made.
import { test } from "node:test";
import assert from "node:assert/strict";
import { AsyncLocalStorage } from "node:async_hooks";
import { parseEnvelope } from "./helpers/envelope.mjs";
import { aggregateTotals, sessionAggregates } from "./helpers/sessions.mjs";

// Next puts AsyncLocalStorage on globalThis before it loads instrumentation.ts.
globalThis.AsyncLocalStorage = AsyncLocalStorage;
const nextjs = await import("../dist/frameworks/nextjs/nextjs.js");

function capture() {
  const requests = [];
  const transport = async (req) => {
    requests.push(req);
    return { status: 200, headers: {} };
  };
  const envelopes = () => requests.map((r) => parseEnvelope(r.body));
  const events = () => envelopes().flatMap((e) => e.items).filter((i) => i.headers.type === "event").map((i) => i.json);
  return { transport, envelopes, events };
}

/**
 * A Node http server answering with `handle` (as Next's does: the handler fails, Next
 * calls onRequestError inside the request's context, then answers 500), with a client
 * made by `nextjs.init`; `run(base)` makes the requests, then the client is flushed.
 * Answers the capture of what was sent.
 */
async function serving(handle, run) {
  const { createServer } = await import("node:http");
  const c = capture();
  const client = nextjs.init({ dsn: "http://k@127.0.0.1:9/1", transport: c.transport, release: "next-app@1" });
  const server = createServer(handle);
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  try {
    await run(`http://127.0.0.1:${server.address().port}`);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(await client.flush(2000), true);
    return c;
  } finally {
    server.closeAllConnections?.();
    await new Promise((ok) => server.close(ok));
    await client.close(1000);
  }
}

const TRACE = "0af7651916cd43dd8448eb211c80319c";
const request = (rid, extra = {}) => ({
  path: "/api/orders?token=abc",
  method: "GET",
  headers: {
    host: "shop.example",
    "sentry-trace": `${TRACE}-b7ad6b7169203331-1`,
    baggage: `sentry-trace_id=${TRACE},sentry-public_key=browserkey`,
    "x-request-id": rid,
    cookie: "sessionid=1",
    ...extra,
  },
});
const context = { routerKind: "App Router", routePath: "/api/orders", routeType: "route" };

test("onRequestError continues the request's trace, tags its request id and fills Sentry's request", async () => {
  const c = capture();
  nextjs.init({ dsn: "http://k@127.0.0.1:9/1", transport: c.transport });
  await nextjs.captureRequestError(new SyntaxError("bad feed"), request("req-1"), context);
  const [ev] = c.events();
  assert.equal(ev.contexts.trace.trace_id, TRACE);
  assert.equal(ev.contexts.trace.parent_span_id, "b7ad6b7169203331");
  assert.equal(ev.tags.request_id, "req-1");
  assert.equal(ev.request.url, "http://shop.example/api/orders");
  assert.equal(ev.request.query_string, "token=[Filtered]");
  assert.equal(ev.request.cookies, undefined);
  assert.equal(ev.request.headers.cookie, undefined);
  // The process-wide scope is untouched: a later capture has neither.
  nextjs.captureException(new Error("unrelated"));
  await nextjs.flush(2000);
  const later = c.events()[1];
  assert.equal(later.tags?.request_id, undefined);
  assert.notEqual(later.contexts.trace.trace_id, TRACE);
});

test("onRequestError's event carries what the request set (user, tags) and the trace of the request's other events; concurrent requests keep their own", async () => {
  const oxeye = await import("../dist/entrypoints/node.js");
  const c = await serving(
    async (req, res) => {
      // What getServerSideProps or a route handler does before it throws.
      oxeye.setUser({ id: req.headers["x-user"] });
      oxeye.setTag("item", req.url);
      oxeye.captureMessage(`before the throw ${req.url}`);
      await new Promise((r) => setTimeout(r, 5));
      await nextjs.captureRequestError(new Error(`failed ${req.url}`), { path: req.url, method: "GET", headers: req.headers }, { routerKind: "Pages Router", routePath: "/items/[id]", routeType: "render" });
      res.writeHead(500).end();
    },
    (base) => Promise.all(["1", "2", "3"].map((n) => fetch(`${base}/items/${n}`, { headers: { "x-user": `user-${n}` } }).then((r) => r.text()))),
  );
  const events = c.events();
  for (const n of ["1", "2", "3"]) {
    const message = events.find((e) => (e.logentry?.formatted ?? e.message) === `before the throw /items/${n}`);
    const failure = events.find((e) => e.exception?.values?.[0]?.value === `failed /items/${n}`);
    assert.ok(message && failure, `both events of request ${n}`);
    assert.equal(failure.user?.id, `user-${n}`, "the user the request set");
    assert.equal(failure.tags?.item, `/items/${n}`, "the tag the request set");
    assert.equal(failure.transaction, "GET /items/[id]");
    assert.equal(failure.contexts.trace.trace_id, message.contexts.trace.trace_id, "one trace for the request's events");
  }
});

test("one failure reported several times by Next is sent once per request and error", async () => {
  const c = capture();
  nextjs.init({ dsn: "http://k@127.0.0.1:9/1", transport: c.transport });
  const err = Object.assign(new RangeError("no lines"), { digest: "1234" });
  await nextjs.captureRequestError(err, request("req-2"), context);
  await nextjs.captureRequestError(err, request("req-2"), context); // the same object again
  // Another pass of the same request: a new error object with the same digest.
  await nextjs.captureRequestError(Object.assign(new RangeError("no lines"), { digest: "1234" }), request("req-2"), context);
  // The same error in another request is another failure.
  await nextjs.captureRequestError(Object.assign(new RangeError("no lines"), { digest: "1234" }), request("req-3"), context);
  assert.deepEqual(c.events().map((e) => e.tags.request_id), ["req-2", "req-3"]);
});

test("the same failure in requests without a request id is one report per request, and each request counts as crashed", async () => {
  const c = await serving(
    async (req, res) => {
      const info = { path: "/invoices", method: "GET", headers: req.headers };
      // Next reports one failure twice in a request: the same object, then another pass's copy.
      const err = Object.assign(new RangeError("invoice has no lines"), { digest: "98765" });
      await nextjs.captureRequestError(err, info, context);
      await nextjs.captureRequestError(Object.assign(new RangeError("invoice has no lines"), { digest: "98765" }), info, context);
      res.writeHead(500).end();
    },
    async (base) => {
      for (let i = 0; i < 3; i++) await fetch(`${base}/invoices`).then((r) => r.text());
    },
  );
  assert.equal(c.events().length, 3, "three requests, three reports");
  assert.deepEqual(aggregateTotals(sessionAggregates(c.envelopes())), { exited: 0, errored: 0, crashed: 3 });
});

test("an edge route handler's path, which Next gives with its file's name, names the transaction by the route", async () => {
  const c = capture();
  nextjs.init({ dsn: "http://k@127.0.0.1:9/1", transport: c.transport });
  await nextjs.captureRequestError(new Error("edge route failed"), request("req-edge"), { routerKind: "Pages Router", routePath: "/api/prices/route", routeType: "route" });
  await nextjs.captureRequestError(new Error("page failed"), request("req-page"), { routerKind: "App Router", routePath: "/route", routeType: "render" });
  assert.deepEqual(c.events().map((e) => e.transaction), ["GET /api/prices", "GET /route"]);
});

test("onRequestError reports outside the request's async context (no clock reads inside a prerender's context)", async () => {
  const c = capture();
  const workStore = new AsyncLocalStorage();
  const seenInside = [];
  nextjs.init({
    dsn: "http://k@127.0.0.1:9/1",
    transport: c.transport,
    beforeSend: (event) => {
      seenInside.push(workStore.getStore());
      return event;
    },
  });
  await workStore.run({ type: "prerender" }, () => nextjs.captureRequestError(new Error("during prerender"), request("req-4"), context));
  assert.equal(c.events().length, 1);
  assert.deepEqual(seenInside, [undefined], "the event was built outside Next's work store");
});

test("a plain `oxeye` import in another bundle of the app reaches the client init() made", async () => {
  const c = capture();
  nextjs.init({ dsn: "http://k@127.0.0.1:9/1", transport: c.transport });
  // Another copy of the runtime entry, as a route's own bundle would have.
  const plain = await import("../dist/entrypoints/node.js?bundle=route");
  const id = plain.captureException(new Error("from a route handler"));
  assert.match(id, /^[0-9a-f]{32}$/);
  await nextjs.flush(2000);
  assert.ok(c.events().some((e) => e.event_id === id));
});

test("release health: a request Next reports as failed counts as crashed, once; the others as exited", async () => {
  const c = await serving(
    async (req, res) => {
      if (req.url === "/boom") {
        await nextjs.captureRequestError(new Error(`boom ${Math.random()}`), { path: req.url, method: "GET", headers: req.headers }, context);
        res.writeHead(500).end();
      } else res.end("ok");
    },
    async (base) => {
      // Static files (a page load's chunks and icons) are not counted.
      for (const path of ["/boom", "/boom", "/ok", "/_next/static/chunks/app.js?v=1", "/favicon.ico"]) await fetch(base + path).then((r) => r.text());
    },
  );
  assert.deepEqual(aggregateTotals(sessionAggregates(c.envelopes())), { exited: 1, errored: 0, crashed: 2 });
});
