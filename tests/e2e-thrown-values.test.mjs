// What apps throw besides Errors, in Chromium, reported to a capture server and checked
// by Sentry's normaliser: a DOM event rejected by an image's `onerror` (titled by its type
// and target, not by its one own key `isTrusted`), an Error whose `message` is an object
// (its JSON, not "[object Object]"), and an element in extras (a selector with its id and
// classes).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../scripts/lib/chromium.mjs";
import { serveStatic } from "../scripts/lib/static-server.mjs";
import { normalizeEvents } from "../scripts/lib/relay.mjs";
import { startCaptureServer } from "./helpers/capture-server.mjs";
import { waitFor } from "./helpers/wait.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
let capture, site, chromium;

before(async () => {
  capture = await startCaptureServer();
  site = await serveStatic(root);
  chromium = await launchChromium();
});
after(async () => {
  await chromium?.close();
  await site?.close();
  await capture?.close();
});

test("Chromium: a rejected image error event, an object message and an element in extras are described by what tells them apart", async () => {
  const page = await chromium.newPage();
  try {
    await page.goto(`${site.url}/www/blank.html`);
    const flushed = await page.evaluate(
      async ({ dsn, origin }) => {
        const oxeye = await import(`${origin}/dist/entrypoints/browser.js`);
        oxeye.init({ dsn });
        document.body.insertAdjacentHTML("beforeend", '<div id="cart" class="panel  open"></div><img id="hero" class="lazy">');
        oxeye.setExtra("panel", document.querySelector("#cart"));
        const img = document.querySelector("#hero");
        // The usual way an image's failure becomes a rejection.
        new Promise((_, reject) => {
          img.onerror = reject;
          img.src = `${origin}/no-such-image.png`;
        });
        const body = new Error();
        body.message = { code: "E_QUOTA", retry: false };
        oxeye.captureException(body);
        await new Promise((r) => setTimeout(r, 500));
        return oxeye.flush(5000);
      },
      { dsn: capture.dsn, origin: site.url },
    );
    assert.equal(flushed, true);
    await waitFor(() => capture.events().length >= 2, { what: "two events" });
    const events = capture.events();
    const rejected = events.find((e) => e.exception.values.at(-1).mechanism.type.endsWith("onunhandledrejection"));
    assert.ok(rejected, "the image's error event was reported");
    assert.equal(rejected.exception.values.at(-1).type, "Event");
    assert.equal(rejected.exception.values.at(-1).value, "error on [HTMLImageElement: img#hero.lazy]");
    const body = events.find((e) => e.exception.values.at(-1).mechanism.type === "generic");
    assert.equal(body.exception.values.at(-1).value, '{"code":"E_QUOTA","retry":false}');
    assert.equal(body.extra.panel, "[HTMLDivElement: div#cart.panel.open]");
    for (const { errors } of await normalizeEvents(events)) assert.deepEqual(errors, [], "Sentry's normaliser finds nothing to drop");
  } finally {
    await page.close();
  }
});
