/**
 * Error hooks for Node web frameworks that answer a route's error themselves (a 500 from
 * their own error handler), so that it never reaches the process's handlers: Express,
 * Fastify and Hono. Each hook captures the error in the request's own isolation scope (the request
 * data, `request_id`, user and breadcrumbs of that request), as unhandled, so the
 * request's session counts as crashed; then the framework answers as it would without
 * oxeye. Errors that carry a 4xx status are dropped by `ignoreHttpStatus`, as any other.
 * Each request's events are named by the route it matched (`GET /orders/:id`) instead of
 * its path, which may hold ids, emails and tokens.
 */
import type { OxeyeClient } from "../api/client.js";
import { nodeStorageOf } from "./storage.js";
import { honoRoute, reportHonoErrors, type HonoLike } from "../frameworks/hono.js";
export type { HonoLike };

type ClientOf = () => OxeyeClient | undefined;

/** An Express app (the part used): `use`. */
export interface ExpressLike {
  use(handler: (err: unknown, req: unknown, res: unknown, next: (err?: unknown) => void) => void): unknown;
}

/** A Fastify instance (the part used): `addHook`. */
export interface FastifyLike {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  addHook(name: "onError", hook: (request: any, reply: any, error: unknown, done: () => void) => void): unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  addHook(name: "preHandler", hook: (request: any, reply: any, done: () => void) => void): unknown;
}

/**
 * Names the events of the request being served by the route it matched (`GET
 * /orders/:id`, as Sentry's Node SDK names them), when the match is made: before the
 * route's own code, whose `setTransactionName` still wins. Only inside a request that
 * oxeye isolates: otherwise the scope would be the process's.
 */
function nameRoute(client: OxeyeClient | undefined, method: unknown, route: unknown): void {
  try {
    if (client && typeof route == "string" && nodeStorageOf(client)?.request()) client.getIsolationScope().setTransactionName(`${method} ${route}`);
  } catch {
    /* named by its path */
  }
}

const ROUTE_NAMING = Symbol.for("oxeye.express.route-naming");

/** What a layer of an Express router is when it runs (the part read): a route's layer has its `route`. */
type Handling = (this: { route?: { path?: unknown } }, req: { method?: string; baseUrl?: string }, ...rest: unknown[]) => unknown;

/**
 * Has Express name each request by its route as it runs it (`req.baseUrl` + the route's
 * path, read when the route's layer handles the request, so mounted routers and routes
 * added later, as NestJS adds them at `app.init()`, are named too): the method every
 * router layer runs through (`handle_request` in Express 4, `handleRequest` in Express 5's
 * router) is wrapped once per copy of Express. Its prototype is found from the app's first
 * layer, which the error handler just added if there was none.
 */
function nameExpressRoutes(app: unknown, clientOf: ClientOf): void {
  try {
    // (Express 4 keeps its router as `_router`; its `router` getter throws.)
    const a = app as { _router?: { stack?: unknown[] }; router?: { stack?: unknown[] } };
    const layer = (a._router ?? a.router)?.stack?.[0];
    const proto = (layer && Object.getPrototypeOf(layer)) as Record<PropertyKey, unknown> | undefined;
    const key = typeof proto?.handle_request == "function" ? "handle_request" : "handleRequest";
    const handle = proto?.[key] as Handling | undefined;
    if (!proto || typeof handle != "function" || proto[ROUTE_NAMING]) return;
    proto[ROUTE_NAMING] = true;
    proto[key] = function (this: { route?: { path?: unknown } }, req: { method?: string; baseUrl?: string }, ...rest: unknown[]) {
      const path = this.route?.path;
      if (typeof path == "string") nameRoute(clientOf(), req?.method, `${req?.baseUrl ?? ""}${path}`);
      return handle.call(this, req, ...rest);
    } satisfies Handling;
  } catch {
    /* requests stay named by their paths */
  }
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
    nameExpressRoutes(app, clientOf);
  };
}

/** `setupFastifyErrorHandler(app)` for the client `clientOf` returns. */
export function fastifyErrorHandler(clientOf: ClientOf) {
  return (app: FastifyLike): void => {
    app.addHook("preHandler", (request: { method?: string; routeOptions?: { url?: string }; routerPath?: string }, _reply, done) => {
      nameRoute(clientOf(), request.method, request.routeOptions?.url ?? request.routerPath);
      done();
    });
    app.addHook("onError", (_request, _reply, error, done) => {
      capture(clientOf, error, "auto.function.fastify");
      done();
    });
  };
}

/** `setupHonoErrorHandler(app)` for the client `clientOf` returns. */
export function honoErrorHandler(clientOf: ClientOf) {
  return (app: HonoLike): void =>
    reportHonoErrors(app, (err, c) => {
      nameRoute(clientOf(), c.req?.method, honoRoute(c));
      capture(clientOf, err, "auto.middleware.hono");
    });
}
