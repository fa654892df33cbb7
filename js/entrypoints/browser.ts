/**
 * Browser entry point: the critical path. This chunk holds the client (queue and
 * scopes), the global `error`/`unhandledrejection` handlers, the notes of console calls
 * and clicks made until the engine loads (`early-crumbs.ts`) and the load schedule; the
 * engine (pipeline, delivery, instrumentation), the glue and the wasm are loaded with
 * dynamic `import()` after the page's `load` event (`api/schedule.ts`), and import nothing
 * of this chunk's modules (`api/loader-util.ts`): what they need of it comes with the
 * platform. Runs bundled or as native ESM (with an import map).
 */
import {
  defaultsOf, initDefault, memberOf, captureExceptionOf, captureMessageOf, captureEventOf, flushOf, closeOf, lastEventIdOf, setTagOf, setTagsOf, setExtraOf, setExtrasOf, setContextOf, setUserOf, addBreadcrumbOf, addEventProcessorOf, withScopeOf, withIsolationScopeOf, getCurrentScopeOf, getIsolationScopeOf, getGlobalScopeOf, getTraceDataOf, continueTraceOf, startNewTraceOf, getTraceMetaTagsOf,
} from "../api/api.js";
import type { Platform } from "../api/client.js";
import type { ExtensionGlobals } from "../api/contract.js";
import type { Transport } from "../api/types.js";
import type { FetchTransportOptions } from "../delivery/transport.js";
export type { FetchTransportOptions };
import { afterPageLoad } from "../api/schedule.js";
import { keepUnsent } from "../api/unsent-keep.js";
import { startWhenLoaded } from "../api/async-load.js";
import { installBrowserHandlers } from "../instrument/handlers-browser.js";
import { modules, watchWasmModules } from "../instrument/wasm-modules.js";
import { early, noteEarlyCrumbs } from "../instrument/early-crumbs.js";
import { lazyParts } from "../api/lazy-parts.js";
import { noteEarlyRequests } from "../instrument/early-requests.js";
import { requestRules } from "../instrument/request-rules.js";

// The page's fetch before oxeye's instrumentation: the wasm download must not go through
// it, and envelopes go through it whatever later replaces the page's fetch.
const nativeFetch = typeof globalThis.fetch === "function" ? globalThis.fetch.bind(globalThis) : undefined;
// The root of the browser extension oxeye runs in (its content scripts, pages, worker), from
// the extension API's `runtime.getURL`, which web pages are not given. Only a function that
// answers an extension's URL counts: a site's markup can make `browser` an element in a
// content script's world (`<form id="browser">`), and a getter can throw.
let extensionRoot: string | undefined;
try {
  for (const api of [(globalThis as ExtensionGlobals).chrome, (globalThis as ExtensionGlobals).browser]) {
    const root = typeof api?.runtime?.getURL == "function" && api.runtime.getURL("");
    if (/^[a-z-]+-extension:/.test(root as string)) {
      extensionRoot = root as string;
      break;
    }
  }
} catch {
  /* not an extension */
}
// The URL of the classic script oxeye runs in (a widget bundled as an IIFE, where
// `import.meta.url` is empty, so the core's files are found beside the script), known only
// while the script first runs; else, in a browser extension, its root (never the visited
// site's in a content script: a site could serve its own `core.js`, which would run in the
// extension's world); else the page's or the worker's location. Read only when
// `import.meta.url` is empty.
const scriptUrl = (globalThis.document?.currentScript as HTMLScriptElement | null | undefined)?.src || extensionRoot || globalThis.location?.href;

/**
 * A likely cause of a failed load, added to the warning: "; …", or "". On a page where
 * compiling even an empty WebAssembly module is refused (a CSP without
 * 'wasm-unsafe-eval'), the CSP is named. Pages only.
 */
