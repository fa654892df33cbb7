/**
 * Every code snippet in README.md, CONTRIBUTING.md and docs/*.md compiles, with the
 * settings of the environment it is written for, against the package as built in dist/
 * (resolved through its exports map, as an app resolves it):
 *
 * - browser and React snippets: the `tsconfig.app.json` of create-vite 9.3's `react-ts`
 *   template, compiled with the TypeScript it installs (7.0: strict by default,
 *   `noUnusedLocals`, `noUnusedParameters`, `verbatimModuleSyntax`, `erasableSyntaxOnly`,
 *   `moduleResolution: "bundler"`, DOM lib, `jsx: "react-jsx"`, no Node types);
 * - Workers snippets (under a heading naming Workers, or fenced with `env=workers`): the
 *   tsconfig of create-cloudflare 2.74's `hello-world` TypeScript template
 *   (`moduleResolution: "Bundler"`, no DOM lib, no `customConditions`, Workers and Node
 *   types; `@cloudflare/workers-types` stands in for the `worker-configuration.d.ts` that
 *   `wrangler types` generates there);
 * - Next.js snippets (under a heading naming Next, or `env=next`): create-next-app 16.4's
 *   tsconfig (strict, `jsx: "react-jsx"`, `moduleResolution: "bundler"`, `allowJs`), with
 *   `next` from the Next fixture's dependencies (tests/fixtures/next-app) for its types;
 * - Node snippets (docs/node.md, or `env=node`): `module`/`moduleResolution` `NodeNext` in
 *   a `"type": "module"` package, as a Node app compiled with tsc has them, with Koa's
 *   types (`@types/koa`, `@koa/router`);
 * - NestJS snippets (`env=nest`): the compiler options `nest new` 11 writes
 *   (@nestjs/schematics 11.1: `module`/`moduleResolution` `nodenext`,
 *   `experimentalDecorators`, `emitDecoratorMetadata`, `strictNullChecks`, `noImplicitAny`
 *   off), against Nest's own packages (in a `"type": "module"` folder like the others,
 *   where `nest new`'s package is CommonJS: the types checked are the same);
 * - Angular snippets (`env=angular`): the compiler options `ng new` 21.2 writes (strict,
 *   `experimentalDecorators`, `module: "preserve"`), against Angular's own packages;
 * - Astro snippets (`env=astro`): a tsconfig that extends Astro 5.18's own
 *   `astro/tsconfigs/strict` (create-astro's default) with `types: ["astro/client"]` (what
 *   the `.astro/types.d.ts` Astro generates references), so that its virtual modules
 *   (`astro:middleware`, `astro:actions`) resolve to Astro's declarations.
 *
 * JavaScript snippets are compiled as TypeScript with `noImplicitAny` off (types are
 * what an editor infers, nothing more). A snippet that uses names it does not define
 * declares them in an HTML comment right above its fence: `<!-- prelude: declare const err: Error; -->`.
 * Shell, HTML, Python and JSON blocks are not compiled.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { C3_COMPILER_OPTIONS } from "./helpers/c3-tsconfig.mjs";
import { ensureNextDeps } from "../scripts/lib/next-app.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
/** Workers types, Hono (docs/workers.md), React Router (docs/react.md), Vue and Astro (docs/frameworks.md), NestJS and Koa (docs/node.md) and the TypeScript of create-vite's templates, installed once into the cache (pinned), not into the package. */
const TYPE_PACKAGES = ["@angular/common@21.2.26", "@angular/core@21.2.26", "@angular/platform-browser@21.2.26", "@angular/router@21.2.26", "@cloudflare/workers-types@4.20260702.1", "@koa/router@15.7.0", "@nestjs/common@11.2.10", "@nestjs/core@11.2.10", "@types/koa@3.0.3", "@types/react-dom@19.2.3", "astro@5.18.2", "hono@4.13.19", "react-router@8.5.3", "typescript@7.0.2", "vue@3.5.44"];
const typesCache = join(process.env.OXEYE_CACHE || join(homedir(), ".cache", "oxeye"), "snippet-types");

/** Type packages the templates have and oxeye does not depend on, installed once. */
function typePackages() {
  const stamp = join(typesCache, "installed.txt");
  if (!existsSync(stamp) || readFileSync(stamp, "utf8") !== TYPE_PACKAGES.join("\n")) {
    mkdirSync(typesCache, { recursive: true });
    execFileSync("npm", ["install", "--prefix", typesCache, "--no-audit", "--no-fund", "--loglevel=error", ...TYPE_PACKAGES], { stdio: "pipe" });
    writeFileSync(stamp, TYPE_PACKAGES.join("\n"));
  }
  return join(typesCache, "node_modules");
}
const LANGS = { js: "ts", ts: "ts", jsx: "tsx", tsx: "tsx", mjs: "ts" };

