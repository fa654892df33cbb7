// oxeye in the bundlers users have: a minimal app is built and run by each, in Chromium,
// and an uncaught error reaches a local capture server. Vite (build + preview, and the
// dev server), a React app with create-vite's react-ts configs (type-checked and linted by
// the template's own scripts), webpack 5, and native ESM with an import map (no bundler). The app gets
// oxeye as `npm pack` ships it (package.json + dist/ copied into its node_modules). Each
// fixture logs the JS and wasm bytes it emits (raw and gzip). Wrangler (deploy --dry-run,
// then workerd) and Next.js (Turbopack and webpack) have their own suites.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { launchChromium } from "../scripts/lib/chromium.mjs";
import { serveStatic } from "../scripts/lib/static-server.mjs";
import { ensureFixtureDeps } from "../scripts/lib/fixture-deps.mjs";
import { startCaptureServer } from "./helpers/capture-server.mjs";
import { emitted, logBytes } from "./helpers/emitted.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
let deps, chromium, cap, work;

const MAIN = `import * as oxeye from "oxeye";
const dsn = new URL(location.href).searchParams.get("dsn");
window.oxeyeClient = oxeye.init({ dsn, release: "bundler-fixture@1" });
document.querySelector("#fail").addEventListener("click", () => {
  throw new Error("thrown in the " + document.title + " fixture");
});
window.appReady = true;
`;

