/**
 * Node entry point. The wasm bytes are read from disk and compiled synchronously, so the
 * client is ready as soon as `init` returns.
 */
import { readFileSync } from "node:fs";
import { initSync, Core } from "./wasm/oxeye.js";
import { createApi } from "./api.js";
import type { CoreFactory, Platform } from "./client.js";
import { installNodeHandlers } from "./handlers/node.js";
import { makeFetchTransport } from "./transport.js";

let factory: CoreFactory | undefined;

const platform: Platform = {
  runtime: "node",
  loadCore: () => {
    if (!factory) {
      initSync({ module: readFileSync(new URL("./wasm/oxeye_bg.wasm", import.meta.url)) });
      factory = (o) => new Core(o);
    }
    return factory;
  },
  defaultTransport: () => makeFetchTransport(),
  installHandlers: installNodeHandlers,
  handlersByDefault: false,
};

export const { init, createClient, getClient, captureException, captureMessage, captureEvent, flush, close } =
  createApi(platform);
export { OxeyeClient } from "./client.js";
export { makeFetchTransport } from "./transport.js";
export type * from "./types.js";
