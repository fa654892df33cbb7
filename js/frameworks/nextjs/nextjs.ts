/**
 * Next.js bindings (`oxeye/nextjs`): `init` for every Next runtime (browser, Node server,
 * edge), reading Next's environment variables, and `captureRequestError` to export as
 * `onRequestError` from `instrumentation.ts`. Next is not imported: this module imports
 * `oxeye` by name, so each of Next's bundles gets the runtime entry of its own condition
 * (`browser`, `node`, `edge-light`) and the default client of that runtime.
 *
 * React helpers for `app/global-error.tsx` live in `oxeye/nextjs/client`; a Next app that
 * OpenNext runs on Workers gets `nextjs-workerd.ts` (the `workerd` condition) instead.
 */
import * as oxeye from "oxeye";
import type { CaptureContext, EventHint, Options, OxeyeClient, Scope, SeverityLevel } from "oxeye";
import { endServedRequest } from "../../api/sessions.js";
import { nextOptions, read } from "./next-env.js";
import { applyRequestTrace, readRequestError, reportRequestError, type RequestErrorContext, type RequestInfo } from "./request-error.js";
import { outsideRequestContext, RequestErrorDedupe } from "./server.js";

export type { RequestErrorContext, RequestInfo };
export { nextEnv } from "./next-env.js";

/** Options of the Next.js `init`: oxeye's options, plus how long `captureRequestError` waits for delivery. */
export interface NextjsOptions extends Options {
  /** Upper bound (ms) of the flush after each request error, so serverless and edge runtimes deliver before freezing. Default 2000. */
  flushTimeoutMs?: number | undefined;
}

/** What a runtime entry of `oxeye` exports (read loosely: entries differ in what they have). */
interface RuntimeApi {
  init?(options: Options): OxeyeClient;
  createClient(options: Options): OxeyeClient;
  getClient?(): OxeyeClient | undefined;
}

const api = oxeye as unknown as RuntimeApi;

/**
 * Next bundles `instrumentation.ts`, route handlers, server components and middleware
 * separately, each with its own copy of every module, so a client kept in a module variable
 * would be seen by `instrumentation.ts` only. The client lives on `globalThis` instead,
 * which all of them share within one runtime.
 */
interface Carrier {
  client?: OxeyeClient | undefined;
  flushTimeoutMs: number;
}
const CARRIER = Symbol.for("oxeye.nextjs");
function carrier(): Carrier {
  const g = globalThis as unknown as Record<symbol, Carrier | undefined>;
  return (g[CARRIER] ??= { flushTimeoutMs: 2000 });
}

/**
 * Starts oxeye in the runtime this bundle runs in: call it from `instrumentation-client.ts`
 * (browser) and from `register()` in `instrumentation.ts` (Node server and edge). The DSN,
 * release and environment come from the options, else from `SENTRY_*` /
 * `NEXT_PUBLIC_SENTRY_*` variables; the environment defaults to `VERCEL_ENV`, else
 * `NODE_ENV`, so a production build reports as `production` from every runtime.
 */
export function init(options: NextjsOptions = {}): OxeyeClient {
  const { flushTimeoutMs, ...rest } = options ?? {};
  const shared = carrier();
  if (typeof flushTimeoutMs === "number" && flushTimeoutMs >= 0) shared.flushTimeoutMs = flushTimeoutMs;
  const opts = nextOptions(rest);
  // `init` of the runtime entry also makes it the default client of this bundle's `oxeye`.
  const client = typeof api.init === "function" ? api.init(opts) : api.createClient(opts);
  // Next runs `register()` while it serves the first request: the rest of that request
  // gets scopes of its own, as every later request does (Node).
  try {
    client.platform.isolateCurrent?.(client);
  } catch {
    /* that request stays on the process's scopes */
  }
  const previous = shared.client;
  shared.client = client;
  if (previous && previous !== client) void previous.close().catch(() => false);
  // (The client has said why it is off; on the edge runtime, the likely cause follows.)
  void client.ready.then(() => {
    const why = client.disabledReason;
    if (why && /wasm/.test(why) && read(() => process.env.NEXT_RUNTIME) === "edge") warn(EDGE_WASM_HINT);
  });
  return client;
}

const EDGE_WASM_HINT =
  "why the core could not load here: on Next's edge runtime the wasm file is bundled only for functions whose own code imports oxeye. Use an import of \"oxeye/nextjs\" in the edge route or middleware too (call getClient() there: a bare import is removed by the bundler), or use the nodejs runtime";

const warned = new Set<string>();
function warnOnce(key: string, message: string): void {
  if (warned.has(key)) return;
  warned.add(key);
  warn(message);
}

function warn(message: string): void {
  try {
    console.warn(`[oxeye] ${message}`);
  } catch {
    /* no console */
  }
}

/** The client `init` made in this runtime (shared by every bundle of the app), else the default client of `oxeye`. */
export function getClient(): OxeyeClient | undefined {
  return carrier().client ?? api.getClient?.();
}

