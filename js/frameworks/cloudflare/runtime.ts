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
import type { Scope } from "../../api/scope.js";
import type { IncomingTrace } from "../../api/trace.js";
import type { Options, TraceData } from "../../api/types.js";
import { warnOnce } from "../../api/warn.js";
import { consoleWarn } from "../../api/loader-util.js";
import { cultureFacts } from "../../api/host.js";
import { BEFORE_INIT_WARNING, detached, newClient } from "../../api/api.js";
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

let warned = false;
/**
 * Workers have no default client (no `init` sets one), so the API functions act as
 * elsewhere before `init`: the console is told once (`BEFORE_INIT_WARNING`).
 */
function noDefaultClient(): undefined {
  if (!warned) {
    warned = true;
    consoleWarn(BEFORE_INIT_WARNING);
  }
  return undefined;
}

// The API functions of the Workers entries, as `createApi` writes them for a runtime
// without a default client: empty trace data, callbacks run with a discarded scope. Each
// is an export of its own, so a Worker that does not import it leaves it out.

/** Workers have no default client: `{}` (use `ctx.oxeye.getTraceData()`). */
export function getTraceData(): TraceData {
  return noDefaultClient() ?? {};
}
/** Workers have no default client: runs `callback` with a discarded scope (use `ctx.oxeye.continueTrace`). */
export function continueTrace<T>(headers: IncomingTrace, callback: (scope: Scope) => T): T {
  return noDefaultClient(), callback(detached());
}
/** Workers have no default client: runs `callback` with a discarded scope (use `ctx.oxeye.startNewTrace`). */
export function startNewTrace<T>(callback: (scope: Scope) => T): T {
  return noDefaultClient(), callback(detached());
}
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

/** Makes the client of one invocation (not subject to the shared-client check). */
export function invocationClient(options: Options): OxeyeClient {
  return newClient(platform, options);
}
