/**
 * Spotlight's module loaded on demand (`import()`): a chunk of its own in browsers, which
 * only an app with the `spotlight` option fetches. The full engine (`startEngine`) is
 * handed this loader; Workers' bare engine is handed `makeSpotlight` itself, linked in
 * their one bundle (this module then has no live code there, so the bundler leaves the
 * lazy-module wrapper out).
 */
import type { SpotlightSink } from "./delivery.js";

/** Makes Spotlight's sink for `url` (`makeSpotlight`'s signature, or its lazy loader). */
export type SpotlightMaker = (url: string | undefined, log: (message: string) => void) => SpotlightSink | undefined | Promise<SpotlightSink | undefined>;

/** `makeSpotlight`, once its chunk has loaded. */
export const loadSpotlight: SpotlightMaker = (url, log) => import("./spotlight.js").then((m) => m.makeSpotlight(url, log));
