/**
 * `XMLHttpRequest` instrumentation, as for fetch: `open`, `setRequestHeader` and `send` of
 * the prototype are wrapped once. At `send`, requests to propagation targets get the
 * trace headers and a request id (an app's own `sentry-trace`, `traceparent` or request
 * id is kept, and with an own trace header no other is added). An app's own `baggage` is
 * held back until `send` (XHR cannot replace a header once set, only append to it) and
 * merged with the DSC there as fetch merges it: the app's `sentry-` members replaced, the
 * whole within the size cap. The request
 * is tracked from the moment its response headers arrive, so errors thrown in the app's
 * `load` / `readystatechange` handlers are linked to it. XHRs sent before the core has
 * loaded (`send` cannot wait) carry the request id and, in a browser that knows its page's
 * trace (`pageTraceHeaders`), `sentry-trace` without `baggage`.
 */
import { all, claim, replace, type Hook } from "./patch.js";
import { httpBreadcrumb, newRequestId, now, ownTrace, responseId, setTraceHeaders, type InstrumentContext, type RequestRecord } from "./requests.js";

interface XhrState {
  method: string;
  url: string;
  /** Headers the app set, by lower-case name. */
  headers: Record<string, string>;
  /** The app's `baggage`, not yet set on the request (`send` sets it, merged or as is). */
  baggage?: string;
  /** `send` was called: headers set from then on go straight through. */
  sent?: boolean;
  /** The app called `abort()`: the request is cancelled, not failed. */
  aborted?: boolean;
}

const hook: Hook<InstrumentContext> = {};
const states = new WeakMap<object, XhrState>();

function track(ctx: InstrumentContext, xhr: XMLHttpRequest, state: XhrState, body: unknown): void {
  if (ctx.isSdkUrl(state.url)) return;
  const rec: RequestRecord = ctx.tracker.record(state.method, state.url, ctx.client.getIsolationScope().id);
  const name = ctx.requestIdHeader;
  const own = name ? state.headers[name.toLowerCase()] : undefined;
  if (own) rec.sentRequestId = own;
  if (ctx.propagates(state.url)) {
    // Through the request's own `setRequestHeader`, so that another tool wrapping it per
    // request (as @sentry/browser does) sees the trace and adds no second one.
    const set = (k: string, v: string) => xhr.setRequestHeader(k, v);
    const appTrace = ownTrace(state.headers["sentry-trace"], state.headers["traceparent"]);
    const th = appTrace != null ? undefined : setTraceHeaders(ctx, rec, set, state.baggage);
    // The merged `baggage` holds the app's members (none is written before the core has
    // loaded: the app's own then goes out as it set it).
    if (th?.baggage) state.baggage = undefined;
    if (appTrace != null) rec.trace = { sentryTrace: appTrace, baggage: state.headers["baggage"] };
    // Before the core is ready there is no trace yet, but a request id can still be sent.
    if (name && !own && (appTrace != null || th || !ctx.ready())) {
      rec.sentRequestId = newRequestId();
      set(name, rec.sentRequestId);
    }
  }
  rec.requestId = rec.sentRequestId;
  const started = now();
  let headersSeen = false;
  let done = false;
  const onState = () => {
    try {
      if (xhr.readyState >= 2 && !headersSeen) {
        headersSeen = true;
        // Only headers the response exposes are read: Chromium logs an error on the page's
        // console for each read of a hidden one (CORS).
        const exposed = `\n${xhr.getAllResponseHeaders().toLowerCase()}`;
        rec.requestId = responseId(ctx, (n) => (exposed.includes(`\n${n.toLowerCase()}:`) ? xhr.getResponseHeader(n) : null)) ?? rec.requestId;
        ctx.tracker.link(xhr, rec);
        ctx.tracker.touch(rec);
      }
      if (xhr.readyState === 4 && !done) {
        done = true;
        xhr.removeEventListener("readystatechange", onState);
        rec.durationMs = now() - started;
        rec.status = xhr.status;
        rec.aborted = state.aborted;
        rec.failed = xhr.status === 0 && !state.aborted;
        ctx.tracker.link(xhr, rec);
        ctx.tracker.touch(rec);
        // (The hint Sentry's SDKs give: the request, its body, and when it started and ended.)
        const end = Date.now();
        if (ctx.crumbs.xhr) ctx.client.addBreadcrumb(httpBreadcrumb("xhr", rec), { xhr, input: body, startTimestamp: end - rec.durationMs, endTimestamp: end });
      }
    } catch {
      /* never break the app's request */
    }
  };
  xhr.addEventListener("readystatechange", onState);
}

/** Instruments `XMLHttpRequest` for this context; returns the uninstaller. */
export function instrumentXhr(ctx: InstrumentContext): () => void {
  const X = (globalThis as unknown as { XMLHttpRequest?: unknown }).XMLHttpRequest;
  const proto = typeof X === "function" ? (X.prototype as Record<string, unknown> | undefined) : undefined;
  if (!proto) return () => {};
  return claim(hook, ctx, () => {
    return all([
      replace(proto, "open", (original) =>
        function (this: XMLHttpRequest, method: unknown, url: unknown) {
          try {
            states.set(this, { method: String(method), url: String(url), headers: {} });
          } catch {
            /* untracked */
          }
          // eslint-disable-next-line prefer-rest-params
          return original.apply(this, arguments);
        },
      ),
      replace(proto, "setRequestHeader", (original) =>
        function (this: XMLHttpRequest, name: unknown, value: unknown) {
          try {
            const s = states.get(this);
            if (s && !s.sent) {
              const k = String(name).toLowerCase();
              const v = String(value);
              s.headers[k] = s.headers[k] == null ? v : `${s.headers[k]}, ${v}`;
              // Held back for `send`; a value the browser would refuse goes through now, to
              // throw where the app called.
              if (k == "baggage" && !/[^\t\x20-\xff]/.test(v)) {
                s.baggage = s.baggage == null ? v : `${s.baggage}, ${v}`;
                return;
              }
            }
          } catch {
            /* untracked */
          }
          // eslint-disable-next-line prefer-rest-params
          return original.apply(this, arguments);
        },
      ),
      replace(proto, "abort", (original) =>
        function (this: XMLHttpRequest) {
          const s = states.get(this);
          if (s) s.aborted = true;
          // eslint-disable-next-line prefer-rest-params
          return original.apply(this, arguments);
        },
      ),
      replace(proto, "send", (original) =>
        function (this: XMLHttpRequest, body?: unknown) {
          const owner = hook.owner;
          const s = states.get(this);
          if (s) {
            s.sent = true;
            try {
              if (owner) track(owner, this, s, body);
            } catch {
              /* sent as the app made it */
            }
            // The app's `baggage` as it set it, when no merged one replaced it.
            try {
              if (s.baggage != null) this.setRequestHeader("baggage", s.baggage);
            } catch {
              /* not opened: send throws that itself */
            }
          }
          // eslint-disable-next-line prefer-rest-params
          return original.apply(this, arguments);
        },
      ),
    ]);
  });
}
