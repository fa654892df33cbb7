// oxeye/nextjs over the real wasm core (Node entry, which `oxeye` resolves to here through
// the package's self-reference): captureRequestError's event shape and bounded flush,
// configuration from Next's environment variables, the client shared through globalThis,
// and inputs Next never sends. The real Next app is in e2e-nextjs.test.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import * as nextjs from "../dist/frameworks/nextjs/nextjs.js";
import { captureTransport } from "./helpers/capture-transport.mjs";
import { assertValidForSentry } from "./helpers/real.mjs";

const DSN = "http://pubkey@127.0.0.1:9/42";
const VARS = ["SENTRY_DSN", "NEXT_PUBLIC_SENTRY_DSN", "SENTRY_ENVIRONMENT", "NEXT_PUBLIC_SENTRY_ENVIRONMENT", "SENTRY_RELEASE", "NEXT_PUBLIC_SENTRY_RELEASE", "VERCEL_ENV", "NODE_ENV"];
const checked = [];

/** Runs `fn` with exactly these variables set among VARS (the others unset), then restores them. */
async function withEnv(vars, fn) {
  const saved = Object.fromEntries(VARS.map((k) => [k, process.env[k]]));
  for (const k of VARS) delete process.env[k];
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const k of VARS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
}

const capture = () => captureTransport({ seen: checked });

const request = (over = {}) => ({
  path: "/checkout/pay?step=2",
  method: "post",
  headers: { host: "shop.example", "x-forwarded-proto": "https", cookie: "sid=1" },
  ...over,
});
const context = (over = {}) => ({ routerKind: "App Router", routePath: "/checkout/pay", routeType: "action", renderSource: undefined, revalidateReason: undefined, ...over });

test("before init nothing is captured, and nothing throws", async () => {
  assert.equal(nextjs.getClient(), undefined);
  await nextjs.captureRequestError(new Error("before init"), request(), context());
  assert.equal(nextjs.captureException(new Error("before init")), "");
  assert.equal(await nextjs.flush(10), true);
});

test("captureRequestError: unhandled on_request_error event with contexts.nextjs, transaction and request, delivered before it resolves", async () => {
  const c = capture();
  await withEnv({ NODE_ENV: "production" }, async () => {
    nextjs.init({ dsn: DSN, transport: c.transport });
    const err = Object.assign(new TypeError("cart is empty"), { digest: "2417" });
    const done = nextjs.captureRequestError(err, request(), context());
    assert.ok(done instanceof Promise);
    await done;
    const [ev] = c.events();
    assert.ok(ev, "sent by the time the promise resolved");
    const ex = ev.exception.values.at(-1);
    assert.equal(ex.type, "TypeError");
    assert.deepEqual(ex.mechanism, { type: "auto.function.nextjs.on_request_error", handled: false });
    assert.deepEqual(ev.contexts.nextjs, {
      request_path: "/checkout/pay?step=2",
      router_kind: "App Router",
      router_path: "/checkout/pay",
      route_type: "action",
      digest: "2417",
    });
    assert.equal(ev.transaction, "POST /checkout/pay");
    assert.deepEqual(ev.request, {
      method: "POST",
      url: "https://shop.example/checkout/pay",
      query_string: "step=2",
      headers: { host: "shop.example", "x-forwarded-proto": "https" },
    });
    assert.equal(ev.environment, "production");

    // The request's data stays with its own event.
    nextjs.captureException(new Error("later"));
    await nextjs.flush(2000);
    const later = c.events()[1];
    assert.equal(later.transaction, undefined);
    assert.equal(later.contexts.nextjs, undefined);
    assert.equal(later.request, undefined);
  });
});

test("captureRequestError waits at most flushTimeoutMs for a transport that never answers", async () => {
  const took = async (flushTimeoutMs) => {
    // The request itself times out after 5 s (longer than either wait) and is not retried,
    // so the suite does not stay alive for the default 30 s timeouts.
    nextjs.init({ dsn: DSN, transport: () => new Promise(() => {}), flushTimeoutMs, transportOptions: { timeoutMs: 5000, maxRetries: 0 } });
    const started = performance.now();
    await nextjs.captureRequestError(new Error(`slow ingest (${flushTimeoutMs} ms)`), request(), context());
    return performance.now() - started;
  };
  const short = await took(200);
  const long = await took(1600);
  // Timers never fire early; how late they fire depends on the machine, so the two waits
  // are compared with each other rather than with a fixed bound.
  assert.ok(short >= 190 && long >= 1590, `resolved after ${Math.round(short)} and ${Math.round(long)} ms`);
  assert.ok(short < long / 2, `the wait follows flushTimeoutMs: ${Math.round(short)} ms for 200, ${Math.round(long)} ms for 1600`);
  nextjs.init({ dsn: DSN, transport: capture().transport, flushTimeoutMs: 2000 });
});

