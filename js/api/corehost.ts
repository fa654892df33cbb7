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
    const W = (globalThis as { WebAssembly?: { RuntimeError?: new () => Error } }).WebAssembly;
    return !!W?.RuntimeError && e instanceof W.RuntimeError;
  } catch {
    return false;
  }
}

export class CoreHost {
  #core?: Core;
  #traps = 0;
  #dead?: string;
  #waiting: Array<(core: Core) => void> = [];
  #reloading = false;

  #remake: (attempt: number) => Core | Promise<Core>;
  #log: (message: string) => void;

  constructor(
    first: Core,
    remake: (attempt: number) => Core | Promise<Core>,
    log: (message: string) => void,
  ) {
    this.#remake = remake;
    this.#log = log;
    this.#core = first;
  }

  /** The live core, or undefined while reloading or after the SDK disabled itself. */
  get live(): Core | undefined {
    return this.#core;
  }

  /** Why the SDK disabled itself after traps, if it did. */
  get deadReason(): string | undefined {
    return this.#dead;
  }

  /** Runs `fn` on the live core now; `fallback` when there is none or the call fails. */
  call<T>(where: string, fn: (core: Core) => T, fallback: T): T {
    const core = this.#core;
    if (!core) return fallback;
    try {
      return fn(core);
    } catch (e) {
      this.#failed(where, e);
      return fallback;
    }
  }

  /** Runs `fn` on the live core, or after the fresh instance is up. */
  run(where: string, fn: (core: Core) => void): void {
    if (this.#core) {
      this.call(where, fn, undefined);
      return;
    }
    if (this.#reloading && this.#waiting.length < MAX_WAITING) {
      this.#waiting.push((core) => this.call(where, fn, undefined));
    }
  }

  #failed(where: string, e: unknown): void {
    if (!isTrap(e)) {
      this.#log(`internal error in ${where}: ${e}`);
      return;
    }
    // Never call into this instance again.
    this.#core = undefined;
    this.#traps++;
    if (this.#traps > MAX_REINSTANTIATE) {
      this.#disable(`the wasm core trapped ${this.#traps} times (last in ${where}: ${e})`);
      return;
    }
    this.#log(`the wasm core trapped in ${where} (${e}); loading a fresh instance (scopes, breadcrumbs and pending events are lost)`);
    this.#reloading = true;
    let made: Core | Promise<Core>;
    try {
      made = this.#remake(this.#traps);
    } catch (err) {
      made = Promise.reject(err);
    }
    Promise.resolve(made).then(
      (core) => {
        this.#reloading = false;
        this.#core = core;
        for (const op of this.#waiting.splice(0)) op(core);
      },
      (err) => this.#disable(`the wasm core trapped in ${where} (${e}) and no fresh instance could be loaded: ${err}`),
    );
  }

  #disable(why: string): void {
    this.#reloading = false;
    this.#core = undefined;
    this.#waiting.length = 0;
    this.#dead = `oxeye is disabled: ${why}`;
    try {
      console.warn(`[oxeye] ${this.#dead}`);
    } catch {
      /* no console */
    }
  }
}
