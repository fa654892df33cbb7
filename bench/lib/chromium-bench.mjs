/**
 * The Chromium measurements (Debian's Chromium through playwright-core, loopback only):
 *
 * - capture throughput: the shared workload (lib/workload.mjs) bundled per SDK into a page;
 * - cold start: a page whose only script is the SDK's minimal app bundle (init + one
 *   captureException, in-memory transport), from script start to SDK ready and to the
 *   first envelope reaching the transport, with main-thread blocking (long tasks → TBT,
 *   and CDP's TaskDuration / ScriptDuration) against a page with no SDK.
 *
 * Pages are served by scripts/lib/static-server.mjs from a temp dir holding the bundles
 * and oxeye's wasm; every page is fresh and uncached.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchChromium } from "../../scripts/lib/chromium.mjs";
import { serveStatic } from "../../scripts/lib/static-server.mjs";
import { benchDir, bundle } from "./bundle.mjs";

const root = join(benchDir, "..");

const COLD = {
  none: `
    globalThis.__t.init = performance.now();
    globalThis.__t.ready = globalThis.__t.init;
    globalThis.__t.first = globalThis.__t.init;
  `,
  oxeye: `
    import { init, captureException } from "oxeye";
    const t = globalThis.__t;
    const client = init({ dsn: "${"https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/1"}",
      transport: async () => { t.first ??= performance.now(); return { status: 200, headers: {} }; } });
    t.init = performance.now();
    try { JSON.parse("{"); } catch (e) { captureException(e); }
    client.ready.then(() => { t.ready = performance.now(); });
  `,
  "@sentry/browser": `
    import { init, captureException, createTransport } from "@sentry/browser";
    const t = globalThis.__t;
    init({ dsn: "${"https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/1"}",
      transport: (o) => createTransport(o, () => { t.first ??= performance.now(); return Promise.resolve({ statusCode: 200, headers: {} }); }) });
    t.init = performance.now();
    t.ready = t.init;
    try { JSON.parse("{"); } catch (e) { captureException(e); }
  `,
};

const CAPTURE_ENTRY = (adapter) => `
  import * as adapter from "./adapters/${adapter}.mjs";
  import { makeSink, throughput } from "./lib/workload.mjs";
  const sink = makeSink();
  const ready = adapter.setup(sink);
  window.__bench = {
    async run(mode, minMs) {
      const sdk = await ready;
      const r = await throughput(sdk, sink, mode, { minMs });
      return { ...r, missing: sdk.missing };
    },
  };
`;

const slug = (s) => s.replace(/[^a-z0-9]+/gi, "-");

async function preparePages() {
  const dir = mkdtempSync(join(tmpdir(), "oxeye-bench-pages-"));
  mkdirSync(join(dir, "wasm"));
  copyFileSync(join(root, "dist/core/wasm/oxeye_bg.wasm"), join(dir, "wasm/oxeye_bg.wasm"));
  const bundles = {};
  for (const [name, src] of Object.entries(COLD)) {
    const file = `cold-${slug(name)}.js`;
    // The banner is the first statement of every chunk; the entry chunk runs first, so
    // its banner marks "script start" (later chunks leave it as it is).
    await bundle({ contents: src, name: file }, { outdir: dir, banner: "globalThis.__t??={start:performance.now()};" });
    writeFileSync(
      join(dir, `cold-${slug(name)}.html`),
      `<!doctype html><html><head><meta charset="utf-8"><script>
window.__lt = [];
try { new PerformanceObserver((l) => { for (const e of l.getEntries()) __lt.push(e.duration); }).observe({ type: "longtask", buffered: true }); } catch {}
</script><script type="module" src="./${file}"></script></head><body></body></html>`,
    );
    bundles[name] = file;
  }
  for (const adapter of ["oxeye", "sentry-browser"]) {
    await bundle({ contents: CAPTURE_ENTRY(adapter), name: `capture-${adapter}.js` }, { outdir: dir });
    writeFileSync(
      join(dir, `capture-${adapter}.html`),
      `<!doctype html><html><head><meta charset="utf-8"><script type="module" src="./capture-${adapter}.js"></script></head><body></body></html>`,
    );
  }
  return dir;
}

/** Runs the Chromium measurements; `onProgress(text)` reports each step. */
export async function runChromium({ throughputRuns = 5, throughputMs = 1500, coldRuns = 15, throttles = [1, 4], onProgress = () => {} } = {}) {
  const dir = await preparePages();
  const server = await serveStatic(dir);
  const chromium = await launchChromium();
  const version = chromium.context.browser()?.version?.() ?? null;
  const out = { chromiumVersion: version, throughput: {}, coldStart: {} };
  try {
    // Throughput: SDKs interleaved within each run so drift in machine load hits both.
    for (let run = 0; run < throughputRuns; run++) {
      for (const [name, adapter] of [["oxeye", "oxeye"], ["@sentry/browser", "sentry-browser"]]) {
        const page = await chromium.newPage();
        try {
          await page.goto(`${server.url}/capture-${adapter}.html`);
          await page.waitForFunction(() => !!window.__bench, null, { timeout: 15_000 });
          for (const mode of ["exception", "message"]) {
            const r = await page.evaluate(([m, ms]) => window.__bench.run(m, ms), [mode, throughputMs]);
            ((out.throughput[name] ??= {})[mode] ??= []).push(r);
            onProgress(`chromium throughput ${name} ${mode} run ${run + 1}: ${Math.round(r.eventsPerSec)} events/s`);
          }
        } finally {
          await page.close();
        }
      }
    }
    // Cold start.
    for (const rate of throttles) {
      for (let run = 0; run < coldRuns; run++) {
        for (const name of Object.keys(COLD)) {
          const page = await chromium.newPage();
          try {
            const cdp = await page.context().newCDPSession(page);
            await cdp.send("Network.enable");
            await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
            await cdp.send("Performance.enable");
            if (rate !== 1) await cdp.send("Emulation.setCPUThrottlingRate", { rate });
            await page.goto(`${server.url}/cold-${slug(name)}.html`);
            await page.waitForFunction(() => globalThis.__t?.ready !== undefined && globalThis.__t?.first !== undefined, null, { timeout: 15_000 });
            // Let any long task that is still running finish and be reported.
            await page.waitForTimeout(100);
            const t = await page.evaluate(() => {
              const res = performance.getEntriesByType("resource").find((e) => e.name.includes("/cold-"));
              return { ...globalThis.__t, longTasks: window.__lt, scriptResponseEnd: res?.responseEnd ?? null };
            });
            const { metrics } = await cdp.send("Performance.getMetrics");
            const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
            const sample = {
              startToInitMs: t.init - t.start,
              startToReadyMs: t.ready - t.start,
              startToFirstEnvelopeMs: t.first - t.start,
              navToReadyMs: t.ready,
              scriptLoadedAtMs: t.scriptResponseEnd,
              tbtMs: t.longTasks.reduce((s, d) => s + Math.max(0, d - 50), 0),
              longTasks: t.longTasks.length,
              taskDurationMs: m.TaskDuration * 1000,
              scriptDurationMs: m.ScriptDuration * 1000,
            };
            (((out.coldStart[`${rate}x`] ??= {})[name]) ??= []).push(sample);
          } finally {
            await page.close();
          }
        }
        onProgress(`chromium cold start ${rate}x CPU run ${run + 1}/${coldRuns}`);
      }
    }
  } finally {
    await chromium.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
