/**
 * What every runtime entry exports besides its API functions: the scope and client
 * classes and the public types. Each entry adds `export const { … } = createApi(platform)`
 * (Workers: the functions of `frameworks/cloudflare/runtime.ts`).
 */
export { OxeyeClient } from "../api/client.js";
export type { ScopeStorage } from "../api/client.js";
export { Scope } from "../api/scope.js";
export type * from "../api/types.js";
export { registerWasmModule } from "../instrument/wasm-modules.js";
