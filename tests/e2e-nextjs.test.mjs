// Next.js 16 (app router, React 19, Turbopack) with oxeye/nextjs: the fixture app in
// tests/fixtures/next-app is built with `next build` (offline, telemetry off), served by
// `next start` on 127.0.0.1 and driven by Chromium. Bugsink must store the browser's render
// crash (reported by app/global-error.tsx), the server component and route handler errors
// (reported by onRequestError in instrumentation.ts, Node runtime), an error reported from
// an edge route handler (edge runtime, wasm imported as a compiled module), an error the
// proxy (proxy.ts) captures itself and a Pages Router render crash reported by
// pages/_error.tsx; the tunnel route of docs/delivery.md must build as a route handler and
// relay to Bugsink.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { launchChromium } from "../scripts/lib/chromium.mjs";
import { buildNextApp, prepareNextApp, startNextApp } from "../scripts/lib/next-app.mjs";
import { assertValidForSentry, byType, freshBugsink } from "./helpers/real.mjs";

const RELEASE = "shop@2.0.0";
// The same suite runs over a webpack build from e2e-nextjs-webpack.test.mjs.
const WEBPACK = process.env.OXEYE_NEXT_BUNDLER === "webpack";
let bugsink, app, nextApp, chromium, built;
const stored = new Map();

const hex = (dashed) => String(dashed).replaceAll("-", "");

before(async () => {
  const started = Date.now();
  [bugsink, app] = await Promise.all([freshBugsink(), prepareNextApp()]);
  // One public variable configures every runtime: it is inlined into the client bundle at
  // build time and read from process.env by the server and edge runtimes.
  const env = { NEXT_PUBLIC_SENTRY_DSN: bugsink.dsn, NEXT_PUBLIC_SENTRY_RELEASE: RELEASE };
  [built] = await Promise.all([buildNextApp(app.dir, env, { webpack: WEBPACK }), launchChromium().then((c) => (chromium = c))]);
  nextApp = await startNextApp(app.dir, env);
  console.log(`# next build${WEBPACK ? " --webpack" : ""} ${built.ms} ms; ready after ${Date.now() - started} ms`);
});

after(async () => {
  await nextApp?.stop();
  await chromium?.close();
  await bugsink?.stop();
  app?.remove();
});

test("the build has no warning from oxeye's modules", () => {
  assert.doesNotMatch(built.log, /Critical dependency|node_modules[\\/]oxeye/, built.log);
});

// The sources are the same for both bundlers: they are linted in the Turbopack run only.
if (!WEBPACK) {
  test("create-next-app's ESLint config (core-web-vitals, typescript) finds nothing in the app and its oxeye files", () => {
    const eslint = join(app.dir, "node_modules", "eslint", "bin", "eslint.js");
    const r = spawnSync(process.execPath, [eslint, "--max-warnings", "0", "."], { cwd: app.dir, encoding: "utf8", timeout: 120_000 });
    assert.equal(r.status, 0, `eslint:\n${r.stdout}\n${r.stderr}`);
  });
}

/** Waits for the stored event with this SDK event id; all events seen are kept for the Sentry check. */
async function eventById(id) {
  const events = await bugsink.api.waitForEvents((evs) => evs.some((e) => hex(e.event_id) === id));
  for (const e of events) stored.set(e.event_id, e);
  return events.find((e) => hex(e.event_id) === id).data;
}

async function eventByType(type) {
  const events = await bugsink.api.waitForEvents((evs) => !!byType(evs, type));
  for (const e of events) stored.set(e.event_id, e);
  return byType(events, type).data;
}

function assertCommon(ev, sdk) {
  assert.equal(ev.environment, "production", "NODE_ENV of the build names the environment, in every runtime");
  assert.equal(ev.release, RELEASE);
  assert.equal(ev.sdk.name, sdk);
}

/** Opens `path`, clicks its `#break` button once the page is ready, and returns the event whose id the page then shows in `#reported`. */
async function crashAndReport(page, path) {
  await page.goto(`${nextApp.url}${path}`);
  await page.waitForSelector('#break[data-ready="yes"]', { timeout: 15_000 });
  await page.click("#break");
  await page.waitForFunction(() => /^[0-9a-f]{32}$/.test(document.querySelector("#reported")?.textContent ?? ""), null, { timeout: 10_000 });
  return eventById(await page.textContent("#reported"));
}

