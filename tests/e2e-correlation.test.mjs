// Frontend ↔ backend correlation, end to end: a page in Chromium using oxeye calls a
// Python backend that uses Sentry's official SDK (sentry-sdk, plain WSGI, 127.0.0.1).
// The backend continues the incoming trace, puts the request id into its scope and echoes
// it; one route fails. Both errors are stored by the same Bugsink, and the test reads
// them back through its API: same trace_id (contexts.trace), same request_id tag.
// Requests to other origins get no oxeye headers. A server-rendered page hands its trace
// to the browser through meta tags. Every oxeye event passes sentry-relay's normaliser.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../scripts/lib/chromium.mjs";
import { serveStatic } from "../scripts/lib/static-server.mjs";
import * as serverOxeye from "../dist/entrypoints/node.js";
import { holdWasm } from "./helpers/browser-rig.mjs";
import { assertSameFailedRequest, assertValidForSentry, errorValue, oxeyeEvents, pythonEvents, startTraceParts } from "./helpers/real.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
let parts, bugsink, backend, site, other, chromium;
const sameOrigin = []; // headers of requests the page made to its own origin
const otherOrigin = []; // headers of requests the page made to a third-party origin

function headersOnly(h) {
  const keep = {};
  for (const k of ["sentry-trace", "baggage", "traceparent", "x-request-id"]) if (h[k] !== undefined) keep[k] = h[k];
  return keep;
}

