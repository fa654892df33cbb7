/**
 * When a browser page loads the rest of oxeye (the engine chunk, the glue and the wasm):
 * never before the page's `load` event, so oxeye takes nothing from page load. After
 * `load`, at idle (`requestIdleCallback`, at most `IDLE_TIMEOUT_MS` later; `setTimeout`
 * where there is no idle callback), or at once when a capture or `flush` is waiting.
 * Captures made before `load` wait in the client's queue with their ids and times. A page
 * that Speculation Rules prerender loads nothing before it is shown (`prerenderingchange`):
 * a prerender nobody opens costs no download.
 *
 * A page hidden before the core is up (`visibilitychange` to hidden, or `pagehide`) starts
 * loading at once and sends what is queued as soon as the core is up ("load and send"):
 * a hidden tab keeps running, and event requests use `keepalive`, so queued errors get
 * out unless the page is torn down before the core is up. Those a page torn down first
 * still had go to the tab's next page (`unsent-keep.ts`). Nothing is sent by this loader
 * itself, so everything sent has been scrubbed by the core.
 */

/** Longest wait for an idle moment after `load`, in ms. */
export const IDLE_TIMEOUT_MS = 2000;

type Target = {
  addEventListener?: (type: string, fn: () => void) => void;
  removeEventListener?: (type: string, fn: () => void) => void;
};

/** Calls `start` once it is time (see the module doc); the result says a call is waiting. */
export function afterPageLoad(start: () => void): () => void {
  const g = globalThis as Target & { document?: Target & { readyState?: string; visibilityState?: string; prerendering?: boolean }; requestIdleCallback?: (fn: () => void, o: { timeout: number }) => void };
  const doc = g.document;
  let started = false;
  let loaded = false;
  let waiting = false;
  const off: Array<() => void> = [];
  const on = (t: Target, type: string, fn: () => void) => {
    t.addEventListener?.(type, fn);
    off.push(() => t.removeEventListener?.(type, fn));
  };
  const go = () => {
    if (started) return;
    started = true;
    for (const f of off.splice(0)) f();
    start();
  };
  if (!doc || typeof g.addEventListener !== "function") {
    go();
    return () => {};
  }
  const onLoad = () => {
    loaded = true;
    if (waiting) go();
    else if (typeof g.requestIdleCallback === "function")
      g.requestIdleCallback(
        () => {
          // The page's first `Intl` call loads the browser's locale data (tens of ms on a slow
          // phone): made in the idle moment, it leaves the core's start (whose host facts read
          // the time zone) that much shorter.
          try {
            Intl.DateTimeFormat().resolvedOptions();
          } catch {
            /* no Intl */
          }
          go();
        },
        { timeout: IDLE_TIMEOUT_MS },
      );
    else setTimeout(go, 1);
  };
  // A page prerendered (Speculation Rules) loads nothing until it is shown, if ever.
  const begin = () => (doc.readyState === "complete" ? onLoad() : on(g, "load", onLoad));
  if (doc.prerendering) on(doc, "prerenderingchange", begin);
  else begin();
  on(doc, "visibilitychange", () => doc.visibilityState === "hidden" && go());
  on(g, "pagehide", go);
  return () => {
    waiting = true;
    if (loaded) go();
  };
}
