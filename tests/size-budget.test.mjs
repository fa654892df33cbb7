// Size budget: oxeye bundled as apps ship it (bench/lib/bundle-size.mjs: the bench's
// browser and Workers entries, esbuild minified, split for browsers, each chunk and the
// wasm weighed with gzip -9) must stay within bench/budget.json: the browser critical-path
// JS, the browser JS + wasm (with oxeye_bg.wasm, and with oxeye_rules_bg.wasm, which a page
// fetches instead for a client that sets a `scrub` object) and the Workers JS + wasm
// (oxeye_server_bg.wasm). The wasm core is smaller when built
// with nightly (build-std), so the budget has one set of figures per toolchain;
// scripts/build.sh records which one built dist/.
// Raising a budget is a deliberate commit that says why (BENCHMARKS.md, size budget).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { bundleSizes } from "../bench/lib/bundle-size.mjs";
import { distSizes } from "../bench/lib/dist-size.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const budget = JSON.parse(readFileSync(`${root}bench/budget.json`, "utf8"));
/** Both bundles, made once for the tests below (a failure surfaces in each that awaits it). */
const bundled = bundleSizes();
bundled.catch(() => {});

function toolchain() {
  try {
    return JSON.parse(readFileSync(`${root}target/oxeye-wasm-build.json`, "utf8")).toolchain;
  } catch {
    return "unknown";
  }
}

test("the browser and Workers bundles are within their gzip size budget", async (t) => {
  const built = toolchain();
  // A dist/ of unknown origin is held to the larger (stable) budget.
  const which = built.startsWith("nightly") ? "nightly" : "stable";
  const limits = budget[which];
  const sizes = await bundled;
  t.diagnostic(`${which} build: browser critical ${sizes.browserCriticalJs} B, browser total ${sizes.browserTotal} B (${sizes.browserRulesTotal} B with a \`scrub\` object), Workers total ${sizes.workersTotal} B (wasm: browsers ${sizes.wasm} B and ${sizes.rulesWasm} B, servers ${sizes.serverWasm} B)`);
  const over = [];
  for (const key of ["browserCriticalJs", "browserTotal", "browserRulesTotal", "workersTotal"]) {
    assert.equal(typeof limits[key], "number", `bench/budget.json has no ${which}.${key}`);
    assert.ok(sizes[key] > 0, `${key} weighed nothing: is dist/ complete?`);
    if (sizes[key] > limits[key]) over.push(`${key}: ${sizes[key]} B gzip > budget ${limits[key]} B`);
  }
  assert.deepEqual(over, [], `size budget (${which} build, core built with ${built}) exceeded:\n  ${over.join("\n  ")}\nShrink it, or raise bench/budget.json in a commit that says why.`);
});

test("the browser bundle's critical path holds neither the engine nor the wasm glue", async () => {
  const { chunks } = await bundled;
  const critical = chunks.browser.filter((c) => c.critical).flatMap((c) => c.modules.map(([m]) => m));
  const lazy = chunks.browser.filter((c) => !c.critical).flatMap((c) => c.modules.map(([m]) => m));
  for (const m of ["dist/api/engine.js", "dist/core/core.js"]) {
    assert.ok(!critical.includes(m), `${m} is on the critical path`);
    assert.ok(lazy.includes(m), `${m} is in no lazy chunk`);
  }
});

test("the browser entry keeps the wasm glue off the critical path", () => {
  const sizes = distSizes(`${root}dist`);
  assert.ok(sizes.parts.browserLazyFiles >= 1, "dist/entrypoints/browser.js should load the engine and the core with import()");
});
