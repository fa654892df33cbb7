/**
 * esbuild with the same flags for every SDK: `--bundle --minify --format=esm
 * --splitting`, browser platform, `__SENTRY_DEBUG__` defined false (Sentry's documented
 * tree-shaking flag; a no-op for the others). Splitting lets a module loaded with
 * `import()` become its own chunk, as in any app bundler, so it is off the critical path.
 * Workers bundles also use the `workerd, worker, browser` conditions and leave `.wasm` and
 * `node:`/`cloudflare:` imports to the runtime (and are not split: a Worker is one
 * module graph uploaded together).
 */
import * as esbuild from "esbuild";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const benchDir = fileURLToPath(new URL("..", import.meta.url));

const VIRTUAL = "oxeye-bench-virtual";

/** The repository root: the oxeye package every bench bundle imports, with its built dist/. */
export const packageRoot = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Resolves `oxeye` and `oxeye/<subpath>` through the package's own `exports` map, with the
 * bundle's conditions in esbuild's order (the first key of a condition object that is
 * active wins), to the repository's files: the same files an app's install resolves, with
 * no install of the package into bench/ needed (the size budget test bundles in a fresh
 * clone).
 */
function oxeyePackage(conditions) {
  const { exports } = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8"));
  const active = new Set([...conditions, "import", "default", "module"]);
  return {
    name: "oxeye-package",
    setup(b) {
      b.onResolve({ filter: /^oxeye(\/.*)?$/ }, (a) => {
        let target = exports[a.path === "oxeye" ? "." : `.${a.path.slice("oxeye".length)}`];
        while (target && typeof target === "object") target = target[Object.keys(target).find((k) => active.has(k))];
        if (typeof target !== "string") return { errors: [{ text: `oxeye's package.json exports nothing for ${a.path} under ${[...active].join(", ")}` }] };
        return { path: join(packageRoot, target) };
      });
    },
  };
}

/** Serves a bundle's entry source from memory (resolved from the bench folder). */
function virtualEntry(virtual) {
  return {
    name: "virtual-entry",
    setup(b) {
      b.onResolve({ filter: new RegExp(`^${VIRTUAL}:`) }, (a) => ({ path: a.path.slice(VIRTUAL.length + 1), namespace: VIRTUAL }));
      b.onLoad({ filter: /.*/, namespace: VIRTUAL }, () => ({ contents: virtual.contents, resolveDir: benchDir, loader: "js" }));
    },
  };
}

/**
 * Bundles `entry`: a file path, or `{ contents, name }` of source resolved from the bench
 * folder. With `outdir` the chunks are written there (the entry as `<name>.js`);
 * otherwise they are returned. Returns `{ chunks: [{ path, bytes, critical }], inputs, entry, metafile }`
 * where `critical` marks the entry chunk and what it imports statically.
 */
export async function bundle(entry, { kind = "browser", outdir, banner, minify = true, split = kind !== "workers" } = {}) {
  const virtual = typeof entry === "string" ? null : entry;
  const opts = {
    entryPoints: virtual ? { [virtual.name.replace(/\.[a-z]+$/, "")]: `${VIRTUAL}:${virtual.name}` } : [entry],
    bundle: true,
    minify,
    format: "esm",
    platform: "browser",
    splitting: split,
    define: { __SENTRY_DEBUG__: "false" },
    logLevel: "silent",
    metafile: true,
    absWorkingDir: benchDir,
    tsconfig: join(benchDir, "tsconfig.json"),
    write: !!outdir,
    outdir: outdir ?? join(benchDir, ".out"),
    chunkNames: "chunk-[hash]",
    banner: banner ? { js: banner } : undefined,
    loader: { ".jsx": "jsx" },
    jsx: "automatic",
    plugins: [oxeyePackage(kind === "workers" ? ["workerd", "worker", "browser"] : ["browser"]), ...(virtual ? [virtualEntry(virtual)] : [])],
  };
  if (kind === "workers") {
    opts.conditions = ["workerd", "worker", "browser"];
    opts.external = ["*.wasm", "node:*", "cloudflare:*"];
  } else if (kind === "react") {
    opts.external = ["react", "react-dom", "react/*", "react-dom/*"];
  }
  const r = await esbuild.build(opts);
  const outputs = r.metafile.outputs;
  const entryOut = Object.keys(outputs).find((k) => outputs[k].entryPoint && k.endsWith(".js"));
  const critical = new Set();
  const walk = (k) => {
    if (critical.has(k)) return;
    critical.add(k);
    for (const i of outputs[k].imports) if (i.kind === "import-statement" && outputs[i.path]) walk(i.path);
  };
  walk(entryOut);
  const contents = new Map((r.outputFiles ?? []).map((f) => [f.path, f.contents]));
  const chunks = Object.keys(outputs)
    .filter((k) => k.endsWith(".js"))
    .map((k) => ({ path: join(benchDir, k), bytes: contents.get(join(benchDir, k)) ?? null, size: outputs[k].bytes, critical: critical.has(k) }));
  return { chunks, inputs: Object.keys(r.metafile.inputs), entry: join(benchDir, entryOut), metafile: r.metafile };
}
