// Release health end to end, with the built package (dist/): Chromium page views and a
// Node server's request aggregates, sent to a capture server (Bugsink keeps no sessions)
// and checked against Sentry's session schema, with release names checked by sentry-relay.
// - a quiet page view: `init` (ok), then `exited` when the page goes away (keepalive);
// - an uncaught error: the page view's session is `crashed`, sent at once;
// - a handled error on another page view: that view's session is `errored`;
// - errors not sent while the server rate-limits errors still mark the session;
// - a history navigation ends the session and starts a new one;
// - a second init ends the first client's session;
// - Node: 50 requests, each in its own isolation scope, 5 failing: one aggregate; a
//   request whose error ends the process is counted as crashed before it exits; a server
//   stopped by its SIGTERM handler sends its aggregate as the event loop drains;
// - workerd: the same 50 requests through `withOxeye` (a client per request, so one
//   `sessions` item per request) add up to the same counts.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { startBrowserRig } from "./helpers/browser-rig.mjs";
import { startWorker } from "./helpers/worker.mjs";
import { aggregateTotals, assertValidSessions, sessionAggregates, sessionUpdates } from "./helpers/sessions.mjs";
import { waitFor as waitUntil } from "./helpers/wait.mjs";
import { runProcess } from "../scripts/lib/python-env.mjs";

const RELEASE = "sessions-e2e@1.0.0";
let capture, site, chromium, rig;

before(async () => ({ capture, site, chromium } = rig = await startBrowserRig()));
after(() => rig?.close());

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits for `check()` to return something, naming the session updates seen when it does not. */
const waitFor = (check, what, timeoutMs = 10_000) =>
  waitUntil(check, { timeoutMs, intervalMs: 25, what, fail: () => new Error(`timed out waiting for ${what}; session updates: ${JSON.stringify(sessionUpdates(capture.envelopes))}`) });

/** Opens a page and starts oxeye on it; returns the page and the sid of its first session. */
async function pageView(options = {}) {
  const page = await chromium.newPage();
  await page.goto(`${site.url}/www/blank.html`);
  const seen = sessionUpdates(capture.envelopes).length;
  await page.evaluate(
    async ({ dsn, release, options }) => {
      const oxeye = await import("oxeye");
      window.oxeye = oxeye;
      oxeye.init({ dsn, release, ...options });
      await oxeye.getClient().ready;
    },
    { dsn: capture.dsn, release: RELEASE, options },
  );
  const first = await waitFor(() => sessionUpdates(capture.envelopes).slice(seen).find((u) => u.init), "the first session update");
  return { page, first };
}

/**
 * The updates of session `sid`, in arrival order, identical ones once: delivery sends at
 * least once (a request the server took but whose answer the page never saw is sent
 * again), and an update repeated as it was changes nothing on the server.
 */
const updatesOf = (sid) => {
  const seen = new Set();
  return sessionUpdates(capture.envelopes).filter((u) => u.sid === sid && !seen.has(JSON.stringify(u)) && seen.add(JSON.stringify(u)));
};

test("Chromium: a page view with no error is sent as init (ok), then exited when the page goes away", async () => {
  const { page, first } = await pageView();
  assert.equal(first.status, "ok");
  assert.equal(first.errors, 0);
  assert.equal(first.attrs.release, RELEASE);
  assert.match(first.attrs.user_agent, /Chrome/);
  await page.goto(`${site.url}/www/blank.html?elsewhere`); // a real pagehide; the update needs keepalive
  const last = await waitFor(() => updatesOf(first.sid).find((u) => u.status === "exited"), "the exited update");
  assert.equal(last.init, false);
  assert.equal(last.errors, 0);
  assert.ok(Date.parse(last.timestamp) >= Date.parse(first.started));
  assert.deepEqual(updatesOf(first.sid).map((u) => u.status), ["ok", "exited"]);
  await assertValidSessions(updatesOf(first.sid));
  await page.close();
});

