/**
 * `oxeye/tunnel` in Cloudflare Workers and other edge runtimes: the `.wasm` file is
 * imported as a compiled module. See `tunnel.ts`.
 */
import { loadWorkerdCore } from "../core/load-workerd.js";
import { createTunnelHandlerWith, dsnParser, type ParsedDsn, type TunnelHandler, type TunnelOptions } from "./tunnel.js";

export type { DsnParser, ParsedDsn, PeerInfo, TunnelHandler, TunnelOptions } from "./tunnel.js";

/** Makes the tunnel handler. Throws a TypeError when `allowedDsns` is not a non-empty list. */
export function createTunnelHandler(options: TunnelOptions): TunnelHandler {
  return createTunnelHandlerWith(options, async () => (await loadWorkerdCore(), dsnParser()));
}
