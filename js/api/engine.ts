/**
 * The engine's module as the browser loads it (a dynamic `import()`) and Node and edge
 * link it: `startEngine`, which starts a client's engine (`client-engine.ts`) with every
 * part (`EngineParts`) and installs the automatic instrumentation `init` asks for. Workers
 * start the bare engine themselves and never import this module, so their bundle leaves
 * these parts out (and Spotlight's lazy chunk, which the browser's part loads).
 */
// The imports' order is the order of the modules in the browser's engine chunk: the order
// measured to compress best.
import type { CoreClass, Engine, EngineStart, OxeyeClient, Platform } from "./client.js";
import { ClientEngine } from "./client-engine.js";
import { lazySpotlight } from "../delivery/spotlight-lazy.js";
import { deliveryOccasions } from "../delivery/occasions.js";
import { createIndexedDbStore, noIndexedDb } from "../delivery/offline.js";
import { sendUnsent } from "./unsent-send.js";
import { trackPageViews } from "./sessions.js";
import { makeFetchTransport } from "../delivery/transport.js";
import { installInstrumentation } from "../instrument/index.js";
import { browserFacts } from "./host.js";

// The browser entry reaches the transport and its host facts through this module, so they
// load with the engine.
export { makeFetchTransport };

/**
 * The browser's engine for `client`, once the page's host facts are the platform's and,
 * when its `scrub` option is set to something other than `true` or `false`, the option's
 * checker has loaded (a chunk of its own, `Platform.parts`: an app that does not set
 * `scrub` never fetches it).
 */
export function browserEngine(platform: Platform, client: OxeyeClient): EngineStart | Promise<EngineStart> {
  Object.assign(platform, browserFacts);
  const scrub = client.options.scrub;
  const parts = platform.parts;
  return scrub == null || typeof scrub == "boolean" || platform.checkScrub || !parts
    ? startEngine
    : parts[0]().then((m) => ((platform.checkScrub = m.checkScrub), startEngine));
}

/** Clients whose instrumentation is installed (once each). */
const instrumented = new WeakSet<OxeyeClient>();

/**
 * Starts the engine for a client, with the automatic instrumentation `init` installs.
 * Pure, so a bundle that imports this module but only makes bare engines leaves the
 * instrumentation out.
 */
export const startEngine: EngineStart = /* @__PURE__ */ Object.assign(
  (client: OxeyeClient, CoreCtor: CoreClass, platform: Platform): Engine =>
    new ClientEngine(client, CoreCtor, platform, { store: createIndexedDbStore, noStore: noIndexedDb, pageViews: trackPageViews, unsent: sendUnsent, spotlight: platform.parts && lazySpotlight(platform.parts[1]), occasions: deliveryOccasions }),
  {
    // Installs the instrumentation of a client that tracks sessions, once.
    instrument: (client: OxeyeClient): void => {
      if (client.closed || client.loadError || !client.wantSessions || instrumented.has(client)) return;
      instrumented.add(client);
      try {
        client.addCleanup(installInstrumentation(client, client.platform.runtime, () => client.engine?.navigated?.()));
      } catch (e) {
        client.log(`instrumentation not installed: ${e}`);
      }
    },
  },
);
