// Captures the real stacks of tests/data/stacks-captured.json from the engines this
// machine runs: Node (this process's node), workerd (through miniflare) and Chromium
// (/usr/bin/chromium through playwright-core). Run it from the repository root with
// `node tests/data/capture-stacks.mjs` after `bash scripts/ensure-toolchain.sh` and
// `bash scripts/ensure-chromium.sh`; tests/stack_engines.rs holds the expected frames.
// The sources are written to /tmp/stackcap so that file paths in the stacks are stable.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const dir = "/tmp/stackcap";
const sources = {
 "node-cap.mjs": "import { createRequire } from \"node:module\";\nimport { writeFileSync, mkdirSync } from \"node:fs\";\nconst out = {};\nfunction named() { throw new TypeError(\"boom\"); }\ntry { named(); } catch (e) { out.esm_named = e.stack; }\nclass Widget { render() { return [1].map(() => { throw new Error(\"in map\"); }); } }\ntry { new Widget().render(); } catch (e) { out.esm_class_map = e.stack; }\nasync function inner() { await null; throw new Error(\"async fail\"); }\nasync function outer() { await Promise.all([inner()]); }\ntry { await outer(); } catch (e) { out.esm_async = e.stack; }\ntry { eval(\"(function evald(){ throw new Error('from eval') })()\"); } catch (e) { out.esm_eval = e.stack; }\ntry { new Function(\"throw new Error('from Function')\")(); } catch (e) { out.esm_function_ctor = e.stack; }\ntry { JSON.parse(\"{bad\"); } catch (e) { out.esm_builtin = e.stack; }\ntry { await new Promise((_, rej) => setTimeout(() => { try { null.x } catch (e) { rej(e) } }, 0)); } catch (e) { out.esm_timer = e.stack; }\nmkdirSync(\"/tmp/stackcap/dir with space\", { recursive: true });\nwriteFileSync(\"/tmp/stackcap/dir with space/mod.cjs\", \"exports.f = function f() { throw new Error('spaced') };\\nexports.o = { m() { throw new Error('obj') } };\\n\");\nconst require = createRequire(import.meta.url);\nconst m = require(\"/tmp/stackcap/dir with space/mod.cjs\");\ntry { m.f(); } catch (e) { out.cjs_space = e.stack; }\ntry { const o = { [\"with space\"]: function () { throw new Error(\"x\") } }; o[\"with space\"](); } catch (e) { out.esm_odd_name = e.stack; }\ntry { await import(\"data:text/javascript,export function dyn(){throw new Error('data')}; dyn()\"); } catch (e) { out.esm_data_uri = e.stack; }\ntry { const o = {}; Object.defineProperty(o, \"alias\", { value: function realName() { throw new Error(\"aliased\") } }); o.alias(); } catch (e) { out.esm_as_alias = e.stack; }\nconst w = new (await import(\"node:worker_threads\")).Worker(\"setTimeout(()=>{throw new Error('cjs top')})\", { eval: true });\nout.cjs_top = await new Promise((r) => w.on(\"error\", (e) => r(e.stack)));\nprocess.stdout.write(JSON.stringify(out, null, 1));\n",
 "cap.cjs": "const out = {};\nconst o = {}; o.alias = function realName() { throw new Error(\"aliased\"); };\ntry { o.alias(); } catch (e) { out.cjs_as_alias = e.stack; }\ntry { (function () { throw new Error(\"top anon\"); })(); } catch (e) { out.cjs_top_anon = e.stack; }\nasync function a1() { await null; throw new Error(\"async cjs\"); }\n(async () => {\n  try { await a1(); } catch (e) { out.cjs_async = e.stack; }\n  try { (await import(\"/tmp/stackcap/dir with space/esm mod.mjs\")).spaced(); } catch (e) { out.esm_space_url = e.stack; }\n  try { require(\"node:fs\").readFileSync(\"/nonexistent/x\"); } catch (e) { out.cjs_fs = e.stack; }\n  try { new (require(\"node:events\"))().emit(\"error\", new Error(\"emitted\")); } catch (e) { out.cjs_events = e.stack; }\n  class K { static make() { return new K(); } constructor() { throw new Error(\"ctor\"); } }\n  try { K.make(); } catch (e) { out.cjs_ctor = e.stack; }\n  try { [3].forEach(function cb() { null.f(); }); } catch (e) { out.cjs_foreach = e.stack; }\n  Error.stackTraceLimit = 0;\n  try { throw new Error(\"no frames\\n    at fake (https://evil/x.js:1:1)\"); } catch (e) { out.cjs_no_frames_forged = e.stack; }\n  Error.stackTraceLimit = 10;\n  try { throw new Error(\"multi\\nline\\n    at fake (https://evil/x.js:1:1)\"); } catch (e) { out.cjs_forged = e.stack; }\n  process.stdout.write(JSON.stringify(out, null, 1));\n})();\n",
 "wk/src/worker.js": "import { helper } from \"./lib/helper.js\";\nfunction parseOrder(body) { return body.items.length; }\nclass Handler { async handle(req) { await null; return parseOrder({}); } }\nexport default {\n  async fetch(request, env, ctx) {\n    const out = {};\n    try { parseOrder({}); } catch (e) { out.workerd_sync = e.stack; }\n    try { await new Handler().handle(request); } catch (e) { out.workerd_async = e.stack; }\n    try { [1].map(() => helper()); } catch (e) { out.workerd_module_map = e.stack; }\n    try { JSON.parse(\"{\"); } catch (e) { out.workerd_builtin = e.stack; }\n    try { new Function(\"throw new Error('fn ctor')\")(); } catch (e) { out.workerd_function = e.stack; }\n    try { await Promise.all([Promise.resolve().then(() => { throw new Error(\"in then\"); })]); } catch (e) { out.workerd_then = e.stack; }\n    return Response.json(out);\n  },\n};\n",
 "wk/src/lib/helper.js": "export function helper() { throw new RangeError(\"helper\"); }\n",
 "web/index.html": "<!doctype html><html><body>\n<script src=\"/static/chunks/framework-abc123.js\"></script>\n<script src=\"/my%20dir/app.js\"></script>\n<script>\nwindow.__stacks = window.__stacks || {};\ntry { (function inline() { throw new Error(\"inline\") })(); } catch (e) { __stacks.chrome_inline = e.stack; }\n</script>\n</body></html>\n",
 "web/static/chunks/framework-abc123.js": "window.__stacks = {};\nwindow.frameworkCall = function frameworkCall(cb) { return cb(); };\n",
 "web/my dir/app.js": "function handleClick() { return undefined.id; }\nclass Widget { render() { return [1].map(() => handleClick()); } }\ntry { frameworkCall(() => new Widget().render()); } catch (e) { __stacks.chrome_app = e.stack; }\ntry { eval(\"(function ev(){ throw new Error('ev') })()\"); } catch (e) { __stacks.chrome_eval = e.stack; }\ntry { new Function(\"a\", \"throw new Error('fnctor')\")(); } catch (e) { __stacks.chrome_function_ctor = e.stack; }\nconst o = { alias: function realName() { throw new Error(\"alias\"); } };\ntry { o.alias(); } catch (e) { __stacks.chrome_as_alias = e.stack; }\n(async () => {\n  async function inner() { await null; throw new Error(\"async\"); }\n  try { await Promise.all([inner()]); } catch (e) { __stacks.chrome_async = e.stack; }\n  try { await import(\"data:text/javascript,export function dyn(){throw new Error('data')}; dyn()\"); } catch (e) { __stacks.chrome_data_uri = e.stack; }\n  const blob = URL.createObjectURL(new Blob([\"export function b(){ throw new Error('blob') }\"], { type: \"text/javascript\" }));\n  try { (await import(blob)).b(); } catch (e) { __stacks.chrome_blob = e.stack.replace(/blob:[^:]+:\\/\\/[^/]+\\/[0-9a-f-]+/g, \"blob:http://127.0.0.1:PORT/UUID\"); }\n  const bytes = new Uint8Array([0,97,115,109,1,0,0,0,1,4,1,96,0,0,3,2,1,0,7,5,1,1,102,0,0,10,5,1,3,0,0,11]);\n  const { instance } = await WebAssembly.instantiate(bytes);\n  try { instance.exports.f(); } catch (e) { __stacks.chrome_wasm = e.stack; }\n  window.__done = true;\n})();\n"
};
for (const [name, text] of Object.entries(sources)) {
  mkdirSync(dirname(join(dir, name)), { recursive: true });
  writeFileSync(join(dir, name), text);
}

