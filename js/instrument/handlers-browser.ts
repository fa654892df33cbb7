/**
 * Browser global handlers: `error` and `unhandledrejection` on the global scope, captured
 * as unhandled errors. Listeners are added (never replacing the app's own `onerror`) and
 * removed again by `close()`. The events a page's first inline script kept before oxeye
 * ran (`oxeyeEarly`) are reported as they are installed.
 */
import type { OxeyeClient } from "../api/client.js";

/** Installs the handlers; returns the function that removes them. */
export function installBrowserHandlers(client: OxeyeClient): () => void {
  const target = globalThis as unknown as {
    addEventListener?: (t: string, f: (ev: any) => void) => void;
    removeEventListener?: (t: string, f: (ev: any) => void) => void;
    oxeyeEarly?: unknown;
  };
  if (typeof target.addEventListener !== "function") return () => {};
  // V8 keeps 10 frames of a stack unless told otherwise, and the callers past them (a
  // click handler, the code that called a shared helper) are what place an error: 50, as
  // many as an event keeps. A page that asked for more keeps its own; frozen, it stays.
  try {
    const E = Error as { stackTraceLimit?: number };
    if ((E.stackTraceLimit as number) < 50) E.stackTraceLimit = 50;
  } catch {
    /* frozen intrinsics */
  }
  const onError = (ev: ErrorEvent) => {
    try {
      let thrown: unknown = ev.error;
      if (Object(thrown) !== thrown) {
        // No error object (a cross-origin script, or a thrown string, number, `null`):
        // rebuild one from the event's facts, so that it has the throw's place as its frame
        // and its page view counts as crashed.
        thrown = { name: "Error", message: String(ev.message ?? ""), stack: `Error: ${ev.message}${ev.filename ? `\n    at ${ev.filename}:${ev.lineno || 0}:${ev.colno || 0}` : ""}` };
      }
      client.captureException(thrown, { mechanism: { type: "auto.browser.global_handlers.onerror", handled: false } });
    } catch {
      /* never break the page */
    }
  };
  const onRejection = (ev: PromiseRejectionEvent) => {
    try {
      client.captureException(ev.reason, {
        mechanism: { type: "auto.browser.global_handlers.onunhandledrejection", handled: false },
      });
    } catch {
      /* never break the page */
    }
  };
  target.addEventListener("error", onError);
  target.addEventListener("unhandledrejection", onRejection);
  // What a page's first inline script kept before oxeye ran (the README's snippet pushes
  // each error and rejection event into `oxeyeEarly`): reported now, once, and nothing more
  // is kept from here on.
  const kept = target.oxeyeEarly;
  if (Array.isArray(kept)) {
    target.oxeyeEarly = { push() {} };
    for (const ev of kept) (ev?.type == "error" ? onError : onRejection)(ev);
  }
  return () => {
    target.removeEventListener?.("error", onError);
    target.removeEventListener?.("unhandledrejection", onRejection);
  };
}
