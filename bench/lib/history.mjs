/**
 * The "History" section of BENCHMARKS.md: one row per full run kept in bench/results/, oldest
 * first, with the figures the lean-core targets are judged by (bundle totals against their
 * peers, captureException against @sentry/browser). Quick runs, runs of one part only and runs
 * with uncommitted changes to the code are left out, so every row can be rebuilt from its commit.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { perRunRatios } from "./stats.mjs";

const RESULT_FILE = /^\d{4}-\d{2}-\d{2}-[0-9a-f]+\.json$/;

/** The totals of one SDK's bundle in a result's size table, or undefined. */
function total(result, id) {
  return result.sizes?.find((r) => r.id === id)?.total?.gzip;
}

/** Median over runs of oxeye's captureException events/s divided by @sentry/browser's, run by run. */
function captureRatio(throughput) {
  const ox = throughput?.oxeye?.exception;
  const se = throughput?.["@sentry/browser"]?.exception;
  return ox?.length && se?.length ? perRunRatios(ox, se).median : undefined;
}

/** The rows of the history, oldest first: [date, commit, file, browser, workers, node, chromium]. */
export function historyRows(resultsDir) {
  const rows = [];
  for (const name of readdirSync(resultsDir)) {
    if (!RESULT_FILE.test(name)) continue;
    const result = JSON.parse(readFileSync(join(resultsDir, name), "utf8"));
    if (result.quick || result.git?.dirty) continue;
    const ratioOf = (ox, peer) => {
      const a = total(result, ox);
      const b = total(result, peer);
      return a && b ? [a, a / b] : undefined;
    };
    rows.push({
      date: result.date,
      commit: (result.git?.commit ?? "?").slice(0, 8),
      file: name,
      browser: ratioOf("oxeye-browser", "sentry-browser"),
      workers: ratioOf("oxeye-workerd", "sentry-cloudflare"),
      node: captureRatio(result.node?.throughput),
      chromium: captureRatio(result.chromium?.throughput),
    });
  }
  return rows.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** The section as Markdown: one row per run, named by its result file (`<date>-<commit>`, without `.json`). */
export function historySection(resultsDir) {
  const rows = historyRows(resultsDir);
  if (!rows.length) return "";
  const size = (x) => (x ? `${(x[0] / 1000).toFixed(1)} KB = ${x[1].toFixed(2)}×` : "–");
  const times = (x) => (x == null ? "–" : `${x.toFixed(2)}×`);
  const lines = [
    "## History",
    "",
    `Every full run kept in \`bench/results/\` (${rows.length}), oldest first: the bundle totals (JS + wasm, gzip) against`,
    "@sentry/browser and @sentry/cloudflare, and captureException events/s against @sentry/browser (median of the",
    "per-run ratios). Sizes are exact; the speed medians are not: the machine is shared and small, and two runs",
    "of the same code have differed by up to 0.8×.",
    "",
    "| run (`bench/results/<run>.json`) | browser app | Workers app | captureException, Node | captureException, Chromium |",
    "|---|---:|---:|---:|---:|",
  ];
  for (const r of rows) {
    lines.push(`| \`${r.file.replace(/\.json$/, "")}\` | ${size(r.browser)} | ${size(r.workers)} | ${times(r.node)} | ${times(r.chromium)} |`);
  }
  return lines.join("\n");
}
