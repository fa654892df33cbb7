/**
 * Edge loader (`edge-light`: Next.js edge runtime and middleware, Vercel Edge Functions).
 * Those bundlers compile a `.wasm` import only with the `?module` suffix, and the runtime
 * forbids compiling wasm from bytes, so the module is imported on first use and
 * instantiated with `WebAssembly.instantiate(module)`, which also accepts a module
 * compiled in another realm (`next start` compiles edge wasm outside the sandbox).
 * The wasm is the server runtimes' build, `oxeye_server_bg.wasm` (no page-view sessions).
 */
import initWasm, { Core } from "./core.js";

let loading: Promise<typeof Core> | undefined;

/** Loads the core once; rejects where the bundler did not provide the wasm module. A second instance after a trap cannot be had here: `attempt` > 0 rejects, and the client disables itself. */
export function loadEdgeCore(attempt = 0): Promise<typeof Core> {
  if (attempt) return Promise.reject(new Error("edge runtimes cannot load a second wasm instance"));
  return (loading ??= import("./wasm/oxeye_server_bg.wasm?module")
    .then((m) => initWasm({ module_or_path: m.default }))
    .then(() => Core));
}
