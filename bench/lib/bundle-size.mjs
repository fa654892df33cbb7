/**
 * The gzip weight of oxeye as apps ship it: bench/entries/oxeye-browser.js and
 * oxeye-workerd.js (init and a capture; a Worker wrapped with `withOxeye`) bundled by
 * lib/bundle.mjs exactly as the size table bundles every SDK (esbuild, minified, split for
 * browsers), each chunk weighed with `gzip -9 -n`, plus the wasm each runtime loads as
 * built in dist/ (browsers `oxeye_bg.wasm`, Workers `oxeye_server_bg.wasm`). The
 * size budget (bench/budget.json, tests/size-budget.test.mjs), the report and
 * lib/shim-size.mjs all weigh with this one function.
 *
 *   browserCriticalJs  the browser entry chunk and what it imports statically
 *   browserTotal       every browser chunk plus the wasm
 *   browserRulesTotal  the same with `oxeye_rules_bg.wasm`, which a page fetches instead
 *                      for a client that sets a `scrub` object
 *   workersTotal       the Workers bundle plus the servers' wasm (imported as a module)
 *   wasm, rulesWasm, serverWasm   the browsers' two and the servers' wasm alone
 */
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { benchDir, bundle, packageRoot } from "./bundle.mjs";
import { gzipSize } from "./weigh.mjs";

async function weigh(file, kind) {
  const { chunks, metafile } = await bundle(join(benchDir, "entries", file), { kind });
  const outputs = Object.fromEntries(Object.entries(metafile.outputs).map(([k, o]) => [basename(k), o]));
  const moduleBytes = (o) =>
    Object.entries(o.inputs)
      .filter(([, i]) => i.bytesInOutput > 0)
      .map(([path, i]) => [path.replace(/^(\.\.\/)+/, ""), i.bytesInOutput])
      .sort((x, y) => y[1] - x[1]);
  const rows = chunks.map((c) => ({
    chunk: basename(c.path),
    raw: c.bytes.length,
    gzip: gzipSize(Buffer.from(c.bytes)),
    critical: c.critical,
    modules: moduleBytes(outputs[basename(c.path)]),
  }));
  const sum = (rs) => rs.reduce((n, r) => n + r.gzip, 0);
  return { rows, critical: sum(rows.filter((r) => r.critical)), js: sum(rows) };
}

/** Weighs both bundles against the dist/ of the repository (build it first). */
export async function bundleSizes() {
  const wasm = gzipSize(readFileSync(join(packageRoot, "dist/core/wasm/oxeye_bg.wasm")));
  const rulesWasm = gzipSize(readFileSync(join(packageRoot, "dist/core/wasm/oxeye_rules_bg.wasm")));
  const serverWasm = gzipSize(readFileSync(join(packageRoot, "dist/core/wasm/oxeye_server_bg.wasm")));
  const browser = await weigh("oxeye-browser.js", "browser");
  const workers = await weigh("oxeye-workerd.js", "workers");
  return {
    browserCriticalJs: browser.critical,
    browserTotal: browser.js + wasm,
    browserRulesTotal: browser.js + rulesWasm,
    workersTotal: workers.js + serverWasm,
    browserJs: browser.js,
    workersJs: workers.js,
    wasm,
    rulesWasm,
    serverWasm,
    chunks: { browser: browser.rows, workers: workers.rows },
  };
}
