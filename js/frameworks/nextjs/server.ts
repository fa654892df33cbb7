/**
 * Server-side helpers of `oxeye/nextjs`, for every Next runtime (Node and edge):
 *
 * - `outsideRequestContext`: runs reporting outside the request's async context. With
 *   `cacheComponents` (create-next-app's default), Next checks clock reads made inside a
 *   prerender's context and fails the prerender; `onRequestError` can run there, and a
 *   capture reads the clock. The context is left through `AsyncLocalStorage.snapshot()`
 *   taken when this module is evaluated (`instrumentation.ts` loads it at server start,
 *   outside any request). Where there is no snapshot, or the runtime refuses to call it
 *   (workerd, for a snapshot taken inside another request), the function runs as is.
 * - `RequestErrorDedupe`: Next may call `onRequestError` more than once for one failure
 *   (render and RSC passes of one request, the same error object); one report per
 *   request and error is kept.
 */

type Snapshot = <R>(fn: () => R) => R;

let outside: Snapshot | undefined;
try {
  const ALS = (globalThis as { AsyncLocalStorage?: { snapshot?: () => Snapshot } }).AsyncLocalStorage;
  if (typeof ALS?.snapshot === "function") outside = ALS.snapshot();
} catch {
  outside = undefined;
}

/** Runs `fn` outside the async context of the request being served (see the module doc). */
export function outsideRequestContext<T>(fn: () => T): T {
  if (outside) {
    let ran = false;
    try {
      return outside(() => ((ran = true), fn()));
    } catch (e) {
      if (ran) throw e;
      // A snapshot the runtime will not call from another request (workerd, when this
      // module was first evaluated inside one, as OpenNext does): run in place from now on.
      outside = undefined;
    }
  }
  return fn();
}

/** Reports of one request and error within this long count as one. */
const WINDOW_MS = 30_000;
/** The same, for a request named only by its method and path (other requests may share it). */
const SHARED_WINDOW_MS = 1_000;
const MAX_KEYS = 500;

/** One report per request and error. */
export class RequestErrorDedupe {
  #objects = new WeakSet<object>();
  #keys = new Map<string, number>();

  /**
   * True for the first report of `error` in the request named `requestKey` (call outside
   * the request's context: it reads the clock); `shared` when other requests may have
   * that name.
   */
  first(error: unknown, requestKey: string, digest: unknown, shared = false): boolean {
    try {
      if (error !== null && (typeof error === "object" || typeof error === "function")) {
        if (this.#objects.has(error)) return false;
        this.#objects.add(error);
      }
      const e = error as { name?: unknown; message?: unknown } | null;
      const what = typeof digest === "string" ? digest : `${String(e?.name ?? typeof error)}: ${String(e?.message ?? error)}`;
      const key = `${requestKey}\n${what}`;
      const now = Date.now();
      const until = this.#keys.get(key);
      if (until !== undefined && until > now) return false;
      this.#keys.delete(key);
      this.#keys.set(key, now + (shared ? SHARED_WINDOW_MS : WINDOW_MS));
      if (this.#keys.size > MAX_KEYS) this.#keys.delete(this.#keys.keys().next().value as string);
      return true;
    } catch {
      return true;
    }
  }
}
