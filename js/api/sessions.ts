/**
 * Release health in the shim: *when* sessions start, change and end; the core
 * (`src/session.rs`) owns their rules and bytes, and delivery sends what it writes with
 * category `session` (so rate limits and client reports cover it).
 *
 * - Browsers (the default client, unless `autoSessionTracking: false`): a session starts
 *   at `init` (with `init`'s time) and on each history navigation (the previous one ends
 *   then); the core updates it from every error event it sends, and the changed session
 *   leaves at once; it ends (`exited` when nothing went wrong) when the page is hidden,
 *   with `keepalive`, and a new one starts when the page is shown again. Without a
 *   `release`, nothing is sent and the debug log says why, once. This is
 *   `trackPageViews`, a function the engine is handed (`EngineParts`) so that bundles
 *   whose engine never tracks page views (Workers' bare engine) leave it out.
 * - Servers (Node, Workers, Next's server): request-mode aggregates. The request wrapper
 *   calls `recordRequestSession` when a request handled in its own isolation scope ends
 *   (Node: `endServedRequest`, which also counts a request whose error ends the process
 *   or that Next reports as failed);
 *   the core counts it per minute (errored / crashed when an error event was sent from
 *   that isolation scope), and the counts leave on `flush` and, on Node, every minute
 *   (`minutelyRequestAggregates`; Workers flush per request). This is `requestAggregates`,
 *   also a function apart, supplied by the server platforms (`Platform.requestSessions`),
 *   so that browser bundles leave it out.
 */
import { Category, RequestSessionStatus, type Core } from "../core/enums.js";
import { randomBytes } from "../core/ids.js";
import { onPageHide } from "../delivery/lifecycle.js";
import { weakInterval } from "./weak-timer.js";
import { allSettled } from "./guard.js";
import type { Engine, OxeyeClient } from "./client.js";
import type { Scope } from "./scope.js";

/** How the session code reaches the core and delivery. */
export interface SessionHost {
  /** Runs `fn` on the live core (see `CoreHost.call`). */
  call<T>(where: string, fn: (core: Core) => T, fallback: T): T;
  call<T>(where: string, fn: (core: Core) => T): T | undefined;
  /** Hands an envelope to delivery. */
  send(body: Uint8Array, label: string, category: Category, quantity: number): void;
  log(message: string): void;
}

/** A request's end as the request wrapper names it. */
export type RequestSessionName = "ok" | "exited" | "errored" | "crashed";

/** Aggregates are flushed this often on servers with timers (as @sentry/node does). */
export const AGGREGATE_FLUSH_MS = 60_000;

/** Takes an envelope from the core with its method `where` and, if there is one, hands it to delivery. */
function sendTaken(h: SessionHost, where: "takeSessionEnvelope" | "takeSessionAggregates", label: string): void {
  // The envelope with its category and item count, read while the core is at hand.
  const env = h.call(where, (c) => {
    const body = c[where](Date.now());
    return body ? ([body, c.category, c.quantity] as const) : undefined;
  });
  if (env) h.send(env[0], label, env[1], env[2]);
}

/** Server request-mode sessions of one engine (`requestAggregates`). */
export interface RequestAggregates {
  /** Counts one server request that ended in isolation scope `isolation`. */
  record(isolation: number, status: RequestSessionName | undefined): void;
  /** Sends the pending aggregates, if any. */
  flush(): void;
}

/**
 * Counts the end of the request isolation scope `scope` serves, once (later calls, and
 * scopes serving no request, count nothing): when its response is done, or earlier, as
 * `crashed`, when the process is about to exit on its error or Next reports its failure
 * from outside its scopes.
 */
export function endServedRequest(client: OxeyeClient, scope: Scope, status?: RequestSessionName): void {
  if (!scope.serving) return;
  scope.serving = false;
  client.recordRequestSession(status, scope.id);
}

/** The aggregate timer's tick, made outside any function that the aggregates' own closures share (see `weakInterval`). */
const flushTick = (a: RequestAggregates): void => a.flush();

/**
 * Request-mode aggregates of `client` sent through `h` (servers; see the module doc). A
 * disabled client and `autoSessionTracking: false` record none; without a `release`, the
 * debug log says why none are sent, once.
 */
export function requestAggregates(h: SessionHost, client: OxeyeClient, work: Set<Promise<void>>): RequestAggregates {
  let checked = false;
  return {
    record: (isolation, status) => {
      if (client.engine?.disabledReason || client.options.autoSessionTracking === false) return;
      const count = () =>
        h.call("recordRequestSession", (c) => {
          if (!checked) {
            checked = true;
            const why = c.sessionError;
            if (why) h.log(why);
          }
          c.recordRequestSession(isolation, status === "crashed" ? RequestSessionStatus.Crashed : status === "errored" ? RequestSessionStatus.Errored : RequestSessionStatus.Exited, Date.now());
        });
      // An event of the request may still be in the engine's host stages (`work`: an async
      // `beforeSend`): the request is counted once they are done, so that its error counts.
      if (!work.size) return count();
      const task = allSettled(work).then(count);
      work.add(task);
      void task.finally(() => work.delete(task));
    },
    flush: () => sendTaken(h, "takeSessionAggregates", "sessions"),
  };
}

