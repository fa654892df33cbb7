/**
 * What oxeye reports for an error Next hands to `onRequestError`, in every server build
 * of `oxeye/nextjs` (Node and edge, Workers): the request and route read from Next's
 * arguments (`readRequestError`), and the report made in a scope (`reportRequestError`):
 * tag `request_id`, the transaction `"<METHOD> <route>"`, `contexts.nextjs`, tag
 * `digest`, Sentry's top-level `request`, and mechanism
 * `auto.function.nextjs.on_request_error` (unhandled).
 */
import type { OxeyeClient, Scope } from "oxeye";
import { objectHeaders, readIncoming } from "../request.js";

/** The request Next passes to `onRequestError` (Next 15 and later). */
export interface RequestInfo {
  path: string;
  method: string;
  headers: Record<string, string | string[] | undefined>;
}

/** The context Next passes to `onRequestError`. */
export interface RequestErrorContext {
  routerKind: string;
  routePath: string;
  routeType: string;
  renderSource?: string | undefined;
  revalidateReason?: string | undefined;
}

/** One request error, as read from Next's arguments. */
export interface RequestError {
  method: string;
  transaction?: string | undefined;
  /** `contexts.nextjs`. */
  nextjs: Record<string, unknown>;
  /** The request's data, incoming trace and request id (`readIncoming`). */
  incoming?: ReturnType<typeof readIncoming> | undefined;
}

/** Reads Next's arguments; never throws (what cannot be read is left out). */
export function readRequestError(error: unknown, request: RequestInfo, context: RequestErrorContext, client: OxeyeClient): RequestError {
  const read: RequestError = { method: "GET", nextjs: {} };
  const nextjs = read.nextjs;
  try {
    const method = (read.method = String(request?.method || "GET").toUpperCase());
    let route = context?.routePath ?? request?.path;
    // An edge route handler's path comes with its file's name (`/api/x/route`).
    if (context?.routeType === "route" && typeof route === "string") route = route.replace(/(.)\/route$/, "$1");
    if (typeof route === "string" && route) read.transaction = `${method} ${route}`;
    nextjs.request_path = request?.path;
    nextjs.router_kind = context?.routerKind;
    nextjs.router_path = context?.routePath;
    nextjs.route_type = context?.routeType;
    if (context?.renderSource) nextjs.render_source = context.renderSource;
    if (context?.revalidateReason) nextjs.revalidate_reason = context.revalidateReason;
    const digest = (error as { digest?: unknown } | null)?.digest;
    if (typeof digest === "string") nextjs.digest = digest;
    read.incoming = readIncoming(method, request?.path, objectHeaders(request?.headers), client.options);
  } catch {
    /* what Next passed could not be read: the error is still reported */
  }
  return read;
}

/**
 * Continues the caller's trace, when the request's headers carry one, in the scope
 * `scopeId` (default: the client's isolation scope); with none, that scope keeps the trace
 * it has (headers naming no trace would start a new one).
 */
export function applyRequestTrace(client: OxeyeClient, read: RequestError, scopeId?: number): void {
  const trace = read.incoming?.[1];
  if (trace && Object.values(trace).some((v) => v)) client.applyIncomingTrace(trace, scopeId);
}

/** Captures `error` with what `read` holds, in `scope` (one of the request's, forked for the report). */
export function reportRequestError(client: OxeyeClient, scope: Scope, error: unknown, read: RequestError): void {
  const { incoming, nextjs } = read;
  if (incoming?.[2]) scope.setTag("request_id", incoming[2]);
  if (read.transaction) scope.setTransactionName(read.transaction);
  scope.setContext("nextjs", nextjs);
  if (nextjs.digest) scope.setTag("digest", nextjs.digest);
  const data = incoming?.[0];
  if (data) scope.addEventProcessor((event) => ({ ...event, request: { ...data, ...(event.request ?? {}) } }));
  client.captureException(error, { mechanism: { type: "auto.function.nextjs.on_request_error", handled: false } });
}