test("captureRequestError hands delivery to the platform's waitUntil when there is a request context", async () => {
  const c = capture();
  nextjs.init({ dsn: DSN, transport: c.transport });
  const handed = [];
  const key = Symbol.for("@next/request-context");
  globalThis[key] = { get: () => ({ waitUntil: (p) => handed.push(p) }) };
  try {
    const done = nextjs.captureRequestError(new Error("edge"), request(), context({ routeType: "route" }));
    assert.equal(handed.length, 1);
    assert.equal(handed[0], done);
    await done;
    assert.equal(c.events().length, 1);
  } finally {
    delete globalThis[key];
  }
});

test("inputs Next never sends never throw", async () => {
  const c = capture();
  nextjs.init({ dsn: DSN, transport: c.transport });
  await nextjs.captureRequestError("a string", null, null);
  await nextjs.captureRequestError(undefined, { path: 7, headers: { host: ["a.example", "b.example"] } }, { routePath: "/x" });
  const hostile = { get digest() { throw new Error("no"); }, message: "hostile" };
  await nextjs.captureRequestError(hostile, { get method() { throw new Error("no"); } }, context());
  const evs = c.events();
  assert.equal(evs.length, 3);
  assert.equal(evs[0].transaction, undefined, "no route, no transaction");
  assert.equal(evs[0].logentry.formatted, "a string", "a thrown string is the event's message");
  assert.equal(evs[1].transaction, "GET /x");
  assert.equal(evs[1].request.url, undefined, "no URL from a path that is not a string");
  assert.equal(evs[2].exception.values.at(-1).mechanism.type, "auto.function.nextjs.on_request_error");
});

