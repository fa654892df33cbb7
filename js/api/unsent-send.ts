/**
 * Sends what the tab's previous page captured before its core was up and could not send
 * before it was left (`unsent-keep.ts` wrote it to `sessionStorage`): at the engine's start,
 * before the page's own session starts, so that the previous page's crash does not count
 * in this page view's. Each capture keeps its event id (a copy the previous page still
 * managed to send is one event at the server), level, mechanism, time, page URL, the
 * release and environment its page was given, and that page's debug ids (its files'
 * source maps); the scope data of the page that made it is not kept. Part of the engine (loaded lazily in browsers).
 */
import type { CaptureHook, OxeyeClient } from "./client.js";

/** The `sessionStorage` key, with the DSN after it (`unsent-keep.ts`'s). */
const KEY = "oxeye.unsent ";

/** Sends what the previous page left; with `discard` (consent withdrawn), drops it. */
export function sendUnsent(client: OxeyeClient, discard?: boolean): void {
  let kept: unknown;
  try {
    // (The DSN as `unsent-keep.ts` reads it: `dsn`, else `SENTRY_DSN` of `env` or of the host.)
    const o = client.options;
    const dsn = o.dsn || o.env?.SENTRY_DSN || client.platform.env?.()?.SENTRY_DSN;
    if (!dsn) return;
    const key = KEY + dsn;
    const text = globalThis.sessionStorage?.getItem(key);
    if (text == null) return;
    sessionStorage.removeItem(key);
    if (discard) return;
    kept = JSON.parse(text);
  } catch {
    return;
  }
  // `[time origin, captures, debug ids, release, environment]` of the page that kept them.
  const [origin, captures, ids, release, environment] = Array.isArray(kept) ? kept : [];
  // (This page's own, written as it was hidden and then shown again: its core sent them.)
  if (origin === performance.timeOrigin || !Array.isArray(captures)) return;
  // Each capture keeps the time and page URL it was made at, and the previous page's
  // release and environment (a page of the release before a deploy stays that release's).
  let now: unknown[] | undefined;
  const hook: CaptureHook = (input) => {
    const [, , , , , at, url] = now ?? [];
    if (typeof at == "number") input.timestamp = at;
    if (typeof url == "string") input.url = url;
    const ev: Record<string, unknown> = (input.event ??= {});
    if (typeof release == "string") ev.release = release;
    if (typeof environment == "string") ev.environment = environment;
    // (Its frames are the previous page's files: their debug ids are that page's.)
    if (ids && typeof ids == "object") input.debugIdMap = ids;
  };
  client.captureHooks.push(hook);
  try {
    for (const c of captures.slice(0, 30)) {
      // (Anything but an entry, in a store another script wrote to, is passed over.)
      if (!Array.isArray(c)) continue;
      const [event_id, level, mechanism, message, e] = (now = c);
      const hint = { event_id, level, mechanism };
      if (typeof message == "string") client.captureMessage(message, hint);
      else if (e != null) client.captureException(Array.isArray(e) ? Object.assign(new Error(e[1]), { name: e[0], stack: e[2] }) : e, hint);
    }
  } finally {
    client.captureHooks.splice(client.captureHooks.indexOf(hook), 1);
  }
  client.log(`${captures.length} capture(s) the previous page made before its core loaded, sent now`);
}