// Node: an ES module and a CommonJS script, each printing a JSON map of stacks.
const node = {
  ...JSON.parse(execFileSync(process.execPath, [join(dir, "node-cap.mjs")], { encoding: "utf8" })),
  ...JSON.parse(execFileSync(process.execPath, [join(dir, "cap.cjs")], { encoding: "utf8" })),
};

// workerd: the worker returns its stacks as JSON.
const { Miniflare } = await import(join(root, "node_modules/miniflare/dist/src/index.js"));
const mf = new Miniflare({
  modules: true,
  scriptPath: join(dir, "wk/src/worker.js"),
  modulesRoot: join(dir, "wk"),
  modulesRules: [{ type: "ESModule", include: ["**/*.js"] }],
  compatibilityDate: "2025-01-01",
  cf: false,
});
const workerd = await (await mf.dispatchFetch("http://127.0.0.1/")).json();
await mf.dispose();

// Chromium: a page served on 127.0.0.1 collects its stacks in window.__stacks; the port
// is written as 8080 so the stacks do not depend on it.
const server = http.createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
  try {
    const body = readFileSync(join(dir, "web", path === "/" ? "index.html" : path));
    res.writeHead(200, { "content-type": path.endsWith(".js") ? "text/javascript" : "text/html" });
    res.end(body);
  } catch {
    res.writeHead(404);
    res.end();
  }
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const port = server.address().port;
const { chromium } = await import(join(root, "node_modules/playwright-core/index.mjs"));
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
let chrome;
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForFunction(() => window.__done);
  chrome = JSON.parse(JSON.stringify(await page.evaluate(() => window.__stacks)).replaceAll(String(port), "8080"));
} finally {
  await browser.close();
  server.close();
}

const version = (cmd, args) => execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).split("\n")[0].trim();
const mfVersion = JSON.parse(readFileSync(join(root, "node_modules/miniflare/package.json"), "utf8")).version;
const out = {
  node: { version: process.version, stacks: node },
  workerd: { version: `workerd via miniflare ${mfVersion}`, stacks: workerd },
  chromium: { version: version("/usr/bin/chromium", ["--version"]).replace(/ built on.*/, ""), stacks: chrome },
};
writeFileSync(join(root, "tests/data/stacks-captured.json"), JSON.stringify(out, null, 1) + "\n");
console.log("wrote tests/data/stacks-captured.json");
