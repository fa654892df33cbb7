// Size budget: what dist/ ships for each entry, gzip -9, must stay within
// bench/budget.json (browser critical-path JS, browser JS + wasm, workerd JS + wasm).
// The wasm core is smaller when built with nightly (build-std), so the budget has one set
// of figures per toolchain; scripts/build.sh records which one built dist/.
// Raising a budget is a deliberate commit that says why (BENCHMARKS.md, size budget).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { distSizes } from "../bench/lib/dist-size.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const budget = JSON.parse(readFileSync(`${root}bench/budget.json`, "utf8"));

function toolchain() {
  try {
    return JSON.parse(readFileSync(`${root}target/oxeye-wasm-build.json`, "utf8")).toolchain;
  } catch {
    return "unknown";
  }
}

test("every entry in dist/ is within its gzip size budget", () => {
  const built = toolchain();
  // A dist/ of unknown origin is held to the larger (stable) budget.
  const which = built.startsWith("nightly") ? "nightly" : "stable";
  const limits = budget[which];
  const sizes = distSizes(`${root}dist`);
  const over = [];
  for (const key of ["browserCriticalJs", "browserTotal", "workerdTotal"]) {
    assert.equal(typeof limits[key], "number", `bench/budget.json has no ${which}.${key}`);
    assert.ok(sizes[key] > 0, `${key} weighed nothing: is dist/ complete?`);
    if (sizes[key] > limits[key]) over.push(`${key}: ${sizes[key]} B gzip > budget ${limits[key]} B`);
  }
  assert.deepEqual(over, [], `size budget (${which} build, core built with ${built}) exceeded:\n  ${over.join("\n  ")}\nShrink it, or raise bench/budget.json in a commit that says why.`);
});

test("the browser entry keeps the wasm glue off the critical path", () => {
  const sizes = distSizes(`${root}dist`);
  assert.ok(sizes.parts.browserLazyFiles >= 1, "dist/entrypoints/browser.js should load the engine and the core with import()");
});
