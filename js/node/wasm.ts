/**
 * Reading the wasm core's bytes in Node. Normally they sit next to the compiled entry
 * (`new URL("./wasm/oxeye_server_bg.wasm", import.meta.url)`); a bundler that rewrites
 * `import.meta.url` (webpack in Next's `--webpack` server build) breaks that path, so the
 * package's exported `oxeye/oxeye-server.wasm` is resolved from the app's directory as a
 * fallback. When neither works the error says what to change.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/** The bytes of `oxeye_server_bg.wasm` (the server runtimes' core): `primary` first, then the installed package. */
export function loadWasmBytes(primary: () => Uint8Array): Uint8Array {
  let first: unknown;
  try {
    return primary();
  } catch (e) {
    first = e;
  }
  try {
    const cwd = globalThis.process?.cwd?.() ?? ".";
    const path = createRequire(`${cwd}/package.json`).resolve("oxeye/oxeye-server.wasm");
    return readFileSync(path);
  } catch {
    throw new Error(
      `the wasm core could not be read (${first}). If a bundler compiled oxeye into a server bundle, ` +
        `leave it to Node instead (Next.js: serverExternalPackages: ["oxeye"] in next.config)`,
    );
  }
}
