/**
 * Rate limits as Sentry's servers announce them, kept per client, and what a response
 * means for the envelope that got it. This module owns the reading of
 * `X-Sentry-Rate-Limits` and `Retry-After` (HTTP dates included), the per-category
 * "limited until" times, and the HTTP status → {@link Response} mapping. Delivery reads
 * every response with it (200 included) and asks it before each send; the engine asks it
 * before an error is built and again before one held by the host stages is sealed.
 *
 * ```text
 * X-Sentry-Rate-Limits: <quota_limit>, <quota_limit>, ...
 * quota_limit = retry_after [":" categories [":" scope [":" reason_code [":" namespaces]]]]
 *   retry_after = seconds, integer or float (rounded up)
 *   categories  = category *(";" category)    empty: every category
 *   scope, reason_code, namespaces            ignored by SDKs
 * ```
 *
 * Without that header, a `429` is a limit on everything for `Retry-After` (seconds or an
 * HTTP date), or for 60 seconds when that is missing or unreadable. Categories are
 * Sentry's names of {@link Category} members; unknown ones are ignored, and a quota limit
 * naming only unknown categories is ignored as a whole. When two limits cover the same
 * category, the longer one wins. A retry-after that is not a number counts as 60 seconds
 * (what the official SDKs do).
 *
 * One deliberate addition to the spec: a `429` whose rate-limit header yields no usable
 * limit (all categories unknown, say) falls back to `Retry-After`, so a client that was
 * told to stop does stop.
 *
 * Time is always passed in as Unix milliseconds; this module reads no clock and keeps no
 * module-level state (a Worker's clients each have their own limits).
 */
import { Category, numbered, wireName } from "../core/enums.js";

/** What the server's answer to an envelope means (the shim's own: it never crosses to the core). */
export const Response = /* @__PURE__ */ numbered("Delivered RateLimited TooLarge Rejected");
export type Response = (typeof Response)[keyof typeof Response];

/** The limit applied when a 429 says nothing usable about its length, in seconds. */
const DEFAULT_SECS = 60;

/**
 * What a response with this HTTP status means for the envelope it answered. Every other
 * answer (a 4xx, a 5xx, a redirect) rejects it: Sentry's protocol has SDKs discard it and
 * count a `send_error`, never send it again (only a network failure is retried).
 */
export function responseOf(status: number): Response {
  return status >= 200 && status < 300 ? Response.Delivered : status === 429 ? Response.RateLimited : status === 413 ? Response.TooLarge : Response.Rejected;
}

/**
 * A non-negative decimal number of seconds (`120`, `2.5`), rounded up; undefined when it
 * is not one. Only digits and one dot are accepted, with a digit on one side of it, so
 * `inf`, `NaN`, signs and exponents are not numbers here.
 */
function seconds(s: string): number | undefined {
  const m = /^(?=\.?\d)(\d*)(\.\d*)?$/.exec(s);
  // Any non-zero digit after the dot rounds up (a long fraction would not survive `Number`).
  const v = m ? +m[1] + +/[1-9]/.test(m[2]) : Infinity;
  return v < Infinity ? v : undefined;
}

const MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

/**
 * An HTTP date (RFC 9110 §5.6.7) in Unix milliseconds, or undefined when the text is not
 * one. All three forms are read: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), RFC 850
 * (`Sunday, 06-Nov-94 08:49:37 GMT`; a two-digit year is 19xx from 70, 20xx below) and
 * asctime (`Sun Nov  6 08:49:37 1994`). The weekday must be a real one but is not checked
 * against the date; a leap second (`:60`) is read as the second before it. Anything else
 * is rejected (`Date.parse` would guess at far more).
 */
export function httpDate(text: string): number | undefined {
  // The three forms share the time; asctime ends with its year where the others say GMT.
  const m =
    /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)(?:, (\d\d) (\w{3}) (\d{4})| (\w{3}) ([ \d]\d))|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, (\d\d)-(\w{3})-(\d\d)) (\d\d):(\d\d):(\d\d) (?:GMT|(\d{4}))$/.exec(
      text.trim(),
    );
  if (!m || !m[4] != !m[12]) return undefined;
  const [, d1, mon1, y1, mon3, d3, d2, mon2, y2, h, min, sec, y3] = m;
  const day = +(d1 ?? d2 ?? d3);
  const mo = MONTHS.indexOf(mon1 ?? mon2 ?? mon3);
  if (mo < 0 || mo % 3 || +h > 23 || +min > 59 || +sec > 60) return undefined;
  // setUTCFullYear, not Date.UTC: the year is taken as written (Date.UTC maps 0–99 to 19xx).
  const date = new Date(0);
  date.setUTCFullYear(y2 ? +y2 + (+y2 >= 70 ? 1900 : 2000) : +(y1 ?? y3), mo / 3, day);
  // Day 0 or a day past the month's end rolls over into another month.
  if (date.getUTCDate() !== day) return undefined;
  return date.getTime() + ((+h * 60 + +min) * 60 + Math.min(+sec, 59)) * 1000;
}

/** The rate limits one client knows of: per category, plus one for everything. */
export class RateLimits {
  /** When the limit on every category ends (Unix ms). */
  #all = 0;
  /** When each category's own limit ends, indexed by {@link Category} number. */
  #until: number[] = [];

  /**
   * Reads a response: updates the limits from its headers and says what became of the
   * envelope. Header values are passed as the server sent them (undefined if absent).
   */
  onResponse(status: number, rateLimits: string | null | undefined, retryAfter: string | null | undefined, nowMs: number): Response {
    // Each quota limit is trimmed, so an absent, empty or blank header sets nothing.
    if (!this.update(rateLimits ?? "", nowMs) && status === 429) {
      // A 429's `Retry-After` (seconds or an HTTP date) applies to every category; 60
      // seconds when it is absent or unreadable. No text is both a number and a date.
      const v = (retryAfter ?? "").trim();
      this.#all = Math.max(this.#all, httpDate(v) ?? nowMs + (seconds(v) ?? DEFAULT_SECS) * 1000);
    }
    return responseOf(status);
  }

  /** Applies an `X-Sentry-Rate-Limits` header. Returns true when it set at least one limit. */
  update(header: string, nowMs: number): boolean {
    let applied = false;
    for (let quota of header.split(",")) {
      quota = quota.trim();
      if (!quota) continue;
      const [secs, categories = ""] = quota.split(":");
      const until = nowMs + (seconds(secs.trim()) ?? DEFAULT_SECS) * 1000;
      let named = false;
      for (let name of categories.split(";")) {
        name = name.trim();
        if (!name) continue;
        named = true;
        for (const c of Object.values(Category)) {
          if (wireName(Category, c) === name) {
            this.#until[c] = Math.max(this.#until[c] ?? 0, until);
            applied = true;
          }
        }
      }
      if (!named) {
        this.#all = Math.max(this.#all, until);
        applied = true;
      }
    }
    return applied;
  }

  /** When the limit on `category` ends, if one is active at `nowMs`. */
  limitedUntil(category: Category, nowMs: number): number | undefined {
    const until = Math.max(this.#until[category] ?? 0, this.#all);
    return until > nowMs ? until : undefined;
  }

  /** True when items of `category` must not be sent at `nowMs`. */
  isLimited(category: Category, nowMs: number): boolean {
    return this.limitedUntil(category, nowMs) != null;
  }
}
