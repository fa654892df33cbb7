// The hostile-value matrix in Chromium: the values and API rows of the Node matrix
// (tests/helpers/hostile-worker.mjs), run in a page through oxeye's browser entry. The
// Node-only 4 MiB Buffer becomes an 8 MiB Uint8Array, and one browser row is added:
// `console.log(v)`, which oxeye turns into a breadcrumb.
//
// A row: a fresh client whose transport keeps every envelope in the page, one call of the
// API with the value, then `flush`, RUNS times. It passes when nothing is thrown into the
// page (synchronously, as a rejection, or uncaught), the call and its flush take under
// 50 ms (median; on a machine so loaded that the same API with a plain value takes over
// 2.5 ms, 20 times that instead), every envelope parses and is under 1 MiB, and the row's
// one capture was sent or counted in a client report. Each value runs in its own page; a
// row that does not answer within ROW_DEADLINE_MS is a hang and the value's next rows get
// a fresh page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../scripts/lib/chromium.mjs";
import { serveStatic } from "../scripts/lib/static-server.mjs";
import { checkEnvelopes } from "./helpers/hostile-check.mjs";
import { readFileSync } from "node:fs";

/**
 * VALUES, APIS and RUNS of the Node matrix's helper, read without running it as a worker
 * or loading the Node entry: its imports and process hooks are left out (the API rows
 * only name `oxeye`, which is the browser entry once they run in the page).
 */
