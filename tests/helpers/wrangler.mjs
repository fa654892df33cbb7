/**
 * Test helper: wrangler as the tests run it. Wrangler needs Node >= 22.12: Node 22 and
 * wrangler are installed from npm into the cache (~/.cache/oxeye) for these tests only;
 * `missing` says why when that install failed (the tests are skipped, saying so). An app
 * as create-cloudflare lays it out, with oxeye as `npm pack` ships it; `wrangler` run with
 * no login, no metrics and no network; `wrangler dev` (or `wrangler pages dev`) on a free
 * port of 127.0.0.1, stopped when the test is done; the TypeScript blocks of docs/workers.md.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../..", import.meta.url));
const cache = process.env.OXEYE_CACHE ?? join(homedir(), ".cache", "oxeye");

function ensure(dir, spec, bin) {
  const path = join(cache, dir, "node_modules", ...bin);
  if (existsSync(path)) return path;
  mkdirSync(join(cache, dir), { recursive: true });
  const r = spawnSync("npm", ["install", "--prefix", join(cache, dir), "--no-audit", "--no-fund", "--loglevel=error", spec], {
    encoding: "utf8",
    timeout: 300_000,
  });
  return r.status === 0 && existsSync(path) ? path : { error: `npm install ${spec} failed: ${(r.stderr || String(r.error)).slice(-500)}` };
}

export const node22 = ensure("node22", "node@22", ["node", "bin", "node"]);
// The wrangler create-cloudflare 2.74 installs; a cache dir per version, so a bump installs it.
const WRANGLER = "4.164.0";
export const wrangler = ensure(`wrangler-${WRANGLER}`, `wrangler@${WRANGLER}`, ["wrangler", "bin", "wrangler.js"]);
export const missing = [node22, wrangler].find((p) => typeof p !== "string")?.error;

/** The app, as create-cloudflare lays it out, with oxeye installed as `npm pack` ships it. */
export function makeApp() {
  const dir = mkdtempSync(join(tmpdir(), "oxeye-wrangler-"));
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const target = join(dir, "node_modules", "oxeye");
  mkdirSync(target, { recursive: true });
  writeFileSync(join(target, "package.json"), JSON.stringify(pkg));
  cpSync(join(root, "dist"), join(target, "dist"), { recursive: true });
  mkdirSync(join(dir, "src"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "shop-worker", private: true, type: "module" }));
  // create-cloudflare 2.74's hello-world wrangler.jsonc, with the app's own name.
  writeFileSync(
    join(dir, "wrangler.jsonc"),
    JSON.stringify({ name: "shop-worker", main: "src/index.ts", compatibility_date: "2026-10-06", observability: { enabled: true }, upload_source_maps: true }),
  );
  writeFileSync(
    join(dir, "src", "index.ts"),
    `import { withOxeye } from "oxeye/cloudflare";
interface Env { SENTRY_DSN: string }
export default withOxeye((env: Env) => ({ dsn: env.SENTRY_DSN, release: "bundled@1" }), {
  async fetch(request, env, ctx) {
    ctx.oxeye.setTag("bundled", "yes");
    throw new TypeError("bundled worker failed");
  },
});
`,
  );
  mkdirSync(join(dir, ".home"));
  return dir;
}

/** Runs `wrangler <args>` in `dir` with no login, no metrics and no network. */
export function runWrangler(dir, args) {
  const home = join(dir, ".home");
  const r = spawnSync(node22, [wrangler, ...args], {
    cwd: dir,
    encoding: "utf8",
    timeout: 180_000,
    env: {
      PATH: process.env.PATH,
      HOME: home,
      XDG_CONFIG_HOME: join(home, ".config"),
      WRANGLER_SEND_METRICS: "false",
      CI: "1",
      NO_UPDATE_NOTIFIER: "1",
    },
  });
  assert.equal(r.status, 0, `wrangler ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout + r.stderr;
}

/** The TypeScript blocks under `heading` in docs/workers.md (up to the next heading of its level). */
export function docsBlocks(heading) {
  const text = readFileSync(join(root, "docs", "workers.md"), "utf8");
  const at = text.indexOf(`\n## ${heading}\n`);
  assert.ok(at >= 0, `docs/workers.md has "## ${heading}"`);
  const section = text.slice(at + 1).split(/\n## /)[0];
  return [...section.matchAll(/```ts\n([\s\S]*?)\n```/g)].map((m) => m[1]);
}

/** The first TypeScript block under `heading` in docs/workers.md. */
export function docsExample(heading) {
  const [block] = docsBlocks(heading);
  assert.ok(block, `a ts block under "## ${heading}"`);
  return block;
}

/** A free port on 127.0.0.1. */
export function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
    srv.on("error", fail);
  });
}

/**
 * Runs `wrangler dev` in `dir` (its DSN that of `cap`, on a free port) until `run(get, log)`
 * is done: `get(path)` answers the body of a GET, once wrangler answers `/ready` at all;
 * `command`: `["pages", "dev", …]` for a Pages project; `vars`: more of `.dev.vars`.
 */
export async function wranglerDev(dir, cap, run, command = ["dev"], vars = {}) {
  const port = await freePort();
  writeFileSync(join(dir, ".dev.vars"), Object.entries({ SENTRY_DSN: cap.dsn, ...vars }).map(([k, v]) => `${k}=${v}\n`).join(""));
  const home = join(dir, ".home");
  const child = spawn(node22, [wrangler, ...command, "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(await freePort())], {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, ".config"), WRANGLER_SEND_METRICS: "false", CI: "1", NO_UPDATE_NOTIFIER: "1" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  const get = async (path) => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`);
    const text = await res.text();
    assert.equal(res.status, 200, `GET ${path}: ${text}\n${log}`);
    return text;
  };
  try {
    const until = Date.now() + 60_000;
    for (;;) {
      if (Date.now() > until) throw new Error(`wrangler dev did not answer:\n${log}`);
      try {
        await fetch(`http://127.0.0.1:${port}/ready`).then((r) => r.arrayBuffer());
        break;
      } catch {
        await new Promise((ok) => setTimeout(ok, 250));
      }
    }
    await run(get, () => log, port);
  } finally {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      /* gone */
    }
    await new Promise((ok) => (child.exitCode !== null ? ok() : child.once("exit", ok)));
    await cap.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
