/**
 * The boundary's numbered enums (drop reasons, data categories, scope setters, verdicts,
 * request-session ends), as the core numbers them (`src/bindings.rs`), for the glue (as
 * types) and the rest of `js/` (as values and types). They live here, not in the glue, so
 * the engine's chunk does not share the glue with the core loader's: in a browser the
 * glue comes in the loader's chunk, not in a chunk of its own. Only lazily loaded modules
 * import values from here; code on the browser's critical path names enum members by
 * their key (`keyof typeof ScopeOp`), checked against the same declaration.
 *
 * Each is a plain object literal (`as const`) with a type of the same name (the union
 * of its numbers), not a TypeScript `enum`: an `enum` compiles to a function call that
 * bundlers must keep, with a second, reverse map; an object literal is dropped from a
 * bundle that uses none of it, and `wireName` finds a key by its number.
 */
export type { Core, ParsedDsn } from "./core.js";

/** Client-report discard reasons (Sentry's wire names are written by the core). */
export const Reason = {
  QueueOverflow: 0,
  CacheOverflow: 1,
  RatelimitBackoff: 2,
  NetworkError: 3,
  SampleRate: 4,
  BeforeSend: 5,
  EventProcessor: 6,
  SendError: 7,
  BufferOverflow: 8,
  InternalSdkError: 9,
  Disabled: 10,
} as const;
export type Reason = (typeof Reason)[keyof typeof Reason];

/** Data categories (rate limits and client reports). */
export const Category = {
  Error: 0,
  Default: 1,
  Transaction: 2,
  Attachment: 3,
  Session: 4,
  Internal: 5,
  Span: 6,
  Replay: 7,
  Profile: 8,
  Monitor: 9,
  Feedback: 10,
  LogItem: 11,
} as const;
export type Category = (typeof Category)[keyof typeof Category];

/** Scope setters. */
export const ScopeOp = {
  SetTag: 0,
  SetTags: 1,
  SetExtra: 2,
  SetExtras: 3,
  SetContext: 4,
  SetUser: 5,
  SetLevel: 6,
  SetFingerprint: 7,
  SetTransactionName: 8,
  ClearBreadcrumbs: 9,
  Clear: 10,
} as const;
export type ScopeOp = (typeof ScopeOp)[keyof typeof ScopeOp];

/** The result of `capture` / `finish`. */
export const Verdict = {
  Send: 0,
  Drop: 1,
  Host: 2,
} as const;
export type Verdict = (typeof Verdict)[keyof typeof Verdict];

/** How a server request ended (request-mode sessions). */
export const RequestSessionStatus = {
  Exited: 0,
  Errored: 1,
  Crashed: 2,
} as const;
export type RequestSessionStatus = (typeof RequestSessionStatus)[keyof typeof RequestSessionStatus];

/**
 * Sentry's name of a member for log lines (`Reason.QueueOverflow` → `queue_overflow`,
 * `Category.LogItem` → `log_item`): the member's key in snake case. What goes on the
 * wire is written by the core.
 */
export function wireName(e: Readonly<Record<string, number>>, value: number): string {
  const key = Object.keys(e).find((k) => e[k] === value);
  return key ? key.replace(/[A-Z]/g, (c, i: number) => (i ? "_" : "") + c.toLowerCase()) : String(value);
}