test("Chromium: an uncaught error marks the page view's session crashed, sent at once", async () => {
  const { page, first } = await pageView();
  await page.evaluate(() => setTimeout(() => {
    throw new Error("uncaught in a timer");
  }));
  const crashed = await waitFor(() => updatesOf(first.sid).find((u) => u.status === "crashed"), "the crashed update");
  assert.equal(crashed.errors, 1);
  assert.ok(capture.events().some((e) => e.exception?.values?.at(-1)?.value === "uncaught in a timer"), "the event itself was sent");
  await page.goto("about:blank");
  await sleep(300);
  assert.deepEqual(updatesOf(first.sid).map((u) => u.status), ["ok", "crashed"], "a crashed session is final");
  await assertValidSessions(updatesOf(first.sid));
  await page.close();
});

test("Chromium: an uncaught error dropped by sampleRate still marks the session crashed (sampling drops the event, not its effect on the session)", async () => {
  const { page, first } = await pageView({ sampleRate: 0 });
  await page.evaluate(() => setTimeout(() => {
    throw new Error("sampled out in a timer");
  }));
  const crashed = await waitFor(() => updatesOf(first.sid).find((u) => u.status === "crashed"), "the crashed update");
  assert.equal(crashed.errors, 1);
  assert.ok(!capture.events().some((e) => e.exception?.values?.at(-1)?.value === "sampled out in a timer"), "the event itself was not sent");
  await assertValidSessions(updatesOf(first.sid));
  await page.close();
});

test("Chromium: an uncaught error not sent while the server rate-limits errors still marks the session crashed", async () => {
  // (Set before init: the answer to the session's first update carries the limit.)
  capture.rateLimit("60:error:organization:usage_exceeded");
  try {
    const { page, first } = await pageView();
    await sleep(300); // the answer is read
    await page.evaluate(() => {
      window.oxeye.captureException(new Error("handled while rate limited"));
      setTimeout(() => {
        throw new Error("uncaught while rate limited");
      });
    });
    const crashed = await waitFor(() => updatesOf(first.sid).find((u) => u.status === "crashed"), "the crashed update");
    assert.equal(crashed.errors, 2, "the handled error counted too");
    assert.ok(!capture.events().some((e) => /while rate limited/.test(e.exception?.values?.at(-1)?.value)), "neither event was sent");
    await page.goto("about:blank"); // the client report goes as the page leaves
    const report = await waitFor(() => capture.clientReports().flatMap((r) => r.discarded_events).find((d) => d.reason === "ratelimit_backoff" && d.category === "error"), "the client report");
    assert.ok(report.quantity >= 2, JSON.stringify(report));
    await assertValidSessions(updatesOf(first.sid));
    await page.close();
  } finally {
    capture.rateLimit(undefined);
  }
});

test("Chromium: the session's first update carries the user known at init (initialScope, or setUser before the core loaded) as did", async () => {
  const { page, first } = await pageView({ initialScope: { user: { id: "u-7" } } });
  assert.equal(first.did, "u-7");
  await page.close();
  const other = await chromium.newPage();
  await other.goto(`${site.url}/www/blank.html`);
  const seen = sessionUpdates(capture.envelopes).length;
  await other.evaluate(async ({ dsn, release }) => {
    const oxeye = await import("oxeye");
    oxeye.init({ dsn, release });
    oxeye.setUser({ id: "u-8" });
    oxeye.captureException(new Error("captured before the core loaded"));
    await oxeye.flush(15000);
  }, { dsn: capture.dsn, release: RELEASE });
  const firstOther = await waitFor(() => sessionUpdates(capture.envelopes).slice(seen).find((u) => u.init), "the first session update");
  assert.equal(firstOther.did, "u-8");
  const errored = await waitFor(() => updatesOf(firstOther.sid).find((u) => u.status === "errored"), "the errored update");
  assert.equal(errored.errors, 1, "the capture made before the core loaded counts in that session");
  await other.close();
});

