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
import * as serverOxeye from "../dist/entrypoints/node.js";
import { assertSameFailedRequest, assertValidForSentry, errorValue, oxeyeEvents, pythonEvents, startTraceParts } from "./helpers/real.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
let parts, bugsink, backend, site, chromium;
// The page's image answers once the page has made its requests (it asks for `/release`),
// or after 10 s: its load event waits for them, however slow the machine.
let release = () => {};
let released = Promise.resolve();
const holdImage = () => (released = new Promise((ok) => (release = ok)));
// The late meta tags' page waits for its first request before it sends the rest.
let sawFirstRequest = () => {};
const firstRequest = new Promise((ok) => (sawFirstRequest = ok));
const LATE_META = "4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7";
const echoed = []; // what same-origin requests to /echo carried

/** A page whose module script runs `script` (given `DSN` and `BACKEND`), with `head` in its head; its load event waits for the held image. */
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
  ({ bugsink, backend } = parts = await startTraceParts(serverOxeye));
  site = await serveStatic(root, {
    routes: {
      "/slow.gif": async (req, res) => {
        await Promise.race([released, new Promise((ok) => setTimeout(ok, 10_000))]);
        res.writeHead(200, { "content-type": "image/gif" }).end(Buffer.from("R0lGODlhAQABAAAAACw=", "base64"));
      },
      "/release": (req, res) => {
        release();
        res.writeHead(204).end();
      },
      "/echo": (req, res) => {
        if (req.url.includes("shape=late-meta")) sawFirstRequest();
        const h = req.headers;
        echoed.push({ url: req.url, "sentry-trace": h["sentry-trace"], traceparent: h.traceparent, baggage: h.baggage, "x-request-id": h["x-request-id"], "x-app": h["x-app"], "content-type": h["content-type"] });
        res.writeHead(200, { "content-type": "text/plain" }).end("ok");
      },
      // The app calls its API as it starts, and reports a failed call by throwing.
      "/early": page(
        () => "",
        `import * as oxeye from "oxeye";
oxeye.init({ dsn: DSN, release: "shop-web@1.0.0", environment: "e2e", tracePropagationTargets: [BACKEND], propagateTraceparent: true });
// A widget's own client on the same page.
const widget = oxeye.createClient({ dsn: DSN, release: "widget@1.0.0", environment: "e2e" });
window.atStart = { readyState: document.readyState, wasm: wasmSoFar() };
// Before any request: linked to none.
oxeye.captureException(new Error("before any request"));
(async () => {
  const res = await fetch(BACKEND + "/api/fail");
  const body = await res.json();
  window.atFailure = { readyState: document.readyState, wasm: wasmSoFar() };
  // Another call, which settles after the failure is reported: not the one it is about.
  window.headersSeen = fetch(BACKEND + "/api/headers").then((r) => r.json());
  widget.captureException(new Error("widget: its own error"));
  setTimeout(() => fetch("/release"), 100);
  throw new Error("Checkout failed early: HTTP " + res.status + " (" + body.error + ")");
})();`,
      ),
      // A server-rendered page: its trace comes in meta tags; the default targets (its own origin).
      "/early-ssr": page(
        () => serverOxeye.startNewTrace(() => serverOxeye.getTraceMetaTags()),
        `import * as oxeye from "oxeye";
fetch.mark = "the page's";
oxeye.init({ dsn: DSN, environment: "e2e" });
window.atStart = { readyState: document.readyState, wasm: wasmSoFar(), fetch: [fetch.name, fetch.length] };
window.done = Promise.all([
  fetch("/echo?shape=none"),
  fetch("/echo?shape=object", { method: "POST", body: "{}", headers: { "content-type": "application/json", "x-app": "1" } }),
  fetch("/echo?shape=pairs", { headers: [["x-app", "2"]] }),
  fetch("/echo?shape=headers", { headers: new Headers({ "x-app": "3" }) }),
  fetch(new Request("/echo?shape=request", { headers: { "x-app": "4" } })),
  fetch("/echo?shape=own", { headers: { "sentry-trace": "0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331", "x-request-id": "app-chosen-id" } }),
  fetch(new URL("/echo?shape=url", location.href)),
]).then((all) => Promise.all(all.map((r) => r.text()))).finally(() => fetch("/release"));`,
      ),
      // A page whose meta tags stream in after its first request (as a framework streams
      // metadata that is slow to make): its script starts before the rest of the document.
      "/early-late-meta": async (req, res) => {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.write(`<!doctype html><html><head><meta charset="utf-8">
<script type="importmap">{ "imports": { "oxeye": "/dist/entrypoints/browser.js" } }</script>
<script>import("oxeye").then((oxeye) => {
  oxeye.init({ dsn: ${JSON.stringify(bugsink.dsn)}, environment: "e2e", debug: true });
  window.done = fetch("/echo?shape=late-meta").then((r) => r.text());
});</script></head><body>`);
        await Promise.race([firstRequest, new Promise((ok) => setTimeout(ok, 10_000))]);
        res.end(`<meta name="sentry-trace" content="${LATE_META}"><img src="/slow.gif" alt=""></body></html>`);
      },
      // An OpenTelemetry server's page: its trace in a `traceparent` tag alone.
      "/early-traceparent-meta": page(
        () => '<meta name="traceparent" content="00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01">',
        `import * as oxeye from "oxeye";
oxeye.init({ dsn: DSN, environment: "e2e" });
window.done = fetch("/echo?shape=traceparent-meta").then((r) => r.text()).finally(() => fetch("/release"));`,
      ),
      // Meta tags no trace can be continued from: an all-zero trace id is invalid.
      "/early-zero-meta": page(
        () => '<meta name="sentry-trace" content="00000000000000000000000000000000-0000000000000000-1">',
        `import * as oxeye from "oxeye";
oxeye.init({ dsn: DSN, environment: "e2e" });
window.done = fetch("/echo?shape=zero-meta").then((r) => r.text()).finally(() => fetch("/release"));`,
      ),
    },
  });
  chromium = await launchChromium();
});
after(async () => {
  await chromium?.close();
  await site?.close();
  await parts?.stop();
});