function html(title, head = "", script = "/src/main.js") {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>${head}</head>
<body><button id="fail">fail</button><script type="module" src="${script}"></script></body></html>`;
}

/** Installs oxeye into `dir/node_modules` as `npm pack` ships it (package.json + dist/). */
function installOxeye(dir) {
  const target = join(dir, "node_modules", "oxeye");
  mkdirSync(target, { recursive: true });
  cpSync(join(root, "package.json"), join(target, "package.json"));
  cpSync(join(root, "dist"), join(target, "dist"), { recursive: true });
}

/** A fresh app dir with oxeye installed as `npm pack` ships it. */
function app(name, files) {
  const dir = join(work, name);
  installOxeye(dir);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name, private: true, type: "module" }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.on("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

/** Loads `url`, clicks #fail, and returns the event that arrived plus what the page fetched. */
async function throwAndReceive(url, title) {
  const page = await chromium.newPage();
  const fetched = { js: [0, 0], wasm: [0, 0] };
  const pending = [];
  page.on("response", (r) => {
    const type = r.headers()["content-type"] ?? "";
    const kind = /wasm/.test(type) ? "wasm" : /javascript/.test(type) ? "js" : undefined;
    if (!kind || r.request().method() !== "GET") return;
    pending.push(
      r.body().then(
        (b) => {
          fetched[kind][0] += b.length;
          fetched[kind][1] += gzipSync(b, { level: 9 }).length;
        },
        () => {},
      ),
    );
  });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  try {
    const before = cap.events().length;
    await page.goto(`${url}${url.includes("?") ? "&" : "?"}dsn=${encodeURIComponent(cap.dsn)}`);
    await page.waitForFunction(() => window.appReady === true, null, { timeout: 30_000 });
    await page.click("#fail");
    assert.equal(await page.evaluate(() => window.oxeyeClient.flush(10_000)), true, `flush failed; page errors: ${errors.join("; ")}`);
    await Promise.all(pending);
    const ev = cap.events().slice(before).find((e) => e.exception?.values?.[0]?.value === `thrown in the ${title} fixture`);
    assert.ok(ev, `no event from the ${title} fixture; got ${JSON.stringify(cap.events().slice(before).map((e) => e.exception?.values?.[0]?.value))}`);
    assert.equal(ev.release, "bundler-fixture@1");
    assert.equal(ev.exception.values[0].mechanism.handled, false);
    return { ev, fetched };
  } finally {
    await page.close();
  }
}

/**
 * The loader the browser entry uses for the core (`core/load-web-fresh`), as the app's build
 * emitted it: a new glue instance on each attempt after a trap (two attempts, two
 * classes), and for a client whose `scrub` object the first instance's wasm does not read,
 * an instance of `oxeye_rules_bg.wasm`, which the build copied too (shared by such clients).
 */
async function assertFreshInstances(url, loader) {
  const page = await chromium.newPage();
  try {
    await page.goto(url);
    const r = await page.evaluate(async (loader) => {
      // (A module URL, or the app's own hook where the loader is a chunk of the bundler's.)
      const m = loader ? await import(loader) : await window.freshLoader();
      const a = await m.loadBrowserCore(undefined, 1);
      const b = await m.loadBrowserCore(undefined, 2);
      const first = await m.loadBrowserCore(undefined, 0);
      const rules = await m.loadBrowserCore(undefined, 0, { keys: ["tenant"] });
      const rulesAgain = await m.loadBrowserCore(undefined, 0, { keys: ["tenant"] });
      const names = performance.getEntriesByType("resource").map((e) => e.name);
      return {
        distinct: a !== b && rules !== first,
        shared: rules === rulesAgain,
        glue: names.filter((n) => /\/core[-.\w]*\.js/.test(n)),
        wasm: names.filter((n) => /\.wasm$/.test(n)).map((n) => new URL(n).pathname.split("/").pop()),
      };
    }, loader);
    assert.ok(r.distinct, `two attempts, or the first instance and the rules one, gave the same instance: ${JSON.stringify(r.glue)}`);
    assert.ok(r.shared, "clients that need the rules share one instance");
    assert.equal(r.wasm.length, 2, JSON.stringify(r.wasm));
    // (webpack names assets by hash alone)
    if (loader) assert.ok(r.wasm.some((n) => /^oxeye_bg/.test(n)) && r.wasm.some((n) => /^oxeye_rules_bg/.test(n)), JSON.stringify(r.wasm));
    else assert.equal(new Set(r.wasm).size, 2, JSON.stringify(r.wasm));
  } finally {
    await page.close();
  }
}

before(async () => {
  deps = join(await ensureFixtureDeps("bundlers", join(root, "tests", "fixtures", "bundlers")), "node_modules");
  work = mkdtempSync(join(tmpdir(), "oxeye-bundlers-"));
  cap = await startCaptureServer();
  chromium = await launchChromium();
});
after(async () => {
  await chromium?.close();
  await cap?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const vite = () => import(pathToFileURL(join(deps, "vite", "dist", "node", "index.js")).href);

test("Vite: build + preview", async () => {
  const { build, preview } = await vite();
  const dir = app("vite-build", { "index.html": html("vite-build"), "src/main.js": MAIN });
  await build({ root: dir, configFile: false, logLevel: "error", build: { outDir: "dist" } });
  logBytes("vite build", "dist/", emitted(join(dir, "dist")));
  const server = await preview({ root: dir, configFile: false, logLevel: "error", preview: { host: "127.0.0.1", port: await freePort(), strictPort: true } });
  try {
    const { fetched } = await throwAndReceive(server.resolvedUrls.local[0], "vite-build");
    logBytes("vite build", "fetched by the page", fetched);
    const fresh = readdirSync(join(dir, "dist", "assets")).find((f) => /^load-web-fresh-.*\.js$/.test(f));
    assert.ok(fresh, "Vite emitted the fresh-instance loader as a chunk of its own");
    await assertFreshInstances(server.resolvedUrls.local[0], `/assets/${fresh}`);
  } finally {
    await server.close();
  }
});

test("Vite: an error the app's entry module throws as it starts (a white screen) is delivered: the engine's chunk imports nothing of the entry's", async () => {
  const { build, preview } = await vite();
  const main = `import * as oxeye from "oxeye";
const dsn = new URL(location.href).searchParams.get("dsn");
window.oxeyeClient = oxeye.init({ dsn, release: "bundler-fixture@1" });
window.appReady = true;
const settings = JSON.parse(document.title === "never" ? "{}" : "{\\"currency\\": }");
document.body.append(String(settings));
`;
  const dir = app("vite-startup", { "index.html": html("vite-startup"), "src/main.js": main });
  await build({ root: dir, configFile: false, logLevel: "error", build: { outDir: "dist" } });
  // No chunk but the entry imports the entry: a module whose evaluation threw fails every
  // later import of it, so a lazy chunk that imported it could never load.
  const assets = join(dir, "dist", "assets");
  const entry = readdirSync(assets).find((f) => /^index-.*\.js$/.test(f));
  for (const f of readdirSync(assets).filter((f) => f.endsWith(".js") && f !== entry)) {
    const text = readFileSync(join(assets, f), "utf8");
    assert.ok(!text.includes(entry), `${f} imports the entry chunk ${entry}`);
  }
  const server = await preview({ root: dir, configFile: false, logLevel: "error", preview: { host: "127.0.0.1", port: await freePort(), strictPort: true } });
  const page = await chromium.newPage();
  const warnings = [];
  page.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
  try {
    const before = cap.events().length;
    await page.goto(`${server.resolvedUrls.local[0]}?dsn=${encodeURIComponent(cap.dsn)}`);
    await page.waitForFunction(() => window.appReady === true, null, { timeout: 30_000 });
    assert.equal(await page.evaluate(() => window.oxeyeClient.flush(10_000)), true, warnings.join("\n"));
    const ev = cap.events().slice(before).find((e) => e.exception?.values?.at(-1)?.type === "SyntaxError");
    assert.ok(ev, `the startup error was not delivered; warnings: ${warnings.join("\n")}`);
    assert.equal(ev.exception.values.at(-1).mechanism.handled, false);
    assert.equal(await page.evaluate(() => window.oxeyeClient.disabledReason), undefined);
  } finally {
    await page.close();
    await server.close();
  }
});

test("Vite: a core that cannot load (its wasm missing from the deploy) is said once, and is no failed chunk load: vite:preloadError, which apps answer by reloading, does not fire", async () => {
  const { build, preview } = await vite();
  const main = `import * as oxeye from "oxeye";
window.preloadErrors = 0;
addEventListener("vite:preloadError", () => window.preloadErrors++);
const dsn = new URL(location.href).searchParams.get("dsn");
window.oxeyeClient = oxeye.init({ dsn, release: "bundler-fixture@1" });
`;
  const dir = app("vite-no-wasm", { "index.html": html("vite-no-wasm"), "src/main.js": main });
  await build({ root: dir, configFile: false, logLevel: "error", build: { outDir: "dist" } });
  const assets = join(dir, "dist", "assets");
  for (const f of readdirSync(assets).filter((f) => f.endsWith(".wasm"))) rmSync(join(assets, f));
  const server = await preview({ root: dir, configFile: false, logLevel: "error", preview: { host: "127.0.0.1", port: await freePort(), strictPort: true } });
  const page = await chromium.newPage();
  const warnings = [];
  page.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
  try {
    await page.goto(`${server.resolvedUrls.local[0]}?dsn=${encodeURIComponent(cap.dsn)}`);
    await page.evaluate(() => window.oxeyeClient.flush(10_000));
    await page.waitForFunction(() => window.oxeyeClient.disabledReason !== undefined, null, { timeout: 15_000 });
    assert.equal(warnings.filter((w) => /error reporting is off/.test(w)).length, 1, warnings.join("\n"));
    assert.equal(await page.evaluate(() => window.preloadErrors), 0, "no vite:preloadError");
  } finally {
    await page.close();
    await server.close();
  }
});

test("Vite + Vue 3 production build: the errors Vue catches (a click handler, an async one, a hook) are reported with docs/frameworks.md's errorHandler; without it, none is", async () => {
  const { build, preview } = await vite();
  // The docs' snippet as it stands, in the app's entry.
  const docs = readFileSync(join(root, "docs", "frameworks.md"), "utf8");
  const snippet = /## Vue[\s\S]*?```ts\n([\s\S]*?)```/.exec(docs)?.[1];
  assert.ok(snippet?.includes("reportVueErrors"), "docs/frameworks.md has the Vue snippet");
  const main = `${snippet}
import { createApp, h, onMounted } from "vue";
const query = new URL(location.href).searchParams;
(window as any).oxeyeClient = oxeye.init({ dsn: query.get("dsn"), release: "vue-fixture@1" });
const Gauge = { name: "Gauge", setup() { onMounted(() => { throw new SyntaxError("vue mounted"); }); return () => h("p", "gauge"); } };
const app = createApp({
  name: "Cart",
  setup() {
    return () => h("div", [
      h("button", { id: "sync", onClick: () => { throw new TypeError("vue click"); } }, "sync"),
      h("button", { id: "async", onClick: async () => { await Promise.resolve(); throw new RangeError("vue async"); } }, "async"),
      h(Gauge),
    ]);
  },
});
if (query.get("report") !== "0") reportVueErrors(app);
app.mount("#app");
(window as any).appReady = true;
`;
  const dir = app("vite-vue", {
    "index.html": '<!doctype html><html><head><meta charset="utf-8"><title>vue</title></head><body><div id="app"></div><script type="module" src="/src/main.ts"></script></body></html>',
    "src/main.ts": main,
  });
  for (const name of ["vue", "@vue"]) symlinkSync(join(deps, name), join(dir, "node_modules", name), "dir");
  await build({ root: dir, configFile: false, logLevel: "error", build: { outDir: "dist" } });
  const server = await preview({ root: dir, configFile: false, logLevel: "error", preview: { host: "127.0.0.1", port: await freePort(), strictPort: true } });
  const values = ["vue click", "vue async", "vue mounted"];
  /** The events of `values` one page load sent (clicking both buttons), by value. */
  const run = async (query) => {
    const page = await chromium.newPage();
    const logged = [];
    page.on("console", (m) => m.type() === "error" && logged.push(m.text()));
    try {
      const before = cap.events().length;
      await page.goto(`${server.resolvedUrls.local[0]}?dsn=${encodeURIComponent(cap.dsn)}${query}`);
      await page.waitForFunction(() => window.appReady === true, null, { timeout: 30_000 });
      await page.click("#sync");
      await page.click("#async");
      await page.waitForTimeout(100);
      assert.equal(await page.evaluate(() => window.oxeyeClient.flush(10_000)), true);
      const sent = new Map(cap.events().slice(before).map((e) => [e.exception?.values?.at(-1)?.value, e]));
      return { sent, logged };
    } finally {
      await page.close();
    }
  };
  try {
    const without = await run("&report=0");
    for (const v of values) assert.ok(!without.sent.has(v), `without an errorHandler, "${v}" was sent: the docs say Vue only logs it`);
    assert.ok(without.logged.length >= 3, `Vue logged the errors: ${without.logged.join(" | ")}`);
    const { sent } = await run("");
    for (const v of values) {
      const ev = sent.get(v);
      assert.ok(ev, `"${v}" was not reported; got ${JSON.stringify([...sent.keys()])}`);
      assert.deepEqual(ev.exception.values.at(-1).mechanism, { type: "auto.function.vue.error_handler", handled: false });
      assert.equal(ev.release, "vue-fixture@1");
    }
    assert.equal(sent.get("vue click").contexts.vue.componentName, "Cart");
    assert.equal(sent.get("vue mounted").contexts.vue.componentName, "Gauge");
    // (A production build names the hook by its code in Vue's error reference: `m`, mounted.)
    assert.match(sent.get("vue mounted").contexts.vue.lifecycleHook, /error-reference\/#runtime-m$/);
  } finally {
    await server.close();
  }
});

test("Vite: dev server", async () => {
  const { createServer: createVite } = await vite();
  const dir = app("vite-dev", { "index.html": html("vite-dev"), "src/main.js": MAIN });
  const server = await createVite({ root: dir, configFile: false, logLevel: "error", server: { host: "127.0.0.1", port: await freePort(), strictPort: true, hmr: false } });
  await server.listen();
  try {
    const { fetched } = await throwAndReceive(server.resolvedUrls.local[0], "vite-dev");
    logBytes("vite dev", "fetched by the page", fetched);
  } finally {
    await server.close();
  }
});

/** Runs a tool of the fixture's dependencies in `cwd`; its output is the failure message. */
function run(cwd, bin, args) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8", timeout: 120_000 });
  assert.equal(r.status, 0, `${bin} ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

test("Vite react-ts app as create-vite 9.3 makes it: tsc -b, oxlint and vite build with its own configs; the README's quick starts report from Chromium", async () => {
  const dir = join(work, "vite-react-ts");
  // The template's config files as generated (tsconfig*.json, vite.config.ts, .oxlintrc.json,
  // .gitignore, which oxlint reads)
  // and src/ holding the README's browser and React quick starts.
  cpSync(join(root, "tests", "fixtures", "bundlers", "vite-react-ts"), dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "vite-react-ts", private: true, type: "module" }));
  mkdirSync(join(dir, "node_modules"));
  for (const name of readdirSync(deps)) if (!name.startsWith(".")) symlinkSync(join(deps, name), join(dir, "node_modules", name), "dir");
  installOxeye(dir);
  // `npm run build` is `tsc -b && vite build` (TypeScript 7), `npm run lint` is `oxlint`.
  run(dir, join(deps, "typescript", "bin", "tsc"), ["-b"]);
  const lint = run(dir, join(deps, "oxlint", "bin", "oxlint"), []);
  assert.match(lint, /Found 0 warnings and 0 errors/, lint);
  const { build, preview } = await vite();
  await build({ root: dir, logLevel: "error" });
  logBytes("vite react-ts", "dist/", emitted(join(dir, "dist")));
  const server = await preview({ root: dir, logLevel: "error", preview: { host: "127.0.0.1", port: await freePort(), strictPort: true } });
  try {
    const url = server.resolvedUrls.local[0];
    await throwAndReceive(url, "vite-react-ts");
    // A render error: the README's ErrorBoundary reports it and shows the event's id.
    const page = await chromium.newPage();
    try {
      const before = cap.events().length;
      await page.goto(`${url}?dsn=${encodeURIComponent(cap.dsn)}`);
      await page.waitForFunction(() => window.appReady === true, null, { timeout: 30_000 });
      await page.click("#render");
      const shown = await page.waitForFunction(() => /Something went wrong \(([0-9a-f]{32})\)/.exec(document.body.textContent ?? "")?.[1], null, { timeout: 30_000 });
      const id = await shown.jsonValue();
      assert.equal(await page.evaluate(() => window.oxeyeClient.flush(10_000)), true);
      const ev = cap.events().slice(before).find((e) => e.event_id === id);
      assert.ok(ev, `the id the fallback shows (${id}) is an event that arrived`);
      assert.equal(ev.exception.values.at(-1).value, "render failed in the vite-react-ts fixture");
      assert.equal(ev.exception.values.at(-1).mechanism.type, "auto.function.react.error_boundary");
      assert.ok(ev.contexts.react?.componentStack, "the component stack is sent");
    } finally {
      await page.close();
    }
  } finally {
    await server.close();
  }
});