test("Chromium: an uncaught error while the page is hidden (a background timer) starts a session that it marks crashed; shown again, the page starts a new one", async () => {
  const { page, first } = await pageView();
  const seen = sessionUpdates(capture.envelopes).length;
  await page.evaluate(() => {
    Object.defineProperty(document, "visibilityState", { value: "hidden", configurable: true });
    document.dispatchEvent(new Event("visibilitychange"));
  });
  await waitFor(() => updatesOf(first.sid).find((u) => u.status === "exited"), "the hidden page's session ended");
  await page.evaluate(() => setTimeout(() => {
    throw new Error("thrown while hidden");
  }));
  const crashed = await waitFor(() => sessionUpdates(capture.envelopes).slice(seen).find((u) => u.sid !== first.sid && u.status === "crashed"), "a crashed session");
  assert.equal(updatesOf(crashed.sid)[0].init, true, "a session of its own, started for the crash");
  await assertValidSessions(updatesOf(crashed.sid));
  // The viewer comes back: what they do counts in a session of theirs, not the crashed one.
  const before = sessionUpdates(capture.envelopes).length;
  await page.evaluate(() => {
    Object.defineProperty(document, "visibilityState", { value: "visible", configurable: true });
    document.dispatchEvent(new Event("visibilitychange"));
  });
  const fresh = await waitFor(() => sessionUpdates(capture.envelopes).slice(before).find((u) => u.init && u.sid !== crashed.sid && u.sid !== first.sid), "a new session when shown");
  assert.equal(fresh.status, "ok");
  await page.evaluate(() => window.oxeye.captureException(new Error("handled once shown")));
  await waitFor(() => updatesOf(fresh.sid).find((u) => u.errors === 1), "the handled error in the shown page's session");
  await page.close();
});

test("Chromium: a page prerendered by Speculation Rules loads no core and starts no session until it is shown", async () => {
  const page = await chromium.newPage();
  // (Chromium prerenders nothing while DevTools is attached, as it is here: the page is
  // told it is prerendered, and then activated, the way Chromium tells a real one.)
  await page.addInitScript(() => {
    let prerendering = true;
    let activationStart = 0;
    Object.defineProperty(Document.prototype, "prerendering", { get: () => prerendering, configurable: true });
    Object.defineProperty(PerformanceNavigationTiming.prototype, "activationStart", { get: () => activationStart, configurable: true });
    window.activate = () => {
      prerendering = false;
      activationStart = performance.now();
      document.dispatchEvent(new Event("prerenderingchange"));
    };
  });
  const wasm = [];
  page.on("request", (r) => /\.wasm$/.test(r.url()) && wasm.push(r.url()));
  await page.goto(`${site.url}/www/blank.html`);
  const seen = sessionUpdates(capture.envelopes).length;
  await page.evaluate(
    async ({ dsn, release }) => {
      const oxeye = await import("oxeye");
      window.oxeye = oxeye;
      oxeye.init({ dsn, release });
    },
    { dsn: capture.dsn, release: RELEASE },
  );
  await sleep(2500); // past `load` and the longest idle wait
  assert.deepEqual(wasm, [], "no wasm while prerendered");
  assert.equal(sessionUpdates(capture.envelopes).length, seen, "no session while prerendered");
  const shownAt = Date.now();
  await page.evaluate(() => window.activate());
  const first = await waitFor(() => sessionUpdates(capture.envelopes).slice(seen).find((u) => u.init), "the session started at activation");
  assert.ok(Date.parse(first.started) >= shownAt - 1000, `started ${first.started}, shown at ${new Date(shownAt).toISOString()}`);
  assert.equal(wasm.length, 1);
  await page.close();
});

test("Chromium: a handled error on another page view marks that view's session errored", async () => {
  const { page, first } = await pageView();
  const seen = sessionUpdates(capture.envelopes).length;
  await page.evaluate(() => history.pushState({}, "", "/www/blank.html?view=2"));
  const second = await waitFor(() => sessionUpdates(capture.envelopes).slice(seen).find((u) => u.init && u.sid !== first.sid), "the second page view");
  await page.evaluate(() => window.oxeye.captureException(new Error("handled on view 2")));
  const errored = await waitFor(() => updatesOf(second.sid).find((u) => u.status === "errored"), "the errored update");
  assert.equal(errored.errors, 1);
  assert.ok(!updatesOf(first.sid).some((u) => u.status === "errored"), "the first page view stays clean");
  // messages never count, whatever their level; the session's last word stays errors: 1
  await page.evaluate(async () => {
    window.oxeye.captureMessage("just a warning", "warning");
    window.oxeye.captureMessage("an error-level message", "error");
    await window.oxeye.flush(15000);
  });
  await page.goto("about:blank");
  await sleep(300);
  assert.deepEqual(updatesOf(second.sid).map((u) => [u.status, u.errors]), [["ok", 0], ["errored", 1]]);
  await assertValidSessions([...updatesOf(first.sid), ...updatesOf(second.sid)]);
  await page.close();
});

