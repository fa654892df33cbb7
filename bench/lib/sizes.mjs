/**
 * Size of what each SDK makes an app ship, built with the same esbuild flags
 * (lib/bundle.mjs) from the minimal entries in bench/entries/.
 *
 * - critical path: the JS that must load before the app runs. For oxeye in browsers
 *   that is the JS only: the wasm is fetched with instantiateStreaming on first use,
 *   after the app has started, and captures made before it are queued.
 * - total: everything shipped, JS + wasm. In Workers the wasm is part of the upload and
 *   is compiled when the isolate starts, so there the total is what counts.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { benchDir, bundle } from "./bundle.mjs";
import { weigh } from "./weigh.mjs";

// Each runtime family has its own wasm (scripts/build.sh): browsers and React the
// browsers' one, Workers the servers' one.
const wasmPaths = {
  browser: join(benchDir, "..", "dist", "core", "wasm", "oxeye_bg.wasm"),
  server: join(benchDir, "..", "dist", "core", "wasm", "oxeye_server_bg.wasm"),
};

export const ROWS = [
  { id: "oxeye-browser", group: "browser", sdk: "oxeye", label: "oxeye (browser entry)", entry: "entries/oxeye-browser.js", kind: "browser", wasm: "browser" },
  { id: "sentry-browser", group: "browser", sdk: "@sentry/browser", label: "@sentry/browser init()", entry: "entries/sentry-browser.js", kind: "browser", baseline: true },
  { id: "sentry-browser-minimal", group: "browser", sdk: "@sentry/browser", label: "@sentry/browser BrowserClient, no integrations", entry: "entries/sentry-browser-minimal.js", kind: "browser" },
  { id: "bugsnag", group: "browser", sdk: "@bugsnag/js", label: "@bugsnag/js start + notify", entry: "entries/bugsnag.js", kind: "browser" },
  { id: "oxeye-react", group: "react", sdk: "oxeye", label: "oxeye/react init + ErrorBoundary", entry: "entries/oxeye-react.jsx", kind: "react", wasm: "browser" },
  { id: "sentry-react", group: "react", sdk: "@sentry/react", label: "@sentry/react init + ErrorBoundary", entry: "entries/sentry-react.jsx", kind: "react", baseline: true },
  { id: "oxeye-workerd", group: "workers", sdk: "oxeye", label: "oxeye (Workers entry) withOxeye", entry: "entries/oxeye-workerd.js", kind: "workers", wasm: "server" },
  { id: "sentry-cloudflare", group: "workers", sdk: "@sentry/cloudflare", label: "@sentry/cloudflare withSentry", entry: "entries/sentry-cloudflare.js", kind: "workers", baseline: true },
  { id: "toucan", group: "workers", sdk: "toucan-js", label: "toucan-js", entry: "entries/toucan.js", kind: "workers" },
];

export async function measureSizes() {
  const wasmWeights = Object.fromEntries(Object.entries(wasmPaths).map(([k, path]) => [k, weigh(readFileSync(path))]));
  const rows = [];
  for (const row of ROWS) {
    if (row.missing) {
      rows.push({ ...row });
      continue;
    }
    const { chunks, inputs } = await bundle(join(benchDir, row.entry), { kind: row.kind });
    // Each chunk is weighed on its own, as it is served.
    const sum = (list) => list.reduce((a, c) => {
      const w = weigh(c.bytes);
      return { raw: a.raw + w.raw, gzip: a.gzip + w.gzip, brotli: a.brotli == null || w.brotli == null ? null : a.brotli + w.brotli };
    }, { raw: 0, gzip: 0, brotli: 0 });
    const criticalJs = sum(chunks.filter((c) => c.critical));
    const js = sum(chunks);
    const wasmW = row.wasm ? wasmWeights[row.wasm] : null;
    const w = wasmW ?? { raw: 0, gzip: 0, brotli: 0 };
    const plusWasm = (a) => ({ raw: a.raw + w.raw, gzip: a.gzip + w.gzip, brotli: a.brotli == null || w.brotli == null ? null : a.brotli + w.brotli });
    rows.push({
      ...row,
      inputs: inputs.length,
      chunks: chunks.length,
      js,
      wasm: wasmW,
      // In Workers the whole upload, wasm included, is loaded before the first request.
      critical: row.group === "workers" ? plusWasm(js) : criticalJs,
      total: plusWasm(js),
    });
  }
  return rows;
}