test("webpack 5: production build", async () => {
  const { default: webpack } = await import(pathToFileURL(join(deps, "webpack", "lib", "index.js")).href);
  const dir = app("webpack", { "src/main.js": MAIN, "dist/index.html": html("webpack", "", "/main.js") });
  const stats = await new Promise((ok, fail) =>
    webpack(
      { context: dir, mode: "production", entry: "./src/main.js", output: { path: join(dir, "dist"), publicPath: "/" }, devtool: "source-map", experiments: { topLevelAwait: true } },
      (err, s) => (err ? fail(err) : ok(s)),
    ),
  );
  assert.ok(!stats.hasErrors(), stats.toString({ all: false, errors: true }));
  logBytes("webpack", "dist/", emitted(join(dir, "dist")));
  const server = await serveStatic(join(dir, "dist"));
  try {
    const { fetched } = await throwAndReceive(`${server.url}/index.html`, "webpack");
    logBytes("webpack", "fetched by the page", fetched);
  } finally {
    await server.close();
  }
});

test("webpack 5 with relative asset URLs, as Next.js builds: each fresh core is a new instance", async () => {
  const { default: webpack } = await import(pathToFileURL(join(deps, "webpack", "lib", "index.js")).href);
  // webpack (and Turbopack) put their own URL object in place of `URL` for a relative
  // asset, whose `href` ignores changes to its search params.
  const dir = app("webpack-relative", { "dist/index.html": html("webpack-relative", "", "/main.js") });
  const loader = join(dir, "node_modules", "oxeye", "dist", "core", "load-web-fresh.js");
  mkdirSync(join(dir, "src"));
  writeFileSync(join(dir, "src", "main.js"), `window.freshLoader = () => import(${JSON.stringify(loader)});\n`);
  const stats = await new Promise((ok, fail) =>
    webpack(
      { context: dir, mode: "production", entry: "./src/main.js", output: { path: join(dir, "dist"), publicPath: "/" }, module: { parser: { javascript: { url: "relative" } } } },
      (err, s) => (err ? fail(err) : ok(s)),
    ),
  );
  assert.ok(!stats.hasErrors(), stats.toString({ all: false, errors: true }));
  const server = await serveStatic(join(dir, "dist"));
  try {
    await assertFreshInstances(`${server.url}/index.html`, null);
  } finally {
    await server.close();
  }
});

