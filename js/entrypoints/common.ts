/**
 * What every runtime entry exports besides its API functions: the scope and client
 * classes and the public types. Each entry adds its API functions: `createApi(platform)`'s
 * (Node, edge), one export per maker of `api/api.ts` (browser), or the functions of
 * `frameworks/cloudflare/runtime.ts` (Workers).
 */
export { OxeyeClient } from "../api/client.js";
export type { ScopeStorage } from "../api/client.js";
export { Scope } from "../api/scope.js";
export type * from "../api/types.js";
export type { IncomingTrace } from "../api/trace.js";
export { registerWasmModule } from "../instrument/wasm-modules.js";
