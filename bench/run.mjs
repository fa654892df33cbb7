#!/usr/bin/env node
/**
 * `npm run bench` (through scripts/bench.sh, which builds oxeye and installs the pinned
 * peers first): measures oxeye against the official SDKs side by side in one run, writes
 * bench/results/<date>-<commit>.json with every sample, then regenerates BENCHMARKS.md
 * and bench/results/size.svg from it.
 *
 *   node bench/run.mjs                  everything (about 10 minutes on 2 cores)
 *   node bench/run.mjs --quick          fewer and shorter runs, for a smoke test
 *   node bench/run.mjs --only=sizes,workers
 *   node bench/run.mjs --report-only    regenerate BENCHMARKS.md from the newest result
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { benchDir } from "./lib/bundle.mjs";
import { writeReport } from "./lib/report.mjs";

const root = join(benchDir, "..");
const resultsDir = join(benchDir, "results");
const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const opt = (name) => args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];

const ALL = ["sizes", "node", "chromium", "memory", "workers", "scrub"];
const only = opt("only") ? opt("only").split(",") : ALL;
const quick = flag("quick");

// Nine throughput runs per runtime: on a shared 2-core machine single runs' ratios spread
// by ±30%, and the targets are judged on the median of the per-run ratios.
const SETTINGS = quick
  ? { nodeRuns: 2, nodeMs: 500, chromiumRuns: 2, chromiumMs: 500, coldRuns: 3, memoryRuns: 1, memoryEvents: 10_000, workerRounds: 2, workerRequests: 30, scrubRuns: 3 }
  : { nodeRuns: 9, nodeMs: 1500, chromiumRuns: 9, chromiumMs: 1500, coldRuns: 15, memoryRuns: 2, memoryEvents: 100_000, workerRounds: 5, workerRequests: 100, scrubRuns: 5 };

const t0 = Date.now();
const log = (m) => console.log(`bench: [${((Date.now() - t0) / 1000).toFixed(0).padStart(3)} s] ${m}`);

function sh(cmd, a) {
  try {
    return execFileSync(cmd, a, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
}

function pkgVersion(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).version;
  } catch {
    return null;
  }
}

/** The whole run made last, by the time it records (file names sort by day, then by commit hash). */
function newestResult() {
  if (!existsSync(resultsDir)) return null;
  let newest = null;
  for (const f of readdirSync(resultsDir).filter((f) => /^\d{4}-\d{2}-\d{2}-.*\.json$/.test(f))) {
    const file = join(resultsDir, f);
    let r;
    try {
      r = JSON.parse(readFileSync(file, "utf8"));
    } catch {
      continue;
    }
    if (!r.sizes || !r.chromium) continue; // a partial run (`--only`) regenerates nothing
    if (!newest || String(r.date) > newest.date) newest = { file, date: String(r.date) };
  }
  return newest?.file ?? null;
}

if (flag("report-only")) {
  const file = newestResult();
  if (!file) throw new Error("no result in bench/results yet: run npm run bench");
  await writeReport(JSON.parse(readFileSync(file, "utf8")), file);
  log(`BENCHMARKS.md regenerated from ${file}`);
  process.exit(0);
}

if (!existsSync(join(root, "dist/entrypoints/browser.js"))) throw new Error("dist/ is missing: run npm run build (scripts/bench.sh does)");

const peers = ["@sentry/browser", "@sentry/react", "@sentry/cloudflare", "@sentry/core", "toucan-js", "@bugsnag/js", "esbuild", "react", "react-dom"];
const result = {
  name: null,
  date: new Date().toISOString(),
  quick,
  settings: SETTINGS,
  git: {
    commit: sh("git", ["-C", root, "rev-parse", "HEAD"]),
    branch: sh("git", ["-C", root, "rev-parse", "--abbrev-ref", "HEAD"]),
    dirty: (sh("git", ["-C", root, "status", "--porcelain", "--", "src", "js", "Cargo.toml", "Cargo.lock", "scripts/build.sh"]) ?? "") !== "",
  },
  machine: {
    cpu: os.cpus()[0]?.model,
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    loadAvgStart: os.loadavg(),
  },
  build: (() => {
    try {
      return JSON.parse(readFileSync(join(root, "target/oxeye-wasm-build.json"), "utf8"));
    } catch {
      return { toolchain: "unknown" };
    }
  })(),
  versions: {
    oxeye: pkgVersion(root),
    ...Object.fromEntries(peers.map((p) => [p, pkgVersion(join(benchDir, "node_modules", p))])),
    "toucan-js > @sentry/core": pkgVersion(join(benchDir, "node_modules/toucan-js/node_modules/@sentry/core")),
    miniflare: pkgVersion(join(root, "node_modules/miniflare")),
    workerd: pkgVersion(join(root, "node_modules/workerd")),
    binaryen: pkgVersion(join(root, "node_modules/binaryen")),
    gzip: sh("gzip", ["--version"])?.split("\n")[0] ?? null,
    brotli: sh("brotli", ["--version"]),
    chromium: null,
  },
};

