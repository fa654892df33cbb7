// `oxeye/nextjs` in a Next app that OpenNext (`@opennextjs/cloudflare`) runs on Workers:
// wrangler bundles a Worker as OpenNext's server bundle reaches oxeye (the `workerd`
// condition of `oxeye/nextjs`, `nodejs_compat`), and `wrangler dev` runs it. The Worker
// keeps each request's `{ env, ctx }` where OpenNext keeps it (an AsyncLocalStorage store
// behind `Symbol.for("__cloudflare-context__")`, which `getCloudflareContext()` reads), runs
// `register()`'s `init` once, and hands errors to `onRequestError` with Next's arguments.
// Two copies of the package serve each request, as in OpenNext's isolate, where the bundle
// of a Node proxy has its own. Shown: each request's error is reported once by a client of
// that request, whichever copy is asked (its trace
// continued, its request id, route and `SENTRY_*` bindings), concurrent requests keep their
// own scope data, what route code captures through `oxeye` itself is delivered before the
// request ends, and no promise crosses requests (workerd would log it).
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startCaptureServer } from "./helpers/capture-server.mjs";
import { missing, makeApp, wranglerDev } from "./helpers/wrangler.mjs";

const WORKER = `import { AsyncLocalStorage } from "node:async_hooks";
import * as oxeye from "oxeye";
import { captureRequestError, getClient, init } from "oxeye/nextjs";
// A second copy of the package in the same isolate, as OpenNext's bundle of a Node proxy has.
import * as proxyCopy from "oxeye-copy/nextjs";

// OpenNext's request context, as its worker.js keeps it.
const store = new AsyncLocalStorage<{ env: Env; ctx: ExecutionContext }>();
Object.defineProperty(globalThis, Symbol.for("__cloudflare-context__"), { get: () => store.getStore(), configurable: true });

interface Env { SENTRY_DSN: string; SENTRY_RELEASE: string }

let registered = false;
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    return store.run({ env, ctx }, async () => {
      // instrumentation.ts's register(), which Next runs at its first request.
      // (The proxy's copy runs it too, after the server's: both copies serve one request.)
      if (!registered) {
        registered = true;
        init({ environment: "preview" });
        proxyCopy.init({ environment: "preview" });
      }
      const url = new URL(request.url);
      const who = url.searchParams.get("who") ?? "nobody";
      if (url.pathname === "/ready") return new Response("ready");
      // Route code: the request's scope, through oxeye itself.
      oxeye.setUser({ id: who });
      oxeye.setTag("who", who);
      await wait(Number(url.searchParams.get("wait") ?? 0));
      if (url.pathname === "/own") return new Response(oxeye.captureException(new RangeError("captured by " + who)));
      if (url.pathname === "/client") return new Response(String(getClient() === proxyCopy.getClient() && getClient() !== undefined));
      // A route handler that throws: Next answers 500 and calls onRequestError (twice here,
      // as its render passes may), awaiting it.
      const error = new TypeError("route failed for " + who);
      const headers: Record<string, string> = {};
      request.headers.forEach((v, k) => (headers[k] = v));
      const both = url.pathname === "/both";
      if (both) oxeye.captureMessage("before the error of " + who);
      for (let i = 0; i < 2; i++)
        await captureRequestError(error, { path: url.pathname, method: request.method, headers }, { routerKind: "App Router", routePath: both ? "/both" : "/api/orders/[id]/route", routeType: "route" });
      if (both) oxeye.captureMessage("after the error of " + who);
      return new Response("Internal Server Error", { status: 500 });
    });
  },
};
`;

