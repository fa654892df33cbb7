/**
 * Spotlight: a copy of every envelope goes to a local sidecar
 * (`http://localhost:8969/stream` unless told otherwise) for development. The copy is
 * fire-and-forget: it never delays or blocks normal delivery and `flush` does not wait
 * for it. When the sidecar is not there, copies are skipped for a while, 1 s after the
 * first failure and doubling up to 60 s; the first failure is logged once.
 */
// Types only: a value imported from delivery.js would make bundlers split delivery into a
// chunk of its own, shared by the engine and this lazy one.
import type { SpotlightSink } from "./delivery.js";

const MIN_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 60_000;


/** The sink posting to `url` (the `spotlight` option's, `spotlightUrl`), or undefined when there is none. */
export function makeSpotlight(
  url: string | undefined,
  log: (message: string) => void,
): SpotlightSink | undefined {
  const doFetch: typeof fetch | undefined = globalThis.fetch?.bind(globalThis);
  if (!url || !doFetch) return undefined;
  let backoff = 0;
  let pausedUntil = 0;
  let warned = false;
  return (body) => {
    if (Date.now() < pausedUntil) return;
    const fail = (why: string) => {
      backoff = Math.min(MAX_BACKOFF_MS, backoff ? backoff * 2 : MIN_BACKOFF_MS);
      pausedUntil = Date.now() + backoff;
      if (!warned) {
        warned = true;
        log(`Spotlight at ${url} is not reachable (${why}); copies are skipped, retrying with backoff`);
      }
    };
    try {
      doFetch(url, { method: "POST", body: body as BodyInit, headers: { "content-type": "application/x-sentry-envelope" } }).then(
        (res) => {
          void res.text().catch(() => "");
          if (res.ok) backoff = 0;
          else fail(`HTTP ${res.status}`);
        },
        (e) => fail(String(e)),
      );
    } catch (e) {
      fail(String(e));
    }
  };
}
