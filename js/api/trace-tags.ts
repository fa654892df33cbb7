/**
 * The `<meta>` tags that hand a trace to a browser, as a server writes them
 * (`getTraceMetaTags`); the browser reads them with `meta-tags.ts`. A module of its own,
 * imported by `getTraceMetaTags` only, so that an app which does not import that function
 * carries no renderer (neither on a page's critical path nor in the engine).
 */
import type { TraceData } from "./types.js";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

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
    if (typeof v === "string" && v) tags.push(`<meta name="${name}" content="${v.replace(/[&<>"']/g, (c) => ESCAPES[c])}"/>`);
  }
  return tags.join("\n");
}
