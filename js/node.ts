/**
 * Node entry point. The wasm bytes are read from disk and compiled synchronously, so the
 * client is ready as soon as `init` returns. `SENTRY_*` variables come from `process.env`.
 */
import { readFileSync } from "node:fs";
import { initSync, Core } from "./wasm/oxeye.js";
import { createApi } from "./api.js";
import type { CoreFactory, CoreInstance, Platform } from "./client.js";
import { installNodeHandlers } from "./handlers/node.js";
import { buildRelease, intlFacts } from "./host.js";
import { makeFetchTransport } from "./transport.js";

let factory: CoreFactory | undefined;

const platform: Platform = {
  runtime: "node",
  loadCore: () => {
    if (!factory) {
      initSync({ module: readFileSync(new URL("./wasm/oxeye_bg.wasm", import.meta.url)) });
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
