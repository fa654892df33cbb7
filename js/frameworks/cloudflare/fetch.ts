/**
 * The Worker's own outgoing `fetch`: requests to `tracePropagationTargets` carry the
 * invocation's trace (`sentry-trace`, `baggage`, and `traceparent` with
 * `propagateTraceparent`) and its request id, and each request leaves a breadcrumb
 * (`breadcrumbs.fetch`, on by default in Workers).
 *
 * Without `nodejs_compat` a Worker has no async context, so the global `fetch` cannot
 * know which request called it. It is attributed when exactly one invocation is in
 * flight in the isolate; when several are, the call goes out untouched and that is warned
 * about once. `ctx.oxeye.fetch` is always attributed to its own invocation.
 */
import type { OxeyeClient } from "../../api/client.js";
import type { Breadcrumb, Pattern } from "../../api/types.js";
import { newRequestId, traceHeadersOf } from "../../instrument/requests.js";
import { isSdkUrl, sanitizeUrl } from "../../instrument/url.js";
import { shouldPropagate } from "../../instrument/request-rules.js";
import { requestIdHeaderOf } from "../request.js";
import { inFlight, warnOnce } from "./runtime.js";

/**
 * How one invocation's client instruments its outgoing requests: the client, its
 * `tracePropagationTargets`, whether fetch breadcrumbs are on, whether `traceparent` is
 * sent, the request id header, and the incoming request's id (forwarded to the services
 * the Worker calls).
 */
export type FetchPolicy = [
  client: OxeyeClient,
  targets: Pattern[],
  crumbs: boolean,
  traceparent: boolean,
  requestIdHeader: string | undefined,
  requestId: string | undefined,
];

/** The policy of a client, from its options. */
export function fetchPolicy(client: OxeyeClient, requestId: string | undefined): FetchPolicy {
  const o = client.options;
  const b = o.breadcrumbs;
  return [
    client,
    Array.isArray(o.tracePropagationTargets) ? o.tracePropagationTargets : [],
    b === false ? false : b && typeof b === "object" && b.fetch !== undefined ? !!b.fetch : true,
    o.propagateTraceparent === true,
    requestIdHeaderOf(o.requestIdHeader),
    requestId,
  ];
}

/** Whether a policy does anything. */
export function active(p: FetchPolicy): boolean {
  return p[2] || p[1].length > 0;
}

/** The URL a call of fetch goes to: a `Request`'s, else the input's string form (a URL's `href`), as fetch reads it. */
function rawUrl(input: unknown): string {
  return typeof Request !== "undefined" && input instanceof Request ? input.url : String(input);
}

/** Sends one request for `policy` through `original`. */
function instrumented(original: typeof fetch, thisArg: unknown, policy: FetchPolicy, input: unknown, init?: RequestInit): Promise<Response> {
  // Read by index, not destructured: no iterator of the app's is involved.
  const client = policy[0];
  const targets = policy[1];
  const idHeader = policy[4];
  let raw: string;
  let method: string;
  let sendInit = init;
  let requestId: string | undefined;
  try {
    raw = rawUrl(input);
    if (isSdkUrl(raw, client.options.tunnel)) return original.call(thisArg, input as RequestInfo, init);
    const request = typeof Request !== "undefined" && input instanceof Request ? input : undefined;
    method = String(init?.method ?? request?.method ?? "GET").toUpperCase();
    if (targets.length && shouldPropagate(raw, targets)) {
      const headers = new Headers(init?.headers !== undefined ? init.headers : request?.headers);
      if (!headers.has("sentry-trace")) {
        const th = traceHeadersOf(client, headers.get("baggage") ?? undefined);
        if (th) {
          headers.set("sentry-trace", th.sentryTrace);
          headers.set("baggage", th.baggage);
          if (policy[3] && !headers.has("traceparent")) headers.set("traceparent", th.traceparent);
        }
      }
      if (idHeader) {
        requestId = headers.get(idHeader) ?? undefined;
        if (!requestId) headers.set(idHeader, (requestId = policy[5] ?? newRequestId()));
      }
      sendInit = { ...init, headers };
    }
  } catch {
    return original.call(thisArg, input as RequestInfo, init);
  }
  const sent = sendInit === undefined ? original.call(thisArg, input as RequestInfo) : original.call(thisArg, input as RequestInfo, sendInit);
  if (!policy[2]) return sent;
  const crumb = (status?: number) => {
    try {
      const data: Record<string, unknown> = { method, url: sanitizeUrl(raw) };
      if (status) data.status_code = status;
      if (requestId) data.request_id = requestId;
      const b: Breadcrumb = { type: "http", category: "fetch", data };
      if (status === undefined || status >= 500) b.level = "error";
      else if (status >= 400) b.level = "warning";
      client.addBreadcrumb(b);
    } catch {
      /* never break the app's request */
    }
  };
  return sent.then(
    (res) => {
      crumb(res.status);
      return res;
    },
    (e) => {
      crumb(undefined);
      throw e;
    },
  );
}

/** A `fetch` bound to one invocation (`ctx.oxeye.fetch`). */
export function boundFetch(policy: FetchPolicy): typeof fetch {
  return function oxeyeFetch(input: RequestInfo | URL, init?: RequestInit) {
    return instrumented(globalThis.fetch === patched ? original! : globalThis.fetch, globalThis, policy, input, init);
  } as typeof fetch;
}

let original: typeof fetch | undefined;
let patched: typeof fetch | undefined;
const policies = new WeakMap<OxeyeClient, FetchPolicy>();

/** Registers an invocation's policy, patching the global `fetch` on first need. */
export function useGlobalFetch(policy: FetchPolicy): void {
  policies.set(policy[0], policy);
  if (patched || !active(policy) || typeof globalThis.fetch !== "function") return;
  original = globalThis.fetch;
  const base = original;
  patched = function fetch(input: RequestInfo | URL, init?: RequestInit) {
    let policy: FetchPolicy | undefined;
    try {
      if (inFlight.size === 1) policy = policies.get([...inFlight][0].client);
      else if (inFlight.size > 1 && !isSdkUrl(rawUrl(input))) {
        warnOnce(
          "ambiguous-fetch",
          "several requests are in flight, so a call of the global fetch cannot be attributed to one of them: it went out " +
            "without trace headers or breadcrumb. Use ctx.oxeye.fetch for calls that must carry the request's trace",
        );
      }
    } catch {
      /* unattributed: whatever throws does so before `policy` is set */
    }
    if (!policy || !active(policy)) return base.call(globalThis, input, init);
    return instrumented(base, globalThis, policy, input, init);
  } as typeof fetch;
  globalThis.fetch = patched;
}
