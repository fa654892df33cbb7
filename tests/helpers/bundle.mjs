/**
 * Test helper: bundles a browser app with esbuild the way an app's bundler would, with
 * `oxeye` and `oxeye/react` resolved to the built package (dist/), and copies the browsers'
 * two wasm files next to the bundle (where the browser loader's
 * `new URL("./wasm/oxeye_bg.wasm", import.meta.url)` and `oxeye_rules_bg.wasm` find them).
 */
import { build } from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** `oxeye` and `oxeye/react` from dist/; `oxeye` from `stub` instead, when given (a test's mock). */
const oxeyePackage = (stub) => ({
  name: "oxeye-package",
  setup(b) {
    b.onResolve({ filter: /^oxeye(\/react)?$/ }, (args) => ({
      path: args.path === "oxeye" ? (stub ?? join(root, "dist", "entrypoints/browser.js")) : join(root, "dist", "frameworks/react.js"),
    }));
  },
});

/**
 * Bundles `entry` into `outdir/app.js` (+ `outdir/wasm/oxeye_bg.wasm`, `oxeye_rules_bg.wasm`),
 * as an ES module or, with `format: "iife"`, as a classic script (a widget's bundle);
 * `oxeyeStub`: a module `oxeye` resolves to instead (an app's test mock).
 */
export async function bundleApp(entry, outdir, { format = "esm", oxeyeStub } = {}) {
  mkdirSync(join(outdir, "wasm"), { recursive: true });
  await build({
    entryPoints: [entry],
    bundle: true,
    format,
    outfile: join(outdir, "app.js"),
    conditions: ["browser"],
    define: { "process.env.NODE_ENV": '"production"' },
    tsconfigRaw: "{}",
    plugins: [oxeyePackage(oxeyeStub)],
    logLevel: "error",
  });
  for (const f of ["oxeye_bg.wasm", "oxeye_rules_bg.wasm"]) copyFileSync(join(root, "dist", "core", "wasm", f), join(outdir, "wasm", f));
}
