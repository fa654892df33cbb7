/**
 * The mechanism of an exception captured without one of its own (`captureException` with
 * no `mechanism` in its hint), which the engine writes into the capture input as it is,
 * where normalising one per capture (a guarded walk with sets of its own) gave the same
 * JSON at a cost. Never written to.
 */
export const GENERIC_MECHANISM: { readonly type: "generic"; readonly handled: true } = { type: "generic", handled: true };
