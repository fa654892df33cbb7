// Requests at the edges of trace propagation, in Chromium: a page whose `<base href>`
// names another origin (its relative requests go there, so they get no headers by
// default and need no preflight), a `keepalive` fetch made while the core still loads (it
// leaves at once, as the page may be going away), and an HTTP client that keeps the
// `Request` it passed to fetch (axios's fetch adapter, `error.request`): its error is
// linked to that request, not to a later one with the same status.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../scripts/lib/chromium.mjs";
import { serveStatic } from "../scripts/lib/static-server.mjs";
import { shouldPropagate } from "../dist/instrument/request-rules.js";
import { holdWasm } from "./helpers/browser-rig.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const DSN = "http://pubkey@127.0.0.1:9/42";
let site, other, chromium;
const received = [];

/** Records a request's path and headers, answers 500 for /fail, 200 otherwise (CORS: any origin, no extra headers). */
function record(req, res) {
  received.push({ url: req.url, headers: req.headers, at: Date.now() });
  const headers = { "access-control-allow-origin": "*", "content-type": "text/plain" };
  if (req.method === "OPTIONS") return void res.writeHead(204, headers).end();
  res.writeHead(req.url.startsWith("/fail") ? 500 : 200, { ...headers, ...(req.headers["x-request-id"] ? { "x-request-id": req.headers["x-request-id"] } : {}) }).end("ok");
}

before(async () => {
  const routes = { "/record": record, "/fail-a": record, "/fail-b": record, "/keep": record };
  site = await serveStatic(root, { routes });
  other = createServer(record);
  await new Promise((ok) => other.listen(0, "127.0.0.1", ok));
  other.url = `http://127.0.0.1:${other.address().port}`;
  chromium = await launchChromium();
});
after(async () => {
  await chromium?.close();
  await site?.close();
  other?.closeAllConnections?.();
  await new Promise((ok) => (other ? other.close(() => ok()) : ok()));
});

test("a relative URL resolves against the request base, and the page's own origin decides", () => {
  const page = "http://shop.example/cart";
  assert.equal(shouldPropagate("file.json", undefined, "http://cdn.example/", page), false, "<base href> on another origin");
  assert.equal(shouldPropagate("file.json", undefined, "http://shop.example/app/", page), true);
  assert.equal(shouldPropagate("/api/x", undefined, page), true, "the page is the base when none is given");
});

test("Chromium: with a <base href> on another origin, a relative fetch and XHR go there without headers, and succeed", async () => {
  const page = await chromium.newPage();
  await page.goto(`${site.url}/www/blank.html`);
  const result = await page.evaluate(async ({ dsn, base }) => {
    const b = document.createElement("base");
    b.href = `${base}/`;
    document.head.prepend(b);
    const oxeye = await import("oxeye");
    await oxeye.init({ dsn, transport: async () => ({ status: 200, headers: {} }) }).ready;
    const viaFetch = await fetch("record?via=fetch").then((r) => r.status, (e) => String(e));
    const viaXhr = await new Promise((resolve) => {
      const x = new XMLHttpRequest();
      x.open("GET", "record?via=xhr");
      x.onloadend = () => resolve(x.status);
      x.send();
    });
    return { viaFetch, viaXhr };
  }, { dsn: DSN, base: other.url });
  assert.deepEqual(result, { viaFetch: 200, viaXhr: 200 });
  const got = received.filter((r) => /via=(fetch|xhr)/.test(r.url));
  assert.equal(got.length, 2, JSON.stringify(got));
  for (const r of got) assert.equal(r.headers["sentry-trace"] ?? r.headers["x-request-id"], undefined, JSON.stringify(r.headers));
  await page.close();
});

test("Chromium: fetches made while the core loads, keepalive or not, leave at once with the page's trace and the request id", async () => {
  const page = await chromium.newPage();
  // The wasm is held back, so the engine (which wraps fetch) is up while the core loads.
  const release = await holdWasm(page);
  await page.goto(`${site.url}/www/blank.html`);
  const patched = await page.evaluate(async ({ dsn }) => {
    const oxeye = await import("oxeye");
    oxeye.init({ dsn, transport: async () => ({ status: 200, headers: {} }) });
    // (The loader's wrapper: the engine's replaces it.)
    const original = fetch;
    oxeye.captureMessage("start the engine now");
    for (let i = 0; i < 500 && fetch === original; i++) await new Promise((ok) => setTimeout(ok, 10));
    if (fetch === original) return false;
    // Neither waits for the core: the page's trace is known before it.
    window.sent = Promise.all([
      fetch("/keep?k=plain", { method: "POST", body: "x" }).then((r) => r.status),
      fetch("/keep?k=keepalive", { method: "POST", body: "draft", keepalive: true }).then((r) => r.status),
    ]);
    return true;
  }, { dsn: DSN });
  assert.equal(patched, true, "the engine wrapped fetch while the core was held");
  await page.evaluate(() => window.sent);
  const sentBeforeCore = received.filter((x) => x.url.startsWith("/keep?")).length;
  release();
  const trace = await page.evaluate(async () => {
    const oxeye = await import("oxeye");
    await oxeye.getClient().ready;
    return oxeye.getTraceData()["sentry-trace"];
  });
  assert.equal(sentBeforeCore, 2, "both answered while the core was held back");
  for (const k of ["keepalive", "plain"]) {
    const got = received.find((x) => x.url === `/keep?k=${k}`);
    assert.match(got.headers["x-request-id"] ?? "", /^[0-9a-f-]{32,36}$/, `${k}: the request id`);
    assert.equal(got.headers["sentry-trace"], trace, `${k}: the page's trace`);
    assert.equal(got.headers.baggage, undefined, `${k}: no sampling context before the core`);
  }
  await page.close();
});

test("Chromium: an error that keeps the Request it was about (error.request) is linked to that request", async () => {
  const page = await chromium.newPage();
  await page.goto(`${site.url}/www/blank.html`);
  const { ids, events } = await page.evaluate(async ({ dsn }) => {
    const oxeye = await import("oxeye");
    const events = [];
    const transport = async (req) => (events.push(new TextDecoder().decode(req.body)), { status: 200, headers: {} });
    await oxeye.init({ dsn, transport }).ready;
    const a = new Request("/fail-a");
    const b = new Request("/fail-b");
    const [ra, rb] = await Promise.all([fetch(a), fetch(b)]);
    // As axios's fetch adapter rejects: an error with the response's status, and the Request in `request`.
    const err = Object.assign(new Error("Request failed with status code 500"), { status: 500, request: a });
    await rb.text();
    oxeye.captureException(err);
    await oxeye.flush(5000);
    return { ids: { a: ra.headers.get("x-request-id"), b: rb.headers.get("x-request-id") }, events };
  }, { dsn: DSN });
  const ev = events.map((e) => JSON.parse(e.split("\n")[2])).find((e) => e.exception);
  assert.ok(ids.a && ids.b && ids.a !== ids.b);
  assert.equal(ev.tags.request_id, ids.a, "the request the error names, not the last one handled");
  await page.close();
});
