// Pages shared by more than one app (a widget on a host page, micro-frontends), in
// Chromium against a real Bugsink:
// - a widget bundled as a classic script (an IIFE, where `import.meta.url` is empty) finds
//   the core's files beside its script and reports with its own client;
// - a second copy of oxeye's envelopes pass through the first copy's fetch wrapper
//   untouched: no breadcrumb of them in the host's events, no trace headers added.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../scripts/lib/chromium.mjs";
import { serveStatic } from "../scripts/lib/static-server.mjs";
import { bundleApp } from "./helpers/bundle.mjs";
import { assertValidForSentry, freshBugsink } from "./helpers/real.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
let bugsink, site, chromium, dir;
const tunnelRequests = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "oxeye-shared-page-"));
  bugsink = await freshBugsink();
  site = await serveStatic(root, {
    routes: {
      // A widget's own tunnel on the host's origin: records what reaches it.
      "/widget-tunnel": (req, res) => {
        tunnelRequests.push({ ...req.headers });
        req.resume();
        req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end("{}"));
      },
    },
  });
  chromium = await launchChromium();
});
after(async () => {
  await chromium?.close();
  await site?.close();
  await bugsink?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("Chromium: a widget bundled as a classic script (IIFE) finds its wasm beside the script and reports with its own client", async () => {
  const entry = join(dir, "widget.js");
  writeFileSync(
    entry,
    `import { createClient } from "oxeye";
const client = createClient({ dsn: ${JSON.stringify(bugsink.dsn)}, environment: "iife-widget" });
window.widgetEvent = client.captureException(new RangeError("thrown in the widget"));
client.flush(15000).then((ok) => { window.widgetFlushed = ok; });
`,
  );
  const out = join(dir, "widget");
  await bundleApp(entry, out, { format: "iife" });
  writeFileSync(join(out, "index.html"), `<!doctype html><html><head><meta charset="utf-8"></head><body><p>host page</p><script src="app.js"></script></body></html>`);
  const widgetSite = await serveStatic(out);
  const page = await chromium.newPage();
  const warnings = [];
  page.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
  try {
    await page.goto(`${widgetSite.url}/index.html`);
    await page.waitForFunction(() => window.widgetFlushed !== undefined, null, { timeout: 20000 });
    const { id, flushed } = await page.evaluate(() => ({ id: window.widgetEvent, flushed: window.widgetFlushed }));
    assert.deepEqual(warnings, [], "no warning that reporting is off");
    assert.ok(id, "the capture got an event id");
    assert.equal(flushed, true);
    const ev = await bugsink.api.waitForEvent(id);
    assert.equal(ev.exception.values.at(-1).type, "RangeError");
    assert.equal(ev.environment, "iife-widget");
    await assertValidForSentry([ev]);
  } finally {
    await page.close();
    await widgetSite.close();
  }
});

test("Chromium: a second copy of oxeye (a widget's, loaded after the page's) sends its envelopes through the first copy's fetch wrapper untouched: no trace headers, no breadcrumb", async () => {
  const page = await chromium.newPage();
  try {
    await page.goto(`${site.url}/www/blank.html`);
    const r = await page.evaluate(async (dsn) => {
      const oxeye = await import("oxeye");
      oxeye.init({ dsn, globalHandlers: false, environment: "two-copies", tracePropagationTargets: [location.origin] });
      await oxeye.getClient().ready;
      // The second copy's transport, a module instance of its own, found the page's fetch
      // already wrapped by the first copy.
      const { makeFetchTransport } = await import(`/dist/delivery/transport.js?copy=${Date.now()}`);
      const send = makeFetchTransport({ browser: true, fetch: window.fetch });
      const body = new TextEncoder().encode('{}\n{"type":"client_report"}\n{"discarded_events":[]}\n');
      const answer = await send({ url: `${location.origin}/widget-tunnel`, headers: { "content-type": "text/plain;charset=UTF-8" }, body });
      await fetch("/www/blank.html");
      const id = oxeye.captureMessage("after the widget sent");
      return { id, status: answer.status, flushed: await oxeye.flush(15000) };
    }, bugsink.dsn);
    assert.equal(r.status, 200);
    assert.equal(r.flushed, true);
    assert.equal(tunnelRequests.length, 1);
    const headers = tunnelRequests[0];
    assert.equal(headers["sentry-trace"], undefined, "no sentry-trace added to the widget's envelope");
    assert.equal(headers.baggage, undefined, "no baggage (the page's release and key) added");
    assert.equal(headers.traceparent, undefined);
    const stored = await bugsink.api.waitForEvent(r.id);
    const crumbs = stored.breadcrumbs?.values ?? [];
    const urls = crumbs.filter((c) => c.category === "fetch").map((c) => c.data?.url ?? "");
    assert.ok(urls.some((u) => u.endsWith("/www/blank.html")), `the app's own request is recorded: ${JSON.stringify(urls)}`);
    assert.deepEqual(urls.filter((u) => u.includes("widget-tunnel")), [], "the widget's envelope is not");
  } finally {
    await page.close();
  }
});
