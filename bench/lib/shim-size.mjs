/**
 * `node lib/shim-size.mjs [--modules] [--json]` (from bench/, after a build): the gzip -9
 * weight of oxeye's browser and Workers bench bundles (lib/bundle-size.mjs: the size
 * budget's measure), per chunk, with the critical path (the entry chunk and what it
 * imports statically), the JS total and JS + wasm. `--modules` adds the minified bytes
 * each dist/ module contributes to each chunk, largest first: where the shim's bytes are.
 */
import { bundleSizes } from "./bundle-size.mjs";

const s = await bundleSizes();
if (process.argv.includes("--json")) {
  const { chunks, ...sizes } = s;
  console.log(JSON.stringify(sizes));
} else {
  for (const [name, rows] of Object.entries(s.chunks)) {
    console.log(`${name}:`);
    for (const r of rows) {
      console.log(`  ${r.chunk.padEnd(24)} ${String(r.raw).padStart(7)} raw ${String(r.gzip).padStart(6)} gz${r.critical ? "  critical" : ""}`);
      if (process.argv.includes("--modules")) for (const [m, n] of r.modules) console.log(`    ${String(n).padStart(7)}  ${m}`);
    }
  }
  console.log(`browser: critical ${s.browserCriticalJs} B gz, JS ${s.browserJs} B gz, JS + wasm ${s.browserTotal} B gz (oxeye_bg.wasm ${s.wasm} B gz; with oxeye_rules_bg.wasm ${s.rulesWasm} B gz: ${s.browserRulesTotal} B gz)`);
  console.log(`workers: JS ${s.workersJs} B gz, JS + wasm ${s.workersTotal} B gz (oxeye_server_bg.wasm ${s.serverWasm} B gz)`);
}
