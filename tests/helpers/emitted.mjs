/**
 * The JS and wasm bytes a bundler emitted, as the bundler fixtures record them:
 * `emitted(dir)` sums the `.js`/`.mjs` and `.wasm` files under `dir`, raw and gzip -9
 * (`{ js: [raw, gzip], wasm: [raw, gzip] }`); `logBytes` writes one TAP comment line.
 */
import { readdirSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";
import { gzipSync } from "node:zlib";

/** JS and wasm bytes of the files under `dir` (raw and gzip -9). */
export function emitted(dir) {
  const sums = { js: [0, 0], wasm: [0, 0] };
  const walk = (d) => {
    for (const f of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, f.name);
      if (f.isDirectory()) walk(p);
      else {
        const kind = { ".js": "js", ".mjs": "js", ".wasm": "wasm" }[extname(f.name)];
        if (!kind) continue;
        const bytes = readFileSync(p);
        sums[kind][0] += bytes.length;
        sums[kind][1] += gzipSync(bytes, { level: 9 }).length;
      }
    }
  };
  walk(dir);
  return sums;
}

/** One `# name (where): JS … wasm …` line in the test's output. */
export function logBytes(name, where, sums) {
  console.log(`# ${name} (${where}): JS ${sums.js[0]} B raw / ${sums.js[1]} B gzip; wasm ${sums.wasm[0]} B raw / ${sums.wasm[1]} B gzip`);
}
