/**
 * Page lifecycle signals delivery acts on: the page being hidden (`visibilitychange` to
 * hidden, `pagehide`: the last moments a page can reliably send) and shown again
 * (`visibilitychange` to visible, `pageshow` from the back/forward cache), and the network
 * coming back (`online`). Each installer returns the function that removes its listeners, and is
 * a no-op where the host has no such events (Node, Workers).
 */

type Listener = (e?: { persisted?: boolean }) => void;
/** An event target (a document, the global object). */
export type Target = {
  addEventListener?: (type: string, fn: Listener) => void;
  removeEventListener?: (type: string, fn: Listener) => void;
};

/** Listens for `type` on `target` (if it has events), with `fn` guarded; returns the remover. */
export function listen(target: Target | undefined, type: string, fn: Listener): () => void {
  if (!target || typeof target.addEventListener !== "function") return () => {};
  const safe: Listener = (e) => {
    try {
      fn(e);
    } catch {
      /* never break the page */
    }
  };
  target.addEventListener(type, safe);
  return () => target.removeEventListener?.(type, safe);
}

/**
 * Calls `fn` when the page is hidden (`left` false) or being left (`pagehide`: `left`
 * true), and `shown` when it is visible again or back from the back/forward cache.
 */
export function onPageHide(fn: (left: boolean) => void, shown?: () => void): () => void {
  const doc = (globalThis as { document?: Target & { visibilityState?: string } }).document;
  if (!doc) return () => {};
  const offs = [
    listen(doc, "visibilitychange", () => (doc.visibilityState === "hidden" ? fn(false) : shown?.())),
    listen(globalThis as Target, "pagehide", () => fn(true)),
    listen(globalThis as Target, "pageshow", (e) => e?.persisted && shown?.()),
  ];
  return () => offs.forEach((off) => off());
}

/** Calls `fn` when the browser reports the network is back. */
export function onOnline(fn: () => void): () => void {
  if (!(globalThis as { document?: unknown }).document) return () => {};
  return listen(globalThis as Target, "online", fn);
}

/** False only when the host knows it is offline (`navigator.onLine`). */
export function maybeOnline(): boolean {
  const nav = (globalThis as { navigator?: { onLine?: boolean } }).navigator;
  return nav?.onLine !== false;
}
