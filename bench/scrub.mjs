#!/usr/bin/env node
/**
 * Scrubbing throughput: oxeye's PII scrubber natively (Rust, release build) and as wasm
 * under Node, against Sentry's server-side scrubbing (sentry-relay's Python
 * `pii_strip_event` with the default data-scrubbing config), all on the same seeded
 * corpus as tests/pii-conformance.test.mjs (sensitive + clean events).
 *
 *   npm run build && node bench/scrub.mjs [--rounds N]
 *
 * Writes bench/results/scrub.json and prints a table. The wasm figure is the marginal
 * cost of scrubbing inside `Core.capture` (the same events captured with the default
 * rules and with `scrub: false`; the difference is the scrubbing), so it is measured on
 * exactly the code path users run.
 */
import { execFileSync, execSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { cpus, homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cleanCorpus, sensitiveCorpus } from "../tests/helpers/pii-corpus.mjs";
import { ensureVenv, runProcess } from "../scripts/lib/python-env.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const argRounds = process.argv.indexOf("--rounds");
const rounds = argRounds > 0 ? Number(process.argv[argRounds + 1]) : 9;

const events = [...sensitiveCorpus(0x0ee1, 1200).map((c) => c.event), ...cleanCorpus(0xc1ea, 1000).map((c) => c.event)];
const bytes = events.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)), 0);
const dir = mkdtempSync(join(tmpdir(), "oxeye-scrub-"));
const corpusFile = join(dir, "corpus.json");
writeFileSync(corpusFile, JSON.stringify(events));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rate = (ms) => ({ median_ms: Math.round(ms * 1000) / 1000, events_per_s: Math.round(events.length / (ms / 1000)), mb_per_s: Math.round((bytes / 1e6 / (ms / 1000)) * 100) / 100 });

function native() {
  const env = { ...process.env, PATH: `${homedir()}/.cargo/bin:${process.env.PATH}` };
  const out = execFileSync("cargo", ["run", "--quiet", "--release", "--example", "scrub_bench", "--", corpusFile, String(rounds)], { cwd: root, env, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  return JSON.parse(out);
}

async function wasm() {
  const { initSync, Core } = await import("../dist/core/core.js");
  // The servers' wasm: the cores below run as Node's does.
  initSync({ module: readFileSync(join(root, "dist/core/wasm/oxeye_server_bg.wasm")) });
  // dedupe off: the corpus is captured again every round
  const make = (extra) => new Core(JSON.stringify({ dsn: "http://k@127.0.0.1:9/1", runtime: "node", dedupe: false, ...extra }));
  const on = make({});
  const off = make({ scrub: false });
  const random = new Uint8Array(on.randomBytes).fill(7);
  // The capture inputs as the shim sends them (the UTF-8 bytes of JSON text), made once outside the timing.
  const utf8 = new TextEncoder();
  const inputs = events.map((event, i) => utf8.encode(JSON.stringify({ eventId: (i + 1).toString(16).padStart(32, "0"), event, timestamp: 1.7e12 })));
  const pass = (core) => {
    const t = performance.now();
    for (const input of inputs) {
      // scopes: current 2, isolation 1, global 0 (the client's first scopes); Verdict.Send is 0
      if (core.capture(input, 2, 1, 0, 1.7e12, random, false) !== 0 || !core.envelope) throw new Error(`not captured: ${core.reason} ${core.detail}`);
    }
    return performance.now() - t;
  };
  pass(on);
  pass(off);
  const onMs = [];
  const offMs = [];
  for (let i = 0; i < rounds; i++) {
    onMs.push(pass(on));
    offMs.push(pass(off));
  }
  const marginal = median(onMs) - median(offMs);
  return { scrub: rate(marginal), capture_with_scrub: rate(median(onMs)), capture_without_scrub: rate(median(offMs)) };
}

async function relay() {
  const venv = await ensureVenv("relay");
  const r = await runProcess(join(venv, "bin", "python"), [join(root, "bench", "scrub_relay.py")], {
    input: JSON.stringify({ corpus: corpusFile, rounds }),
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1", RUST_BACKTRACE: "0" },
    timeoutMs: 600_000,
  });
  if (r.code !== 0) throw new Error(`scrub_relay.py failed: ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout);
}

try {
  const n = native();
  const w = await wasm();
  const r = await relay();
  const rustc = execSync(`${homedir()}/.cargo/bin/rustc --version`, { encoding: "utf8" }).trim();
  const result = {
    date: new Date().toISOString(),
    command: "npm run build && node bench/scrub.mjs",
    machine: { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version, rustc },
    corpus: { events: events.length, bytes, source: "tests/helpers/pii-corpus.mjs: sensitiveCorpus(0x0ee1, 1200) + cleanCorpus(0xc1ea, 1000)", rounds },
    oxeye_native: { scrub: n.scrub, json_in_json_out: n.json },
    oxeye_wasm_node: w,
    relay_python: { version: r.relay_version, pii_strip_event: r.strip },
  };
  mkdirSync(join(root, "bench", "results"), { recursive: true });
  writeFileSync(join(root, "bench", "results", "scrub.json"), JSON.stringify(result, null, 2) + "\n");
  const rows = [
    ["oxeye native: scrub_event", n.scrub],
    ["oxeye native: JSON in, JSON out", n.json],
    ["oxeye wasm in Node: scrubbing inside capture", w.scrub],
    ["oxeye wasm in Node: whole capture, scrubbed", w.capture_with_scrub],
    [`Relay ${r.relay_version} (Python pii_strip_event)`, r.strip],
  ];
  console.log(`corpus: ${events.length} events, ${(bytes / 1e6).toFixed(2)} MB; median of ${rounds} rounds`);
  console.log("| scrubber | events/s | MB/s | ms for the corpus |\n|---|---:|---:|---:|");
  for (const [name, s] of rows) console.log(`| ${name} | ${s.events_per_s.toLocaleString("en")} | ${s.mb_per_s} | ${s.median_ms} |`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
