/**
 * The default transport: one `fetch` POST per envelope. In browsers it sends a simple
 * request (no custom headers, so no CORS preflight) with `keepalive` while the in-flight
 * bodies stay within the browser's 64 KiB keepalive quota (shared by every keepalive
 * request of the page), so events survive page unload without failing for quota.
 * The response body is always read, so the runtime can release the connection.
 */
import type { Transport } from "../api/types.js";

/** Options of the fetch transport. */
export interface FetchTransportOptions {
  /** Browser mode: keepalive and a strict referrer policy. */
  browser?: boolean | undefined;
  /** The fetch to use; defaults to the global one as it was when the transport was made. */
  fetch?: typeof fetch | undefined;
}

/** keepalive only while the in-flight body total stays at or under this many bytes… */
export const KEEPALIVE_BYTES = 60_000;
/** …and fewer than this many requests are in flight. */
export const KEEPALIVE_REQUESTS = 64;

/** Makes a transport that posts envelopes with `fetch`. */
export function makeFetchTransport(opts: FetchTransportOptions = {}): Transport {
  const doFetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
  let pendingBytes = 0;
  let pendingCount = 0;
  return async ({ url, headers, body, signal, keepalive }) => {
    // Marked as oxeye's own: another copy of oxeye that wrapped this fetch (a widget's
    // copy loaded after the page's) passes it on untouched (no breadcrumb, no trace headers).
    // A redirect is not followed: a POST redirected with 301-303 would arrive as an empty GET
    // and be taken for a delivery. (Browsers then answer an opaque redirect, status 0.)
    const init = { method: "POST", body: body as BodyInit, headers, redirect: "manual", [Symbol.for("oxeye.own")]: 1 } as RequestInit;
    if (signal) init.signal = signal;
    const size = body.byteLength;
    if (opts.browser) {
      init.referrerPolicy = "strict-origin";
      init.keepalive = keepalive !== false && pendingBytes + size <= KEEPALIVE_BYTES && pendingCount < KEEPALIVE_REQUESTS;
    }
    pendingBytes += size;
    pendingCount++;
    try {
      const res = await doFetch(url, init);
      // Reading the body lets the runtime release the connection.
      await res.text().catch(() => "");
      const out: Record<string, string> = {};
      for (const h of ["x-sentry-rate-limits", "retry-after", "location"]) {
        const v = res.headers.get(h);
        if (v !== null) out[h] = v;
      }
      if (res.type == "opaqueredirect") out.type = res.type;
      return { status: res.status, headers: out };
    } finally {
      pendingBytes -= size;
      pendingCount--;
    }
  };
}
