// Node: scopes live in AsyncLocalStorage and every incoming request to an http server gets
// its own isolation scope, upgrade (WebSocket) requests included, and requests a runtime
// hands only to the server's emit (Bun). Asserted on the
// envelopes a local capture server receives.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import * as oxeye from "../dist/entrypoints/node.js";
import { startCaptureServer } from "./helpers/capture-server.mjs";

/** Stops a test's HTTP server, oxeye client and capture server. */
async function stopAll(server, client, cap) {
  server.closeAllConnections?.();
  await new Promise((ok) => server.close(ok));
  await client.close(1000);
  await cap.close();
}

const hex = (n, width) => n.toString(16).padStart(width, "0");

test("Node: interleaved async withIsolationScope callbacks keep their own user, tags and trace across awaits", async () => {
  const cap = await startCaptureServer();
  const client = oxeye.init({ dsn: cap.dsn });
  try {
    // Each callback sets its data, then yields so the other runs in between.
    let releaseAlice;
    const aliceMayGo = new Promise((r) => (releaseAlice = r));
    const run = (who, trace, wait) =>
      oxeye.continueTrace({ sentryTrace: `${trace}-b6576219fd7dcf45` }, async () => {
        oxeye.setUser({ id: who });
        oxeye.setTag("who", who);
        oxeye.addBreadcrumb({ message: `step of ${who}` });
        await wait();
        return oxeye.withScope(async (scope) => {
          scope.setTag("inner", who);
          await sleep(1);
          return oxeye.captureMessage(`error of ${who}`);
        });
      });
    const alice = run("alice", "a".repeat(32), () => aliceMayGo);
    const bob = run("bob", "b".repeat(32), async () => {
      await sleep(1);
      releaseAlice();
    });
    const ids = { alice: await alice, bob: await bob };
    // Outside both callbacks the process-wide scope is untouched.
    oxeye.captureMessage("outside");
    assert.equal(await oxeye.flush(5000), true);
    const events = cap.events();
    for (const [who, trace] of [["alice", "a".repeat(32)], ["bob", "b".repeat(32)]]) {
      const ev = events.find((e) => e.event_id === ids[who]);
      assert.ok(ev, `event of ${who}`);
      assert.equal(ev.user.id, who);
      assert.deepEqual({ who: ev.tags.who, inner: ev.tags.inner }, { who, inner: who });
      assert.deepEqual(ev.breadcrumbs.values.map((b) => b.message), [`step of ${who}`]);
      assert.equal(ev.contexts.trace.trace_id, trace);
    }
    const outside = events.find((e) => e.logentry?.formatted === "outside");
    assert.equal(outside.user, undefined);
    assert.equal(outside.tags?.who, undefined);
    assert.equal(outside.breadcrumbs, undefined);
  } finally {
    await client.close(1000);
    await cap.close();
  }
});

