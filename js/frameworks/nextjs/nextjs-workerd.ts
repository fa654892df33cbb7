/**
 * `oxeye/nextjs` on Cloudflare Workers: a Next app deployed with OpenNext
 * (`@opennextjs/cloudflare`), whose server build resolves the `workerd` condition of the
 * packages Next leaves external (`serverExternalPackages: ["oxeye"]`). Same API as the
 * Node and edge build (`nextjs.ts`). (The exports map also gives it for `module` where no
 * runtime is named, as in OpenNext's bundle of a Node proxy, which copies what
 * `instrumentation.ts` imports: the Node build would pull in `oxeye`'s browser entry,
 * which Next did not trace there.)
 *
 * The requests of an isolate share its module state, and a promise made in one request
 * cannot be settled from another, so there is no app-wide client: `init` records the
 * options, and each request gets a client of its own, made at its first use from the
 * request's context that OpenNext keeps (`globalThis[Symbol.for("__cloudflare-context__")]`,
 * what `getCloudflareContext()` returns: `{ env, ctx }`). The request's `SENTRY_*` bindings
 * complete the options, and every delivery is handed to its `ctx.waitUntil`. While `init`
 * has been called, that client is also the default of `oxeye` itself in the Worker, so
 * `oxeye.setUser`, `oxeye.captureException`, … in server code reach it.
 */
import type { CaptureContext, EventHint, Options, OxeyeClient, SeverityLevel } from "oxeye";
import { addCaptureHook } from "../../api/capture-hooks.js";
import { invocationClient, warnOnce } from "../cloudflare/runtime.js";
import { nextOptions } from "./next-env.js";
import { applyRequestTrace, readRequestError, reportRequestError, type RequestErrorContext, type RequestInfo } from "./request-error.js";
import { RequestErrorDedupe } from "./server.js";
import type { NextjsOptions } from "./nextjs.js";

export type { NextjsOptions, RequestErrorContext, RequestInfo };
export { nextEnv } from "./next-env.js";

/**
 * What `init` recorded, and each request's invocation by its `ExecutionContext`, shared by
 * every copy of this module in the Worker (OpenNext bundles a Node proxy apart from the
 * server, each with its own copy, into one isolate): one client per request, whichever
 * copy asks.
 */
interface Carrier {
  options?: Options | undefined;
  flushTimeoutMs: number;
  invocations: WeakMap<object, Invocation>;
}
const CARRIER = Symbol.for("oxeye.nextjs.workerd");
const carrier = (): Carrier => {
  const g = globalThis as unknown as Record<symbol, Carrier | undefined>;
  return (g[CARRIER] ??= { flushTimeoutMs: 2000, invocations: new WeakMap() });
};

/** OpenNext's context of the request being served. */
interface RequestContext {
  env?: Record<string, unknown>;
  ctx: { waitUntil(p: Promise<unknown>): void };
}

/** One request's client, and its reports of Next's request errors so far. */
interface Invocation {
  client: OxeyeClient;
  dedupe: RequestErrorDedupe;
  waitUntil(p: Promise<unknown>): void;
}

/** OpenNext's context of the request being served, else undefined (outside a request, or not OpenNext). */
function requestContext(): RequestContext | undefined {
  try {
    const c = (globalThis as unknown as Record<symbol, RequestContext | undefined>)[Symbol.for("__cloudflare-context__")];
    return c && typeof c == "object" && c.ctx && typeof c.ctx == "object" ? c : undefined;
  } catch {
    return undefined;
  }
}

