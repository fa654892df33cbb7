/**
 * Per-request overhead in workerd (miniflare, offline, outbound limited to loopback): the
 * same trivial fetch handler bare, wrapped by oxeye's withOxeye, by @sentry/cloudflare's
 * withSentry and with a toucan-js client per request. Two paths:
 *
 * - `/`: nothing captured, so the cost is the wrapper's (client per request, scope, ...);
 * - `/capture`: one captureException delivered through ctx.waitUntil to a local sink;
 *   timed until the sink has every envelope, so delivery is in the figure.
 *
 * Latency is measured from Node (dispatchFetch), so each figure includes the same
 * loopback round trip; the overhead column subtracts the bare worker's median.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { benchDir, bundle } from "./bundle.mjs";

const root = join(benchDir, "..");

export const WORKERS = [
  { name: "no SDK", file: null },
  { name: "oxeye", file: "entries/oxeye-workerd.js" },
  { name: "@sentry/cloudflare", file: "entries/sentry-cloudflare.js" },
  { name: "toucan-js", file: "entries/toucan.js" },
];

const BARE = `export default { async fetch() { return new Response("ok"); } };`;

function startSink() {
  let count = 0;
  let waiter = null;
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
      count++;
      if (waiter && count >= waiter.n) {
        clearTimeout(waiter.timer);
        waiter.resolve();
        waiter = null;
      }
    });
  });
  return new Promise((ok) =>
    server.listen(0, "127.0.0.1", () =>
      ok({
        port: server.address().port,
        get count() {
          return count;
        },
        until(n, ms = 20_000) {
          if (count >= n) return Promise.resolve();
          return new Promise((resolve, reject) => {
            waiter = { n, resolve, timer: setTimeout(() => reject(new Error(`sink got ${count} of ${n} envelopes`)), ms) };
          });
        },
        close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
      }),
    ),
  );
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export async function runWorkers({ rounds = 5, requests = 100, onProgress = () => {} } = {}) {
  const { Miniflare, fetch: mfFetch, Response: MfResponse } = await import(join(root, "node_modules/miniflare/dist/src/index.js"));
  const dir = mkdtempSync(join(tmpdir(), "oxeye-bench-workers-"));
  mkdirSync(join(dir, "wasm"));
  // The Workers loader imports the servers' wasm.
  copyFileSync(join(root, "dist/core/wasm/oxeye_server_bg.wasm"), join(dir, "wasm/oxeye_server_bg.wasm"));
  const sink = await startSink();
  const instances = [];
  const out = { rounds: [], requests };
  try {
    for (const w of WORKERS) {
      let file = join(dir, "bare.mjs");
      if (w.file) ({ entry: file } = await bundle(join(benchDir, w.file), { kind: "workers", outdir: dir }));
      else writeFileSync(file, BARE);
      const mf = new Miniflare({
        modules: true,
        scriptPath: file,
        modulesRoot: dir,
        modulesRules: [
          { type: "CompiledWasm", include: ["**/*.wasm"] },
          { type: "ESModule", include: ["**/*.mjs", "**/*.js"] },
        ],
        bindings: { SENTRY_DSN: `http://0123456789abcdef0123456789abcdef@127.0.0.1:${sink.port}/1` },
        compatibilityDate: "2025-01-01",
        compatibilityFlags: ["nodejs_compat"],
        cf: false,
        outboundService: async (request) => {
          const url = new URL(request.url);
          if (url.hostname !== "127.0.0.1") return new MfResponse("outbound blocked", { status: 403 });
          return mfFetch(request);
        },
      });
      await mf.ready;
      instances.push({ ...w, mf });
    }
    const call = async (mf, path) => {
      const t = performance.now();
      const r = await mf.dispatchFetch(`http://worker.test${path}`);
      await r.text();
      if (r.status !== 200) throw new Error(`${path}: HTTP ${r.status}`);
      return performance.now() - t;
    };
    // Warm every isolate up on both paths.
    for (const { mf } of instances) {
      for (let i = 0; i < 20; i++) await call(mf, "/");
    }
    for (let round = 0; round < rounds; round++) {
      const r = {};
      for (const { name, mf, file } of instances) {
        const plain = [];
        for (let i = 0; i < requests; i++) plain.push(await call(mf, "/"));
        const capture = [];
        let perRequestWithDelivery = null;
        if (file) {
          const before = sink.count;
          const t0 = performance.now();
          for (let i = 0; i < requests; i++) capture.push(await call(mf, "/capture"));
          await sink.until(before + requests);
          perRequestWithDelivery = (performance.now() - t0) / requests;
        }
        r[name] = { plainMedianMs: median(plain), captureMedianMs: file ? median(capture) : null, captureWithDeliveryMs: perRequestWithDelivery };
      }
      out.rounds.push(r);
      onProgress(`workers round ${round + 1}/${rounds}: ${Object.entries(r).map(([n, x]) => `${n} ${x.plainMedianMs.toFixed(2)} ms`).join(", ")}`);
    }
  } finally {
    for (const { mf } of instances) await mf.dispose().catch(() => {});
    await sink.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
