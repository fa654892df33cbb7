/**
 * Node entry point. The wasm bytes are read from disk and compiled synchronously, so the
 * client is ready as soon as `init` returns. `SENTRY_*` variables come from `process.env`.
 * Scopes live in `AsyncLocalStorage` (js/node/storage.ts), and the client made by `init`
 * gives every incoming `http`/`https` request its own isolation scope (js/node/http.ts).
 */
import { readFileSync } from "node:fs";
import { initSync, Core } from "./wasm/oxeye.js";
import { createApi } from "./api.js";
import type { CoreFactory, CoreInstance, OxeyeClient, Platform } from "./client.js";
import { installNodeHandlers } from "./handlers/node.js";
import { buildRelease, intlFacts } from "./host.js";
import { makeFetchTransport } from "./transport.js";
import { nodeScopeStorage } from "./node/storage.js";
import { installRequestIsolation } from "./node/http.js";
import type { Options } from "./types.js";
import { loadWasmBytes } from "./node/wasm.js";

let factory: CoreFactory | undefined;

const platform: Platform = {
  runtime: "node",
  loadCore: () => {
    if (!factory) {
      initSync({ module: loadWasmBytes(() => readFileSync(new URL("./wasm/oxeye_bg.wasm", import.meta.url))) });
      factory = (o) => new Core(o) as unknown as CoreInstance;
    }
    return factory;
  },
  defaultTransport: () => makeFetchTransport(),
  installHandlers: installNodeHandlers,
  handlersByDefault: false,
  hostFacts: () => ({ ...intlFacts(), runtimeName: "node", runtimeVersion: globalThis.process?.version }),
  env: () => globalThis.process?.env,
  buildRelease,
  scopeStorage: nodeScopeStorage,
};

/** Options of Node's `init`. */
export interface NodeOptions extends Options {
  /** Give every incoming `http`/`https` request its own isolation scope, trace and `request` data. Default true. */
  isolateRequests?: boolean;
}

const api = createApi(platform);

/** Starts the default client; unless `isolateRequests: false`, every incoming HTTP request is isolated. */
export function init(options: NodeOptions): OxeyeClient {
  const client = api.init(options);
  if (options?.isolateRequests !== false && options?.enabled !== false) {
    try {
      client.addCleanup(installRequestIsolation(client));
    } catch (e) {
      client.log(`request isolation not installed: ${e}`);
    }
  }
  return client;
}

export const {
  createClient, getClient, captureException, captureMessage, captureEvent, flush, close, lastEventId,
  setTag, setTags, setExtra, setExtras, setContext, setUser, addBreadcrumb, addEventProcessor,
  withScope, withIsolationScope, getCurrentScope, getIsolationScope, getGlobalScope,
  getTraceData, continueTrace, startNewTrace, getTraceMetaTags,
} = api;
export { OxeyeClient } from "./client.js";
export { Scope } from "./scope.js";
export { makeFetchTransport } from "./transport.js";
export type * from "./types.js";
