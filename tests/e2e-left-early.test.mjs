// A page left before its core loaded, in Chromium: it throws while it starts (before its
// `load` event, so its core is not up) and reloads itself at once, as apps do when a chunk
// fails after a deploy. Its captures, kept in the tab's sessionStorage as it is left, are
// sent by the next page of the tab, each once, with their ids (a whole event of
// `captureEvent` is not kept) and the release, URL and time of the page that made them;
// the previous page's crash does not count in the next page view's session. A page whose
// core failed to load keeps its captures the same way. Without the next page of the tab
// they are lost, as the README says.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../scripts/lib/chromium.mjs";
import { serveStatic } from "../scripts/lib/static-server.mjs";
import { startCaptureServer } from "./helpers/capture-server.mjs";
import { sessionUpdates } from "./helpers/sessions.mjs";
import { waitFor } from "./helpers/wait.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
let capture, site, chromium;

/** The app's page: on its first visit in the tab, it throws, captures, and reloads at once. */
function page() {
  return `<!doctype html><html><head><meta charset="utf-8">
<script type="importmap">{ "imports": { "oxeye": "/dist/entrypoints/browser.js" } }</script>
<script type="module">
import * as oxeye from "oxeye";
// (A deploy between the two pages: the next page is a new release, its file has another debug id.)
window._sentryDebugIds = { [new Error().stack]: sessionStorage.getItem("visited") ? "22222222-2222-4222-8222-222222222222" : "11111111-1111-4111-8111-111111111111" };
oxeye.init({ dsn: ${JSON.stringify(capture.dsn)}, release: sessionStorage.getItem("visited") ? "left-early@1.1.0" : "left-early@1.0.0" });
if (!sessionStorage.getItem("visited")) {
  sessionStorage.setItem("visited", "1");
  window.ids = [oxeye.captureException(new TypeError("handled while the page starts"))];
  oxeye.captureEvent({ message: "a whole event while the page starts", level: "warning" });
  setTimeout(() => { throw new RangeError("uncaught while the page starts"); });
  setTimeout(() => location.replace("/starts.html?again"), 5);
} else window.second = true;
</script></head><body><img src="/slow.png"></body></html>`;
}

/** A page that, on its first visit, captures once its core has failed to load. */
function failing() {
  return `<!doctype html><html><head><meta charset="utf-8">
<script type="importmap">{ "imports": { "oxeye": "/dist/entrypoints/browser.js" } }</script>
<script type="module">
import * as oxeye from "oxeye";
// (The release from \`env\`, as a build's variables give it; the next visit is a new one.)
const release = sessionStorage.getItem("failed once") ? "left-early@2.1.0" : "left-early@2.0.0";
const client = oxeye.init({ dsn: ${JSON.stringify(capture.dsn)}, env: { SENTRY_RELEASE: release } });
if (!sessionStorage.getItem("failed once")) {
  sessionStorage.setItem("failed once", "1");
  oxeye.captureMessage("start the core now");
  await client.ready;
  window.failedWith = client.disabledReason;
  const err = new SyntaxError("captured after the core failed to load");
  // Caught, reported, and reported again by another handler: one event.
  window.ids = [oxeye.captureException(err), oxeye.captureException(err)];
}
</script></head><body></body></html>`;
}

/** A page of visit `n` that captures once its core has failed to load (or has loaded). */
function broken(n) {
  return `<!doctype html><html><head><meta charset="utf-8">
<script type="importmap">{ "imports": { "oxeye": "/dist/entrypoints/browser.js" } }</script>
<script type="module">
import * as oxeye from "oxeye";
const client = oxeye.init({ dsn: ${JSON.stringify(capture.dsn)}, release: "broken@${n}" });
oxeye.captureMessage("broken deploy, page ${n}");
await client.ready;
window.settled = client.disabledReason ?? "up";
</script></head><body></body></html>`;
}

/** A page whose user withdraws consent once its core has failed to load (or has loaded). */
function withdrawing() {
  return `<!doctype html><html><head><meta charset="utf-8">
<script type="importmap">{ "imports": { "oxeye": "/dist/entrypoints/browser.js" } }</script>
<script type="module">
import * as oxeye from "oxeye";
const client = oxeye.init({ dsn: ${JSON.stringify(capture.dsn)}, release: "withdrawn@1" });
await client.ready;
const kept = () => Object.keys(sessionStorage).filter((k) => k.startsWith("oxeye.unsent"));
window.before = kept().length;
window.failed = client.disabledReason;
// (?closed: the app had closed the client already; consent withdrawn after that.)
if (location.search.includes("closed")) await client.close();
await client.close({ discard: true });
window.after = kept().length;
window.settled = client.disabledReason;
</script></head><body></body></html>`;
}

/**
 * A page that starts oxeye again and again (as a module re-run by a dev server's hot
 * update does), counting the `pagehide` listeners left after each replaced client closed.
 */
