/**
 * Outgoing requests and the errors they cause. Each fetch/XHR the instrumentation sees
 * becomes a `RequestRecord`: method, URL, the request id the backend knows, the trace
 * headers it carried, status. A capture is linked to a request, and then carries tag
 * `request_id` and joins that request's trace, when:
 * 1. the captured value is an object the request produced or that points to it: the
 *    network error of a failed fetch, the `Response`, the `XMLHttpRequest`, a body-read
 *    error (`res.json()` on bad JSON), or an error whose `response`, `request`, `xhr` or
 *    `cause` is one of these;
 * 2. otherwise, the capture happens in the isolation scope that made the request (so a
 *    server's concurrent requests never share one) while its response is being handled:
 *    from the moment it reaches the app until shortly after it (and its body reads)
 *    settled — 2 s for a failed request (HTTP status ≥ 400 or network error, time enough
 *    for an unhandled rejection to be reported), 150 ms for a successful one. When
 *    several are, an error carrying an HTTP status prefers the request with that status,
 *    then the latest.
 * An isolation scope serving an incoming request keeps that request's id as its tag
 * `request_id`; the linked request's id then stays on its breadcrumb.
 */
import type { CaptureHook, CoreTraceHeaders, OxeyeClient } from "../api/client.js";
import type { Breadcrumb } from "../api/types.js";
import { read } from "../api/guard.js";
import { eventId } from "../core/ids.js";
import { httpStatus } from "../api/thrown.js";
import type { HeaderRules } from "./request-rules.js";
import { outgoingHeaders } from "../api/trace-headers.js";
import { sanitizeUrl } from "./url.js";

/**
 * Outgoing trace headers for a request under an isolation scope (default: the client's
 * current one); undefined while the client is closed or before its core is ready.
 */
export function traceHeadersOf(client: OxeyeClient, existingBaggage: string | undefined, isolation: number = client.getIsolationScope().id): CoreTraceHeaders | undefined {
  return client.closed ? undefined : client.engine?.traceHeaders(existingBaggage, isolation);
}

/**
 * Before the core has loaded, a browser's page trace as the loader's requests carry it
 * (`EarlyNotes.pageTrace`): `sentry-trace` and `traceparent`, no `baggage`, whose sampling
 * context is the core's to make. Undefined elsewhere, and once the engine is up.
 */
function pageTraceHeaders(client: OxeyeClient): CoreTraceHeaders | undefined {
  const t = client.engine || client.closed ? undefined : client.platform.early?.pageTrace?.();
  // (Written as the core's parts are, with no DSC: `traceid-spanid`, the flag after.)
  return t && outgoingHeaders({ trace_id: t[0].slice(0, 32), span_id: t[0].slice(33), sampled: t[1] ? t[1] == "-1" : undefined, dsc: [] }, undefined);
}

/**
 * The trace a request's app put on it itself, as a `sentry-trace` value: its own
 * `sentry-trace`, else its W3C `traceparent` (as OpenTelemetry sets it) read as one. Such
 * a request carries the app's trace only: oxeye adds no trace header beside it.
 */
export function ownTrace(sentryTrace: string | null | undefined, traceparent: string | null | undefined): string | undefined {
  if (sentryTrace != null) return sentryTrace;
  if (traceparent == null) return undefined;
  const m = /^[ \t]*[\da-f]{2}-([\da-f]{32})-([\da-f]{16})-([\da-f]{2})/i.exec(traceparent);
  // Unreadable, it is still the app's: its trace, not ours, yet none to join.
  return m ? `${m[1]}-${m[2]}-${+("0x" + m[3]) & 1}`.toLowerCase() : "";
}

/**
 * Sets the outgoing trace headers on a request whose app set no trace header of its own
 * (`ownTrace`), through `set`: `sentry-trace`, `baggage` (the app's `existingBaggage`
 * with the DSC's members appended; none before the core has loaded) and, when the context
 * sends it, `traceparent`; and records them as the request's trace. Answers the headers,
 * or undefined (nothing set) while the client is disabled, or its core not ready and no
 * page trace is known (`pageTraceHeaders`).
 */
