// Next.js 16 on Cloudflare Workers with OpenNext: the fixture app in
// tests/fixtures/opennext-app (docs/nextjs.md's recipe: `serverExternalPackages: ["oxeye"]`,
// instrumentation.ts as for Node, a proxy that does not import oxeye) is built by
// `opennextjs-cloudflare build` (Turbopack; offline, no telemetry) and run by `wrangler dev`
// on 127.0.0.1 as `opennextjs-cloudflare preview` runs it, its SENTRY_DSN in .dev.vars that
// of a capture server. Real requests show: a route handler's and a server component's errors
// each reported once by onRequestError from oxeye's Workers build, with the caller's trace
// and request id; the user and tag route code sets through `oxeye` belong to its own request
// when two interleave; the proxy runs; and no promise crosses requests (workerd would log it).
// Skipped, saying why, when Node 22 or the app's dependencies cannot be installed.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildOpenNextApp, ensureOpenNextDeps, fixtureDir, prepareOpenNextApp, previewOpenNextApp } from "../scripts/lib/opennext-app.mjs";
import { startCaptureServer } from "./helpers/capture-server.mjs";
import { waitFor } from "./helpers/wait.mjs";
import { node22, root } from "./helpers/wrangler.mjs";

let skip = typeof node22 === "string" ? undefined : node22.error;
if (!skip) {
  try {
    await ensureOpenNextDeps();
  } catch (e) {
    skip = `the OpenNext app's dependencies could not be installed: ${e.message}`;
  }
}

/** The TypeScript block of docs/nextjs.md that follows `intro`. */
function docsBlock(intro) {
  const text = readFileSync(join(root, "docs", "nextjs.md"), "utf8");
  const at = text.indexOf(intro);
  assert.ok(at >= 0, `docs/nextjs.md has "${intro}"`);
  return text.slice(at).match(/```ts\n([\s\S]*?)\n```/)[1];
}

test("the fixture's next.config.ts and instrumentation files are docs/nextjs.md's", () => {
  const file = (name) => readFileSync(join(fixtureDir, name), "utf8").trim();
  assert.equal(file("next.config.ts"), docsBlock("## On Cloudflare Workers (OpenNext)"));
  assert.equal(file("instrumentation.ts"), docsBlock("`instrumentation.ts` (Node server and edge):"));
  assert.equal(file("instrumentation-client.ts"), docsBlock("`instrumentation-client.ts` (the browser):"));
});

describe("Next.js on Workers (OpenNext), built and run for real", { skip }, () => {
  let cap, app, worker;

  before(async () => {
    const started = Date.now();
    [cap, app] = await Promise.all([startCaptureServer(), prepareOpenNextApp()]);
    const built = await buildOpenNextApp(app.dir, { node: node22 });
    worker = await previewOpenNextApp(app.dir, { SENTRY_DSN: cap.dsn }, { node: node22 });
    console.log(`# opennextjs-cloudflare build ${built.ms} ms; ready after ${Date.now() - started} ms`);
  });

  after(async () => {
    await worker?.stop();
    await cap?.close();
    app?.remove();
  });

  const call = (path, headers = {}) =>
    fetch(`${worker.url}${path}`, { headers, signal: AbortSignal.timeout(30_000) }).then(async (r) => ({ status: r.status, headers: r.headers, body: await r.text() }));

  /** The events whose first exception's value is `value`, once one has arrived and a moment has passed for any duplicate. */
  async function reported(value) {
    const matching = () => cap.events().filter((e) => e.exception?.values?.[0]?.value === value);
    await waitFor(() => matching().length > 0, { timeoutMs: 15_000, fail: () => new Error(`no event "${value}" arrived; worker log:\n${worker.output().slice(-3000)}`) });
    await new Promise((ok) => setTimeout(ok, 1000));
    return matching();
  }

  test("a route handler's error: 500, reported once by onRequestError with the caller's trace and request id", async () => {
    const trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    const res = await call("/api/orders/7", { "sentry-trace": `${trace}-00f067aa0ba902b7-1`, "x-request-id": "req-order-7" });
    assert.equal(res.status, 500);
    const events = await reported("order 7 has no lines");
    assert.equal(events.length, 1, "reported once");
    const [ev] = events;
    assert.deepEqual(ev.exception.values[0].mechanism, { type: "auto.function.nextjs.on_request_error", handled: false });
    assert.equal(ev.exception.values[0].type, "TypeError");
    assert.equal(ev.sdk.name, "oxeye.javascript.workerd");
    assert.equal(ev.contexts.runtime.name, "workerd");
    assert.equal(ev.transaction, "GET /api/orders/[id]");
    assert.equal(ev.contexts.nextjs.route_type, "route");
    assert.equal(ev.contexts.nextjs.request_path, "/api/orders/7");
    assert.equal(ev.contexts.trace.trace_id, trace, "the caller's trace is continued");
    assert.equal(ev.contexts.trace.parent_span_id, "00f067aa0ba902b7");
    assert.equal(ev.tags.request_id, "req-order-7");
  });

  test("a server component's error: 500, reported once as a render error", async () => {
    const res = await call("/server-error");
    assert.equal(res.status, 500);
    const events = await reported("invoice inv-7 has no lines");
    assert.equal(events.length, 1, "reported once");
    const [ev] = events;
    assert.deepEqual(ev.exception.values[0].mechanism, { type: "auto.function.nextjs.on_request_error", handled: false });
    assert.equal(ev.contexts.nextjs.route_type, "render");
    assert.equal(ev.transaction, "GET /server-error");
    assert.equal(ev.sdk.name, "oxeye.javascript.workerd");
  });

  test("two interleaved requests each capture through oxeye with only their own user and tag", async () => {
    // ann sets her scope first and captures last: bob's request runs in between.
    const [ann, bob] = await Promise.all([call("/api/scope?who=ann&wait=300"), call("/api/scope?who=bob&wait=20")]);
    for (const [who, res] of [["ann", ann], ["bob", bob]]) {
      assert.equal(res.status, 200, `${who}: ${res.body}`);
      assert.match(res.body, /^[0-9a-f]{32}$/, `${who}'s capture returned an event id`);
    }
    for (const [who, res] of [["ann", ann], ["bob", bob]]) {
      const ev = await waitFor(() => cap.events().find((e) => e.event_id === res.body), {
        timeoutMs: 15_000,
        fail: () => new Error(`${who}'s event did not arrive; worker log:\n${worker.output().slice(-3000)}`),
      });
      assert.equal(ev.exception.values[0].value, `checkout failed for ${who}`);
      assert.equal(ev.user.id, who, "the request's own user, not the other's");
      assert.equal(ev.tags.who, who, "the request's own tag, not the other's");
      assert.equal(ev.sdk.name, "oxeye.javascript.workerd");
    }
  });

  test("the proxy, which does not import oxeye, runs: the page through it answers 200", async () => {
    const res = await call("/");
    assert.equal(res.status, 200, res.body);
    assert.equal(res.headers.get("x-proxy"), "1", "the proxy's header");
    assert.match(res.body, /Shop on Workers/);
  });

  test("no promise or I/O crossed requests (workerd logs it)", () => {
    assert.match(worker.output(), /GET \/api\/scope/, "the worker log is read");
    assert.doesNotMatch(worker.output(), /on behalf of a different request|code had hung/i);
  });
});
