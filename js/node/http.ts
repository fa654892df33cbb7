/**
 * Automatic per-request isolation for every Node `http`/`https` server in the process
 * (and so Express, Fastify, Koa, Next's server), with no code from the app. Node
 * announces each incoming request on the `http.server.request.start` diagnostics channel,
 * synchronously, just before the server's `request` listeners run; oxeye then makes the
 * request's own isolation and current scopes active for everything that request's
 * handlers do. The isolation scope continues the caller's trace (`sentry-trace`,
 * `baggage`, `traceparent`), carries the caller's request id as the tag `request_id` and
 * the transaction `GET /path`, and every event captured under it gets Sentry's top-level
 * `request`.
 *
 * Upgrade (WebSocket) and CONNECT requests, which Node does not announce there, and every
 * request of a runtime that announces none (Bun's `node:http`), are isolated by the
 * servers' `emit` for those events. A request's scopes are released when
 * nothing of the request is left to run: they are held by the async context only, and
 * dropped from the core once collected.
 */
import { addCaptureHook } from "../api/capture-hooks.js";
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { OxeyeClient } from "../api/client.js";
import { objectHeaders, readIncoming } from "../frameworks/request.js";
import { nodeStorageOf } from "./storage.js";
import { endServedRequest } from "../api/sessions.js";

const CHANNEL = "http.server.request.start";
/** Paths of static files (scripts, styles, images, fonts, source maps, icons), left out of release health. */
const STATIC_FILE = /\.(?:m?js|css|map|ico|png|jpe?g|gif|svg|webp|avif|woff2?|ttf|otf|eot)$/i;

interface StartMessage {
  request?: IncomingMessage;
  response?: ServerResponse;
}

/** Starts isolating incoming requests for `client` (whose storage must be Node's); returns the uninstaller. */
export function installRequestIsolation(client: OxeyeClient): () => void {
  const storage = nodeStorageOf(client);
  if (!storage) return () => {};
  const removeHook = addCaptureHook(client, (input) => {
    const request = storage.request();
    if (!request) return;
    const given = input.event?.request;
    input.event = { ...input.event, request: given && typeof given === "object" ? { ...request, ...given } : request };
  });
  // The requests the channel announced (the others are isolated by `emit`).
  const announced = new WeakSet<object>();
  const onStart = (message: unknown) => {
    try {
      const req = (message as StartMessage)?.request;
      if (!req || typeof req !== "object") return;
      announced.add(req);
      const res = (message as StartMessage).response;
      const [request, trace, requestId] = readIncoming(
        req.method,
        req.url,
        objectHeaders(req.headers),
        client.options,
        req.socket?.remoteAddress,
        !!(req.socket as { encrypted?: boolean } | undefined)?.encrypted,
      );
      const scopes = storage.enterFork(client, req, request);
      client.applyIncomingTrace(trace, scopes.isolation.id);
      if (requestId) scopes.isolation.setTag("request_id", (scopes.isolation.requestId = requestId));
      // Events captured while serving it are named by the request, as Sentry's Node SDK
      // names them: method and path, without the query (a framework may name the route).
      const path = String(req.url).replace(/[?#].*/s, "");
      scopes.isolation.setTransactionName(`${req.method} ${path}`);
      // Release health: each request is one request-mode session, counted when its
      // response is done (errored or crashed when an error event was sent from its scope).
      // (An upgrade or CONNECT has no response: no session. Nor has a static file, such as
      // the chunks and icons of a page load, which would count as healthy requests.)
      if (!res || STATIC_FILE.test(path)) return;
      const isolation = scopes.isolation;
      isolation.serving = true;
      res.once?.("close", () => endServedRequest(client, isolation));
    } catch (e) {
      client.log(`request isolation failed for one request: ${e}`);
    }
  };
  subscribe(CHANNEL, onStart);
  // Node announces no `upgrade` (WebSocket) or `connect` request on the channel, and Bun's
  // `node:http` announces none at all: the servers' `emit` isolates those itself, for their
  // listeners only (an upgrade handler's `setUser` used to land in the process's scope,
  // and so in every later request).
  const hooks = serverHooks();
  const hook: ServerHook = (type, req, res, next) =>
    type == "request" && announced.has(req as object)
      ? next()
      : storage.run(storage.get(), () => {
          onStart({ request: req, response: type == "request" ? res : undefined });
          return next();
        });
  hooks.add(hook);
  return () => {
    unsubscribe(CHANNEL, onStart);
    hooks.delete(hook);
    removeHook();
  };
}

/** Runs `next` (the server's listeners for request `req` of event `type`) in scopes of the request's own. */
type ServerHook = (type: string, req: unknown, res: unknown, next: () => boolean) => boolean;

/**
 * The hooks of every client isolating requests, run around the `request`, `upgrade` and
 * `connect` listeners of every `http` and `https` server. The servers' `emit` is patched
 * once per process (every copy of this module shares the hooks, through a global symbol)
 * and does nothing else when no client is installed.
 */
function serverHooks(): Set<ServerHook> {
  const g = globalThis as unknown as Record<symbol, Set<ServerHook> | undefined>;
  const slot = Symbol.for("oxeye.node.server-hooks");
  const installed = g[slot];
  if (installed) return installed;
  const hooks = (g[slot] = new Set<ServerHook>());
  for (const name of ["http", "https"]) {
    const proto = (process.getBuiltinModule?.(`node:${name}`) as { Server?: { prototype: Record<string, unknown> } } | undefined)?.Server?.prototype;
    if (!proto) continue;
    const emit = proto.emit as (this: unknown, type: unknown, ...args: unknown[]) => boolean;
    proto.emit = function (this: unknown, type: unknown, ...args: unknown[]) {
      let next = () => emit.call(this, type, ...args);
      if (type === "request" || type === "upgrade" || type === "connect") {
        for (const h of hooks) {
          const inner = next;
          next = () => h(type, args[0], args[1], inner);
        }
      }
      return next();
    };
  }
  return hooks;
}
