/**
 * What every server integration records about an incoming request: Sentry's top-level
 * `request` (method, URL, query string, an allow-list of headers; cookies and the
 * client's address only with `sendDefaultPii`), the caller's request id and its trace
 * headers. Pure: reads headers through a getter, so Node's `IncomingMessage`, a Fetch
 * `Request` (Workers, Next's edge runtime) and Next's `onRequestError` header objects
 * all fit. The core scrubs what is recorded (URL secrets, cookies) before it is sent.
 */
import type { IncomingTrace } from "../api/trace.js";
import type { Options, RequestData } from "../api/types.js";
import { cut } from "../api/normalize.js";
import { isHeaderName } from "../instrument/request-rules.js";

/** Sentry's `request` interface, as oxeye fills it. */
export type { RequestData };

/** Reads one header (any case); `undefined` when absent or empty. */
export type HeaderGetter = (name: string) => string | undefined;

/** Headers recorded for every request; anything else (Authorization, custom tokens) is never read. */
const SAFE_HEADERS = [
  "host",
  "user-agent",
  "accept",
  "accept-language",
  "accept-encoding",
  "content-type",
  "content-length",
  "referer",
  "origin",
  "x-forwarded-host",
  "x-forwarded-proto",
  "sentry-trace",
  "baggage",
  "traceparent",
  "cf-ray",
  "cf-ipcountry",
];
/** Headers that carry the user's address: recorded only with `sendDefaultPii`. */
const ADDRESS_HEADERS = ["x-forwarded-for", "x-real-ip", "cf-connecting-ip", "true-client-ip"];

/** The default header naming a request. */
export const DEFAULT_REQUEST_ID_HEADER = "x-request-id";

/** The header the options name for request ids (`requestIdHeader`), lower-cased; undefined when turned off. */
export function requestIdHeaderOf(option: unknown): string | undefined {
  if (option === false || option === "") return undefined;
  return isHeaderName(option) ? option.toLowerCase() : DEFAULT_REQUEST_ID_HEADER;
}

/** A header getter over a Fetch `Headers`. */
export function fetchHeaders(headers: { get(name: string): string | null } | undefined): HeaderGetter {
  return (name) => {
    try {
      const v = headers?.get(name);
      return typeof v === "string" && v !== "" ? v : undefined;
    } catch {
      /* undefined */
    }
  };
}

/** A header getter over a plain object of lower-case names (Node's `req.headers`, Next's `request.headers`). */
export function objectHeaders(headers: Record<string, string | string[] | undefined> | undefined): HeaderGetter {
  return (name) => {
    try {
      const v = headers?.[name] ?? headers?.[name.toLowerCase()];
      const s = Array.isArray(v) ? v.join(name === "cookie" ? "; " : ", ") : v;
      return typeof s === "string" && s !== "" ? s : undefined;
    } catch {
      /* undefined */
    }
  };
}

/** What one incoming request tells oxeye: Sentry's `request`, the caller's trace headers and request id. */
export type IncomingRequest = [request: RequestData, trace: IncomingTrace, requestId: string | undefined];

/**
 * Reads an incoming request with the client's `options` (`sendDefaultPii`,
 * `requestIdHeader`). `url` is absolute or a path (then completed from the `host` /
 * `x-forwarded-*` headers, over https when `secure`); `remoteAddress` is kept only with
 * `sendDefaultPii`.
 */
export function readIncoming(
  method: string | undefined,
  url: string | undefined,
  header: HeaderGetter,
  options: Pick<Options, "sendDefaultPii" | "requestIdHeader">,
  remoteAddress?: string,
  secure?: boolean,
): IncomingRequest {
  const request: RequestData = {};
  if (method) request.method = String(method).toUpperCase();
  if (typeof url === "string" && url) {
    // A path is completed from the host headers when they name a host (in `url` itself).
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
      const host = firstOf(header("x-forwarded-host")) ?? header("host");
      if (host) {
        try {
          // (The header getters never throw.)
          url = new URL(url, `${firstOf(header("x-forwarded-proto")) ?? (secure ? "https" : "http")}://${host}`).href;
        } catch {
          /* as given */
        }
      }
    }
    // The URL up to its query or fragment, and the query up to the fragment.
    const [, path, qs] = /^([^?#]*)(?:\?([^#]*))?/.exec(url)!;
    request.url = path;
    if (qs) request.query_string = qs;
  }
  const ridName = requestIdHeaderOf(options.requestIdHeader);
  const names = [...SAFE_HEADERS];
  if (ridName && !names.includes(ridName)) names.push(ridName);
  const pii = options.sendDefaultPii === true;
  if (pii) names.push(...ADDRESS_HEADERS);
  const headers: Record<string, string> = {};
  for (const n of names) {
    const v = header(n);
    if (v) headers[n] = cut(v, 2048);
  }
  if (Object.keys(headers).length) request.headers = headers;
  if (pii) {
    const cookie = header("cookie");
    if (cookie) request.cookies = cookie;
    if (remoteAddress) request.env = { REMOTE_ADDR: remoteAddress };
  }
  const rid = ridName ? header(ridName) : undefined;
  return [request, { sentryTrace: header("sentry-trace"), baggage: header("baggage"), traceparent: header("traceparent") }, rid?.slice(0, 200)];
}

function firstOf(v: string | undefined): string | undefined {
  const s = v?.split(",")[0]?.trim();
  return s ? s : undefined;
}