/**
 * Node's request-mode aggregates: `requestAggregates` that also flush every
 * `AGGREGATE_FLUSH_MS` without keeping the process alive, until `close()` (the engine asks
 * for them once its core is enabled). Edge runtimes and Workers, which have no such timer,
 * take `requestAggregates` and leave this out of their bundles.
 */
export function minutelyRequestAggregates(h: SessionHost, client: OxeyeClient, work: Set<Promise<void>>): RequestAggregates {
  const a = requestAggregates(h, client, work);
  const timer = weakInterval(a, AGGREGATE_FLUSH_MS, flushTick);
  client.addCleanup(() => clearInterval(timer));
  return a;
}

/** Starts request-mode aggregates (`requestAggregates`, Node's `minutelyRequestAggregates`); engines that serve no requests get none. */
export type RequestSessions = (h: SessionHost, client: OxeyeClient, work: Set<Promise<void>>) => RequestAggregates;

/**
 * Browser page-view sessions sent through `h`, in the client's isolation scope: the first
 * starts at the client's start, each ends when the page is hidden and a new one starts
 * when it is shown again. None in other runtimes, in Web Workers and service workers
 * (no page), for a closed client, a disabled engine or `autoSessionTracking: false`. Returns the callback the engine calls after each error
 * event it sent, with `true` (the session the core updated leaves), before each exception
 * it captures, with `null` (a session starts if none runs: the page is hidden), and on each
 * navigation the history instrumentation sees, without (a new session starts, which ends
 * the previous one). The client's `close()` ends the running session and removes the
 * page listeners.
 */
export function trackPageViews(h: SessionHost, client: OxeyeClient, engine: Engine): ((eventSent?: boolean | null) => void) | undefined {
  if (client.closed || client.platform.runtime !== "browser" || engine.disabledReason || client.options.autoSessionTracking === false) {
    return undefined;
  }
  // A Web Worker or service worker has no page view to count (and no page hide to end one).
  if (!globalThis.document) {
    client.log("no sessions: a worker has no page view");
    return undefined;
  }
  try {
    const isolation = client.getIsolationScope().id;
    // Sends the session updates the core has ready (after a capture, a start or an end).
    const sendPending = (): void => sendTaken(h, "takeSessionEnvelope", "session");
    // No session can be sent (no release): said once, nothing tracked.
    let unavailable = false;
    let running = false;
    // The running session was started for an exception while the page was hidden: it ends
    // when the page is shown, and one for the page's viewer starts.
    let unseen = false;
    const start = (atMs: number): void => {
      running = h.call("startSession", (c) => {
        if (c.startSession(isolation, atMs, randomBytes(c.randomBytes))) return true;
        if (!unavailable) {
          unavailable = true;
          h.log(c.sessionError ?? "sessions are not sent");
        }
        return false;
      }, false);
      if (running) sendPending();
    };
    // A page prerendered (Speculation Rules) is not a page view until it is shown: its
    // session starts at activation (`activationStart`, once the engine loads after it),
    // and never for a prerender nobody opens.
    const doc = globalThis.document as Document & { prerendering?: boolean };
    if (doc.prerendering) doc.addEventListener("prerenderingchange", () => running || start(Date.now()), { once: true });
    else start(Math.max(client.startedAt, activatedAt()));
    if (!unavailable) {
      const end = (): void => {
        if (!running) return;
        running = false;
        h.call("endSession", (c) => c.endSession(Date.now()));
        sendPending();
      };
      // Hidden, the page's session ends; shown again (tab back in front, back-forward
      // cache), a new one starts.
      client.addCleanup(
        onPageHide(end, () => {
          if (unseen) end();
          unseen = false;
          if (!running && !doc.prerendering) start(Date.now());
        }),
      );
      // A client closed (a second `init`, a hot reload that runs `init` again) ends its session.
      client.addCleanup(end);
    }
    return (eventSent) => {
      if (eventSent) sendPending();
      // (null: an exception is captured, which counts in a running session, or in one
      // started for it when the page is hidden.)
      else if (!unavailable && (eventSent !== null || !running)) {
        start(Date.now());
        unseen = eventSent === null;
      }
    };
  } catch (e) {
    client.log(`sessions not started: ${e}`);
  }
}

/** When a prerendered page was shown (0 for a page loaded as usual, or without the API). */
function activatedAt(): number {
  try {
    const nav = performance.getEntriesByType("navigation")[0] as PerformanceEntry & { activationStart?: number };
    return nav?.activationStart ? performance.timeOrigin + nav.activationStart : 0;
  } catch {
    return 0;
  }
}

/** Starts page-view sessions (`trackPageViews`); engines that never do get none. */
export type PageViews = typeof trackPageViews;

