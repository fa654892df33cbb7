// Node, end to end: oxeye's default fetch transport delivers to a real Bugsink; the
// stored events have the right type, value, mechanism and frames, and pass Relay's
// normaliser. Node's global handlers (opt-in) report an uncaught exception and still exit 1;
// in a worker thread the parent still gets its error event; an unhandled rejection goes
// on to the app's own uncaughtException listener, and `--unhandled-rejections=warn` holds.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer as createNetServer } from "node:net";
import { runProcess } from "../scripts/lib/python-env.mjs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { cpSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { arch, cpus, release as osRelease, tmpdir, totalmem, type as osType } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { spawnSync } from "node:child_process";
import * as oxeye from "../dist/entrypoints/node.js";
import { assertValidForSentry, byType, freshBugsink } from "./helpers/real.mjs";
import { captureConsole } from "./helpers/console-lines.mjs";

let bugsink;
before(async () => {
  bugsink = await freshBugsink();
});
after(async () => {
  await bugsink?.stop();
});

test("the Node entry names Bun and Deno, which run it, by their own names and versions", () => {
  const facts = pathToFileURL(fileURLToPath(new URL("../dist/node/host-facts.js", import.meta.url))).href;
  const run = (setup) => JSON.parse(spawnSync(process.execPath, ["--input-type=module", "-e", `${setup}; const { nodeHostFacts } = await import(${JSON.stringify(facts)}); console.log(JSON.stringify(nodeHostFacts().runtime));`], { encoding: "utf8" }).stdout);
  assert.deepEqual(run(""), { name: "node", version: process.version });
  assert.deepEqual(run('globalThis.Bun = { version: "1.4.5" }'), { name: "bun", version: "1.4.5" });
  assert.deepEqual(run('globalThis.Deno = { version: { deno: "2.9.6" } }'), { name: "deno", version: "2.9.6" });
});

function loadInvoice(invoice) {
  return invoice.lines.map((l) => l.amount);
}

test("Node: captureException and captureMessage are stored by Bugsink", async () => {
  const client = oxeye.init({ dsn: bugsink.dsn, release: "node-e2e@1.0.0", environment: "test" });
  let id;
  try {
    loadInvoice({});
  } catch (e) {
    id = oxeye.captureException(e);
  }
  const msgId = oxeye.captureMessage("node e2e message", "warning");
  assert.equal(await oxeye.flush(15000), true);
  const events = await bugsink.api.waitForEvents((evs) => evs.length >= 2);
  const ev = events.find((e) => e.data.event_id === id);
  assert.ok(ev, "the exception event is stored under its id");
  const ex = ev.data.exception.values[0];
  assert.equal(ex.type, "TypeError");
  assert.match(ex.value, /Cannot read properties of undefined \(reading 'map'\)/);
  assert.deepEqual(ex.mechanism, { type: "generic", handled: true });
  const top = ex.stacktrace.frames.at(-1);
  assert.equal(top.function, "loadInvoice");
  assert.ok(top.filename.endsWith("tests/e2e-node.test.mjs"), top.filename);
  assert.equal(ev.data.sdk.name, "oxeye.javascript.node");
  assert.equal(ev.data.release, "node-e2e@1.0.0");
  // The host's facts, as Sentry's Node SDK reports them.
  assert.equal(ev.data.contexts.runtime.name, "node");
  // (On Linux the distribution, as /etc/os-release names it.)
  const release = osType() === "Linux" ? readFileSync("/etc/os-release", "utf8") : "";
  const field = (k) => new RegExp(`^${k}=(.*)$`, "m").exec(release)?.[1]?.replace(/^"(.*)"$/, "$1");
  assert.equal(ev.data.contexts.os.name, field("NAME") ?? { Darwin: "macOS", Windows_NT: "Windows" }[osType()] ?? osType());
  if (field("VERSION_ID")) assert.equal(ev.data.contexts.os.version, field("VERSION_ID"));
  assert.equal(ev.data.contexts.os.kernel_version, osRelease());
  // The machine and the process, what does not change while it runs.
  const { device, app } = ev.data.contexts;
  assert.equal(device.arch, arch());
  assert.equal(device.processor_count, cpus().length);
  assert.equal(device.memory_size, totalmem());
  assert.ok(Date.parse(device.boot_time) < Date.parse(app.app_start_time), JSON.stringify({ device, app }));
  assert.ok(Date.now() - Date.parse(app.app_start_time) < 10 * 60_000, app.app_start_time);
  // The lines around the frame that threw, read from this file.
  assert.equal(top.context_line, "  return invoice.lines.map((l) => l.amount);");
  assert.equal(top.pre_context.at(-1), "function loadInvoice(invoice) {");
  const msg = events.find((e) => e.data.event_id === msgId);
  assert.equal(msg.data.logentry.formatted, "node e2e message");
  assert.equal(msg.data.level, "warning");
  await assertValidForSentry(events.map((e) => e.data));
  await client.close(1000);
});