/** The snippets of one Markdown file: `{ file, line, lang, env, code }`. */
export function snippetsOf(file) {
  const text = readFileSync(join(root, file), "utf8");
  const lines = text.split("\n");
  const out = [];
  let heading = "";
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const h = /^#{1,6}\s+(.*)/.exec(l);
    if (h) heading = h[1];
    const fence = /^```(\w+)?(.*)$/.exec(l);
    if (!fence) continue;
    let end = i + 1;
    while (end < lines.length && !lines[end].startsWith("```")) end++;
    const lang = fence[1] ?? "";
    const attrs = fence[2] ?? "";
    const prelude = /^<!--\s*prelude:(.*?)-->\s*$/s.exec(lines[i - 1] ?? "")?.[1]?.trim() ?? "";
    if (LANGS[lang]) {
      const envAttr = /env=(\w+)/.exec(attrs)?.[1];
      const env =
        envAttr ??
        (/workers/i.test(heading) || /workers/i.test(file) ? "workers" : /next/i.test(heading) || /nextjs/i.test(file) ? "next" : /node\.md$/.test(file) || /^node\b/i.test(heading) ? "node" : "browser");
      out.push({ file, line: i + 1, lang, env, js: lang === "js" || lang === "jsx" || lang === "mjs", prelude, code: lines.slice(i + 1, end).join("\n") });
    }
    i = end;
  }
  return out;
}

const BASE = {
  target: "ES2022",
  module: "ESNext",
  moduleResolution: "bundler",
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  isolatedModules: true,
  moduleDetection: "force",
  allowImportingTsExtensions: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noFallthroughCasesInSwitch: true,
};
/** The scaffolds' own settings (`noEmit` everywhere; `strict` stated where TypeScript 7 has it by default). */
const ENVS = {
  // create-vite 9.3, react-ts, tsconfig.app.json (its `types: ["vite/client"]` left out: the snippets use no Vite API).
  browser: {
    target: "es2023",
    lib: ["ES2023", "DOM"],
    module: "esnext",
    types: [],
    allowArbitraryExtensions: true,
    skipLibCheck: true,
    moduleResolution: "bundler",
    allowImportingTsExtensions: true,
    verbatimModuleSyntax: true,
    moduleDetection: "force",
    noEmit: true,
    jsx: "react-jsx",
    strict: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    erasableSyntaxOnly: true,
    noFallthroughCasesInSwitch: true,
  },
  // create-cloudflare 2.74, hello-world, TypeScript.
  workers: { ...C3_COMPILER_OPTIONS },
  // create-next-app 16.4 (its `paths` and Next's TypeScript plugin left out).
  next: {
    target: "ES2017",
    lib: ["dom", "dom.iterable", "esnext"],
    allowJs: true,
    skipLibCheck: true,
    strict: true,
    noEmit: true,
    esModuleInterop: true,
    module: "esnext",
    moduleResolution: "bundler",
    resolveJsonModule: true,
    isolatedModules: true,
    jsx: "react-jsx",
  },
  // A Node project without the DOM library, checking every declaration it imports
  // (`skipLibCheck: false`): oxeye's types must not need the DOM's.
  // Koa's types resolve from the type packages' folder (`paths`: the files the packages name
  // for an ES module), as from an app's node_modules.
  node: {
    ...BASE,
    module: "NodeNext",
    moduleResolution: "NodeNext",
    lib: ["ES2022"],
    types: ["node"],
    allowImportingTsExtensions: false,
    skipLibCheck: false,
    paths: { koa: [join(typesCache, "node_modules/@types/koa/index.d.ts")], "@koa/router": [join(typesCache, "node_modules/@koa/router/dist/index.d.mts")] },
  },
  // `nest new` 11 (@nestjs/schematics 11.1, tsconfig.json, without `--strict`); Nest's
  // packages resolve from the type packages' folder (`paths`: their entry declarations).
  nest: {
    module: "nodenext",
    moduleResolution: "nodenext",
    resolvePackageJsonExports: true,
    esModuleInterop: true,
    isolatedModules: true,
    removeComments: true,
    emitDecoratorMetadata: true,
    experimentalDecorators: true,
    allowSyntheticDefaultImports: true,
    target: "ES2023",
    skipLibCheck: true,
    strictNullChecks: true,
    forceConsistentCasingInFileNames: true,
    noImplicitAny: false,
    strictBindCallApply: false,
    noFallthroughCasesInSwitch: false,
    types: ["node"],
    noEmit: true,
    paths: { "@nestjs/*": [join(typesCache, "node_modules/@nestjs/*/index.d.ts")] },
  },
  // Astro 5.18: its own strict tsconfig (EXTENDS below), and the types of its virtual modules.
  astro: { types: ["astro/client"] },
  // `ng new` 21.2 (tsconfig.json with tsconfig.app.json's `types: []`): strict, decorators.
  angular: {
    strict: true,
    noImplicitOverride: true,
    noPropertyAccessFromIndexSignature: true,
    noImplicitReturns: true,
    noFallthroughCasesInSwitch: true,
    skipLibCheck: true,
    isolatedModules: true,
    experimentalDecorators: true,
    target: "ES2022",
    module: "preserve",
    moduleResolution: "bundler",
    lib: ["ES2022", "DOM"],
    types: [],
    noEmit: true,
  },
};
/** Environments whose settings come from a tsconfig of the framework's own package. */
const EXTENDS = { astro: "astro/tsconfigs/strict" };
/** The TypeScript each environment's scaffold installs: create-vite 9.3 has 7.0; the others 5.x, as this package. */
const tscFor = (env, types) => (env === "browser" ? join(types, "typescript", "bin", "tsc") : join(root, "node_modules/typescript/bin/tsc"));

