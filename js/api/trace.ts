/**
 * Incoming trace headers as the shim reads them: from objects, `Headers` and Node's header
 * arrays, to plain strings. Reading and writing the header text is `trace-headers.ts`'s;
 * the trace itself (ids, sampling, the DSC) is the core's (`src/trace.rs`). The `<meta>`
 * tags that hand a trace to a browser are written by `trace-tags.ts` and read by
 * `meta-tags.ts`.
 */

/** Incoming trace headers, as `continueTrace` accepts them. */
export interface IncomingTrace {
  sentryTrace?: string | string[] | null | undefined;
  baggage?: string | string[] | null | undefined;
  traceparent?: string | string[] | null | undefined;
}

const MAX_HEADER = 16_384;

function one(v: unknown, join?: boolean): string | undefined {
  if (Array.isArray(v)) v = join ? v.filter((x) => typeof x === "string").join(",") : v.find((x) => typeof x === "string");
  return typeof v === "string" ? v.slice(0, MAX_HEADER) : undefined;
}

/**
 * The headers as plain strings, in this order (`baggage` lists are joined; anything else is
 * undefined). An empty header stays "", which the trace readers take as no header.
 */
export function incomingOf(h: IncomingTrace | null | undefined): [sentryTrace?: string, baggage?: string, traceparent?: string] {
  if (!h || typeof h !== "object") return [];
  return [one(h.sentryTrace), one(h.baggage, true), one(h.traceparent)];
}

/** Reads the trace headers of a `Request`/`Headers` (e.g. in a Worker). */
export function incomingFromHeaders(headers: { get(name: string): string | null } | undefined): IncomingTrace {
  try {
    if (!headers || typeof headers.get !== "function") return {};
    return { sentryTrace: headers.get("sentry-trace"), baggage: headers.get("baggage"), traceparent: headers.get("traceparent") };
  } catch {
    return {};
  }
}
