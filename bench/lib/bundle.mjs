/**
 * esbuild with the same flags for every SDK: `--bundle --minify --format=esm`, browser
 * platform, `__SENTRY_DEBUG__` defined false (Sentry's documented tree-shaking flag; a
 * no-op for the others). Workers bundles also use the `workerd, worker, browser`
 * conditions and leave `.wasm` and `node:`/`cloudflare:` imports to the runtime.
 */
import * as esbuild from "esbuild";
import { fileURLToPath } from "node:url";

export const benchDir = fileURLToPath(new URL("..", import.meta.url));

export const FLAGS = {
  common: "--bundle --minify --format=esm --platform=browser --define:__SENTRY_DEBUG__=false",
  workers: "--conditions=workerd,worker,browser --external:*.wasm --external:node:* --external:cloudflare:*",
  react: "--external:react --external:react-dom",
};

/**
 * Bundles `entry` (a file, or `{ contents, name }` of in-memory source resolved from the
 * bench folder). Returns `{ code: Uint8Array, inputs: string[] }`, or writes `outfile`.
 */
export async function bundle(entry, { kind = "browser", outfile, banner, minify = true } = {}) {
  const opts = {
    bundle: true,
    minify,
    format: "esm",
    platform: "browser",
    define: { __SENTRY_DEBUG__: "false" },
    logLevel: "silent",
    metafile: true,
    absWorkingDir: benchDir,
    write: !!outfile,
    outfile,
    banner: banner ? { js: banner } : undefined,
    loader: { ".jsx": "jsx" },
    jsx: "automatic",
  };
  if (kind === "workers") {
    opts.conditions = ["workerd", "worker", "browser"];
    opts.external = ["*.wasm", "node:*", "cloudflare:*"];
  } else if (kind === "react") {
    opts.external = ["react", "react-dom", "react/*", "react-dom/*"];
  }
  if (typeof entry === "string") opts.entryPoints = [entry];
  else opts.stdin = { contents: entry.contents, resolveDir: benchDir, sourcefile: entry.name, loader: "js" };
  const r = await esbuild.build(opts);
  return {
    code: outfile ? null : r.outputFiles[0].contents,
    inputs: Object.keys(r.metafile.inputs),
  };
}
