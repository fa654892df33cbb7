/**
 * The text of trace propagation headers (`sentry-trace`, W3C `traceparent`, `baggage`):
 * incoming headers read into the parts the core continues a trace from, outgoing headers
 * written from the parts the core gives. The propagation context itself (ids, sampling,
 * the DSC and when it freezes) is the core's (`src/trace.rs`); a DSC crosses as a flat
 * array of keys (without `sentry-`) and values, in order. Rules kept here:
 * - a malformed `sentry-trace`/`traceparent` gives no parts (a new trace starts);
 *   malformed `baggage` members are skipped; nothing here throws;
 * - only `sentry-` entries are read from incoming `baggage` (other vendors' entries of an
 *   incoming request are never forwarded);
 * - outgoing `baggage` is the app's own header with its non-Sentry members kept verbatim
 *   and the DSC appended;
 * - a written `baggage` never exceeds {@link MAX_BAGGAGE_BYTES}: DSC entries come first in
 *   priority, then the app's members in order, each dropped whole when it does not fit.
 * Pure functions, no state.
 */
import type { CoreTraceHeaders } from "./contract.js";

/** A trace as a header names it: ids in lowercase hex; `sampled` undefined while deferred. */
export interface TraceParts {
  traceId: string;
  spanId: string;
  sampled?: boolean;
}

/** The parts of outgoing headers as the core writes them (`PropagationContext::headers`). */
export interface CoreParts {
  trace_id: string;
  span_id: string;
  sampled?: boolean;
  /** The frozen DSC: keys and values in turn. */
  dsc: string[];
}

/** Longest `baggage` header written, in bytes (as the JavaScript SDK caps it). */
export const MAX_BAGGAGE_BYTES = 8192;
/** Members read from one header at most (W3C allows 180; extra ones are ignored). */
const MAX_MEMBERS = 256;

/** `sentry-trace`: `traceid-spanid[-sampled]` (lowercase hex, neither all zeros; `1`/`0`, or absent for deferred). */
export function parseSentryTrace(header: string): TraceParts | undefined {
  const m = /^[ \t]*(?!0{32})([\da-f]{32})-(?!0{16})([\da-f]{16})(?:-([01]))?[ \t]*$/.exec(header);
  return m ? { traceId: m[1], spanId: m[2], sampled: m[3] ? m[3] == "1" : undefined } : undefined;
}

/**
 * W3C `traceparent`: `version-traceid-parentid-flags`, ids not all zeros. Version `ff` is
 * invalid; version `00` has exactly four fields, later versions may add more. Flag bit 0
 * set means sampled; clear is read as deferred (the JavaScript SDK sends `00` when it has
 * not decided).
 */
export function parseTraceparent(header: string): TraceParts | undefined {
  // A fifth field of version 00 would start 53 characters after the version.
  const m = /^[ \t]*(?!ff|00[^]{53}-)[\da-f]{2}-(?!0{32})([\da-f]{32})-(?!0{16})([\da-f]{16})-([\da-f]{2})(-[^]*)?[ \t]*$/.exec(header);
  return m ? { traceId: m[1], spanId: m[2], sampled: parseInt(m[3], 16) & 1 ? true : undefined } : undefined;
}

/** The trace an incoming request names: its `sentry-trace`, else its `traceparent`. */
export function incomingParts(sentryTrace: string | undefined, traceparent: string | undefined): TraceParts | undefined {
  return parseSentryTrace(sentryTrace ?? "") ?? parseTraceparent(traceparent ?? "");
}

/** Percent-decoded as `decodeURIComponent` does (text without `%` is left as it is); undefined where it throws. */
function decode(s: string): string | undefined {
  try {
    return s.includes("%") ? decodeURIComponent(s) : s;
  } catch {}
}

/**
 * A `baggage` header's members as decoded `[key, value]` pairs. Member properties (after
 * `;`) are dropped; members without `=`, with an empty or invalid key, or with a value
 * that does not decode are skipped.
 */
