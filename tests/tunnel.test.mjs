// The tunnel handler (`oxeye/tunnel`) against hostile clients, in Node (mounted with
// `nodeListener` on a real http server) and in workerd (miniflare), both on 127.0.0.1 with
// a real envelope receiver upstream:
// - forwarded-for headers are believed only with `trustProxy`; otherwise the socket's
//   peer address (Node) or nothing (workerd, which gives none) is forwarded;
// - a body that does not arrive within `bodyTimeoutMs` (a slowloris client dripping
//   bytes) gets 408, and nothing is sent upstream.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { connect } from "node:net";
import { createTunnelHandler, nodeListener } from "oxeye/tunnel";
import { startFaultServer } from "../scripts/lib/fault-server.mjs";
import { startWorker } from "./helpers/worker.mjs";
import { ensureFixtureDeps } from "../scripts/lib/fixture-deps.mjs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { faults } from "../scripts/lib/fault-server.mjs";

let upstream, nodeServer, nodeUrl, mf, mfUrl;
const outbound = [];
const SLOW_MS = 300;

function envelope(dsn) {
  const id = "0123456789abcdef0123456789abcdef";
  const event = JSON.stringify({ event_id: id, timestamp: Date.now() / 1000, platform: "javascript", message: "tunnel" });
  return `${JSON.stringify({ event_id: id, dsn })}\n{"type":"event","length":${Buffer.byteLength(event)}}\n${event}\n`;
}

before(async () => {
  upstream = await startFaultServer();
  const handler = createTunnelHandler({ allowedDsns: [upstream.dsn], bodyTimeoutMs: SLOW_MS });
  nodeServer = createServer(nodeListener(handler));
  await new Promise((ok) => nodeServer.listen(0, "127.0.0.1", ok));
  nodeUrl = `http://127.0.0.1:${nodeServer.address().port}/tunnel`;
  mf = startWorker(new URL("./workers/tunnel-worker.mjs", import.meta.url), {
    bindings: { SENTRY_DSN: upstream.dsn, BODY_TIMEOUT_MS: String(SLOW_MS) },
    onOutbound: (url, request) => outbound.push({ url: url.href, forwardedFor: request.headers.get("x-sentry-forwarded-for") }),
  });
  mfUrl = new URL("/tunnel", await mf.ready).href;
});

after(async () => {
  await mf?.dispose();
  nodeServer?.closeAllConnections();
  await new Promise((ok) => (nodeServer ? nodeServer.close(() => ok()) : ok()));
  await upstream?.close();
});

const SPOOFED = { "x-forwarded-for": "198.51.100.4, 10.0.0.1", "cf-connecting-ip": "203.0.113.7", "x-real-ip": "192.0.2.99" };

test("Node: client-sent forwarded-for headers are ignored by default; the socket's peer address is forwarded", async () => {
  const res = await fetch(nodeUrl, { method: "POST", body: envelope(upstream.dsn), headers: SPOOFED });
  assert.equal(res.status, 200, await res.text());
  assert.equal(upstream.requests.at(-1).headers["x-sentry-forwarded-for"], "127.0.0.1");
});

test("which address is forwarded, by trustProxy and what the runtime reports", async () => {
  const peer = { remoteAddress: "192.0.2.1" };
  const rows = [
    // [options, headers, peer, expected x-sentry-forwarded-for]
    [{}, SPOOFED, peer, "192.0.2.1"],
    [{}, SPOOFED, undefined, undefined],
    [{}, SPOOFED, { remoteAddr: { hostname: "2001:db8::7" } }, "2001:db8::7"],
    [{ trustProxy: false }, SPOOFED, peer, "192.0.2.1"],
    [{ trustProxy: "yes" }, SPOOFED, peer, "192.0.2.1"],
    [{ trustProxy: -1 }, SPOOFED, peer, "192.0.2.1"],
    [{ trustProxy: true }, SPOOFED, peer, "203.0.113.7"],
    [{ trustProxy: true }, { "x-real-ip": "192.0.2.99", "x-forwarded-for": "198.51.100.4" }, peer, "192.0.2.99"],
    [{ trustProxy: true }, { "x-forwarded-for": "198.51.100.4, 10.0.0.1" }, peer, "198.51.100.4"],
    [{ trustProxy: 1 }, { "x-forwarded-for": "6.6.6.6, 198.51.100.4" }, peer, "198.51.100.4"],
    [{ trustProxy: 2 }, { "x-forwarded-for": "6.6.6.6, 198.51.100.4, 10.0.0.1" }, peer, "198.51.100.4"],
    [{ trustProxy: 5 }, { "x-forwarded-for": "198.51.100.4" }, peer, "192.0.2.1"],
    // With a number of hops, a header the proxies do not set is the client's own word.
    [{ trustProxy: 1 }, { "cf-connecting-ip": "6.6.6.6", "x-real-ip": "6.6.6.7", "x-forwarded-for": "198.51.100.4" }, peer, "198.51.100.4"],
    [{ trustProxy: 1 }, { "cf-connecting-ip": "6.6.6.6" }, peer, "192.0.2.1"],
    // Not addresses.
    [{ trustProxy: true }, { "x-forwarded-for": "cafe" }, peer, "192.0.2.1"],
    [{ trustProxy: true }, { "x-forwarded-for": "300.1.2.3" }, peer, "192.0.2.1"],
    [{ trustProxy: true }, { "x-forwarded-for": "10.0.0.1." }, peer, "192.0.2.1"],
    [{ trustProxy: true }, { "x-forwarded-for": "1:2:3" }, peer, "192.0.2.1"],
    [{ trustProxy: true }, { "x-forwarded-for": "::ffff:198.51.100.4" }, peer, "::ffff:198.51.100.4"],
    [{ trustProxy: true }, { "x-forwarded-for": "<script>, evil" }, peer, "192.0.2.1"],
    [{ trustProxy: true }, {}, peer, "192.0.2.1"],
    [{}, {}, { remoteAddress: "not an address" }, undefined],
    [{}, {}, { get remoteAddress() { throw new Error("hostile peer"); } }, undefined],
  ];
  for (const [options, headers, info, expected] of rows) {
    const handler = createTunnelHandler({ allowedDsns: [upstream.dsn], ...options });
    const res = await handler(new Request("http://app.test/tunnel", { method: "POST", body: envelope(upstream.dsn), headers }), info);
    const label = JSON.stringify({ options, headers, expected });
    assert.equal(res.status, 200, label);
    await res.text();
    assert.equal(upstream.requests.at(-1).headers["x-sentry-forwarded-for"], expected, label);
  }
});

