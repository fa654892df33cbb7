/**
 * The server-rendered `<meta>` tags that hand a trace to the browser: written on the
 * server (`getTraceMetaTags`), read by the browser entry at `init`. Apart from the rest of
 * the trace helpers (`trace.ts`, used by the engine), so that the browser's critical path
 * holds only these.
 */
import type { TraceData } from "./types.js";
import type { IncomingTrace } from "./trace.js";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for an HTML attribute value. */
export function escapeHtml(s: string): string {
  return String(s).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/**
 * `<meta name="sentry-trace" content="…"/>` and `<meta name="baggage" content="…"/>`
 * (and `traceparent` when present) for a server-rendered page's `<head>`; empty when
 * there is no trace data. Values are HTML-escaped.
 */
export function renderTraceMetaTags(data: TraceData | undefined): string {
  if (!data) return "";
  const tags: string[] = [];
  for (const name of ["sentry-trace", "baggage", "traceparent"] as const) {
    const v = data[name];
    if (typeof v === "string" && v) tags.push(`<meta name="${name}" content="${escapeHtml(v)}"/>`);
  }
  return tags.join("\n");
}

/** The trace a server-rendered page was sent with: its `sentry-trace` / `baggage` meta tags. */
export function readTraceMetaTags(doc: { querySelector(s: string): { getAttribute(n: string): string | null } | null } | undefined): IncomingTrace | undefined {
  try {
    if (!doc || typeof doc.querySelector !== "function") return undefined;
    const read = (name: string) => doc.querySelector(`meta[name="${name}"]`)?.getAttribute("content") ?? undefined;
    const sentryTrace = read("sentry-trace");
    const traceparent = read("traceparent");
    if (!sentryTrace && !traceparent) return undefined;
    return { sentryTrace, baggage: read("baggage"), traceparent };
  } catch {
    return undefined;
  }
}
