// Source maps, end to end, against a real Bugsink: an app is bundled and minified with
// esbuild (source maps on), `sentry-cli sourcemaps inject` writes debug ids into the
// bundle and its map, `sentry-cli sourcemaps upload` sends the maps to the test's Bugsink
// with a token Bugsink made, and the page throws in Chromium. oxeye sends the bundle's
// debug id in `debug_meta.images`, so Bugsink resolves the minified frames to
// src/checkout.js, its lines and its function names. The bundle's bytes are logged.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { launchChromium } from "../scripts/lib/chromium.mjs";
import { serveStatic } from "../scripts/lib/static-server.mjs";
import { ensureFixtureDeps } from "../scripts/lib/fixture-deps.mjs";
import { freshBugsink } from "./helpers/real.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const fixture = join(root, "tests", "fixtures", "sourcemaps");
let bugsink, server, chromium, work, cli;

function sentryCli(args, env = {}) {
  const r = spawnSync(cli, args, {
    cwd: work,
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, HOME: work, SENTRY_DISABLE_UPDATE_CHECK: "1", SENTRYCLI_SKIP_DOWNLOAD: "1", ...env },
  });
  assert.equal(r.status, 0, `sentry-cli ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout + r.stderr;
}

before(async () => {
  const deps = await ensureFixtureDeps("sourcemaps", fixture);
  cli = join(deps, "node_modules", ".bin", "sentry-cli");
  work = mkdtempSync(join(tmpdir(), "oxeye-sourcemaps-"));
  bugsink = await freshBugsink();
  chromium = await launchChromium();
});
after(async () => {
  await chromium?.close();
  await server?.close();
  await bugsink?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

test("Bugsink resolves minified frames to the original file, line and function through the debug id", async () => {
  const out = join(work, "dist");
  await build({
    entryPoints: [join(fixture, "src", "main.js")],
    bundle: true,
    minify: true,
    sourcemap: true,
    format: "esm",
    outfile: join(out, "app.js"),
    conditions: ["browser"],
    alias: { oxeye: join(root, "dist", "entrypoints", "browser.js") },
    logLevel: "error",
  });
  writeFileSync(join(out, "index.html"), `<!doctype html><meta charset="utf-8"><button id="buy">Buy</button><script type="module" src="/app.js"></script>`);
  const injected = sentryCli(["sourcemaps", "inject", out]);
  const bundle = readFileSync(join(out, "app.js"), "utf8");
  assert.match(bundle, /_sentryDebugIds/, `inject wrote no debug id snippet:\n${injected}`);
  const debugId = /debugId=([0-9a-f-]{36})/.exec(bundle)?.[1];
  assert.ok(debugId, "the bundle names its debug id");
  const map = JSON.parse(readFileSync(join(out, "app.js.map"), "utf8"));
  assert.equal(map.debug_id ?? map.debugId, debugId);
  console.log(`# bundle: app.js ${statSync(join(out, "app.js")).size} B raw, ${gzipSync(readFileSync(join(out, "app.js")), { level: 9 }).length} B gzip (oxeye's wasm is fetched separately)`);

  sentryCli(["--url", bugsink.url, "sourcemaps", "--org", "bugsinkhasnoorgs", "--project", "oxeye", "upload", out], {
    SENTRY_AUTH_TOKEN: bugsink.token,
  });

  const wasm = readFileSync(join(root, "dist", "core", "wasm", "oxeye_bg.wasm"));
  server = await serveStatic(out, {
    routes: {
      "/config.json": (req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ dsn: bugsink.dsn }));
      },
      // The browser loader looks for the wasm next to its own module, here the bundle.
      "/wasm/oxeye_bg.wasm": (req, res) => {
        res.writeHead(200, { "content-type": "application/wasm" });
        res.end(wasm);
      },
    },
  });
  const page = await chromium.newPage();
  const logs = [];
  page.on("console", (m) => logs.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => logs.push(`pageerror: ${e}`));
  await page.goto(`${server.url}/index.html`);
  await page.waitForFunction(() => window.appReady === true, null, { timeout: 10_000 });
  await page.click("#buy");
  assert.equal(await page.evaluate(() => window.oxeyeClient.flush(8000)), true, logs.join("\n"));
  const [stored] = await bugsink.api.waitForEvents((evs) => evs.length >= 1);
  const event = await bugsink.api.event(stored.id);

  // What oxeye sent: minified frames, and the bundle's debug id for its URL.
  const appUrl = `${server.url}/app.js`;
  assert.deepEqual(event.data.debug_meta?.images, [{ type: "sourcemap", code_file: appUrl, debug_id: debugId }]);
  const sentTop = event.data.exception.values.at(-1).stacktrace.frames.at(-1);
  assert.equal(sentTop.filename, appUrl);
  assert.equal(sentTop.lineno, 1 + bundle.split("\n").findIndex((l) => l.includes("checkout total is not positive")), "the sent frame is in the minified bundle");

  // What Bugsink made of it: the original file, lines and names.
  const md = event.stacktrace_md;
  const source = readFileSync(join(fixture, "src", "checkout.js"), "utf8").split("\n");
  const throwLine = 1 + source.findIndex((l) => l.includes("throw new RangeError"));
  const callLine = 1 + source.findIndex((l) => l.includes("const total = computeTotal(cart)"));
  const headers = md.split("\n").filter((l) => l.startsWith("### "));
  console.log(`# Bugsink's frames: ${headers.slice(0, 3).join(" | ")}`);
  assert.ok(headers.some((h) => h.includes(`checkout.js:${throwLine}`)), `no frame at checkout.js:${throwLine}:\n${md}`);
  assert.ok(headers.some((h) => h.includes(`checkout.js:${callLine}`)), `no frame at checkout.js:${callLine}:\n${md}`);
  assert.ok(headers.some((h) => /in `(computeTotal|submitOrder)`/.test(h)), `no original function name:\n${md}`);
  assert.ok(!headers.some((h) => h.includes("no sourcemap for debug_id")), md);
});

