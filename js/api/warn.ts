/**
 * Console warnings about the app's setup (an invalid DSN, a core that cannot load, an
 * option a runtime cannot honour): always shown, not only with `debug`, and once per
 * process or isolate for each key, however many clients (one per request in Workers) meet
 * the same problem.
 */

const warned = new Set<string>();

/** `console.warn(text)`, where there is a console. */
export function consoleWarn(text: string): void {
  try {
    console.warn(text);
  } catch {
    /* no console */
  }
}

/** Logs `[oxeye] message` once for `key`. */
export function warnOnce(key: string, message: string): void {
  if (!warned.has(key)) {
    warned.add(key);
    consoleWarn(`[oxeye] ${message}`);
  }
}
