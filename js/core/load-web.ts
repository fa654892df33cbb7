/**
 * Browser loader: the wasm is fetched and compiled with `WebAssembly.instantiateStreaming`
 * (the glue's init streams when given a fetch `Response`). The download goes through the
 * page's own `fetch` as it was when oxeye's entry was evaluated, never through oxeye's
 * fetch instrumentation (which would wait for the very core it is downloading). This
 * module is reached only through a dynamic `import()`, so neither the glue nor the wasm is
 * on the page's critical path.
 */
import initWasm, { Core } from "./core.js";

let loading: Promise<typeof Core> | undefined;

/** Loads the core once per page; `nativeFetch` is the page's uninstrumented fetch. */
export function loadWebCore(nativeFetch?: typeof fetch, attempt = 0): Promise<typeof Core> {
  if (attempt > 0) {
    const glue = new URL(`./core.js?instance=${attempt}`, import.meta.url).href;
    return import(/* @vite-ignore */ glue).then(async (m: typeof import("./core.js")) => {
      const url = new URL("./wasm/oxeye_bg.wasm", import.meta.url);
      await m.default({ module_or_path: nativeFetch ? nativeFetch(url) : url });
      return m.Core;
    });
  }
  return (loading ??= (async () => {
    const url = new URL("./wasm/oxeye_bg.wasm", import.meta.url);
    await initWasm({ module_or_path: nativeFetch ? nativeFetch(url) : url });
    return Core;
  })().catch((e) => {
    loading = undefined;
    throw e;
  }));
}
