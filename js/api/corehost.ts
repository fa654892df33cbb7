/**
 * Trap recovery: the one holder of a client's live `Core`. Every call into the core goes
 * through `call`/`run`. When a call traps (`WebAssembly.RuntimeError`: the instance's
 * memory and state can no longer be trusted), the instance is discarded at once and never
 * called again, not even to free it. Within a budget of `MAX_REINSTANTIATE` traps per
 * client a fresh wasm instance is loaded (`Platform.loadCore(attempt)`) and a new `Core`
 * made from the same options; the core's scopes are lost then (this is logged), calls made
 * meanwhile are queued (bounded) and replayed. Past the budget, or when a fresh instance
 * cannot be had (e.g. a bundler that cannot load the glue twice), the client disables
 * itself with a logged reason. Nothing here throws.
 */
import type { Core } from "../core/enums.js";

/** Traps a client recovers from; the next one disables it. */
export const MAX_REINSTANTIATE = 3;
/** Calls kept while a fresh instance loads. */
const MAX_WAITING = 1000;

/** True for a wasm trap. */
export function isTrap(e: unknown): boolean {
  try {
    // Without WebAssembly or its RuntimeError the read or the `instanceof` throws: not a trap.
    return e instanceof (globalThis as { WebAssembly: { RuntimeError: new () => Error } }).WebAssembly.RuntimeError;
  } catch {
    return false;
  }
}

/** A client's live core behind trap recovery (`coreHost`). */
export interface CoreHost {
  /** The live core, or undefined while reloading or after the SDK disabled itself. */
  readonly live: Core | undefined;
  /** Why the SDK disabled itself after traps, if it did. */
  readonly deadReason: string | undefined;
  /** Runs `fn` on the live core now; `fallback` (undefined when not given) when there is none or the call fails. */
  call<T>(where: string, fn: (core: Core) => T, fallback: T): T;
  call<T>(where: string, fn: (core: Core) => T): T | undefined;
  /** Runs `fn` on the live core, or after the fresh instance is up. */
  run(where: string, fn: (core: Core) => void): void;
}

/** Holds `core`, the first core; `remake(attempt)` makes the core of a fresh instance after a trap. */
export function coreHost(core: Core | undefined, remake: (attempt: number) => Core | Promise<Core>, log: (message: string) => void): CoreHost {
  // `core` is then the live one (undefined while a fresh one loads, and once dead).
  let traps = 0;
  let dead: string | undefined;
  const waiting: Array<(core: Core) => void> = [];
  let reloading = false;

  const disable = (why: string): void => {
    reloading = false;
    core = undefined;
    waiting.length = 0;
    dead = `oxeye is disabled: ${why}`;
    try {
      console.warn(`[oxeye] ${dead}`);
    } catch {
      /* no console */
    }
  };

  const call = (<T>(where: string, fn: (core: Core) => T, fallback?: T): T | undefined => {
    const live = core;
    if (!live) return fallback;
    try {
      return fn(live);
    } catch (e) {
      if (!isTrap(e)) {
        log(`internal error in ${where}: ${e}`);
        return fallback;
      }
      // Never call into this instance again.
      core = undefined;
      traps++;
      if (traps > MAX_REINSTANTIATE) {
        disable(`the wasm core trapped ${traps} times (last in ${where}: ${e})`);
        return fallback;
      }
      // A local of this block, not `where`: a parameter the closures below held would give
      // every call a context to allocate.
      const trapped = `the wasm core trapped in ${where} (${e})`;
      log(`${trapped}; loading a fresh instance (scopes, breadcrumbs and pending events are lost)`);
      reloading = true;
      // `remake` is called now; what it throws is its rejection.
      new Promise<Core>((made) => made(remake(traps))).then(
        (fresh) => {
          reloading = false;
          core = fresh;
          for (const op of waiting.splice(0)) op(fresh);
        },
        (err) => disable(`${trapped} and no fresh instance could be loaded: ${err}`),
      );
      return fallback;
    }
  }) as CoreHost["call"];

  return {
    get live() {
      return core;
    },
    get deadReason() {
      return dead;
    },
    call,
    run(where, fn) {
      if (core) call(where, fn);
      else if (reloading && waiting.length < MAX_WAITING) waiting.push(() => call(where, fn));
    },
  };
}
