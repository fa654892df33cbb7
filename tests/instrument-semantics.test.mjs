// Instrumentation keeps the app's semantics. With oxeye's fetch (and, in Chromium, XHR)
// wrappers installed, every way of calling them in tests/helpers/fetch-cases.mjs reaches
// a real server on 127.0.0.1 exactly as the app made it (method, body, the app's own
// headers, inherited and getter-defined init members) with only oxeye's trace headers
// added; and the wrapped functions keep the originals' own properties and prototype,
// with `toString` left alone. The same table runs in Node and in Chromium, and again
// through fetch wrappers of an app's own installed before oxeye's (which then calls them).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import * as oxeye from "../dist/entrypoints/node.js";
import { launchChromium } from "../scripts/lib/chromium.mjs";
import { serveStatic } from "../scripts/lib/static-server.mjs";
import { installAppWrapper, runFetchCases, shapeOf } from "./helpers/fetch-cases.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const DSN = "http://pubkey@127.0.0.1:9/42";
let site, chromium;

/** Answers `{ method, body, headers }` of the request it got. */
function echo(req, res) {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ method: req.method, body: Buffer.concat(chunks).toString("utf8"), headers: req.headers }));
  });
}

before(async () => {
  site = await serveStatic(root, { routes: { "/echo": echo } });
});
after(async () => {
  await oxeye.close(0);
  await chromium?.close();
  await site?.close();
});

function report(rows) {
  return rows.filter((r) => !r.ok).map((r) => `${r.name}: ${r.problems.join("; ")}`).join("\n");
}

test("Node: every way of calling fetch sends the app's own request, plus trace headers", async () => {
  const original = globalThis.fetch;
  original.oxeyeTestMarker = "kept";
  original[Symbol.for("oxeye.test")] = "kept too";
  // @sentry/browser's mark of its wrapper names what it wrapped: not copied to oxeye's.
  original.__sentry_original__ = () => {};
  try {
    const before = shapeOf(original);
    oxeye.init({ dsn: DSN, transport: async () => ({ status: 200, headers: {} }), tracePropagationTargets: [site.url] });
    assert.notEqual(globalThis.fetch, original, "fetch is instrumented");
    assert.deepEqual(shapeOf(globalThis.fetch), before, "the wrapper keeps the original's own properties");
    assert.equal(before.marker, "kept");
    assert.equal(before.ownToString, false);
    assert.equal(Object.hasOwn(globalThis.fetch, "__sentry_original__"), false, "another SDK's mark of its own wrapper is not copied");
    const rows = await runFetchCases(`${site.url}/echo`);
    assert.equal(rows.length > 10, true);
    assert.equal(report(rows), "");
  } finally {
    await oxeye.close(0);
    delete original.oxeyeTestMarker;
    delete original.__sentry_original__;
    delete original[Symbol.for("oxeye.test")];
  }
  assert.equal(globalThis.fetch, original, "close() restores the original");
});

test("Chromium: the same fetch table, XHR semantics, and wrapped functions keep their shape", async () => {
  chromium = await launchChromium();
  const page = await chromium.newPage();
  await page.goto(`${site.url}/www/blank.html`);
  const result = await page.evaluate(async ({ dsn, origin }) => {
    const { runFetchCases, shapeOf } = await import("/tests/helpers/fetch-cases.mjs");
    const proto = XMLHttpRequest.prototype;
    fetch.oxeyeTestMarker = "kept";
    proto.open.oxeyeTestMarker = "kept";
    const originals = { fetch: shapeOf(fetch), open: shapeOf(proto.open), send: shapeOf(proto.send), set: shapeOf(proto.setRequestHeader) };
    const rawFetch = fetch;
    const oxeye = await import("oxeye");
    const client = oxeye.init({ dsn, transport: async () => ({ status: 200, headers: {} }), tracePropagationTargets: [origin] });
    await client.ready;
    const wrapped = { fetch: shapeOf(fetch), open: shapeOf(proto.open), send: shapeOf(proto.send), set: shapeOf(proto.setRequestHeader) };
    const rows = await runFetchCases(`${origin}/echo`);
    const xhr = (method, body, headers) =>
      new Promise((resolve) => {
        const x = new XMLHttpRequest();
        x.open(method, `${origin}/echo`);
        for (const [k, v] of Object.entries(headers)) x.setRequestHeader(k, v);
        x.onloadend = () => resolve(JSON.parse(x.responseText));
        x.send(body);
      });
    const xhrPost = await xhr("POST", "xhr body", { "x-app": "xhr", baggage: "app=1" });
    const xhrGet = await xhr("GET", null, {});
    return { originals, wrapped, rows, xhrPost, xhrGet, patched: fetch !== rawFetch };
  }, { dsn: DSN, origin: site.url });
  assert.equal(result.patched, true, "fetch is instrumented in the page");
  assert.deepEqual(result.wrapped, result.originals);
  assert.equal(result.originals.fetch.marker, "kept");
  assert.equal(result.originals.open.length, 2);
  assert.equal(report(result.rows), "");
  const { xhrPost, xhrGet } = result;
  assert.equal(xhrPost.method, "POST");
  assert.equal(xhrPost.body, "xhr body");
  assert.equal(xhrPost.headers["x-app"], "xhr");
  assert.match(xhrPost.headers["sentry-trace"], /^[0-9a-f]{32}-[0-9a-f]{16}/);
  assert.match(xhrPost.headers.baggage, /^app=1,sentry-/);
  assert.equal(xhrGet.method, "GET");
  assert.equal(xhrGet.body, "");
  assert.match(xhrGet.headers["sentry-trace"], /^[0-9a-f]{32}-[0-9a-f]{16}/);
});

