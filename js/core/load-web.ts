/**
 * Browser loader: the wasm is fetched and compiled while it downloads
 * (`WebAssembly.compileStreaming`; from bytes when the server does not send
 * `application/wasm`), then instantiated through the glue. The wasm is one of the
 * browsers' two builds (no request-mode session aggregates; servers load
 * `oxeye_server_bg.wasm`): `oxeye_bg.wasm`, which reads `scrub: true` and `scrub: false`
 * only, or `oxeye_rules_bg.wasm`, which also reads a `scrub` object (custom keys, safe
 * keys, value rules, `ip`, `email`). The download goes through the page's own `fetch` as
 * it was when oxeye's entry was evaluated, never through oxeye's fetch instrumentation
 * (which would wait for the very core it is downloading). This module is reached only
 * through a dynamic `import()` (the browser's through `load-web-fresh.ts`), so neither the
 * glue nor the wasm is on the page's critical path.
 *
 * The module is compiled here, streaming, and handed to the glue's init as a compiled
 * module (the glue itself only reads a fetch response whole); `load-web-fresh.ts` reuses it.
 *
 * A fresh instance (after a trap, or for a client whose `scrub` object the first
 * instance's wasm does not read) is `load-web-fresh.ts`'s job (kept apart: its import
 * specifier is computed, which Workers bundlers reject, and this module is also reached
 * from the tunnel, which loads `oxeye_bg.wasm` for its DSN parser). The browser entry
 * imports that module, which imports this one, so both loaders come in one chunk.
 */
import initWasm, { Core } from "./core.js";

/**
 * The Subresource Integrity hashes (`sha256-…`) of `oxeye_bg.wasm` and
 * `oxeye_rules_bg.wasm`, written into the built module by `scripts/build.sh` once the files
 * exist (`scripts/lib/stamp-integrity.mjs`), so that a file altered on its way (a CDN, a
 * cache, a hostile host) is refused rather than run: it scrubs the page's data. A module
 * compiled without that step keeps the placeholder and checks nothing.
 */
const INTEGRITY: string | string[] = "oxeye-wasm-integrity";

let loading: Promise<typeof Core> | undefined;
/** 1 when the first instance's wasm reads a `scrub` object (set with `loading`). */
let loadingRules = 0;
const compiled: Array<Promise<WebAssembly.Module> | undefined> = [];

/** A wasm module, compiled once per page (`rules`: 1 for the build that reads a `scrub` object). */
export function compile(nativeFetch?: typeof fetch, rules = 0, base?: string): Promise<WebAssembly.Module> {
  let url: URL | string = `the wasm file (base ${import.meta.url ?? base})`;
  return (compiled[rules] ??= (async () => {
    // Two literals, so that bundlers copy both files. (A script run from a `blob:` URL,
    // such as a worker a bundler inlined, has no base to resolve them against.)
    try {
      url = rules ? new URL("./wasm/oxeye_rules_bg.wasm", import.meta.url) : new URL("./wasm/oxeye_bg.wasm", import.meta.url);
    } catch (e) {
      // Not an ES module (a widget bundled as a classic script, where `import.meta` is
      // empty): the files are looked for beside the script itself.
      if (!base) throw e;
      url = new URL(rules ? "./wasm/oxeye_rules_bg.wasm" : "./wasm/oxeye_bg.wasm", base);
    }
    // Marked as oxeye's own: when another copy of oxeye on the page wrapped the `fetch` this
    // one found, that wrapper passes it on untouched (no breadcrumb, no trace headers). The
    // address goes as a string, which a wrapper of the app's own may expect.
    const get = (integrity?: string, cache?: RequestCache) => (nativeFetch ?? fetch)(`${url}`, { [Symbol.for("oxeye.own")]: 1, integrity, cache } as RequestInit);
    const sri = typeof INTEGRITY == "string" ? undefined : INTEGRITY[rules];
    let res: Response;
    let checked = false;
    try {
      res = await get(sri);
    } catch (e) {
      if (!sri) throw e;
      // Refused: by the integrity check, or for what would refuse any request (the
      // network, CORS, a missing file's error page, a dropped connection); a plain request
      // tells which, and its bytes are checked here. It asks the server again: the file in
      // the HTTP cache may be an older version's, kept under the same name.
      res = await get(undefined, "reload");
      checked = true;
    }
    if (!res.ok) throw `HTTP ${res.status}`;
    const type = res.headers.get("content-type") ?? "";
    // A dev server's or host's fallback page, answered for a file it does not have.
    if (type.startsWith("text/html")) throw "an HTML page, not the wasm file";
    if (checked) {
      // (Without `crypto.subtle`, on a page not served securely, the bytes cannot be checked.)
      const bytes = await res.arrayBuffer();
      const head = new Uint8Array(bytes);
      if (head[0] == 31 && head[1] == 139) throw "gzip bytes sent without Content-Encoding";
      const digest = await globalThis.crypto?.subtle?.digest("SHA-256", bytes);
      if (!digest || `sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}` !== sri) throw "a file whose bytes are not this version of oxeye's (the integrity check failed)";
      return WebAssembly.compile(bytes);
    }
    if (typeof WebAssembly.compileStreaming === "function" && type.startsWith("application/wasm")) {
      return WebAssembly.compileStreaming(res);
    }
    return WebAssembly.compile(await res.arrayBuffer());
  })().catch((e) => {
    compiled[rules] = undefined;
    // What failed, and for which file (a fetch refused for CORS says neither).
    throw new Error(`${e} for ${url}`);
  }));
}

/**
 * Loads the core once per page; `nativeFetch` is the page's uninstrumented fetch, `base`
 * the URL of the classic script oxeye runs in, if it is one. The
 * first call picks the wasm (`rules`, see `compile`) and later calls get that instance,
 * or undefined when they need a `scrub` object read and its wasm does not read one.
 */
export function loadWebCore(nativeFetch?: typeof fetch, rules = 0, base?: string): Promise<typeof Core> | undefined {
  return loading && loadingRules < rules
    ? undefined
    : (loading ??= ((loadingRules = rules),
      (async () => {
        await initWasm({ module_or_path: await compile(nativeFetch, rules, base) });
        return Core;
      })().catch((e) => {
        loading = undefined;
        throw e;
      })));
}
