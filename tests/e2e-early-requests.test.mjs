// Requests a page makes as it starts, before its `load` event, while oxeye's engine and
// wasm are not loaded yet (they wait for `load`): in Chromium, against the Python backend
// with Sentry's official SDK and Bugsink. An image that answers late holds the page's load
// event back while the page's module script calls `init` and then its API. Those requests
// must carry the page's trace and a request id (the backend's error and the browser's
// share both in Bugsink, and the browser's has the request as its breadcrumb); a page
// rendered with a trace in its meta tags sends that trace; the shapes an app gives its
// headers in (an object, pairs, a `Headers`, a `Request`) arrive with the app's own
// headers kept. Every oxeye event passes sentry-relay's normaliser.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../scripts/lib/chromium.mjs";
import { serveStatic } from "../scripts/lib/static-server.mjs";
import { startBackend } from "../scripts/lib/backend.mjs";
import * as serverOxeye from "../dist/entrypoints/node.js";
import { assertValidForSentry, freshBugsink } from "./helpers/real.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const IMAGE_DELAY_MS = 1500;
let bugsink, backend, site, chromium;
const echoed = []; // what same-origin requests to /echo carried

/** A page whose module script runs `script` (given `DSN` and `BACKEND`), with `head` in its head; its load event waits for a slow image. */
function page(head, script) {
  return (req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(`<!doctype html><html><head><meta charset="utf-8">${head()}
<script type="importmap">{ "imports": { "oxeye": "/dist/entrypoints/browser.js" } }</script>
<script type="module">
const DSN = ${JSON.stringify(bugsink.dsn)}, BACKEND = ${JSON.stringify(backend.url)};
const wasmSoFar = () => performance.getEntriesByType("resource").filter((e) => e.name.includes(".wasm")).length;
${script}
</script></head><body><img src="/slow.gif" alt=""></body></html>`);
  };
}

before(async () => {
  bugsink = await freshBugsink();
  backend = await startBackend({ dsn: bugsink.dsn, release: "shop-api@2.0.0", environment: "e2e" });
  serverOxeye.init({ dsn: bugsink.dsn, release: "shop-ssr@1.0.0", environment: "e2e" });
  site = await serveStatic(root, {
    routes: {
      "/slow.gif": (req, res) =>
        setTimeout(() => res.writeHead(200, { "content-type": "image/gif" }).end(Buffer.from("R0lGODlhAQABAAAAACw=", "base64")), IMAGE_DELAY_MS),
      "/echo": (req, res) => {
        const h = req.headers;
        echoed.push({ url: req.url, "sentry-trace": h["sentry-trace"], traceparent: h.traceparent, baggage: h.baggage, "x-request-id": h["x-request-id"], "x-app": h["x-app"], "content-type": h["content-type"] });
        res.writeHead(200, { "content-type": "text/plain" }).end("ok");
      },
      // The app calls its API as it starts, and reports a failed call by throwing.
      "/early": page(
        () => "",
        `import * as oxeye from "oxeye";
oxeye.init({ dsn: DSN, release: "shop-web@1.0.0", environment: "e2e", tracePropagationTargets: [BACKEND], propagateTraceparent: true });
window.atStart = { readyState: document.readyState, wasm: wasmSoFar() };
(async () => {
  const res = await fetch(BACKEND + "/api/fail");
  const body = await res.json();
  window.atFailure = { readyState: document.readyState, wasm: wasmSoFar() };
  throw new Error("Checkout failed early: HTTP " + res.status + " (" + body.error + ")");
})();
window.headersSeen = fetch(BACKEND + "/api/headers").then((r) => r.json());`,
      ),
      // A server-rendered page: its trace comes in meta tags; the default targets (its own origin).
      "/early-ssr": page(
        () => serverOxeye.startNewTrace(() => serverOxeye.getTraceMetaTags()),
        `import * as oxeye from "oxeye";
oxeye.init({ dsn: DSN, environment: "e2e" });
window.atStart = { readyState: document.readyState, wasm: wasmSoFar() };
window.done = Promise.all([
  fetch("/echo?shape=none"),
  fetch("/echo?shape=object", { method: "POST", body: "{}", headers: { "content-type": "application/json", "x-app": "1" } }),
  fetch("/echo?shape=pairs", { headers: [["x-app", "2"]] }),
  fetch("/echo?shape=headers", { headers: new Headers({ "x-app": "3" }) }),
  fetch(new Request("/echo?shape=request", { headers: { "x-app": "4" } })),
  fetch("/echo?shape=own", { headers: { "sentry-trace": "0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331", "x-request-id": "app-chosen-id" } }),
  fetch(new URL("/echo?shape=url", location.href)),
]).then((all) => Promise.all(all.map((r) => r.text())));`,
      ),
    },
  });
  chromium = await launchChromium();
});
after(async () => {
  await chromium?.close();
  await serverOxeye.close(2000);
  await site?.close();
  await backend?.stop();
  await bugsink?.stop();
});

const oxeyeEvents = (events) => events.filter((e) => e.data.sdk?.name?.startsWith("oxeye."));
const pythonEvents = (events) => events.filter((e) => e.data.platform === "python");
const errorValue = (e) => e.data.exception?.values?.at(-1)?.value ?? "";

