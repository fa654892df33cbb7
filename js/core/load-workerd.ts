/**
 * Cloudflare Workers (workerd) loader: the `.wasm` file is imported as a compiled module
 * (workerd and bundlers for it support that), so instantiation is synchronous. The wasm
 * is the server runtimes' build, `oxeye_server_bg.wasm` (no page-view sessions).
 */
import wasmModule from "./wasm/oxeye_server_bg.wasm";
import { initSync, Core } from "./core.js";

/**
 * Loads the core (once per isolate: `initSync` instantiates only the first time) and
 * returns its class. A second instance after a trap cannot be had here: `attempt` > 0
 * rejects, and the client disables itself.
 */
export function loadWorkerdCore(attempt?: number): typeof Core | Promise<typeof Core> {
  if (attempt) return Promise.reject(new Error("workerd cannot load a second wasm instance"));
  initSync({ module: wasmModule });
  return Core;
}