function nodeChild(adapter, task, arg) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ["--expose-gc", join(benchDir, "lib/node-capture.mjs"), adapter, task, String(arg)], {
      cwd: benchDir,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (err += d));
    const timer = setTimeout(() => p.kill("SIGKILL"), 10 * 60_000);
    p.on("close", (code) => {
      clearTimeout(timer);
      const line = out.split("\n").find((l) => l.startsWith("RESULT "));
      if (code === 0 && line) resolve(JSON.parse(line.slice(7)));
      else reject(new Error(`${adapter} ${task} failed (exit ${code}): ${err.slice(-1500)}`));
    });
  });
}

const NODE_SDKS = [
  ["oxeye", "oxeye"],
  ["@sentry/browser", "sentry-browser"],
];
/** Throughput only: oxeye with the Node entry's default source lines (the rows above compare the same job). */
const NODE_THROUGHPUT = [...NODE_SDKS, ["oxeye (source lines)", "oxeye-source-lines"]];

if (only.includes("sizes")) {
  const { measureSizes } = await import("./lib/sizes.mjs");
  result.sizes = await measureSizes();
  log("sizes measured");
}

if (only.includes("node")) {
  result.node = { throughput: {} };
  for (let run = 0; run < SETTINGS.nodeRuns; run++) {
    // Interleaved, so drift in machine load hits every SDK alike.
    for (const [name, adapter] of NODE_THROUGHPUT) {
      const r = await nodeChild(adapter, "throughput", SETTINGS.nodeMs);
      const slot = (result.node.throughput[name] ??= { exception: [], message: [], missing: r.missing });
      slot.exception.push(r.exception);
      slot.message.push(r.message);
      log(`node throughput ${name} run ${run + 1}: exception ${Math.round(r.exception.eventsPerSec)}/s, message ${Math.round(r.message.eventsPerSec)}/s`);
    }
  }
}

if (only.includes("chromium")) {
  const { runChromium } = await import("./lib/chromium-bench.mjs");
  result.chromium = await runChromium({
    throughputRuns: SETTINGS.chromiumRuns,
    throughputMs: SETTINGS.chromiumMs,
    coldRuns: SETTINGS.coldRuns,
    onProgress: log,
  });
  result.versions.chromium = result.chromium.chromiumVersion;
}

if (only.includes("memory")) {
  result.memory = {};
  for (let run = 0; run < SETTINGS.memoryRuns; run++) {
    for (const [name, adapter] of NODE_SDKS) {
      const r = await nodeChild(adapter, "memory", SETTINGS.memoryEvents);
      (result.memory[name] ??= []).push(r);
      const last = r.checkpoints.at(-1);
      log(`memory ${name} run ${run + 1}: ${last.events} captures in ${(r.ms / 1000).toFixed(1)} s, heap ${(last.heapUsed / 2 ** 20).toFixed(1)} MiB`);
    }
  }
}

if (only.includes("workers")) {
  const { runWorkers } = await import("./lib/workers-bench.mjs");
  result.workers = await runWorkers({ rounds: SETTINGS.workerRounds, requests: SETTINGS.workerRequests, onProgress: log });
}

if (only.includes("scrub")) {
  const { runScrub } = await import("./lib/scrub-bench.mjs");
  result.scrub = await runScrub({ runs: SETTINGS.scrubRuns });
  log("scrubbing reference measured");
}

result.machine.loadAvgEnd = os.loadavg();
result.durationMs = Date.now() - t0;
const day = result.date.slice(0, 10);
result.name = `${day}-${(result.git.commit ?? "nogit").slice(0, 8)}${quick ? "-quick" : ""}${only.length < ALL.length ? `-${only.join("+")}` : ""}`;
mkdirSync(resultsDir, { recursive: true });
const file = join(resultsDir, `${result.name}.json`);
writeFileSync(file, JSON.stringify(result, null, 1) + "\n");
log(`wrote ${file}`);
if (only.length === ALL.length) {
  await writeReport(result, file);
  log("BENCHMARKS.md and bench/results/size.svg regenerated");
} else {
  log("partial run: BENCHMARKS.md left as it is");
}
log(`done in ${((Date.now() - t0) / 60_000).toFixed(1)} min`);
