/**
 * `fetch` instrumentation: requests to propagation targets get `sentry-trace`, `baggage`
 * (the app's own entries kept, the DSC appended), optionally `traceparent`, and a request
 * id (the app's own, else that of the incoming request being served, else a fresh one).
 * Every request gets a breadcrumb with its method, URL (secrets removed), status, duration
 * and the backend's request id, and is tracked so that errors it causes are linked to it
 * (see requests.ts).
 *
 * Patched once; the original is always what sends, called with the caller's arguments
 * when nothing is added. When headers are added, it gets the caller's `input` and a copy
 * of `init` whose headers have the same shape as the app's, plus the added names (a
 * wrapper of the app's own below this one sees what the app passed); a `Request` is
 * built anew from the app's arguments with only its headers changed. Nothing here throws
 * into the app: a failure of the instrumentation sends the request as the app made it.
 * The SDK's own envelope requests pass through untouched. Requests made before the core
 * has loaded carry a browser page's trace at once, without `baggage`
 * (`pageTraceHeaders` in requests.ts); elsewhere they wait for the core (they need the trace) for at most
 * `READY_WAIT_MS`, unless they go to a URL that gets no headers, are `keepalive` or are
 * made while a page is hidden; past that, and those at once, they go out with the request
 * id only.
 */
import { claim, replace, type Hook } from "./patch.js";
import { httpBreadcrumb, newRequestId, now, ownTrace, responseId, setTraceHeaders, type InstrumentContext, type RequestRecord } from "./requests.js";
import { within } from "../api/guard.js";
import { fromAppCall } from "../api/thrown.js";
import type { EarlyNotes } from "./early-crumbs.js";

const hook: Hook<InstrumentContext> = {};
/** Longest a propagated request waits for the core to load. */
export const READY_WAIT_MS = 1000;

/** True while the page is hidden (being left, or in a background tab); false where there is no page. */
function hidden(): boolean {
  try {
    return (globalThis as { document?: { visibilityState?: string } }).document?.visibilityState === "hidden";
  } catch {
    return false;
  }
}

const BODY_READERS = ["json", "text", "arrayBuffer", "blob", "formData", "bytes"];

/**
 * What is decided about one call before it is sent (its arguments stay the caller's): the
 * app's headers (`init.headers` when given, else the Request's), whether trace headers
 * are added, the incoming request's id when the call serves one (`Scope.requestId`), and
 * the call's record (which names the isolation scope at call time).
 */
type Plan = [headers: HeadersInit | undefined, propagate: boolean, callerId: string | undefined, rec: RequestRecord];

function plan(ctx: InstrumentContext, input: unknown, init: RequestInit | undefined): Plan | undefined {
  const request = ctx.rules.isRequest(input) ? (input as Request) : undefined;
  // A URL (or any other object) is read as fetch reads it: its string form.
  const raw = request ? request.url : String(input);
  // (The SDK's own: its envelopes, and another copy's wasm download, marked by its loader.)
  if (ctx.isSdkUrl(raw) || (init as Record<symbol, unknown> | undefined)?.[Symbol.for("oxeye.own")]) return undefined;
  // (`init`'s `method` is read before its `mode`.)
  const isolation = ctx.client.getIsolationScope();
  const rec = ctx.tracker.record(init?.method ?? request?.method ?? "GET", raw, isolation.id);
  // (A client that keeps the Request it passed, as axios's fetch adapter does in
  // `error.request`, has its errors linked to this request.)
  if (request) ctx.tracker.link(request, rec);
  const propagate = (init?.mode ?? request?.mode) !== "no-cors" && ctx.propagates(raw);
  const headers = init?.headers !== undefined ? init.headers : request?.headers;
  if (!propagate && ctx.requestIdHeader) {
    // Not ours to add to, but an id the app set itself still names the request.
    const own = headers ? new Headers(headers).get(ctx.requestIdHeader) : null;
    if (own) rec.sentRequestId = rec.requestId = own;
  }
  return [headers, propagate, isolation.requestId, rec];
}

/** The members of `RequestInit` in the Fetch standard; anything else is a runtime's own. */
const STANDARD_INIT = new Set([
  "method", "headers", "body", "referrer", "referrerPolicy", "mode", "credentials", "cache", "redirect",
  "integrity", "keepalive", "signal", "window", "duplex", "priority", "dispatcher",
]);

