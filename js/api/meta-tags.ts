/**
 * The server-rendered `<meta>` tags that hand a trace to the browser, read when the engine
 * is up (the browser platform gets this reader with the engine's module: `browserFacts` in
 * `host.ts`). Apart from the rest of the trace helpers (`trace.ts`, which also writes
 * these tags for `getTraceMetaTags`).
 */
import type { IncomingTrace } from "./trace.js";

/** The trace a server-rendered page was sent with: its `sentry-trace` / `baggage` meta tags. */
export function readTraceMetaTags(doc: { querySelector(s: string): { getAttribute(n: string): string | null } | null } | undefined): IncomingTrace | undefined {
  try {
    // No document, or one without `querySelector`, throws at the first read: undefined.
    const read = (name: string) => doc!.querySelector(`meta[name="${name}"]`)?.getAttribute("content");
    const sentryTrace = read("sentry-trace");
    const traceparent = read("traceparent");
    if (!sentryTrace && !traceparent) return undefined;
    return { sentryTrace, baggage: read("baggage"), traceparent };
  } catch {
    /* undefined */
  }
}
