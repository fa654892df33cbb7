/**
 * Test helper: runs a module worker in workerd through miniflare the way every Workers test
 * here needs it: offline (`cf: false`), `.js` as ES modules and `.wasm` as compiled modules
 * from the repository root, and outbound requests limited to 127.0.0.1 (each one reported
 * to `onOutbound` before it is forwarded or refused).
 */
import { fileURLToPath } from "node:url";
import { Miniflare, Response as MfResponse, fetch as mfFetch } from "miniflare";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** The Miniflare options of one worker: the module worker at `scriptUrl` (a file URL), its modules read from the repository root. */
export function workerModules(scriptUrl) {
  return {
    modules: true,
    scriptPath: fileURLToPath(scriptUrl),
    modulesRoot: root,
    modulesRules: [
      { type: "CompiledWasm", include: ["**/*.wasm"] },
      { type: "ESModule", include: ["**/*.js"] },
    ],
    compatibilityDate: "2025-01-01",
  };
}

/** Starts the worker at `scriptUrl` (a file URL) with `bindings` (and any other Miniflare options); returns the Miniflare instance. */
export function startWorker(scriptUrl, { bindings = {}, onOutbound = () => {}, ...rest } = {}) {
  return new Miniflare({
    ...rest,
    ...workerModules(scriptUrl),
    bindings,
    cf: false,
    outboundService: outbound(onOutbound),
  });
}

/** An outbound service that reports each request to `onOutbound` and forwards only those to 127.0.0.1. */
export function outbound(onOutbound = () => {}) {
  return async (request) => {
    const url = new URL(request.url);
    onOutbound(url, request);
    if (url.hostname !== "127.0.0.1") return new MfResponse("outbound blocked", { status: 403 });
    return mfFetch(request);
  };
}
