// One wasm per runtime family: the browsers' `oxeye_bg.wasm` (cargo features
// `runtime-browser,wasm-images`) and the servers' `oxeye_server_bg.wasm`
// (`runtime-server,wasm-images,scrub-rules`; Node, edge, Workers). Each leaves out the session exports
// of the other family, each runtime's loader references its own file, a page's V8 stack
// reads the same in both, and only the servers' wasm cleans up Node and Workers frames the
// way Sentry's Node SDK does (a page's wasm reads every V8 stack as its browser SDK does).
// Browsers have a second file, `oxeye_rules_bg.wasm` (`scrub-rules` added), the only
// browser build that reads a `scrub` object; otherwise the two send the same bytes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { OxeyeClient } from "../dist/api/client.js";
import { startEngine } from "../dist/api/engine.js";
import { parseEnvelope } from "./helpers/envelope.mjs";
import { linkedLoad } from "./helpers/fake-core.mjs";

const wasmUrl = (name) => new URL(`../dist/core/wasm/${name}`, import.meta.url);
const BROWSER = "oxeye_bg.wasm";
const SERVER = "oxeye_server_bg.wasm";
const RULES = "oxeye_rules_bg.wasm";
const functionsOf = (name) =>
  new Set(WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(wasmUrl(name)))).filter((e) => e.kind === "function").map((e) => e.name));

const PAGE_VIEWS = ["startSession", "endSession", "takeSessionEnvelope"];
const REQUEST_AGGREGATES = ["recordRequestSession", "takeSessionAggregates"];

test("the browsers' wasm has page-view sessions and no request aggregates; the servers' the reverse; the rest is shared", () => {
  const browser = functionsOf(BROWSER);
  const server = functionsOf(SERVER);
  for (const name of PAGE_VIEWS) {
    assert.ok(browser.has(name), `${BROWSER} exports ${name}`);
    assert.ok(!server.has(name), `${SERVER} leaves out ${name}`);
  }
  for (const name of REQUEST_AGGREGATES) {
    assert.ok(server.has(name), `${SERVER} exports ${name}`);
    assert.ok(!browser.has(name), `${BROWSER} leaves out ${name}`);
  }
  const own = new Set([...PAGE_VIEWS, ...REQUEST_AGGREGATES]);
  assert.deepEqual([...browser].filter((n) => !own.has(n)).sort(), [...server].filter((n) => !own.has(n)).sort());
  assert.ok(browser.size > 30, `${browser.size} functions exported`);
  assert.deepEqual([...functionsOf(RULES)].sort(), [...browser].sort(), `${RULES} exports what ${BROWSER} does`);
});

test("each runtime's loader references its own wasm file, and the package exports each", () => {
  const dist = (path) => readFileSync(new URL(`../dist/${path}`, import.meta.url), "utf8");
  const own = {
    "core/load-web.js": BROWSER, // and RULES, below
    "core/core.js": BROWSER, // the glue's default URL, for a bare `init()` in a page
    "core/load-node.js": SERVER,
    "core/load-edge.js": SERVER,
    "core/load-workerd.js": SERVER,
  };
  for (const [file, wasm] of Object.entries(own)) {
    const text = dist(file);
    const other = wasm === BROWSER ? SERVER : BROWSER;
    assert.ok(text.includes(`./wasm/${wasm}`), `${file} loads ${wasm}`);
    assert.ok(!text.includes(`./wasm/${other}`), `${file} never loads ${other}`);
  }
  assert.ok(dist("core/load-web.js").includes(`./wasm/${RULES}`), `core/load-web.js loads ${RULES}`);
  for (const file of ["core/load-node.js", "core/load-edge.js", "core/load-workerd.js", "core/core.js"]) assert.ok(!dist(file).includes(RULES), `${file} never loads ${RULES}`);
  // Node's fallback when a bundler moved the entry: the package's export of the servers' file.
  assert.match(dist("node/wasm.js"), /"oxeye\/oxeye-server\.wasm"/);
  const exports = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).exports;
  assert.equal(exports["./oxeye.wasm"], `./dist/core/wasm/${BROWSER}`);
  assert.equal(exports["./oxeye-server.wasm"], `./dist/core/wasm/${SERVER}`);
  assert.equal(exports["./oxeye-rules.wasm"], `./dist/core/wasm/${RULES}`);
});