test("Chromium: a second init (a hot reload running init again) ends the first client's session before the second starts its own", async () => {
  // (Without the offline store, which would keep and resend an update the close gave up.)
  const { page, first } = await pageView({ offline: false });
  await page.evaluate(async ({ dsn, release }) => {
    window.oxeye.init({ dsn, release, offline: false });
    await window.oxeye.getClient().ready;
  }, { dsn: capture.dsn, release: RELEASE });
  const exited = await waitFor(() => updatesOf(first.sid).find((u) => u.status === "exited"), "the first client's session ended");
  const next = await waitFor(() => sessionUpdates(capture.envelopes).find((u) => u.init && u.sid !== first.sid && Date.parse(u.started) >= Date.parse(first.started)), "the second client's session");
  assert.notEqual(next.sid, first.sid);
  assert.equal(exited.errors, 0);
  await assertValidSessions(updatesOf(first.sid));
  await page.close();
});

test("Chromium: init then close() before the core loaded (consent declined): no session runs on, and fetch is the page's own again", async () => {
  const page = await chromium.newPage();
  await page.goto(`${site.url}/www/blank.html`);
  const seen = sessionUpdates(capture.envelopes).length;
  const restored = await page.evaluate(async ({ dsn, release }) => {
    const original = window.fetch;
    const oxeye = await import("oxeye");
    oxeye.init({ dsn, release });
    await oxeye.close(5000);
    await new Promise((r) => setTimeout(r, 1000));
    return window.fetch === original;
  }, { dsn: capture.dsn, release: RELEASE });
  assert.equal(restored, true, "the closed client's instrumentation is gone");
  await sleep(300);
  const updates = sessionUpdates(capture.envelopes).slice(seen);
  for (const sid of new Set(updates.map((u) => u.sid))) assert.ok(updates.some((u) => u.sid === sid && u.status === "exited"), `session ${sid} ended at the close: ${JSON.stringify(updates)}`);
  const before = sessionUpdates(capture.envelopes).length;
  await page.goto("about:blank");
  await sleep(300);
  assert.equal(sessionUpdates(capture.envelopes).length, before, "nothing more from the closed client when the page goes");
  await page.close();
});

test("Chromium: a history navigation ends the session and starts a new one; autoSessionTracking: false sends none", async () => {
  const { page, first } = await pageView();
  await page.evaluate(() => window.oxeye.setUser({ id: "user-42" }));
  await page.evaluate(() => history.pushState({}, "", "/www/blank.html#next"));
  const exited = await waitFor(() => updatesOf(first.sid).find((u) => u.status === "exited"), "the old session's end");
  const next = await waitFor(() => sessionUpdates(capture.envelopes).find((u) => u.init && u.did === "user-42"), "the new session");
  assert.notEqual(next.sid, first.sid);
  assert.equal(next.status, "ok");
  assert.ok(Date.parse(next.started) >= Date.parse(first.started));
  const order = sessionUpdates(capture.envelopes);
  assert.ok(order.indexOf(exited) < order.indexOf(next), "the old session ends before the new one starts");
  await assertValidSessions([...updatesOf(first.sid), next]);
  await page.close();

  const before = sessionUpdates(capture.envelopes).length;
  const off = await chromium.newPage();
  await off.goto(`${site.url}/www/blank.html`);
  await off.evaluate(async ({ dsn, release }) => {
    const oxeye = await import("oxeye");
    oxeye.init({ dsn, release, autoSessionTracking: false });
    oxeye.captureException(new Error("no session for me"));
    await oxeye.flush(15000);
  }, { dsn: capture.dsn, release: RELEASE });
  await waitFor(() => capture.events().some((e) => e.exception?.values?.at(-1)?.value === "no session for me"), "the event");
  assert.equal(sessionUpdates(capture.envelopes).length, before, "no session update with autoSessionTracking: false");
  await off.close();
});

test("Node: a request whose error ends the process (global handlers) is counted as crashed before it exits", async () => {
  const before = sessionAggregates(capture.envelopes).length;
  const script = fileURLToPath(new URL("./fixtures/node-request-crash.mjs", import.meta.url));
  const { code, stderr } = await runProcess(process.execPath, [script], { env: { ...process.env, OXEYE_TEST_DSN: capture.dsn }, timeoutMs: 20_000 });
  assert.equal(code, 1, stderr);
  const aggs = sessionAggregates(capture.envelopes).slice(before);
  assert.deepEqual(aggregateTotals(aggs), { exited: 2, errored: 0, crashed: 1 }, JSON.stringify(aggs));
  await assertValidSessions([], aggs);
});

