/**
 * Cloudflare Workers (workerd) and bundler entry point of `oxeye` (the runtime itself is
 * js/frameworks/cloudflare/runtime.ts). The `.wasm` file is imported as a compiled
 * module, so clients are ready synchronously. Workers share module state across
 * requests, so make one client per request with `createClient`, or wrap handlers with
 * `withOxeye`; no event or buffer outlives its request.
 */
export { createClient, init } from "../frameworks/cloudflare/runtime.js";
/**
 * Workers have no default client: these act as before `init` elsewhere (captures dropped,
 * said once on the console), so that code shared with other runtimes runs. Use
 * `ctx.oxeye` (`oxeyeOf(ctx)`), and `getTraceMetaTags(ctx.oxeye)`.
 */
export {
  getClient, captureException, captureMessage, captureEvent, flush, close, lastEventId, setTag, setTags, setExtra, setExtras, setContext, setUser, addBreadcrumb, addEventProcessor, withScope, withIsolationScope, getCurrentScope, getIsolationScope, getGlobalScope, getTraceData, continueTrace, startNewTrace, getTraceMetaTags,
} from "../frameworks/cloudflare/runtime.js";
export * from "./common.js";
export { makeFetchTransport } from "../delivery/transport.js";
export type { FetchTransportOptions } from "../delivery/transport.js";
/** The Workers wrappers; `oxeye/cloudflare` is their home (and has their types without custom conditions). */
export { withOxeye, instrumentDurableObject, durableObjectClient, oxeyeOf } from "../frameworks/cloudflare/handler.js";
export type * from "../frameworks/cloudflare/types.js";
