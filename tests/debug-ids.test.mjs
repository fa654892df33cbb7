// Debug images: the `_sentryDebugIds` global that `sentry-cli sourcemaps inject` writes is
// read into file → debug id (innermost frame of each key, cached, re-read when keys are
// added), only the files in the event's stacks are sent, and the real core writes them as
// `debug_meta.images`. WebAssembly modules compiled with `instantiateStreaming` are seen
// by their `build_id` section (a module built by hand below) and sent as `wasm` images;
// a real V8 trap shows each wasm frame pointing at its module's image (`addr_mode`).
import { test } from "node:test";
import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { execFileSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = pathToFileURL(process.env.OXEYE_UNIT_DIST ?? `${root}dist/`).href.replace(/\/?$/, "/");
const { innermostFile, fileDebugIds, debugIdsFor } = await import(`${dist}instrument/debug-ids.js`);
const { modules, registerWasmModule, watchWasmModules } = await import(`${dist}instrument/wasm-modules.js`);
const { wasmModulesFor } = await import(`${dist}instrument/wasm-images.js`);

const ID_A = "aaaaaaaa-1111-4222-8333-444455556666";
const ID_B = "bbbbbbbb-1111-4222-8333-444455556666";

test("innermostFile reads the snippet's own file from V8, Firefox and Safari keys", () => {
  assert.equal(innermostFile("Error\n    at https://app.example/assets/index-4f.js:1:95\n    at https://app.example/x.js:2:3"), "https://app.example/assets/index-4f.js");
  assert.equal(innermostFile("Error\n    at Object.<anonymous> (/srv/app/.next/server/chunks/12.js:1:120)\n    at Module._compile (node:internal/modules/cjs/loader:1554:14)"), "/srv/app/.next/server/chunks/12.js");
  assert.equal(innermostFile("@https://app.example/b.js:1:33\n@https://app.example/c.js:4:1\n"), "https://app.example/b.js");
  assert.equal(innermostFile("global code@https://app.example/s.js:1:40"), "https://app.example/s.js");
  assert.equal(innermostFile("Error\n    at async file:///w/worker.js:3:9"), "file:///w/worker.js");
  assert.equal(innermostFile("no frames here"), undefined);
});

test("debug ids: only files in the stacks, cached until the global gains keys", () => {
  const g = globalThis;
  g._sentryDebugIds = { "Error\n    at https://app.example/a.js:1:95": ID_A };
  assert.deepEqual(debugIdsFor(["TypeError: x\n    at f (https://app.example/a.js:1:400)"]), { "https://app.example/a.js": ID_A });
  assert.equal(debugIdsFor(["TypeError: x\n    at f (https://app.example/other.js:1:4)"]), undefined);
  const first = fileDebugIds();
  assert.equal(fileDebugIds(), first, "same key count: the cached parse is reused");
  g._sentryDebugIds["Error\n    at https://app.example/b.js:1:95"] = ID_B;
  assert.deepEqual(
    debugIdsFor(["E\n    at https://app.example/b.js:1:1", "E\n    at https://app.example/a.js:1:1"]),
    { "https://app.example/a.js": ID_A, "https://app.example/b.js": ID_B },
  );
  g._sentryDebugIds = { "x": 5, "Error\n    at https://app.example/c.js:1:1": ID_A };
  assert.equal(debugIdsFor(["at https://app.example/c.js:9:9"])["https://app.example/c.js"], ID_A);
  delete g._sentryDebugIds;
  assert.equal(debugIdsFor(["at https://app.example/c.js:9:9"]), undefined);
});

// A minimal wasm module: the header, a `build_id` custom section (4 bytes), an
// `external_debug_info` section naming "m.debug.wasm".
function customSection(name, payload) {
  const n = new TextEncoder().encode(name);
  const body = [n.length, ...n, ...payload];
  return [0, body.length, ...body];
}
const WASM = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...customSection("build_id", [0xde, 0xad, 0xbe, 0xef]),
  ...customSection("external_debug_info", [...new TextEncoder().encode("m.debug.wasm")]),
]);
const PLAIN = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