function docFiles() {
  const files = ["README.md", "CONTRIBUTING.md"];
  if (existsSync(join(root, "docs"))) for (const f of readdirSync(join(root, "docs")).sort()) if (f.endsWith(".md")) files.push(`docs/${f}`);
  return files;
}

test("every code snippet in the README and docs compiles for its environment", { timeout: 600_000 }, async () => {
  assert.ok(existsSync(join(root, "dist/entrypoints/browser.d.ts")), "dist/ is missing: run npm run build");
  const snippets = docFiles().flatMap(snippetsOf);
  assert.ok(snippets.length >= 10, `expected the docs to hold snippets, found ${snippets.length}`);
  const work = join(root, ".cache", "snippets");
  rmSync(work, { recursive: true, force: true });
  mkdirSync(join(work, "node_modules"), { recursive: true });
  // The package resolves through its own exports map, as in an app.
  symlinkSync(root, join(work, "node_modules", "oxeye"), "dir");
  const types = typePackages();
  mkdirSync(join(work, "node_modules", "@types"), { recursive: true });
  symlinkSync(join(types, "@types", "react-dom"), join(work, "node_modules", "@types", "react-dom"), "dir");
  symlinkSync(join(types, "@angular"), join(work, "node_modules", "@angular"), "dir");
  symlinkSync(join(types, "rxjs"), join(work, "node_modules", "rxjs"), "dir");
  symlinkSync(join(types, "astro"), join(work, "node_modules", "astro"), "dir");
  symlinkSync(join(types, "hono"), join(work, "node_modules", "hono"), "dir");
  symlinkSync(join(types, "react-router"), join(work, "node_modules", "react-router"), "dir");
  symlinkSync(join(types, "vue"), join(work, "node_modules", "vue"), "dir");
  symlinkSync(join(await ensureNextDeps(), "node_modules", "next"), join(work, "node_modules", "next"), "dir");
  const failures = [];
  const groups = {};
  for (const [i, s] of snippets.entries()) {
    const key = `${s.env}-${s.js ? "js" : "ts"}`;
    const dir = join(work, key);
    mkdirSync(dir, { recursive: true });
    const name = `${s.file.replace(/[^a-z0-9]+/gi, "_")}_L${s.line}.${LANGS[s.lang]}`;
    writeFileSync(join(dir, name), `${s.prelude ? `${s.prelude}\n` : ""}${s.code}\nexport {};\n`);
    (groups[key] ??= []).push({ name, s, i });
  }
  for (const [key, list] of Object.entries(groups)) {
    const [env, kind] = key.split("-");
    const compilerOptions = { ...ENVS[env], ...(kind === "js" ? { noImplicitAny: false } : {}) };
    if (env === "workers") compilerOptions.types = [join(types, "@cloudflare", "workers-types"), "node"];
    const dir = join(work, key);
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ ...(EXTENDS[env] ? { extends: EXTENDS[env] } : {}), compilerOptions, include: ["*.ts", "*.tsx"] }, null, 1));
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `snippets-${key}`, private: true, type: "module" }));
    try {
      execFileSync(process.execPath, [tscFor(env, types), "-p", dir], { encoding: "utf8", stdio: "pipe" });
    } catch (e) {
      const out = String(e.stdout ?? "") + String(e.stderr ?? "");
      for (const line of out.split("\n").filter((l) => /error TS/.test(l))) {
        const file = /^([^(]+)\(/.exec(line)?.[1];
        const hit = list.find((x) => file?.endsWith(x.name));
        failures.push(hit ? `${hit.s.file}:${hit.s.line} (${env}): ${line.slice(line.indexOf("error"))}` : line);
      }
      if (!failures.length) failures.push(out.slice(0, 2000));
    }
  }
  console.log(`snippets compiled: ${snippets.length} (${Object.entries(groups).map(([k, v]) => `${k} ${v.length}`).join(", ")})`);
  assert.deepEqual(failures, [], `snippets that do not compile:\n${failures.join("\n")}`);
});
