// The History table of BENCHMARKS.md (bench/lib/history.mjs): which runs of bench/results/
// it lists, in what order and with what figures, on result files written here; and that
// the committed report lists every full run that bench/results/ holds.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { historyRows, historySection } from "../bench/lib/history.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));

/** A result file's contents with the fields the history reads. */
function result({ date, commit, quick = false, dirty = false, browser = 90_000, workers = 80_000, node = [3, 4, 5], chromium }) {
  const runs = (ratios) => ({
    oxeye: { exception: ratios.map((r) => ({ eventsPerSec: 1000 * r })) },
    "@sentry/browser": { exception: ratios.map(() => ({ eventsPerSec: 1000 })) },
  });
  return {
    date,
    quick,
    git: { commit, dirty },
    sizes: [
      { id: "oxeye-browser", total: { gzip: browser } },
      { id: "sentry-browser", total: { gzip: 30_000 } },
      { id: "oxeye-workerd", total: { gzip: workers } },
      { id: "sentry-cloudflare", total: { gzip: 80_000 } },
    ],
    node: { throughput: runs(node) },
    ...(chromium ? { chromium: { throughput: runs(chromium) } } : {}),
  };
}

test("the history lists full runs of committed code, oldest first, with their ratios", () => {
  const dir = mkdtempSync(join(tmpdir(), "oxeye-history-"));
  try {
    const write = (name, r) => writeFileSync(join(dir, name), JSON.stringify(r));
    write("2026-01-02-bbbbbbbb.json", result({ date: "2026-01-02T10:00:00.000Z", commit: "bbbbbbbb11", browser: 60_000, chromium: [2, 2.5] }));
    write("2026-01-01-aaaaaaaa.json", result({ date: "2026-01-01T09:30:00.000Z", commit: "aaaaaaaa22" }));
    write("2026-01-03-cccccccc.json", result({ date: "2026-01-03T08:00:00.000Z", commit: "cccccccc33", dirty: true }));
    write("2026-01-04-dddddddd.json", result({ date: "2026-01-04T08:00:00.000Z", commit: "dddddddd44", quick: true }));
    write("2026-01-05-eeeeeeee-node.json", result({ date: "2026-01-05T08:00:00.000Z", commit: "eeeeeeee55" }));
    write("scrub.json", { relay: {} });

    const rows = historyRows(dir);
    assert.deepEqual(
      rows.map((r) => [r.commit, r.file]),
      [
        ["aaaaaaaa", "2026-01-01-aaaaaaaa.json"],
        ["bbbbbbbb", "2026-01-02-bbbbbbbb.json"],
      ],
    );
    assert.deepEqual(rows[0].browser, [90_000, 3]);
    assert.deepEqual(rows[0].workers, [80_000, 1]);
    assert.equal(rows[0].node, 4);
    assert.equal(rows[0].chromium, undefined);
    assert.deepEqual(rows[1].browser, [60_000, 2]);
    assert.equal(rows[1].chromium, 2.25);

    const md = historySection(dir);
    assert.match(md, /^## History\n/);
    assert.ok(md.includes("| `2026-01-01-aaaaaaaa` | 90.0 KB = 3.00× | 80.0 KB = 1.00× | 4.00× | – |"), md);
    assert.ok(md.includes("| `2026-01-02-bbbbbbbb` | 60.0 KB = 2.00× | 80.0 KB = 1.00× | 4.00× | 2.25× |"), md);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("BENCHMARKS.md's History table lists every full run in bench/results/", () => {
  const report = readFileSync(join(root, "BENCHMARKS.md"), "utf8");
  const listed = [...report.matchAll(/^\| `(\d{4}-\d{2}-\d{2}-[0-9a-f]+)` \|/gm)].map((m) => `${m[1]}.json`);
  const kept = historyRows(join(root, "bench/results")).map((r) => r.file);
  assert.ok(kept.length > 0);
  assert.deepEqual(listed, kept, "run `node bench/run.mjs --report-only` after adding a result");
});