/**
 * The arguments with trace and request id headers added: `input` as the caller gave it,
 * and a copy of `init` (standard members read as fetch reads them, getters and inherited
 * ones included; a runtime's own, such as Next.js's `next`, copied along) whose `headers`
 * keep the shape the app gave them (`headersWith`), plus the added names. A `Request` is
 * built anew instead (`requestWith`), with the runtime's own members beside it.
 */
function withHeaders(ctx: InstrumentContext, p: Plan, input: unknown, init: RequestInit | undefined): [unknown, RequestInit | undefined] {
  const headers = new Headers(p[0]);
  const rec = p[3];
  const appTrace = ownTrace(headers.get("sentry-trace"), headers.get("traceparent"));
  // The names to set, with their values.
  const added: [string, string][] = [];
  const set = (n: string, v: string) => added.push([n, v]);
  if (appTrace == null) {
    // Disabled: the request goes out as the app made it. Still loading: request id only.
    if (!setTraceHeaders(ctx, rec, set, headers.get("baggage") ?? undefined, rec.isolation) && ctx.ready()) return [input, init];
  } else {
    rec.trace = { sentryTrace: appTrace, baggage: headers.get("baggage") ?? undefined };
  }
  const name = ctx.requestIdHeader;
  if (name) {
    const own = headers.get(name);
    rec.sentRequestId = own ?? p[2] ?? newRequestId();
    if (!own) set(name, rec.sentRequestId);
  }
  rec.requestId = rec.sentRequestId;
  if (!added.length) return [input, init];
  // A runtime's own `init` members (not in the Fetch standard), own or inherited.
  let extra: Record<string, unknown> | undefined;
  const copy: Record<string, unknown> = {};
  if (init && typeof init === "object") {
    for (const key of STANDARD_INIT) {
      const v = (init as Record<string, unknown>)[key];
      if (v !== undefined) copy[key] = v;
    }
    for (const key in init) if (!STANDARD_INIT.has(key)) copy[key] = (extra ??= {})[key] = (init as Record<string, unknown>)[key];
  }
  if (ctx.rules.isRequest(input)) return [ctx.rules.requestWith(input, init, added), extra as RequestInit | undefined];
  copy.headers = ctx.rules.headersWith(copy.headers, added);
  return [input, copy as RequestInit];
}

/**
 * The request has settled: its record completed, its breadcrumb left. `started` is a
 * `now()`, or, with `ended`, a `Date.now()` (a request the loader noted). Never throws.
 */
function settled(ctx: InstrumentContext, rec: RequestRecord, args: unknown[], started: number, res?: Response, error?: unknown, ended?: number): void {
  try {
    rec.durationMs = (ended ?? now()) - started;
    if (res) {
      rec.status = res.status;
      rec.requestId = responseId(ctx, (n) => res.headers.get(n)) ?? rec.sentRequestId;
      ctx.tracker.link(res, rec);
      // Body reads of the response keep it "being handled"; a failed read is linked to it.
      for (const m of BODY_READERS) {
        const original = (res as unknown as Record<string, unknown>)[m];
        if (typeof original !== "function") continue;
        Object.defineProperty(res, m, {
          configurable: true,
          writable: true,
          value: function (this: unknown, ...args: unknown[]) {
            const out = (original as Function).apply(this, args);
            try {
              ctx.tracker.touch(rec);
              if (out && typeof out.then === "function") {
                return out.then(
                  (v: unknown) => {
                    ctx.tracker.touch(rec);
                    return v;
                  },
                  (e: unknown) => {
                    ctx.tracker.link(e, rec);
                    ctx.tracker.touch(rec);
                    throw e;
                  },
                );
              }
            } catch {
              /* fall through with the original result */
            }
            return out;
          },
        });
      }
    } else {
      // Cancelled by the app (a component unmounted, a newer search): no failure.
      rec.failed = !(rec.aborted = (error as { name?: unknown } | null)?.name === "AbortError");
      ctx.tracker.link(error, rec);
    }
    ctx.tracker.touch(rec, ended);
    if (ctx.crumbs.fetch) {
      // The hint Sentry's SDKs give `beforeBreadcrumb`: fetch's arguments, the response or
      // the failure (`data`, and `error`), and when the request started and ended (ms).
      const end = ended ?? Date.now();
      const crumb = httpBreadcrumb("fetch", rec);
      if (ended) crumb.timestamp = ended / 1000;
      ctx.client.addBreadcrumb(crumb, { input: args, response: res, data: error, error, startTimestamp: end - rec.durationMs!, endTimestamp: end });
    }
  } catch {
    /* never break the app's request */
  }
}

