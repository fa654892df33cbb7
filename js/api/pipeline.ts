/**
 * The host stages of the capture pipeline. One order for the whole pipeline, the same as
 * the header of `src/pipeline/mod.rs`:
 *
 *  1. enabled?                          src/pipeline/ (core)           → Disabled, not counted
 *  2. early drop, before the capture is  js/api/engine.ts:dropEarly       → RatelimitBackoff
 *     read: an active rate limit (asked                                  / QueueOverflow
 *     again before `finish`), a full send
 *     buffer or a spent maxEventsPerMinute
 *  3. build the event                   src/pipeline/build.rs (core)
 *  4. inbound filters: string patterns  src/pipeline/ (core), then
 *     RegExp patterns                   js/api/pipeline.ts:regexFilter  → EventProcessor
 *  5. event processors                  js/api/pipeline.ts:runCallbacks  → EventProcessor
 *  6. beforeSend                        js/api/pipeline.ts:runCallbacks  → BeforeSend
 *  7. dedupe                            src/pipeline/ (core, `finish`) → EventProcessor
 *  8. sampleRate (drawn at capture)     src/pipeline/ (core, `finish`) → SampleRate
 *  9. scrub, size cap, envelope         src/pipeline/ (core, `finish`)
 *
 * Errors dropped at 2 or 8 still count in the session; those dropped at 4 to 7 do not.
 * Without RegExp filters, processors or `beforeSend` the core runs 1–9 in one `capture`
 * call and nothing here runs. Otherwise the core hands the built event back (`Verdict.Host`)
 * and `runHostStages` runs 4 (RegExp part) to 6, whose result goes back through `finish`.
 *
 * Bounds: each processor and `beforeSend` has `CALLBACK_TIMEOUT_MS` (5 s) to answer; one
 * that does not is a drop (EventProcessor / BeforeSend), counted and logged. At most
 * `MAX_PENDING` events are in the host stages at once; a capture beyond that is dropped
 * before the core builds anything (QueueOverflow). A callback that throws is skipped (the
 * event goes on, fail open) and the event says so in `contexts.oxeye.callback_errors`.
 * Callback results are normalised (`normalizeEvent`) before they go back to the core.
 */
import type { EventHint, EventProcessor, Options, SentryEvent } from "./types.js";
import { normalizeEvent } from "./normalize.js";
import { matches } from "../instrument/url.js";
import { unref } from "./guard.js";

/** Time a processor or `beforeSend` has to answer, in ms. */
export const CALLBACK_TIMEOUT_MS = 5000;
/**
 * Events in the host stages at once, at most. Never more than the core holds for them
 * (`MAX_PENDING` of src/pipeline/mod.rs, 64): the core would evict the oldest and count it,
 * and the event's later drop or finish would count it a second time.
 */
export const MAX_PENDING = 64;

/** RegExp patterns of one client (strings are matched in the core). */
export interface RegexFilters {
  ignoreErrors: RegExp[];
  denyUrls: RegExp[];
  allowUrls: RegExp[];
}

/**
 * The three pattern options' RegExp entries (`regex`), or their string entries (for the
 * core), read in this order.
 */
export function filtersOf(options: Options, regex?: boolean): RegexFilters {
  const f = {} as Record<keyof RegexFilters, any[]>;
  for (const k of ["ignoreErrors", "denyUrls", "allowUrls"] as const) {
    const patterns = options[k];
    try {
      f[k] = Array.isArray(patterns) ? patterns.filter((p) => (regex ? p instanceof RegExp : typeof p === "string")) : [];
    } catch {
      f[k] = [];
    }
  }
  return f;
}

/** True when any host stage exists, so the core must hand events back. */
export function hasHostStages(f: RegexFilters, processors: EventProcessor[], beforeSend: unknown): boolean {
  return processors.length > 0 || typeof beforeSend === "function" || hasRegexFilters(f);
}

/** True when any RegExp filter is set. */
function hasRegexFilters(f: RegexFilters): boolean {
  return f.ignoreErrors.length + f.denyUrls.length + f.allowUrls.length > 0;
}

/**
 * Stage 5 (RegExp part): why the event is filtered, or undefined to keep it. `subjects` is
 * the core's `{"messages":[…],"url":…}`: the texts `ignoreErrors` matches and the URL of
 * the frame `denyUrls`/`allowUrls` match (not read when there is no RegExp filter).
 */
