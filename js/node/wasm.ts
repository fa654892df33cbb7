/**
 * Reading the wasm core's bytes in Node. Normally they sit next to the compiled entry
 * (`new URL("./wasm/oxeye_server_bg.wasm", import.meta.url)`). A bundler that compiled
 * oxeye into a server bundle breaks that path: webpack (Next's `--webpack` server build)
 * rewrites `import.meta.url`, esbuild's CommonJS output empties `import.meta`. Then the
 * package's own file is read by a URL the bundler left alone (webpack's), then the file
 * is looked for in a `wasm/` folder beside the bundle (the main script's folder, the
 * folder Node was given to run, or the CommonJS module's own), where the docs say to copy
 * it, and last the package's exported `oxeye/oxeye-server.wasm` is resolved from the app's
 * directory. When none works the error says what to change.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

declare const __dirname: string | undefined;

/** The bytes of `oxeye_server_bg.wasm` (the server runtimes' core): `primary` first, then `second`, then beside the bundle, then the installed package. */
export function loadWasmBytes(primary: () => Uint8Array, second?: () => Uint8Array): Uint8Array {
  let first: unknown;
  try {
    return primary();
  } catch (e) {
    first = e;
  }
  try {
    if (second) return second();
  } catch {
    /* the next place */
  }
  // (The main script's folder, or the folder itself when Node was given one: `node build`.)
  const main = globalThis.process?.argv?.[1];
  const beside = [typeof __dirname === "string" ? __dirname : undefined, main ? dirname(main) : undefined, main];
  for (const dir of beside) {
    try {
      if (dir) return readFileSync(join(dir, "wasm", "oxeye_server_bg.wasm"));
    } catch {
      /* the next place */
    }
  }
  try {
    const cwd = globalThis.process?.cwd?.() ?? ".";
    const path = createRequire(`${cwd}/package.json`).resolve("oxeye/oxeye-server.wasm");
    return readFileSync(path);
  } catch {
    // Node's entry in a Worker (OpenNext builds a Next app's server with Node's conditions):
    // there are no files to read, and externalising oxeye does not help.
    if (globalThis.navigator?.userAgent == "Cloudflare-Workers")
      throw new Error(`the wasm core could not be read (${first}): Node's entry runs in Cloudflare Workers here (a Next.js app built with OpenNext?), where it cannot report; see oxeye's docs/nextjs.md, "Cloudflare Workers (OpenNext)"`);
    throw new Error(
      `the wasm core could not be read (${first}). If a bundler compiled oxeye into a server bundle, ` +
        `copy the file the package exports as oxeye/oxeye-server.wasm (require.resolve("oxeye/oxeye-server.wasm")) into a wasm/ folder beside the bundle, ` +
        `or leave oxeye to Node (esbuild: --external:oxeye; Next.js: serverExternalPackages: ["oxeye"] in next.config)`,
    );
  }
}
