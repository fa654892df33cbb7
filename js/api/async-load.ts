/**
 * A platform's `load` where the engine's module or the core arrives asynchronously
 * (browsers: both are dynamic `import()`s; edge: the core). Kept out of the client, so that
 * runtimes which link both (Node, Workers) leave it out.
 */
import type { CoreClass, EngineStart, OxeyeClient } from "./client.js";

/**
 * Starts `client` once `engine` and `core` are there, or fails its load with why one could
 * not be had (`hint`: a likely cause on this host, added to the warning). The engine's
 * module installs `init`'s instrumentation as soon as it is there, while the core may
 * still be loading (so a request made then can wait for its trace headers).
 */
export function startWhenLoaded(
  client: OxeyeClient,
  start: (loaded: () => [EngineStart, CoreClass], hint?: () => string) => void,
  engine: EngineStart | Promise<EngineStart>,
  core: CoreClass | Promise<CoreClass>,
  hint?: () => string,
): void {
  Promise.resolve(engine).then(
    (m) => (client.engineModule = m).instrument?.(client),
    () => {},
  );
  Promise.all([engine, core]).then(
    (loaded) => start(() => loaded, hint),
    (e) =>
      start(() => {
        throw e;
      }, hint),
  );
}
