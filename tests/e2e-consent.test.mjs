// A user who withdraws consent, in Chromium against the fault-injecting server:
// - `close({ discard: true })` sends nothing more (no session end, no client report, no
//   retry) and removes what the offline store keeps (what another tab was sending too), so
//   that a later page, consented again, never sends what was captured before the withdrawal;
// - a client closed before its core loaded (a user who declined at once) starts nothing
//   when the core comes: what it queued is never sent, nor what the offline store kept;
//   `disabledReason` says it was closed.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../scripts/lib/chromium.mjs";
import { serveStatic } from "../scripts/lib/static-server.mjs";
import { startFaultServer } from "../scripts/lib/fault-server.mjs";
import { waitFor } from "./helpers/wait.mjs";
import { storedCount } from "./helpers/offline-store.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
let server, site, chromium;

before(async () => {
  server = await startFaultServer();
  site = await serveStatic(root);
  chromium = await launchChromium();
});
after(async () => {
  await chromium?.close();
  await site?.close();
  await server?.close();
});

/** Runs in the page: marks the first kept envelope as handed out to a page just now (another tab sending it). */
function markOneTaken() {
  return new Promise((ok, fail) => {
    const r = indexedDB.open("oxeye-offline", 1);
    r.onsuccess = () => {
      const tx = r.result.transaction("envelopes", "readwrite");
      const os = tx.objectStore("envelopes");
      const c = os.openCursor();
      c.onsuccess = () => c.result && c.result.update({ ...c.result.value, takenAt: Date.now() });
      tx.oncomplete = () => (r.result.close(), ok());
      tx.onerror = () => fail(tx.error);
    };
    r.onerror = () => fail(r.error);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** What the server has received since request number `from`. */
const since = (from) => server.requests.filter((r) => r.n >= from);

test("Chromium: close({ discard: true }) sends nothing more and empties the offline store; a page consented again never sends what was kept", async () => {
  const page = await chromium.newPage();
  await page.goto(`${site.url}/www/blank.html`);
  const dsn = server.dsn;
  await page.evaluate(async (dsn) => {
    const oxeye = await import("oxeye");
    oxeye.init({ dsn, release: "consent@1.0.0", globalHandlers: false, transportOptions: { maxRetries: 1, retryBaseMs: 20 } });
    await oxeye.getClient().ready;
  }, dsn);
  // Captured while the network is down: kept in IndexedDB, with the page's session.
  await chromium.context.setOffline(true);
  const ids = await page.evaluate(async () => {
    const oxeye = await import("oxeye");
    oxeye.setUser({ email: "ann@example.com" });
    const ids = [oxeye.captureMessage("kept 1", "error"), oxeye.captureException(new Error("kept 2"))];
    await oxeye.flush(10000);
    return ids;
  });
  assert.ok((await page.evaluate(storedCount)) >= 2, "the two events are kept offline");
  // One of them handed out to another tab of the site, which is sending it.
  await page.evaluate(markOneTaken);

  // Withdrawn: the store is emptied, and back online nothing goes out (no session end, no report).
  const from = server.stats().requests;
  const closed = await page.evaluate(async () => {
    const oxeye = await import("oxeye");
    const done = await oxeye.close({ discard: true });
    return { done, reason: oxeye.getClient().disabledReason, capture: oxeye.captureMessage("after", "error") };
  });
  assert.equal(closed.done, true);
  assert.match(closed.reason, /close\(\) was called/);
  await waitFor(async () => (await page.evaluate(storedCount)) === 0, { what: "an empty offline store" });
  await chromium.context.setOffline(false);
  await page.evaluate(() => dispatchEvent(new Event("pagehide")));
  await sleep(1500);
  assert.deepEqual(since(from), [], "nothing was sent after the withdrawal");

  // Consented again on a new page load: what was kept before is gone for good.
  await page.reload();
  await page.evaluate(async (dsn) => {
    const oxeye = await import("oxeye");
    oxeye.init({ dsn, release: "consent@1.0.0", globalHandlers: false });
    oxeye.captureMessage("after consent again", "error");
    await oxeye.flush(10000);
  }, dsn);
  await sleep(500);
  assert.equal(since(from).filter((r) => r.kind === "event").length, 1, "only the new page's event");
  assert.ok(ids.every((id) => !server.stats().attempts.has(id)), "the kept events were never sent");
  await page.close();
});

test("Chromium: a client closed before its core loaded starts nothing when the core comes, sends nothing kept offline, and with discard removes it", async () => {
  for (const how of ["close(100)", "close({ discard: true })"]) {
    // An envelope kept offline by an earlier page of the site.
    const before = await chromium.newPage();
    await before.goto(`${site.url}/www/blank.html`);
    await before.evaluate(async (dsn) => {
      const oxeye = await import("oxeye");
      await oxeye.init({ dsn, release: "consent@1.0.0", globalHandlers: false }).ready;
    }, server.dsn);
    await chromium.context.setOffline(true);
    await before.evaluate(async () => {
      const oxeye = await import("oxeye");
      oxeye.captureMessage("kept by an earlier page", "error");
      await oxeye.flush(10000);
      await oxeye.close(0);
    });
    const kept = await before.evaluate(storedCount);
    assert.ok(kept >= 1, how);
    await before.close();
    await chromium.context.setOffline(false);

    const page = await chromium.newPage();
    // The core arrives 1.5 s late.
    await page.route("**/oxeye_bg.wasm", async (route) => {
      await sleep(1500);
      await route.continue();
    });
    await page.goto(`${site.url}/www/blank.html`);
    const from = server.stats().requests;
    const r = await page.evaluate(async ({ dsn, how }) => {
      const oxeye = await import("oxeye");
      const client = oxeye.init({ dsn, release: "consent@1.0.0", debug: true });
      oxeye.captureException(new Error("before the core, then declined"));
      const done = await (how === "close(100)" ? oxeye.close(100) : oxeye.close({ discard: true }));
      await client.ready;
      await new Promise((r) => setTimeout(r, 500));
      return { done, reason: client.disabledReason };
    }, { dsn: server.dsn, how });
    assert.equal(r.done, how !== "close(100)", how);
    assert.match(r.reason, /close\(\) was called/, how);
    await sleep(1500);
    assert.deepEqual(since(from), [], `${how}: nothing was sent once the core came, nor what was kept`);
    // A plain close leaves what was kept for a later page; discard removes it.
    assert.equal(await page.evaluate(storedCount), how === "close(100)" ? kept : 0, how);
    await page.evaluate(() => new Promise((ok) => (indexedDB.deleteDatabase("oxeye-offline").onsuccess = ok)));
    await page.close();
  }
});
