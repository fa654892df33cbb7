/**
 * The Cloudflare Workers (workerd) runtime of oxeye: the core is the `.wasm` file imported
 * as a compiled module, so clients are ready synchronously, and nothing needs
 * `nodejs_compat`. Workers share module state between the requests of an isolate, so this
 * module also keeps track of the invocations in flight: which client belongs to which
 * one, and whether a client is being used across requests (warned about once).
 */
// The imports' order (type-only imports aside) is the order of the modules in a Worker's
// bundle: the order measured to compress best.
import { ClientEngine } from "../../api/client-engine.js";
import type { Options } from "../../api/types.js";
import { warnOnce } from "../../api/warn.js";
import { cultureFacts } from "../../api/host.js";
import {
  newClient, defaultsOf, memberOf, captureExceptionOf, captureMessageOf, captureEventOf, flushOf, closeOf, lastEventIdOf, setTagOf, setTagsOf, setExtraOf, setExtrasOf, setContextOf, setUserOf, addBreadcrumbOf, addEventProcessorOf, withScopeOf, withIsolationScopeOf, getCurrentScopeOf, getIsolationScopeOf, getGlobalScopeOf, getTraceDataOf, continueTraceOf, startNewTraceOf,
} from "../../api/api.js";
import { addCaptureHook } from "../../api/capture-hooks.js";
import { requestAggregates } from "../../api/sessions.js";
import { makeSpotlight } from "../../delivery/spotlight.js";
import { traceMetaTags, type CoreClass, type OxeyeClient, type Platform } from "../../api/client.js";
import { checkScrub } from "../../api/scrub-check.js";
import { loadWorkerdCore } from "../../core/load-workerd.js";

export { warnOnce };

const platform: Platform = {
  runtime: "workerd",
  loadCore: loadWorkerdCore,
  // No `init` here, so no automatic instrumentation: withOxeye instruments fetch per request.
  // The bare engine (see `EngineStart`): Workers have no automatic instrumentation,
  // IndexedDB or page views; Spotlight's module is linked here (one bundle, nothing lazy).
  load: (client, start) => start(() => [(c, C, p) => new ClientEngine(c, C, p, { spotlight: makeSpotlight }), loadWorkerdCore() as CoreClass]),
  checkScrub,
  requestSessions: requestAggregates,
  hostFacts: () => ({ ...cultureFacts(), runtime: { name: "workerd" } }),
};

/**
 * Workers have no default client (the requests of an isolate share its module state), so
 * the API functions on `oxeye` itself act as elsewhere before `init`: captures are
 * dropped and scope calls go to a discarded scope, and the console is told once. They
 * exist all the same, so that code shared with a Node or browser build runs.
 */
const withoutDefault = (): Platform => ({
  ...platform,
  beforeInit:
    "[oxeye] a capture or scope call was made on oxeye itself in a Worker, and is dropped: Workers have no default client " +
    "(requests share the isolate). Use the client withOxeye gives each invocation: ctx.oxeye, or oxeyeOf(ctx) where the handler is a framework's",
});
const defaults = /* @__PURE__ */ defaultsOf(/* @__PURE__ */ withoutDefault());

// Each is an export of its own, so a Worker that does not import it leaves it out.
export const getClient = /* @__PURE__ */ memberOf(defaults, "getClient");
export const captureException = /* @__PURE__ */ captureExceptionOf(defaults);
export const captureMessage = /* @__PURE__ */ captureMessageOf(defaults);
export const captureEvent = /* @__PURE__ */ captureEventOf(defaults);
export const flush = /* @__PURE__ */ flushOf(defaults);
export const close = /* @__PURE__ */ closeOf(defaults);
export const lastEventId = /* @__PURE__ */ lastEventIdOf(defaults);
export const setTag = /* @__PURE__ */ setTagOf(defaults);
export const setTags = /* @__PURE__ */ setTagsOf(defaults);
export const setExtra = /* @__PURE__ */ setExtraOf(defaults);
export const setExtras = /* @__PURE__ */ setExtrasOf(defaults);
export const setContext = /* @__PURE__ */ setContextOf(defaults);
export const setUser = /* @__PURE__ */ setUserOf(defaults);
export const addBreadcrumb = /* @__PURE__ */ addBreadcrumbOf(defaults);
export const addEventProcessor = /* @__PURE__ */ addEventProcessorOf(defaults);
export const withScope = /* @__PURE__ */ withScopeOf(defaults);
export const withIsolationScope = /* @__PURE__ */ withIsolationScopeOf(defaults);
export const getCurrentScope = /* @__PURE__ */ getCurrentScopeOf(defaults);
export const getIsolationScope = /* @__PURE__ */ getIsolationScopeOf(defaults);
export const getGlobalScope = /* @__PURE__ */ getGlobalScopeOf(defaults);
/** `{}` (use `ctx.oxeye.getTraceData()`). */
export const getTraceData = /* @__PURE__ */ getTraceDataOf(defaults);
/** Runs `callback` with a discarded scope (use `ctx.oxeye.continueTrace`). */
export const continueTrace = /* @__PURE__ */ continueTraceOf(defaults);
/** Runs `callback` with a discarded scope (use `ctx.oxeye.startNewTrace`). */
export const startNewTrace = /* @__PURE__ */ startNewTraceOf(defaults);
/** `client`'s trace as `<meta>` tags (`getTraceMetaTags(ctx.oxeye)`); "" without a client. */
export function getTraceMetaTags(client?: OxeyeClient): string {
  return traceMetaTags(client);
}

/** One handler invocation in flight (a request, a cron run, a queue batch, …). */
export interface Invocation {
  client: OxeyeClient;
  done: boolean;
}

/** Invocations running now in this isolate. */
export const inFlight = new Set<Invocation>();
const creator = new WeakMap<OxeyeClient, Invocation | "module">();


const SHARED =
  "one oxeye client is used by more than one request: scope data (user, tags, breadcrumbs, trace) set for one request " +
  "is seen by the others. Use the client withOxeye gives each request (ctx.oxeye), or createClient inside the handler";

/**
 * Makes a client. Outside `withOxeye` this is the app's own client: if it captures while
 * another request than the one that made it is running (a client kept at module scope),
 * that is warned about once.
 */
export function createClient(options: Options): OxeyeClient {
  const client = newClient(platform, options);
  const only = inFlight.size === 1 ? [...inFlight][0] : undefined;
  creator.set(client, inFlight.size ? (only ?? "module") : "module");
  addCaptureHook(client, () => {
    const made = creator.get(client);
    const shared = made === "module" ? inFlight.size > 1 : !!made && (made.done || inFlight.size > 1);
    if (shared) warnOnce("shared-client", SHARED);
  });
  return client;
}

/**
 * Workers have no default client, so `init` makes none: it says so once on the console and
 * returns a client that sends nothing, so that code shared with a Node or browser build (a
 * framework's server hooks, which call `init` at the top of a module) runs instead of
 * failing every request.
 */
export function init(options: Options): OxeyeClient {
  warnOnce(
    "init",
    "init() makes no default client in a Worker (requests share the isolate), and the client it returns sends nothing. " +
      "Wrap the Worker's handlers with withOxeye and use ctx.oxeye, or oxeyeOf(ctx) where the handler is a framework's",
  );
  return newClient(platform, { ...options, enabled: false });
}

/** Makes the client of one invocation (not subject to the shared-client check). */
export function invocationClient(options: Options): OxeyeClient {
  return newClient(platform, options);
}
