/**
 * `oxeye/tunnel` under Node: the wasm core is read from disk and compiled synchronously
 * on first use. See `tunnel.ts`.
 */
import { readFileSync } from "node:fs";
import { initSync, Core } from "./wasm/oxeye.js";
import { createTunnelHandlerWith, type ParsedDsn, type TunnelHandler, type TunnelOptions } from "./tunnel.js";

export type { DsnParser, ParsedDsn, TunnelHandler, TunnelOptions } from "./tunnel.js";

/** Makes the tunnel handler. Throws a TypeError when `allowedDsns` is not a non-empty list. */
export function createTunnelHandler(options: TunnelOptions): TunnelHandler {
  return createTunnelHandlerWith(options, () => {
    initSync({ module: readFileSync(new URL("./wasm/oxeye_bg.wasm", import.meta.url)) });
    return (text: string) => Core.parseDsn(text) as ParsedDsn;
  });
}
