/**
 * Spotlight's module loaded on demand (an `import()` the entry makes, `Platform.parts`): a
 * chunk of its own in browsers, which only an app with the `spotlight` option fetches. The
 * full engine (`startEngine`, `api/engine.ts`) is handed this loader, whose sink keeps the copies made while the
 * chunk loads (at most `MAX_KEPT_COPIES`) and hands them on once it has; Workers' bare
 * engine is handed `makeSpotlight` itself, linked in their one bundle, which does not
 * hold this module (nor, so, the bundler's lazy-module wrapper).
 */
import type { SpotlightSink } from "./delivery.js";
import type { makeSpotlight } from "./spotlight.js";

/**
 * Makes Spotlight's sink for `url` (`makeSpotlight`, or its lazy loader): `warn` reports
 * an unreachable sidecar, `log` a module that could not load.
 */
export type SpotlightMaker = (url: string | undefined, warn: (message: string) => void, log: (message: string) => void) => SpotlightSink | undefined;

/** Envelope copies kept for Spotlight while its module loads, at most. */
const MAX_KEPT_COPIES = 100;

/** Makes sinks that post through `makeSpotlight` once `load` (the entry's `import()` of its module, `Platform.parts`) has it. */
export const lazySpotlight =
  (load: () => Promise<{ makeSpotlight: typeof makeSpotlight }>): SpotlightMaker =>
  (url, warn, log) => {
    let sink: SpotlightSink | undefined;
    let waiting: Uint8Array[] | undefined = [];
    load()
      .then((m) => m.makeSpotlight(url, warn))
      .then(
        (made) => {
          sink = made;
          for (const body of waiting!.splice(0)) made?.(body);
          waiting = undefined;
        },
        (e) => {
          waiting = undefined;
          log(`Spotlight unavailable: ${e}`);
        },
      );
    return (body) => {
      if (sink) sink(body);
      else if (waiting && waiting.length < MAX_KEPT_COPIES) waiting.push(body.slice());
    };
  };
