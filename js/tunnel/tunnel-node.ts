/**
 * `oxeye/tunnel` under Node: the wasm core is read from disk and compiled synchronously
 * on first use. See `tunnel.ts`.
 */
import { loadNodeCore } from "../core/load-node.js";
import { createTunnelHandlerWith, dsnParser, type ParsedDsn, type TunnelHandler, type TunnelOptions } from "./tunnel.js";

export type { DsnParser, ParsedDsn, TunnelHandler, TunnelOptions } from "./tunnel.js";

/** Makes the tunnel handler. Throws a TypeError when `allowedDsns` is not a non-empty list. */
export function createTunnelHandler(options: TunnelOptions): TunnelHandler {
  return createTunnelHandlerWith(options, async () => dsnParser(await loadNodeCore()));
}
