// The package as users get it: `npm pack` output holds every entry, its types and the
// wasm; installed into a fresh project, `import "oxeye"` resolves through the exports map
// to the Node entry and captures an event, with no runtime dependencies; `oxeye/cloudflare`
// loads in Node too (a framework's build step), and reports nothing there.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

test("npm pack contains every entry, its types and the wasm; the installed package works in Node", () => {
  const dir = mkdtempSync(join(tmpdir(), "oxeye-pack-"));
  try {
    const out = execFileSync("npm", ["pack", "--json", "--pack-destination", dir], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    const [info] = JSON.parse(out);
    const files = info.files.map((f) => f.path);
    for (const f of ["package.json", "dist/entrypoints/browser.js", "dist/entrypoints/browser.d.ts", "dist/entrypoints/node.js", "dist/entrypoints/node.d.ts", "dist/entrypoints/workerd.js", "dist/entrypoints/workerd.d.ts", "dist/core/core.js", "dist/core/core.d.ts", "dist/core/wasm/oxeye_bg.wasm", "dist/core/wasm/oxeye_rules_bg.wasm", "dist/core/wasm/oxeye_server_bg.wasm"]) {
      assert.ok(files.includes(f), `${f} is in the package (${files.length} files)`);
    }
    // Every path the exports map names ships in the package.
    const targets = [];
    const collect = (v) => (typeof v === "string" ? targets.push(v.replace(/^\.\//, "")) : v && typeof v === "object" && Object.values(v).forEach(collect));
    collect(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).exports);
    for (const t of targets) assert.ok(t === "package.json" || files.includes(t), `exports names ${t}, which is not in the package`);
    // Server-only code is not reachable from the browser entry's static graph.
    assert.ok(!readFileSync(join(root, "dist/entrypoints/browser.js"), "utf8").includes("tunnel"), "the browser entry does not import the tunnel");
    assert.ok(!files.some((f) => f.startsWith("src/") || f.startsWith("tests/")), "sources and tests stay out");
    const app = join(dir, "app");
    const pkgDir = join(app, "node_modules", "oxeye");
    mkdirSync(pkgDir, { recursive: true });
    execFileSync("tar", ["-xzf", join(dir, info.filename), "-C", pkgDir, "--strip-components=1"]);
    // The browsers' loader carries the integrity of the two wasm files it may fetch.
    const loader = readFileSync(join(pkgDir, "dist", "core", "load-web.js"), "utf8");
    for (const f of ["oxeye_bg.wasm", "oxeye_rules_bg.wasm"]) {
      const sri = `sha256-${createHash("sha256").update(readFileSync(join(pkgDir, "dist", "core", "wasm", f))).digest("base64")}`;
      assert.ok(loader.includes(JSON.stringify(sri)), `the loader checks ${f} against ${sri}`);
    }
    const manifest = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
    assert.equal(manifest.dependencies, undefined, "no runtime dependencies");
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", type: "module" }));
    writeFileSync(
      join(app, "main.js"),
      `import * as oxeye from "oxeye";
       const sent = [];
       oxeye.init({ dsn: "http://k@127.0.0.1:9/1", transport: async (r) => (sent.push(r), { status: 200, headers: {} }) });
       const id = oxeye.captureException(new Error("from the packed package"));
       await oxeye.flush(2000);
       const text = new TextDecoder().decode(sent[0].body);
       console.log(JSON.stringify({ id, sdk: text.includes('"oxeye.javascript.node"'), found: text.includes(id) }));`,
    );
    const result = JSON.parse(execFileSync(process.execPath, ["main.js"], { cwd: app, encoding: "utf8" }));
    assert.match(result.id, /^[0-9a-f]{32}$/);
    assert.equal(result.sdk, true, "the exports map picked the Node entry");
    assert.equal(result.found, true);
    // `oxeye/cloudflare` loaded by Node (a framework's build step that imports a Worker's
    // modules, prerendering, a unit test): it loads, wraps nothing, reports nothing, says so once.
    writeFileSync(
      join(app, "worker.js"),
      `import { withOxeye, oxeyeOf, createClient, getTraceMetaTags, continueTrace } from "oxeye/cloudflare";
       const handler = { async fetch(request, env, ctx) { return new Response(String(oxeyeOf(ctx))); } };
       const wrapped = withOxeye(() => ({ dsn: "http://k@127.0.0.1:9/1" }), handler);
       const res = await wrapped.fetch(new Request("http://app.test/"), {}, {});
       console.log(JSON.stringify({ same: wrapped === handler, body: await res.text(), off: createClient({ dsn: "http://k@127.0.0.1:9/1" }).disabledReason, tags: getTraceMetaTags(), ran: continueTrace({}, (scope) => (scope.setTag("a", "b"), "ran")) }));`,
    );
    const run = spawnSync(process.execPath, ["worker.js"], { cwd: app, encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { same: true, body: "undefined", off: "oxeye is disabled: `enabled` is false", tags: "", ran: "ran" });
    assert.equal(run.stderr.match(/oxeye\/cloudflare was loaded by Node/g)?.length, 1, run.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("every file and folder of the package that the README and docs name by path ships in it", () => {
  const out = execFileSync("npm", ["pack", "--dry-run", "--json"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  const files = new Set(JSON.parse(out)[0].files.map((f) => f.path));
  const docs = ["README.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
  const named = docs.flatMap((doc) => [...readFileSync(join(root, doc), "utf8").matchAll(/node_modules\/oxeye\/([\w./-]*\w)/g)].map((m) => ({ doc, path: m[1] })));
  assert.ok(named.length > 0, "the README names the browser entry for an import map");
  // (A folder named is one that holds shipped files.)
  for (const { doc, path } of named) assert.ok(files.has(path) || [...files].some((f) => f.startsWith(`${path}/`)), `${doc} names node_modules/oxeye/${path}, which is not in the package`);
});

test("no comment in the package's JavaScript holds a pure annotation, which Rollup and Vite warn about in every app's build", () => {
  const files = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith(".js")) files.push(p);
    }
  };
  walk(join(root, "dist"));
  assert.ok(files.length > 20);
  const annotation = /[@#]__(PURE|NO_SIDE_EFFECTS)__/;
  const inComments = [];
  for (const f of files) {
    // What a line comment or a block comment's line holds; annotations in code are `/* @__PURE__ */ call()`.
    for (const [i, line] of readFileSync(f, "utf8").split("\n").entries()) {
      const t = line.trim();
      if ((t.startsWith("//") || t.startsWith("*")) && annotation.test(t)) inComments.push(`${f.slice(root.length)}:${i + 1}`);
    }
  }
  assert.deepEqual(inComments, []);
});
