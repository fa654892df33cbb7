/**
 * Captures a page made before its core was up, kept for the tab's next page when the page
 * is left first: a reload while it starts (an app's "chunk failed, reload"), a click away
 * within the moment the core takes to load. They are written to the tab's
 * `sessionStorage` as the page is hidden for good (`pagehide`), only for this tab and
 * only until the next page of the origin that starts oxeye with the same DSN, which sends
 * them through its core, scrubbed as any event (`unsent-send.ts`): one entry per page and
 * DSN (pages whose core could not load, one after the other, each keep theirs; at most
 * four pages' entries a DSN, the newest). At
 * most `MAX_KEPT` captures of `captureException` and `captureMessage` (the global handlers'
 * included), each error as its name, message and stack. The browser entry's (critical path).
 */
import { MAX_MESSAGE, type CaptureInput, type OxeyeClient } from "./client.js";
import { dsnOf } from "./loader-util.js";

/** The `sessionStorage` key, with the DSN and the page's time origin after it (also `unsent-send.ts`'s). */
const KEY = "oxeye.unsent ";
/** Captures kept, at most. */
const MAX_KEPT = 30;

/** Keeps `client`'s captures while its core is not up, and writes them down if the page is left before it is. */
export function keepUnsent(client: OxeyeClient): void {
  // (Filed under the DSN as the core reads it, from `env` too: a client without one loads nothing.)
  const dsn = dsnOf(client.options, client.platform);
  const kept: unknown[] = [];
  // (The page entries of this DSN's, not of another DSN it is the start of; and the entry
  // of an earlier version, the DSN alone.)
  const mine = KEY + dsn + " ";
  // (`captureException` and `captureMessage`; a whole event of `captureEvent` is not kept.)
  client.captureHooks.push((input) => {
    if (!client.engine && kept.length < MAX_KEPT && (input.exception || input.message != null)) kept.push(entry(input));
  });
  const hide = () => {
    // Written whole if it fits; else the newest half is dropped, until it does (none fit
    // where there is no storage, in a sandboxed frame). What is not written is said.
    let n = kept.length;
    if (!n || client.engine) return;
    let why;
    // The page's own facts go along, once: its debug ids (its files' source maps, not the
    // next page's), and its release and environment as the options give them (`release`,
    // else `env`'s `SENTRY_RELEASE`, else the bundler's; `environment`, else `env`'s
    // `SENTRY_ENVIRONMENT`; a guess from the host name is the next page's too). (The
    // bundler's release is read as `host.ts`'s `buildRelease` reads it: that module is
    // the engine's, which this one, on the critical path, may not import.)
    const o = client.options;
    let page: unknown[] = [];
    try {
      const g = globalThis as { _sentryDebugIds?: object; _debugIds?: object; SENTRY_RELEASE?: { id?: unknown }; __OXEYE_RELEASE__?: unknown };
      page = [{ ...g._debugIds, ...g._sentryDebugIds }, o.release || o.env?.SENTRY_RELEASE || g.__OXEYE_RELEASE__ || g.SENTRY_RELEASE?.id, o.environment || o.env?.SENTRY_ENVIRONMENT];
    } catch {
      /* none */
    }
    for (; n; n >>= 1)
      try {
        // (Beside it, at most 3 earlier pages' entries, the oldest removed first: in a tab
        // whose core never loads, nothing else would.)
        for (const k of Object.keys(sessionStorage).filter((k) => k.startsWith(mine)).sort().slice(0, -3)) sessionStorage.removeItem(k);
        sessionStorage.setItem(mine + performance.timeOrigin, JSON.stringify([performance.timeOrigin, kept.slice(0, n), ...page]));
        break;
      } catch (e) {
        why = e;
      }
    if (why) client.log(`${kept.length - n} of ${kept.length} capture(s) made before the core loaded could not be kept for the next page (${why})`);
  };
  addEventListener("pagehide", hide);
  // Closed (a plain `close()` runs cleanups as it starts, and again once it has flushed and
  // the client is closed): nothing more is kept, the listener goes, and the client with
  // it. Consent withdrawn (`close({ discard: true })`): every page's entry goes, the core
  // up or not, after a plain `close()` too (whose cleanups find this waiting again).
  const drop = (): unknown => (
    client.closed && removeEventListener("pagehide", hide),
    client.discarding ? Object.keys(sessionStorage).map((k) => (k + " ").startsWith(mine) && sessionStorage.removeItem(k)) : client.addCleanup(drop)
  );
  client.addCleanup(drop);
}

/** `v` as text of at most `max` characters. */
const cut = (v: unknown, max: number) => String(v).slice(0, max);

/**
 * One capture as the next page replays it: `[id, level, mechanism, message, , time, url]`
 * for a message, `[id, level, mechanism, , error, time, url]` for an exception, an Error
 * as `[name, message, stack]` (cut as the shim cuts them), with the capture's time and
 * the page's URL.
 */
function entry({ eventId, level, mechanism, message, exception, timestamp, url }: CaptureInput): unknown[] {
  const e = exception?.value as Error;
  let error: unknown;
  try {
    error = exception && (e instanceof Error ? [cut(e.name, 200), cut(e.message, MAX_MESSAGE), e.stack == null ? null : cut(e.stack, 65536)] : cut(e, 1000));
  } catch {
    error = "[unreadable]";
  }
  return [eventId, level, mechanism, message == null ? message : cut(message, MAX_MESSAGE), error, timestamp, url];
}
