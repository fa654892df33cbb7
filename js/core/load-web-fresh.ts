/**
 * The browser entry's core loader: the first instance from `load-web.ts` (re-exported
 * here, so a page asks for one lazily loaded chunk, not a loader chunk plus a chunk shared
 * with this one), and a fresh wasm instance after a trap: a new copy of the glue is
 * imported under its own URL (`core.js?instance=N`) and instantiated with the module
 * already compiled, so the new instance starts with fresh memory. Vite and webpack copy
 * the glue into their output for this; where a bundler does not, that URL does not exist,
 * the import fails and the client disables itself. Reached only from the browser entry,
 * with a dynamic `import()` (the tunnel imports `load-web.ts` itself, and so never sees
 * the computed import below, which Workers bundlers reject).
 */
import type { Core } from "./core.js";
import { compile } from "./load-web.js";

export { loadWebCore } from "./load-web.js";

/** The core's class from a fresh glue instance (`attempt` numbers the instance). */
export async function loadFreshWebCore(nativeFetch: typeof fetch | undefined, attempt: number): Promise<typeof Core> {
  // The glue's own URL is a literal so that bundlers which copy a `new URL(literal,
  // import.meta.url)` file into their output (Vite, webpack) copy the glue; the instance
  // number is added at run time (a template literal there would be copied into the URL
  // verbatim by Vite, and every attempt would get the same, already used, instance).
  const glue = new URL("./core.js", import.meta.url);
  glue.searchParams.set("instance", String(attempt));
  const m: typeof import("./core.js") = await import(/* @vite-ignore */ /* webpackIgnore: true */ glue.href);
  await m.default({ module_or_path: await compile(nativeFetch) });
  return m.Core;
}
