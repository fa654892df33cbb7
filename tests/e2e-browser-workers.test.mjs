// oxeye inside a browser's workers, in Chromium, reporting to a capture server:
// - a module Web Worker: the core loads without a page `load` event, a captured error and
//   the worker's uncaught error each arrive once, and no page-view session starts (a
//   worker has no page view, and no page hide to end one);
// - a module service worker, bundled as one file as docs say (browsers forbid dynamic
//   import() there): a capture in its message handler is delivered within waitUntil, and
//   no session starts.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { serveStatic } from "../scripts/lib/static-server.mjs";
import { startBrowserRig } from "./helpers/browser-rig.mjs";
import { bundleApp } from "./helpers/bundle.mjs";
import { sessionUpdates } from "./helpers/sessions.mjs";
import { waitFor } from "./helpers/wait.mjs";

const RELEASE = "workers-e2e@1.0.0";
let capture, site, chromium, rig;

before(async () => ({ capture, site, chromium } = rig = await startBrowserRig()));
after(() => rig?.close());

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** Events the capture server got from envelope `from` on. */
const eventsFrom = (from) => capture.envelopes.slice(from).flatMap((e) => e.envelope.items).filter((i) => i.headers.type === "event").map((i) => i.json);

test("Chromium: a module Web Worker delivers its events, its uncaught error once, and starts no page-view session", async () => {
  const page = await chromium.newPage();
  await page.goto(`${site.url}/www/blank.html`);
  const before = { envelopes: capture.envelopes.length };
  const result = await page.evaluate(
    async ({ dsn, release, origin }) => {
      const source = `
        import * as oxeye from "${origin}/dist/entrypoints/browser.js";
        oxeye.init({ dsn: ${JSON.stringify(dsn)}, release: ${JSON.stringify(release)}, debug: true });
        const id = oxeye.captureException(new Error("handled in a worker"));
        setTimeout(() => { throw new Error("uncaught in a worker"); }, 0);
        setTimeout(async () => postMessage({ id, flushed: await oxeye.flush(5000) }), 200);`;
      const worker = new Worker(URL.createObjectURL(new Blob([source], { type: "text/javascript" })), { type: "module" });
      // The page has no oxeye: an uncaught worker error reaches it as an "error" event too.
      worker.addEventListener("error", (e) => e.preventDefault());
      return new Promise((ok, fail) => {
        worker.onmessage = (m) => ok(m.data);
        setTimeout(() => fail(new Error("the worker never answered")), 15_000);
      });
    },
    { dsn: capture.dsn, release: RELEASE, origin: site.url },
  );
  assert.equal(result.flushed, true);
  const events = () => eventsFrom(before.envelopes);
  await waitFor(() => events().length >= 2, { what: "the worker's two events" });
  const values = events().map((e) => e.exception.values.at(-1));
  assert.deepEqual(values.map((v) => v.value).sort(), ["handled in a worker", "uncaught in a worker"]);
  assert.equal(values.find((v) => v.value === "uncaught in a worker").mechanism.handled, false);
  assert.equal(events()[0].release, RELEASE);
  await sleep(300);
  assert.deepEqual(sessionUpdates(capture.envelopes.slice(before.envelopes)), [], "no session: a worker has no page view");
  await page.close();
});

test("Chromium: a module service worker bundled as one file reports a capture made in its message handler", async () => {
  const dir = mkdtempSync(join(tmpdir(), "oxeye-sw-"));
  const page = await chromium.newPage();
  let server;
  try {
    await bundleApp(fileURLToPath(new URL("./fixtures/workers-browser/service-worker.js", import.meta.url)), dir);
    writeFileSync(join(dir, "index.html"), '<!doctype html><meta charset="utf-8"><p>service worker</p>');
    server = await serveStatic(dir);
    const from = capture.envelopes.length;
    await page.goto(`${server.url}/index.html`);
    const answer = await page.evaluate(async (dsn) => {
      const reg = await navigator.serviceWorker.register(`./app.js?dsn=${encodeURIComponent(dsn)}`, { type: "module" });
      const sw = reg.installing ?? reg.waiting ?? reg.active;
      if (sw.state !== "activated") await new Promise((ok) => sw.addEventListener("statechange", () => sw.state === "activated" && ok()));
      return new Promise((ok, fail) => {
        navigator.serviceWorker.addEventListener("message", (m) => ok(m.data));
        sw.postMessage("hello");
        setTimeout(() => fail(new Error("the service worker never answered")), 15_000);
      });
    }, capture.dsn);
    assert.equal(answer.flushed, true, "delivered within waitUntil");
    await waitFor(() => eventsFrom(from).some((e) => e.event_id === answer.id), { what: "the service worker's event" });
    const ev = eventsFrom(from).find((e) => e.event_id === answer.id);
    assert.equal(ev.exception.values.at(-1).value, "from the service worker: hello");
    assert.equal(ev.release, "sw@1.0.0");
    assert.deepEqual(sessionUpdates(capture.envelopes.slice(from)), [], "no session: a service worker has no page view");
  } finally {
    await page.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
