/**
 * Hono's error handler, wrapped, for `withOxeye` (Workers) and `setupHonoErrorHandler`
 * (Node). A Hono app answers what its routes throw itself (its error handler sends the 500,
 * or an `HTTPException`'s response), so those errors never reach the runtime's handler. The
 * app's handler, the default or the one `app.onError` sets (before or after this), is
 * wrapped: each error is handed to `report`, then the app answers as it would have. (A
 * sub-app with an `onError` of its own answers its errors without the app's handler.) Only
 * for the app that is served: Hono's `route()` treats a sub-app whose handler is not its
 * default one as one with an `onError` of its own.
 */

/** A Hono app (the part typed: its error handler, private in Hono's types, is read too). */
export interface HonoLike {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  onError(handler: (err: Error, c: any) => any): unknown;
}

/** What is read of a Hono context (all of it may be missing, or throw). */
export interface HonoContextLike {
  executionCtx?: unknown;
  req?: { method?: string; matchedRoutes?: Array<{ path?: string }>; routeIndex?: number };
}

/** The route of the handler that threw (`/users/:id`, not a catch-all matched after it), or undefined. */
export const honoRoute = (c: HonoContextLike): string | undefined => c.req?.matchedRoutes?.[c.req.routeIndex ?? -1]?.path;

/** Wraps `app`'s error handler (when it is a Hono app) so that `report` sees each error first. */
export function reportHonoErrors(app: unknown, report: (err: unknown, c: HonoContextLike) => void): void {
  const hono = app as { errorHandler?: unknown; onError?: unknown };
  let answer = hono?.errorHandler;
  if (typeof answer != "function" || typeof hono.onError != "function") return;
  const handler = function (this: unknown, err: unknown, c: HonoContextLike) {
    try {
      report(err, c);
    } catch {
      /* never in the way of the app's answer */
    }
    return (answer as Function).call(this, err, c);
  };
  try {
    Object.defineProperty(hono, "errorHandler", { configurable: true, get: () => handler, set: (f: unknown) => void (answer = f) });
  } catch {
    /* a frozen app: its errors are not seen */
  }
}