test("browser: a render crash caught by app/global-error.tsx is reported with useCaptureError", async () => {
  const page = await chromium.newPage();
  try {
    const ev = await crashAndReport(page, "/");
    const ex = ev.exception.values.at(-1);
    assert.equal(ex.type, "TypeError");
    assert.match(ex.value, /reading 'length'/);
    assert.deepEqual(ex.mechanism, { type: "auto.function.nextjs.error_boundary", handled: false });
    assert.ok(ex.stacktrace.frames.some((f) => /\/_next\/static\/chunks\//.test(f.filename)), "frames point into Next's client chunks");
    assert.equal(ev.request.url, `${nextApp.url}/`);
    assertCommon(ev, "oxeye.javascript.browser");
  } finally {
    await page.close();
  }
});

test("server: a server component error reaches onRequestError with contexts.nextjs; the browser's report carries the same digest", async () => {
  const page = await chromium.newPage();
  try {
    const response = await page.goto(`${nextApp.url}/server-error`);
    assert.equal(response.status(), 500);
    await page.waitForFunction(() => /^[0-9a-f]{32}$/.test(document.querySelector("#reported")?.textContent ?? ""), null, { timeout: 10_000 });
    const browserId = await page.textContent("#reported");

    const server = await eventByType("RangeError");
    const ex = server.exception.values.at(-1);
    assert.equal(ex.value, "invoice inv-7 has no lines");
    assert.deepEqual(ex.mechanism, { type: "auto.function.nextjs.on_request_error", handled: false });
    const { digest, ...nextjs } = server.contexts.nextjs;
    // The page's server component threw while Next rendered the React Server Components
    // payload of a full page load (Next's renderSource "react-server-components").
    assert.deepEqual(nextjs, {
      request_path: "/server-error",
      router_kind: "App Router",
      router_path: "/server-error",
      route_type: "render",
      render_source: "react-server-components",
    });
    assert.equal(server.transaction, "GET /server-error");
    assert.equal(server.request.method, "GET");
    assert.equal(server.request.url, `${nextApp.url}/server-error`);
    assert.equal(server.contexts.runtime.name, "node");
    assertCommon(server, "oxeye.javascript.node");

    const browser = await eventById(browserId);
    assert.match(digest, /^\w+$/, "Next gave the error a digest");
    assert.equal(browser.contexts.nextjs.digest, digest, "the browser's report of the same failure names the server's digest");
    const tag = (ev) => ev.tags?.digest ?? Object.fromEntries(ev.tags ?? []).digest;
    assert.deepEqual([tag(server), tag(browser)], [digest, digest], "both carry it as a tag, which search finds");
    assertCommon(browser, "oxeye.javascript.browser");
  } finally {
    await page.close();
  }
});

test("server: a route handler error reaches onRequestError", async () => {
  const res = await fetch(`${nextApp.url}/api/fail`);
  assert.equal(res.status, 500);
  await res.arrayBuffer();
  const ev = await eventByType("SyntaxError");
  assert.equal(ev.exception.values.at(-1).value, "stock feed returned garbage");
  assert.deepEqual(ev.exception.values.at(-1).mechanism, { type: "auto.function.nextjs.on_request_error", handled: false });
  assert.deepEqual(ev.contexts.nextjs, { request_path: "/api/fail", router_kind: "App Router", router_path: "/api/fail", route_type: "route" });
  assert.equal(ev.transaction, "GET /api/fail");
  assertCommon(ev, "oxeye.javascript.node");
});

test("server: the same failure in requests without a request id is reported once per request", async () => {
  const before = (await eventsWithValue("stock feed returned garbage")).length;
  for (let i = 0; i < 2; i++) {
    const res = await fetch(`${nextApp.url}/api/fail`);
    assert.equal(res.status, 500);
    await res.arrayBuffer();
  }
  const until = Date.now() + 10_000;
  let after;
  do {
    await new Promise((r) => setTimeout(r, 200));
    after = (await eventsWithValue("stock feed returned garbage")).length;
  } while (after < before + 2 && Date.now() < until);
  assert.equal(after, before + 2, "each failing request is reported");
});

test("tunnel: the route of docs/delivery.md builds as a Next.js route handler and relays an envelope for its DSN only", async () => {
  const id = randomBytes(16).toString("hex");
  const envelope = (dsn) =>
    [JSON.stringify({ event_id: id, dsn }), JSON.stringify({ type: "event" }), JSON.stringify({ event_id: id, platform: "javascript", level: "error", logentry: { formatted: "through the tunnel" } })].join("\n");
  const refused = await fetch(`${nextApp.url}/api/t7f3`, { method: "POST", body: envelope(bugsink.dsn.replace(/\/(\d+)$/, "/999")) });
  assert.equal(refused.status, 403, await refused.text());
  const relayed = await fetch(`${nextApp.url}/api/t7f3`, { method: "POST", body: envelope(bugsink.dsn) });
  assert.equal(relayed.status, 200, await relayed.text());
  const ev = await eventById(id);
  assert.equal(ev.logentry.formatted, "through the tunnel");
});

test("server: what the request Next serves while it runs register() sets stays that request's, out of later requests' events", async () => {
  // A second server of the same build, whose first request is the app's own: Next runs
  // register() (and so init) while it serves it.
  const port = await new Promise((ok) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production", NEXT_PUBLIC_SENTRY_DSN: bugsink.dsn, NEXT_PUBLIC_SENTRY_RELEASE: RELEASE };
  const server = spawn(process.execPath, [join(app.dir, "node_modules", "next", "dist", "bin", "next"), "start", "-H", "127.0.0.1", "-p", String(port)], { cwd: app.dir, env, stdio: "ignore" });
  try {
    const base = `http://127.0.0.1:${port}/api/who`;
    const who = `first-${randomBytes(4).toString("hex")}`;
    let first;
    // Asked as soon as the port is open, while Next is still starting.
    for (let i = 0; i < 6000 && first === undefined; i++) {
      first = await fetch(`${base}?who=${who}`).then((r) => r.text(), () => new Promise((r) => setTimeout(r, 5)));
    }
    const later = await fetch(base).then((r) => r.text());
    const [a, b] = [await eventById(hex(first)), await eventById(hex(later))];
    assert.equal(a.user?.id, who);
    assert.equal(b.user?.id, undefined, `a later request's event carries the first request's user: ${JSON.stringify(b.user)}`);
  } finally {
    server.kill("SIGTERM");
    await new Promise((r) => (server.exitCode === null ? server.once("exit", r) : r()));
  }
});

test("edge: a request served while another awaits in its isolation scope does not see the other's user", async () => {
  const base = `${nextApp.url}/api/edge-who`;
  const who = `edge-${randomBytes(4).toString("hex")}`;
  const first = fetch(`${base}?who=${who}`).then((r) => r.text());
  await new Promise((r) => setTimeout(r, 150));
  const later = await fetch(base).then((r) => r.text());
  const [a, b] = [await eventById(hex(await first)), await eventById(hex(later))];
  assert.equal(a.user?.id, who);
  assert.equal(b.user?.id, undefined, `the other request's user: ${JSON.stringify(b.user)}`);
});

test("edge: a route handler on the edge runtime reports through the client started by register()", async () => {
  const res = await fetch(`${nextApp.url}/api/edge-fail`);
  assert.equal(res.status, 502);
  const { eventId } = await res.json();
  assert.match(eventId, /^[0-9a-f]{32}$/, "the edge runtime loaded the wasm core and captured");
  const ev = await eventById(eventId);
  const ex = ev.exception.values.at(-1);
  assert.equal(ex.type, "URIError");
  assert.equal(ex.value, "price lookup failed at the edge");
  assert.equal(ev.tags.lookup ?? Object.fromEntries(ev.tags).lookup, "price");
  assert.equal(ev.contexts.runtime.name, "edge-runtime");
  assertCommon(ev, "oxeye.javascript.edge");
});

/** Every stored event whose last exception has this value, once at least one is stored (and a moment more for a duplicate). */
async function eventsWithValue(value) {
  await bugsink.api.waitForEvents((evs) => evs.some((e) => e.data?.exception?.values?.at(-1)?.value === value));
  await new Promise((r) => setTimeout(r, 1500));
  const events = await bugsink.api.allEvents();
  for (const e of events) stored.set(e.event_id, e);
  return events.filter((e) => e.data?.exception?.values?.at(-1)?.value === value).map((e) => e.data);
}

test("proxy: an error proxy.ts captures itself is reported once, with its request", async () => {
  const res = await fetch(`${nextApp.url}/proxy-fail`);
  assert.equal(res.status, 503);
  await res.arrayBuffer();
  const events = await eventsWithValue("proxy has no region for this request");
  assert.equal(events.length, 1, "one report");
  const forPath = (await bugsink.api.allEvents()).filter((e) => e.data.request?.url === `${nextApp.url}/proxy-fail`);
  assert.equal(forPath.length, 1, "answering (not rethrowing) leaves Next no error of its own to report");
  const [ev] = events;
  assert.equal(ev.exception.values.at(-1).type, "ReferenceError");
  assert.equal(ev.contexts.runtime.name, "node");
  assert.equal(ev.request?.url, `${nextApp.url}/proxy-fail`, "the Node server's request isolation names the request");
  assertCommon(ev, "oxeye.javascript.node");
});

test("pages router: a client render crash caught by Next is reported once, by pages/_error.tsx", async () => {
  const page = await chromium.newPage();
  try {
    const ev = await crashAndReport(page, "/pages-crash");
    const ex = ev.exception.values.at(-1);
    assert.equal(ex.type, "TypeError");
    assert.match(ex.value, /reading 'join'/);
    assert.deepEqual(ex.mechanism, { type: "auto.function.nextjs.error_boundary", handled: false });
    assert.equal(ev.request.url, `${nextApp.url}/pages-crash`);
    assertCommon(ev, "oxeye.javascript.browser");
    assert.equal((await eventsWithValue(ex.value)).length, 1, "one report: the error never reached window.onerror");
    assert.equal(await page.textContent("h2"), "Something went wrong.", "an error in the browser is no 404");
  } finally {
    await page.close();
  }
});

const tagOf = (ev, key) => (Array.isArray(ev.tags) ? Object.fromEntries(ev.tags)[key] : ev.tags?.[key]);

for (const [button, url, type, routeType] of [
  ["call-route", "/api/fail", "SyntaxError", "route"],
  ["call-page", "/server-error", "RangeError", "render"],
  ["call-edge", "/api/edge-throw", "EvalError", "route"],
]) {
  test(`correlation: the browser's and the server's reports of one failing call to ${url} share trace_id and request_id`, async () => {
    const page = await chromium.newPage();
    try {
      await page.goto(`${nextApp.url}/`);
      await page.waitForSelector('#break[data-ready="yes"]', { timeout: 15_000 });
      await page.click(`#${button}`);
      await page.waitForFunction(() => /^[0-9a-f]{32}$/.test(document.querySelector("#call-reported")?.textContent ?? ""), null, { timeout: 10_000 });
      const browser = await eventById(await page.textContent("#call-reported"));
      assert.equal(browser.exception.values.at(-1).value, `${url} answered 500`);
      const rid = tagOf(browser, "request_id");
      assert.match(rid ?? "", /^[0-9a-f-]{36}$/, "the browser event names the failed call's request id");
      const traceId = browser.contexts.trace.trace_id;
      const events = await bugsink.api.waitForEvents((evs) => evs.some((e) => tagOf(e.data, "request_id") === rid && e.data.sdk.name !== browser.sdk.name));
      for (const e of events) stored.set(e.event_id, e);
      const server = events.find((e) => tagOf(e.data, "request_id") === rid && e.data.sdk.name !== browser.sdk.name).data;
      assert.equal(server.exception.values.at(-1).type, type);
      assert.deepEqual(server.exception.values.at(-1).mechanism, { type: "auto.function.nextjs.on_request_error", handled: false });
      assert.equal(server.contexts.nextjs.route_type, routeType);
      if (routeType === "route") assert.equal(server.transaction, `GET ${url}`, "named by the route, on the edge runtime too");
      assert.equal(server.contexts.trace.trace_id, traceId, "the server's event continues the call's trace");
      assert.equal(server.request.url, `${nextApp.url}${url}`);
      assert.equal(server.request.headers["x-request-id"], rid);
      const same = events.filter((e) => tagOf(e.data, "request_id") === rid && e.data.sdk.name !== browser.sdk.name);
      assert.equal(same.length, 1, "one failure, one server report");
    } finally {
      await page.close();
    }
  });
}

test("every stored event passes Sentry's normaliser", async () => {
  const events = await bugsink.api.allEvents();
  assert.ok(events.length >= 5, `expected at least 5 events, Bugsink stored ${events.length}`);
  await assertValidForSentry(events.map((e) => e.data));
});
