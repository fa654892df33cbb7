/**
 * The engine's console warnings about the app's setup (an invalid DSN or `scrub` option,
 * an option a runtime cannot honour, a transport of another shape): always shown, not
 * only with `debug`, and once per process or isolate for each key, however many clients
 * (one per request in Workers) meet the same problem. The loader says its own (a core
 * that cannot load, a call before `init`) with `loader-util.ts`.
 */

const warned = new Set<string>();

/** Logs `[oxeye] message` once for `key`, where there is a console. */
export function warnOnce(key: string, message: string): void {
  if (warned.has(key)) return;
  warned.add(key);
  try {
    console.warn(`[oxeye] ${message}`);
  } catch {
    /* no console */
  }
}