/**
 * Records a request the loader noted before this instrumentation was installed
 * (`early-requests.ts`, browsers): the app's arguments, those sent (with the headers the
 * loader added), when it started and ended (`Date.now()`) and how. Its record takes the
 * trace and request id it was sent with, and is linked to what it produced, as a request
 * made now would be; its breadcrumb has the time it ended. Never throws.
 */
function noted(ctx: InstrumentContext, args: [unknown, RequestInit?], sent: [unknown, RequestInit?], started: number, ended: number, res?: Response, error?: unknown): void {
  try {
    const p = plan(ctx, sent[0], sent[1]);
    if (!p) return;
    const rec = p[3];
    const headers = new Headers(p[0]);
    const trace = ownTrace(headers.get("sentry-trace"), headers.get("traceparent"));
    if (trace) rec.trace = { sentryTrace: trace, baggage: headers.get("baggage") ?? undefined };
    const id = ctx.requestIdHeader && headers.get(ctx.requestIdHeader);
    if (id) rec.sentRequestId = rec.requestId = id;
    // (The app's own Request, when the loader sent a copy with its headers.)
    if (ctx.rules.isRequest(args[0])) ctx.tracker.link(args[0], rec);
    settled(ctx, rec, args, started, res, error, ended);
  } catch {
    /* a request without its breadcrumb */
  }
}

/**
 * Instruments the global `fetch` for this context, and records what the loader noted
 * (`Platform.early`); returns the uninstaller.
 */
export function instrumentFetch(ctx: InstrumentContext): () => void {
  if (typeof globalThis.fetch !== "function") return () => {};
  const early = ctx.client.platform.early;
  const take: EarlyNotes["request"] = (...a) => noted(ctx, ...a);
  if (early) early.request = take;
  const uninstall = claim(hook, ctx, () => {
    // The loader's wrapper leaves the chain when nothing has wrapped it since: this one
    // does its work, and `close()` puts back the page's own `fetch`.
    const loader = early?.fetch;
    if (loader && globalThis.fetch === loader[0]) globalThis.fetch = loader[1] as typeof fetch;
    return replace(globalThis, "fetch", (original) =>
      function oxeyeFetch(this: unknown, input: unknown, init?: RequestInit): Promise<Response> {
        // Undefined when uninstalled; then there is no plan and the call passes through.
        const owner = hook.owner!;
        let p: Plan | undefined;
        try {
          p = owner && plan(owner, input, init);
        } catch {
          /* sent as the app made it */
        }
        // eslint-disable-next-line prefer-rest-params
        if (!p) return original.apply(this, arguments);
        const started = now();
        // The app's frames at this call (V8), for the stack of the request's failure.
        const callers: { stack?: string } = {};
        (Error as { captureStackTrace?(o: object, f: Function): void }).captureStackTrace?.(callers, oxeyeFetch);
        const send = (): Promise<Response> => {
          let args: [unknown, RequestInit | undefined] = [input, init];
          if (p[1]) {
            try {
              args = withHeaders(owner, p, input, init);
            } catch {
              /* sent as the app made it */
            }
          }
          return original.apply(this, args[1] === undefined ? [args[0]] : args);
        };
        // A request that must leave now does not wait for the core: one marked `keepalive`
        // (made as the page goes away), or any made while the page is hidden.
        // Nor one that can carry the page's trace without it (browsers: `pageTraceHeaders`).
        const wait = p[1] && !owner.ready() && !owner.client.platform.early?.pageTrace && !(init?.keepalive ?? (input as Request | undefined)?.keepalive) && !hidden();
        const sent = wait ? within(owner.client.ready, Date.now() + READY_WAIT_MS).then(send) : send();
        return sent.then(
          (res: Response) => {
            settled(owner, p[3], [input, init], started, res);
            return res;
          },
          (e: unknown) => {
            fromAppCall(e, callers.stack);
            settled(owner, p[3], [input, init], started, undefined, e);
            throw e;
          },
        );
      },
    );
  });
  return () => {
    if (early?.request === take) early.request = undefined;
    uninstall();
  };
}
