/**
 * Node loader: the wasm bytes are read from disk and compiled synchronously, so a client
 * is ready as soon as it is made. After a trap (`attempt` > 0) a fresh copy of the glue is
 * imported under its own URL (`core.js?instance=N`) and instantiated: a new wasm instance.
 * The wasm is the server runtimes' build, `oxeye_server_bg.wasm` (no page-view sessions).
 */
import { readFileSync } from "node:fs";
import { initSync, Core } from "./core.js";
import { loadWasmBytes } from "../node/wasm.js";

let ready = false;

const wasmBytes = () =>
  loadWasmBytes(
    () => readFileSync(new URL("./wasm/oxeye_server_bg.wasm", import.meta.url)),
    // Where a bundler made the literal URL an asset of its own (webpack with Next's
    // `/_next/` public path: no file), the package's own file: `import.meta.url` read on
    // its own is the module's location when it was built (webpack writes it in), and a
    // `new URL` whose base is no `import.meta.url` is left alone.
    () => {
      const here = import.meta.url;
      return readFileSync(new URL("./wasm/oxeye_server_bg.wasm", here));
    },
  );

/** The core's class: loaded once per process; a fresh instance when `attempt` > 0. */
export function loadNodeCore(attempt = 0): typeof Core | Promise<typeof Core> {
  if (attempt) {
    // webpackIgnore: webpack (Next's `--webpack` server build) leaves this import to Node
    // rather than warning "Critical dependency: the request of a dependency is an
    // expression" in every build and turning it into an import that always fails.
    return import(/* webpackIgnore: true */ new URL(`./core.js?instance=${attempt}`, import.meta.url).href).then((m: typeof import("./core.js")) => {
      m.initSync({ module: wasmBytes() });
      return m.Core;
    });
  }
  if (!ready) {
    initSync({ module: wasmBytes() });
    ready = true;
  }
  return Core;
}