test("Node: an upstream answer without a body (204, 205) is passed back as it is, where it made the handler fail (500) and the SDK send the event again", async () => {
  for (const code of [204, 205]) {
    upstream.respond = () => faults.status(code);
    try {
      const res = await fetch(nodeUrl, { method: "POST", body: envelope(upstream.dsn) });
      assert.equal(res.status, code);
      assert.equal(await res.text(), "");
    } finally {
      upstream.respond = undefined;
    }
  }
});

test("Node: an upstream redirect is not followed (the allowed DSN is where envelopes go): 502 naming where it pointed, and the target gets nothing", async () => {
  const hits = [];
  const internal = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.end("INTERNAL ADMIN PAGE");
  });
  await new Promise((ok) => internal.listen(0, "127.0.0.1", ok));
  const target = `http://127.0.0.1:${internal.address().port}/admin`;
  try {
    for (const code of [301, 302, 307, 308]) {
      upstream.respond = () => faults.status(code, { headers: { location: target } });
      const res = await fetch(nodeUrl, { method: "POST", body: envelope(upstream.dsn) });
      const text = await res.text();
      assert.equal(res.status, 502, `${code}: ${text}`);
      assert.match(text, new RegExp(`redirected to http://127\\.0\\.0\\.1:${internal.address().port}`));
      assert.doesNotMatch(text, /INTERNAL/);
    }
    assert.deepEqual(hits, [], "the redirect target was never asked");
  } finally {
    upstream.respond = undefined;
    internal.closeAllConnections();
    await new Promise((ok) => internal.close(ok));
  }
});

test("the upstream's answer is passed back only up to 64 KiB; a method other than POST gets 405 with Allow", async () => {
  const long = createTunnelHandler({ allowedDsns: [upstream.dsn], fetch: async () => new Response("x".repeat(200_000), { status: 200 }) });
  const res = await long(new Request("http://app.test/tunnel", { method: "POST", body: envelope(upstream.dsn) }));
  assert.equal(res.status, 200);
  assert.equal(await res.text(), "", "a 200 KB answer is not relayed");
  const short = createTunnelHandler({ allowedDsns: [upstream.dsn], fetch: async () => new Response('{"id":"1"}', { status: 200 }) });
  assert.equal(await (await short(new Request("http://app.test/tunnel", { method: "POST", body: envelope(upstream.dsn) }))).text(), '{"id":"1"}');
  const get = await fetch(nodeUrl);
  assert.equal(get.status, 405);
  assert.equal(get.headers.get("allow"), "POST");
});

test("Express: behind a body parser that read the body as text or bytes the tunnel relays it; behind one that made JSON of it, it answers 500 at once saying to mount it first (it waited for the body until 408)", async () => {
  const deps = await ensureFixtureDeps("node-frameworks", join(fileURLToPath(new URL("..", import.meta.url)), "tests", "fixtures", "node-frameworks"));
  const express = createRequire(join(deps, "node_modules", "index.js"))("express");
  const app = express();
  const handler = nodeListener(createTunnelHandler({ allowedDsns: [upstream.dsn], bodyTimeoutMs: 5000 }));
  app.post("/text", express.text({ type: "*/*" }), handler);
  app.post("/raw", express.raw({ type: "*/*" }), handler);
  app.post("/json", express.json({ type: "*/*" }), handler);
  const server = createServer(app);
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    for (const path of ["/text", "/raw"]) {
      const before = upstream.stats().requests;
      const res = await fetch(base + path, { method: "POST", body: envelope(upstream.dsn), headers: { "content-type": "text/plain;charset=UTF-8" } });
      assert.equal(res.status, 200, `${path}: ${await res.text()}`);
      assert.equal(upstream.stats().requests, before + 1, path);
      assert.equal(upstream.requests.at(-1).eventId, "0123456789abcdef0123456789abcdef");
    }
    const started = Date.now();
    const res = await fetch(base + "/json", { method: "POST", body: JSON.stringify({ dsn: upstream.dsn }) });
    assert.equal(res.status, 500);
    assert.match(await res.text(), /read before the tunnel \(mount it before body parsers/);
    assert.ok(Date.now() - started < 2000, "answered at once");
  } finally {
    server.closeAllConnections();
    await new Promise((ok) => server.close(ok));
  }
});

