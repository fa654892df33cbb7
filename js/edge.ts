/**
 * Edge entry point (`edge-light`: Next.js edge runtime and middleware, Vercel Edge
 * Functions). Those bundlers compile a `.wasm` import only when it carries the `?module`
 * suffix (a plain `.wasm` import is taken as a WebAssembly ES module and fails to link), and
 * the runtime forbids compiling wasm from bytes; so the core is imported as
 * `./wasm/oxeye_bg.wasm?module` on first use (calls made before are queued). `SENTRY_*` variables come
 * from `process.env`, which these runtimes provide.
 *
 * Module state may be shared between requests here as in Workers: the default client
 * (`init`) suits one app-wide configuration; use `createClient` per request for anything
 * request-specific.
 */
import initWasm, { Core } from "./wasm/oxeye.js";
import { createApi } from "./api.js";
import type { CoreFactory, CoreInstance, Platform } from "./client.js";
import { buildRelease, intlFacts } from "./host.js";
import { makeFetchTransport } from "./transport.js";

let loading: Promise<CoreFactory> | undefined;

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
  runtime: "edge",
  // Imported on first use: where the bundler did not provide the module, this client is
  // disabled (with a reason) instead of the importing module failing to evaluate.
  loadCore: () =>
    // Instantiated through `WebAssembly.instantiate(module)`, which accepts a module compiled
    // in another realm: `next start` compiles edge wasm outside the sandbox running the code.
    (loading ??= import("./wasm/oxeye_bg.wasm?module")
      .then((m) => initWasm({ module_or_path: m.default }))
      .then(() => (o: Record<string, unknown>) => new Core(o) as unknown as CoreInstance)),
  defaultTransport: () => makeFetchTransport(),
  handlersByDefault: false,
  hostFacts: () => ({ ...intlFacts(), runtimeName: edgeRuntimeName() }),
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
} = createApi(platform);
export { OxeyeClient } from "./client.js";
export { Scope } from "./scope.js";
export { makeFetchTransport } from "./transport.js";
export type * from "./types.js";
