/**
 * Sends what the tab's previous pages captured before their core was up and could not send
 * before they were left (`unsent-keep.ts` wrote them to `sessionStorage`): at the engine's start,
 * before the page's own session starts, so that the previous page's crash does not count
 * in this page view's. Each capture keeps its event id (a copy the previous page still
 * managed to send is one event at the server), level, mechanism, time, page URL, the
 * release and environment its page was given, and that page's debug ids (its files'
 * source maps), in a trace of its page's own; the scope data of the page that made it is
 * not kept. Part of the engine (loaded lazily in browsers).
 */
import type { CaptureHook, OxeyeClient } from "./client.js";
import { hex, randomBytes } from "../core/ids.js";

/** The `sessionStorage` key, with the DSN and the page's time origin after it (`unsent-keep.ts`'s). */
const KEY = "oxeye.unsent ";
/**
 * Captures sent at most by one page, of all the pages kept: the rest wait for the tab's
 * next page. (Well within the first minute's budget of error events, `maxEventsPerMinute`,
 * so that neither they nor this page's own first errors are dropped as a storm.)
 */
const MAX_SENT = 10;

/**
 * Sends what the previous pages left (each page's entry, oldest first; also one of an
 * earlier version, filed under the DSN alone with each capture's release and environment
 * in the capture), at most `MAX_SENT` captures; what is left of a page's is written back
 * for the tab's next page. With `discard` (consent withdrawn), drops every entry.
 */
export function sendUnsent(client: OxeyeClient, discard?: boolean): void {
  const pages: [key: string, page: unknown[]][] = [];
  let store: Storage | undefined;
  try {
    // (The DSN as `unsent-keep.ts` reads it: `dsn`, else `SENTRY_DSN` of `env` or of the host.)
    const o = client.options;
    const dsn = o.dsn || o.env?.SENTRY_DSN || client.platform.env?.()?.SENTRY_DSN;
    store = globalThis.sessionStorage;
    if (!dsn || !store) return;
    const prefix = KEY + dsn;
    // (The keys as `unsent-keep.ts` lists them: a Storage's entries are its own properties.)
    for (const key of Object.keys(store).filter((k) => k == prefix || k.startsWith(prefix + " "))) {
      const text = store.getItem(key);
      store.removeItem(key);
      try {
        const page = discard || text == null ? undefined : JSON.parse(text);
        // (This page's own, written as it was hidden and then shown again: its core sent them.)
        if (Array.isArray(page) && Array.isArray(page[1]) && page[0] !== performance.timeOrigin) pages.push([key, page]);
      } catch {
        /* not an entry */
      }
    }
  } catch {
    return;
  }
  let sent = 0;
  let left = 0;
  for (const [key, page] of pages.sort((a, b) => Number(a[1][0]) - Number(b[1][0]))) {
    const captures = page[1] as unknown[];
    const now = captures.slice(0, MAX_SENT - sent);
    sent += replay(client, page, now);
    const rest = captures.slice(now.length, 30);
    if (!rest.length) continue;
    left += rest.length;
    try {
      store.setItem(key, JSON.stringify([page[0], rest, ...page.slice(2)]));
    } catch {
      /* a full store: the rest is lost */
    }
  }
  if (sent) client.log(`${sent} capture(s) earlier pages made before their core loaded sent now${left ? `; ${left} wait for the tab's next page` : ""}`);
}

/**
 * Sends `captures` of one page's entry (`kept`); answers how many. Each keeps its time and
 * page URL, the page's release and environment (a page of the release before a deploy
 * stays that release's), its debug ids, and goes in a trace of that page's own, not this
 * page's. The hook that says so runs before every other (the request tracker then judges
 * the capture at its own time, and finds no request of this page).
 */
function replay(client: OxeyeClient, kept: unknown[], captures: unknown[]): number {
  // `[time origin, captures, debug ids, release, environment]` of the page that kept them.
  const [, , ids, release, environment] = kept;
  if (!captures.length) return 0;
  const sentryTrace = hex(randomBytes(16)) + "-" + hex(randomBytes(8));
  let now: unknown[] | undefined;
  let n = 0;
  const hook: CaptureHook = (input) => {
    // (An earlier version's entry has its release and environment in each capture.)
    const [, , , , , at, url, ownRelease, ownEnvironment] = now ?? [];
    if (typeof at == "number") input.timestamp = at;
    if (typeof url == "string") input.url = url;
    const ev: Record<string, unknown> = (input.event ??= {});
    const r = release ?? ownRelease;
    const env = environment ?? ownEnvironment;
    if (typeof r == "string") ev.release = r;
    if (typeof env == "string") ev.environment = env;
    // (Its frames are the previous page's files: their debug ids are that page's.)
    if (ids && typeof ids == "object") input.debugIdMap = ids as Record<string, string>;
    input.trace = { sentryTrace };
  };
  client.captureHooks.unshift(hook);
  try {
    for (const c of captures) {
      // (Anything but an entry, in a store another script wrote to, is passed over.)
      if (!Array.isArray(c)) continue;
      const [event_id, level, mechanism, message, e] = (now = c);
      const hint = { event_id, level, mechanism };
      if (typeof message == "string") client.captureMessage(message, hint);
      else if (e != null) client.captureException(Array.isArray(e) ? Object.assign(new Error(e[1]), { name: e[0], stack: e[2] }) : e, hint);
      else continue;
      n++;
    }
  } finally {
    client.captureHooks.splice(client.captureHooks.indexOf(hook), 1);
  }
  return n;
}
