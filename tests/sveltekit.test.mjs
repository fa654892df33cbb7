// SvelteKit with adapter-node, as docs/frameworks.md sets it up: the docs' server hooks
// (`init` at the top of hooks.server.js, `handle` naming events by the route,
// `handleError` reporting what SvelteKit catches) in a real `vite build`, the server run as
// `node build` on 127.0.0.1. A `load` that throws is reported once per request, named by
// its route, with the user that request set (concurrent requests do not share scopes);
// without the docs' `handleError`, SvelteKit renders its error page and nothing arrives.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureFixtureDeps } from "../scripts/lib/fixture-deps.mjs";
import { startCaptureServer } from "./helpers/capture-server.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const fixture = join(root, "tests", "fixtures", "sveltekit-app");
let deps, cap, work;

before(async () => {
  deps = join(await ensureFixtureDeps("sveltekit", fixture), "node_modules");
  cap = await startCaptureServer();
  work = mkdtempSync(join(tmpdir(), "oxeye-sveltekit-"));
});
after(async () => {
  await cap?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The docs' SvelteKit server hooks, as they stand. */
function docsServerHooks() {
  const docs = readFileSync(join(root, "docs", "frameworks.md"), "utf8");
  const hooks = /## SvelteKit[\s\S]*?```js env=node\n([\s\S]*?)```/.exec(docs)?.[1];
  assert.ok(hooks?.includes("handleError"), "docs/frameworks.md has the SvelteKit server hooks");
  return hooks;
}

/** Builds the fixture app with `hooks` as src/hooks.server.js; returns its folder. */
async function buildApp(name, hooks) {
  const dir = join(work, name);
  cpSync(fixture, dir, { recursive: true });
  writeFileSync(join(dir, "src", "hooks.server.js"), hooks);
  // oxeye as the app installs it, a dependency (adapter-node leaves it out of the bundle).
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  pkg.dependencies.oxeye = "0.1.0";
  writeFileSync(join(dir, "package.json"), JSON.stringify(pkg));
  mkdirSync(join(dir, "node_modules", "@sveltejs"), { recursive: true });
  for (const p of ["@sveltejs/kit", "@sveltejs/adapter-node", "@sveltejs/vite-plugin-svelte", "svelte", "vite"]) symlinkSync(join(deps, p), join(dir, "node_modules", p), "dir");
  mkdirSync(join(dir, "node_modules", "oxeye"));
  cpSync(join(root, "package.json"), join(dir, "node_modules", "oxeye", "package.json"));
  cpSync(join(root, "dist"), join(dir, "node_modules", "oxeye", "dist"), { recursive: true });
  // (SvelteKit reads its files from the working directory: the build runs in its own process there.)
  const built = spawnSync(process.execPath, [join(dir, "node_modules", "vite", "bin", "vite.js"), "build", "--logLevel", "error"], { cwd: dir, encoding: "utf8", timeout: 120_000 });
  assert.equal(built.status, 0, `vite build failed:\n${built.stdout}\n${built.stderr}`);
  return dir;
}

/** Runs `node build` in `dir` on a free port; resolves with its URL and a stop function once it listens. */
function serve(dir) {
  return new Promise((resolve, reject) => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const p = spawn(process.execPath, ["build"], { cwd: dir, env: { ...process.env, HOST: "127.0.0.1", PORT: String(port), SENTRY_DSN: cap.dsn, SENTRY_RELEASE: "shop@1" }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const timer = setTimeout(() => (p.kill(), reject(new Error(`the server did not start: ${out}`))), 30_000);
    const seen = (d) => {
      out += d;
      if (/Listening on/.test(out)) {
        clearTimeout(timer);
        resolve({ url: `http://127.0.0.1:${port}`, output: () => out, stop: () => new Promise((r) => (p.once("exit", r), p.kill("SIGTERM"))) });
      }
    };
    p.stdout.on("data", seen);
    p.stderr.on("data", seen);
    p.on("exit", (code) => (clearTimeout(timer), reject(new Error(`the server exited (${code}): ${out}`))));
  });
}

test("SvelteKit (adapter-node, node build): with the docs' hooks a load error is reported once per request, named by its route, with its own request's user", { timeout: 180_000 }, async () => {
  const dir = await buildApp("with-hooks", docsServerHooks());
  const server = await serve(dir);
  try {
    const before = cap.events().length;
    const users = ["ana", "ben", "cho", "dee"];
    const statuses = await Promise.all(users.map((u, i) => fetch(`${server.url}/item/bad-${i}`, { headers: { "x-user": u } }).then((r) => r.status)));
    assert.deepEqual(statuses, [500, 500, 500, 500]);
    assert.equal((await fetch(`${server.url}/item/good`, { headers: { "x-user": "eve" } })).status, 200);
    const deadline = Date.now() + 15_000;
    while (cap.events().length - before < users.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const events = cap.events().slice(before);
    assert.equal(events.length, users.length, `one event per failing request: ${server.output()}`);
    users.forEach((u, i) => {
      const ev = events.find((e) => e.exception?.values?.at(-1)?.value === `item bad-${i} could not be loaded`);
      assert.ok(ev, `the error of /item/bad-${i}`);
      assert.equal(ev.user?.id, u, "the user of its own request");
      assert.equal(ev.transaction, "GET /item/[id]");
      assert.equal(ev.release, "shop@1");
      assert.deepEqual(ev.exception.values.at(-1).mechanism, { type: "auto.function.sveltekit.handle_error", handled: false });
      assert.equal(ev.request?.url, `${server.url}/item/bad-${i}`);
    });
  } finally {
    await server.stop();
  }
});

test("SvelteKit without handleError: SvelteKit renders its error page and nothing reaches oxeye (what docs/frameworks.md warns of)", { timeout: 180_000 }, async () => {
  const hooks = docsServerHooks().replace(/\/\*\* @type \{import\("@sveltejs\/kit"\)\.HandleServerError\} \*\/[\s\S]*$/, "");
  assert.ok(!hooks.includes("handleError"));
  const dir = await buildApp("init-only", hooks);
  const server = await serve(dir);
  try {
    const before = cap.events().length;
    assert.equal((await fetch(`${server.url}/item/bad-x`)).status, 500);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(cap.events().length - before, 0);
  } finally {
    await server.stop();
  }
});
