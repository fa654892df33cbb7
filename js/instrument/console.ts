/**
 * Console breadcrumbs: `console.debug/info/warn/error/log/assert/trace` are wrapped once;
 * each call (of the levels asked for) becomes a breadcrumb with category `console`, the
 * level, the arguments joined as the message (objects as their normalised JSON, cut at
 * `MAX_MESSAGE` characters), and the arguments as data. The original is
 * always called. oxeye's own debug lines, and console calls made from inside another
 * console call or while a breadcrumb is being added, are not recorded. Calls made before
 * the engine loaded are recorded from the loader's notes (`recordConsole`).
 */
import { all, claim, replace, type Hook } from "./patch.js";
import type { InstrumentContext } from "./requests.js";
import type { SeverityLevel } from "../api/types.js";
import { cut, toJson } from "../api/normalize.js";

/** The console methods recorded (the loader's notes, `early-crumbs.ts`, wrap the same ones). */
export const CONSOLE_LEVELS = ["debug", "info", "warn", "error", "log", "assert", "trace"] as const;
export type ConsoleLevel = (typeof CONSOLE_LEVELS)[number];

export interface Owner {
  ctx: InstrumentContext;
  levels: Set<string>;
}

const hook: Hook<Owner> = {};
let busy = false;
const MAX_MESSAGE = 1000;

function text(v: unknown): string {
  try {
    if (v instanceof Error) return `${v.name}: ${v.message}`;
    // Strings, and what JSON cannot hold (undefined, functions, symbols, bigints), as
    // `String` writes them; booleans too (the same text as their JSON).
    if (typeof v !== "object" && typeof v !== "number") return cut(String(v), MAX_MESSAGE);
    // The normaliser's bounded copy: typed arrays summarised, shared references once, and
    // no more text than the message keeps.
    return toJson(v, { maxBytes: MAX_MESSAGE, maxString: MAX_MESSAGE });
  } catch {
    return Object.prototype.toString.call(v);
  }
}

/** Records a call of console method `level` (made at `at`, ms, when not now) as a breadcrumb, when that level is recorded. */
export function recordConsole(owner: Owner, level: string, args: unknown[], at?: number): void {
  if (!owner.levels.has(level)) return;
  let shown = args;
  if (level === "assert") {
    if (args[0]) return; // a passing assertion logs nothing
    shown = args.slice(1);
  }
  // (Not oxeye's own debug lines, nor those of @sentry/browser's logger beside it.)
  if (typeof shown[0] === "string" && /^(\[oxeye\]|Sentry Logger \[)/.test(shown[0])) return;
  let message = shown.map(text).join(" ");
  if (level === "assert") message = `Assertion failed${message ? `: ${message}` : ""}`;
  owner.ctx.client.addBreadcrumb(
    {
      category: "console",
      // The breadcrumb level of the console method.
      level: level === "warn" ? "warning" : level === "assert" ? "error" : level === "trace" ? "log" : (level as SeverityLevel),
      message: cut(message, MAX_MESSAGE),
      data: { arguments: shown, logger: "console" },
      ...(at && { timestamp: at / 1000 }),
    },
    { input: args, level },
  );
}

/** Records console calls of `levels`; returns the uninstaller. */
export function instrumentConsole(ctx: InstrumentContext, levels: Iterable<string>): () => void {
  const c = (globalThis as unknown as { console?: Record<string, unknown> }).console;
  if (!c) return () => {};
  return claim(hook, { ctx, levels: new Set(levels) }, () =>
    all(
      CONSOLE_LEVELS.map((level) =>
        replace(c, level, (original) =>
          function (this: unknown, ...args: unknown[]) {
            const owner = hook.owner;
            // Console calls made by the console itself (Node's assert writes through warn)
            // or while a breadcrumb is added are not recorded again.
            if (!owner || busy) return original.apply(this, args);
            busy = true;
            try {
              recordConsole(owner, level, args);
            } catch {
              /* a breadcrumb is not worth a broken console */
            }
            try {
              return original.apply(this, args);
            } finally {
              busy = false;
            }
          },
        ),
      ),
    ),
  );
}
