/**
 * The boundary's numbered enums (drop reasons, data categories, scope setters, verdicts,
 * request-session ends), as the core numbers them (`src/bindings.rs`), for the glue (as
 * types) and the rest of `js/` (as values and types). They live here, not in the glue, so
 * the engine's chunk does not share the glue with the core loader's: in a browser the
 * glue comes in the loader's chunk, not in a chunk of its own. Only lazily loaded modules
 * import values from here; code on the browser's critical path names enum members by
 * their key (`keyof typeof ScopeOp`), checked against the same declaration.
 *
 * Each is a plain object (made by `numbered` from its keys in order: the numbers are the
 * places, so the source and the bundles do not repeat them) with a type of the same name
 * (the union of its numbers), not a TypeScript `enum`: an `enum` compiles to a function
 * call that bundlers must keep, with a second, reverse map; a `numbered` call is marked
 * pure, so it is dropped from a bundle that uses none of it, and `wireName` finds a key by
 * its number.
 */
export type { Core, ParsedDsn } from "./core.js";

/** The type of `numbered(keys)`: each space-separated key with its index, read-only. */
export type Numbered<S extends string> = { readonly [K in keyof Places<S>]: Places<S>[K] };
/** `Numbered` as an intersection: the first key is 0, then the rest of the keys counted on from `N`'s length. */
type Places<S extends string, N extends 0[] = []> = S extends `${infer K} ${infer Rest}`
  ? { [P in K]: N["length"] } & Places<Rest, [...N, 0]>
  : { [P in S]: N["length"] };

/** `{ A: 0, B: 1, … }` from `"A B …"`: the keys in order, each numbered by its place. */
export function numbered<S extends string>(keys: S): Numbered<S> {
  const out: Record<string, number> = {};
  keys.split(" ").forEach((k, i) => (out[k] = i));
  return out as Numbered<S>;
}

/** Client-report discard reasons (Sentry's wire names are written by the core). */
export const Reason = /* @__PURE__ */ numbered("QueueOverflow CacheOverflow RatelimitBackoff NetworkError SampleRate BeforeSend EventProcessor SendError BufferOverflow InternalSdkError Disabled");
export type Reason = (typeof Reason)[keyof typeof Reason];

/** Data categories (rate limits and client reports). */
export const Category = /* @__PURE__ */ numbered("Error Default Transaction Attachment Session Internal Span Replay Profile Monitor Feedback LogItem");
export type Category = (typeof Category)[keyof typeof Category];

/** Scope setters. */
export const ScopeOp = /* @__PURE__ */ numbered("SetTag SetTags SetExtra SetExtras SetContext SetUser SetLevel SetFingerprint SetTransactionName ClearBreadcrumbs Clear");
export type ScopeOp = (typeof ScopeOp)[keyof typeof ScopeOp];

/** The result of `capture` / `finish`. */
export const Verdict = /* @__PURE__ */ numbered("Send Drop Host");
export type Verdict = (typeof Verdict)[keyof typeof Verdict];

/** How a server request ended (request-mode sessions). */
export const RequestSessionStatus = /* @__PURE__ */ numbered("Exited Errored Crashed");
export type RequestSessionStatus = (typeof RequestSessionStatus)[keyof typeof RequestSessionStatus];

/**
 * Sentry's name of a member for log lines (`Reason.QueueOverflow` → `queue_overflow`,
 * `Category.LogItem` → `log_item`): the member's key in snake case, found by its place
 * (each enum is `numbered`: a member's number is its key's place), or the number itself
 * when no key has it. What goes on the wire is written by the core.
 */
export function wireName(e: Readonly<Record<string, number>>, value: number): string {
  const key = Object.keys(e)[value];
  return key ? key.replace(/[A-Z]/g, (c, i: number) => (i ? "_" : "") + c.toLowerCase()) : String(value);
}
