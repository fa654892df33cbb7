/**
 * `oxeye/tunnel` under Node: the wasm core is read from disk and compiled synchronously
 * on first use. See `tunnel.ts`.
 *
 * `nodeListener(handler)` mounts the handler on `http.createServer` (or Express, Connect,
 * …) with the body streamed, so `bodyTimeoutMs` holds against a slow client, and with the
 * socket's peer address passed on as the client IP. Behind a body parser that read the
 * body as text or bytes it relays that; behind one that made something else of it, it
 * answers 500 and says to mount the tunnel first.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { loadNodeCore } from "../core/load-node.js";
import { createTunnelHandlerWith, dsnParser, type TunnelHandler, type TunnelOptions } from "./tunnel.js";

export type { DsnParser, ParsedDsn, PeerInfo, TunnelHandler, TunnelOptions } from "./tunnel.js";

/** Makes the tunnel handler. Throws a TypeError when `allowedDsns` is not a non-empty list. */
export function createTunnelHandler(options: TunnelOptions): TunnelHandler {
  return createTunnelHandlerWith(options, async () => (await loadNodeCore(), dsnParser()));
}

/**
 * The request body as a web stream that reads only as fast as it is consumed. Cancelling
 * it (the handler refusing a body) stops reading without destroying the socket, so the
 * refusal can still be sent.
 */
function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  let open = true;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.pause();
      req.on("data", (chunk: Buffer) => {
        if (!open) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 1) <= 0) req.pause();
      });
      req.on("end", () => {
        if (open) controller.close();
        open = false;
      });
      const fail = (e?: unknown) => {
        if (open) controller.error(e instanceof Error ? e : new Error("the request was aborted"));
        open = false;
      };
      req.on("error", fail);
      req.on("close", () => {
        if (!req.complete) fail();
      });
    },
    pull() {
      req.resume();
    },
    cancel() {
      open = false;
      req.pause();
    },
  });
}

/** A Node `(req, res)` listener serving `handler`; never throws (a failure answers 500). */
export function nodeListener(handler: TunnelHandler): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const respond = async () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, v);
      }
      const method = req.method ?? "GET";
      const hasBody = method !== "GET" && method !== "HEAD";
      // A body parser mounted before the tunnel (Express's `express.text()`, `express.raw()`)
      // has read the body already: its result is the body (decoded, so without its length
      // and encoding headers). One that made something else of it leaves nothing to relay.
      const parsed = (req as { body?: unknown }).body;
      let parsedBody: BodyInit | undefined;
      if (hasBody && (parsed instanceof Uint8Array || typeof parsed === "string")) {
        parsedBody = parsed as BodyInit;
        headers.delete("content-length");
        headers.delete("content-encoding");
      } else if (hasBody && req.readableEnded) {
        res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
        res.end("oxeye tunnel: the request body was read before the tunnel (mount it before body parsers such as express.json())");
        return;
      }
      const request = new Request(new URL(req.url ?? "/", "http://localhost"), {
        method,
        headers,
        body: parsedBody ?? (hasBody ? bodyStream(req) : undefined),
        duplex: "half",
      } as RequestInit);
      const response = await handler(request, { remoteAddress: req.socket.remoteAddress });
      const body = Buffer.from(await response.arrayBuffer());
      const out: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        out[name] = value;
      });
      // A body the handler did not read to its end is not drained: the connection closes.
      if (!req.complete) out.connection = "close";
      res.writeHead(response.status, out);
      res.end(body);
    };
    respond().catch(() => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8", connection: "close" });
      res.end();
    });
  };
}
