// A Worker importing `oxeye/cloudflare`, bundled the way users deploy it:
// `wrangler deploy --dry-run --outdir` (no login, no network), without nodejs_compat.
// The bundle is then run in workerd (miniflare) and reports to a local capture server;
// the JS and wasm bytes wrangler emits are recorded. The Worker type-checks under
// create-cloudflare's tsconfig with the `Env` that `wrangler types` generates. A second test runs the source-map
// flow of docs/sourcemaps.md on that output: `sentry-cli sourcemaps inject`, then
// `wrangler deploy --no-bundle` (dry run) of the injected file, which workerd runs and
// whose debug id oxeye sends for its frames. A third bundles docs/workers.md's Hono examples
// as they are written there and runs them: a route's error, answered by Hono, is reported; its
// RPC example is bundled too, and a service binding calls its `WorkerEntrypoint`. The last
// two run `wrangler dev`: a capture made while the response body streams, after the
// handler returned, is delivered (miniflare alone keeps such a request alive longer); the
// RPC example's default export answers (wrangler dev serves a class inside a subclass).
// Wrangler comes from tests/helpers/wrangler.mjs (installed into the cache with the Node
// 22 it needs; the tests are skipped, saying why, only when that install fails).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { ensureFixtureDeps } from "../scripts/lib/fixture-deps.mjs";
import { C3_COMPILER_OPTIONS } from "./helpers/c3-tsconfig.mjs";
import { startCaptureServer } from "./helpers/capture-server.mjs";
import { emitted, logBytes } from "./helpers/emitted.mjs";
import { root, missing, makeApp, runWrangler, docsBlocks, docsExample, wranglerDev } from "./helpers/wrangler.mjs";

/** Runs the Worker in `outdir` in workerd; a request fails, and the event it sent is returned. */
async function failInWorkerd(outdir) {
  const cap = await startCaptureServer();
  const mf = new Miniflare({
    modules: true,
    scriptPath: join(outdir, "index.js"),
    modulesRoot: outdir,
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    bindings: { SENTRY_DSN: cap.dsn },
    compatibilityDate: "2025-01-01",
    cf: false,
  });
  try {
    const res = await mf.dispatchFetch("http://shop.test/checkout", { headers: { "x-request-id": "req-bundled" } });
    assert.equal(res.status, 500);
    await res.text();
    const until = Date.now() + 10_000;
    while (!cap.events().length && Date.now() < until) await new Promise((ok) => setTimeout(ok, 20));
    const [ev] = cap.events();
    assert.ok(ev, "the bundled worker delivered its event");
    assert.equal(ev.exception.values[0].value, "bundled worker failed");
    assert.equal(ev.tags.bundled, "yes");
    assert.equal(ev.tags.request_id, "req-bundled");
    assert.equal(ev.release, "bundled@1");
    return ev;
  } finally {
    await mf.dispose();
    await cap.close();
  }
}

