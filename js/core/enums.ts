/**
 * The boundary's enums (drop reasons, data categories, scope setters, verdicts, response
 * meanings) for the rest of `js/`, as values and types. They come from the wasm glue, so
 * importing a value from here pulls the glue into the importing chunk: only lazily loaded
 * modules do. Code on the browser's critical path names enum members by their key
 * (`keyof typeof ScopeOp`), checked against the same declaration.
 */
export { Reason, Category, ScopeOp, Verdict, Response } from "./core.js";
export type { Core, ParsedDsn } from "./core.js";

/**
 * Sentry's name of a member for log lines (`Reason.QueueOverflow` → `queue_overflow`,
 * `Category.LogItem` → `log_item`): the member's key in snake case. What goes on the
 * wire is written by the core.
 */
export function wireName(e: Record<number, string>, value: number): string {
  const key = e[value];
  return typeof key === "string" ? key.replace(/[A-Z]/g, (c, i: number) => (i ? "_" : "") + c.toLowerCase()) : String(value);
}
