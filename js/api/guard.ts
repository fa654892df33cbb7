/**
 * Guarded reads of the engine (the normaliser, the thrown-value reader, delivery, the
 * instrumentation): a property read that never throws (getters that throw, revoked
 * proxies), a promise race against a deadline, and timers that do not keep Node running.
 * The loader has its own (`loader-util.ts`): the browser's engine chunk imports nothing of
 * the loader's.
 */

/** `timer`, which no longer keeps Node running by itself (other runtimes' timers are left as they are). */
export function unref<T>(timer: T): T {
  (timer as { unref?: () => void }).unref?.();
  return timer;
}

/** `obj[key]`, or undefined when reading it throws. */
export function read(obj: unknown, key: string): unknown {
  // Not tried on null or undefined: the TypeError it throws costs microseconds.
  if (obj === null || obj === undefined) return undefined;
  try {
    return (obj as Record<string, unknown>)[key];
  } catch {
    /* undefined */
  }
}

/**
 * `Object.keys(v)` without its two hazards: none for typed arrays and DataViews (millions
 * of index keys; their contents are summarised, never enumerated), and [] when it throws
 * (a revoked proxy, a throwing `ownKeys` trap).
 */
export function keysOf(v: unknown): string[] {
  try {
    return ArrayBuffer.isView(v) ? [] : Object.keys(v as object);
  } catch {
    return [];
  }
}

/**
 * Settles once every one of `ps` has (never rejects): `Promise.allSettled` without its
 * results, which a page's old `Promise` polyfill (es6-promise, set as `window.Promise`) lacks.
 */
export function allSettled(ps: Iterable<PromiseLike<unknown>>): Promise<unknown> {
  const none = () => {};
  return Promise.all(Array.from(ps, (p) => p.then(none, none)));
}

/** Resolves true when `p` settles before `deadline` (a Date.now() value), false otherwise. */
export function within(p: Promise<unknown>, deadline: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
    const done = () => {
      clearTimeout(timer);
      resolve(true);
    };
    p.then(done, done);
  });
}