test("wrangler bundles a Worker using oxeye/cloudflare without nodejs_compat, and the bundle reports from workerd", { skip: missing }, async () => {
  const dir = makeApp();
  try {
    runWrangler(dir, ["deploy", "--dry-run", "--outdir", "out"]);
    const out = readdirSync(join(dir, "out"));
    assert.ok(out.includes("index.js"), out.join(" "));
    assert.ok(out.some((f) => f.endsWith(".wasm")), `the wasm core is a module of its own: ${out.join(" ")}`);
    const bundle = readFileSync(join(dir, "out", "index.js"), "utf8");
    assert.doesNotMatch(bundle, /from\s*["']node:/, "no Node built-ins: no nodejs_compat needed");
    assert.doesNotMatch(bundle, /objectStore/, "Workers have no IndexedDB: the offline store's IndexedDB code is left out");

    // The bytes wrangler would upload: the core module as built (not re-encoded, one copy)
    // and the bundle's JS, which holds oxeye's shim and the app.
    const sums = emitted(join(dir, "out"));
    logBytes("wrangler deploy --dry-run", "out/", sums);
    const core = readFileSync(join(root, "dist", "core", "wasm", "oxeye_server_bg.wasm"));
    assert.equal(sums.wasm[0], core.length, "out/ holds the servers' wasm once, byte for byte the size built");
    assert.ok(sums.js[0] > 0 && sums.js[1] > 0 && sums.js[1] < sums.js[0], JSON.stringify(sums));

    await failInWorkerd(join(dir, "out"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("create-cloudflare's TypeScript setup: with SENTRY_DSN in .dev.vars, `wrangler types` generates Env and the Worker type-checks under the template's tsconfig", { skip: missing }, () => {
  const dir = makeApp();
  try {
    // create-cloudflare 2.74's hello-world tsconfig.json, as generated.
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { ...C3_COMPILER_OPTIONS, types: ["./worker-configuration.d.ts", "node"] },
        exclude: ["test"],
        include: ["worker-configuration.d.ts", "src/**/*.ts"],
      }),
    );
    symlinkSync(join(root, "node_modules", "@types"), join(dir, "node_modules", "@types"), "dir");
    // docs/workers.md: the DSN in .dev.vars, then `npm run cf-typegen`.
    writeFileSync(join(dir, ".dev.vars"), "SENTRY_DSN=http://key@127.0.0.1:9/1\n");
    runWrangler(dir, ["types"]);
    assert.match(readFileSync(join(dir, "worker-configuration.d.ts"), "utf8"), /SENTRY_DSN: string/);
    // The generated Env, with the template's `satisfies ExportedHandler<Env>` (and the queue's message type).
    writeFileSync(
      join(dir, "src", "generated-env.ts"),
      `import { withOxeye, type OxeyeContext } from "oxeye/cloudflare";
export const worker = withOxeye((env: Env) => ({ dsn: env.SENTRY_DSN }), {
  async fetch(request, _env, ctx): Promise<Response> {
    ctx.oxeye.setTag("path", new URL(request.url).pathname);
    ctx.passThroughOnException();
    return new Response("ok");
  },
  async scheduled(controller, _env, ctx) {
    ctx.oxeye.setTag("cron", controller.cron);
    controller.noRetry();
  },
  // docs/workers.md: annotated, a queue's bodies and the runtime's full context are typed (the bodies' type goes to ExportedHandler too).
  async queue(batch: MessageBatch<{ order: string }>, _env, ctx: OxeyeContext<ExecutionContext>) {
    for (const m of batch.messages) {
      ctx.oxeye.addBreadcrumb({ message: m.body.order });
      m.ack();
    }
    ctx.props;
  },
}) satisfies ExportedHandler<Env, { order: string }>;
`,
    );
    const r = spawnSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", dir], { encoding: "utf8", timeout: 120_000 });
    assert.equal(r.status, 0, `tsc:\n${r.stdout}\n${r.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("wrangler source maps: sentry-cli injects a debug id into --outdir's output, deploy --no-bundle takes that file, and workerd sends the debug id", { skip: missing }, async () => {
  const deps = await ensureFixtureDeps("sourcemaps", join(root, "tests", "fixtures", "sourcemaps"));
  const cli = join(deps, "node_modules", ".bin", "sentry-cli");
  const dir = makeApp();
  try {
    // docs/sourcemaps.md, "Cloudflare Workers (wrangler)", step by step.
    runWrangler(dir, ["deploy", "--dry-run", "--upload-source-maps", "--outdir", "dist"]);
    assert.ok(existsSync(join(dir, "dist", "index.js.map")), "wrangler wrote the bundle's source map");
    const r = spawnSync(cli, ["sourcemaps", "inject", "dist"], {
      cwd: dir,
      encoding: "utf8",
      timeout: 120_000,
      env: { ...process.env, HOME: join(dir, ".home"), SENTRY_DISABLE_UPDATE_CHECK: "1", SENTRYCLI_SKIP_DOWNLOAD: "1" },
    });
    assert.equal(r.status, 0, `sentry-cli sourcemaps inject failed:\n${r.stdout}\n${r.stderr}`);
    const injected = readFileSync(join(dir, "dist", "index.js"), "utf8");
    const debugId = /\/\/# debugId=([0-9a-f-]{36})/.exec(injected)?.[1];
    assert.ok(debugId && injected.includes("_sentryDebugIds"), `inject wrote no debug id:\n${r.stdout}`);
    const map = JSON.parse(readFileSync(join(dir, "dist", "index.js.map"), "utf8"));
    assert.equal(map.debug_id ?? map.debugId, debugId, "the map carries the same debug id (what `sourcemaps upload` sends)");

    // Deploying must take the injected file, not rebuild from src/: --no-bundle.
    const plan = runWrangler(dir, ["deploy", "--dry-run", "--no-bundle", "--upload-source-maps", "--outdir", "deploy", "dist/index.js"]);
    assert.match(plan, /oxeye_server_bg\.wasm/, "the servers' wasm module is attached");
    assert.equal(readFileSync(join(dir, "deploy", "index.js"), "utf8"), injected, "deploy uploads the injected file as it is");

    const ev = await failInWorkerd(join(dir, "deploy"));
    const top = ev.exception.values[0].stacktrace.frames.at(-1);
    assert.deepEqual(ev.debug_meta?.images, [{ type: "sourcemap", code_file: top.filename, debug_id: debugId }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The Miniflare options of the Worker wrangler bundled into `dir/out`, reporting to `cap`. */
function bundled(dir, cap) {
  return {
    modules: true,
    scriptPath: join(dir, "out", "index.js"),
    modulesRoot: join(dir, "out"),
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    bindings: { SENTRY_DSN: cap.dsn },
    compatibilityDate: "2025-01-01",
  };
}

/** Waits up to 10 s for `n` events at `cap`. */
async function eventsAt(cap, n) {
  const until = Date.now() + 10_000;
  while (cap.events().length < n && Date.now() < until) await new Promise((ok) => setTimeout(ok, 20));
  return cap.events();
}

test("Hono on Workers (docs/workers.md): wrangler bundles the example, and a route's error, answered by Hono, is reported from workerd, named by its route; an HTTPException keeps its answer", { skip: missing }, async () => {
  const deps = await ensureFixtureDeps("hono", join(root, "tests", "fixtures", "hono"));
  const dir = makeApp();
  const cap = await startCaptureServer();
  let mf;
  try {
    symlinkSync(join(deps, "node_modules", "hono"), join(dir, "node_modules", "hono"), "dir");
    const [example, cron] = docsBlocks("Hono on Workers");
    writeFileSync(join(dir, "src", "index.ts"), example);
    runWrangler(dir, ["deploy", "--dry-run", "--outdir", "out"]);
    mf = new Miniflare({ ...bundled(dir, cap), cf: false });
    const res = await mf.dispatchFetch("http://shop.test/users/42");
    assert.equal(res.status, 500);
    assert.equal(await res.text(), "Internal Server Error", "Hono's own error handler answered");
    const denied = await mf.dispatchFetch("http://shop.test/admin");
    assert.equal(denied.status, 401, "the HTTPException's answer is kept");
    assert.equal(await denied.text(), "sign in first");
    const ok = await mf.dispatchFetch("http://shop.test/elsewhere");
    assert.equal(ok.status, 404);
    await ok.text();
    const [ev, ...more] = await eventsAt(cap, 1);
    assert.ok(ev, "the route's error was delivered");
    const ex = ev.exception.values[0];
    assert.equal(ex.type, "TypeError");
    assert.equal(ex.value, "the basket is empty");
    assert.deepEqual(ex.mechanism, { type: "auto.faas.hono.error_handler", handled: false });
    assert.equal(ev.transaction, "GET /users/:id", "named by the route, not the path");
    assert.equal(ev.user.id, "42", "the route's oxeyeOf(c)");
    assert.equal(ev.request.url, "http://shop.test/users/42");
    assert.deepEqual(more, [], "the 401 is not sent");
    await mf.dispose();
    mf = undefined;

    // The cron example (handlers given to the app), with an `onError` of the app's own set
    // after `withOxeye` and a scheduled handler that throws.
    const appCode = example.slice(0, example.indexOf("export default"));
    const cronCode = cron.replace("// a throw here is reported and rethrown", 'throw new Error("cron failed");');
    writeFileSync(join(dir, "src", "index.ts"), `${appCode}\n${cronCode}\napp.onError((err, c) => c.json({ failed: err.message }, 503));\n`);
    runWrangler(dir, ["deploy", "--dry-run", "--outdir", "out"]);
    const cap2 = await startCaptureServer();
    try {
      mf = new Miniflare({ ...bundled(dir, cap2), cf: false });
      const custom = await mf.dispatchFetch("http://shop.test/users/7");
      assert.equal(custom.status, 503, "the app's own onError, set after withOxeye, answers");
      assert.deepEqual(await custom.json(), { failed: "the basket is empty" });
      const worker = await mf.getWorker();
      assert.equal((await worker.scheduled({ cron: "*/5 * * * *", scheduledTime: new Date(0) })).outcome, "exception");
      const events = await eventsAt(cap2, 2);
      const route = events.find((e) => e.transaction === "GET /users/:id");
      assert.ok(route, `the route's error is reported: ${JSON.stringify(events.map((e) => e.transaction))}`);
      assert.equal(route.user.id, "7");
      const scheduled = events.find((e) => e.exception.values[0].value === "cron failed");
      assert.ok(scheduled, "the scheduled handler given to the app is wrapped");
      assert.equal(scheduled.tags.cron, "*/5 * * * *");
    } finally {
      await mf?.dispose();
      mf = undefined;
      await cap2.close();
    }
  } finally {
    await mf?.dispose();
    await cap.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("RPC on Workers (docs/workers.md): wrangler bundles the example; an RPC method's error is reported from workerd and reaches the calling Worker", { skip: missing }, async () => {
  const dir = makeApp();
  const cap = await startCaptureServer();
  let mf;
  try {
    writeFileSync(join(dir, "src", "index.ts"), docsExample("RPC: `WorkerEntrypoint` classes and Durable Object methods"));
    runWrangler(dir, ["deploy", "--dry-run", "--outdir", "out"]);
    const caller = `export default { async fetch(request, env) {
      const sku = new URL(request.url).searchParams.get("sku");
      try { return new Response(String(await env.PRICING.price(sku))); } catch (e) { return new Response(e.name + ": " + e.message, { status: 502 }); }
    } };`;
    mf = new Miniflare({
      cf: false,
      workers: [
        { name: "caller", modules: true, script: caller, serviceBindings: { PRICING: { name: "shop-worker", entrypoint: "PricingEntrypoint" } }, compatibilityDate: "2025-01-01" },
        { name: "shop-worker", ...bundled(dir, cap) },
      ],
    });
    assert.equal(await (await mf.dispatchFetch("http://shop.test/?sku=tea")).text(), "42");
    const res = await mf.dispatchFetch("http://shop.test/?sku=retired");
    assert.equal(res.status, 502);
    assert.equal(await res.text(), "RangeError: no price for retired", "the caller gets the error as without oxeye");
    const until = Date.now() + 10_000;
    while (!cap.events().length && Date.now() < until) await new Promise((ok) => setTimeout(ok, 20));
    const [ev, more] = cap.events();
    assert.ok(ev, "the method's error was delivered");
    assert.equal(more, undefined, "one event: the successful call sent none");
    const ex = ev.exception.values.at(-1);
    assert.equal(ex.value, "no price for retired");
    assert.deepEqual(ex.mechanism, { type: "auto.faas.cloudflare.rpc", handled: false });
    assert.deepEqual(ev.contexts.cloudflare, { trigger: "rpc", method: "price" });
    assert.equal(ev.tags.sku, "retired", "oxeyeOf(this.ctx) is the call's client");
    const front = await (await mf.getWorker("shop-worker")).fetch("http://shop.test/front");
    assert.equal(await front.text(), "ok", "the default export, a WorkerEntrypoint class, answers");
  } finally {
    await mf?.dispose();
    await cap.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("wrangler dev: a capture made while a response body streams, after the handler returned, is delivered (the request's end cut it off)", { skip: missing }, async () => {
  const dir = makeApp();
  const cap = await startCaptureServer();
  writeFileSync(
    join(dir, "src", "index.ts"),
    `import { withOxeye } from "oxeye/cloudflare";
interface Env { SENTRY_DSN: string }
export default withOxeye((env: Env) => ({ dsn: env.SENTRY_DSN, release: "streamed@1" }), {
  async fetch(request, env, ctx) {
    if (new URL(request.url).pathname === "/ready") return new Response("ready");
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise((r) => setTimeout(r, 20));
        if (sent++ < 2) return controller.enqueue(new TextEncoder().encode("chunk\\n"));
        ctx.oxeye.captureException(new Error("captured while the body streamed"));
        controller.close();
      },
    });
    return new Response(body);
  },
});
`,
  );
  await wranglerDev(dir, cap, async (get, log) => {
    for (let i = 0; i < 3; i++) assert.equal(await get("/"), "chunk\nchunk\n");
    const delivered = () => cap.events().filter((e) => e.exception?.values?.[0]?.value === "captured while the body streamed");
    const end = Date.now() + 10_000;
    while (delivered().length < 3 && Date.now() < end) await new Promise((ok) => setTimeout(ok, 50));
    assert.equal(delivered().length, 3, `each of the three requests' captures arrived:\n${log()}`);
  });
});

test("wrangler dev: the RPC example's default export, a WorkerEntrypoint class (wrangler dev serves it inside a subclass of its own), answers", { skip: missing }, async () => {
  const dir = makeApp();
  const cap = await startCaptureServer();
  writeFileSync(join(dir, "src", "index.ts"), docsExample("RPC: `WorkerEntrypoint` classes and Durable Object methods"));
  await wranglerDev(dir, cap, async (get) => {
    for (let i = 0; i < 2; i++) assert.equal(await get("/"), "ok");
  });
});