test("Node: a server stopped by its SIGTERM handler, the process ending as its event loop drains, still sends its request aggregate", async () => {
  const before = sessionAggregates(capture.envelopes).length;
  const script = fileURLToPath(new URL("./fixtures/node-graceful-stop.mjs", import.meta.url));
  const { code, stderr } = await runProcess(process.execPath, [script], { env: { ...process.env, OXEYE_TEST_DSN: capture.dsn }, timeoutMs: 20_000 });
  assert.equal(code, 0, stderr);
  const aggs = sessionAggregates(capture.envelopes).slice(before);
  assert.deepEqual(aggregateTotals(aggs), { exited: 2, errored: 1, crashed: 0 }, JSON.stringify(aggs));
  await assertValidSessions([], aggs);
});

/**
 * Four requests to a server of this process, served with the Node client `oxeye` (two
 * fine; one captures a handled error, one an unhandled one, their values ending in `why`);
 * `first` runs once the server listens, before them. Returns the request aggregates of
 * `release` that the client's flush sent for them.
 */
async function fourRequests(oxeye, client, release, why, first) {
  const server = createServer((req, res) => {
    if (req.url === "/handled") oxeye.captureException(new Error(`handled, ${why}`));
    if (req.url === "/crash") oxeye.captureException(new Error(`crashed, ${why}`), { mechanism: { type: "auto.http.node", handled: false } });
    res.end("ok");
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    await first?.();
    const before = sessionAggregates(capture.envelopes).length;
    for (const path of ["/ok", "/handled", "/crash", "/ok"]) await fetch(`${base}${path}`, { headers: { connection: "close" } }).then((r) => r.text());
    await sleep(50);
    assert.equal(await client.flush(15000), true);
    return sessionAggregates(capture.envelopes).slice(before).filter((a) => a.attrs.release === release);
  } finally {
    server.close();
  }
}

test("Node: requests whose error events sampleRate drops still count as errored and crashed", async () => {
  const oxeye = await import("../dist/entrypoints/node.js");
  const client = oxeye.init({ dsn: capture.dsn, release: "sessions-sampled@1.0.0", environment: "test", sampleRate: 0 });
  try {
    const aggs = await fourRequests(oxeye, client, "sessions-sampled@1.0.0", "sampled out");
    assert.deepEqual(aggregateTotals(aggs), { exited: 2, errored: 1, crashed: 1 }, JSON.stringify(aggs));
  } finally {
    await client.close(1000);
  }
});

test("Node: requests whose error events are not sent while the server rate-limits errors still count as errored and crashed", async () => {
  const oxeye = await import("../dist/entrypoints/node.js");
  const client = oxeye.init({ dsn: capture.dsn, release: "sessions-limited@1.0.0", environment: "test" });
  capture.rateLimit("60:error:organization:usage_exceeded");
  try {
    const aggs = await fourRequests(oxeye, client, "sessions-limited@1.0.0", "rate limited", async () => {
      // The answer to this message carries the limit.
      oxeye.captureMessage("the limit comes with this answer", "error");
      assert.equal(await client.flush(15000), true);
    });
    assert.ok(!capture.events().some((e) => /rate limited/.test(e.exception?.values?.at(-1)?.value ?? "")), "no error event was sent");
    // (The capture server runs in this process: its requests, such as the client report's, are exited ones too.)
    const { exited, ...failed } = aggregateTotals(aggs);
    assert.deepEqual(failed, { errored: 1, crashed: 1 }, JSON.stringify(aggs));
    assert.ok(exited >= 2, JSON.stringify(aggs));
  } finally {
    capture.rateLimit(undefined);
    await client.close(1000);
  }
});

test("Node: 50 requests, isolated automatically, 5 failing, make one aggregate with the right counts", async () => {
  const oxeye = await import("../dist/entrypoints/node.js");
  const client = oxeye.init({ dsn: capture.dsn, release: "sessions-node@1.0.0", environment: "test" });
  // A plain http server: every request gets its own isolation scope and counts as one
  // request-mode session when its response is done, with no code from the app.
  let closed = 0;
  const server = createServer(async (req, res) => {
    res.on("close", () => closed++);
    try {
      const n = Number(new URL(req.url, "http://x").searchParams.get("n"));
      await sleep(1);
      if (n === 3 || n === 13 || n === 23) {
        oxeye.captureException(new Error(`handled ${n}`)); // errored
        res.writeHead(500).end();
      } else if (n === 7 || n === 27) {
        throw new Error(`unhandled ${n}`); // crashed
      } else {
        res.end("ok");
      }
    } catch (e) {
      oxeye.captureException(e, { mechanism: { type: "auto.http.node", handled: false } });
      res.writeHead(500).end();
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    const before = sessionAggregates(capture.envelopes).length;
    const sentBefore = capture.envelopes.length;
    await Promise.all(Array.from({ length: 50 }, (_, n) => fetch(`${base}/?n=${n}`).then((r) => r.text())));
    await waitFor(() => closed === 50, "every response done");
    // The capture server runs in this process too, so the five error envelopes it received
    // were requests as well (exited, counted in the same aggregate).
    const posted = await waitFor(() => (capture.envelopes.length - sentBefore >= 5 ? capture.envelopes.length - sentBefore : 0), "the five error envelopes");
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(await client.flush(15000), true);
    const aggs = sessionAggregates(capture.envelopes).slice(before);
    assert.equal(aggs.length, 1, JSON.stringify(aggs));
    assert.deepEqual(aggregateTotals(aggs), { exited: 45 + posted, errored: 3, crashed: 2 });
    assert.deepEqual(aggs[0].attrs, { release: "sessions-node@1.0.0", environment: "test" });
    await assertValidSessions([], aggs);
  } finally {
    server.close();
    await client.close(1000);
  }
});

test("Node: a request whose error event is still in an async beforeSend when its response ends still counts as errored", async () => {
  const oxeye = await import("../dist/entrypoints/node.js");
  const client = oxeye.init({
    dsn: capture.dsn,
    release: "sessions-node-async@1.0.0",
    environment: "test",
    beforeSend: async (event) => {
      await sleep(30);
      return event;
    },
  });
  let closed = 0;
  const server = createServer((req, res) => {
    res.on("close", () => closed++);
    const n = Number(new URL(req.url, "http://x").searchParams.get("n"));
    if (n % 5 === 0) oxeye.captureException(new Error(`handled ${n}`));
    res.end("ok"); // at once: the events are still in beforeSend
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    const before = sessionAggregates(capture.envelopes).length;
    await Promise.all(Array.from({ length: 10 }, (_, n) => fetch(`${base}/?n=${n}`).then((r) => r.text())));
    await waitFor(() => closed === 10, "every response done");
    assert.equal(await client.flush(15000), true);
    const aggs = sessionAggregates(capture.envelopes).slice(before).filter((a) => a.attrs.release === "sessions-node-async@1.0.0");
    const totals = aggregateTotals(aggs);
    assert.equal(totals.errored, 2, JSON.stringify(aggs));
    assert.equal(totals.crashed, 0);
  } finally {
    server.close();
    await client.close(1000);
  }
});

test("workerd: 50 requests through withOxeye, 7 failing (2 in work after the response), are counted as 43 exited, 4 errored, 3 crashed", async () => {
  const mf = startWorker(new URL("./workers/sessions-worker.mjs", import.meta.url), { bindings: { SENTRY_DSN: capture.dsn } });
  try {
    const before = sessionAggregates(capture.envelopes).length;
    const statuses = [];
    for (let n = 0; n < 50; n++) {
      const res = await mf.dispatchFetch(`http://worker.test/?n=${n}`);
      statuses.push(res.status);
      await res.text();
    }
    assert.equal(statuses.filter((s) => s === 500).length, 5);
    const aggs = await waitFor(() => {
      const a = sessionAggregates(capture.envelopes).slice(before);
      return a.length >= 50 && a;
    }, "50 request sessions");
    assert.deepEqual(aggregateTotals(aggs), { exited: 43, errored: 4, crashed: 3 });
    assert.deepEqual(aggs[0].attrs, { release: "sessions-worker@1.0.0", environment: "edge" });
    await assertValidSessions([], aggs);
  } finally {
    await mf.dispose();
  }
});
