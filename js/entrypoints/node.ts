/**
 * Node entry point. The wasm is read from disk and compiled synchronously, so the client
 * is ready as soon as `init` returns. `SENTRY_*` variables come from `process.env`.
 * Scopes live in `AsyncLocalStorage` (js/node/storage.ts), and the client made by `init`
 * gives every incoming `http`/`https` request its own isolation scope (js/node/http.ts).
 */
import { BEFORE_INIT_WARNING, createApi, initDefault } from "../api/api.js";
import type { CoreClass, Platform } from "../api/client.js";
import { startEngine } from "../api/engine.js";
import { checkScrub } from "../api/scrub-check.js";
import { buildRelease } from "../api/host.js";
import { commitRelease } from "../node/release.js";
import { nodeHostFacts } from "../node/host-facts.js";
import { loadNodeCore } from "../core/load-node.js";
import { installNodeHandlers } from "../instrument/handlers-node.js";
import type { OxeyeClient } from "../api/client.js";
import type { Options } from "../api/types.js";
import { isolateCurrentContext, nodeScopeStorage } from "../node/storage.js";
import { consoleWarn } from "../api/loader-util.js";
import { installRequestIsolation } from "../node/http.js";
import { instrumentHttpClients } from "../node/http-client.js";
import { modules, watchWasmModules } from "../instrument/wasm-modules.js";
import { minutelyRequestAggregates } from "../api/sessions.js";
import { expressErrorHandler, fastifyErrorHandler, honoErrorHandler } from "../node/frameworks.js";
import { lazyParts } from "../api/lazy-parts.js";
import { headerLines, sourceLines } from "../node/source-context.js";
import { requestRules } from "../instrument/request-rules.js";

const platform: Platform = {
  requestRules,
  runtime: "node",
  beforeInit: BEFORE_INIT_WARNING,
  loadCore: loadNodeCore,
  load: (client, start) => start(() => [startEngine, loadNodeCore() as CoreClass]),
  checkScrub,
  onInit: watchWasmModules,
  wasmModules: modules,
  parts: lazyParts,
  requestSessions: minutelyRequestAggregates,
  installHandlers: installNodeHandlers,
  handlersByDefault: false,
  sourceLines: (stacks, options, thrown) => ((options as NodeOptions).contextLines === false ? undefined : sourceLines(stacks, headerLines(thrown, stacks.length))),
  hostFacts: nodeHostFacts,
  env: () => globalThis.process?.env,
  // One injected at build time, else the commit a CI or host names.
  buildRelease: () => buildRelease() ?? commitRelease(globalThis.process?.env),
  scopeStorage: nodeScopeStorage,
  isolateCurrent: isolateCurrentContext,
  instrumentRequests: instrumentHttpClients,
};

/** Options of Node's `init`. */
export interface NodeOptions extends Options {
  /** Give every incoming `http`/`https` request its own isolation scope, trace and `request` data. Default true. */
  isolateRequests?: boolean | undefined;
  /**
   * Send the lines of source around each frame of the app's own files (5 each side, read
   * from disk), as Sentry's Node SDK does. Default true; `false` sends none.
   */
  contextLines?: boolean | undefined;
}

const api = createApi(platform, initDefault);

/** Starts the default client; unless `isolateRequests: false`, every incoming HTTP request is isolated. */
export function init(options: NodeOptions): OxeyeClient {
  const client = api.init(options);
  // `process.exit()` does not wait for delivery: what is still unsent then is said, with
  // what to do instead. (A signal's default action ends the process without an `exit` event.)
  const onExit = () => {
    const unsent = (client.engine as { delivery?: { pending: number } } | undefined)?.delivery?.pending;
    if (unsent && !client.closed) consoleWarn(`[oxeye] the process exited with ${unsent} envelope(s) not yet sent; to send them, await oxeye.close() before process.exit()`);
  };
  // When the event loop drains (a server closed on SIGTERM, a script's end), what is still
  // held (the request aggregates of release health, a client report) is sent and the client
  // closed, within 2 s: what is not delivered by then does not hold the process.
  const onBeforeExit = () => void client.close(2000);
  process.on("exit", onExit);
  process.once("beforeExit", onBeforeExit);
  client.addCleanup(() => {
    process.off("exit", onExit);
    process.off("beforeExit", onBeforeExit);
  });
  if (!client.loadError && (client.options as NodeOptions).isolateRequests !== false) {
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

/**
 * Reports the errors an Express app's routes and middleware throw or pass to `next(err)`
 * (Express answers them itself, so they never reach the process's handlers). Call it after
 * every route and before the app's own error handlers: `setupExpressErrorHandler(app)`.
 */
export const setupExpressErrorHandler = expressErrorHandler(api.getClient);
/** Reports the errors a Fastify app's routes and hooks throw (Fastify answers them itself): `setupFastifyErrorHandler(app)`, before the routes are registered. */
export const setupFastifyErrorHandler = fastifyErrorHandler(api.getClient);
/** Reports the errors a Hono app's routes throw (Hono answers them itself): `setupHonoErrorHandler(app)`, once, before or after the routes. */
export const setupHonoErrorHandler = honoErrorHandler(api.getClient);
export type { ExpressLike, FastifyLike, HonoLike } from "../node/frameworks.js";
export * from "./common.js";
export { makeFetchTransport } from "../delivery/transport.js";
export type { FetchTransportOptions } from "../delivery/transport.js";
