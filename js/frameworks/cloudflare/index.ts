/**
 * `oxeye/cloudflare`: oxeye for Cloudflare Workers, with types that resolve under
 * `moduleResolution: "Bundler"` without custom conditions. No `nodejs_compat` needed.
 *
 * `withOxeye` wraps a module worker's handlers, `instrumentDurableObject` a Durable
 * Object class; `createClient` makes a client by hand (one per request: a client shared
 * by concurrent requests mixes their scope data, and is warned about once).
 */
export { createClient } from "./runtime.js";
export { withOxeye, instrumentDurableObject, durableObjectClient, oxeyeOf } from "./handler.js";
/** Workers have no default client: use `ctx.oxeye.getTraceData()` etc., and `getTraceMetaTags(ctx.oxeye)`. */
export { getTraceData, continueTrace, startNewTrace, getTraceMetaTags } from "./runtime.js";
export { OxeyeClient } from "../../api/client.js";
export { Scope } from "../../api/scope.js";
export { makeFetchTransport } from "../../delivery/transport.js";
export type { FetchTransportOptions } from "../../delivery/transport.js";
export type * from "./types.js";
export type * from "../../api/types.js";