/** The invocation of the request being served, made at its first use; undefined outside a request or before `init`. */
function invocation(): Invocation | undefined {
  const cf = requestContext();
  const { options, invocations } = carrier();
  if (!cf || !options) return undefined;
  let inv = invocations.get(cf.ctx);
  if (inv) return inv;
  let client: OxeyeClient;
  try {
    const bindings: Record<string, string> = {};
    for (const [k, v] of Object.entries(cf.env ?? {})) if (k.startsWith("SENTRY_") && typeof v == "string") bindings[k] = v;
    client = invocationClient(nextOptions(options, bindings));
  } catch (e) {
    warnOnce("nextjs-workerd", `oxeye could not start for a request (${e}), so its errors are not reported`);
    client = invocationClient({ enabled: false });
  }
  const made: Invocation = {
    client,
    dedupe: new RequestErrorDedupe(),
    waitUntil(p) {
      try {
        cf.ctx.waitUntil(p);
      } catch (e) {
        client.log(`a delivery may be cut short when the request ends: ${e}`);
      }
    },
  };
  invocations.set(cf.ctx, made);
  // What route handlers, server components and actions capture themselves is delivered
  // before the request ends too.
  addCaptureHook(client, () => made.waitUntil(Promise.resolve().then(() => client.flush(carrier().flushTimeoutMs))));
  return made;
}

/**
 * Records the options of the clients made for each request (call it from `register()` in
 * `instrumentation.ts`), completed from `SENTRY_*` / `NEXT_PUBLIC_SENTRY_*` variables and
 * the request's `SENTRY_*` bindings. Returns a client that sends nothing: in a request,
 * `getClient()` gives the request's own.
 */
export function init(options: NextjsOptions = {}): OxeyeClient {
  const { flushTimeoutMs, ...rest } = options ?? {};
  const shared = carrier();
  if (typeof flushTimeoutMs == "number" && flushTimeoutMs >= 0) shared.flushTimeoutMs = flushTimeoutMs;
  shared.options = rest;
  // `oxeye`'s own functions in this Worker find the request's client through its default slot.
  try {
    Object.defineProperty(globalThis, Symbol.for("oxeye.default.workerd"), { get: () => invocation()?.client, configurable: true });
  } catch {
    /* `oxeye` itself stays without a default client */
  }
  return invocationClient({ ...rest, enabled: false });
}

/** The client of the request being served (made at its first use); undefined outside a request or before `init`. */
export function getClient(): OxeyeClient | undefined {
  return invocation()?.client;
}

/** Captures an error through the request's client (see `getClient`); returns the event id, "" outside a request. */
export function captureException(exception: unknown, hint?: EventHint | CaptureContext): string {
  return getClient()?.captureException(exception, hint) ?? "";
}

/** Captures a message through the request's client (see `captureException`). */
export function captureMessage(message: string, level?: SeverityLevel | EventHint | CaptureContext): string {
  return getClient()?.captureMessage(message, level) ?? "";
}

/** Waits (at most `timeoutMs`) until everything the request's client captured is delivered. */
export function flush(timeoutMs = 2000): Promise<boolean> {
  return getClient()?.flush(timeoutMs) ?? Promise.resolve(true);
}

/**
 * Reports an error Next caught while serving a request (`export const onRequestError =
 * captureRequestError;`), as the Node build does, through the request's own client, in
 * the request's trace (the caller's, when it sent one); once per request and error. Its
 * delivery goes to the request's `waitUntil`, so Next's answer does not wait for it.
 * Never throws.
 */
export function captureRequestError(error: unknown, request: RequestInfo, context: RequestErrorContext): Promise<void> {
  const inv = invocation();
  if (!inv) {
    warnOnce(
      "nextjs-workerd-outside",
      carrier().options
        ? "onRequestError was called outside OpenNext's request context, so the error is not reported (is the Worker built by @opennextjs/cloudflare?)"
        : 'onRequestError was called but oxeye was not started in this Worker: call init() from "oxeye/nextjs" in register() of instrumentation.ts',
    );
    return Promise.resolve();
  }
  const { client } = inv;
  const req = readRequestError(error, request, context, client);
  if (!inv.dedupe.first(error, "request", req.nextjs.digest)) return Promise.resolve();
  try {
    // The request's client continues the caller's trace from now on (it is made before
    // anything of the request is known: OpenNext's context does not hold it), and the
    // report goes in that trace: with no trace header, the one the client's captures
    // already carry.
    applyRequestTrace(client, req);
    client.withScope((scope) => reportRequestError(client, scope, error, req));
  } catch {
    /* reporting must never break Next's error handling */
  }
  // (The capture hook handed its delivery to the request's `waitUntil`.)
  return Promise.resolve();
}