const wasmHint = (): string => {
  if (typeof document === "undefined") return "";
  try {
    new WebAssembly.Module(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    return "";
  } catch {
    return typeof WebAssembly === "object" ? "; this page may not compile WebAssembly: its Content-Security-Policy must allow 'wasm-unsafe-eval' in script-src" : "";
  }
};

const platform: Platform = {
  runtime: "browser",
  extensionRoot,
  fetch: nativeFetch,
  // One module loads both the first instance and a fresh one (after a trap, or with the
  // wasm that reads a `scrub` object when the first instance's does not).
  // (Awaited, not chained: Vite wraps an `import()` and what is chained to it in its
  // preload check, and a core that fails to load would fire `vite:preloadError`, which
  // apps answer by reloading the page, again and again.)
  loadCore: async (attempt, options) => (await import("../core/load-web-fresh.js")).loadBrowserCore(nativeFetch, attempt, options.scrub, scriptUrl),
  // The engine's module and the core, when the load schedule says (at once if it cannot be
  // set up; the call it answers says a capture or flush is waiting). The host facts and the
  // page's incoming trace (read by the engine only) come with the engine's module, and the
  // `scrub` checker after it when the client needs one.
  load(client, start) {
    // Every capture carries the page's URL at capture time (`request.url`), before the
    // other hooks run (unless a capture kept by an earlier page already has its own).
    client.captureHooks.push((input) => {
      try {
        input.url ??= globalThis.location?.href;
      } catch {
        /* no URL */
      }
    });
    keepUnsent(client);
    const engine = async () => (await import("../api/engine.js")).browserEngine(platform, client);
    const go = () => startWhenLoaded(client, start, engine(), platform.loadCore(0, client.options), wasmHint);
    try {
      return afterPageLoad(go);
    } catch {
      go();
    }
  },
  onInit(client) {
    watchWasmModules();
    noteEarlyRequests(client);
    if (client.options.breadcrumbs !== false && client.options.maxBreadcrumbs !== 0) noteEarlyCrumbs(client);
  },
  wasmModules: modules,
  requestRules,
  early,
  parts: lazyParts,
  installHandlers: installBrowserHandlers,
  handlersByDefault: true,
};

// Each API function is a constant of its own, so an app's bundler leaves out those it does not
// import (`createApi` would keep them all, as properties of one object).
const defaults = defaultsOf(platform, initDefault);
export const init = defaults.init;
export const createClient = /* @__PURE__ */ memberOf(defaults, "createClient");
export const getClient = /* @__PURE__ */ memberOf(defaults, "getClient");
export const captureException = /* @__PURE__ */ captureExceptionOf(defaults);
export const captureMessage = /* @__PURE__ */ captureMessageOf(defaults);
export const captureEvent = /* @__PURE__ */ captureEventOf(defaults);
export const flush = /* @__PURE__ */ flushOf(defaults);
export const close = /* @__PURE__ */ closeOf(defaults);
export const lastEventId = /* @__PURE__ */ lastEventIdOf(defaults);
export const setTag = /* @__PURE__ */ setTagOf(defaults);
export const setTags = /* @__PURE__ */ setTagsOf(defaults);
export const setExtra = /* @__PURE__ */ setExtraOf(defaults);
export const setExtras = /* @__PURE__ */ setExtrasOf(defaults);
export const setContext = /* @__PURE__ */ setContextOf(defaults);
export const setUser = /* @__PURE__ */ setUserOf(defaults);
export const addBreadcrumb = /* @__PURE__ */ addBreadcrumbOf(defaults);
export const addEventProcessor = /* @__PURE__ */ addEventProcessorOf(defaults);
export const withScope = /* @__PURE__ */ withScopeOf(defaults);
export const withIsolationScope = /* @__PURE__ */ withIsolationScopeOf(defaults);
export const getCurrentScope = /* @__PURE__ */ getCurrentScopeOf(defaults);
export const getIsolationScope = /* @__PURE__ */ getIsolationScopeOf(defaults);
export const getGlobalScope = /* @__PURE__ */ getGlobalScopeOf(defaults);
export const getTraceData = /* @__PURE__ */ getTraceDataOf(defaults);
export const continueTrace = /* @__PURE__ */ continueTraceOf(defaults);
export const startNewTrace = /* @__PURE__ */ startNewTraceOf(defaults);
export const getTraceMetaTags = /* @__PURE__ */ getTraceMetaTagsOf(defaults);
export * from "./common.js";

/**
 * Makes a transport that posts envelopes with `fetch` (see `delivery/transport.ts`). Its
 * `fetch` is the global one as it is now, unless given; the code that sends loads with the
 * engine, so the page's critical path does not carry it.
 */
export function makeFetchTransport(opts: FetchTransportOptions = {}): Transport {
  const o = { ...opts, fetch: opts.fetch ?? globalThis.fetch.bind(globalThis) };
  let made: Promise<Transport> | undefined;
  return async (req) => (await (made ??= (async () => (await import("../api/engine.js")).makeFetchTransport(o))()))(req);
}