// V8 stacks as Node, Workers and the edge runtime write them (and the forms V8 lines take
// inside other text), and one as a page in Chromium writes it.
const V8_STACKS = [
  [
    "TypeError: Cannot read properties of undefined (reading 'id')",
    "    at handler (/srv/app/src/routes/pay.js:42:17)",
    "    at async Promise.all (index 0)",
    "    at new Checkout (file:///srv/app/src/my%20checkout.mjs:7:11)",
    "    at Object.<anonymous> (/srv/app/index.js:3:1)",
    "    at Module._compile (node:internal/modules/cjs/loader:1554:14)",
    "    at eval (eval at run (/srv/app/src/vm.js:2:3), <anonymous>:1:1)",
    "    at /srv/app/node_modules/express/lib/router/layer.js:95:5",
    "    at process.processTicksAndRejections (node:internal/process/task_queues:105:5)",
    "    at C:\\app\\src\\win%20dir\\main.js:1:2",
  ],
  [
    "Error: from a Worker",
    "    at Object.fetch (index.js:12:11)",
    "    at worker.js:5:3",
    "    at async jsonError (.wrangler/tmp/bundle-abc/middleware-loader.entry.ts:41:10)",
    "    at wasm://wasm/5b1c0e2a:wasm-function[12]:0x3f0",
    "    at <anonymous>",
  ],
  [
    "Error: from the edge",
    "    at middleware (webpack-internal:///(middleware)/./middleware.ts:5:11)",
    "    at (webpack-internal:///(middleware)/./node_modules/next/dist/esm/server/web/adapter.js:9:20)",
    "    at Array.map (<anonymous>)",
    "    [1] at numbered (/srv/app/x.js:1:2)",
  ],
];
const PAGE_STACK = [
  "TypeError: Cannot read properties of null (reading 'total')",
  "    at Cart.render (https://shop.example/assets/cart-3f2a.js:1:2045)",
  "    at async checkout (https://shop.example/assets/app-9c1d.js:1:88)",
  "    at HTMLButtonElement.<anonymous> (https://shop.example/assets/app-9c1d.js:1:412)",
  "    at https://cdn.example/vendor/node_modules/react-dom/index.js:3:77",
  "    at https://shop.example/assets/webpack/bootstrap:4:5",
  "    at <anonymous>:1:1",
];
// Frames only pages write: Next.js client chunks and a browser extension.
const PAGE_ONLY_STACK = [
  "TypeError: x is undefined",
  "    at https://shop.example/_next/static/chunks/framework-2b3c.js:1:5",
  "    at https://shop.example/_next/static/chunks/app/cart/page-77aa.js:1:9",
  "    at https://shop.example/_next/static/chunks/4410-8d2e.js:1:7",
  "    at chrome-extension://abcdefgh/content.js:2:3",
];

async function exceptionsWith(wasm, stacks) {
  // A glue instance of its own per wasm (the query gives a separate module).
  const glue = await import(`../dist/core/core.js?wasm=${wasm}`);
  glue.initSync({ module: readFileSync(wasmUrl(wasm)) });
  const requests = [];
  const platform = { runtime: "node", loadCore: () => glue.Core, load: linkedLoad(startEngine) };
  const transport = async (r) => (requests.push(r), { status: 200, headers: {} });
  const client = new OxeyeClient({ dsn: "http://k@127.0.0.1:9/1", transport }, platform);
  for (const lines of stacks) {
    const error = new Error(lines[0].slice(lines[0].indexOf(": ") + 2));
    error.stack = lines.join("\n");
    client.captureException(error);
  }
  assert.equal(await client.flush(5000), true);
  await client.close(1000);
  return requests.flatMap((r) => parseEnvelope(r.body).items.filter((i) => i.headers.type === "event").map((i) => i.json.exception));
}

const framesOf = (exception) => exception.values[0].stacktrace?.frames ?? [];

test("a page's V8 stack reads the same in both wasm files", async () => {
  const [server] = await exceptionsWith(SERVER, [PAGE_STACK]);
  const [browser] = await exceptionsWith(BROWSER, [PAGE_STACK]);
  assert.equal(framesOf(server).length, 6);
  assert.deepEqual(browser, server);
  assert.equal(framesOf(browser).at(-1).filename, "https://shop.example/assets/cart-3f2a.js");
  // Oldest frame first: the engine's and a bundler's frames and a dependency are not the app's.
  assert.deepEqual(
    framesOf(browser).map((f) => f.in_app),
    [false, false, false, true, true, true],
  );
});

test("the in-app rules for frames only pages write are the browsers' wasm's", async () => {
  const [server] = await exceptionsWith(SERVER, [PAGE_ONLY_STACK]);
  const [browser] = await exceptionsWith(BROWSER, [PAGE_ONLY_STACK]);
  // Oldest first: an extension's frame; Next's shared chunk and its route chunk the
  // app's (as any bundle is), its runtime chunk not.
  assert.deepEqual(framesOf(browser).map((f) => f.in_app), [false, true, true, false]);
  // The same frames in the servers' wasm, which never sees them and has no rule for them.
  assert.deepEqual(framesOf(server).map((f) => [f.filename, f.lineno]), framesOf(browser).map((f) => [f.filename, f.lineno]));
  assert.deepEqual(framesOf(server).map((f) => f.in_app), [true, true, true, true]);
});