test("Node: 200 concurrent requests to an http server never mix users, tags, breadcrumbs, traces or request data", async () => {
  const cap = await startCaptureServer();
  const client = oxeye.init({ dsn: cap.dsn, transportOptions: { bufferSize: 512 } });
  // App code knows nothing of oxeye's isolation: it sets data on "the" scope and awaits.
  const server = createServer(async (req, res) => {
    const n = Number(new URL(req.url, "http://x").searchParams.get("n"));
    oxeye.setUser({ id: `user-${n}` });
    oxeye.setTag("n", String(n));
    oxeye.addBreadcrumb({ message: `start ${n}` });
    await sleep(n % 7);
    oxeye.addBreadcrumb({ message: `middle ${n}` });
    await new Promise((r) => setImmediate(r));
    const id = oxeye.captureException(new Error(`failure ${n}`));
    res.end(id);
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  const N = 200;
  try {
    const trace = (n) => `${hex(n, 8)}${"c".repeat(24)}`;
    const ids = await Promise.all(
      Array.from({ length: N }, (_, n) =>
        fetch(`http://127.0.0.1:${port}/orders/${n}?n=${n}&api_key=k${n}`, {
          headers: {
            "sentry-trace": `${trace(n)}-${"d".repeat(16)}-1`,
            baggage: `sentry-trace_id=${trace(n)},sentry-public_key=browserkey`,
            "x-request-id": `req-${n}`,
            cookie: `sessionid=secret${n}`,
            authorization: "Bearer topsecret",
          },
        }).then((r) => r.text()),
      ),
    );
    assert.equal(await client.flush(10_000), true);
    const events = cap.events();
    assert.equal(events.length, N);
    for (let n = 0; n < N; n++) {
      const ev = events.find((e) => e.event_id === ids[n]);
      assert.ok(ev, `event of request ${n}`);
      assert.equal(ev.exception.values[0].value, `failure ${n}`);
      assert.equal(ev.user.id, `user-${n}`);
      assert.equal(ev.tags.n, String(n));
      assert.equal(ev.tags.request_id, `req-${n}`);
      assert.deepEqual(ev.breadcrumbs.values.map((b) => b.message), [`start ${n}`, `middle ${n}`]);
      assert.equal(ev.contexts.trace.trace_id, trace(n));
      assert.equal(ev.contexts.trace.parent_span_id, "d".repeat(16));
      assert.equal(ev.request.method, "GET");
      assert.equal(ev.transaction, `GET /orders/${n}`, "named by the request, without its query");
      assert.equal(ev.request.url, `http://127.0.0.1:${port}/orders/${n}`);
      assert.equal(ev.request.query_string, `n=${n}&api_key=[Filtered]`);
      assert.equal(ev.request.headers["x-request-id"], `req-${n}`);
      assert.equal(ev.request.headers.authorization, undefined, "headers outside the allow-list are not recorded");
      assert.equal(ev.request.headers.cookie, undefined);
      assert.equal(ev.request.cookies, undefined, "no cookies without sendDefaultPii");
      assert.equal(ev.request.env, undefined, "no client address without sendDefaultPii");
    }
    // The envelope's trace header (DSC) is the caller's too.
    const byId = new Map(cap.envelopes.map((e) => [e.envelope.headers.event_id, e.envelope.headers]));
    assert.equal(byId.get(ids[42]).trace.trace_id, trace(42));
  } finally {
    await stopAll(server, client, cap);
  }
});

test("Node: with sendDefaultPii a request's cookies and client address are recorded (session cookies still filtered)", async () => {
  const cap = await startCaptureServer();
  const client = oxeye.init({ dsn: cap.dsn, sendDefaultPii: true, requestIdHeader: "X-Correlation-ID" });
  const server = createServer((req, res) => res.end(oxeye.captureMessage("with pii")));
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  try {
    const id = await fetch(`http://127.0.0.1:${server.address().port}/`, {
      headers: { cookie: "theme=dark; sessionid=abc", "x-correlation-id": "corr-7", "x-request-id": "ignored" },
    }).then((r) => r.text());
    assert.equal(await client.flush(5000), true);
    const ev = cap.events().find((e) => e.event_id === id);
    assert.equal(ev.tags.request_id, "corr-7", "the header named by requestIdHeader");
    assert.match(ev.request.cookies, /theme=dark/);
    assert.doesNotMatch(ev.request.cookies, /abc/);
    assert.equal(ev.request.env.REMOTE_ADDR, "127.0.0.1");
  } finally {
    await stopAll(server, client, cap);
  }
});

test("Node: an upgrade (WebSocket) request is isolated too: what its handler sets stays out of later requests and background events", async () => {
  const cap = await startCaptureServer();
  const client = oxeye.init({ dsn: cap.dsn });
  const server = createServer((req, res) => res.end(oxeye.captureMessage(`plain ${req.url}`)));
  server.on("upgrade", (req, socket) => {
    // Authentication code of a WebSocket server (ws, socket.io) sets who is connecting.
    oxeye.setUser({ id: "ws-user-alice" });
    oxeye.setTag("ws", req.url);
    const id = oxeye.captureMessage("in the upgrade");
    socket.end(`HTTP/1.1 101 Switching Protocols\r\nx-event: ${id}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`);
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const port = server.address().port;
  try {
    const { request } = await import("node:http");
    const upgraded = await new Promise((ok, fail) => {
      const r = request({ port, host: "127.0.0.1", path: "/chat", headers: { Connection: "Upgrade", Upgrade: "websocket", "x-request-id": "ws-1" } });
      r.on("upgrade", (res, socket) => (socket.destroy(), ok(res.headers["x-event"])));
      r.on("error", fail);
      r.end();
    });
    const later = await fetch(`http://127.0.0.1:${port}/anonymous`).then((r) => r.text());
    const background = oxeye.captureMessage("background job");
    assert.equal(await client.flush(5000), true);
    const ev = (id) => cap.events().find((e) => e.event_id === id);
    assert.deepEqual(ev(upgraded).user, { id: "ws-user-alice" }, "the upgrade's own event has its user");
    assert.equal(ev(upgraded).tags.ws, "/chat");
    assert.equal(ev(upgraded).tags.request_id, "ws-1", "and the caller's request id");
    for (const id of [later, background]) {
      assert.equal(ev(id).user, undefined, `no user leaked into ${ev(id).logentry.formatted}`);
      assert.equal(ev(id).tags?.ws, undefined);
    }
  } finally {
    await stopAll(server, client, cap);
  }
});

test("Node: a request the runtime does not announce (Bun's node:http emits `request` only) is isolated by the server's emit", async () => {
  const cap = await startCaptureServer();
  const client = oxeye.init({ dsn: cap.dsn });
  const { EventEmitter } = await import("node:events");
  const ids = {};
  const server = createServer(async (req, res) => {
    const who = new URL(req.url, "http://x").searchParams.get("who");
    if (who) oxeye.setUser({ id: who });
    await sleep(who ? 50 : 0);
    ids[who ?? "nobody"] = oxeye.captureMessage(`served ${req.url}`);
    res.end();
  });
  try {
    // As Bun's node:http delivers them: straight to `emit`, nothing on the diagnostics channel.
    const request = (url) => {
      const res = Object.assign(new EventEmitter(), { end: () => res.emit("close") });
      const done = new Promise((ok) => res.once("close", ok));
      server.emit("request", { method: "GET", url, headers: { host: "shop.example", "x-request-id": `rid ${url}` }, socket: {} }, res);
      return done;
    };
    await Promise.all([request("/cart?who=alice"), sleep(10).then(() => request("/cart"))]);
    assert.equal(await client.flush(5000), true);
    const ev = (id) => cap.events().find((e) => e.event_id === id);
    assert.deepEqual(ev(ids.alice).user, { id: "alice" });
    assert.equal(ev(ids.nobody).user, undefined, "the other request's user did not leak");
    assert.equal(ev(ids.nobody).request.url, "http://shop.example/cart", "the request's own data");
    assert.equal(ev(ids.nobody).tags.request_id, "rid /cart");
  } finally {
    await stopAll(server, client, cap);
  }
});

test("Node: withScope, withIsolationScope and continueTrace keep their data for timers that fire after the callback returned", async () => {
  const cap = await startCaptureServer();
  const client = oxeye.init({ dsn: cap.dsn });
  try {
    const ids = await new Promise((resolve) => {
      const out = {};
      const done = () => Object.keys(out).length === 3 && resolve(out);
      oxeye.withScope((scope) => {
        scope.setTag("job", "with-scope");
        setTimeout(() => ((out.scope = oxeye.captureMessage("later in withScope")), done()), 20);
      });
      oxeye.withIsolationScope((scope) => {
        scope.setUser({ id: "iso-user" });
        setTimeout(() => {
          oxeye.getCurrentScope().setTag("set", "later");
          out.iso = oxeye.captureMessage("later in withIsolationScope");
          done();
        }, 30);
      });
      // (An EventEmitter's listener runs where `emit` is called, as AsyncLocalStorage has it.)
      oxeye.continueTrace({ sentryTrace: `${hex(7, 32)}-${hex(9, 16)}-1` }, () => {
        oxeye.setTag("incoming", "yes");
        setTimeout(() => ((out.trace = oxeye.captureException(new Error("thrown later"))), done()), 40);
      });
    });
    assert.equal(await client.flush(5000), true);
    const ev = (id) => cap.events().find((e) => e.event_id === id);
    assert.equal(ev(ids.scope).tags?.job, "with-scope");
    assert.deepEqual(ev(ids.iso).user, { id: "iso-user" });
    assert.equal(ev(ids.iso).tags?.set, "later");
    assert.equal(ev(ids.trace).contexts.trace.trace_id, hex(7, 32), "the continued trace");
    assert.equal(ev(ids.trace).tags?.incoming, "yes");
  } finally {
    await client.close(1000);
    await cap.close();
  }
});

test("Node: isolateRequests: false leaves requests on the process-wide scope", async () => {
  const cap = await startCaptureServer();
  const client = oxeye.init({ dsn: cap.dsn, isolateRequests: false });
  const server = createServer((req, res) => res.end(oxeye.captureMessage("not isolated")));
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  try {
    const id = await fetch(`http://127.0.0.1:${server.address().port}/`, { headers: { "x-request-id": "r1" } }).then((r) => r.text());
    assert.equal(await client.flush(5000), true);
    const ev = cap.events().find((e) => e.event_id === id);
    assert.equal(ev.tags?.request_id, undefined);
    assert.equal(ev.request, undefined);
  } finally {
    await stopAll(server, client, cap);
  }
});

test("Node: a request's outgoing fetch forwards its request id and is never linked to another request's event", async () => {
  const cap = await startCaptureServer();
  // The downstream service answers with the request id it was sent, and 404 on /missing.
  const seenIds = [];
  const downstream = createServer((req, res) => {
    seenIds.push(req.headers["x-request-id"]);
    res.statusCode = req.url === "/missing" ? 404 : 200;
    res.setHeader("x-request-id", req.headers["x-request-id"] ?? "");
    res.end("ok");
  });
  await new Promise((ok) => downstream.listen(0, "127.0.0.1", ok));
  const down = `http://127.0.0.1:${downstream.address().port}`;
  const client = oxeye.init({ dsn: cap.dsn, tracePropagationTargets: [down] });
  const server = createServer(async (req, res) => {
    if (req.url.startsWith("/fetch")) {
      await fetch(`${down}${req.url === "/fetch404" ? "/missing" : "/"}`).then((r) => r.text());
      res.end("fetched");
    } else {
      await sleep(30);
      res.end(oxeye.captureMessage(`the other request's event (${req.headers["x-request-id"]})`));
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    for (const path of ["/fetch", "/fetch404"]) {
      const tag = path.slice(1);
      // A fetches (its response, with a 404 too, makes it "being handled" for a while);
      // B, a request served at the same time, captures an event of its own.
      const a = fetch(`${base}${path}`, { headers: { "x-request-id": `rid-A-${tag}`, "sentry-trace": `${"a".repeat(32)}-${"1".repeat(16)}` } });
      await sleep(5);
      const b = fetch(`${base}/capture`, { headers: { "x-request-id": `rid-B-${tag}`, "sentry-trace": `${"b".repeat(32)}-${"2".repeat(16)}` } });
      const [, id] = await Promise.all([a.then((r) => r.text()), b.then((r) => r.text())]);
      assert.equal(await client.flush(5000), true);
      const ev = cap.events().find((e) => e.event_id === id);
      assert.equal(ev.tags.request_id, `rid-B-${tag}`, `${path}: B keeps its own request id`);
      assert.equal(ev.contexts.trace.trace_id, "b".repeat(32), `${path}: B stays on its own trace`);
    }
    assert.deepEqual(seenIds, ["rid-A-fetch", "rid-A-fetch404"], "the outgoing request carries the incoming request's id");
  } finally {
    downstream.closeAllConnections?.();
    await new Promise((ok) => downstream.close(ok));
    await stopAll(server, client, cap);
  }
});