async function nodeMatrix() {
  const helper = new URL("./helpers/hostile-worker.mjs", import.meta.url);
  const source = readFileSync(helper, "utf8")
    .replace(/^import [^;]*;$/gm, "")
    .replace(/^process\.on\(.*$/gm, "")
    .replace(/^if \(parentPort && workerData\) \{[\s\S]*$/m, "");
  return import(`data:text/javascript;base64,${Buffer.from(`const oxeye = undefined;\n${source}`).toString("base64")}`);
}
const { APIS, RUNS, VALUES } = await nodeMatrix();

const BUDGET_MS = 50;
const BASELINE_FACTOR = 20;
const ROW_DEADLINE_MS = 20_000;

/** The values as source text for the page. */
const PAGE_VALUES = Object.entries(VALUES).map(([name, make]) =>
  name === "4 MiB Buffer" ? ["8 MiB Uint8Array", "() => new Uint8Array(8 << 20).fill(7)"] : [name, make.toString()],
);
/** The API rows as source text (`oxeye` is the browser entry in the page), plus console.log. */
const PAGE_APIS = [
  ...APIS.map(([name, call, options]) => [name, call.toString(), options?.toString()]),
  ["console.log(v) breadcrumb", '(v) => (console.log("logged", v), oxeye.captureMessage("probe"))', undefined],
];

const root = fileURLToPath(new URL("..", import.meta.url));
let site, chromium;

/** A page with oxeye loaded; `window.hostileRow(...)` runs one row there. */
async function freshPage() {
  const page = await chromium.newPage();
  const escaped = [];
  page.on("pageerror", (e) => escaped.push(`uncaught ${e.name}: ${e.message}`));
  await page.goto(`${site.url}/www/blank.html`);
  await page.evaluate(async () => {
    // Chromium's own console is kept out of the timing: oxeye wraps this no-op.
    console.log = () => {};
    window.oxeye = await import("oxeye");
    window.escaped = [];
    window.addEventListener("error", (e) => window.escaped.push(`uncaught ${e.error?.name}: ${e.message}`));
    window.addEventListener("unhandledrejection", (e) => window.escaped.push(`unhandled rejection ${e.reason?.name}: ${e.reason?.message}`));
  });
  return { page, escaped };
}

/** Runs in the page: one row, RUNS times; envelopes come back as text (or their size when too large). */
async function pageRow({ makeSrc, callSrc, optionsSrc, runs }) {
  const oxeye = window.oxeye;
  const make = new Function(`return (${makeSrc})`)();
  const call = new Function("oxeye", `return (${callSrc})`)(oxeye);
  const extraOptions = optionsSrc ? new Function(`return (${optionsSrc})`)() : undefined;
  const dec = new TextDecoder();
  const out = { times: [], problems: [], bodies: [] };
  const problem = (p) => out.problems.includes(p) || out.problems.push(p);
  for (let i = 0; i < runs; i++) {
    for (const get of [oxeye.getCurrentScope, oxeye.getIsolationScope, oxeye.getGlobalScope]) {
      try {
        get().clear();
      } catch (e) {
        problem(`scope clear threw ${e?.name}: ${e?.message}`);
      }
    }
    const value = make();
    const bodies = [];
    const transport = async (req) => (bodies.push(req.body.slice()), { status: 200, headers: {} });
    try {
      const client = oxeye.init({ dsn: "http://hostilekey@127.0.0.1:9/1", transport, offline: false, ...(extraOptions ? extraOptions(value) : {}) });
      await client.ready;
    } catch (e) {
      problem(`init threw ${e?.name}: ${e?.message}`);
    }
    const started = performance.now();
    try {
      const r = call(value);
      if (r && typeof r.then === "function") await r;
    } catch (e) {
      problem(`threw ${e?.name}: ${e?.message}`);
    }
    try {
      await oxeye.flush(15000);
    } catch (e) {
      problem(`flush threw ${e?.name}: ${e?.message}`);
    }
    out.times.push(performance.now() - started);
    try {
      await oxeye.close(0);
    } catch (e) {
      problem(`close threw ${e?.name}: ${e?.message}`);
    }
    out.bodies.push(bodies.map((b) => (b.byteLength >= 1024 * 1024 ? b.byteLength : dec.decode(b))));
    if (out.times.at(-1) > 1000) break; // hopelessly slow: one sample says enough
  }
  for (const e of window.escaped.splice(0)) problem(e);
  return out;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Checks one run's envelopes: each parses and is under 1 MiB; the one capture is sent or counted. */
function checkRun(bodies, problems) {
  checkEnvelopes(bodies.map((b) => (typeof b === "number" ? b : Buffer.from(b))), problems);
}

/** All rows of one value; a page per value (a new one after a hang). */
async function runValue(makeSrc) {
  const results = [];
  let current = await freshPage();
  for (const [, callSrc, optionsSrc] of PAGE_APIS) {
    let timer;
    const deadline = new Promise((resolve) => (timer = setTimeout(() => resolve("hang"), ROW_DEADLINE_MS)));
    let r;
    try {
      r = await Promise.race([current.page.evaluate(pageRow, { makeSrc, callSrc, optionsSrc, runs: RUNS }), deadline]);
    } catch (e) {
      r = { problems: [`the page failed: ${e.message.split("\n")[0]}`], times: [Infinity], bodies: [] };
    }
    clearTimeout(timer);
    if (r === "hang") r = { problems: [`no answer within ${ROW_DEADLINE_MS} ms (hang)`], times: [Infinity], bodies: [] };
    const problems = [...r.problems, ...current.escaped.splice(0)];
    for (const bodies of r.bodies) checkRun(bodies, problems);
    results.push({ ms: median(r.times), problems: [...new Set(problems)] });
    if (!Number.isFinite(results.at(-1).ms)) {
      await current.page.close().catch(() => {});
      current = await freshPage();
    }
  }
  await current.page.close().catch(() => {});
  return results;
}

// The rows run before the tests are declared (one test per row, as in the Node matrix).
site = await serveStatic(root);
chromium = await launchChromium();
const rows = [];
let baseline = [];
try {
  for (const [valueName, makeSrc] of PAGE_VALUES) {
    const results = await runValue(makeSrc);
    if (valueName === "plain") baseline = results.map((r) => r.ms);
    results.forEach((r, i) => {
      const limit = Math.max(BUDGET_MS, BASELINE_FACTOR * (Number.isFinite(baseline[i]) ? baseline[i] : 0));
      rows.push({ ...r, name: `${valueName} × ${PAGE_APIS[i][0]}`, limit });
    });
  }
} finally {
  await chromium.close();
  await site.close();
}

for (const row of rows) {
  test(`Chromium: ${row.name}`, (t) => {
    t.diagnostic(`median ${row.ms.toFixed(1)} ms (bound ${row.limit.toFixed(0)} ms)`);
    assert.deepEqual(row.problems, [], "no exception, valid envelopes under 1 MiB, nothing lost uncounted");
    assert.ok(row.ms < row.limit, `median ${row.ms.toFixed(1)} ms for the call and its flush (bound ${row.limit.toFixed(0)} ms)`);
  });
}
