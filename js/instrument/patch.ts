/**
 * Patching host functions once, whoever installs and uninstalls: a `Hook` holds the
 * current owner (the latest client's instrumentation) and whether the wrappers are in
 * place. Wrappers do nothing but call the original while there is no owner. Uninstalling
 * restores the originals only when nobody has wrapped them since; otherwise the wrappers
 * stay in the chain as pass-throughs and are reused by the next install (never twice).
 */

/** Shared state of one patched API. */
export interface Hook<O> {
  owner?: O;
  restore?: () => boolean;
}

/**
 * Makes `owner` the hook's owner, patching on first use with `patch` (which returns the
 * function that restores the originals, true when it could). Returns the uninstaller.
 */
export function claim<O>(hook: Hook<O>, owner: O, patch: () => (() => boolean) | undefined): () => void {
  hook.owner = owner;
  if (!hook.restore) {
    try {
      hook.restore = patch();
    } catch {
      hook.restore = undefined;
    }
  }
  return () => {
    if (hook.owner !== owner) return;
    hook.owner = undefined;
    try {
      if (hook.restore?.()) hook.restore = undefined;
    } catch {
      /* left in place as a pass-through */
    }
  };
}

/**
 * Makes `wrapper` look like `original` to code that inspects it: the same prototype and
 * copies of the original's own properties (`name`, `length`, and whatever a runtime or
 * another library hung on it, e.g. `fetch.preconnect`). `toString` is left alone.
 */
export function mimic(wrapper: Function, original: Function): void {
  try {
    Object.setPrototypeOf(wrapper, Object.getPrototypeOf(original));
  } catch {
    /* keeps Function.prototype */
  }
  let keys: (string | symbol)[] = [];
  try {
    keys = Reflect.ownKeys(original);
  } catch {
    /* a hostile Proxy: nothing to copy */
  }
  for (const key of keys) {
    // (Nor @sentry/browser's marks of its own wrappers, which name what it wrapped: copied,
    // they would name the function below oxeye's as this one's original.)
    if (key === "arguments" || key === "caller" || key === "__sentry_original__" || key === "__sentry_wrapped__") continue;
    try {
      const desc = Object.getOwnPropertyDescriptor(original, key);
      if (!desc) continue;
      if (key === "prototype") {
        // A wrapper's own `prototype` cannot be redefined; point it at the original's.
        if ("value" in desc && Object.getOwnPropertyDescriptor(wrapper, key)?.writable) (wrapper as unknown as { prototype: unknown }).prototype = desc.value;
        continue;
      }
      Object.defineProperty(wrapper, key, desc);
    } catch {
      /* a property that cannot be copied stays the wrapper's own */
    }
  }
}

/**
 * Replaces `obj[name]` (a function) with `make(original)`, made to look like the original
 * (`mimic`). Returns the restorer, which puts the original back only while `obj[name]` is
 * still the wrapper; undefined when there was nothing to patch.
 */
export function replace(obj: object, name: string, make: (original: Function) => Function): (() => boolean) | undefined {
  const o = obj as Record<string, unknown>;
  const original = o[name];
  if (typeof original !== "function") return undefined;
  const wrapper = make(original);
  mimic(wrapper, original);
  o[name] = wrapper;
  return () => {
    if (o[name] !== wrapper) return false;
    o[name] = original;
    return true;
  };
}

/** Restorer of several `replace` calls: true when every one was restored. */
export function all(restorers: Array<(() => boolean) | undefined>): (() => boolean) | undefined {
  const list = restorers.filter((r): r is () => boolean => !!r);
  if (!list.length) return undefined;
  return () => list.map((r) => r()).every(Boolean);
}
