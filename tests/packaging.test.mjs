// The package as users get it: `npm pack` output holds every entry, its types and the
// wasm; installed into a fresh project, `import "oxeye"` resolves through the exports map
// to the Node entry and captures an event, with no runtime dependencies.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

test("npm pack contains every entry, its types and the wasm; the installed package works in Node", () => {
  const dir = mkdtempSync(join(tmpdir(), "oxeye-pack-"));
  try {
    const out = execFileSync("npm", ["pack", "--json", "--pack-destination", dir], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    const [info] = JSON.parse(out);
    const files = info.files.map((f) => f.path);
    for (const f of ["package.json", "dist/browser.js", "dist/browser.d.ts", "dist/node.js", "dist/node.d.ts", "dist/workerd.js", "dist/workerd.d.ts", "dist/wasm/oxeye.js", "dist/wasm/oxeye_bg.wasm"]) {
      assert.ok(files.includes(f), `${f} is in the package (${files.length} files)`);
    }
    assert.ok(!files.some((f) => f.startsWith("src/") || f.startsWith("tests/")), "sources and tests stay out");
    const app = join(dir, "app");
    const pkgDir = join(app, "node_modules", "oxeye");
    mkdirSync(pkgDir, { recursive: true });
    execFileSync("tar", ["-xzf", join(dir, info.filename), "-C", pkgDir, "--strip-components=1"]);
    const manifest = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
    assert.equal(manifest.dependencies, undefined, "no runtime dependencies");
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", type: "module" }));
    writeFileSync(
      join(app, "main.js"),
      `import * as oxeye from "oxeye";
       const sent = [];
       oxeye.init({ dsn: "http://k@127.0.0.1:9/1", transport: async (r) => (sent.push(r), { status: 200, headers: {} }) });
       const id = oxeye.captureException(new Error("from the packed package"));
       await oxeye.flush(2000);
       const text = new TextDecoder().decode(sent[0].body);
       console.log(JSON.stringify({ id, sdk: text.includes('"oxeye.javascript.node"'), found: text.includes(id) }));`,
    );
    const result = JSON.parse(execFileSync(process.execPath, ["main.js"], { cwd: app, encoding: "utf8" }));
    assert.match(result.id, /^[0-9a-f]{32}$/);
    assert.equal(result.sdk, true, "the exports map picked the Node entry");
    assert.equal(result.found, true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
