// Cloudflare Pages Functions (docs/workers.md, "Pages Functions"): the docs' middleware and
// function, as they are written there, run by `wrangler pages dev` with a function that
// throws. Its error is reported by the middleware's client from workerd, as unhandled, with
// the request, its request id and the caller's trace; a later function reaches the client
// through `context.data` (its tag is on its own event); the release is the Pages commit.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startCaptureServer } from "./helpers/capture-server.mjs";
import { docsBlocks, makeApp, missing, wranglerDev } from "./helpers/wrangler.mjs";

test("Pages Functions (docs/workers.md): a function's error is reported by the _middleware's client, with the request and its trace; later functions get the client through context.data", { skip: missing }, async () => {
  const dir = makeApp();
  const cap = await startCaptureServer();
  const [middleware, orders] = docsBlocks("Pages Functions");
  assert.ok(middleware?.includes("functions/_middleware.ts") && orders?.includes("functions/api/orders/[id].ts"), "the docs' two files");
  writeFileSync(join(dir, "wrangler.jsonc"), JSON.stringify({ name: "shop-pages", pages_build_output_dir: "public", compatibility_date: "2026-10-06" }));
  mkdirSync(join(dir, "public"));
  writeFileSync(join(dir, "public", "index.html"), "<!doctype html><p>shop</p>");
  mkdirSync(join(dir, "functions", "api", "orders"), { recursive: true });
  writeFileSync(join(dir, "functions", "_middleware.ts"), middleware);
  // The docs' function, which then reports through the client it was handed; and one that throws.
  writeFileSync(join(dir, "functions", "api", "orders", "[id].ts"), orders.replace('return new Response("ok");', 'oxeye?.captureMessage("order looked up");\n  return new Response("ok");'));
  writeFileSync(join(dir, "functions", "api", "checkout.ts"), `export const onRequest: PagesFunction = () => {\n  throw new TypeError("checkout failed in a Pages Function");\n};\n`);
  await wranglerDev(
    dir,
    cap,
    async (get, log, port) => {
      assert.equal(await get("/api/orders/42"), "ok");
      const trace = "0af7651916cd43dd8448eb211c80319c";
      const res = await fetch(`http://127.0.0.1:${port}/api/checkout?token=s3cr3t`, { headers: { "sentry-trace": `${trace}-b7ad6b7169203331-1`, "x-request-id": "req-pages-1" } });
      assert.equal(res.status, 500);
      await res.text();
      const until = Date.now() + 15_000;
      const find = (v) => cap.events().find((e) => (e.exception?.values?.at(-1)?.value ?? e.logentry?.formatted ?? e.message) === v);
      while (!(find("checkout failed in a Pages Function") && find("order looked up")) && Date.now() < until) await new Promise((ok) => setTimeout(ok, 50));
      const ev = find("checkout failed in a Pages Function");
      assert.ok(ev, `the function's error arrived:\n${log()}`);
      assert.deepEqual(ev.exception.values.at(-1).mechanism, { type: "auto.http.cloudflare", handled: false });
      assert.equal(ev.contexts.trace.trace_id, trace, "the caller's trace");
      assert.equal(ev.tags.request_id, "req-pages-1");
      assert.match(ev.request.url, /\/api\/checkout$/);
      assert.ok(!JSON.stringify(ev).includes("s3cr3t"), "the token is scrubbed");
      assert.equal(ev.release, "0f1e2d3c4b5a", "the Pages commit");
      const looked = find("order looked up");
      assert.ok(looked, `the later function's capture arrived:\n${log()}`);
      assert.equal(looked.tags.order, "42");
    },
    ["pages", "dev"],
    { CF_PAGES_COMMIT_SHA: "0f1e2d3c4b5a" },
  );
});