export function setTraceHeaders(
  ctx: InstrumentContext,
  rec: RequestRecord,
  set: (name: string, value: string) => void,
  existingBaggage: string | undefined,
  isolation?: number,
): CoreTraceHeaders | undefined {
  const th = traceHeadersOf(ctx.client, existingBaggage, isolation) ?? pageTraceHeaders(ctx.client);
  if (th) {
    set("sentry-trace", th.sentryTrace);
    // (None before the core has loaded: the app's own, if any, stays as it is.)
    if (th.baggage) set("baggage", th.baggage);
    // (Not beside OpenTelemetry, whose instrumentation writes its own below oxeye's: two
    // would make the header invalid.)
    if (ctx.traceparent && !otelPropagates()) set("traceparent", th.traceparent);
    rec.trace = { sentryTrace: th.sentryTrace, baggage: th.dscBaggage };
  }
  return th;
}

/** Whether OpenTelemetry's API has a propagator registered in this realm (its global, version 1). */
function otelPropagates(): boolean {
  return !!(globalThis as Record<symbol, { propagation?: unknown } | undefined>)[Symbol.for("opentelemetry.js.api.1")]?.propagation;
}

/** Everything an instrumentation module needs from its installer. */
export interface InstrumentContext {
  client: OxeyeClient;
  tracker: RequestTracker;
  /** Whether a request to this URL gets trace headers. */
  propagates(url: string): boolean;
  /** Whether this URL is one of the SDK's own. */
  isSdkUrl(url: string): boolean;
  /** How headers are added (`request-rules.ts`). */
  rules: HeaderRules;
  /** The header carrying the request id, or undefined to send none. */
  requestIdHeader?: string;
  /** Response headers naming the backend's request id. */
  responseHeaders: string[];
  /** Send `traceparent` too (`propagateTraceparent`; never while OpenTelemetry propagates). */
  traceparent: boolean;
  /** Which breadcrumbs to record. */
  crumbs: { fetch: boolean; xhr: boolean; history?: boolean };
  /** Called on each history navigation (a new page-view session starts). */
  navigation?: () => void;
  /** True once the core has loaded. */
  ready(): boolean;
}

/** One outgoing request. */
export interface RequestRecord {
  /** The isolation scope the request was made in. */
  isolation: number;
  method: string;
  /** Sanitised absolute URL. */
  url: string;
  /** The id sent in the request id header (ours, or the app's own). */
  sentRequestId?: string;
  /** The id the backend knows: its response header, else the one sent. */
  requestId?: string;
  /** The trace headers the request carried. */
  trace?: { sentryTrace: string; baggage?: string };
  status?: number;
  /** Network error, or no response (a cancel is `aborted`). */
  failed: boolean;
  /** The app cancelled it (an `AbortError`, `xhr.abort()`): no failure, and only the short window. */
  aborted?: boolean;
  durationMs?: number;
  /** Last moment the app was handling its response. */
  touched: number;
  /** Captures until then may be linked to it by time. */
  activeUntil: number;
}

const FAILED_WINDOW_MS = 2000;
const OK_WINDOW_MS = 150;
const RECENT = 16;
const LINK_DEPTH = 6;

/** A timer for durations: `performance.now()` where there is one. */
export function now(): number {
  try {
    return globalThis.performance?.now() ?? Date.now();
  } catch {
    return Date.now();
  }
}

/** A fresh request id: a UUID v4 (made as event ids are) with dashes. */
export function newRequestId(): string {
  return eventId().replace(/^(.{8})(.{4})(.{4})(.{4})/, "$1-$2-$3-$4-");
}

/** The first of the context's `responseHeaders` present in a response's headers. */
export function responseId(ctx: InstrumentContext, get: (name: string) => string | null | undefined): string | undefined {
  for (const n of ctx.responseHeaders) {
    try {
      const v = get(n);
      if (typeof v === "string" && v.trim()) return v.trim().slice(0, 200);
    } catch {
      /* a header the runtime refuses to show (CORS) */
    }
  }
  return undefined;
}