/**
 * Captures an error through the app's client: the one `init` made in `instrumentation.ts`,
 * which every bundle of the app shares (so a plain `oxeye` import reaches it too). For
 * server components, route handlers, server actions and proxy (middleware) code. Returns
 * the event id ("" when oxeye is not started).
 */
export function captureException(exception: unknown, hint?: EventHint | CaptureContext): string {
  return getClient()?.captureException(exception, hint) ?? "";
}

/** Captures a message through the app's client (see `captureException`). */
export function captureMessage(message: string, level?: SeverityLevel | EventHint | CaptureContext): string {
  return getClient()?.captureMessage(message, level) ?? "";
}

/** Waits (at most `timeoutMs`) until everything captured so far is delivered. */
export function flush(timeoutMs = 2000): Promise<boolean> {
  return getClient()?.flush(timeoutMs) ?? Promise.resolve(true);
}

/** Hands a promise to the platform's `waitUntil` (Next's or Vercel's request context), when there is one. */
function waitUntil(task: Promise<unknown>): void {
  for (const name of ["@next/request-context", "@vercel/request-context"]) {
    try {
      const ctx = (globalThis as Record<symbol, { get?(): { waitUntil?(p: Promise<unknown>): void } | undefined }>)[Symbol.for(name)]?.get?.();
      if (typeof ctx?.waitUntil === "function") {
        ctx.waitUntil(task);
        return;
      }
    } catch {
      /* no request context */
    }
  }
}

const dedupe = new RequestErrorDedupe();

/**
 * Reports an error Next caught while serving a request. Export it from `instrumentation.ts`:
 * `export const onRequestError = captureRequestError;`. The event continues the request's
 * trace (`sentry-trace` / `baggage` / `traceparent`), carries its request id as the tag
 * `request_id` (`x-request-id`, or the `requestIdHeader` option), Sentry's top-level
 * `request`, mechanism `auto.function.nextjs.on_request_error` (unhandled),
 * `contexts.nextjs` and the transaction `"<METHOD> <route>"`. Next may report one failure
 * several times (render and RSC passes): it is sent once per request and error. On Node,
 * the request counts as a `crashed` request-mode session (release health).
 *
 * It runs outside the request's async context (Next's prerender checks flag clock reads
 * made inside it, e.g. with `cacheComponents`); delivery is awaited (at most
 * `flushTimeoutMs`) and also handed to the platform's `waitUntil`, so serverless and edge
 * runtimes send it before they freeze. Never throws.
 */
export function captureRequestError(error: unknown, request: RequestInfo, context: RequestErrorContext): Promise<void> {
  const client = getClient();
  if (!client) {
    warnOnce("no-client", "onRequestError was called but oxeye was not started in this runtime: call init() from \"oxeye/nextjs\" in register() of instrumentation.ts");
    return Promise.resolve();
  }
  const req = readRequestError(error, request, context, client);
  const { method, incoming } = req;
  // The scopes serving this request (Node), read inside the request's context.
  let served: Scope | undefined;
  let current: Scope | undefined;
  try {
    served = client.getIsolationScope();
    current = client.getCurrentScope();
  } catch {
    /* none */
  }
  return outsideRequestContext(() => {
    // One report per request and error. A request is named by its id, else by the
    // isolation scope serving it (Node), else (no scope of its own: edge) by its method and
    // path for a moment only: the same failure in two requests is two reports.
    let requestKey = incoming?.[2];
    let shared = false;
    if (!requestKey) {
      try {
        shared = !served || served === client.getIsolationScope();
      } catch {
        shared = true;
      }
      requestKey = shared ? `${method} ${request?.path}` : `scope ${served!.id}`;
    }
    if (!dedupe.first(error, requestKey, req.nextjs.digest, shared)) return Promise.resolve();
    // Release health: the request failed (the report's own scope is a fork outside it).
    if (served) endServedRequest(client, served, "crashed");
    try {
      const report = (scope: Scope) => reportRequestError(client, scope, error, req);
      // In a fork of the request's own scopes (Node: its user, tags and breadcrumbs, and the
      // trace its isolation already continued, or the caller's); with no scopes of its own
      // (edge), in one that continues the caller's trace, or starts one.
      let own = false;
      try {
        own = !!served && !!current && served !== client.getIsolationScope();
      } catch {
        /* none */
      }
      if (own) {
        client.withIsolationScope((scope) => {
          applyRequestTrace(client, req, scope.id);
          report(scope);
        }, { isolation: served!, current: current! });
      } else client.continueTrace(incoming?.[1] ?? {}, report);
    } catch {
      /* reporting must never break Next's error handling */
    }
    const delivered = client.flush(carrier().flushTimeoutMs).then(
      () => undefined,
      () => undefined,
    );
    waitUntil(delivered);
    return delivered;
  });
}