export function parseBaggage(header: string): [string, string][] {
  const out: [string, string][] = [];
  for (const member of header.split(",", MAX_MEMBERS)) {
    // Key and value without the optional whitespace around them, up to the first `;`. The
    // key is an RFC 7230 token before decoding (`%` is a token character) and after.
    const m = /^[ \t]*([\w!#$%&'*+.^`|~-]+)[ \t]*=[ \t]*([^;]*[^; \t]|)/.exec(member);
    const k = m && decode(m[1]);
    const v = m && decode(m[2]);
    if (k && v != null && (k == m[1] || /^[\w!#$%&'*+.^`|~-]+$/.test(k))) out.push([k, v]);
  }
  return out;
}

/** The `sentry-` entries of a `baggage` header (keys without the prefix, first one wins), keys and values in turn; undefined when it has none. */
export function dscOf(header: string | undefined): string[] | undefined {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const [k, v] of parseBaggage(header ?? "")) {
    const key = k.slice(7);
    if (k.startsWith("sentry-") && key && !seen.has(key)) seen.add(key), out.push(key, v);
  }
  return out.length ? out : undefined;
}

/** Length of `s` in UTF-8 (a lone surrogate counts as the replacement character it becomes). */
function utf8Length(s: string): number {
  let n = 0;
  // Three bytes for one UTF-16 unit past U+07FF, four for a surrogate pair.
  for (const c of s) n += c < "\x80" ? 1 : c < "\u0800" ? 2 : c.length + 2;
  return n;
}

/**
 * Room left under {@link MAX_BAGGAGE_BYTES} after `used` bytes of header (-1 when empty):
 * `fits(len)` takes a member of `len` bytes and its comma when it fits.
 */
function budget(used: number): (len: number) => boolean {
  return (len) => used + len < MAX_BAGGAGE_BYTES && ((used += len + 1), true);
}

/** The DSC's members (`sentry-` prefixed, encoded), each dropped whole when the header would pass the cap. */
function dscMembers(dsc: string[]): string {
  const fits = budget(-1);
  const out: string[] = [];
  for (let i = 0; i + 1 < dsc.length; i += 2) {
    const m = "sentry-" + encodeURIComponent(dsc[i]) + "=" + encodeURIComponent(dsc[i + 1]);
    if (fits(m.length)) out.push(m);
  }
  return out.join(",");
}

/**
 * The app's header (`existing`) without its `sentry-` members (prefix in any case), other
 * members kept verbatim and in order while they fit after `sentry` (the DSC's members,
 * ASCII), which comes last.
 */
function withAppMembers(existing: string | undefined, sentry: string): string {
  // The DSC is budgeted first: it is what the SDK is responsible for.
  const fits = budget(sentry ? sentry.length : -1);
  // Lone surrogates as U+FFFD, as UTF-8 carries them (where the runtime can say so).
  const app = existing ?? "";
  return ((app as { toWellFormed?(): string }).toWellFormed?.() ?? app)
    .split(",", MAX_MEMBERS)
    // Without RFC 7230 optional whitespace (spaces and tabs) around them.
    .map((m) => m.replace(/^[ \t]+|[ \t]+$/g, ""))
    // Trimmed, a member's key starts with `sentry-` exactly when the member does.
    .filter((m) => /=/.test(m) && !/^sentry-/i.test(m) && fits(utf8Length(m)))
    .concat(sentry ? [sentry] : [])
    .join(",");
}

/**
 * `baggage` for an outgoing request: the app's header (`existing`) with its `sentry-`
 * members (prefix in any case) replaced by the DSC, other members kept verbatim and in
 * order, the whole capped at {@link MAX_BAGGAGE_BYTES}.
 */
export function mergeBaggage(existing: string | undefined, dsc: string[]): string {
  return withAppMembers(existing, dscMembers(dsc));
}

/** Outgoing headers from the core's parts, with the app's own `baggage` when it has one. */
export function outgoingHeaders(p: CoreParts, existingBaggage: string | undefined): CoreTraceHeaders {
  const ids = p.trace_id + "-" + p.span_id;
  const flag = p.sampled ? "1" : "0";
  // The DSC is encoded once, for both headers.
  const dscBaggage = dscMembers(p.dsc);
  return {
    sentryTrace: p.sampled === undefined ? ids : ids + "-" + flag,
    // (Without an app's baggage this is `dscBaggage` itself.)
    baggage: withAppMembers(existingBaggage, dscBaggage),
    dscBaggage,
    traceparent: "00-" + ids + "-0" + flag,
  };
}

/**
 * The capture input's link to an outgoing request (`{ sentryTrace, baggage }`, normalised)
 * as the core reads it: the request's ids and the DSC it carried; undefined when its
 * `sentry-trace` does not parse.
 */
export function traceLink(t: unknown): { traceId: string; spanId: string; dsc?: string[] } | undefined {
  const { sentryTrace, baggage } = (t ?? {}) as { sentryTrace?: unknown; baggage?: unknown };
  const p = typeof sentryTrace == "string" ? parseSentryTrace(sentryTrace) : undefined;
  return p && { traceId: p.traceId, spanId: p.spanId, dsc: typeof baggage == "string" ? dscOf(baggage) : undefined };
}
