// The README's size and speed claims are those of the benchmark report: the figures its
// "Out of the page's way" paragraph quotes (the loader's size, captureException's speed
// against @sentry/browser in Node and Chromium, the whole download against @sentry/browser,
// and the two wasm files) are read from BENCHMARKS.md's Targets and Size tables, which
// `npm run bench` writes from one run. A README left behind after a new run fails here.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const readme = readFileSync(`${root}README.md`, "utf8").replace(/\s+/g, " ");
const report = readFileSync(`${root}BENCHMARKS.md`, "utf8");

/** The cells of the report's table row whose first cell starts with `label`. */
function row(label) {
  const line = report.split("\n").find((l) => l.startsWith(`| ${label}`));
  assert.ok(line, `BENCHMARKS.md has a row "${label}"`);
  return line.split("|").slice(1, -1).map((c) => c.trim());
}

/** The one match of `re` in the README, its groups. */
function claim(re) {
  const m = readme.match(re);
  assert.ok(m, `the README says ${re}`);
  return m.slice(1);
}

test("the README quotes the benchmark report's figures", () => {
  const critical = row("critical-path JS (entry chunk)")[1].match(/^([\d.]+) KB vs/)[1];
  const total = Number(row("browser app total gzip")[1].match(/: ([\d.]+)×$/)[1]);
  const node = row("captureException events/s ≥ 3× @sentry/browser (Node)")[1];
  const chromium = row("captureException events/s ≥ 3× @sentry/browser (Chromium)")[1];
  const browserWasm = Number(row("oxeye (browser entry)").at(-1).replace(" KB", ""));
  const serverWasm = Number(row("oxeye (Workers entry)").at(-1).replace(" KB", ""));

  const [loader] = claim(/only a small loader \(([\d.]+) KB gzip\)/);
  const [inNode, inChromium] = claim(/A `captureException` runs ([\d.]+) \(Node\) (?:to|and) ([\d.]+) \(Chromium\) times/);
  const [download] = claim(/the whole download is ([\d.]+)× its size/);
  const [wasm, servers] = claim(/WebAssembly core \((\d+) KB gzip; servers load their own, (\d+) KB\)/);

  assert.equal(loader, critical, "the loader's size");
  assert.equal(`${inNode}×`, node, "captureException in Node");
  assert.equal(`${inChromium}×`, chromium, "captureException in Chromium");
  assert.equal(download, total.toFixed(1), "the whole download against @sentry/browser");
  assert.equal(Number(wasm), Math.round(browserWasm), "the browsers' wasm");
  assert.equal(Number(servers), Math.round(serverWasm), "the servers' wasm");
});
