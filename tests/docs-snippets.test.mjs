// Every ```ts snippet of docs/node.md and docs/workers.md type-checks against the built
// package, installed as `npm pack` ships it, with the compiler settings users have:
// Workers as create-cloudflare sets them (moduleResolution "Bundler", no customConditions,
// @cloudflare/workers-types), Node with NodeNext. Snippets are checked as written.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
const cache = process.env.OXEYE_CACHE ?? join(homedir(), ".cache", "oxeye");
const typesDir = join(cache, "snippet-types");

function snippets(doc) {
  const text = readFileSync(join(root, "docs", doc), "utf8");
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
}

function ensureWorkersTypes() {
  const p = join(typesDir, "node_modules", "@cloudflare", "workers-types");
  if (existsSync(p)) return p;
  mkdirSync(typesDir, { recursive: true });
  const r = spawnSync("npm", ["install", "--prefix", typesDir, "--no-audit", "--no-fund", "--loglevel=error", "@cloudflare/workers-types@4"], { encoding: "utf8", timeout: 300_000 });
  return r.status === 0 && existsSync(p) ? p : undefined;
}

function project(files, compilerOptions, extraModules = {}) {
  const dir = mkdtempSync(join(tmpdir(), "oxeye-snippets-"));
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const target = join(dir, "node_modules", "oxeye");
  mkdirSync(target, { recursive: true });
  writeFileSync(join(target, "package.json"), JSON.stringify(pkg));
  cpSync(join(root, "dist"), join(target, "dist"), { recursive: true });
  for (const [name, from] of Object.entries(extraModules)) {
    mkdirSync(join(dir, "node_modules", ...name.split("/").slice(0, -1)), { recursive: true });
    symlinkSync(from, join(dir, "node_modules", name));
  }
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, skipLibCheck: true, ...compilerOptions }, include: ["src"] }));
  mkdirSync(join(dir, "src"));
  files.forEach((code, i) => writeFileSync(join(dir, "src", `snippet${i}.ts`), code));
  const r = spawnSync(process.execPath, [tsc, "-p", dir], { encoding: "utf8", timeout: 120_000 });
  rmSync(dir, { recursive: true, force: true });
  return r;
}

test("docs/workers.md: every snippet type-checks under a create-cloudflare tsconfig (Bundler, no customConditions)", (t) => {
  const types = ensureWorkersTypes();
  if (!types) return t.skip("@cloudflare/workers-types could not be installed");
  const files = snippets("workers.md");
  assert.ok(files.length >= 3);
  const r = project(
    files,
    { target: "es2024", module: "es2022", moduleResolution: "Bundler", lib: ["es2024"], types: ["@cloudflare/workers-types"] },
    { "@cloudflare/workers-types": types },
  );
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test("docs/node.md: every snippet type-checks (NodeNext)", () => {
  const files = snippets("node.md");
  assert.ok(files.length >= 3);
  const r = project(
    files,
    { target: "es2022", module: "NodeNext", moduleResolution: "NodeNext", types: ["node"] },
    { "@types/node": join(root, "node_modules", "@types", "node") },
  );
  assert.equal(r.status, 0, r.stdout + r.stderr);
});
