// Next.js 16 under `next dev` (the fixture app in tests/fixtures/next-app, unbuilt, on
// 127.0.0.1) driven by Chromium: a render crash reaches both oxeye's global `error`
// handler and app/global-error.tsx's `useCaptureError`, with the same Error object. Bugsink
// must store one event for it, and the "Reference" the error page shows must be its id.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { launchChromium } from "../scripts/lib/chromium.mjs";
import { prepareNextApp, startNextApp } from "../scripts/lib/next-app.mjs";
import { assertValidForSentry, freshBugsink } from "./helpers/real.mjs";

let bugsink, app, nextApp, chromium;

const hex = (dashed) => String(dashed).replaceAll("-", "");

before(async () => {
  [bugsink, app, chromium] = await Promise.all([freshBugsink(), prepareNextApp(), launchChromium()]);
  const env = { NEXT_PUBLIC_SENTRY_DSN: bugsink.dsn, NEXT_PUBLIC_SENTRY_RELEASE: "shop@2.0.0-dev" };
  nextApp = await startNextApp(app.dir, env, { dev: true, timeoutMs: 120_000 });
});

after(async () => {
  await nextApp?.stop();
  await chromium?.close();
  await bugsink?.stop();
  app?.remove();
});

test("next dev: a render crash seen by the global handler and by global-error.tsx is one event, and the Reference shown is its id", async () => {
  const page = await chromium.newPage();
  try {
    // The first request compiles the page: allow for it.
    await page.goto(`${nextApp.url}/`, { timeout: 120_000 });
    await page.waitForSelector('#break[data-ready="yes"]', { timeout: 60_000 });
    await page.click("#break");
    await page.waitForFunction(() => /^[0-9a-f]{32}$/.test(document.querySelector("#reported")?.textContent ?? ""), null, { timeout: 60_000 });
    const shown = await page.textContent("#reported");
    const isCrash = (e) => e.data?.exception?.values?.at(-1)?.type === "TypeError";
    const events = await bugsink.api.waitForEvents((evs) => evs.some((e) => hex(e.event_id) === shown), { timeoutMs: 20_000 });
    const crashes = events.filter(isCrash);
    assert.equal(crashes.length, 1, `one event for one thrown object; mechanisms: ${crashes.map((e) => e.data.exception.values.at(-1).mechanism?.type)}`);
    const ev = crashes[0].data;
    assert.equal(hex(ev.event_id), shown, "the Reference names the event Bugsink stored");
    assert.match(ev.exception.values.at(-1).value, /reading 'length'/);
    assert.equal(ev.environment, "development");
    console.log(`# next dev: the stored event was captured by ${ev.exception.values.at(-1).mechanism.type}`);
    await assertValidForSentry([ev]);
  } finally {
    await page.close();
  }
});
