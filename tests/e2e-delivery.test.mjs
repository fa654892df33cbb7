// Delivery against a real Bugsink: its `X-Sentry-Rate-Limits: 86400:transaction;span:
// organization` is honoured without dropping errors; and the tunnel handler
// (`oxeye/tunnel`) relays envelopes to it from Node and from workerd (miniflare), refusing
// foreign DSNs (403) and oversized bodies (413), passing the client IP on and the
// upstream's rate-limit headers back.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import * as oxeye from "../dist/entrypoints/node.js";
import { Category } from "../dist/core/enums.js";
import { makeFetchTransport } from "../dist/delivery/transport.js";
import { createTunnelHandler } from "oxeye/tunnel";
import { faults, startFaultServer } from "../scripts/lib/fault-server.mjs";
import { parseEnvelope } from "./helpers/envelope.mjs";
import { startWorker } from "./helpers/worker.mjs";
import { assertValidForSentry, freshBugsink } from "./helpers/real.mjs";

let bugsink, upstream, tunnelServer, mf;
const outbound = [];
let handler;

/** Serves a Fetch API handler over Node's http server. */
async function serveHandler(fn) {
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const headers = new Headers();
    for (const h of ["content-type", "content-length", "user-agent", "x-forwarded-for", "cf-connecting-ip"]) {
      if (req.headers[h]) headers.set(h, req.headers[h]);
    }
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: req.method,
      headers,
      body: req.method === "POST" ? Buffer.concat(chunks) : undefined,
    });
    const response = await fn(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((ok) => { server.closeAllConnections(); server.close(() => ok()); }) };
}

function envelope(dsn, { pad = 0, eventId = "0123456789abcdef0123456789abcdef", message = "through the tunnel" } = {}) {
  const header = JSON.stringify({ event_id: eventId, dsn, sent_at: new Date().toISOString() });
  const event = JSON.stringify({
    event_id: eventId,
    timestamp: Date.now() / 1000,
    platform: "javascript",
    level: "error",
    logentry: { formatted: message },
    extra: pad ? { pad: "x".repeat(pad) } : undefined,
  });
  return `${header}\n{"type":"event","length":${Buffer.byteLength(event)}}\n${event}\n`;
}

function post(url, body, headers = {}) {
  return fetch(url, { method: "POST", body, headers: { "content-type": "text/plain;charset=UTF-8", ...headers } });
}

before(async () => {
  bugsink = await freshBugsink();
  upstream = await startFaultServer();
  // Behind a proxy of its own (trustProxy): the forwarded-for headers name the client.
  handler = createTunnelHandler({ allowedDsns: [bugsink.dsn, upstream.dsn], maxBodyBytes: 8192, trustProxy: true });
  tunnelServer = await serveHandler(handler);
  mf = startWorker(new URL("./workers/tunnel-worker.mjs", import.meta.url), {
    bindings: { SENTRY_DSN: bugsink.dsn, TRUST_PROXY: "1" },
    // Every outbound request of the worker goes through here: loopback only.
    onOutbound: (url, request) => outbound.push({ url: url.href, forwardedFor: request.headers.get("x-sentry-forwarded-for") }),
  });
});
after(async () => {
  await oxeye.close(0);
  await mf?.dispose();
  await tunnelServer?.close();
  await upstream?.close();
  await bugsink?.stop();
});

test("Bugsink: its rate limit on transactions and spans is honoured, and errors keep arriving", async () => {
  const seen = [];
  const fetchTransport = makeFetchTransport();
  const client = oxeye.init({
    dsn: bugsink.dsn,
    release: "delivery-e2e@1.0.0",
    transport: async (req) => {
      const res = await fetchTransport(req);
      seen.push({ kinds: parseEnvelope(req.body).items.map((i) => i.headers.type), status: res.status, limits: res.headers["x-sentry-rate-limits"] });
      return res;
    },
  });
  const ids = [];
  for (let round = 0; round < 3; round++) {
    ids.push(oxeye.captureException(new RangeError(`limited server, round ${round}`)));
    ids.push(oxeye.captureMessage(`still arriving ${round}`, "error"));
    assert.equal(await oxeye.flush(15000), true);
  }
  assert.ok(seen.length >= 6 && seen.every((s) => s.status === 200), JSON.stringify(seen));
  assert.equal(seen[0].limits, "86400:transaction;span:organization", "Bugsink announces its limit");
  assert.ok(seen.every((s) => !s.kinds.includes("client_report")), "nothing was dropped, so nothing was reported");
  // The client took the limit in: transactions and spans are limited for a day, errors are not.
  const limits = client["engine"].delivery.limits;
  assert.equal(limits.isLimited(Category.Transaction, Date.now()), true);
  assert.equal(limits.isLimited(Category.Span, Date.now() + 3_600_000), true);
  assert.equal(limits.isLimited(Category.Error, Date.now()), false);
  const events = await bugsink.api.waitForEvents((evs) => ids.every((id) => evs.some((e) => e.data.event_id === id)));
  await assertValidForSentry(events.map((e) => e.data));
});

