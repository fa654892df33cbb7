/**
 * A fresh wasm instance in a browser after a trap: a new copy of the glue is imported
 * under its own URL (`core.js?instance=N`) and instantiated with the module already
 * compiled, so the new instance starts with fresh memory. Where the app was bundled that
 * URL does not exist; the import fails and the client disables itself. Reached only from
 * the browser entry, with a dynamic `import()`, after a trap.
 */
import type { Core } from "./core.js";
import { compile } from "./load-web.js";

/** The core's class from a fresh glue instance (`attempt` numbers the instance). */
export async function loadFreshWebCore(nativeFetch: typeof fetch | undefined, attempt: number): Promise<typeof Core> {
  const glue = new URL(`./core.js?instance=${attempt}`, import.meta.url).href;
  const m: typeof import("./core.js") = await import(/* @vite-ignore */ glue);
  await m.default({ module_or_path: await compile(nativeFetch) });
  return m.Core;
}
