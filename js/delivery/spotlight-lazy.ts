/**
 * Spotlight's module loaded on demand (`import()`): a chunk of its own in browsers, which
 * only an app with the `spotlight` option fetches. The full engine (`startEngine`,
 * `api/engine.ts`) is handed this loader; Workers' bare engine is handed `makeSpotlight`
 * itself, linked in their one bundle, which does not hold this module (nor, so, the
 * bundler's lazy-module wrapper).
 */
import type { SpotlightSink } from "./delivery.js";

/** Makes Spotlight's sink for `url` (`makeSpotlight`'s signature, or its lazy loader). */
export type SpotlightMaker = (url: string | undefined, log: (message: string) => void) => SpotlightSink | undefined | Promise<SpotlightSink | undefined>;

/** `makeSpotlight`, once its chunk has loaded. */
export const loadSpotlight: SpotlightMaker = (url, log) => import("./spotlight.js").then((m) => m.makeSpotlight(url, log));
