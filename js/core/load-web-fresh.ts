/**
 * The browser entry's core loader: the first instance from `load-web.ts` (in this
 * module's chunk, so a page asks for one lazily loaded chunk, not a loader chunk plus a
 * chunk shared with this one), and a fresh wasm instance: after a trap, or for a client
 * whose `scrub` object the first instance's wasm does not read (the page's first client
 * did not set one). A new copy of the glue is imported under its own URL
 * (`core.js#instance=N`) and instantiated with the module compiled once per page, so the
 * new instance starts with fresh memory. Vite and webpack copy the glue into their
 * output for this; where a bundler does not, that URL does not exist, the import fails
 * and the client disables itself (so there, on a page whose first client set no `scrub`
 * object, a later client that sets one is disabled, with a logged reason). Reached only
 * from the browser entry, with a dynamic `import()` (the tunnel imports `load-web.ts`
 * itself, and so never sees the computed import below, which Workers bundlers reject).
 */
import type { Core } from "./core.js";
import { compile, loadWebCore } from "./load-web.js";

let rulesInstance: Promise<typeof Core> | undefined;

/**
 * The core's class for a client whose `scrub` option is `scrub`: the first instance, or a
 * fresh one after a trap (`attempt` > 0). A `scrub` object is read only by
 * `oxeye_rules_bg.wasm`; the page's clients that need it share one instance.
 */
export function loadBrowserCore(nativeFetch: typeof fetch | undefined, attempt: number, scrub: unknown, base?: string): Promise<typeof Core> {
  const rules = +(!!scrub && typeof scrub == "object");
  return attempt
    ? loadFreshWebCore(nativeFetch, attempt, rules, base)
    : (loadWebCore(nativeFetch, rules, base) ??
        (rulesInstance ??= loadFreshWebCore(nativeFetch, 0, 1, base).catch((e) => {
          rulesInstance = undefined;
          throw e;
        })));
}

/** The core's class from a fresh glue instance (`attempt` numbers the instance). */
async function loadFreshWebCore(nativeFetch: typeof fetch | undefined, attempt: number, rules: number, base?: string): Promise<typeof Core> {
  // The glue's own URL is a literal so that bundlers which copy a `new URL(literal,
  // import.meta.url)` file into their output (Vite, webpack) copy the glue; the instance
  // is named at run time (a template literal there would be copied into the URL
  // verbatim by Vite, and every attempt would get the same, already used, instance).
  // It is named in the fragment, added to the text: a module's URL with its fragment is
  // its key, a fragment is allowed where a query is not (a `data:` URL, which Vite makes
  // of a small file), and the URL object webpack and Turbopack put in place of `URL` for
  // a relative asset (Next's builds) keeps its `href` whatever its search params say.
  let glue: string;
  try {
    glue = new URL("./core.js", import.meta.url).href;
  } catch (e) {
    // Not an ES module: beside the classic script (see `compile`).
    if (!base) throw e;
    glue = new URL("./core.js", base).href;
  }
  glue += "#instance=" + (rules ? "rules" + attempt : attempt);
  const m: typeof import("./core.js") = await import(/* @vite-ignore */ /* webpackIgnore: true */ glue);
  await m.default({ module_or_path: await compile(nativeFetch, rules, base) });
  return m.Core;
}
