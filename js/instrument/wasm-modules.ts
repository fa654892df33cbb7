/**
 * WebAssembly modules of the app, for `debug_meta` images of type `wasm` (as @sentry/wasm
 * sends them), so a server holding the module's debug file can symbolicate its frames.
 *
 * How the bytes are reached: not at all. `init` wraps `WebAssembly.compileStreaming` and
 * `instantiateStreaming`; when a module compiles, its `build_id` (and
 * `external_debug_info`) custom sections are read with `WebAssembly.Module.customSections`
 * and remembered under the response's URL, which is the file V8 and SpiderMonkey write in
 * its frames (`https://app/x.wasm:wasm-function[3]:0x5a`). Nothing is fetched again.
 *
 * Not seen, so no image is sent: modules compiled from bytes (`compile`, `instantiate`,
 * `new WebAssembly.Module`; their frames name a `wasm://wasm/<hash>` URL that the app
 * cannot predict), modules compiled before `init`, modules without a `build_id` section
 * (a file name alone gives the server nothing to look up), and modules a runtime links
 * before any code runs (a Worker's `import m from "./x.wasm"`). `registerWasmModule`
 * covers those: the app passes the module and the URL its frames show.
 */
import { hex } from "../api/loader-util.js";

export interface ModuleInfo {
  buildId: string;
  debugFile?: string;
}

/** The modules seen, by URL (read by the engine: `wasm-images.ts`). */
export const modules = new Map<string, ModuleInfo>();
const MAX_MODULES = 50;
let patched = false;

/** Remembers `module` under `url` when it carries a build id; returns whether it did. */
export function registerWasmModule(module: object, url: string): boolean {
  // (`object`, not `WebAssembly.Module`: a Node project's types may have no `WebAssembly`.)
  try {
    const ids = WebAssembly.Module.customSections(module as WebAssembly.Module, "build_id");
    if (!ids[0]?.byteLength || !url) return false;
    const info: ModuleInfo = { buildId: hex(new Uint8Array(ids[0])) };
    const ext = WebAssembly.Module.customSections(module as WebAssembly.Module, "external_debug_info");
    if (ext[0]) {
      // Every runtime with `customSections` has a `TextDecoder` (the core's glue makes one as it loads).
      const name = new TextDecoder().decode(ext[0]);
      try {
        info.debugFile = new URL(name, url).href;
      } catch {
        info.debugFile = name;
      }
    }
    modules.delete(url);
    if (modules.size >= MAX_MODULES) modules.delete(modules.keys().next().value as string);
    modules.set(url, info);
    return true;
  } catch {
    return false;
  }
}

/**
 * Wraps the streaming compilers once (the wrappers stay, as pass-throughs, for the life
 * of the page). Results and errors are the originals'.
 */
export function watchWasmModules(): void {
  if (patched) return;
  patched = true;
  try {
    const W = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
    if (!W || typeof W.Module?.customSections !== "function") return;
    // compileStreaming gives the module; instantiateStreaming `{ module, instance }`.
    for (const name of ["compileStreaming", "instantiateStreaming"] as const) {
      const original = W[name] as (this: unknown, ...args: unknown[]) => Promise<unknown>;
      if (typeof original !== "function") continue;
      (W as Record<string, unknown>)[name] = function (this: unknown, source: unknown) {
        // eslint-disable-next-line prefer-rest-params
        const p = original.apply(this, arguments as unknown as unknown[]);
        void p.then(
          (r) => {
            const module = (r as { module?: unknown } | undefined)?.module ?? r;
            // Registered under the URL of the response it was compiled from.
            if (module instanceof W.Module) {
              void Promise.resolve(source).then(
                (res) => {
                  const url = (res as Response | undefined)?.url;
                  // (An empty URL is refused by `registerWasmModule`.)
                  if (typeof url === "string") registerWasmModule(module, url);
                },
                () => {},
              );
            }
          },
          () => {},
        );
        return p;
      };
    }
  } catch {
    /* left unpatched */
  }
}
