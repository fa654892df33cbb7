/**
 * Outgoing requests made with Node's `http` and `https` clients (`request` and `get`, and
 * so axios, got and other libraries built on them), instrumented as `fetch` is: requests
 * to `tracePropagationTargets` carry `sentry-trace`, `baggage` (optionally `traceparent`)
 * and the request id of the incoming request being served (else a fresh one), unless the
 * app set its own; each request is tracked so that errors it causes are linked to it, and
 * leaves an `http` breadcrumb (with `breadcrumbs.fetch`). The modules' functions are
 * replaced once and named imports (`import { request } from "node:http"`) follow them.
 * The app's arguments are copied, never changed; nothing here throws into the app.
 */
import { syncBuiltinESMExports } from "node:module";
import type { ClientRequest, IncomingMessage, RequestOptions } from "node:http";
import { claim, replace, type Hook } from "../instrument/patch.js";
import { httpBreadcrumb, newRequestId, now, ownTrace, responseId, setTraceHeaders, type InstrumentContext, type RequestRecord } from "../instrument/requests.js";

const hook: Hook<InstrumentContext> = {};

/** The URL a call of `request`/`get` goes to, from its URL and options. */
function urlOf(url: unknown, o: RequestOptions | undefined, protocol: string): string {
  const base = url instanceof URL || typeof url === "string" ? new URL(String(url)) : undefined;
  if (!o) return String(base);
  const proto = o.protocol ?? base?.protocol ?? protocol;
  const host = o.hostname ?? o.host ?? base?.hostname ?? "localhost";
  const port = o.port ?? base?.port;
  const path = o.path ?? (base ? base.pathname + base.search : "/");
  return `${proto}//${String(host).includes(":") && !String(host).startsWith("[") ? `[${host}]` : host}${port ? `:${port}` : ""}${path}`;
}

/** The value of header `name` among the app's headers (an object or a flat list), if any. */
function headerOf(headers: unknown, name: string): string | undefined {
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) if (String(headers[i]).toLowerCase() === name) return String(headers[i + 1]);
  } else if (headers && typeof headers === "object") {
    for (const k of Object.keys(headers)) if (k.toLowerCase() === name) return String((headers as Record<string, unknown>)[k]);
  }
  return undefined;
}

/**
 * Plans one call: its record, and the arguments to send it with (the app's, or copies
 * with the headers added). Undefined for the SDK's own requests.
 */
function plan(ctx: InstrumentContext, args: unknown[], protocol: string): [RequestRecord, unknown[]] | undefined {
  const [first, second] = args;
  const urlFirst = typeof first === "string" || first instanceof URL;
  const o = (urlFirst ? (second && typeof second === "object" ? second : undefined) : first) as RequestOptions | undefined;
  const url = urlOf(urlFirst ? first : undefined, o, protocol);
  if (ctx.isSdkUrl(url)) return undefined;
  const isolation = ctx.client.getIsolationScope();
  const rec = ctx.tracker.record(o?.method ?? "GET", url, isolation.id);
  const given = o?.headers;
  const added: string[] = [];
  const set = (n: string, v: string) => added.push(n, v);
  if (ctx.propagates(url)) {
    const appTrace = ownTrace(headerOf(given, "sentry-trace"), headerOf(given, "traceparent"));
    if (appTrace === undefined) setTraceHeaders(ctx, rec, set, headerOf(given, "baggage"), isolation.id);
    else rec.trace = { sentryTrace: appTrace, baggage: headerOf(given, "baggage") };
    const name = ctx.requestIdHeader;
    if (name) {
      const own = headerOf(given, name.toLowerCase());
      rec.sentRequestId = own ?? isolation.requestId ?? newRequestId();
      if (own === undefined) set(name, rec.sentRequestId);
    }
  } else if (ctx.requestIdHeader) {
    // Not ours to add to, but an id the app set itself still names the request.
    rec.sentRequestId = headerOf(given, ctx.requestIdHeader.toLowerCase());
  }
  rec.requestId = rec.sentRequestId;
  if (!added.length) return [rec, args];
  let headers: unknown;
  if (Array.isArray(given)) headers = [...given, ...added];
  else {
    const h: Record<string, unknown> = { ...(given as Record<string, unknown> | undefined) };
    // The app's own `baggage` is replaced by the one that carries it on.
    for (const k of Object.keys(h)) if (k.toLowerCase() === "baggage" && added.includes("baggage")) delete h[k];
    for (let i = 0; i < added.length; i += 2) h[added[i]] = added[i + 1];
    headers = h;
  }
  const out = [...args];
  if (!urlFirst) out[0] = { ...o, headers };
  else if (o) out[1] = { ...o, headers };
  else out.splice(1, 0, { headers });
  return [rec, out];
}

/** The request has settled: its record completed, its breadcrumb left. Never throws. */
function settled(ctx: InstrumentContext, rec: RequestRecord, started: number, res?: IncomingMessage, error?: unknown): void {
  try {
    rec.durationMs = now() - started;
    if (res) {
      rec.status = res.statusCode;
      rec.requestId = responseId(ctx, (n) => {
        const v = res.headers[n.toLowerCase()];
        return Array.isArray(v) ? v[0] : v;
      }) ?? rec.sentRequestId;
      ctx.tracker.link(res, rec);
    } else {
      rec.failed = true;
      ctx.tracker.link(error, rec);
    }
    ctx.tracker.touch(rec);
    if (ctx.crumbs.fetch) ctx.client.addBreadcrumb(httpBreadcrumb("http", rec), { response: res, error });
  } catch {
    /* never break the app's request */
  }
}

/** Instruments `http` and `https`'s `request` and `get` for this context; returns the uninstaller. */
export function instrumentHttpClients(ctx: InstrumentContext): () => void {
  return claim(hook, ctx, () => {
    const restores: Array<(() => boolean) | undefined> = [];
    for (const protocol of ["http", "https"]) {
      const mod = process.getBuiltinModule?.(`node:${protocol}`) as Record<string, unknown> | undefined;
      if (!mod) continue;
      for (const name of ["request", "get"]) {
        restores.push(
          replace(mod, name, (original) =>
            function oxeyeRequest(this: unknown, ...args: unknown[]): ClientRequest {
              const owner = hook.owner;
              let p: [RequestRecord, unknown[]] | undefined;
              try {
                p = owner && plan(owner, args, `${protocol}:`);
              } catch {
                /* sent as the app made it */
              }
              const req = original.apply(this, p ? p[1] : args) as ClientRequest;
              if (p && owner) {
                const started = now();
                const rec = p[0];
                try {
                  req.once("response", (res: IncomingMessage) => settled(owner, rec, started, res));
                  req.once("error", (e: unknown) => settled(owner, rec, started, undefined, e));
                } catch {
                  /* not tracked */
                }
              }
              return req;
            },
          ),
        );
      }
    }
    syncBuiltinESMExports();
    return () => {
      let all = true;
      for (const r of restores) all = (r?.() ?? true) && all;
      syncBuiltinESMExports();
      return all;
    };
  });
}
