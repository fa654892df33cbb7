/**
 * Breadcrumbs from before the engine has loaded (browsers, on the critical path): from
 * `init` until the engine's instrumentation is installed, each console call and click is
 * noted, with its time, as a call in the client's queue, in order with the captures made
 * around it. Nothing is formatted here, so the loader stays small: when the queue runs,
 * the engine's instrumentation (`early.record`, set by `instrument/index.ts`) makes each
 * note into the breadcrumb it would have recorded itself. The engine reaches `early`
 * through the platform, never by importing this module (see `api/loader-util.ts`). The
 * console wrappers and the click listener stay for the life of the page, passing calls
 * straight through once the engine records or the client is closed.
 */
import type { CaptureInput, OxeyeClient } from "../api/client.js";
import type { EventHint } from "../api/types.js";

/** What the engine's instrumentation sets, reached through the platform (`Platform.early`). */
export interface EarlyNotes {
  /** Records a console call (`level`, its arguments) or a click (no level, its target) made at `at`. */
  record?: (at: number, level: string | undefined, what: unknown) => void;
  /**
   * Records a request the loader noted (`early-requests.ts`): the app's arguments, those
   * sent, when it started and ended (`Date.now()`), its response or failure. Set by the
   * engine's `fetch` instrumentation, after which the loader notes no more.
   */
  request?: (args: [unknown, RequestInit?], sent: [unknown, RequestInit?], started: number, ended: number, res?: Response, error?: unknown) => void;
  /** The loader's `fetch` wrapper and the `fetch` it wraps (`early-requests.ts`). */
  fetch?: [wrapper: Function, original: Function];
  /**
   * Links a capture `client` queued before the engine loaded to the request it is about,
   * when the queue runs (the request tracker's capture hook, set by the engine's
   * instrumentation of the client it tracks, for that client's captures only): its
   * requests were noted only then.
   */
  link?: (input: CaptureInput, hint: EventHint, client: OxeyeClient) => void;
  /**
   * The random bytes of the page's trace, once the loader has sent its ids on a request
   * (`early-requests.ts`): the engine starts the page's trace from them, so its events
   * share that trace.
   */
  seed?: Uint8Array;
  /**
   * The trace the loader's requests carried, as `sentry-trace` has it: `traceid-spanid`
   * and the sampling flag ("" while deferred, else "-1" or "-0"). The engine goes on in
   * it, not in meta tags the loader did not read.
   */
  trace?: [ids: string, flag: string];
  /**
   * The page's trace (`trace`, made at the first call), for the engine's requests made
   * before the core has loaded. Set for a client that sends (`early-requests.ts`).
   */
  pageTrace?: () => [ids: string, flag: string];
}

/** The browser's notes, handed to the engine as `Platform.early`. */
export const early: EarlyNotes = {};

let noting: OxeyeClient | undefined;

function note(what: unknown, level?: string): void {
  // Once the instrumentation is installed it records on its own; a closed client notes nothing.
  if (!noting || noting.closed || early.record) return;
  const at = Date.now();
  noting.whenEngine(() => early.record?.(at, level, what));
}

/** Starts noting console calls and clicks for `client` (the wrappers are installed once). */
export function noteEarlyCrumbs(client: OxeyeClient): void {
  if (noting) return void (noting = client);
  noting = client;
  const g = globalThis as unknown as { console?: Record<string, unknown>; document?: { addEventListener?: Function } };
  try {
    g.document?.addEventListener?.("click", (ev: Event) => note(ev.target), { capture: true, passive: true });
    // The console methods noted (as `console.ts` records them).
    for (const level of ["debug", "info", "warn", "error", "log", "assert", "trace"]) {
      const original = g.console?.[level];
      if (typeof original == "function")
        g.console![level] = function (this: unknown, ...args: unknown[]) {
          note(args, level);
          return original.apply(this, args);
        };
    }
  } catch {
    /* a page whose console or document refuses: fewer early breadcrumbs */
  }
}