test("wasm: instantiateStreaming is seen, build_id and debug file read, results unchanged", async () => {
  watchWasmModules();
  const response = (bytes, url) => {
    const r = new Response(bytes, { headers: { "content-type": "application/wasm" } });
    Object.defineProperty(r, "url", { value: url });
    return r;
  };
  const { module, instance } = await WebAssembly.instantiateStreaming(response(WASM, "https://app.example/m.wasm"), {});
  assert.ok(module instanceof WebAssembly.Module && instance instanceof WebAssembly.Instance);
  const compiled = await WebAssembly.compileStreaming(Promise.resolve(response(PLAIN, "https://app.example/plain.wasm")));
  assert.ok(compiled instanceof WebAssembly.Module);
  await assert.rejects(WebAssembly.instantiateStreaming(response(new Uint8Array([1, 2, 3]), "https://app.example/bad.wasm")), WebAssembly.CompileError);
  // The note is taken in a then() after the compile; one more turn lets it land.
  await new Promise((r) => setImmediate(r));
  const stack = "RuntimeError: unreachable\n    at https://app.example/m.wasm:wasm-function[1]:0x37\n    at https://app.example/plain.wasm:wasm-function[0]:0x2";
  assert.deepEqual(wasmModulesFor(modules, [stack]), { "https://app.example/m.wasm": { buildId: "deadbeef", debugFile: "https://app.example/m.debug.wasm" } });
  assert.equal(wasmModulesFor(modules, ["at https://app.example/none.wasm:wasm-function[0]:0x1"]), undefined);
  assert.equal(registerWasmModule(new WebAssembly.Module(PLAIN), "https://app.example/p2.wasm"), false, "no build_id: nothing to send");
  assert.equal(registerWasmModule(new WebAssembly.Module(WASM), "wasm://wasm/abc"), true, "the app may register a module under the URL its frames show");
});

test("wasm: init of the Node and edge entries watches the streaming compilers (Workers have no init)", () => {
  // A process of its own each: the watch is installed once per process.
  for (const entry of ["node", "edge"]) {
    const script = `
      const W = WebAssembly;
      const before = [W.compileStreaming, W.instantiateStreaming];
      const m = await import(${JSON.stringify(`${dist}entrypoints/${entry}.js`)});
      const atImport = W.compileStreaming === before[0] && W.instantiateStreaming === before[1];
      m.init({ dsn: "http://key@127.0.0.1:9/1", isolateRequests: false });
      process.stdout.write(JSON.stringify({ atImport, wrapped: W.compileStreaming !== before[0] && W.instantiateStreaming !== before[1] }));
      process.exit(0);`;
    const out = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" }));
    assert.deepEqual(out, { atImport: true, wrapped: true }, entry);
  }
});

test("the real core sends debug_meta.images for the files in the event's stack", async () => {
  const oxeye = await import(`${dist}entrypoints/node.js`);
  const bodies = [];
  const transport = async (req) => {
    bodies.push(req.body);
    return { status: 200, headers: {} };
  };
  globalThis._sentryDebugIds = { "Error\n    at https://app.example/a.js:1:95": ID_A, "Error\n    at https://app.example/unused.js:1:95": ID_B };
  const client = oxeye.createClient({ dsn: "http://k@127.0.0.1:9/1", transport, offline: false });
  const err = new Error("boom");
  err.stack = "Error: boom\n    at handler (https://app.example/a.js:1:400)\n    at https://app.example/m.wasm:wasm-function[1]:0x37";
  client.captureException(err);
  assert.equal(await client.flush(5000), true);
  const raw = Buffer.from(bodies[0]);
  const text = (raw[0] === 0x1f ? gunzipSync(raw) : raw).toString("utf8");
  const event = JSON.parse(text.split("\n")[2]);
  assert.deepEqual(event.debug_meta.images, [
    { type: "sourcemap", code_file: "https://app.example/a.js", debug_id: ID_A },
    { type: "wasm", code_file: "https://app.example/m.wasm", code_id: "deadbeef", debug_id: "deadbeef0000000000000000000000000", debug_file: "https://app.example/m.debug.wasm" },
  ]);
  delete globalThis._sentryDebugIds;
  await client.close(1000);
});

// Two modules built by hand, each with a `build_id`: `trap.wasm` exports `trap` (one
// `unreachable`), `run.wasm` imports it and exports `run`, which calls it. V8 then writes
// a real stack with a frame in each module, under the URLs they were streamed from.
const HEAD = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const ascii = (s) => [...new TextEncoder().encode(s)];
const TRAP = new Uint8Array([
  ...HEAD, ...customSection("build_id", [0x7a, 0x9b, 0x01, 0x02]),
  1, 4, 1, 0x60, 0, 0, // type section: () -> ()
  3, 2, 1, 0, // function section: one function of type 0
  7, 8, 1, 4, ...ascii("trap"), 0, 0, // export section: "trap" = function 0
  10, 5, 1, 3, 0, 0x00, 0x0b, // code section: unreachable
]);
const RUN = new Uint8Array([
  ...HEAD, ...customSection("build_id", [0x0b, 0xad, 0xc0, 0xde]),
  1, 4, 1, 0x60, 0, 0,
  2, 12, 1, 3, ...ascii("env"), 4, ...ascii("trap"), 0, 0, // import section: env.trap = function 0
  3, 2, 1, 0,
  7, 7, 1, 3, ...ascii("run"), 0, 1, // export section: "run" = function 1
  10, 6, 1, 4, 0, 0x10, 0, 0x0b, // code section: call 0
]);

