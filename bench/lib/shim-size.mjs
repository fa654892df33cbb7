/**
 * `node lib/shim-size.mjs [--modules] [--json]` (from bench/, after a build): the gzip -9
 * weight of oxeye's browser and Workers bench bundles (bench/entries/oxeye-browser.js and
 * oxeye-workerd.js, bundled by lib/bundle.mjs exactly as the size table bundles them),
 * per chunk, with the critical path (the entry chunk and what it imports statically), the
 * JS total and, for the browser, JS + wasm. `--modules` adds the minified bytes each dist/
 * module contributes to each chunk, largest first: where the shim's bytes are.
 */
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { benchDir, bundle } from "./bundle.mjs";
import { gzipSize } from "./weigh.mjs";

const wasm = gzipSize(readFileSync(join(benchDir, "node_modules/oxeye/dist/core/wasm/oxeye_bg.wasm")));

async function weigh(file, kind) {
  const { chunks, metafile } = await bundle(join(benchDir, "entries", file), { kind });
  const outputs = Object.fromEntries(Object.entries(metafile.outputs).map(([k, o]) => [basename(k), o]));
  const moduleBytes = (o) =>
    Object.entries(o.inputs)
      .filter(([, i]) => i.bytesInOutput > 0)
      .map(([path, i]) => [path.replace(/^.*node_modules\/oxeye\//, ""), i.bytesInOutput])
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

const browser = await weigh("oxeye-browser.js", "browser");
const workers = await weigh("oxeye-workerd.js", "workers");
const result = {
  browser: { critical: browser.critical, js: browser.js, total: browser.js + wasm },
  workers: { js: workers.js, total: workers.js + wasm },
  wasm,
};
if (process.argv.includes("--json")) {
  console.log(JSON.stringify(result));
} else {
  for (const [name, b] of [["browser", browser], ["workers", workers]]) {
    console.log(`${name}:`);
    for (const r of b.rows) {
      console.log(`  ${r.chunk.padEnd(24)} ${String(r.raw).padStart(7)} raw ${String(r.gzip).padStart(6)} gz${r.critical ? "  critical" : ""}`);
      if (process.argv.includes("--modules")) for (const [m, n] of r.modules) console.log(`    ${String(n).padStart(7)}  ${m}`);
    }
  }
  console.log(`browser: critical ${result.browser.critical} B gz, JS ${result.browser.js} B gz, JS + wasm ${result.browser.total} B gz`);
  console.log(`workers: JS ${result.workers.js} B gz, JS + wasm ${result.workers.total} B gz (wasm ${wasm} B gz)`);
}
