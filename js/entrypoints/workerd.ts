/**
 * Cloudflare Workers (workerd) and bundler entry point of `oxeye` (the runtime itself is
 * js/frameworks/cloudflare/runtime.ts). The `.wasm` file is imported as a compiled
 * module, so clients are ready synchronously. Workers share module state across
 * requests, so make one client per request with `createClient`, or wrap handlers with
 * `withOxeye`; no event or buffer outlives its request.
 */
export { createClient } from "../frameworks/cloudflare/runtime.js";
/** Workers have no default client: use `ctx.oxeye.getTraceData()` etc., and `getTraceMetaTags(ctx.oxeye)`. */
export { getTraceData, continueTrace, startNewTrace, getTraceMetaTags } from "../frameworks/cloudflare/runtime.js";
export * from "./common.js";
export { makeFetchTransport } from "../delivery/transport.js";
export type { FetchTransportOptions } from "../delivery/transport.js";
/** The Workers wrappers; `oxeye/cloudflare` is their home (and has their types without custom conditions). */
export { withOxeye, instrumentDurableObject, durableObjectClient, oxeyeOf } from "../frameworks/cloudflare/handler.js";
export type * from "../frameworks/cloudflare/types.js";