test("OpenNext on Workers: onRequestError and route code report through a client of each request, delivered before it ends", { skip: missing }, async () => {
  const dir = makeApp();
  const copy = join(dir, "node_modules", "oxeye-copy");
  cpSync(join(dir, "node_modules", "oxeye"), copy, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(copy, "package.json"), "utf8"));
  writeFileSync(join(copy, "package.json"), JSON.stringify({ ...manifest, name: "oxeye-copy" }));
  writeFileSync(join(dir, "src", "index.ts"), WORKER);
  writeFileSync(
    join(dir, "wrangler.jsonc"),
    JSON.stringify({ name: "next-on-workers", main: "src/index.ts", compatibility_date: "2026-10-06", compatibility_flags: ["nodejs_compat"] }),
  );
  const cap = await startCaptureServer();
  await wranglerDev(
    dir,
    cap,
    async (_get, log, port) => {
      const call = (path, headers = {}) => fetch(`http://127.0.0.1:${port}${path}`, { headers }).then(async (r) => [r.status, await r.text()]);
      assert.deepEqual(await call("/client"), [200, "true"], "one client for the whole request, from either copy");
      const trace = "4bf92f3577b34da6a3ce929d0e0e4736";
      const answers = await Promise.all(
        ["ann", "bob", "cid", "dee"].map((who, i) =>
          call(`/api/orders/${i}?who=${who}&wait=${40 - i * 10}`, { "sentry-trace": `${trace}-00f067aa0ba902b7-1`, "x-request-id": `req-${who}` }),
        ),
      );
      for (const [status] of answers) assert.equal(status, 500);
      const [, ownId] = await call("/own?who=eve");
      assert.match(ownId, /^[0-9a-f]{32}$/);
      const events = () => cap.events();
      const until = Date.now() + 15_000;
      while (events().length < 5 && Date.now() < until) await new Promise((ok) => setTimeout(ok, 50));
      await new Promise((ok) => setTimeout(ok, 300));
      assert.equal(events().length, 5, `four request errors, each once, and one capture of route code:\n${log()}`);
      for (const who of ["ann", "bob", "cid", "dee"]) {
        const ev = events().find((e) => e.exception?.values?.[0]?.value === `route failed for ${who}`);
        assert.ok(ev, `${who}'s error arrived`);
        assert.equal(ev.user.id, who, "the request's own user, not another's");
        assert.equal(ev.tags.who, who);
        assert.equal(ev.tags.request_id, `req-${who}`);
        assert.equal(ev.transaction, "GET /api/orders/[id]");
        assert.equal(ev.contexts.trace.trace_id, trace, "the caller's trace is continued");
        assert.equal(ev.contexts.nextjs.route_type, "route");
        assert.deepEqual(ev.exception.values[0].mechanism, { type: "auto.function.nextjs.on_request_error", handled: false });
        assert.equal(ev.sdk.name, "oxeye.javascript.workerd");
        assert.equal(ev.release, "shop@9", "SENTRY_RELEASE of the request's bindings");
        assert.equal(ev.environment, "preview");
      }
      const own = events().find((e) => e.event_id === ownId);
      assert.equal(own.exception.values[0].value, "captured by eve");
      assert.equal(own.user.id, "eve");
      // What route code captures by hand shares the request's trace with the report: the
      // caller's from the report on, when it sent one, else the request's own throughout.
      await call("/both?who=fay");
      await call("/both?who=gus", { "sentry-trace": "5bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1" });
      const said = (e) => e.logentry?.formatted ?? e.message ?? e.exception?.values?.[0]?.value;
      const traceOf = (text) => {
        const ev = cap.events().find((e) => said(e) === text);
        return ev?.contexts?.trace?.trace_id;
      };
      const until2 = Date.now() + 15_000;
      while (cap.events().length < 11 && Date.now() < until2) await new Promise((ok) => setTimeout(ok, 50));
      const fay = ["before the error of fay", "route failed for fay", "after the error of fay"].map(traceOf);
      assert.ok(fay[0] && fay.every((t) => t === fay[0]), `one request, one trace: ${fay}`);
      assert.deepEqual(["route failed for gus", "after the error of gus"].map(traceOf), ["5bf92f3577b34da6a3ce929d0e0e4736", "5bf92f3577b34da6a3ce929d0e0e4736"]);
      assert.doesNotMatch(log(), /on behalf of a different request|Cannot perform I\/O|cross-request|hung/i);
    },
    ["dev"],
    { SENTRY_RELEASE: "shop@9" },
  );
});