test("Node: a second init (a hot reload, a test's beforeEach) still delivers what the first client captured", async () => {
  oxeye.init({ dsn: bugsink.dsn, release: "node-reinit@1.0.0" });
  const first = oxeye.captureException(new Error("captured by the first client"));
  await new Promise((r) => setTimeout(r, 0)); // its request is on its way
  oxeye.init({ dsn: bugsink.dsn, release: "node-reinit@1.0.0" });
  const second = oxeye.captureMessage("captured by the second client");
  assert.equal(await oxeye.flush(15000), true);
  const events = await bugsink.api.waitForEvents((evs) => [first, second].every((id) => evs.some((e) => e.data.event_id === id)));
  assert.ok(events.some((e) => e.data.event_id === first), "the first client's event was delivered");
});

test("Node: without a release option or SENTRY_RELEASE, the release is the commit the CI or host names (GITHUB_SHA, VERCEL_GIT_COMMIT_SHA, …)", async () => {
  const dist = pathToFileURL(join(fileURLToPath(new URL("..", import.meta.url)), "dist", "entrypoints", "node.js")).href;
  const code = `const oxeye = await import(${JSON.stringify(dist)});
oxeye.init({ dsn: process.env.OXEYE_TEST_DSN });
oxeye.captureMessage("released by the CI's commit");
await oxeye.close(10000);`;
  const env = { ...process.env, OXEYE_TEST_DSN: bugsink.dsn, GITHUB_SHA: "", VERCEL_GIT_COMMIT_SHA: "4f2a9c1d0b7e", RENDER_GIT_COMMIT: "not this one" };
  delete env.SENTRY_RELEASE;
  const r = await runProcess(process.execPath, ["--input-type=module", "-e", code], { env, timeoutMs: 20_000 });
  assert.equal(r.code, 0, r.stderr);
  const events = await bugsink.api.waitForEvents((evs) => evs.some((e) => e.data.logentry?.formatted === "released by the CI's commit"));
  const ev = events.find((e) => e.data.logentry?.formatted === "released by the CI's commit");
  assert.equal(ev.data.release, "4f2a9c1d0b7e", "the first variable set (a blank one is skipped)");
});