test("a real wasm trap: each module's frames point at its own image (addr_mode), and Sentry's normaliser keeps them", async () => {
  const oxeye = await import(`${dist}entrypoints/node.js`);
  const { normalizeEvents } = await import("../scripts/lib/relay.mjs");
  const bodies = [];
  const transport = async (req) => {
    bodies.push(req.body);
    return { status: 200, headers: {} };
  };
  const client = oxeye.createClient({ dsn: "http://k@127.0.0.1:9/1", transport, offline: false });
  watchWasmModules();
  const response = (bytes, url) => {
    const r = new Response(bytes, { headers: { "content-type": "application/wasm" } });
    Object.defineProperty(r, "url", { value: url });
    return r;
  };
  const trap = await WebAssembly.instantiateStreaming(response(TRAP, "https://app.example/wasm/trap.wasm"), {});
  const run = await WebAssembly.instantiateStreaming(response(RUN, "https://cdn.example/run.wasm"), { env: { trap: trap.instance.exports.trap } });
  await new Promise((r) => setImmediate(r));
  // This file's own frames get a source-map image too, so the wasm images are not first.
  const here = import.meta.url;
  globalThis._sentryDebugIds = { [`Error\n    at ${here}:1:1`]: ID_A };
  let thrown;
  try {
    run.instance.exports.run();
  } catch (e) {
    thrown = e;
  }
  assert.ok(thrown instanceof WebAssembly.RuntimeError);
  assert.match(thrown.stack, /trap\.wasm:wasm-function\[0\]:0x[0-9a-f]+\n\s+at https:\/\/cdn\.example\/run\.wasm:wasm-function\[1\]/);
  client.captureException(thrown);
  assert.equal(await client.flush(5000), true);
  delete globalThis._sentryDebugIds;
  await client.close(1000);
  const raw = Buffer.from(bodies[0]);
  const event = JSON.parse((raw[0] === 0x1f ? gunzipSync(raw) : raw).toString("utf8").split("\n")[2]);

  const images = event.debug_meta.images;
  assert.deepEqual(images.map((i) => i.type).sort(), ["sourcemap", "wasm", "wasm"]);
  assert.equal(images.find((i) => i.type === "sourcemap").code_file, fileURLToPath(here));
  const ids = { "https://app.example/wasm/trap.wasm": "7a9b0102", "https://cdn.example/run.wasm": "0badc0de" };
  const check = (frames, images, file) => {
    const wasm = frames.filter((f) => f.instruction_addr);
    assert.deepEqual(wasm.map((f) => f[file]), ["https://cdn.example/run.wasm", "https://app.example/wasm/trap.wasm"], "oldest first: run, then trap");
    for (const f of wasm) {
      assert.equal(f.platform, "native");
      const m = /^rel:(\d+)$/.exec(f.addr_mode ?? "");
      assert.ok(m, `addr_mode on ${JSON.stringify(f)}`);
      const image = images[Number(m[1])];
      assert.equal(image?.type, "wasm", JSON.stringify({ f, images }));
      assert.equal(image.code_file, f[file], "the image is the frame's own module");
      assert.equal(image.code_id, ids[f[file]]);
    }
    assert.ok(frames.filter((f) => !f.instruction_addr).every((f) => f.addr_mode === undefined), "JavaScript frames have no addr_mode");
  };
  check(event.exception.values[0].stacktrace.frames, images, "filename");

  // Sentry's normaliser accepts the event and keeps every frame's addr_mode and the images'
  // order (it moves a web URL into abs_path).
  const [normalized] = await normalizeEvents([event]);
  assert.deepEqual(normalized.errors, []);
  check(normalized.event.exception.values[0].stacktrace.frames, normalized.event.debug_meta.images, "abs_path");
});

test("workerd: the debug id recorded by the worker's own file is sent for its frames", async () => {
  const { startWorker } = await import("./helpers/worker.mjs");
  const { startCaptureServer } = await import("./helpers/capture-server.mjs");
  const cap = await startCaptureServer();
  const mf = startWorker(new URL("./workers/debug-id-worker.mjs", import.meta.url), { bindings: { SENTRY_DSN: cap.dsn } });
  try {
    const res = await mf.dispatchFetch("http://worker.test/");
    assert.match(await res.text(), /^[0-9a-f]{32}$/);
    const until = Date.now() + 10_000;
    while (!cap.events().length && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    const [ev] = cap.events();
    assert.ok(ev, "the worker delivered its event");
    const top = ev.exception.values[0].stacktrace.frames.at(-1);
    assert.equal(top.function, "failInWorker");
    // The key's file is a file:// URL; the frames (read the Node SDK's way) name a path.
    assert.ok(!top.filename.startsWith("file:"), top.filename);
    assert.deepEqual(ev.debug_meta?.images, [{ type: "sourcemap", code_file: top.filename, debug_id: "d0d0d0d0-1111-4222-8333-444455556666" }]);
  } finally {
    await mf.dispose();
    await cap.close();
  }
});
