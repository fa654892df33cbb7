/**
 * The mechanism of an exception captured without one of its own (`captureException` with
 * no `mechanism` in its hint): one shared object, so the engine can tell it apart and put
 * it into the capture input as it is, where normalising it per capture (a guarded walk
 * with sets of its own) gave the same JSON at a cost. Never written to.
 */
export const GENERIC_MECHANISM: { readonly type: "generic"; readonly handled: true } = { type: "generic", handled: true };
