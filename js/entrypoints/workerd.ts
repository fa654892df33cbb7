/**
 * Cloudflare Workers (workerd) and bundler entry point. The `.wasm` file is imported as a
 * compiled module, so clients are ready synchronously. Workers share module state across
 * requests, so make one client per request with `createClient`, or wrap a handler with
 * `withOxeye`; no event or buffer outlives its request.
 */
import { createApi } from "../api/api.js";
import type { OxeyeClient, Platform } from "../api/client.js";
import { startEngine } from "../api/engine.js";
import { intlFacts } from "../api/host.js";
import { incomingFromHeaders } from "../api/trace.js";
import type { Options } from "../api/types.js";
import { loadWorkerdCore } from "../core/load-workerd.js";

const platform: Platform = {
  runtime: "workerd",
  loadCore: loadWorkerdCore,
  loadEngine: () => startEngine,
  hostFacts: () => ({ ...intlFacts(), runtimeName: "workerd" }),
};

const api = createApi(platform);
export const { createClient } = api;
/** Workers have no default client: use `ctx.oxeye.getTraceData()` etc., and `getTraceMetaTags(ctx.oxeye)`. */
export const { getTraceData, continueTrace, startNewTrace, getTraceMetaTags } = api;
export * from "./common.js";

/** The part of a Workers execution context oxeye needs. */
export interface WaitUntilContext {
  waitUntil(p: Promise<unknown>): void;
}

type FetchHandler<E> = (request: Request, env: E, ctx: WaitUntilContext & { oxeye: OxeyeClient }) => Response | Promise<Response>;

/**
 * Wraps a module worker's `fetch` handler: a fresh client per request, errors thrown by
 * the handler captured (mechanism `auto.http.cloudflare`, unhandled) and rethrown, the
 * request counted as a request-mode session (crashed when it threw, errored when an error
 * event was sent), and delivery awaited through `ctx.waitUntil`. The handler gets the
 * client as `ctx.oxeye`.
 */
export function withOxeye<E>(options: (env: E) => Options, handler: FetchHandler<E>) {
  return async (request: Request, env: E, ctx: WaitUntilContext): Promise<Response> => {
    let client: OxeyeClient | undefined;
    try {
      // SENTRY_* bindings configure the client; the request's host picks the environment.
      const opts = options(env);
      client = createClient({ env: env as Record<string, unknown>, hostname: new URL(request.url).hostname, ...opts });
    } catch {
      client = undefined;
    }
    const hctx = Object.assign(Object.create(ctx ?? null), { oxeye: client, waitUntil: (p: Promise<unknown>) => ctx.waitUntil(p) });
    client?.getIsolationScope().setContext("request", { method: request.method, url: request.url });
    try {
      // The request's trace (sentry-trace / baggage / traceparent) is this client's trace,
      // and the caller's request id names the request.
      client?.applyIncomingTrace(incomingFromHeaders(request.headers));
      const ridHeader = typeof client?.options.requestIdHeader === "string" ? client.options.requestIdHeader : "X-Request-ID";
      const rid = request.headers.get(ridHeader);
      if (rid) client?.getIsolationScope().setTag("request_id", rid);
    } catch {
      /* a request without readable headers */
    }
    let threw = false;
    try {
      return await handler(request, env, hctx);
    } catch (e) {
      threw = true;
      client?.captureException(e, { mechanism: { type: "auto.http.cloudflare", handled: false } });
      throw e;
    } finally {
      client?.recordRequestSession(threw ? "crashed" : undefined);
      if (client) ctx.waitUntil(client.flush(2000));
    }
  };
}
