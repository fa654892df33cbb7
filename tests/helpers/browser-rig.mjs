/**
 * Test helper: what the Chromium tests that report to a capture server need, started
 * together and stopped together: a capture server, the repository served statically (the
 * browser entry at `/dist/…`, pages at `/www/…`) and Chromium, all on 127.0.0.1.
 */
import { fileURLToPath } from "node:url";
import { launchChromium } from "../../scripts/lib/chromium.mjs";
import { serveStatic } from "../../scripts/lib/static-server.mjs";
import { startCaptureServer } from "./capture-server.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Starts the three; answers them with `close()`, which stops every one that started. */
export async function startBrowserRig() {
  const rig = { capture: undefined, site: undefined, chromium: undefined };
  rig.close = async () => {
    await rig.chromium?.close();
    await rig.site?.close();
    await rig.capture?.close();
  };
  try {
    rig.capture = await startCaptureServer();
    rig.site = await serveStatic(root);
    rig.chromium = await launchChromium();
  } catch (e) {
    await rig.close();
    throw e;
  }
  return rig;
}

/**
 * Holds back `page`'s wasm downloads (those matching `pattern`) until the answered
 * function is called, or 10 s: the engine is then up while the core still loads.
 */
export async function holdWasm(page, pattern = "**/*.wasm") {
  let release;
  const held = new Promise((ok) => (release = ok));
  await page.route(pattern, async (route) => {
    await Promise.race([held, new Promise((ok) => setTimeout(ok, 10_000))]);
    await route.continue();
  });
  return release;
}
