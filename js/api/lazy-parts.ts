/**
 * The engine's lazily loaded parts, as the runtime entries hand them over
 * (`Platform.parts`): the `scrub` option's checker and Spotlight's sink. The `import()`s
 * stand here, on the entries' side: one in the browser's engine chunk would make that
 * chunk import the bundler's loader helper from the app's entry chunk (`loader-util.ts`).
 */
import type { Platform } from "./contract.js";

export const lazyParts: NonNullable<Platform["parts"]> = [() => import("./scrub-check.js"), () => import("../delivery/spotlight.js")];