export function regexFilter(subjectsJson: string | undefined, f: RegexFilters): string | undefined {
  if (!hasRegexFilters(f) || !subjectsJson) return undefined;
  let subjects: { messages?: unknown; url?: unknown };
  try {
    subjects = JSON.parse(subjectsJson);
  } catch {
    return undefined;
  }
  const messages = Array.isArray(subjects.messages) ? subjects.messages.filter((m): m is string => typeof m === "string") : [];
  const hit = f.ignoreErrors.find((re) => messages.some((m) => matches(re, m)));
  if (hit) return `its message matches ignoreErrors ${hit}`;
  const url = subjects.url;
  if (typeof url !== "string") return undefined;
  const deny = f.denyUrls.find((re) => matches(re, url));
  if (deny) return `its URL ${url} matches denyUrls ${deny}`;
  if (f.allowUrls.length && !f.allowUrls.some((re) => matches(re, url))) return `its URL ${url} matches no allowUrls entry`;
  return undefined;
}

const TIMED_OUT = Symbol("timed out");

/** `p`, or TIMED_OUT after `ms`. */
function timed<T>(p: T | PromiseLike<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  return new Promise((resolve, reject) => {
    const timer = unref(setTimeout(() => resolve(TIMED_OUT), ms));
    Promise.resolve(p)
      .finally(() => clearTimeout(timer))
      .then(resolve, reject);
  });
}

/** What the host stages decided: `[event]` to send it, or `[, reason, detail]` to drop it. */
export type HostOutcome = [send: SentryEvent] | [send: undefined, drop: "EventProcessor" | "BeforeSend", detail: string];

/** Stages 5 (RegExp part) to 7 for one event handed back by the core. */
export async function runHostStages(
  eventJson: string,
  subjectsJson: string | undefined,
  filters: RegexFilters,
  processors: EventProcessor[],
  beforeSend: unknown,
  hint: EventHint,
  dataDepth: number,
  log: (m: string) => void,
): Promise<HostOutcome> {
  const why = regexFilter(subjectsJson, filters);
  if (why) return [, "EventProcessor", `filtered because ${why}`];
  // (Read field by field, as JSON: the public type's shapes are what callbacks may assume.)
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let event: Record<string, any> = JSON.parse(eventJson);
  // Callbacks see the event as Sentry's SDKs show it: `breadcrumbs` as an array (the core
  // reads it back in that form too), and a message event's text as `event.message` (a
  // string) beside the core's `logentry.formatted`; a `message` they change is what is sent.
  const crumbs = event.breadcrumbs?.values;
  if (Array.isArray(crumbs)) event.breadcrumbs = crumbs;
  const text = event.logentry?.formatted;
  const shown = typeof text == "string" && event.message === undefined;
  if (shown) event.message = text;
  const problems: string[] = [];
  // Stage 6 (the processors, in order), then 7 (`beforeSend` alone): each callback's result
  // is the next one's event. `who` names the callback in what is said; a callback that
  // throws is skipped (`kept` says what became of the event).
  let current = event as SentryEvent;
  for (const [callbacks, who, drop, kept] of [
    [processors, "an event processor", "EventProcessor", "the event goes on unchanged by it"],
    [typeof beforeSend === "function" ? [beforeSend as EventProcessor] : [], "beforeSend", "BeforeSend", "the event is sent as it was"],
  ] as const) {
    for (const callback of callbacks) {
      let next: SentryEvent | null | typeof TIMED_OUT;
      try {
        next = await timed(callback(current, hint), CALLBACK_TIMEOUT_MS);
      } catch (e) {
        problems.push(`${who} threw: ${e}`);
        log(`${who} threw (${e}); ${kept}`);
        continue;
      }
      if (next === TIMED_OUT) return [, drop, `${who} did not answer within ${CALLBACK_TIMEOUT_MS} ms`];
      // `null` drops the event; anything else that is not an event is a mistake, said as such.
      if (!next || typeof next != "object" || Array.isArray(next))
        return [, drop, `${who} returned ${next === null ? "null" : next === undefined ? "undefined (a missing return?)" : `${Array.isArray(next) ? "an array" : typeof next}, not an event or null`}`];
      current = next;
    }
  }
  // The forms put back on the normalised copy (bounded, and the callback's result may be
  // frozen, as immer's are): breadcrumbs as the protocol's `{ values }` (servers that check
  // the schema refuse a bare array), as the core wrote them, so that an event the callbacks
  // left alone is not scrubbed again; a changed `message` into `logentry`.
  event = normalizeEvent(current, dataDepth);
  if (Array.isArray(event.breadcrumbs)) event.breadcrumbs = { values: event.breadcrumbs };
  const m = event.message;
  const entry = event.logentry as Record<string, unknown> | undefined;
  if (shown && typeof m == "string") {
    if (m !== text && entry?.formatted === text) event.logentry = { ...entry, formatted: m };
    if (m === text || (event.logentry as Record<string, unknown> | undefined)?.formatted === m) delete event.message;
  }
  if (problems.length) {
    // Fail open, never silent: the event is sent and says what went wrong on its way.
    event.contexts = {
      ...(event.contexts && typeof event.contexts === "object" && !Array.isArray(event.contexts) ? event.contexts : {}),
      oxeye: { callback_errors: problems },
    };
  }
  return [event];
}
