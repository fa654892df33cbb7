/**
 * Captures a page made before its core was up, kept for the tab's next page when the page
 * is left first: a reload while it starts (an app's "chunk failed, reload"), a click away
 * within the moment the core takes to load. They are written to the tab's
 * `sessionStorage` as the page is hidden for good (`pagehide`), only for this tab and
 * only until the next page of the origin that starts oxeye with the same DSN, which sends
 * them through its core, scrubbed as any event (`unsent-send.ts`): one entry per DSN. At
 * most `MAX_KEPT` captures of `captureException` and `captureMessage` (the global handlers'
 * included), each error as its name, message and stack. The browser entry's (critical path).
 */
import type { CaptureInput, OxeyeClient } from "./client.js";
import { dsnOf } from "./loader-util.js";

/** The `sessionStorage` key, with the DSN after it (also `unsent-send.ts`'s). */
const KEY = "oxeye.unsent ";
/** Captures kept, at most. */
const MAX_KEPT = 30;

/** Keeps `client`'s captures while its core is not up, and writes them down if the page is left before it is. */
export function keepUnsent(client: OxeyeClient): void {
  // (Filed under the DSN as the core reads it, from `env` too; without one, nothing is sent.)
  const dsn = dsnOf(client.options, client.platform);
  if (!dsn) return;
  const kept: unknown[] = [];
  // (`captureException` and `captureMessage`; a whole event of `captureEvent` is not kept.)
  client.captureHooks.push((input) => {
    if (!client.engine && kept.length < MAX_KEPT && (input.exception || input.message != null)) kept.push(entry(input));
  });
  addEventListener("pagehide", () => {
    if (!client.engine && !client.closed && kept.length)
      try {
        sessionStorage.setItem(KEY + dsn, JSON.stringify([performance.timeOrigin, kept]));
      } catch {
        /* no storage (a sandboxed frame) or no room: lost, as before */
      }
  });
}

/**
 * One capture as the next page replays it: `[id, level, mechanism, message]` for a message,
 * `[id, level, mechanism, , error]` for an exception, an Error as `[name, message, stack]`.
 */
function entry({ eventId, level, mechanism, message, exception }: CaptureInput): unknown[] {
  const e = exception?.value as Error;
  try {
    return [eventId, level, mechanism, message, exception && (e instanceof Error ? [e.name, e.message, e.stack] : String(e).slice(0, 1000))];
  } catch {
    return [eventId, level, mechanism, message, "[unreadable]"];
  }
}
