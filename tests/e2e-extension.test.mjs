// A browser extension's content script (Manifest V3, loaded unpacked in Chromium) that
// reports with its own clients, bundled as a classic script (content scripts cannot be
// modules, so `import.meta.url` is empty there and the page's `currentScript` is not
// oxeye's):
// - the core's files (the wasm and, for a fresh core, the glue `core.js`) come from the
//   extension, never from the visited site, even one whose markup makes `browser` an
//   element: the site is asked for none of them, and a `core.js` it serves never runs in
//   the extension's world;
// - its events are not given the visited site's environment (127.0.0.1 would say
//   `development`), and the extension's own frames are in-app.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../scripts/lib/chromium.mjs";
import { bundleApp } from "./helpers/bundle.mjs";
import { startCaptureServer } from "./helpers/capture-server.mjs";
import { waitFor } from "./helpers/wait.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
let dir, capture, site, chromium;
/** The paths the visited site was asked for. */
const siteRequests = [];

// The site serves a `core.js` of its own, which marks the page if it ever runs.
const SITE_CORE = `document.documentElement.dataset.siteCoreRan = String(globalThis.chrome?.runtime?.id);
export default async function init() { throw new Error("not oxeye's glue"); }
export class Core {}
`;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "oxeye-extension-"));
  capture = await startCaptureServer();
  site = createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    siteRequests.push(path);
    // Its markup makes `browser` an element in the content script's world (Chromium
    // defines no `browser` there, and element ids are globals).
    if (path === "/page.html") return void res.writeHead(200, { "content-type": "text/html" }).end('<!doctype html><h1>a web site</h1><form id="browser"><input name="runtime"></form>');
    if (path === "/core.js") return void res.writeHead(200, { "content-type": "text/javascript", "access-control-allow-origin": "*" }).end(SITE_CORE);
    res.writeHead(404).end();
  });
  await new Promise((ok) => site.listen(0, "127.0.0.1", ok));

  // The content script: one client with the default scrubbing (the first core), one with a
  // `scrub` object (a fresh core from the glue, `core.js`, and `oxeye_rules_bg.wasm`).
  const ext = join(dir, "ext");
  const entry = join(dir, "content.js");
  writeFileSync(
    entry,
    `import { createClient } from "oxeye";
const first = createClient({ dsn: ${JSON.stringify(capture.dsn)}, release: "ext@1.0.0" });
const second = createClient({ dsn: ${JSON.stringify(capture.dsn)}, release: "ext@1.0.0", scrub: { keys: ["ticket"] } });
first.captureException(new RangeError("from the content script"));
second.captureException(new TypeError("from the content script's scrubbing client"));
Promise.all([first.flush(15000), second.flush(15000)]).then((ok) => {
  document.documentElement.dataset.oxeyeFlushed = JSON.stringify(ok);
  document.documentElement.dataset.oxeyeOff = JSON.stringify([first.disabledReason ?? null, second.disabledReason ?? null]);
});
`,
  );
  await bundleApp(entry, ext, { format: "iife" });
  copyFileSync(join(root, "dist", "core", "core.js"), join(ext, "core.js"));
  writeFileSync(
    join(ext, "manifest.json"),
    JSON.stringify({
      manifest_version: 3,
      name: "oxeye test extension",
      version: "1.0.0",
      content_scripts: [{ matches: ["http://127.0.0.1/*"], js: ["app.js"], run_at: "document_idle" }],
      // What the content script loads from the extension (docs/extensions.md).
      web_accessible_resources: [{ resources: ["core.js", "wasm/*"], matches: ["http://127.0.0.1/*"] }],
    }),
  );
  chromium = await launchChromium({ args: [`--disable-extensions-except=${ext}`, `--load-extension=${ext}`] });
});
after(async () => {
  await chromium?.close();
  await new Promise((ok) => (site ? site.close(ok) : ok()));
  await capture?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("Chromium: an extension's content script (a classic script) loads the core from the extension, never from the visited site, and reports", async () => {
  const page = await chromium.newPage();
  await page.goto(`http://127.0.0.1:${site.address().port}/page.html`);
  const flushed = await waitFor(() => page.evaluate(() => document.documentElement.dataset.oxeyeFlushed ?? null), { timeout: 30_000 });
  assert.deepEqual(JSON.parse(flushed), [true, true], await page.evaluate(() => document.documentElement.dataset.oxeyeOff));
  assert.deepEqual(siteRequests.filter((p) => p !== "/page.html" && p !== "/favicon.ico"), [], "the site was asked for none of oxeye's files");
  assert.equal(await page.evaluate(() => document.documentElement.dataset.siteCoreRan ?? null), null, "the site's core.js never ran");
  const events = capture.events();
  assert.deepEqual(events.map((e) => e.exception.values.at(-1).value).sort(), ["from the content script", "from the content script's scrubbing client"]);
  for (const e of events) {
    // The extension's own code is the app's: its frames are in-app.
    const frames = e.exception.values.at(-1).stacktrace.frames.filter((f) => f.filename?.startsWith("chrome-extension://"));
    assert.ok(frames.length > 0 && frames.every((f) => f.in_app === true), JSON.stringify(e.exception.values.at(-1).stacktrace.frames));
    assert.equal(e.environment, "production", "not the environment the visited site's host name suggests");
    assert.equal(e.request.url, `http://127.0.0.1:${site.address().port}/page.html`);
  }
  await page.close();
});