test("Chromium, before the load event: the page's start-up request carries its trace and a request id, and its error and the backend's share both in Bugsink", async () => {
  const tab = await chromium.newPage();
  await tab.goto(`${site.url}/early`, { waitUntil: "load" });
  const got = await tab.evaluate(async () => {
    const oxeye = await import("oxeye");
    await oxeye.getClient().ready;
    const loadAt = performance.timeOrigin + performance.getEntriesByType("navigation")[0].loadEventStart;
    return { atStart: window.atStart, atFailure: window.atFailure, loadAt, headers: (await window.headersSeen).headers, trace: oxeye.getTraceData(), flushed: await oxeye.flush(15000) };
  });
  assert.equal(got.flushed, true);
  // Made before the load event, with no wasm fetched yet.
  assert.notEqual(got.atStart.readyState, "complete");
  assert.notEqual(got.atFailure.readyState, "complete", "the request failed before the load event");
  assert.equal(got.atFailure.wasm, 0, "no wasm before the load event");
  // The headers as the backend received them: the page's trace, as the engine later sends it.
  const [traceId, spanId] = got.trace["sentry-trace"].split("-");
  assert.equal(got.headers["sentry-trace"], `${traceId}-${spanId}`);
  assert.equal(got.headers.traceparent, `00-${traceId}-${spanId}-00`);
  assert.match(got.headers["x-request-id"], UUID);
  assert.equal(got.headers.baggage, undefined, "no baggage before the core makes the sampling context");

  const events = await bugsink.api.waitForEvents(
    (evs) => pythonEvents(evs).some((e) => /order service unavailable/.test(errorValue(e))) && oxeyeEvents(evs).some((e) => /Checkout failed early/.test(errorValue(e))),
    { timeoutMs: 20_000 },
  );
  const web = oxeyeEvents(events).find((e) => /Checkout failed early/.test(errorValue(e)));
  const py = pythonEvents(events).find((e) => /order service unavailable/.test(errorValue(e)) && e.data.contexts.trace.trace_id === traceId);
  assert.ok(py, "the backend's error is in the page's trace");
  assert.equal(web.data.contexts.trace.trace_id, traceId);
  assert.equal(py.data.contexts.trace.parent_span_id, web.data.contexts.trace.span_id, "the backend's parent span is the page's span");
  assert.match(web.data.tags.request_id, UUID);
  assert.equal(web.data.tags.request_id, py.data.tags.request_id, "one request id, on both errors");
  assert.equal(web.data.exception.values.at(-1).mechanism.type, "auto.browser.global_handlers.onunhandledrejection");
  const crumb = web.data.breadcrumbs.values.find((c) => c.category === "fetch" && c.data.url.endsWith("/api/fail"));
  assert.deepEqual(
    { method: crumb.data.method, status_code: crumb.data.status_code, request_id: crumb.data.request_id, level: crumb.level },
    { method: "GET", status_code: 500, request_id: web.data.tags.request_id, level: "error" },
  );
  assert.equal(typeof crumb.data.duration_ms, "number");
  assert.ok(crumb.timestamp * 1000 < got.loadAt, "the breadcrumb has the time the request ended, before the load event");
  await assertValidForSentry([web.data]);
  await tab.close();
});

test("Chromium, before the load event: a server-rendered page's requests carry the trace of its meta tags, in every shape of headers, the app's own kept", async () => {
  const tab = await chromium.newPage();
  const before = echoed.length;
  await tab.goto(`${site.url}/early-ssr`, { waitUntil: "load" });
  const got = await tab.evaluate(async () => {
    const oxeye = await import("oxeye");
    await window.done;
    await oxeye.getClient().ready;
    const meta = document.querySelector('meta[name="sentry-trace"]').getAttribute("content");
    return { atStart: window.atStart, meta, trace: oxeye.getTraceData()["sentry-trace"] };
  });
  assert.notEqual(got.atStart.readyState, "complete");
  assert.equal(got.atStart.wasm, 0);
  const byShape = Object.fromEntries(echoed.slice(before).map((h) => [new URL(h.url, site.url).searchParams.get("shape"), h]));
  const metaTrace = got.meta.split("-")[0];
  assert.equal(got.trace.split("-")[0], metaTrace, "the page continued its meta tags' trace");
  for (const shape of ["none", "object", "pairs", "headers", "request", "url"]) {
    const h = byShape[shape];
    assert.ok(h, `${shape} reached the server`);
    assert.equal(h["sentry-trace"], got.trace, `${shape}: the page's trace and span`);
    assert.equal(h.traceparent, undefined, `${shape}: no traceparent unless asked for`);
    assert.match(h["x-request-id"], UUID, shape);
  }
  assert.deepEqual([byShape.object["x-app"], byShape.object["content-type"]], ["1", "application/json"]);
  assert.deepEqual([byShape.pairs["x-app"], byShape.headers["x-app"], byShape.request["x-app"]], ["2", "3", "4"]);
  // An app that traces a request itself, and names it: both its own.
  assert.equal(byShape.own["sentry-trace"], "0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331");
  assert.equal(byShape.own["x-request-id"], "app-chosen-id");
  await tab.close();
});
