/**
 * The gzip weight of each oxeye entry as the package ships it in dist/, unminified and
 * with its comments (the size budget weighs bundles instead: lib/bundle-size.mjs; the
 * budget test uses this module to check that the browser entry loads lazily). No bundler is
 * needed: the entry's static import graph is followed through dist/, and the files are
 * concatenated and weighed with `gzip -9 -n`, as one bundle would be.
 *
 * - browser critical path: dist/entrypoints/browser.js and everything it imports statically; a
 *   module it loads with import() is not on the critical path, nor is the wasm;
 * - browser total: the same plus the lazily imported modules and the browsers' wasm (`oxeye_bg.wasm`);
 * - workerd total: dist/entrypoints/workerd.js's static graph plus the servers' wasm (`oxeye_server_bg.wasm`, imported as a module).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { gzipSize } from "./weigh.mjs";

const STATIC = /(?:^|[;\n}])\s*(?:import|export)\s+(?:[^'"();]*?\s+from\s+)?["'](\.[^"']+)["']/g;
const DYNAMIC = /\bimport\(\s*["'](\.[^"']+)["']\s*\)/g;

function graph(entry) {
  const seen = new Set();
  const lazy = new Set();
  const walk = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(STATIC)) {
      const dep = resolve(dirname(file), m[1]);
      if (dep.endsWith(".js")) walk(dep);
    }
    for (const m of text.matchAll(DYNAMIC)) {
      const dep = resolve(dirname(file), m[1]);
      if (dep.endsWith(".js")) lazy.add(dep);
    }
  };
  walk(entry);
  const lazyOnly = new Set();
  for (const l of lazy) {
    if (seen.has(l)) continue;
    const sub = graph(l);
    for (const f of [...sub.static, ...sub.lazy]) if (!seen.has(f)) lazyOnly.add(f);
  }
  return { static: [...seen], lazy: [...lazyOnly] };
}

const weighFiles = (files) => (files.length ? gzipSize(Buffer.concat(files.map((f) => readFileSync(f)))) : 0);

/** `{ browserCriticalJs, browserTotal, workerdTotal }` in gzip bytes, plus the parts. */
export function distSizes(dist) {
  if (!existsSync(join(dist, "entrypoints/browser.js"))) throw new Error(`${dist}/entrypoints/browser.js is missing: build first (npm run build)`);
  const wasm = gzipSize(readFileSync(join(dist, "core/wasm/oxeye_bg.wasm")));
  const serverWasm = gzipSize(readFileSync(join(dist, "core/wasm/oxeye_server_bg.wasm")));
  const b = graph(join(dist, "entrypoints/browser.js"));
  const w = graph(join(dist, "entrypoints/workerd.js"));
  const browserCriticalJs = weighFiles(b.static);
  const browserLazyJs = weighFiles(b.lazy);
  const workerdJs = weighFiles([...w.static, ...w.lazy]);
  return {
    browserCriticalJs,
    browserTotal: browserCriticalJs + browserLazyJs + wasm,
    workerdTotal: workerdJs + serverWasm,
    parts: { wasm, serverWasm, browserLazyJs, workerdJs, browserFiles: b.static.length, browserLazyFiles: b.lazy.length },
  };
}

// `node bench/lib/dist-size.mjs`: prints this build's sizes and a budget with the usual
// margin (3%, rounded up to 100 bytes), for a deliberate edit of bench/budget.json.
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const dist = new URL("../../dist", import.meta.url).pathname;
  const s = distSizes(dist);
  const margin = (n) => Math.ceil((n * 1.03) / 100) * 100;
  console.log(JSON.stringify({ sizes: s, budget: { browserCriticalJs: margin(s.browserCriticalJs), browserTotal: margin(s.browserTotal), workerdTotal: margin(s.workerdTotal) } }, null, 2));
}
