/**
 * Node entry point. The wasm is read from disk and compiled synchronously, so the client
 * is ready as soon as `init` returns. `SENTRY_*` variables come from `process.env`.
 */
import { createApi } from "../api/api.js";
import type { Platform } from "../api/client.js";
import { startEngine } from "../api/engine.js";
import { buildRelease, intlFacts } from "../api/host.js";
import { loadNodeCore } from "../core/load-node.js";
import { installNodeHandlers } from "../instrument/handlers-node.js";

const platform: Platform = {
  runtime: "node",
  loadCore: loadNodeCore,
  loadEngine: () => startEngine,
  installHandlers: installNodeHandlers,
  handlersByDefault: false,
  hostFacts: () => ({ ...intlFacts(), runtimeName: "node", runtimeVersion: globalThis.process?.version }),
  env: () => globalThis.process?.env,
  buildRelease,
};

export const {
  init, createClient, getClient, captureException, captureMessage, captureEvent, flush, close, lastEventId,
  setTag, setTags, setExtra, setExtras, setContext, setUser, addBreadcrumb, addEventProcessor,
  withScope, withIsolationScope, getCurrentScope, getIsolationScope, getGlobalScope,
  getTraceData, continueTrace, startNewTrace, getTraceMetaTags,
} = createApi(platform);
export * from "./common.js";