test("Vite: a production build with source maps resolves the same way", async () => {
  const deps = join(await ensureFixtureDeps("bundlers", join(root, "tests", "fixtures", "bundlers")), "node_modules");
  const { build: viteBuild } = await import(pathToFileURL(join(deps, "vite", "dist", "node", "index.js")).href);
  const dir = join(work, "vite-app");
  const target = join(dir, "node_modules", "oxeye");
  mkdirSync(target, { recursive: true });
  cpSync(join(root, "package.json"), join(target, "package.json"));
  cpSync(join(root, "dist"), join(target, "dist"), { recursive: true });
  cpSync(join(fixture, "src"), join(dir, "src"), { recursive: true });
  writeFileSync(join(dir, "index.html"), `<!doctype html><meta charset="utf-8"><button id="buy">Buy</button><script type="module" src="/src/main.js"></script>`);
  await viteBuild({ root: dir, configFile: false, logLevel: "error", build: { outDir: "dist", sourcemap: true, target: "esnext" } });
  const out = join(dir, "dist");
  sentryCli(["sourcemaps", "inject", out]);
  sentryCli(["--url", bugsink.url, "sourcemaps", "--org", "bugsinkhasnoorgs", "--project", "oxeye", "upload", out], { SENTRY_AUTH_TOKEN: bugsink.token });
  const viteServer = await serveStatic(out, {
    routes: {
      "/config.json": (req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ dsn: bugsink.dsn }));
      },
    },
  });
  try {
    const page = await chromium.newPage();
    const logs = [];
    page.on("console", (m) => logs.push(`${m.type()}: ${m.text()}`));
    await page.goto(`${viteServer.url}/index.html`);
    await page.waitForFunction(() => window.appReady === true, null, { timeout: 10_000 });
    const before = (await bugsink.api.allEvents()).length;
    await page.click("#buy");
    assert.equal(await page.evaluate(() => window.oxeyeClient.flush(8000)), true, logs.join("\n"));
    const events = await bugsink.api.waitForEvents((evs) => evs.length > before);
    const event = await bugsink.api.event(events.at(-1).id);
    const images = event.data.debug_meta?.images ?? [];
    assert.ok(images.length > 0 && images.every((i) => i.type === "sourcemap" && i.code_file.startsWith(`${viteServer.url}/assets/`)), JSON.stringify(images));
    const source = readFileSync(join(fixture, "src", "checkout.js"), "utf8").split("\n");
    const throwLine = 1 + source.findIndex((l) => l.includes("throw new RangeError"));
    const headers = event.stacktrace_md.split("\n").filter((l) => l.startsWith("### "));
    console.log(`# Vite: Bugsink's frames: ${headers.slice(0, 2).join(" | ")}`);
    assert.ok(headers.some((h) => h.includes(`checkout.js:${throwLine}`)), `no frame at checkout.js:${throwLine}:\n${event.stacktrace_md}`);
    await page.close();
  } finally {
    await viteServer.close();
  }
});