test("Chromium: with another tool that, as @sentry/browser does, wraps each XHR's setRequestHeader in open() and adds its own sentry-trace at send unless one is set, a request carries one trace", async () => {
  chromium ??= await launchChromium();
  const page = await chromium.newPage();
  await page.goto(`${site.url}/www/blank.html`);
  const headers = await page.evaluate(async ({ dsn, origin }) => {
    // The other tool, installed first (oxeye wraps the prototype after it).
    const proto = XMLHttpRequest.prototype;
    const open = proto.open;
    const send = proto.send;
    proto.open = function (...args) {
      const seen = (this.__seen = {});
      const set = this.setRequestHeader;
      this.setRequestHeader = (k, v) => ((seen[String(k).toLowerCase()] = v), set.call(this, k, v));
      return open.apply(this, args);
    };
    proto.send = function (...args) {
      if (!this.__seen["sentry-trace"]) this.setRequestHeader("sentry-trace", "11111111111111111111111111111111-2222222222222222-1");
      return send.apply(this, args);
    };
    const oxeye = await import("oxeye");
    const client = oxeye.init({ dsn, transport: async () => ({ status: 200, headers: {} }), tracePropagationTargets: [origin] });
    await client.ready;
    return new Promise((resolve) => {
      const x = new XMLHttpRequest();
      x.open("GET", `${origin}/echo`);
      x.onloadend = () => resolve(JSON.parse(x.responseText).headers);
      x.send();
    });
  }, { dsn: DSN, origin: site.url });
  assert.match(headers["sentry-trace"], /^[0-9a-f]{32}-[0-9a-f]{16}(-[01])?$/, `one sentry-trace: ${headers["sentry-trace"]}`);
  assert.doesNotMatch(headers.baggage ?? "", /sentry-trace_id=.*sentry-trace_id=/);
  await page.close();
});

test("Node: an app's fetch wrapper installed before oxeye gets the app's own arguments, so its headers and the app's survive", async () => {
  const original = globalThis.fetch;
  const use = installAppWrapper();
  try {
    oxeye.init({ dsn: DSN, transport: async () => ({ status: 200, headers: {} }), tracePropagationTargets: [site.url] });
    const rows = await runFetchCases(`${site.url}/echo`, use);
    assert.ok(rows.some((r) => /wrapper/.test(r.name)));
    assert.equal(report(rows), "");
  } finally {
    await oxeye.close(0);
    globalThis.fetch = original;
  }
});

test("Chromium: the same, with the app's wrapper installed before oxeye loads", async () => {
  chromium ??= await launchChromium();
  const page = await chromium.newPage();
  await page.goto(`${site.url}/www/blank.html`);
  const rows = await page.evaluate(async ({ dsn, origin }) => {
    const { installAppWrapper, runFetchCases } = await import("/tests/helpers/fetch-cases.mjs");
    const use = installAppWrapper();
    const oxeye = await import("oxeye");
    await oxeye.init({ dsn, transport: async () => ({ status: 200, headers: {} }), tracePropagationTargets: [origin] }).ready;
    return runFetchCases(`${origin}/echo`, use);
  }, { dsn: DSN, origin: site.url });
  assert.ok(rows.some((r) => /wrapper/.test(r.name)));
  assert.equal(report(rows), "");
  await page.close();
});
