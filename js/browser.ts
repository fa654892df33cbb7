/**
 * Browser entry point. The wasm core is fetched and compiled with
 * `WebAssembly.instantiateStreaming` the first time a client is made; calls made before
 * it is ready are queued. Runs bundled or as native ESM (with an import map).
 */
import initWasm, { Core } from "./wasm/oxeye.js";
import { createApi } from "./api.js";
import type { CoreFactory, Platform } from "./client.js";
import { installBrowserHandlers } from "./handlers/browser.js";
import { makeFetchTransport } from "./transport.js";

let loading: Promise<CoreFactory> | undefined;

const platform: Platform = {
  runtime: "browser",
  loadCore: () =>
    (loading ??= initWasm({ module_or_path: new URL("./wasm/oxeye_bg.wasm", import.meta.url) }).then(
      () => (o: Record<string, unknown>) => new Core(o),
    )),
  defaultTransport: () => makeFetchTransport({ browser: true }),
  installHandlers: installBrowserHandlers,
  handlersByDefault: true,
};

export const { init, createClient, getClient, captureException, captureMessage, captureEvent, flush, close } =
  createApi(platform);
export { OxeyeClient } from "./client.js";
export { makeFetchTransport } from "./transport.js";
export type * from "./types.js";
