/**
 * The default scope storage, for runtimes with no async context to keep scopes in
 * (browsers, and edge runtimes without `AsyncLocalStorage`): the active scopes are swapped
 * for the duration of a call, and back once it returns or its promise settles.
 */
import { read } from "./loader-util.js";
import type { Scope } from "./scope.js";
import type { ScopeStorage } from "./contract.js";

/** Runs `done` after `result` (after it settles when it is a promise); returns what to hand back. */
export function whenDone<T>(result: T, done: () => void): T {
  // A thenable: an object or function (`Object(v) === v`) whose `then` reads as a function.
  if (Object(result) === result && typeof read(result, "then") === "function") {
    return (result as unknown as Promise<unknown>).then(
      (v) => {
        done();
        return v;
      },
      (e) => {
        done();
        throw e;
      },
    ) as T;
  }
  done();
  return result;
}

/** The default scope storage: the active scopes are swapped for the duration of a call. */
export function swapScopeStorage(active: { isolation: Scope; current: Scope }): ScopeStorage {
  // `active` starts as the initial scopes and is swapped by `run`.
  return {
    get: () => active,
    run(scopes, fn) {
      const prev = active;
      active = scopes;
      let result;
      try {
        result = fn();
      } catch (e) {
        active = prev;
        throw e;
      }
      return whenDone(result, () => (active = prev));
    },
  };
}
