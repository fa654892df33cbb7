// Astro 5 with @astrojs/node (standalone), as docs/frameworks.md sets it up: the docs' own
// instrument.mjs, src/middleware.ts (with the app's middleware, which sets the user from an
// `x-user` header, after the docs' reporting one), src/actions/index.ts and layout, in a real
// `astro build`, the server run with the docs' start script
// (`node --import ./instrument.mjs dist/server/entry.mjs`) on 127.0.0.1. It shows:
// - the very first request after the start has scopes of its own: its user is not on the
//   event of a later request that sets none;
// - a page whose frontmatter throws, under 4 concurrent requests, is reported once per
//   request, named by its route pattern (`GET /item/[id]`), with that request's user and URL;
// - a component that throws after the page began to stream (Astro answers 200 and cuts the
//   page short; `next()` does not throw) is reported, through the middleware's body wrap;
// - an endpoint's error is reported; an action's error is reported once, by the handler;
// - the layout renders the request's trace into server-rendered pages, not into prerendered
//   ones, and Vite puts the browser's wasm core into dist/client/_astro/.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureFixtureDeps } from "../scripts/lib/fixture-deps.mjs";
import { startCaptureServer } from "./helpers/capture-server.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const fixture = join(root, "tests", "fixtures", "astro-app");
const MECHANISM = { type: "auto.middleware.astro", handled: false };
let deps, cap, work, dir, server;

/** The code blocks of docs/frameworks.md's Astro section, as they stand: `{ lang, code }`. */
function docsBlocks() {
  const docs = readFileSync(join(root, "docs", "frameworks.md"), "utf8");
  const section = /\n## Astro\n([\s\S]*?)(?=\n## |$)/.exec(docs)?.[1];
  assert.ok(section, "docs/frameworks.md has an Astro section");
  return [...section.matchAll(/^```(\w+)[^\n]*\n([\s\S]*?)^```/gm)].map((m) => ({ lang: m[1], code: m[2] }));
}

/** The docs' block that begins with the comment naming `file`. */
function docsFile(file) {
  const block = docsBlocks().find((b) => b.code.replace(/^---\n/, "").startsWith(`// ${file}`));
  assert.ok(block, `docs/frameworks.md's Astro section has ${file}`);
  return block.code;
}

/** The docs' `start` script, as arguments to node. */
function docsStart() {
  const scripts = docsBlocks().find((b) => b.lang === "json")?.code ?? "";
  const start = /"start": "([^"]+)"/.exec(scripts)?.[1];
  assert.equal(start, "node --import ./instrument.mjs dist/server/entry.mjs");
  return start.split(" ").slice(1);
}

/** Builds the fixture with the docs' files in it; returns its folder. */
function buildApp() {
  const app = join(work, "app");
  cpSync(fixture, app, { recursive: true });
  const middleware = docsFile("src/middleware.ts");
  const own = "sequence(reportErrors /*, the app's own middleware */)";
  assert.ok(middleware.includes(own), "the docs' middleware leaves a place for the app's own");
  const files = {
    "instrument.mjs": docsFile("instrument.mjs"),
    "src/middleware.ts": `import { auth } from "./auth";\n${middleware.replace(own, "sequence(reportErrors, auth)")}`,
    "src/actions/index.ts": `${docsFile("src/actions/index.ts")}
async function placeOrder(): Promise<{ id: string }> {
  throw new Error("the order could not be placed");
}
`,
    "src/layouts/Layout.astro": docsBlocks().find((b) => b.lang === "astro" && b.code.includes("// src/layouts/Layout.astro"))?.code,
  };
  for (const [file, code] of Object.entries(files)) {
    assert.ok(code, `docs/frameworks.md has ${file}`);
    mkdirSync(dirname(join(app, file)), { recursive: true });
    writeFileSync(join(app, file), code);
  }
  // oxeye as the app installs it, a dependency (Vite leaves it out of the server bundle).
  const pkg = JSON.parse(readFileSync(join(app, "package.json"), "utf8"));
  pkg.dependencies.oxeye = "0.1.0";
  writeFileSync(join(app, "package.json"), JSON.stringify(pkg));
  mkdirSync(join(app, "node_modules", "@astrojs"), { recursive: true });
  for (const p of ["astro", "@astrojs/node"]) symlinkSync(join(deps, p), join(app, "node_modules", p), "dir");
  mkdirSync(join(app, "node_modules", "oxeye"));
  cpSync(join(root, "package.json"), join(app, "node_modules", "oxeye", "package.json"));
  cpSync(join(root, "dist"), join(app, "node_modules", "oxeye", "dist"), { recursive: true });
  const built = spawnSync(process.execPath, [join(app, "node_modules", "astro", "astro.js"), "build"], {
    cwd: app,
    encoding: "utf8",
    timeout: 180_000,
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: "1" },
  });
  assert.equal(built.status, 0, `astro build failed:\n${built.stdout}\n${built.stderr}`);
  return app;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer().once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Runs the docs' start script in `app`; resolves once it listens, without sending it a request. */