test("tunnel (Node): an oxeye client's envelopes reach Bugsink through the handler", async () => {
  const client = oxeye.init({ dsn: bugsink.dsn, tunnel: `${tunnelServer.url}/monitoring-x`, transportOptions: { maxRetries: 0 } });
  const id = oxeye.captureException(new SyntaxError("sent through the tunnel from Node"));
  assert.equal(await oxeye.flush(15000), true);
  const stored = await bugsink.api.waitForEvent(id);
  assert.equal(stored.exception.values[0].type, "SyntaxError");
  assert.equal(client["engine"].deliveryCore().url, `${tunnelServer.url}/monitoring-x`);
});

test("tunnel (Node): no open proxy, a capped body, the client IP passed on, rate limits passed back", async () => {
  const foreign = "http://otherkey@127.0.0.1:9/77";
  let res = await post(tunnelServer.url, envelope(foreign));
  assert.equal(res.status, 403);
  res = await post(tunnelServer.url, envelope(bugsink.dsn.replace("http://", "http://another")));
  assert.equal(res.status, 403, "a different key is a different DSN");
  res = await post(tunnelServer.url, envelope(bugsink.dsn, { pad: 10_000 }));
  assert.equal(res.status, 413);
  res = await handler(new Request("http://x/", { method: "POST", body: new Blob([envelope(bugsink.dsn, { pad: 10_000 })]).stream(), duplex: "half" }));
  assert.equal(res.status, 413, "also without a Content-Length");
  res = await post(tunnelServer.url, `{"event_id":"0123456789abcdef0123456789abcdef"}\n{"type":"event"}\n{}\n`);
  assert.equal(res.status, 400, "an envelope must name its DSN");
  res = await post(tunnelServer.url, envelope("not a dsn"));
  assert.equal(res.status, 400);
  res = await fetch(tunnelServer.url);
  assert.equal(res.status, 405);
  await res.text();

  upstream.respond = () => faults.ok();
  res = await post(tunnelServer.url, envelope(upstream.dsn.replace("http://", "HTTP://")), { "cf-connecting-ip": "203.0.113.7", "user-agent": "tunnel-test" });
  assert.equal(res.status, 200, "the DSN is compared after parsing");
  const forwarded = upstream.requests.at(-1);
  assert.equal(forwarded.headers["x-sentry-forwarded-for"], "203.0.113.7");
  assert.equal(forwarded.headers["content-type"], "application/x-sentry-envelope");
  assert.equal(forwarded.headers["user-agent"], "tunnel-test");
  res = await post(tunnelServer.url, envelope(upstream.dsn), { "x-forwarded-for": "198.51.100.4, 10.0.0.1" });
  await res.text();
  assert.equal(upstream.requests.at(-1).headers["x-sentry-forwarded-for"], "198.51.100.4");

  upstream.respond = () => ({ status: 429, headers: { "retry-after": "30", "x-sentry-rate-limits": "30:error:key" } });
  res = await post(tunnelServer.url, envelope(upstream.dsn));
  assert.equal(res.status, 429);
  assert.equal(res.headers.get("retry-after"), "30");
  assert.equal(res.headers.get("x-sentry-rate-limits"), "30:error:key");
  await res.text();

  await upstream.setOffline(true);
  try {
    res = await post(tunnelServer.url, envelope(upstream.dsn));
    assert.equal(res.status, 502);
    await res.text();
  } finally {
    await upstream.setOffline(false);
  }
  assert.throws(() => createTunnelHandler({ allowedDsns: [] }), TypeError);
  const broken = createTunnelHandler({ allowedDsns: ["nonsense"] });
  res = await broken(new Request("http://x/", { method: "POST", body: envelope(bugsink.dsn) }));
  assert.equal(res.status, 500);
  assert.match(await res.text(), /allowedDsns\[0\] is not a valid DSN/);
});

test("tunnel (workerd): relays to Bugsink, refuses foreign DSNs and oversized bodies", async () => {
  const eventId = "fedcba9876543210fedcba9876543210";
  let res = await mf.dispatchFetch("http://app.test/tunnel", {
    method: "POST",
    body: envelope(bugsink.dsn, { eventId, message: "relayed by workerd" }),
    headers: { "cf-connecting-ip": "192.0.2.10" },
  });
  assert.equal(res.status, 200, await res.clone().text());
  await res.text();
  const stored = await bugsink.api.waitForEvent(eventId);
  assert.equal(stored.logentry.formatted, "relayed by workerd");
  const relayed = outbound.at(-1);
  assert.ok(relayed.url.startsWith(`${bugsink.url}/api/${bugsink.projectId}/envelope/?sentry_key=${bugsink.sentryKey}`), relayed.url);
  assert.equal(relayed.forwardedFor, "192.0.2.10");

  const before = outbound.length;
  res = await mf.dispatchFetch("http://app.test/tunnel", { method: "POST", body: envelope("http://evil@127.0.0.1:1/1") });
  assert.equal(res.status, 403);
  await res.text();
  res = await mf.dispatchFetch("http://app.test/tunnel", { method: "POST", body: envelope(bugsink.dsn, { pad: 5000 }) });
  assert.equal(res.status, 413);
  await res.text();
  assert.equal(outbound.length, before, "nothing refused was forwarded");
});
