/**
 * Browser entry point. The wasm core is fetched and compiled with
 * `WebAssembly.instantiateStreaming` the first time a client is made; calls made before
 * it is ready are queued. Runs bundled or as native ESM (with an import map).
 *
 * The wasm-bindgen glue is imported dynamically together with the wasm, so it is not on
 * the page's critical path: bundlers split it into its own chunk (BENCHMARKS.md, size).
 */
import { createApi } from "./api.js";
import type { CoreFactory, CoreInstance, Platform } from "./client.js";
import { installBrowserHandlers } from "./handlers/browser.js";
import { buildRelease, intlFacts } from "./host.js";
import { makeFetchTransport } from "./transport.js";
import { readTraceMetaTags } from "./trace.js";

let loading: Promise<CoreFactory> | undefined;
// The fetch of the page as it was when oxeye loaded: the wasm download must not go through
// oxeye's own fetch instrumentation (it would wait for the very core it is downloading).
const nativeFetch = typeof globalThis.fetch === "function" ? globalThis.fetch.bind(globalThis) : undefined;

const platform: Platform = {
  runtime: "browser",
  loadCore: () =>
    (loading ??= import("./wasm/oxeye.js").then(async ({ default: initWasm, Core }) => {
      const url = new URL("./wasm/oxeye_bg.wasm", import.meta.url);
      await initWasm({ module_or_path: nativeFetch ? nativeFetch(url) : url });
      return (o: Record<string, unknown>) => new Core(o) as unknown as CoreInstance;
    })),
  defaultTransport: () => makeFetchTransport({ browser: true }),
  installHandlers: installBrowserHandlers,
  handlersByDefault: true,
  hostFacts: () => ({
    ...intlFacts(),
    userAgent: globalThis.navigator?.userAgent,
    locale: globalThis.navigator?.language ?? intlFacts().locale,
    hostname: globalThis.location?.hostname,
  }),
  currentUrl: () => globalThis.location?.href,
  buildRelease,
  // A server-rendered page hands over its trace in <meta name="sentry-trace"> / "baggage".
  incomingTrace: () => readTraceMetaTags(globalThis.document),
};

export const {
  init, createClient, getClient, captureException, captureMessage, captureEvent, flush, close, lastEventId,
  setTag, setTags, setExtra, setExtras, setContext, setUser, addBreadcrumb, addEventProcessor,
  withScope, withIsolationScope, getCurrentScope, getIsolationScope, getGlobalScope,
  getTraceData, continueTrace, startNewTrace, getTraceMetaTags,
} = createApi(platform);
export { OxeyeClient } from "./client.js";
export { Scope } from "./scope.js";
export { makeFetchTransport } from "./transport.js";
export type * from "./types.js";