async function serve(app) {
  const port = await freePort();
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, docsStart(), {
      cwd: app,
      env: { ...process.env, HOST: "127.0.0.1", PORT: String(port), SENTRY_DSN: cap.dsn, SENTRY_RELEASE: "shop@1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    const stop = () =>
      new Promise((done) => {
        if (p.exitCode !== null || p.signalCode !== null) return done();
        const kill = setTimeout(() => p.kill("SIGKILL"), 10_000);
        p.once("exit", () => (clearTimeout(kill), done()));
        p.kill("SIGTERM");
      });
    const timer = setTimeout(() => (p.kill("SIGKILL"), reject(new Error(`the server did not start: ${out}`))), 30_000);
    const seen = (d) => {
      out += d;
      if (/listening/i.test(out)) {
        clearTimeout(timer);
        resolve({ url: `http://127.0.0.1:${port}`, output: () => out, stop });
      }
    };
    p.stdout.on("data", seen);
    p.stderr.on("data", seen);
    p.on("exit", (code) => (clearTimeout(timer), reject(new Error(`the server exited (${code}): ${out}`))));
  });
}

const valueOf = (e) => e.exception?.values?.at(-1)?.value;

/** The events whose error message is `message`, once `count` of them arrived (or 15 s passed). */
async function eventsOf(message, count = 1) {
  const deadline = Date.now() + 15_000;
  const find = () => cap.events().filter((e) => valueOf(e) === message);
  while (find().length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  // Anything more would have arrived with the rest.
  await new Promise((r) => setTimeout(r, 300));
  return find();
}

/** Reads a response's body to its end, or to where the server cut it short. */
async function bodyOf(res) {
  const decoder = new TextDecoder();
  let text = "";
  try {
    for await (const chunk of res.body) text += decoder.decode(chunk, { stream: true });
    return { text, cut: false };
  } catch {
    return { text, cut: true };
  }
}

before(async () => {
  deps = join(await ensureFixtureDeps("astro", fixture), "node_modules");
  cap = await startCaptureServer();
  work = mkdtempSync(join(tmpdir(), "oxeye-astro-"));
  dir = buildApp();
  server = await serve(dir);
}, { timeout: 300_000 });

after(async () => {
  await server?.stop();
  await cap?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

test("the first request after the start has scopes of its own: its user is not on a later request's event", { timeout: 60_000 }, async () => {
  // The first requests the server gets (Astro loads the middleware and pages during the first).
  assert.equal((await fetch(`${server.url}/item/first`, { headers: { "x-user": "ana" } })).status, 500);
  assert.equal((await fetch(`${server.url}/item/anonymous`)).status, 500);
  const [first] = await eventsOf("item first could not be loaded");
  assert.ok(first, `the first request's error: ${server.output()}`);
  assert.equal(first.user?.id, "ana");
  assert.equal(first.request?.url, `${server.url}/item/first`);
  const [anonymous] = await eventsOf("item anonymous could not be loaded");
  assert.ok(anonymous, "the second request's error");
  assert.equal(anonymous.user, undefined, "no user: the second request set none");
  assert.equal(anonymous.request?.url, `${server.url}/item/anonymous`);
});

test("a page's error is reported once per request, named by its route pattern, with that request's user and URL (4 concurrent requests)", { timeout: 60_000 }, async () => {
  const users = ["ben", "cho", "dee", "eve"];
  const statuses = await Promise.all(users.map((u, i) => fetch(`${server.url}/item/bad-${i}`, { headers: { "x-user": u } }).then((r) => r.status)));
  assert.deepEqual(statuses, [500, 500, 500, 500]);
  for (const [i, u] of users.entries()) {
    const events = await eventsOf(`item bad-${i} could not be loaded`);
    assert.equal(events.length, 1, `one event for /item/bad-${i}: ${server.output()}`);
    const [ev] = events;
    assert.equal(ev.user?.id, u, "the user of its own request");
    assert.equal(ev.transaction, "GET /item/[id]");
    assert.equal(ev.request?.url, `${server.url}/item/bad-${i}`);
    assert.equal(ev.release, "shop@1");
    assert.deepEqual(ev.exception.values.at(-1).mechanism, MECHANISM);
  }
});

test("a component that throws after the page began to stream is reported (the middleware's body wrap), and the page carries its trace", { timeout: 60_000 }, async () => {
  const res = await fetch(`${server.url}/stream`, { headers: { "x-user": "fay" } });
  assert.equal(res.status, 200, "Astro had already sent the status");
  const { text } = await bodyOf(res);
  assert.match(text, /<h1>before<\/h1>/);
  assert.doesNotMatch(text, /<p>after<\/p>/);
  const events = await eventsOf("component failed mid-stream");
  assert.equal(events.length, 1, `one event: ${server.output()}`);
  const [ev] = events;
  assert.equal(ev.user?.id, "fay");
  assert.equal(ev.transaction, "GET /stream");
  assert.equal(ev.request?.url, `${server.url}/stream`);
  assert.deepEqual(ev.exception.values.at(-1).mechanism, MECHANISM);
  const traceId = /<meta name="sentry-trace" content="([0-9a-f]{32})-/.exec(text)?.[1];
  assert.ok(traceId, "the layout rendered the request's trace into <head>");
  assert.equal(ev.contexts?.trace?.trace_id, traceId, "the event is in the page's trace");
});

test("an endpoint's error is reported, named by its route", { timeout: 60_000 }, async () => {
  assert.equal((await fetch(`${server.url}/api/boom`, { headers: { "x-user": "gus" } })).status, 500);
  const events = await eventsOf("endpoint failed");
  assert.equal(events.length, 1, `one event: ${server.output()}`);
  const [ev] = events;
  assert.equal(ev.user?.id, "gus");
  assert.equal(ev.transaction, "GET /api/boom");
  assert.equal(ev.request?.url, `${server.url}/api/boom`);
  assert.deepEqual(ev.exception.values.at(-1).mechanism, MECHANISM);
});

test("an action's error is reported once, by the docs' handler (Astro answers it without the middleware seeing it)", { timeout: 60_000 }, async () => {
  const res = await fetch(`${server.url}/_actions/checkout`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: server.url, "x-user": "hal" },
    body: "{}",
  });
  assert.equal(res.status, 500);
  await res.text();
  const events = await eventsOf("the order could not be placed");
  assert.equal(events.length, 1, `one event: ${server.output()}`);
  const [ev] = events;
  assert.equal(ev.user?.id, "hal");
  assert.deepEqual(ev.exception.values.at(-1).mechanism, { type: "auto.function.astro.action", handled: false });
});

test("the layout: a prerendered page carries no trace, and the browser's wasm core is in dist/client/_astro/", () => {
  const html = readFileSync(join(dir, "dist", "client", "static", "index.html"), "utf8");
  assert.match(html, /prerendered/);
  assert.doesNotMatch(html, /sentry-trace|baggage/);
  assert.ok(readdirSync(join(dir, "dist", "client", "_astro")).some((f) => f.endsWith(".wasm")), "a .wasm in dist/client/_astro/");
});