test("configuration: SENTRY_DSN, else NEXT_PUBLIC_SENTRY_DSN; environment from SENTRY_ENVIRONMENT, else VERCEL_ENV, else NODE_ENV", async () => {
  const c = capture();
  const envOf = async (vars, options = {}) =>
    withEnv(vars, async () => {
      const client = nextjs.init({ transport: c.transport, ...options });
      await client.ready;
      return { env: client.environment, off: client.disabledReason };
    });
  assert.equal((await envOf({ NEXT_PUBLIC_SENTRY_DSN: DSN, NODE_ENV: "production" })).env, "production");
  assert.equal((await envOf({ NEXT_PUBLIC_SENTRY_DSN: DSN, NODE_ENV: "development" })).env, "development");
  assert.equal((await envOf({ NEXT_PUBLIC_SENTRY_DSN: DSN, NODE_ENV: "production", VERCEL_ENV: "preview" })).env, "preview");
  assert.equal((await envOf({ NEXT_PUBLIC_SENTRY_DSN: DSN, NODE_ENV: "production", NEXT_PUBLIC_SENTRY_ENVIRONMENT: "staging" })).env, "staging");
  assert.equal((await envOf({ SENTRY_DSN: DSN, NODE_ENV: "production", SENTRY_ENVIRONMENT: "qa" }, { environment: "canary" })).env, "canary", "code wins");
  assert.match((await envOf({ NODE_ENV: "production" })).off ?? "", /dsn|DSN/, "no DSN anywhere: off");

  await withEnv({ SENTRY_DSN: DSN, NEXT_PUBLIC_SENTRY_DSN: "http://other@127.0.0.1:9/7", NEXT_PUBLIC_SENTRY_RELEASE: "shop@3", NODE_ENV: "production" }, async () => {
    const client = nextjs.init({ transport: c.transport });
    client.captureMessage("configured");
    await client.flush(2000);
    const last = c.requests.at(-1);
    assert.match(last.url, /\/api\/42\/envelope\//, "SENTRY_DSN wins over the public one on the server");
    assert.equal(c.events().at(-1).release, "shop@3");
  });
});

test("the client lives on globalThis, so every bundle of the app (each with its own copy of oxeye/nextjs) reaches it", async () => {
  const c = capture();
  const client = nextjs.init({ dsn: DSN, transport: c.transport });
  assert.equal(globalThis[Symbol.for("oxeye.nextjs")].client, client);
  assert.equal(nextjs.getClient(), client);
  // A second copy of the module, as Next's route handler bundle would have.
  const copy = await import(`../dist/frameworks/nextjs/nextjs.js?copy=${Date.now()}`);
  assert.notEqual(copy.captureException, nextjs.captureException);
  const id = copy.captureException(new RangeError("from another bundle"));
  await copy.flush(2000);
  assert.equal(c.events().at(-1).event_id, id);
});

test("oxeye/nextjs/client is a client component module; GlobalError renders a whole document", async () => {
  const { readFileSync } = await import("node:fs");
  assert.match(readFileSync(new URL("../dist/frameworks/nextjs/nextjs-client.js", import.meta.url), "utf8"), /^"use client";\n/, "the directive survives tsc");
  const React = await import("react");
  const { renderToStaticMarkup } = await import("react-dom/server");
  const { GlobalError } = await import("../dist/frameworks/nextjs/nextjs-client.js");
  const html = renderToStaticMarkup(React.createElement(GlobalError, { error: new Error("x"), reset: () => {} }));
  assert.match(html, /^<html lang="en">(<head><\/head>)?<body><h2>Something went wrong\.<\/h2><button type="button">Try again<\/button><\/body><\/html>$/);
});

test("outside the request's context: a snapshot the runtime refuses to call (workerd, taken in another request) runs the work in place, once", async () => {
  const saved = globalThis.AsyncLocalStorage;
  let refused = 0;
  globalThis.AsyncLocalStorage = {
    snapshot: () => () => {
      refused++;
      throw new Error("Cannot call this AsyncLocalStorage bound function outside of the request in which it was created.");
    },
  };
  try {
    const { outsideRequestContext } = await import(`../dist/frameworks/nextjs/server.js?refused=${Date.now()}`);
    let runs = 0;
    assert.equal(outsideRequestContext(() => (runs++, 42)), 42);
    assert.equal(outsideRequestContext(() => (runs++, 43)), 43);
    assert.equal(runs, 2, "each once");
    assert.equal(refused, 1, "the snapshot is not tried again");
  } finally {
    globalThis.AsyncLocalStorage = saved;
  }
  // A snapshot that runs the work: what the work throws is the work's, not run again.
  globalThis.AsyncLocalStorage = { snapshot: () => (fn) => fn() };
  try {
    const { outsideRequestContext } = await import(`../dist/frameworks/nextjs/server.js?works=${Date.now()}`);
    let runs = 0;
    assert.throws(() => outsideRequestContext(() => (runs++, null.x)), TypeError);
    assert.equal(runs, 1);
  } finally {
    globalThis.AsyncLocalStorage = saved;
  }
});

test("the Workers build of oxeye/nextjs (the `workerd` condition, for OpenNext) has the exports the package's types declare", async () => {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  const map = pkg.exports["./nextjs"];
  assert.equal(map.workerd, "./dist/frameworks/nextjs/nextjs-workerd.js", "a string target, as OpenNext before 1.20 reads it");
  // `module` (OpenNext's bundle of a Node proxy names no runtime) also gets it, after the
  // runtimes Next's own builds name, which keep the Node and edge build.
  const keys = Object.keys(map);
  for (const runtime of ["edge-light", "browser", "node"]) {
    assert.equal(map[runtime], "./dist/frameworks/nextjs/nextjs.js");
    assert.ok(keys.indexOf(runtime) < keys.indexOf("module"), `${runtime} comes before module`);
  }
  assert.equal(map.module, "./dist/frameworks/nextjs/nextjs-workerd.js");
  // (It imports its wasm as a module, which only a Worker's bundler reads: its exports are read from a bundle.)
  const built = await esbuild.build({
    entryPoints: [fileURLToPath(new URL("../dist/frameworks/nextjs/nextjs-workerd.js", import.meta.url))],
    bundle: true,
    write: false,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd"],
    external: ["*.wasm", "oxeye"],
    metafile: true,
    logLevel: "silent",
  });
  const [out] = Object.values(built.metafile.outputs);
  assert.deepEqual([...out.exports].sort(), Object.keys(nextjs).sort());
});

test("every event above passes Sentry's normaliser", async () => {
  await assertValidForSentry(checked);
});