function reinit() {
  return `<!doctype html><html><head><meta charset="utf-8">
<script type="importmap">{ "imports": { "oxeye": "/dist/entrypoints/browser.js" } }</script>
<script type="module">
const live = new Set();
const add = EventTarget.prototype.addEventListener, remove = EventTarget.prototype.removeEventListener;
EventTarget.prototype.addEventListener = function (type, fn, ...rest) { if (type === "pagehide") live.add(fn); return add.call(this, type, fn, ...rest); };
EventTarget.prototype.removeEventListener = function (type, fn, ...rest) { if (type === "pagehide") live.delete(fn); return remove.call(this, type, fn, ...rest); };
const oxeye = await import("oxeye");
const counts = [];
let client = oxeye.init({ dsn: ${JSON.stringify(capture.dsn)} });
await client.ready;
for (let i = 0; i < 4; i++) {
  const previous = client;
  client = oxeye.init({ dsn: ${JSON.stringify(capture.dsn)} });
  await previous.close();
  await client.ready;
  counts.push(live.size);
}
window.counts = counts;
</script></head><body></body></html>`;
}

before(async () => {
  capture = await startCaptureServer();
  site = await serveStatic(root, {
    routes: {
      "/starts.html": (_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(page()),
      "/fails.html": (_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(failing()),
      "/withdraw.html": (_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(withdrawing()),
      "/reinit.html": (_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(reinit()),
      "/broken.html": (req, res) => res.writeHead(200, { "content-type": "text/html" }).end(broken(new URL(req.url, "http://x").searchParams.get("n"))),
      // Holds the first page's `load` event (and so its core) well past its reload.
      "/slow.png": (_req, res) => setTimeout(() => res.writeHead(404).end(), 1500),
    },
  });
  chromium = await launchChromium();
});
after(async () => {
  await chromium?.close();
  await site?.close();
  await capture?.close();
});

test("Chromium: captures of a page reloaded before its core loaded are sent by the tab's next page, once, outside its session", async () => {
  const p = await chromium.newPage();
  const wasm = [];
  p.on("request", (r) => /\.wasm$/.test(r.url()) && wasm.push(r.url()));
  await p.goto(`${site.url}/starts.html`, { waitUntil: "commit" });
  await p.waitForFunction(() => window.second === true, null, { timeout: 10_000 });
  const values = () => capture.events().map((e) => e.exception?.values?.at(-1)?.value);
  await waitFor(() => ["handled while the page starts", "uncaught while the page starts"].every((v) => values().includes(v)), { what: "both captures of the first page", timeoutMs: 10_000 });
  await new Promise((r) => setTimeout(r, 500));
  const mine = capture.events().filter((e) => /while the page starts/.test(e.exception?.values?.at(-1)?.value));
  assert.equal(mine.length, 2, "each once");
  // A whole event (captureEvent) is not kept: nothing made up in its place.
  assert.ok(!capture.events().some((e) => /value: null/.test(e.exception?.values?.at(-1)?.value ?? "")), JSON.stringify(values()));
  const uncaught = mine.find((e) => e.exception.values.at(-1).type === "RangeError");
  assert.deepEqual(uncaught.exception.values.at(-1).mechanism, { type: "auto.browser.global_handlers.onerror", handled: false });
  assert.ok(uncaught.exception.values.at(-1).stacktrace.frames.some((f) => /starts\.html/.test(f.filename)), "the first page's frames");
  // The next page view's session is its own: the previous page's crash is not in it.
  const updates = sessionUpdates(capture.envelopes).filter((u) => u.attrs.release === "left-early@1.1.0");
  assert.ok(updates.length >= 1 && updates.every((u) => u.status === "ok" && u.errors === 0), JSON.stringify(updates));
  // Each as its own page made it: its release, its URL, its time (before the next page
  // began), its file's debug id.
  const nextStarted = await p.evaluate(() => performance.timeOrigin);
  for (const e of mine) {
    assert.equal(e.release, "left-early@1.0.0", "the release of the page that made it");
    assert.match(e.request.url, /\/starts\.html$/, "the URL of the page that made it");
    assert.ok(e.timestamp * 1000 < nextStarted, `made before the next page began: ${e.timestamp * 1000} < ${nextStarted}`);
    assert.deepEqual(e.debug_meta?.images?.map((i) => i.debug_id), ["11111111-1111-4111-8111-111111111111"], "the debug id of the file that threw");
  }
  assert.deepEqual(await p.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith("oxeye."))), [], "nothing left behind");
  await p.close();
});

test("Chromium: a capture made after the core failed to load is kept too, and sent by the tab's next page that loads it", async () => {
  const p = await chromium.newPage();
  await p.route("**/*.wasm", (route) => route.fulfill({ status: 404, body: "gone" }));
  await p.goto(`${site.url}/fails.html`);
  await p.waitForFunction(() => typeof window.failedWith == "string", null, { timeout: 10_000 });
  assert.match(await p.evaluate(() => window.failedWith), /HTTP 404/);
  const [first, again] = await p.evaluate(() => window.ids);
  assert.match(first, /^[0-9a-f]{32}$/, "the capture has an id: it may still be sent");
  assert.equal(again, first, "one thrown object, one event");
  await p.unroute("**/*.wasm");
  await p.goto(`${site.url}/fails.html?again`);
  await waitFor(() => capture.events().some((e) => e.exception?.values?.at(-1)?.value === "captured after the core failed to load"), { what: "the capture made after the failure", timeoutMs: 10_000 });
  await new Promise((r) => setTimeout(r, 500));
  const evs = capture.events().filter((e) => e.exception?.values?.at(-1)?.value === "captured after the core failed to load");
  assert.equal(evs.length, 1, "kept once");
  assert.equal(evs[0].event_id, first);
  assert.equal(evs[0].release, "left-early@2.0.0", "the release of the page that made it, from its env");
  await p.close();
});

test("Chromium: pages whose core could not load, one after the other, each keep their captures: the first page that loads it sends them all, each under its page's release and in its page's own trace", async () => {
  const p = await chromium.newPage();
  await p.route("**/*.wasm", (route) => route.fulfill({ status: 404, body: "gone" }));
  for (const n of [1, 2]) {
    await p.goto(`${site.url}/broken.html?n=${n}`);
    await p.waitForFunction(() => typeof window.settled == "string", null, { timeout: 10_000 });
    assert.match(await p.evaluate(() => window.settled), /HTTP 404/);
  }
  await p.unroute("**/*.wasm");
  await p.goto(`${site.url}/broken.html?n=3`);
  await p.waitForFunction(() => window.settled === "up", null, { timeout: 10_000 });
  const mine = () => capture.events().filter((e) => /^broken deploy, page \d$/.test(e.message ?? e.logentry?.formatted ?? ""));
  await waitFor(() => mine().length >= 3, { what: "the three pages' captures", timeoutMs: 10_000 });
  await new Promise((r) => setTimeout(r, 500));
  const byPage = Object.fromEntries(mine().map((e) => [(e.message ?? e.logentry.formatted).at(-1), e]));
  assert.equal(mine().length, 3, "each once");
  assert.deepEqual([byPage[1].release, byPage[2].release, byPage[3].release], ["broken@1", "broken@2", "broken@3"]);
  const traces = [1, 2, 3].map((n) => byPage[n].contexts.trace.trace_id);
  assert.equal(new Set(traces).size, 3, "a trace per page, not the page that sent them");
  await p.close();
});

test("Chromium: consent withdrawn (close({ discard: true }), after a plain close() too) on a page whose core could not load removes what earlier pages kept: the raw captures neither stay on the device nor are sent later", async () => {
  const p = await chromium.newPage();
  await p.route("**/*.wasm", (route) => route.fulfill({ status: 404, body: "gone" }));
  for (const n of [4, 5]) {
    await p.goto(`${site.url}/broken.html?n=${n}`);
    await p.waitForFunction(() => typeof window.settled == "string", null, { timeout: 10_000 });
  }
  await p.goto(`${site.url}/withdraw.html`);
  await p.waitForFunction(() => typeof window.settled == "string", null, { timeout: 10_000 });
  assert.match(await p.evaluate(() => window.failed), /HTTP 404/, "the core could not load");
  assert.equal(await p.evaluate(() => window.before), 2, "two pages' captures were kept");
  assert.equal(await p.evaluate(() => window.after), 0, "all removed at once");
  await p.unroute("**/*.wasm");
  await p.goto(`${site.url}/broken.html?n=6`);
  await p.waitForFunction(() => window.settled === "up", null, { timeout: 10_000 });
  const said = (e) => e.message ?? e.logentry?.formatted ?? "";
  await waitFor(() => capture.events().some((e) => said(e) === "broken deploy, page 6"), { what: "the next page's own capture", timeoutMs: 10_000 });
  await new Promise((r) => setTimeout(r, 500));
  assert.deepEqual(capture.events().filter((e) => /^broken deploy, page [45]$/.test(said(e))), [], "nothing of the withdrawn pages is sent");
  // The same when the app closed the client (a plain close()) before consent was withdrawn.
  await p.route("**/*.wasm", (route) => route.fulfill({ status: 404, body: "gone" }));
  await p.goto(`${site.url}/broken.html?n=7`);
  await p.waitForFunction(() => typeof window.settled == "string", null, { timeout: 10_000 });
  await p.goto(`${site.url}/withdraw.html?closed`);
  await p.waitForFunction(() => typeof window.settled == "string", null, { timeout: 10_000 });
  assert.equal(await p.evaluate(() => window.before), 1, "page 7's captures were kept");
  assert.equal(await p.evaluate(() => window.after), 0, "removed after close() as well");
  await p.close();
});

test("Chromium: a client replaced by a new init (a hot update re-running it) leaves no page listener behind", async () => {
  const p = await chromium.newPage();
  await p.goto(`${site.url}/reinit.html`);
  await p.waitForFunction(() => Array.isArray(window.counts), null, { timeout: 15_000 });
  const counts = await p.evaluate(() => window.counts);
  assert.equal(new Set(counts).size, 1, `as many pagehide listeners after each re-init: ${counts}`);
  await p.close();
});
