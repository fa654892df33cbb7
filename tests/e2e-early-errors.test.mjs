// Errors a page throws before oxeye's module runs (module scripts run once the page is
// parsed, after its classic scripts), in Chromium: with the README's snippet as the
// page's first inline script, an error thrown by a classic script and a rejection from
// one, before `init`, are reported as unhandled once `init` runs, each once; after it the
// snippet keeps nothing more. Without the snippet they are lost, as the README says. A
// page whose markup makes `browser.runtime.getURL` an element loads oxeye all the same.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../scripts/lib/chromium.mjs";
import { serveStatic } from "../scripts/lib/static-server.mjs";
import { startCaptureServer } from "./helpers/capture-server.mjs";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { waitFor } from "./helpers/wait.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
let capture, site, chromium;

/** The README's snippet, as the README has it (its one `html` block with `oxeyeEarly`). */
function readmeSnippet() {
  const blocks = [...readFileSync(join(root, "README.md"), "utf8").matchAll(/```html\n([^]*?)```/g)].map((m) => m[1]).filter((b) => b.includes("oxeyeEarly"));
  assert.equal(blocks.length, 1, "the README has the snippet");
  return blocks[0];
}

function page(withSnippet) {
  return `<!doctype html><html><head><meta charset="utf-8">
${withSnippet ? readmeSnippet() : ""}
<script type="importmap">{ "imports": { "oxeye": "/dist/entrypoints/browser.js" } }</script>
<script>setTimeout(() => { throw new RangeError("thrown by a classic script before init"); }); Promise.reject(new TypeError("rejected before init"));</script>
<script type="module">
import * as oxeye from "oxeye";
oxeye.init({ dsn: ${JSON.stringify(capture.dsn)}, release: "early@1.0.0", autoSessionTracking: false });
window.afterInit = () => { throw new SyntaxError("thrown after init"); };
setTimeout(() => { window.afterInit(); }, 50);
setTimeout(() => oxeye.flush(10000).then((ok) => (window.flushed = ok)), 300);
</script></head><body><p>a server-rendered page</p></body></html>`;
}

before(async () => {
  capture = await startCaptureServer();
  site = await serveStatic(root, {
    routes: {
      "/early.html": (_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(page(true)),
      "/late.html": (_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(page(false)),
      // Markup that makes `browser.runtime.getURL` an element (ids and names are globals).
      "/clobbered.html": (_req, res) =>
        res.writeHead(200, { "content-type": "text/html" }).end(
          page(false).replace("<body>", '<body><a id="browser"></a><form id="browser" name="runtime"><input name="getURL"></form>'),
        ),
    },
  });
  chromium = await launchChromium();
});
after(async () => {
  await chromium?.close();
  await site?.close();
  await capture?.close();
});

const values = () => capture.events().map((e) => e.exception.values.at(-1));

test("Chromium: with the README's snippet, errors and rejections from before init are reported once, as unhandled; after init the snippet keeps nothing", async () => {
  const p = await chromium.newPage();
  await p.goto(`${site.url}/early.html`);
  await waitFor(() => p.evaluate(() => window.flushed === true), { timeout: 30_000 });
  await waitFor(() => values().length >= 3);
  const byValue = Object.fromEntries(values().map((v) => [v.value, v.mechanism]));
  assert.deepEqual(byValue, {
    "thrown by a classic script before init": { type: "auto.browser.global_handlers.onerror", handled: false },
    "rejected before init": { type: "auto.browser.global_handlers.onunhandledrejection", handled: false },
    "thrown after init": { type: "auto.browser.global_handlers.onerror", handled: false },
  });
  assert.equal(values().length, 3, "each once");
  assert.equal(await p.evaluate(() => Array.isArray(window.oxeyeEarly)), false, "nothing more is kept once oxeye runs");
  await p.close();
});

test("Chromium: without the snippet, what was thrown before init is not reported (only what came after)", async () => {
  capture.envelopes.length = 0;
  const p = await chromium.newPage();
  await p.goto(`${site.url}/late.html`);
  await waitFor(() => p.evaluate(() => window.flushed === true), { timeout: 30_000 });
  await waitFor(() => values().length >= 1);
  assert.deepEqual(values().map((v) => v.value), ["thrown after init"]);
  await p.close();
});

test("Chromium: a page whose markup makes `browser.runtime.getURL` an element still loads oxeye and reports", async () => {
  capture.envelopes.length = 0;
  const p = await chromium.newPage();
  const errors = [];
  p.on("pageerror", (e) => errors.push(String(e)));
  await p.goto(`${site.url}/clobbered.html`);
  await waitFor(() => p.evaluate(() => window.flushed === true), { timeout: 30_000 });
  await waitFor(() => values().length >= 1);
  assert.deepEqual(values().map((v) => v.value), ["thrown after init"]);
  assert.ok(!errors.some((e) => /getURL/.test(e)), errors.join("\n"));
  await p.close();
});
