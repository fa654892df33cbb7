/**
 * Browser loader: the wasm is fetched and compiled while it downloads
 * (`WebAssembly.compileStreaming`; from bytes when the server does not send
 * `application/wasm`), then instantiated through the glue. The wasm is the browsers'
 * build, `oxeye_bg.wasm` (no request-mode session aggregates; servers load
 * `oxeye_server_bg.wasm`). The download goes through the page's own `fetch` as it was
 * when oxeye's entry was evaluated, never through oxeye's
 * fetch instrumentation (which would wait for the very core it is downloading). This
 * module is reached only through a dynamic `import()` (the browser's through
 * `load-web-fresh.ts`), so neither the glue nor the wasm is on the page's critical path.
 *
 * The module is compiled here, streaming, and handed to the glue's init as a compiled
 * module (the glue itself only reads a fetch response whole); `load-web-fresh.ts` reuses it.
 *
 * A fresh instance after a trap is `load-web-fresh.ts`'s job (kept apart: its import
 * specifier is computed, which Workers bundlers reject, and this module is also reached
 * from the tunnel). The browser entry imports that module, which re-exports
 * `loadWebCore`, so both loaders come in one chunk.
 */
import initWasm, { Core } from "./core.js";

let loading: Promise<typeof Core> | undefined;
let compiled: Promise<WebAssembly.Module> | undefined;

/** The wasm module, compiled once per page. */
export function compile(nativeFetch?: typeof fetch): Promise<WebAssembly.Module> {
  return (compiled ??= (async () => {
    const url = new URL("./wasm/oxeye_bg.wasm", import.meta.url);
    const res = await (nativeFetch ?? fetch)(url);
    if (!res.ok) throw new Error(`HTTP ${res.status} for ${url}`);
    const type = res.headers.get("content-type") ?? "";
    if (typeof WebAssembly.compileStreaming === "function" && type.startsWith("application/wasm")) {
      return WebAssembly.compileStreaming(res);
    }
    return WebAssembly.compile(await res.arrayBuffer());
  })().catch((e) => {
    compiled = undefined;
    throw e;
  }));
}

/** Loads the core once per page; `nativeFetch` is the page's uninstrumented fetch. */
export function loadWebCore(nativeFetch?: typeof fetch): Promise<typeof Core> {
  return (loading ??= (async () => {
    await initWasm({ module_or_path: await compile(nativeFetch) });
    return Core;
  })().catch((e) => {
    loading = undefined;
    throw e;
  }));
}