test("Chromium, before the load event: the page's start-up request carries its trace and a request id, and its error and the backend's share both in Bugsink", async () => {
  const tab = await chromium.newPage();
  holdImage();
  await tab.goto(`${site.url}/early`, { waitUntil: "load" });
  const got = await tab.evaluate(async () => {
    const oxeye = await import("oxeye");
    await oxeye.getClient().ready;
    const loadAt = performance.timeOrigin + performance.getEntriesByType("navigation")[0].loadEventStart;
    while (!window.headersSeen) await new Promise((ok) => setTimeout(ok, 20));
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
    (evs) =>
      pythonEvents(evs).some((e) => /order service unavailable/.test(errorValue(e))) &&
      ["Checkout failed early", "before any request", "widget: its own error"].every((m) => oxeyeEvents(evs).some((e) => errorValue(e).startsWith(m))),
    { timeoutMs: 20_000 },
  );
  const web = oxeyeEvents(events).find((e) => /Checkout failed early/.test(errorValue(e)));
  const py = pythonEvents(events).find((e) => /order service unavailable/.test(errorValue(e)) && e.data.contexts.trace.trace_id === traceId);
  assert.ok(py, "the backend's error is in the page's trace");
  const crumb = assertSameFailedRequest(web, py, "/api/fail");
  // Linked only where they should be: not an error captured before the request, nor
  // another client's.
  for (const m of ["before any request", "widget: its own error"]) {
    const other = oxeyeEvents(events).find((e) => errorValue(e).startsWith(m));
    assert.equal(other.data.tags?.request_id, undefined, m);
  }
  assert.ok(crumb.timestamp * 1000 < got.loadAt, "the breadcrumb has the time the request ended, before the load event");
  await assertValidForSentry([web.data]);
  await tab.close();
});

test("Chromium, before the load event: a server-rendered page's requests carry the trace of its meta tags, in every shape of headers, the app's own kept", async () => {
  const tab = await chromium.newPage();
  const before = echoed.length;
  holdImage();
  await tab.goto(`${site.url}/early-ssr`, { waitUntil: "load" });
  const got = await tab.evaluate(async () => {
    const oxeye = await import("oxeye");
    await window.done;
    await oxeye.getClient().ready;
    const meta = document.querySelector('meta[name="sentry-trace"]').getAttribute("content");
    return { atStart: window.atStart, meta, trace: oxeye.getTraceData()["sentry-trace"], mark: fetch.mark };
  });
  assert.notEqual(got.atStart.readyState, "complete");
  assert.equal(got.atStart.wasm, 0);
  assert.deepEqual(got.atStart.fetch, ["fetch", 1], "the loader's fetch has the name and length of the browser's");
  assert.equal(got.mark, "the page's", "once the engine is up, fetch has what the page hung on it");
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

/** Loads `path` (its load event held until it asks for `/release`) and answers the page's trace once its core is up. */
async function pageTraceAfterLoad(tab, path) {
  holdImage();
  await tab.goto(`${site.url}${path}`, { waitUntil: "load" });
  return tab.evaluate(async () => {
    const oxeye = await import("oxeye");
    await window.done;
    await oxeye.getClient().ready;
    return oxeye.getTraceData()["sentry-trace"];
  });
}

test("Chromium, before the load event: meta tags with an invalid trace start a new one, the same as the page's events then carry", async () => {
  const tab = await chromium.newPage();
  const before = echoed.length;
  const trace = await pageTraceAfterLoad(tab, "/early-zero-meta");
  const sent = echoed.slice(before).find((h) => h.url.endsWith("shape=zero-meta"));
  assert.match(sent["sentry-trace"], /^(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}$/);
  assert.equal(sent["sentry-trace"], trace);
  await tab.close();
});

test("Chromium, before the load event: meta tags that stream in after the page's first request do not split the page over two traces", async () => {
  const tab = await chromium.newPage();
  const lines = [];
  tab.on("console", (m) => lines.push(m.text()));
  const before = echoed.length;
  await tab.goto(`${site.url}/early-late-meta`, { waitUntil: "domcontentloaded" });
  release();
  const trace = await tab.evaluate(async () => {
    while (!window.done) await new Promise((ok) => setTimeout(ok, 20));
    await window.done;
    const oxeye = await import("oxeye");
    await oxeye.getClient().ready;
    return oxeye.getTraceData()["sentry-trace"];
  });
  const sent = echoed.slice(before).find((h) => h.url.endsWith("shape=late-meta"));
  assert.ok(!sent["sentry-trace"].startsWith(LATE_META.slice(0, 32)), "the first request went before the meta tags were there");
  assert.equal(trace, sent["sentry-trace"], "the page goes on in the trace its first request carried");
  assert.ok(lines.some((l) => l.includes("meta tags were read after its first requests")), "the debug log says why");
  await tab.close();
});

test("Chromium, before the load event: a page whose meta tags carry a traceparent alone continues it once its core loads, start-up requests or not", async () => {
  const tab = await chromium.newPage();
  const trace = await pageTraceAfterLoad(tab, "/early-traceparent-meta");
  assert.equal(trace.split("-")[0], "0af7651916cd43dd8448eb211c80319c");
  await tab.close();
});