/**
 * A slowloris client on a raw socket: announces `length` bytes, sends the start of an
 * envelope, then drips one byte every 50 ms and never finishes. Resolves with the status
 * code of the answer and whether the server then closed the connection.
 */
function slowClient(url, dsn, { length = 3000 } = {}) {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = "";
    let status;
    const drip = setInterval(() => socket.writable && socket.write("x"), 50);
    const done = (closed) => {
      clearInterval(drip);
      socket.destroy();
      resolve({ status, closed });
    };
    socket.on("error", () => {}); // a reset after the answer is fine
    socket.on("data", (d) => {
      received += d.toString("latin1");
      status ??= /^HTTP\/1\.1 (\d{3})/.exec(received)?.[1];
    });
    socket.on("close", () => done(true));
    socket.write(
      `POST ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/x-sentry-envelope\r\n` +
        `Content-Length: ${length}\r\n\r\n${JSON.stringify({ dsn })}\n`,
    );
    // Without a close, the answer alone settles it (workerd may keep the connection).
    const check = setInterval(() => {
      if (status !== undefined && received.includes("\r\n\r\n")) {
        clearInterval(check);
        setTimeout(() => done(socket.destroyed), 200);
      }
    }, 20);
    socket.on("close", () => clearInterval(check));
    socket.setTimeout(15_000, () => {
      clearInterval(check);
      clearInterval(drip);
      socket.destroy();
      reject(new Error(`no answer to a slow body; got ${JSON.stringify(received)}`));
    });
  });
}

test("Node: a body still arriving at the deadline gets 408, the connection is closed, nothing goes upstream", { timeout: 30_000 }, async () => {
  const before = upstream.stats().requests;
  const { status, closed } = await slowClient(nodeUrl, upstream.dsn);
  assert.equal(status, "408");
  assert.equal(closed, true, "the server does not keep reading a refused body");
  assert.equal(upstream.stats().requests, before);
  // The server still answers others.
  const res = await fetch(nodeUrl, { method: "POST", body: envelope(upstream.dsn) });
  assert.equal(res.status, 200);
  await res.text();
  assert.equal(upstream.stats().requests, before + 1);
});

test("the deadline is on the whole body, and a body that makes it in time is relayed", async () => {
  const before = upstream.stats().requests;
  const handler = createTunnelHandler({ allowedDsns: [upstream.dsn], bodyTimeoutMs: 10_000 });
  const bytes = new TextEncoder().encode(envelope(upstream.dsn));
  let res = await handler(new Request("http://app.test/", { method: "POST", body: new Blob([bytes]).stream(), duplex: "half" }));
  assert.equal(res.status, 200);
  await res.text();
  assert.equal(upstream.stats().requests, before + 1);
  // A stream that never ends (each chunk in time, the whole never) is cut at the deadline.
  const short = createTunnelHandler({ allowedDsns: [upstream.dsn], bodyTimeoutMs: 200 });
  let pulls = 0;
  const endless = new ReadableStream({
    async pull(c) {
      pulls++;
      await new Promise((ok) => setTimeout(ok, 20));
      c.enqueue(new TextEncoder().encode(pulls === 1 ? JSON.stringify({ dsn: upstream.dsn }) + "\n" : "x"));
    },
  });
  res = await short(new Request("http://app.test/", { method: "POST", body: endless, duplex: "half" }));
  assert.equal(res.status, 408);
  assert.match(await res.text(), /200 ms/);
  assert.ok(pulls > 3, "chunks kept arriving");
  assert.equal(upstream.stats().requests, before + 1);
});

test("workerd: forwarded-for headers are ignored by default (no peer address is given, none is forwarded)", async () => {
  const res = await mf.dispatchFetch(mfUrl, { method: "POST", body: envelope(upstream.dsn), headers: SPOOFED });
  assert.equal(res.status, 200, await res.text());
  assert.equal(outbound.at(-1).forwardedFor, null);
});

test("workerd: a slow body gets 408 and nothing goes upstream", { timeout: 30_000 }, async () => {
  const before = outbound.length;
  const requests = upstream.stats().requests;
  const { status } = await slowClient(mfUrl, upstream.dsn);
  assert.equal(status, "408");
  assert.equal(outbound.length, before);
  assert.equal(upstream.stats().requests, requests);
});