before(async () => {
  // (The server side of a server-rendered page: oxeye in Node renders the meta tags.)
  ({ bugsink, backend } = parts = await startTraceParts(serverOxeye));
  site = await serveStatic(root, {
    routes: {
      "/echo": (req, res) => {
        sameOrigin.push(headersOnly(req.headers));
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      },
      // A page rendered by the Python backend: its meta tags as sentry-sdk writes them.
      "/ssr-python": async (req, res) => {
        const meta = await (await fetch(`${backend.url}/api/meta`)).json();
        const esc = (t) => t.replace(/&/g, "&amp;").replace(/"/g, "&quot;");
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(`<!doctype html><html><head><meta charset="utf-8">
<meta name="sentry-trace" content="${esc(meta.sentry_trace)}"><meta name="baggage" content="${esc(meta.baggage)}">
<script type="importmap">{ "imports": { "oxeye": "/dist/entrypoints/browser.js" } }</script></head><body></body></html>`);
      },
      "/ssr": (req, res) => {
        // One trace per page view: the server's error and the browser's share it.
        const html = serverOxeye.startNewTrace(() => {
          serverOxeye.captureMessage("server rendered the product page", "info");
          return `<!doctype html><html><head><meta charset="utf-8">${serverOxeye.getTraceMetaTags()}
<script type="importmap">{ "imports": { "oxeye": "/dist/entrypoints/browser.js" } }</script></head>
<body><main><div class="actions"><button id="buy" class="primary" type="button">Buy now</button></div></main></body></html>`;
        });
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
      },
    },
  });
  other = createServer((req, res) => {
    otherOrigin.push(headersOnly(req.headers));
    res.writeHead(200, { "access-control-allow-origin": "*", "content-type": "text/plain" }).end("ok");
  });
  await new Promise((ok) => other.listen(0, "127.0.0.1", ok));
  other.url = `http://127.0.0.1:${other.address().port}`;
  chromium = await launchChromium();
});
after(async () => {
  await chromium?.close();
  await site?.close();
  await new Promise((ok) => (other ? (other.closeAllConnections?.(), other.close(() => ok())) : ok()));
  await parts?.stop();
});


test("Chromium ↔ Python sentry-sdk: the browser's error and the backend's error share trace_id and request_id in Bugsink", async () => {
  const page = await chromium.newPage();
  await page.goto(`${site.url}/www/blank.html`);
  const result = await page.evaluate(
    async ({ dsn, backendUrl, otherUrl }) => {
      const oxeye = await import("oxeye");
      const client = oxeye.init({ dsn, release: "shop-web@1.0.0", environment: "e2e", tracePropagationTargets: [backendUrl] });
      await client.ready;
      const trace = oxeye.getTraceData();
      // The app's code: it reports a failed checkout by throwing, and nobody catches it.
      async function checkout() {
        const res = await fetch(`${backendUrl}/api/fail`, { method: "GET" });
        const body = await res.json();
        if (!res.ok) throw new Error(`Checkout failed: HTTP ${res.status} (${body.error})`);
      }
      // Listeners run in the order they were added: once this one runs, oxeye's (added by
      // init) has captured the rejection.
      const reported = new Promise((r) => window.addEventListener("unhandledrejection", r, { once: true }));
      void checkout();
      // A third-party request: must go out untouched.
      await (await fetch(`${otherUrl}/pixel.gif`)).text();
      await reported;
      return { trace, flushed: await oxeye.flush(15000) };
    },
    { dsn: bugsink.dsn, backendUrl: backend.url, otherUrl: other.url },
  );
  assert.equal(result.flushed, true);
  const events = await bugsink.api.waitForEvents(
    (evs) => pythonEvents(evs).some((e) => /order service unavailable/.test(errorValue(e))) && oxeyeEvents(evs).some((e) => /Checkout failed/.test(errorValue(e))),
    { timeoutMs: 15_000 },
  );
  const py = pythonEvents(events).find((e) => /order service unavailable/.test(errorValue(e)));
  const web = oxeyeEvents(events).find((e) => /Checkout failed/.test(errorValue(e)));

  // The same trace and the same request, read back from Bugsink; the browser error is the
  // app's unhandled rejection, and the request its breadcrumb.
  assertSameFailedRequest(web, py, "/api/fail");
  assert.equal(web.data.contexts.trace.trace_id, result.trace["sentry-trace"].split("-")[0]);
  assert.ok(errorValue(py).includes(web.data.tags.request_id), "the backend saw the same id");
  // The DSC the backend received is the head's (the browser's), so Python's envelope says so too.
  assert.equal(web.data.release, "shop-web@1.0.0");
  assert.equal(py.data.release, "shop-api@2.0.0");
  // Another origin got no oxeye headers at all.
  assert.ok(otherOrigin.length >= 1);
  for (const h of otherOrigin) assert.deepEqual(h, {}, "no sentry-trace, baggage, traceparent or request id for another origin");
  await assertValidForSentry(oxeyeEvents(events).map((e) => e.data));
  await page.close();
});

test("Chromium XHR: propagated headers reach the backend, and an error thrown in the load handler names the request; a response that does not expose the request id header leaves nothing on the console", async () => {
  const page = await chromium.newPage();
  const consoleLines = [];
  page.on("console", (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  await page.goto(`${site.url}/www/blank.html`);
  const got = await page.evaluate(
    async ({ dsn, backendUrl, otherUrl }) => {
      const oxeye = await import("oxeye");
      const client = oxeye.init({ dsn, environment: "e2e", tracePropagationTargets: [backendUrl], propagateTraceparent: true });
      await client.ready;
      const xhr = (path, onload, headers = {}) =>
        new Promise((resolve) => {
          const x = new XMLHttpRequest();
          x.open("GET", `${backendUrl}${path}`);
          // Set in two calls, the second with a stale entry of another SDK's.
          x.setRequestHeader("baggage", "app-vendor=1");
          x.setRequestHeader("baggage", "sentry-release=stale");
          for (const [k, v] of Object.entries(headers)) x.setRequestHeader(k, v);
          x.onload = () => {
            try {
              onload(x);
            } finally {
              resolve(x);
            }
          };
          x.send();
        });
      // Another origin that exposes no request id header: Chromium would log a refusal
      // for every read of a header it hides.
      await new Promise((resolve) => {
        const x = new XMLHttpRequest();
        x.open("GET", `${otherUrl}/plain`);
        x.onloadend = resolve;
        x.send();
      });
      const echoed = await xhr("/api/headers", (x) => x);
      // An app (OpenTelemetry's web instrumentation, say) that traces this request itself.
      const otel = await xhr("/api/headers", (x) => x, { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" });
      const reported = new Promise((r) => window.addEventListener("error", r, { once: true })); // after oxeye's
      await xhr("/api/fail", (x) => {
        if (x.status >= 500) setTimeout(() => { throw new TypeError(`cart sync failed: ${x.status}`); });
      });
      await reported;
      return { headers: JSON.parse(echoed.responseText).headers, otel: JSON.parse(otel.responseText).headers, flushed: await oxeye.flush(15000), trace: oxeye.getTraceData() };
    },
    { dsn: bugsink.dsn, backendUrl: backend.url, otherUrl: other.url },
  );
  assert.equal(got.flushed, true);
  assert.deepEqual(consoleLines.filter((l) => /unsafe header/i.test(l)), [], "oxeye reads only the headers a response exposes");
  const h = got.headers;
  assert.equal(h["sentry-trace"], got.trace["sentry-trace"]);
  assert.match(h.baggage, /^app-vendor=1,sentry-trace_id=[0-9a-f]{32},sentry-public_key=[0-9a-f]+,/, "the app's baggage kept, the DSC appended");
  assert.ok(!h.baggage.includes("stale") && h.baggage.split("sentry-trace_id=").length === 2, `one DSC, the page's: ${h.baggage}`);
  // The app's own trace only: no second one beside it.
  assert.equal(got.otel.traceparent, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  assert.equal(got.otel["sentry-trace"], undefined);
  assert.equal(got.otel.baggage, "app-vendor=1, sentry-release=stale", "an app tracing the request itself keeps its baggage as set");
  assert.match(got.otel["x-request-id"], UUID);
  assert.match(h.traceparent, /^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
  assert.match(h["x-request-id"], UUID);
  const events = await bugsink.api.waitForEvents((evs) => oxeyeEvents(evs).some((e) => /cart sync failed/.test(errorValue(e))), { timeoutMs: 15_000 });
  const web = oxeyeEvents(events).find((e) => /cart sync failed/.test(errorValue(e)));
  const py = await bugsink.api.waitForEvents((evs) => pythonEvents(evs).some((e) => errorValue(e).includes(web.data.tags.request_id)), { timeoutMs: 15_000 });
  const backendError = pythonEvents(py).find((e) => errorValue(e).includes(web.data.tags.request_id));
  assert.equal(backendError.data.tags.request_id, web.data.tags.request_id);
  assert.equal(backendError.data.contexts.trace.trace_id, web.data.contexts.trace.trace_id);
  const crumb = web.data.breadcrumbs.values.find((c) => c.category === "xhr" && c.data.url.endsWith("/api/fail"));
  assert.equal(crumb.data.status_code, 500);
  assert.equal(crumb.data.request_id, web.data.tags.request_id);
  await assertValidForSentry([web.data]);
  await page.close();
});

test("Chromium defaults: same-origin requests only; a server-rendered page's meta tags continue its trace; breadcrumbs; close() uninstalls", async () => {
  const page = await chromium.newPage();
  await page.goto(`${site.url}/ssr`);
  const got = await page.evaluate(
    async ({ dsn, backendUrl }) => {
      const meta = document.querySelector('meta[name="sentry-trace"]').getAttribute("content");
      const native = { fetch: window.fetch, open: XMLHttpRequest.prototype.open, push: history.pushState };
      const oxeye = await import("oxeye");
      const client = oxeye.init({ dsn, environment: "e2e" });
      await client.ready;
      await (await fetch("/echo?session=abc")).text();
      const cross = await (await fetch(`${backendUrl}/api/headers`)).json();
      // Later, unrelated to those requests: the page's clock moves past their handling
      // window (measured with Date.now()) instead of the test waiting it out.
      const realNow = Date.now;
      Date.now = () => realNow() + 1000;
      console.warn("low stock", 2);
      document.getElementById("buy").click();
      history.pushState({}, "", "/checkout?step=2#pay");
      oxeye.captureException(new RangeError("quantity out of range"));
      const flushed = await oxeye.flush(15000);
      Date.now = realNow;
      await client.close(2000);
      const restored = window.fetch === native.fetch && XMLHttpRequest.prototype.open === native.open && history.pushState === native.push;
      return { meta, cross: cross.headers, flushed, restored };
    },
    { dsn: bugsink.dsn, backendUrl: backend.url },
  );
  assert.equal(got.flushed, true);
  assert.equal(got.restored, true, "close() put fetch, XHR and history back");
  const metaTrace = got.meta.split("-")[0];
  // Same origin: headers by default, in the server's trace.
  const echo = sameOrigin.at(-1);
  assert.equal(echo["sentry-trace"].split("-")[0], metaTrace);
  assert.match(echo.baggage, new RegExp(`sentry-trace_id=${metaTrace}`));
  assert.match(echo["x-request-id"], UUID);
  // Cross-origin without tracePropagationTargets: nothing (so third-party CORS never breaks).
  for (const k of ["sentry-trace", "baggage", "traceparent", "x-request-id"]) assert.equal(got.cross[k], undefined, k);
  await serverOxeye.flush(2000);
  const events = await bugsink.api.waitForEvents(
    (evs) => oxeyeEvents(evs).some((e) => /quantity out of range/.test(errorValue(e))) && evs.some((e) => e.data.logentry?.formatted === "server rendered the product page"),
  );
  const web = oxeyeEvents(events).find((e) => /quantity out of range/.test(errorValue(e)));
  const ssr = events.filter((e) => e.data.logentry?.formatted === "server rendered the product page").find((e) => e.data.contexts.trace.trace_id === metaTrace);
  assert.ok(ssr, "the server's event is in the trace the page was given");
  assert.equal(web.data.contexts.trace.trace_id, metaTrace, "the browser continued the server's trace");
  assert.equal(web.data.contexts.trace.parent_span_id, ssr.data.contexts.trace.span_id);
  assert.equal(web.data.tags?.request_id, undefined, "no request behind this error");
  const crumbs = web.data.breadcrumbs.values;
  const pick = (cat) => crumbs.find((c) => c.category === cat);
  assert.equal(pick("fetch").data.url, `${site.url}/echo?session=[Filtered]`);
  assert.deepEqual([pick("console").level, pick("console").message], ["warning", "low stock 2"]);
  assert.equal(pick("ui.click").message, "body > main > div.actions > button#buy.primary[type=\"button\"]");
  assert.ok(!JSON.stringify(crumbs).includes("Buy now"), "no text content");
  assert.deepEqual(pick("navigation").data, { from: "/ssr", to: "/checkout?step=2#pay" });
  await assertValidForSentry(oxeyeEvents(events).map((e) => e.data));
  await page.close();
});

test("Chromium ↔ Python sentry-sdk: a page rendered without a sample_rand gets one from the browser, and the backend then uses the same", async () => {
  const page = await chromium.newPage();
  await page.goto(`${site.url}/ssr-python`);
  const got = await page.evaluate(
    async ({ dsn, backendUrl }) => {
      const oxeye = await import("oxeye");
      const client = oxeye.init({ dsn, environment: "e2e", tracePropagationTargets: [backendUrl] });
      await client.ready;
      const meta = document.querySelector('meta[name="baggage"]').getAttribute("content");
      const sent = oxeye.getTraceData().baggage;
      const answer = await (await fetch(`${backendUrl}/api/ok`)).json();
      await client.close(2000);
      return { meta, sent, backend: answer.baggage };
    },
    { dsn: bugsink.dsn, backendUrl: backend.url },
  );
  const members = (b) => Object.fromEntries(b.split(",").map((m) => m.trim().split("=")));
  const [meta, sent, backendSent] = [members(got.meta), members(got.sent), members(got.backend)];
  assert.equal(meta["sentry-sample_rand"], undefined, "sentry-sdk without tracing renders none");
  assert.match(sent["sentry-sample_rand"] ?? "", /^0\.\d{6}$/, `the page propagates one: ${got.sent}`);
  for (const k of ["sentry-trace_id", "sentry-public_key", "sentry-release", "sentry-environment"]) assert.equal(sent[k], meta[k], `${k} kept as it came`);
  assert.equal(backendSent["sentry-sample_rand"], sent["sentry-sample_rand"], "the backend compares against the same number");
  assert.equal(backendSent["sentry-trace_id"], meta["sentry-trace_id"]);
  await page.close();
});

test("Chromium: a request made while the wasm loads goes at once, with the page's trace and no baggage (fetch and XHR)", async () => {
  const page = await chromium.newPage();
  const release = await holdWasm(page, "**/oxeye_bg.wasm");
  await page.goto(`${site.url}/www/blank.html`);
  const before = sameOrigin.length;
  const got = await page.evaluate(async (dsn) => {
    const oxeye = await import("oxeye");
    const client = oxeye.init({ dsn, environment: "e2e", globalHandlers: false });
    // (The loader's wrapper, which sends the page's trace until the engine takes over.)
    const original = window.fetch;
    // Instrumentation comes with the engine chunk, after the page's load event, while the
    // wasm is still held back: wait until fetch is wrapped by it.
    await new Promise((resolve) => {
      const check = () => (window.fetch !== original ? resolve() : setTimeout(check, 5));
      check();
    });
    const t0 = performance.now();
    await (await fetch("/echo?via=fetch", { headers: { baggage: "app-vendor=1" } })).text();
    await new Promise((resolve) => {
      const x = new XMLHttpRequest();
      x.open("GET", "/echo?via=xhr");
      x.setRequestHeader("baggage", "app-vendor=2");
      x.onloadend = resolve;
      x.send();
    });
    return { waited: performance.now() - t0, ready: await Promise.race([client.ready.then(() => true), new Promise((ok) => setTimeout(ok, 0, false))]) };
  }, bugsink.dsn);
  assert.equal(got.ready, false, "sent while the core was held back");
  assert.ok(got.waited < 1000, `no wait for the core: ${got.waited} ms`);
  release();
  const trace = await page.evaluate(async () => {
    const oxeye = await import("oxeye");
    await oxeye.getClient().ready;
    return oxeye.getTraceData()["sentry-trace"];
  });
  const [viaFetch, viaXhr] = sameOrigin.slice(before);
  for (const [h, app] of [[viaFetch, "app-vendor=1"], [viaXhr, "app-vendor=2"]]) {
    assert.equal(h["sentry-trace"], trace, "the page's trace, as the core then sends it");
    assert.equal(h.baggage, app, "the app's baggage as it set it, no sampling context yet");
    assert.match(h["x-request-id"], UUID);
  }
  await page.close();
});
