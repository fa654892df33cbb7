/**
 * Edge entry point (`edge-light`: Next.js edge runtime and middleware, Vercel Edge
 * Functions). Those bundlers compile a `.wasm` import only when it carries the `?module`
 * suffix (a plain `.wasm` import is taken as a WebAssembly ES module and fails to link), and
 * the runtime forbids compiling wasm from bytes; so the core is imported as
 * `core/wasm/oxeye_server_bg.wasm?module` on first use (`core/load-edge.ts`) (calls made before are queued). `SENTRY_*` variables come
 * from `process.env`, which these runtimes provide.
 *
 * Module state may be shared between requests here as in Workers: the default client
 * (`init`) suits one app-wide configuration; request-specific data goes in
 * `withIsolationScope`, whose scopes stay the request's across `await` where the runtime
 * gives an `AsyncLocalStorage` global (Next.js, Vercel: `edge-scopes.ts`), or in a client
 * made per request with `createClient`.
 */
import { BEFORE_INIT_WARNING, createApi, initDefault } from "../api/api.js";
import type { Platform } from "../api/client.js";
import { startEngine } from "../api/engine.js";
import { checkScrub } from "../api/scrub-check.js";
import { buildRelease, cultureFacts } from "../api/host.js";
import { loadEdgeCore } from "../core/load-edge.js";
import { startWhenLoaded } from "../api/async-load.js";
import { modules, watchWasmModules } from "../instrument/wasm-modules.js";
import { requestAggregates } from "../api/sessions.js";
import { lazyParts } from "../api/lazy-parts.js";
import { edgeScopeStorage } from "../api/edge-scopes.js";
import { requestRules } from "../instrument/request-rules.js";

/** The runtime's own name: `EdgeRuntime` is a string global in edge runtimes. */
function edgeRuntimeName(): string {
  try {
    const name = (globalThis as { EdgeRuntime?: unknown }).EdgeRuntime;
    return typeof name === "string" && name ? name : "edge-light";
  } catch {
    return "edge-light";
  }
}

const platform: Platform = {
  requestRules,
  runtime: "edge",
  beforeInit: BEFORE_INIT_WARNING,
  // Imported on first use: where the bundler did not provide the module, this client is
  // disabled (with a reason) instead of the importing module failing to evaluate.
  loadCore: loadEdgeCore,
  load: (client, start) => startWhenLoaded(client, start, startEngine, loadEdgeCore()),
  checkScrub,
  onInit: watchWasmModules,
  wasmModules: modules,
  parts: lazyParts,
  requestSessions: requestAggregates,
  scopeStorage: edgeScopeStorage,
  handlersByDefault: false,
  hostFacts: () => ({ ...cultureFacts(), runtime: { name: edgeRuntimeName() } }),
  env: () => {
    try {
      return globalThis.process?.env;
    } catch {
      return undefined;
    }
  },
  buildRelease,
};

export const {
  init, createClient, getClient, captureException, captureMessage, captureEvent, flush, close, lastEventId,
  setTag, setTags, setExtra, setExtras, setContext, setUser, addBreadcrumb, addEventProcessor,
  withScope, withIsolationScope, getCurrentScope, getIsolationScope, getGlobalScope,
  getTraceData, continueTrace, startNewTrace, getTraceMetaTags,
} = createApi(platform, initDefault);
export * from "./common.js";
export { makeFetchTransport } from "../delivery/transport.js";
export type { FetchTransportOptions } from "../delivery/transport.js";
