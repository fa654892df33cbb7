// The browser's load schedule and entry chunk, without a browser: nothing loads before the
// page's `load` event, then at idle or at once for a waiting capture (or when the page is
// hidden first); the entry chunk an app bundles is small and holds neither the engine, the
// glue nor server code. `npm run test:unit` runs it on the shim compiled to target/unit-dist
// (OXEYE_UNIT_DIST); `npm test` runs it on dist/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = pathToFileURL(process.env.OXEYE_UNIT_DIST ?? `${root}dist/`).href.replace(/\/?$/, "/");
const { afterPageLoad } = await import(`${dist}api/schedule.js`);

test("browser schedule: nothing loads before `load`; at idle after it, or at once when a capture waits", async () => {
  const listeners = new Map();
  const target = {
    addEventListener: (t, f) => listeners.set(t, f),
    removeEventListener: (t) => listeners.delete(t),
  };
  const saved = { document: globalThis.document, add: globalThis.addEventListener, remove: globalThis.removeEventListener, ric: globalThis.requestIdleCallback };
  const idle = [];
  globalThis.document = { readyState: "interactive", visibilityState: "visible", ...target };
  globalThis.addEventListener = target.addEventListener;
  globalThis.removeEventListener = target.removeEventListener;
  globalThis.requestIdleCallback = (fn) => idle.push(fn);
  try {
    let started = 0;
    const demand = afterPageLoad(() => started++);
    demand();
    assert.equal(started, 0, "a waiting capture does not load before `load`");
    listeners.get("load")();
    assert.equal(started, 1, "a capture waiting at `load` loads at once");
    idle.forEach((f) => f());
    assert.equal(started, 1, "only once");
    let late = 0;
    const demandLate = afterPageLoad(() => late++);
    listeners.get("load")();
    assert.equal(late, 0, "nothing waiting: wait for idle");
    demandLate();
    assert.equal(late, 1, "after `load`, a capture loads at once");
    // Idle path, and a page hidden before load.
    let a = 0;
    afterPageLoad(() => a++);
    listeners.get("load")();
    idle.at(-1)();
    assert.equal(a, 1);
    let b = 0;
    globalThis.document.readyState = "loading";
    afterPageLoad(() => b++);
    globalThis.document.visibilityState = "hidden";
    listeners.get("visibilitychange")();
    assert.equal(b, 1, "hidden before load: load and send at once");
  } finally {
    globalThis.document = saved.document;
    globalThis.addEventListener = saved.add;
    globalThis.removeEventListener = saved.remove;
    globalThis.requestIdleCallback = saved.ric;
    if (saved.document === undefined) delete globalThis.document;
  }
});

test("browser entry chunk: small, and neither the engine, the glue nor server code is in it", async () => {
  const { build } = await import("esbuild");
  const { mkdtempSync, writeFileSync, readdirSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const dir = mkdtempSync(join(tmpdir(), "oxeye-entry-"));
  const entry = join(dir, "app.js");
  writeFileSync(entry, `import { init, captureException } from ${JSON.stringify(fileURLToPath(`${dist}entrypoints/browser.js`))};\ninit({ dsn: "https://k@o1.ingest.sentry.io/1" });\ntry { null.x } catch (e) { captureException(e); }\n`);
  const out = join(dir, "out");
  await build({ entryPoints: [entry], bundle: true, minify: true, splitting: true, format: "esm", outdir: out, platform: "browser", logLevel: "error" });
  // The critical path: the entry and every chunk it imports statically.
  const critical = new Set(["app.js"]);
  for (const f of critical) {
    for (const m of readFileSync(join(out, f), "utf8").matchAll(/(?:from|import)\s*"\.\/([^"]+)"/g)) critical.add(m[1]);
  }
  const text = [...critical].map((f) => readFileSync(join(out, f), "utf8")).join("\n");
  const gz = [...critical].reduce((n, f) => n + gzipSync(readFileSync(join(out, f)), { level: 9 }).length, 0);
  assert.ok(gz <= 7.8 * 1024, `critical path ${gz} B gzip (${[...critical].join(", ")})`);
  console.log(`# browser critical path: ${gz} B gzip`);
  // The loader is marked by the wasm's file name: the entry itself wraps the streaming
  // compilers (to see the app's own modules), so their names are on the critical path.
  for (const marker of ["oxeye_bg.wasm", "stampSentAt", "sent again with the next one", "[Shared ~]", "createTunnelHandler", "node:fs", "QueueOverflow", "globalHandlers not"]) {
    assert.ok(!text.includes(marker), `${marker} must not be on the critical path`);
  }
  assert.ok(readdirSync(out).length > 1, "the rest is in lazy chunks");
});