/** The records of one client, and the capture hook that links events to them (`requestTracker`). */
export interface RequestTracker {
  /**
   * A new record (not yet active) of a request (its method as upper-case text, its `url`
   * sanitised: `sanitizeUrl`) made in isolation scope `isolation`.
   */
  record(method: unknown, url: string, isolation: number): RequestRecord;
  /** Remembers that `obj` (a response, an XHR, an error) belongs to `rec`. */
  link(obj: unknown, rec: RequestRecord): void;
  /** The app is handling `rec`'s response (or failure) now, or did at `at` (a `Date.now()`). */
  touch(rec: RequestRecord, at?: number): void;
  /** The request a value captured in isolation scope `isolation` (at `at`, a `Date.now()`; default now) is about, if any. */
  find(thrown: unknown, isolation: number, at?: number): RequestRecord | undefined;
  /** Adds tag `request_id` and the request's trace to captures linked to a request. */
  readonly hook: CaptureHook;
}

/** A tracker of `client`'s requests, with no records yet; their URLs resolve against `base()`. */
export function requestTracker(client: OxeyeClient, base?: () => string | undefined): RequestTracker {
  const byObject = new WeakMap<object, RequestRecord>();
  const recent: RequestRecord[] = [];
  /** False until `link` was first called: no captured value can be linked before that. */
  let linkedAny = false;
  const find = (thrown: unknown, isolation: number, t = Date.now()): RequestRecord | undefined => {
    if (!linkedAny && !recent.length) return undefined;
    let v = linkedAny ? thrown : null;
    const seen = new Set<unknown>();
    for (let i = 0; i < LINK_DEPTH && v && typeof v === "object" && !seen.has(v); i++) {
      seen.add(v);
      for (const candidate of [v, read(v, "response"), read(v, "request"), read(v, "xhr")]) {
        const r = byObject.get(candidate as object); // undefined for a primitive
        if (r) return r;
      }
      v = read(v, "cause");
    }
    // (Handled by then: a capture queued before the engine loaded is linked when the queue
    // runs, and must not find a request that settled after it.)
    const active = recent.filter((r) => r.touched <= t && r.activeUntil >= t && r.isolation === isolation);
    if (!active.length) return undefined;
    const status = httpStatus(thrown);
    if (status) {
      const same = active.filter((r) => r.status === status);
      if (same.length) return same[same.length - 1];
    }
    return active.reduce((a, b) => (b.touched >= a.touched ? b : a));
  };
  return {
    record: (method, url, isolation) => ({ isolation, method: String(method).toUpperCase(), url: sanitizeUrl(url, base?.()), failed: false, touched: 0, activeUntil: 0 }),
    link(obj, rec) {
      if (Object(obj) === obj) {
        byObject.set(obj as object, rec);
        linkedAny = true;
      }
    },
    touch(rec, t = Date.now()) {
      rec.touched = t;
      // Failed or 4xx/5xx (no status: `undefined >= 400` is false): the longer window.
      rec.activeUntil = Math.max(rec.activeUntil, t + (rec.failed || rec.status! >= 400 ? FAILED_WINDOW_MS : OK_WINDOW_MS));
      const i = recent.indexOf(rec);
      if (i >= 0) recent.splice(i, 1);
      recent.push(rec);
      if (recent.length > RECENT) recent.shift();
    },
    find,
    hook(input, hint) {
      const scope = client.getIsolationScope();
      // (At the capture's time: a capture queued before the engine loaded is linked later.)
      const rec = find(hint?.originalException, scope.id, input.timestamp);
      if (!rec) return;
      if (rec.requestId && !scope.requestId) {
        const ev = (input.event ??= {});
        const tags = ev.tags && typeof ev.tags === "object" && !Array.isArray(ev.tags) ? ev.tags : (ev.tags = {});
        if (tags.request_id === undefined) tags.request_id = rec.requestId;
      }
      if (rec.trace && !input.trace) input.trace = { ...rec.trace };
    },
  };
}

/** The breadcrumb of a finished (or failed) request. */
export function httpBreadcrumb(category: "fetch" | "xhr" | "http", rec: RequestRecord): Breadcrumb {
  const data: Record<string, unknown> = { method: rec.method, url: rec.url };
  if (rec.status) data.status_code = rec.status;
  if (rec.durationMs != null) data.duration_ms = Math.round(rec.durationMs);
  if (rec.aborted) data.aborted = true;
  if (rec.requestId) data.request_id = rec.requestId;
  const crumb: Breadcrumb = { type: "http", category, data };
  // A request without a status (`undefined`) compares false, as status 0 would.
  if (rec.failed || rec.status! >= 500) crumb.level = "error";
  else if (rec.status! >= 400) crumb.level = "warning";
  return crumb;
}
