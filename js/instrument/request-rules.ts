/**
 * The rules an outgoing request is changed by, shared by the browser's loader (requests
 * made before the engine loads, `early-requests.ts`) and the engine's `fetch`
 * instrumentation: which URLs get trace headers (`tracePropagationTargets`), the request
 * id header's name, and how headers are added to a call's arguments without changing
 * what the app passed. In browsers the engine reaches these through the platform
 * (`Platform.requestRules`), never by importing this module (see `api/loader-util.ts`);
 * the servers' entries link it. Pure functions, no state; nothing here throws but
 * `requestWith` and `headersWith`, whose callers send the call as the app made it when
 * they do.
 */
import type { Pattern } from "../api/types.js";

/** Default request id header. */
export const REQUEST_ID_HEADER = "X-Request-ID";

/** Whether `v` is an RFC 7230 token: what a header name may be. */
export const isHeaderName = (v: unknown): v is string => typeof v == "string" && /^[\w!#$%&'*+.^`|~-]+$/.test(v);

/**
 * The request id header the option `requestIdHeader` (`v`) names: `v` when it is a header
 * name, none for `false` or "", else the default (`bad` is then true when a value was
 * given).
 */
export function requestIdName(v: unknown): [name?: string, bad?: boolean] {
  if (v === false || v === "") return [];
  return isHeaderName(v) ? [v] : [REQUEST_ID_HEADER, v != null];
}

/**
 * Whether a request to `raw` (resolved against `base`) gets trace headers. No targets:
 * only the origin of `pageHref` (nothing where there is no page). With targets: a string
 * matches as a substring and a RegExp by `test` (from `lastIndex` 0), against the absolute
 * URL and, for same-origin requests, also against the path and the URL as given. `[]`
 * matches nothing.
 */
export function shouldPropagate(raw: string, targets: Pattern[] | undefined, base?: string, pageHref = base): boolean {
  try {
    const u = new URL(String(raw), base || undefined);
    const sameOrigin = !!pageHref && new URL(pageHref).origin === u.origin && u.origin !== "null";
    if (!targets) return sameOrigin;
    const texts = sameOrigin ? [u.href, u.pathname + u.search, String(raw)] : [u.href];
    return targets.some((t) => texts.some((s) => (typeof t == "string" ? t != "" && s.includes(t) : t instanceof RegExp && ((t.lastIndex = 0), t.test(s)))));
  } catch {
    return false;
  }
}

/** Whether `v` is a Request, of this realm or another (an iframe's). */
export const isRequest = (v: unknown): boolean => Object.prototype.toString.call(v) == "[object Request]";

/**
 * A `Request` like `input` (a Request) with headers `added`: built anew from the app's
 * arguments, as fetch would build it, with only its headers changed (an `init` added to
 * it would reset its referrer and replace headers that a wrapper below sets on the
 * Request it gets).
 */
export function requestWith(input: unknown, init: RequestInit | undefined, added: [string, string][]): Request {
  const request = new Request(input as Request, init);
  for (const [n, v] of added) request.headers.set(n, v);
  return request;
}

/**
 * An `init`'s `headers` (`given`) with headers `added`, in the shape the app gave them (a
 * plain object, pairs or a `Headers`), so that a wrapper of the app's own that `fetch`
 * passes through sees what the app passed, plus the added names (replacing the app's of
 * the same name in any case).
 */
export function headersWith(given: unknown, added: [string, string][]): [string, string][] | Headers | Record<string, string> {
  const lower = new Set(added.map(([n]) => n.toLowerCase()));
  if (Array.isArray(given)) return (given as [string, string][]).filter((pair) => !lower.has(String(pair?.[0]).toLowerCase())).concat(added);
  if (typeof (given as Iterable<unknown> | undefined)?.[Symbol.iterator] == "function") {
    // A `Headers` (this realm's, or any iterable of pairs fetch would read)
    const out = new Headers(given as HeadersInit);
    for (const [n, v] of added) out.set(n, v);
    return out;
  }
  const out: Record<string, string> = {};
  // A record's own names (as fetch reads them), without those set here in any case.
  for (const k of Object.keys((given ?? {}) as object)) if (!lower.has(k.toLowerCase())) out[k] = (given as Record<string, string>)[k];
  for (const [n, v] of added) out[n] = v;
  return out;
}

/**
 * The rules as the platform hands them to the engine: a tuple, so that no property names
 * travel on the browser's critical path (the engine names them as it takes them apart,
 * `instrument/index.ts`).
 */
export const requestRules = [requestIdName, isHeaderName, shouldPropagate, isRequest, requestWith, headersWith] as const;
export type RequestRules = typeof requestRules;
/** The rules the engine's `fetch` instrumentation applies to a call's arguments. */
export type HeaderRules = { isRequest: typeof isRequest; requestWith: typeof requestWith; headersWith: typeof headersWith };
