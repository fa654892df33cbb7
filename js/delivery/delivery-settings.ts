/**
 * Delivery's settings and the small pieces it shares (`delivery.ts`): the defaults of
 * `transportOptions`, the bounds on requests and kept reports, the core's view that
 * delivery needs, where Spotlight copies go, and reading a number option or a response
 * header.
 */
import type { Category, Reason } from "../core/enums.js";
import type { Options, TransportResponse } from "../api/types.js";

/** The core's delivery bookkeeping (the wasm `Core` behind trap recovery, or a fake in unit tests). */
export interface DeliveryCore {
  readonly url?: string;
  recordOutcome(reason: Reason, category: Category, quantity: number): void;
  takeClientReport(nowMs: number): Uint8Array | undefined;
}

/** The default Spotlight sidecar. */
export const SPOTLIGHT_URL = "http://localhost:8969/stream";

/** Where the `spotlight` option sends copies: its URL, the default sidecar for `true`, else nowhere. */
export function spotlightUrl(option: Options["spotlight"]): string | undefined {
  return typeof option === "string" ? option : option ? SPOTLIGHT_URL : undefined;
}

/** Posts envelope copies to Spotlight. */
export type SpotlightSink = (body: Uint8Array) => void;

/** Failed client reports kept to be sent again, at most. */
export const MAX_KEPT_REPORTS = 4;

/** Defaults of `transportOptions` read by name (`maxEventsPerMinute`: `BROWSER_EVENTS_PER_MINUTE`). */
export const DELIVERY_DEFAULTS = {
  bufferSize: 64,
  maxRetries: 3,
  retryBaseMs: 1000,
  retryMaxMs: 30_000,
  timeoutMs: 30_000,
} as const;
/** The default of `clientReportFlushInterval` (ms). */
export const REPORT_INTERVAL = 60_000;
/** The default of `transportOptions.maxEventsPerMinute` in browsers; servers have no limit. */
export const BROWSER_EVENTS_PER_MINUTE = 60;

/** Requests running at once (browsers allow 6 connections per host over HTTP/1.1). */
export const MAX_CONCURRENT_REQUESTS = 6;
/** `v` when it is a finite number of at least 0, else `d`. */
export function numberOr(v: unknown, d: number): number {
  // Number.isFinite is false for anything but a finite number (no coercion).
  return Number.isFinite(v) && (v as number) >= 0 ? (v as number) : d;
}

export function header(res: TransportResponse, name: string): string | undefined {
  const headers = res?.headers;
  if (!headers || typeof headers !== "object") return undefined;
  for (const k of Object.keys(headers)) {
    if (k.toLowerCase() === name) return String(headers[k]);
  }
  return undefined;
}

/** How long a page's failed keepalive request waits for a `pagehide` that says the page was left (ms). */
export const UNLOAD_GRACE_MS = 150;
/** Client reports in flight at most; a report beyond that waits for the next occasion. */
export const MAX_REPORTS_IN_FLIGHT = 2;
/** Stored envelopes taken back per replay round (each success starts the next round). */
export const REPLAY_BATCH = 10;