test("webpack 5 with target webworker (a service worker's build) takes the browser entry and builds", async () => {
  const { default: webpack } = await import(pathToFileURL(join(deps, "webpack", "lib", "index.js")).href);
  const dir = app("webpack-webworker", { "src/worker.js": 'import * as oxeye from "oxeye";\nself.oxeyeClient = oxeye.init({ dsn: "" });\n' });
  const stats = await new Promise((ok, fail) =>
    webpack({ context: dir, mode: "production", target: "webworker", entry: "./src/worker.js", output: { path: join(dir, "dist") } }, (err, s) => (err ? fail(err) : ok(s))),
  );
  // (Its conditions are "worker" and "browser": the Workers entry, which imports its wasm as a module, broke the build.)
  assert.ok(!stats.hasErrors(), stats.toString({ all: false, errors: true }));
  const entries = stats.toJson({ modules: true }).modules.map((m) => m.name).filter((n) => /entrypoints\//.test(n));
  assert.ok(entries.some((n) => n.endsWith("entrypoints/browser.js")), entries.join(" "));
  assert.ok(!entries.some((n) => n.endsWith("entrypoints/workerd.js")), entries.join(" "));
});

test("webpack 5 server bundle with Next's public path (target node): the core is read from the installed package, from any working directory, with no copy beside the bundle", async () => {
  const { default: webpack } = await import(pathToFileURL(join(deps, "webpack", "lib", "index.js")).href);
  const dir = app("webpack-node", {
    "src/server.js": `import * as oxeye from "oxeye";
// (oxeye's timers never keep Node alive: this one does, until the report is out.)
const alive = setInterval(() => {}, 1000);
const sent = [];
const client = oxeye.init({ dsn: "http://k@127.0.0.1:9/1", transport: async (r) => (sent.push(r), { status: 200, headers: {} }) });
oxeye.captureException(new Error("from the server bundle"));
await oxeye.flush(2000);
console.log(JSON.stringify({ sent: sent.length, off: client.disabledReason ?? null }));
clearInterval(alive);
`,
  });
  const stats = await new Promise((ok, fail) =>
    webpack(
      { context: dir, mode: "production", target: "node", entry: "./src/server.js", output: { path: join(dir, "dist"), publicPath: "/_next/" }, experiments: { topLevelAwait: true } },
      (err, s) => (err ? fail(err) : ok(s)),
    ),
  );
  assert.ok(!stats.hasErrors(), stats.toString({ all: false, errors: true }));
  // Run from a folder of its own (a pnpm workspace's strict node_modules, or a server
  // started without the package manager: oxeye is not resolvable from the working directory).
  const run = join(work, "webpack-node-run");
  mkdirSync(run, { recursive: true });
  // The bundle and its chunks, without the wasm webpack emitted (Next's standalone output leaves it out too).
  for (const f of readdirSync(join(dir, "dist")).filter((f) => f.endsWith(".js"))) cpSync(join(dir, "dist", f), join(run, f === "main.js" ? "server.js" : f));
  const r = spawnSync(process.execPath, ["server.js"], { cwd: run, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout.trim().split("\n").at(-1) || "null"), { sent: 1, off: null }, r.stdout + r.stderr);
});

test("native ESM with an import map (no bundler)", async () => {
  const map = `<script type="importmap">{ "imports": { "oxeye": "/node_modules/oxeye/dist/entrypoints/browser.js" } }</script>`;
  const dir = app("importmap", { "index.html": html("importmap", map), "src/main.js": MAIN });
  const server = await serveStatic(dir);
  try {
    const { fetched } = await throwAndReceive(`${server.url}/index.html`, "importmap");
    logBytes("import map", "fetched by the page", fetched);
    await assertFreshInstances(`${server.url}/index.html`, "/node_modules/oxeye/dist/core/load-web-fresh.js");
  } finally {
    await server.close();
  }
});
