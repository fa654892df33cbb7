/**
 * A plain, guarded copy of what the app hands the client as an object (its options, an
 * event, a breadcrumb, a hint), so that later changes to the app's object, throwing
 * getters and hostile proxies reach none of oxeye's reads. Part of the loader (critical
 * path): it imports only the loader's own helpers.
 */
import type { Options } from "./types.js";
import { keysOf, read } from "./loader-util.js";

/**
 * A plain copy of an options object (or an event, a breadcrumb, a hint): its own keys and
 * those of its prototype; when it refuses to be enumerated, the essential options by name.
 * Every read is guarded, so a throwing getter or trap costs that one key, never the call.
 * Anything but an object (a missing hint, a primitive) gives an empty object.
 */
export function copyOptions(options: unknown): Options {
  const out: Record<string, unknown> = {};
  if (!options || typeof options !== "object") return out;
  // Own keys (binary data has none worth reading), then those of a prototype other than
  // Object's (options made with Object.create); nothing enumerable at all, as behind a
  // Proxy whose traps throw: the essential options by name.
  let keys = new Set(keysOf(options));
  try {
    const proto: unknown = Object.getPrototypeOf(options);
    if (proto && proto !== Object.prototype) for (const k of keysOf(proto)) keys.add(k);
  } catch {
    /* a Proxy's getPrototypeOf trap */
  }
  // None: what a client needs to send at all, read by name.
  if (!keys.size) keys = new Set(["dsn", "transport", "tunnel", "enabled", "release", "environment", "debug"]);
  for (const k of keys) {
    const v = read(options, k);
    if (v !== undefined) out[k] = v;
  }
  return out as Options;
}