test("Node, Workers and edge stacks: the servers' wasm cleans them up as Sentry's Node SDK does; the browsers' wasm reads them as its browser SDK does", async () => {
  const server = await exceptionsWith(SERVER, V8_STACKS);
  const browser = await exceptionsWith(BROWSER, V8_STACKS);
  assert.equal(server.length, V8_STACKS.length);
  assert.deepEqual(server.map((e) => framesOf(e).length > 0), V8_STACKS.map(() => true));
  // Same frames, lines and columns in both; only the names differ.
  assert.deepEqual(browser.map((e) => framesOf(e).map((f) => [f.lineno, f.colno])), server.map((e) => framesOf(e).map((f) => [f.lineno, f.colno])));
  const node = framesOf(server[0]);
  const page = framesOf(browser[0]);
  const at = (frames, line) => frames.find((f) => f.lineno === line);
  assert.equal(at(node, 7).filename, "/srv/app/src/my checkout.mjs", "file:// stripped, escapes decoded");
  assert.equal(at(page, 7).filename, "file:///srv/app/src/my%20checkout.mjs", "kept as the browser wrote it");
  assert.equal(at(node, 3).function, "Object.?");
  assert.equal(at(page, 3).function, "Object.<anonymous>");
  // wrangler's middleware is the servers' wasm's to recognise: browsers never run it.
  assert.equal(at(framesOf(server[1]), 41).in_app, false);
  assert.equal(at(framesOf(browser[1]), 41).in_app, true);
});

/** The events `act` captures through a client of `wasm` made with `options` (and the client). */
async function eventsWith(wasm, options, act) {
  const glue = await import(`../dist/core/core.js?wasm=${wasm}&scrub=${Math.random()}`);
  glue.initSync({ module: readFileSync(wasmUrl(wasm)) });
  const requests = [];
  const platform = { runtime: "node", loadCore: () => glue.Core, load: linkedLoad(startEngine) };
  const transport = async (r) => (requests.push(r), { status: 200, headers: {} });
  const client = new OxeyeClient({ dsn: "http://k@127.0.0.1:9/1", transport, ...options }, platform);
  act(client);
  await client.flush(5000);
  const disabled = client.disabledReason;
  await client.close(1000);
  return { disabled, events: requests.flatMap((r) => parseEnvelope(r.body).items.filter((i) => i.headers.type === "event").map((i) => i.json)) };
}

/** Captures that meet every default rule: keys, values in text, a URL, user and request data. */
function captureSecrets(client) {
  client.setUser({ id: "u-1", email: "ada@example.com", ip_address: "203.0.113.9" });
  client.setExtras({ password: "hunter2", tenant_ref: "acme-42", card: "4111 1111 1111 1111", note: "mail ada@example.com from 10.0.0.1" });
  client.setTag("order", "ORD-123456");
  client.addBreadcrumb({ category: "fetch", data: { url: "https://api.example/pay?token=abc123&page=2" } });
  const error = new Error("order ORD-123456 failed for ada@example.com, Bearer abc.def.ghi");
  error.stack = [`Error: ${error.message}`, ...PAGE_STACK.slice(1)].join("\n");
  client.captureException(error, { event_id: "a".repeat(32) });
  client.captureMessage("DE89 3704 0044 0532 0130 00 and 078-05-1120", { event_id: "b".repeat(32) });
}

/** What may differ between two runs: ids and times. */
const RUN_FIELDS = new Set(["event_id", "timestamp", "start_timestamp", "trace_id", "span_id", "sid", "started"]);
const stable = (e) => JSON.parse(JSON.stringify(e, (k, v) => (RUN_FIELDS.has(k) ? undefined : v)));

test("without a `scrub` object the browsers' two wasm files send the same bytes", async () => {
  for (const scrub of [undefined, true, false]) {
    const options = scrub === undefined ? {} : { scrub };
    const lean = await eventsWith(BROWSER, options, captureSecrets);
    const rules = await eventsWith(RULES, options, captureSecrets);
    assert.equal(lean.disabled, undefined);
    assert.equal(lean.events.length, 2, `scrub: ${scrub}`);
    assert.deepEqual(lean.events.map(stable), rules.events.map(stable), `scrub: ${scrub}`);
  }
});

test("only oxeye_rules_bg.wasm reads a `scrub` object; oxeye_bg.wasm refuses one and sends nothing", async () => {
  const scrub = { keys: ["tenant_ref"], safeKeys: ["password"], values: [{ name: "order", prefix: "ORD-", chars: "0-9", minLength: 4 }], email: false };
  const rules = await eventsWith(RULES, { scrub }, captureSecrets);
  assert.equal(rules.disabled, undefined);
  const [ev] = rules.events;
  assert.equal(ev.extra.tenant_ref, "[Filtered]");
  assert.equal(ev.extra.password, "hunter2", "a safe key");
  assert.equal(ev.tags.order, "[Filtered]");
  assert.match(ev.exception.values[0].value, /ada@example\.com/, "email: false");
  const lean = await eventsWith(BROWSER, { scrub }, captureSecrets);
  assert.deepEqual(lean.events, []);
  assert.match(lean.disabled ?? "", /scrub/);
});
