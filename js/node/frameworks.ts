/**
 * Error hooks for Node web frameworks that answer a route's error themselves (a 500 from
 * their own error handler), so that it never reaches the process's handlers: Express and
 * Fastify. Each hook captures the error in the request's own isolation scope (the request
 * data, `request_id`, user and breadcrumbs of that request), as unhandled, so the
 * request's session counts as crashed; then the framework answers as it would without
 * oxeye. Errors that carry a 4xx status are dropped by `ignoreHttpStatus`, as any other.
 */
import type { OxeyeClient } from "../api/client.js";

type ClientOf = () => OxeyeClient | undefined;

/** An Express app (the part used): `use`. */
export interface ExpressLike {
  use(handler: (err: unknown, req: unknown, res: unknown, next: (err?: unknown) => void) => void): unknown;
}

/** A Fastify instance (the part used): `addHook`. */
export interface FastifyLike {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  addHook(name: "onError", hook: (request: any, reply: any, error: unknown, done: () => void) => void): unknown;
}

function capture(clientOf: ClientOf, error: unknown, type: string): void {
  try {
    clientOf()?.captureException(error, { mechanism: { type, handled: false } });
  } catch {
    /* never in the way of the framework's answer */
  }
}

/** `setupExpressErrorHandler(app)` for the client `clientOf` returns. */
export function expressErrorHandler(clientOf: ClientOf) {
  return (app: ExpressLike): void => {
    // Express knows an error handler by its four parameters.
    app.use((err, _req, _res, next) => {
      capture(clientOf, err, "auto.middleware.express");
      next(err);
    });
  };
}

/** `setupFastifyErrorHandler(app)` for the client `clientOf` returns. */
export function fastifyErrorHandler(clientOf: ClientOf) {
  return (app: FastifyLike): void => {
    app.addHook("onError", (_request, _reply, error, done) => {
      capture(clientOf, error, "auto.function.fastify");
      done();
    });
  };
}
