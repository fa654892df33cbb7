/**
 * The few helpers the loader needs (the client, the API functions, the notes taken before
 * the engine loads), kept apart from the engine's own (`guard.ts`, `ids.ts`, `warn.ts`).
 * In browsers the engine is a lazily loaded chunk that must import nothing from the
 * loader's modules: a bundler such as Vite or Rollup puts those into the app's entry
 * chunk, and an app whose entry module throws as it starts leaves that chunk failed, so
 * every later import of it fails too, and the error that crashed the page could never be
 * sent. What the engine needs of the loader's state reaches it through the `Platform`.
 */

import type { Options } from "./types.js";
import type { Platform } from "./contract.js";

/** `o[k]`, or undefined when reading it throws. */
export function read(o: unknown, k: string): unknown {
  try {
    return o == null ? undefined : (o as Record<string, unknown>)[k];
  } catch {
    /* undefined */
  }
}

/**
 * Why a client sends nothing, as far as its options say before any engine (its
 * `disabledReason`, in the core's words), or undefined when it may send: one given no DSN,
 * or turned off (`enabled: false`, or by its named environment's defaults, as in an app's
 * unit tests). Such a client loads no engine and no core, and says nothing when its core
 * could not have loaded (jsdom).
 */
export const offReason = (o: Options, platform: Platform): string | undefined =>
  !dsnOf(o, platform)
    ? "no DSN was given"
    : o.enabled === false || (o.enabled !== true && o.environment != null && o.environments?.[o.environment]?.enabled === false)
      ? "`enabled` is false"
      : undefined;

/** The DSN a client's options give, as the core reads it: `dsn`, else `SENTRY_DSN` of `env`, else of the host. */
export const dsnOf = (o: Options, platform: Platform): unknown => o.dsn || o.env?.SENTRY_DSN || platform.env?.()?.SENTRY_DSN;

/** `Object.keys(o)`, [] for typed arrays and when it throws. */
export const keysOf = (o: unknown): string[] => {
  try {
    return ArrayBuffer.isView(o) ? [] : Object.keys(o as object);
  } catch {
    return [];
  }
};

/** Resolves true when `p` settles before `deadline` (a `Date.now()` value), else false. */
export const within = (p: Promise<unknown>, deadline: number): Promise<boolean> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()), false);
    const settled = () => {
      clearTimeout(timer);
      resolve(true);
    };
    p.then(settled, settled);
  });

/** `console.warn(text)`, where there is a console. */
export function consoleWarn(text: string): void {
  try {
    console.warn(text);
  } catch {
    /* no console */
  }
}

const warned = new Set<string>();

/** Says `[oxeye] message` on the console once for `key` (per process or page). */
export const warnOnce = (key: string, message: string): unknown => warned.has(key) || (warned.add(key), consoleWarn(`[oxeye] ${message}`));

const HEX = Array.from({ length: 256 }, (_, x) => (x + 256).toString(16).slice(1));

/** Bytes as lowercase hex, two digits each. */
export const hex = (bytes: Uint8Array): string => bytes.reduce((s, x) => s + HEX[x], "");

/** Random bytes drawn at once, 16 handed out per event id (a storm of captures costs one draw per 256). */
let pool = new Uint8Array();
let used = 0;

/**
 * The id of a new event: `given` (a hint's `event_id`, as Sentry's SDKs take it) when it is
 * one (32 lowercase hex digits); else a new UUID v4 without dashes.
 */
export function eventId(given?: unknown): string {
  if (typeof given == "string" && /^[\da-f]{32}$/.test(given)) return given;
  if (used >= pool.length) (pool = crypto.getRandomValues(new Uint8Array(4096))), (used = 0);
  const b = pool.slice(used, (used += 16));
  b[6] = (b[6] & 15) | 64;
  b[8] = (b[8] & 63) | 128;
  return hex(b);
}
