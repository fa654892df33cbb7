// A Worker importing `oxeye/cloudflare`, bundled the way users deploy it:
// `wrangler deploy --dry-run --outdir` (no login, no network), without nodejs_compat.
// The bundle is then run in workerd (miniflare) and reports to a local capture server.
// Wrangler needs Node >= 22.12: Node 22 and wrangler are installed from npm into the
// cache (~/.cache/oxeye) for this test only; the test is skipped, saying why, only when
// that install fails.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { startCaptureServer } from "./helpers/capture-server.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
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

const node22 = ensure("node22", "node@22", ["node", "bin", "node"]);
const wrangler = ensure("wrangler", "wrangler@4", ["wrangler", "bin", "wrangler.js"]);
const missing = [node22, wrangler].find((p) => typeof p !== "string")?.error;

test("wrangler bundles a Worker using oxeye/cloudflare without nodejs_compat, and the bundle reports from workerd", { skip: missing }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "oxeye-wrangler-"));
  const cap = await startCaptureServer();
  let mf;
  try {
    // The app, as create-cloudflare lays it out, with oxeye installed as `npm pack` ships it.
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    const target = join(dir, "node_modules", "oxeye");
    mkdirSync(target, { recursive: true });
    writeFileSync(join(target, "package.json"), JSON.stringify(pkg));
    cpSync(join(root, "dist"), join(target, "dist"), { recursive: true });
    mkdirSync(join(dir, "src"));
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "shop-worker", private: true, type: "module" }));
    writeFileSync(join(dir, "wrangler.jsonc"), JSON.stringify({ name: "shop-worker", main: "src/index.ts", compatibility_date: "2025-01-01" }));
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
    const home = join(dir, ".home");
    mkdirSync(home);
    const r = spawnSync(node22, [wrangler, "deploy", "--dry-run", "--outdir", "out"], {
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
    assert.equal(r.status, 0, `wrangler failed:\n${r.stdout}\n${r.stderr}`);
    const out = readdirSync(join(dir, "out"));
    assert.ok(out.includes("index.js"), out.join(" "));
    assert.ok(out.some((f) => f.endsWith(".wasm")), `the wasm core is a module of its own: ${out.join(" ")}`);
    const bundle = readFileSync(join(dir, "out", "index.js"), "utf8");
    assert.doesNotMatch(bundle, /from\s*["']node:/, "no Node built-ins: no nodejs_compat needed");

    mf = new Miniflare({
      modules: true,
      scriptPath: join(dir, "out", "index.js"),
      modulesRoot: join(dir, "out"),
      modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
      bindings: { SENTRY_DSN: cap.dsn },
      compatibilityDate: "2025-01-01",
      cf: false,
    });
    const res = await mf.dispatchFetch("http://shop.test/checkout", { headers: { "x-request-id": "req-bundled" } });
    assert.equal(res.status, 500);
    await res.text();
    const until = Date.now() + 10_000;
    while (!cap.events().length && Date.now() < until) await new Promise((ok) => setTimeout(ok, 20));
    const [ev] = cap.events();
    assert.ok(ev, "the bundled worker delivered its event");
    assert.equal(ev.exception.values[0].value, "bundled worker failed");
    assert.equal(ev.tags.bundled, "yes");
    assert.equal(ev.tags.request_id, "req-bundled");
    assert.equal(ev.release, "bundled@1");
  } finally {
    await mf?.dispose();
    await cap.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