test("Node: frames of the app's own files carry their lines of source (a directory with a space and an umlaut, an ES module by file URL and a CommonJS file by path); a dependency's frames and, with contextLines: false, every frame carry none", async () => {
  const dir = mkdtempSync(join(tmpdir(), "oxeye ctx ö-"));
  try {
    mkdirSync(join(dir, "node_modules", "walker"), { recursive: true });
    // A dependency that calls the app back (its frame stays without lines).
    writeFileSync(join(dir, "node_modules", "walker", "package.json"), '{"name": "walker", "main": "index.cjs"}');
    writeFileSync(join(dir, "node_modules", "walker", "index.cjs"), "exports.walk = (items, fn) => items.map(fn);\n");
    // Minified code: a line of the window is longer than 1,000 characters.
    writeFileSync(join(dir, "packed.cjs"), `exports.pack = (x) => x.a.b;\nvar pad = "${"x".repeat(2000)}";\n`);
    writeFileSync(
      join(dir, "pricing.cjs"),
      ["'use strict';", "// prices per line", "function priceOf(line) {", "  const unit = line.unit;", "  return unit.cents * line.count;", "}", "module.exports = { priceOf };", ""].join("\n"),
    );
    writeFileSync(
      join(dir, "checkout.mjs"),
      [
        'import { createRequire } from "node:module";',
        "const require = createRequire(import.meta.url);",
        'const { walk } = require("walker");',
        'const { priceOf } = require("./pricing.cjs");',
        "export function total(cart) {",
        "  return walk(cart.lines, priceOf);",
        "}",
        "",
      ].join("\n"),
    );
    const { total } = await import(pathToFileURL(join(dir, "checkout.mjs")).href);
    const thrown = (() => {
      try {
        total({ lines: [{ count: 2 }] });
      } catch (e) {
        return e;
      }
    })();
    assert.ok(thrown instanceof TypeError);
    const packed = (() => {
      try {
        createRequire(join(dir, "x.cjs"))("./packed.cjs").pack({});
      } catch (e) {
        return e;
      }
    })();

    const client = oxeye.init({ dsn: bugsink.dsn, release: "node-e2e@1.0.0" });
    const id = oxeye.captureException(thrown);
    const packedId = oxeye.captureException(packed);
    // A stack the app set itself, naming a file that is no source file: none of it is read.
    writeFileSync(join(dir, ".env"), "API_KEY=sk_live_from_the_env_file\n");
    const crafted = new Error("crafted");
    crafted.stack = `Error: crafted\n    at leak (${join(dir, ".env")}:1:1)\n    at leak3 (${pathToFileURL(join(dir, ".env")).href}#.js:1:1)\n    at leak4 (${pathToFileURL(join(dir, ".env")).href}?x.ts:1:1)\n    at leak2 (${join(dir, "pricing.cjs")}:5:3)`;
    const craftedId = oxeye.captureException(crafted);
    await client.close(15000);
    const off = oxeye.init({ dsn: bugsink.dsn, release: "node-e2e@1.0.0", contextLines: false });
    const offId = oxeye.captureException(thrown);
    await off.close(15000);

    const events = await bugsink.api.waitForEvents((evs) => [id, packedId, craftedId, offId].every((x) => evs.some((e) => e.data.event_id === x)));
    const craftedFrames = events.find((e) => e.data.event_id === craftedId).data.exception.values[0].stacktrace.frames;
    assert.ok(!JSON.stringify(craftedFrames).includes("API_KEY"), JSON.stringify(craftedFrames));
    assert.equal(craftedFrames.find((f) => f.filename.endsWith("pricing.cjs"))?.context_line, "  return unit.cents * line.count;", "a source file is still read");
    const frames = events.find((e) => e.data.event_id === id).data.exception.values[0].stacktrace.frames;
    const named = (end) => frames.find((f) => f.filename?.endsWith(end));
    const priced = named("/pricing.cjs");
    assert.equal(priced.filename, join(dir, "pricing.cjs"));
    assert.equal(priced.context_line, "  return unit.cents * line.count;");
    assert.deepEqual(priced.pre_context, ["'use strict';", "// prices per line", "function priceOf(line) {", "  const unit = line.unit;"]);
    assert.deepEqual(priced.post_context, ["}", "module.exports = { priceOf };"], "no line after the file's last line break");
    const checkout = named("/checkout.mjs");
    assert.equal(checkout.filename, join(dir, "checkout.mjs"), "the file URL is read as a path");
    assert.equal(checkout.context_line, "  return walk(cart.lines, priceOf);");
    assert.equal(checkout.pre_context.length, 5);
    const dependency = named("/walker/index.cjs");
    assert.ok(dependency && !("context_line" in dependency) && !("pre_context" in dependency), JSON.stringify(dependency));
    const packedFrames = events.find((e) => e.data.event_id === packedId).data.exception.values[0].stacktrace.frames;
    const packedTop = packedFrames.at(-1);
    assert.ok(packedTop.filename.endsWith("/packed.cjs") && !("context_line" in packedTop), JSON.stringify(packedTop).slice(0, 300));
    const offFrames = events.find((e) => e.data.event_id === offId).data.exception.values[0].stacktrace.frames;
    assert.ok(offFrames.every((f) => !("context_line" in f)), "contextLines: false sends none");
    await assertValidForSentry(events.map((e) => e.data));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("Node source lines: lines counted as V8 counts them (a lone CR, U+2028), long lines cut around the column with {snip}, and a message of frame-like lines naming 30 source files reads at most 5 files per capture", async () => {
  const { sourceLines } = await import("../dist/node/source-context.js");
  const fs = (await import("node:fs")).default;
  const { syncBuiltinESMExports } = await import("node:module");
  const dir = mkdtempSync(join(tmpdir(), "oxeye-lines-"));
  try {
    const odd = join(dir, "odd.js");
    writeFileSync(odd, `const a = 1;\rconst b = "x\u2028y";\nconst c = 3;\r\nfunction f() {\n  throw new Error("here");\n}\n`);
    const long = join(dir, "long.js");
    writeFileSync(long, `const s = "${"a".repeat(400)}"; boom();\n`);
    const at = (file, line, col) => `Error: x\n    at f (${file}:${line}:${col})`;
    // Line 5 as V8 counts it: lines 1, 2 and 3 end in a CR, a U+2028 and a CRLF.
    const lines = sourceLines([at(odd, 6, 3)], [1]);
    assert.deepEqual(lines[`${odd}:6`], { pre_context: ["const a = 1;", 'const b = "x', 'y";', "const c = 3;", "function f() {"], context_line: '  throw new Error("here");', post_context: ["}"] });
    const cut = sourceLines([at(long, 1, 405)], [1])[`${long}:1`].context_line;
    assert.match(cut, /^\{snip\} a+"; boom\(\);$/);
    assert.ok(cut.length <= 200 + 7, cut.length);
    // A message of frame-like lines (user input): bounded reads, whatever it names.
    const many = Array.from({ length: 30 }, (_, i) => join(dir, `f${i}.js`));
    for (const f of many) writeFileSync(f, "x\n".repeat(10));
    const statted = [];
    const realStat = fs.statSync;
    fs.statSync = (p, ...rest) => (statted.push(String(p)), realStat(p, ...rest));
    syncBuiltinESMExports();
    try {
      const stack = `Error: bad id ${many.map((f) => `\n    at x (${f}:1:1)`).join("")}\n    at main (${odd}:5:3)`;
      // (As if the header's length did not count the message's lines: all are frames then.)
      sourceLines([stack], [1]);
    } finally {
      fs.statSync = realStat;
      syncBuiltinESMExports();
    }
    assert.ok(statted.filter((p) => p.startsWith(dir)).length <= 5, `${statted.length} files read for one capture`);
    // The message's frame-like lines are no frames when the header's length is known (as the
    // Node entry knows it): the real frame gets its lines.
    const message = `bad id ${many.map((f) => `\n    at x (${f}:1:1)`).join("")}`;
    const told = sourceLines([`Error: ${message}\n    at main (${odd}:5:3)`], [message.split("\n").length]);
    assert.deepEqual(Object.keys(told), [`${odd}:5`]);
    // Two stacks over 16 files: read 5 a capture until every frame has its lines, then none.
    const reads = [];
    for (let n = 0; n < 6; n++) {
      const stat = fs.statSync;
      let count = 0;
      fs.statSync = (p, ...rest) => (count++, stat(p, ...rest));
      syncBuiltinESMExports();
      let got;
      try {
        got = sourceLines([0, 8].map((from) => `Error: x${many.slice(from, from + 8).map((f) => `\n    at g (${f}:2:1)`).join("")}`), [1, 1]);
      } finally {
        fs.statSync = stat;
        syncBuiltinESMExports();
      }
      reads.push([count, Object.keys(got).length]);
    }
    assert.ok(reads.every(([n]) => n <= 5), JSON.stringify(reads));
    assert.deepEqual(reads.slice(-3), [[0, 16], [0, 16], [0, 16]], `every frame has its lines, and nothing is read again: ${JSON.stringify(reads)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("Node source lines: lines that look like frames in an error's message (user input) are no frames; the real frames keep their lines", async () => {
  const client = oxeye.init({ dsn: bugsink.dsn, release: "node-e2e@1.0.0" });
  const fake = Array.from({ length: 12 }, (_, i) => `\n    at x (/srv/nope${i}.js:1:1)`).join("");
  const id = oxeye.captureException(new Error(`no such user: ${fake}`));
  await client.close(15000);
  const stored = await bugsink.api.waitForEvent(id);
  const frames = stored.exception.values[0].stacktrace.frames;
  const own = frames.filter((f) => f.filename?.endsWith("/tests/e2e-node.test.mjs"));
  assert.ok(own.length > 0 && own.every((f) => typeof f.context_line === "string"), JSON.stringify(own).slice(0, 400));
  assert.match(own.at(-1).context_line, /captureException\(new Error\(`no such user/);
});

test("Node: a server bundled by esbuild (CommonJS, where import.meta is empty, and ESM) finds the wasm copied into wasm/ beside the bundle, run from another directory; without it, the console says what to copy", async () => {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), "oxeye-bundle-"));
  try {
    // The app imports oxeye as an installed package.
    mkdirSync(join(dir, "node_modules", "oxeye"), { recursive: true });
    cpSync(join(root, "package.json"), join(dir, "node_modules", "oxeye", "package.json"));
    cpSync(join(root, "dist"), join(dir, "node_modules", "oxeye", "dist"), { recursive: true });
    writeFileSync(
      join(dir, "server.mjs"),
      'import * as oxeye from "oxeye";\nconst client = oxeye.init({ dsn: process.env.OXEYE_TEST_DSN, release: "bundled@1" });\noxeye.captureMessage(`bundled ${process.env.FORMAT}`);\nawait client.close(10000);\n',
    );
    const esbuild = join(root, "node_modules", ".bin", "esbuild");
    for (const format of ["cjs", "esm"]) {
      const out = join(dir, `build-${format}`);
      const outfile = join(out, format === "cjs" ? "server.cjs" : "server.mjs");
      // (CommonJS output has no top-level await: the app's code runs in an async function.)
      const entry = format === "cjs" ? join(dir, "server-cjs.mjs") : join(dir, "server.mjs");
      if (format === "cjs") writeFileSync(entry, `import * as oxeye from "oxeye";\n(async () => {\n${readFileSync(join(dir, "server.mjs"), "utf8").split("\n").slice(1).join("\n")}\n})();\n`);
      const built = spawnSync(esbuild, [entry, "--bundle", "--platform=node", `--format=${format}`, `--outfile=${outfile}`, "--log-level=error"], { cwd: dir, encoding: "utf8" });
      assert.equal(built.status, 0, built.stderr);
      const run = () => spawnSync(process.execPath, [outfile], { cwd: tmpdir(), encoding: "utf8", timeout: 20_000, env: { ...process.env, OXEYE_TEST_DSN: bugsink.dsn, FORMAT: format } });
      const missing = run();
      assert.match(missing.stderr, /copy the file the package exports as oxeye\/oxeye-server\.wasm \(require\.resolve\("oxeye\/oxeye-server\.wasm"\)\) into a wasm\/ folder beside the bundle/, `${format}: ${missing.stderr}`);
      mkdirSync(join(out, "wasm"));
      cpSync(join(root, "dist", "core", "wasm", "oxeye_server_bg.wasm"), join(out, "wasm", "oxeye_server_bg.wasm"));
      const ok = run();
      assert.equal(ok.status, 0, ok.stderr);
      assert.doesNotMatch(ok.stderr, /oxeye/, `${format}: ${ok.stderr}`);
      await bugsink.api.waitForEvents((evs) => evs.some((e) => e.data.logentry?.formatted === `bundled ${format}`));
    }
    // As SvelteKit's adapter-node builds: oxeye in a chunk of a subfolder, the server run as
    // `node build` (a folder), the wasm copied to build/wasm.
    writeFileSync(join(dir, "index.mjs"), 'process.env.FORMAT = "split";\nawait import("./server.mjs");\n');
    const build = join(dir, "build");
    const split = spawnSync(esbuild, [join(dir, "index.mjs"), "--bundle", "--platform=node", "--format=esm", "--splitting", `--outdir=${build}`, "--chunk-names=server/chunks/[name]-[hash]", "--entry-names=index", "--log-level=error"], { cwd: dir, encoding: "utf8" });
    assert.equal(split.status, 0, split.stderr);
    writeFileSync(join(build, "package.json"), '{"type": "module"}');
    mkdirSync(join(build, "wasm"));
    cpSync(join(root, "dist", "core", "wasm", "oxeye_server_bg.wasm"), join(build, "wasm", "oxeye_server_bg.wasm"));
    // Deployed alone: a folder with no node_modules.
    const deploy = mkdtempSync(join(tmpdir(), "oxeye-deploy-"));
    cpSync(build, join(deploy, "build"), { recursive: true });
    const folder = spawnSync(process.execPath, ["build"], { cwd: deploy, encoding: "utf8", timeout: 20_000, env: { ...process.env, OXEYE_TEST_DSN: bugsink.dsn } });
    rmSync(deploy, { recursive: true, force: true });
    assert.equal(folder.status, 0, folder.stderr);
    assert.doesNotMatch(folder.stderr, /oxeye/, folder.stderr);
    await bugsink.api.waitForEvents((evs) => evs.some((e) => e.data.logentry?.formatted === "bundled split"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("Node: an uncaught exception is reported by the opt-in global handler, then the process exits 1", async () => {
  const script = fileURLToPath(new URL("./fixtures/node-uncaught.mjs", import.meta.url));
  const { code, stderr } = await runProcess(process.execPath, [script], { env: { ...process.env, OXEYE_TEST_DSN: bugsink.dsn }, timeoutMs: 20_000 });
  assert.equal(code, 1, stderr);
  assert.match(stderr, /disk quota exceeded/, "Node's own report of the error is kept");
  const events = await bugsink.api.waitForEvents((evs) => !!byType(evs, "QuotaError"));
  const ev = byType(events, "QuotaError");
  const ex = ev.data.exception.values[0];
  assert.equal(ex.value, "disk quota exceeded");
  assert.deepEqual(ex.mechanism, { type: "auto.node.onuncaughtexception", handled: false });
  assert.equal(ev.data.level, "fatal");
  await assertValidForSentry([ev.data]);
});

/** Runs tests/fixtures/node-handlers.mjs in situation `what`, with `nodeArgs`. */
function runHandlers(what, nodeArgs = []) {
  const script = fileURLToPath(new URL("./fixtures/node-handlers.mjs", import.meta.url));
  return runProcess(process.execPath, [...nodeArgs, script, what], { env: { ...process.env, OXEYE_TEST_DSN: bugsink.dsn }, timeoutMs: 20_000 });
}

test("Node: a worker thread's uncaught exception is reported by the worker's oxeye and still reaches the parent's Worker as its error event", async () => {
  const { code, stdout, stderr } = await runHandlers("worker");
  assert.equal(code, 0, stderr);
  assert.match(stdout, /parent got: thrown in a worker thread/, "the parent's error event fired");
  const events = await bugsink.api.waitForEvents((evs) => evs.some((e) => e.data.exception?.values?.[0]?.value === "thrown in a worker thread"));
  const ev = events.filter((e) => e.data.exception?.values?.[0]?.value === "thrown in a worker thread");
  assert.equal(ev.length, 1);
  assert.deepEqual(ev[0].data.exception.values[0].mechanism, { type: "auto.node.onuncaughtexception", handled: false });
});

test("Node: a second uncaught error while the first is being delivered is captured too; the process still exits 1 once, after both are sent", async () => {
  const { code, stderr } = await runHandlers("twice");
  assert.equal(code, 1, stderr);
  assert.doesNotMatch(stderr, /\[oxeye\]/, "nothing to warn about");
  const values = ["the first of two", "the second of two"];
  const events = await bugsink.api.waitForEvents((evs) => values.every((v) => evs.some((e) => e.data.exception?.values?.[0]?.value === v)));
  for (const v of values) assert.equal(events.filter((e) => e.data.exception?.values?.[0]?.value === v).length, 1, v);
});

test("Node: an uncaught string is reported as an unhandled error, not as a message, then the process exits 1", async () => {
  const { code, stderr } = await runHandlers("string");
  assert.equal(code, 1, stderr);
  const events = await bugsink.api.waitForEvents((evs) => evs.some((e) => e.data.exception?.values?.[0]?.value === "the ledger is locked"));
  const ev = events.find((e) => e.data.exception?.values?.[0]?.value === "the ledger is locked").data;
  assert.equal(ev.exception.values[0].type, "Error");
  assert.deepEqual(ev.exception.values[0].mechanism, { type: "auto.node.onuncaughtexception", handled: false });
  assert.equal(ev.logentry, undefined);
});

test("Node: an unhandled rejection goes on to the app's own uncaughtException listener, as without oxeye, and the process lives on", async () => {
  const { code, stdout, stderr } = await runHandlers("own-handler");
  assert.equal(code, 0, stderr);
  assert.match(stdout, /app handler got: rejected \(own-handler\) \(unhandledRejection\)/);
  assert.match(stdout, /still alive/);
  const events = await bugsink.api.waitForEvents((evs) => evs.some((e) => e.data.exception?.values?.[0]?.value === "rejected (own-handler)"));
  const ev = events.filter((e) => e.data.exception?.values?.[0]?.value === "rejected (own-handler)");
  assert.equal(ev.length, 1, "reported once");
  assert.equal(ev[0].data.exception.values[0].mechanism.type, "auto.node.onunhandledrejection");
});

test("Node: with --unhandled-rejections=warn, an unhandled rejection is reported and the process lives on, as without oxeye", async () => {
  const { code, stdout, stderr } = await runHandlers("rejection", ["--unhandled-rejections=warn"]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /still alive/);
  await bugsink.api.waitForEvents((evs) => evs.some((e) => e.data.exception?.values?.[0]?.value === "rejected (rejection)"));
});

test("Node: process.exit() right after a capture says, without debug, that an envelope was not sent and what to do", async () => {
  const { code, stderr } = await runHandlers("exit");
  assert.equal(code, 0, stderr);
  assert.match(stderr, /\[oxeye\] the process exited with 1 envelope\(s\) not yet sent; to send them, await oxeye\.close\(\) before process\.exit\(\)/);
});

/** Runs `fn(dsn)` with a DSN whose server takes each connection and never answers. */
async function withSilentServer(fn) {
  const sockets = [];
  const silent = createNetServer((socket) => sockets.push(socket));
  await new Promise((ok) => silent.listen(0, "127.0.0.1", ok));
  try {
    return await fn(`http://key@127.0.0.1:${silent.address().port}/1`);
  } finally {
    for (const s of sockets) s.destroy();
    silent.close();
  }
}

test("Node: when the error that ends the process cannot be delivered first, a warning says so (not the advice meant for an app's own process.exit())", () =>
  withSilentServer(async (dsn) => {
    const script = fileURLToPath(new URL("./fixtures/node-uncaught.mjs", import.meta.url));
    const started = Date.now();
    const { code, stderr } = await runProcess(process.execPath, [script], { env: { ...process.env, OXEYE_TEST_DSN: dsn }, timeoutMs: 20_000 });
    assert.equal(code, 1, stderr);
    assert.match(stderr, /\[oxeye\] the error that ends the process was not delivered within 2000 ms; the process exits without it/);
    assert.doesNotMatch(stderr, /before process\.exit\(\)/);
    assert.ok(Date.now() - started < 15_000, "the exit waits about two seconds, not for the server");
  }));

test("Node: close() gives up a request still waiting for its answer, so the process ends soon after (no retries after close)", () =>
  withSilentServer(async (dsn) => {
    const script = fileURLToPath(new URL("./fixtures/node-close.mjs", import.meta.url));
    const started = Date.now();
    const { code, stdout, stderr } = await runProcess(process.execPath, [script], { env: { ...process.env, OXEYE_TEST_DSN: dsn }, timeoutMs: 25_000 });
    const took = Date.now() - started;
    assert.equal(code, 0, stderr);
    assert.match(stdout, /close\(\) -> false after \d+ ms/);
    assert.match(stdout, /not delivered: Error: the client was closed before an answer came/);
    assert.doesNotMatch(stdout, /retrying/);
    assert.ok(took < 10_000, `the process ended ${took} ms after it started (the request timeout is 30 s)`);
  }));

test("Node: a server that refuses the connection is named as such in the debug log, and a flush that runs out of time says so", async () => {
  const closed = createNetServer();
  await new Promise((ok) => closed.listen(0, "127.0.0.1", ok));
  const port = closed.address().port;
  await new Promise((ok) => closed.close(ok)); // nothing listens there now
  const out = captureConsole(["log"]);
  const { lines } = out;
  const client = oxeye.createClient({ dsn: `http://key@127.0.0.1:${port}/1`, debug: true, transportOptions: { retryBaseMs: 200 } });
  try {
    client.captureException(new Error("to a server that is down"));
    assert.equal(await client.flush(300), false);
    const until = Date.now() + 5000;
    while (!lines.some((l) => /ECONNREFUSED/.test(l)) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  } finally {
    out.restore();
    await client.close(0);
  }
  const said = lines.join("\n");
  assert.match(said, /not delivered \(TypeError: fetch failed \(ECONNREFUSED\)\); retrying/);
  assert.match(said, /flush: not everything was delivered in time/);
});
