/**
 * `oxeye/tunnel` in Next.js edge routes and Vercel Edge Functions: the core is imported as
 * `./wasm/oxeye_server_bg.wasm?module` on first use, as `edge.ts` explains. See `tunnel.ts`.
 */
import { loadEdgeCore } from "../core/load-edge.js";
import { createTunnelHandlerWith, dsnParser, type ParsedDsn, type TunnelHandler, type TunnelOptions } from "./tunnel.js";

export type { DsnParser, ParsedDsn, PeerInfo, TunnelHandler, TunnelOptions } from "./tunnel.js";

/** Makes the tunnel handler. Throws a TypeError when `allowedDsns` is not a non-empty list. */
export function createTunnelHandler(options: TunnelOptions): TunnelHandler {
  return createTunnelHandlerWith(options, async () => (await loadEdgeCore(), dsnParser()));
}
