// React 19 in Chromium: an app bundled with esbuild uses oxeye/react. A render crash under
// an ErrorBoundary shows the fallback with the event id and is stored by Bugsink with the
// component stack; a crash outside any boundary is reported through onUncaughtError. With
// `oxeye` mocked (an app's component tests), the boundary still renders its fallback.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../scripts/lib/chromium.mjs";
import { serveStatic } from "../scripts/lib/static-server.mjs";
import { bundleApp } from "./helpers/bundle.mjs";
import { assertValidForSentry, byType, freshBugsink } from "./helpers/real.mjs";

let bugsink, server, chromium, dir;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "oxeye-react-"));
  await bundleApp(fileURLToPath(new URL("./fixtures/react-app.js", import.meta.url)), dir);
  writeFileSync(join(dir, "index.html"), '<!doctype html><meta charset="utf-8"><div id="root"></div><script type="module" src="./app.js"></script>');
  bugsink = await freshBugsink();
  server = await serveStatic(dir);
  chromium = await launchChromium();
});
after(async () => {
  await chromium?.close();
  await server?.close();
  await bugsink?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("React: ErrorBoundary, reactErrorHandler and captureReactException report render crashes with the component stack", async () => {
  const page = await chromium.newPage();
  const printed = [];
  page.on("console", (m) => m.type() === "error" && printed.push(m.text()));
  await page.goto(`${server.url}/index.html?dsn=${encodeURIComponent(bugsink.dsn)}`);
  await page.waitForFunction(() => window.reactReady === true, null, { timeout: 10_000 });
  await page.click("#break");
  const fallback = await page.textContent("#fallback", { timeout: 5000 });
  const shownId = fallback.match(/\(([0-9a-f]{32})\)/)?.[1];
  assert.ok(shownId, `the fallback shows the event id: ${fallback}`);
  assert.deepEqual(await page.evaluate(() => [...new Set(window.fallbackIds)]), [shownId], "the fallback's first render has the id");
  // A boundary whose fallback fails: the fallback's error goes to the boundary above, once.
  await page.click("#orders");
  const outerShown = (await page.textContent("#outer-fallback", { timeout: 5000 })).match(/\(([0-9a-f]{32})\)/)?.[1];
  await page.click("#crash");
  // (Printed as React's default handler would, reactErrorHandler being given no callback.)
  assert.ok(printed.some((t) => t.includes("outside any boundary")), `onUncaughtError's handler printed the error: ${printed.join(" | ")}`);
  await page.click("#wishlist");
  await page.waitForSelector("#own-fallback", { timeout: 5000 });
  assert.equal(await page.evaluate(() => window.oxeyeClient.flush(15000)), true);

  const events = await bugsink.api.waitForEvents((evs) => ["TypeError", "RangeError", "EvalError", "SyntaxError", "URIError"].every((t) => byType(evs, t)));
  // An app's own class boundary, through captureReactException: handled, with the component stack.
  const own = byType(events, "URIError");
  assert.equal(own.data.event_id, await page.evaluate(() => window.ownId));
  const om = own.data.exception.values.at(-1).mechanism;
  assert.deepEqual([om.type, om.handled], ["auto.function.react.capture", true]);
  assert.match(own.data.contexts.react.componentStack, /Wishlist/);
  assert.ok(own.data.exception.values.some((v) => v.type === "React ErrorBoundary URIError"));
  const inner = byType(events, "EvalError");
  const outer = byType(events, "SyntaxError");
  assert.equal(inner.data.exception.values.at(-1).value, "orders list failed");
  assert.equal(outer.data.exception.values.at(-1).value, "fallback failed after orders list failed");
  assert.equal(outer.data.event_id, outerShown, "the outer boundary's fallback shows its event");
  assert.equal(events.filter((e) => /fallback failed/.test(e.data.exception?.values?.at(-1)?.value)).length, 1, "the fallback's error once, from the boundary above");
  const caught = byType(events, "TypeError");
  assert.equal(caught.data.event_id, shownId);
  const ex = caught.data.exception.values.at(-1);
  assert.match(ex.value, /reading 'length'/);
  assert.deepEqual([ex.mechanism.type, ex.mechanism.handled], ["auto.function.react.error_boundary", true]);
  assert.match(caught.data.contexts.react.componentStack, /CartSummary/);
  assert.equal(caught.data.tags.area, "cart", "beforeCapture ran in the capture's scope (onCaughtError left the error to the boundary)");
  assert.ok(ex.stacktrace.frames.some((f) => f.function === "CartSummary"));
  // The component stack is a linked exception too, with frames a server can source-map.
  const linked = caught.data.exception.values.find((v) => v.type === "React ErrorBoundary TypeError");
  assert.ok(linked, JSON.stringify(caught.data.exception.values.map((v) => v.type)));
  assert.equal(linked.value, ex.value);
  assert.ok(linked.stacktrace.frames.some((f) => f.function === "CartSummary" && /\/app\.js$/.test(f.filename) && f.lineno > 0), JSON.stringify(linked.stacktrace.frames));

  const uncaught = byType(events, "RangeError");
  assert.equal(uncaught.data.exception.values.at(-1).value, "outside any boundary");
  const um = uncaught.data.exception.values.at(-1).mechanism;
  assert.deepEqual([um.type, um.handled], ["auto.function.react.error_handler", false]);
  assert.match(uncaught.data.contexts.react.componentStack, /Shop/);
  assert.ok(uncaught.data.exception.values.some((v) => v.type === "React ErrorBoundary RangeError" && v.stacktrace?.frames?.some((f) => f.function === "Shop")));
  await assertValidForSentry(events.map((e) => e.data));
  await page.close();
});

test("React: with oxeye mocked as a test runner's automock does (withScope never calls back), the ErrorBoundary still renders its fallback", async () => {
  const mocked = mkdtempSync(join(tmpdir(), "oxeye-react-mocked-"));
  const site = await serveStatic(mocked);
  const page = await chromium.newPage();
  try {
    await bundleApp(fileURLToPath(new URL("./fixtures/react-mocked-app.js", import.meta.url)), mocked, { oxeyeStub: fileURLToPath(new URL("./fixtures/oxeye-automock.js", import.meta.url)) });
    writeFileSync(join(mocked, "index.html"), '<!doctype html><meta charset="utf-8"><div id="root"></div><script type="module" src="./app.js"></script>');
    await page.goto(`${site.url}/index.html`);
    assert.equal(await page.textContent("#fallback", { timeout: 5000 }), "Something went wrong []");
  } finally {
    await page.close();
    await site.close();
    rmSync(mocked, { recursive: true, force: true });
  }
});
