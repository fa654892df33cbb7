/**
 * Turns one result file into BENCHMARKS.md (tables: medians, spread, ratios) and
 * bench/results/size.svg (hand-written SVG, no charting library). The size log and the
 * method notes are kept by hand in bench/size-log.md (current figures, the floor and the
 * index of its parts in bench/size-log/; all but the index is copied in) and bench/notes.md
 * (copied in).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { benchDir } from "./bundle.mjs";
import { bundleSizes } from "./bundle-size.mjs";
import { historySection } from "./history.mjs";
import { perRunRatios, summary } from "./stats.mjs";

const root = join(benchDir, "..");
const KB = (n) => (n == null ? "–" : `${(n / 1000).toFixed(1)} KB`);
const num = (n, d = 0) => (n == null || Number.isNaN(n) ? "–" : n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d }));
const ratio = (a, b) => (a == null || b == null || !b ? "–" : `${(a / b).toFixed(2)}×`);
const spread = (s, d = 0, unit = "") => (s.n ? `${num(s.median, d)}${unit} (${num(s.min, d)}–${num(s.max, d)}, n=${s.n})` : "–");
const MiB = (n) => (n == null ? "–" : (n / 2 ** 20).toFixed(1));

function table(head, rows) {
  return [`| ${head.join(" | ")} |`, `|${head.map((h, i) => (i ? "---:" : "---")).join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
}

function readOptional(file) {
  return existsSync(file) ? readFileSync(file, "utf8").trim() : "";
}

// ---------------------------------------------------------------- sizes

function sizeSection(sizes) {
  const out = [];
  for (const [group, title] of [
    ["browser", "Browser"],
    ["react", "React"],
    ["workers", "Cloudflare Workers"],
  ]) {
    const rows = sizes.filter((r) => r.group === group);
    const base = rows.find((r) => r.baseline);
    out.push(`**${title}** (ratios against ${base.label})\n`);
    out.push(
      table(
        ["bundle", "critical path gzip", "total raw", "total gzip", "total brotli", "critical / base", "total / base", "of which wasm (gzip)"],
        rows.map((r) =>
          r.missing
            ? [r.label, r.missing, "", "", "", "", "", ""]
            : [
                r.baseline ? `${r.label} (base)` : r.label,
                KB(r.critical.gzip),
                KB(r.total.raw),
                KB(r.total.gzip),
                KB(r.total.brotli),
                ratio(r.critical.gzip, base.critical.gzip),
                ratio(r.total.gzip, base.total.gzip),
                r.wasm ? KB(r.wasm.gzip) : "",
              ],
        ),
      ),
    );
    out.push("");
  }
  return out.join("\n");
}

export function sizeSvg(sizes) {
  const rows = sizes.filter((r) => !r.missing);
  const max = Math.max(...rows.map((r) => r.total.gzip));
  const W = 900;
  const labelW = 330;
  const barW = W - labelW - 160;
  const rowH = 26;
  const groups = ["browser", "react", "workers"];
  const titles = { browser: "Browser", react: "React", workers: "Cloudflare Workers (JS + wasm all load at start)" };
  let y = 58;
  const parts = [];
  for (const g of groups) {
    parts.push(`<text x="10" y="${y + 14}" class="g">${titles[g]}</text>`);
    y += 24;
    for (const r of sizes.filter((x) => x.group === g)) {
      const isOx = r.sdk === "oxeye";
      parts.push(`<text x="${labelW - 8}" y="${y + 16}" class="l" text-anchor="end">${esc(r.label)}</text>`);
      if (r.missing) {
        parts.push(`<text x="${labelW + 4}" y="${y + 16}" class="m">not yet built</text>`);
      } else {
        const wc = (r.critical.gzip / max) * barW;
        const wt = (r.total.gzip / max) * barW;
        parts.push(`<rect x="${labelW}" y="${y + 4}" width="${wt.toFixed(1)}" height="${rowH - 8}" class="${isOx ? "ot" : "pt"}"/>`);
        parts.push(`<rect x="${labelW}" y="${y + 4}" width="${wc.toFixed(1)}" height="${rowH - 8}" class="${isOx ? "oc" : "pc"}"/>`);
        const label = r.critical.gzip !== r.total.gzip ? `${KB(r.critical.gzip)} + ${KB(r.total.gzip - r.critical.gzip)}` : KB(r.total.gzip);
        parts.push(`<text x="${labelW + wt + 6}" y="${y + 16}" class="v">${label}</text>`);
      }
      y += rowH;
    }
    y += 8;
  }
  const H = y + 10;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, -apple-system, Segoe UI, sans-serif">
<style>
.t{font-size:15px;font-weight:600;fill:#212529}.s{font-size:11.5px;fill:#495057}.g{font-size:13px;font-weight:600;fill:#212529}
.l{font-size:12px;fill:#212529}.v{font-size:11.5px;fill:#212529}.m{font-size:11.5px;fill:#868e96;font-style:italic}
.oc{fill:#c2410c}.ot{fill:#fdba74}.pc{fill:#495057}.pt{fill:#ced4da}
</style>
<rect width="100%" height="100%" fill="#fff"/>
<text x="10" y="22" class="t">Bundle size, gzip -9 (esbuild --bundle --minify --format=esm --splitting)</text>
<text x="10" y="42" class="s">dark: critical path (JS that loads before the app runs) · light: loaded later (oxeye's wasm is fetched on first use)</text>
${parts.join("\n")}
</svg>
`;
}

function esc(s) {
  return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

// ---------------------------------------------------------------- throughput

function throughputRows(env, data) {
  const ox = data.oxeye;
  const se = data["@sentry/browser"];
  return ["exception", "message"].map((mode) => {
    const so = summary(ox[mode].map((r) => r.eventsPerSec));
    const ss = summary(se[mode].map((r) => r.eventsPerSec));
    const rr = perRunRatios(ox[mode], se[mode]);
    return [
      env,
      mode === "exception" ? "captureException" : "captureMessage",
      spread(so),
      spread(ss),
      `**${rr.median.toFixed(2)}×** (${rr.min.toFixed(2)}–${rr.max.toFixed(2)})`,
      `${num(summary(ox[mode].map((r) => r.bytesPerEvent)).median)} / ${num(summary(se[mode].map((r) => r.bytesPerEvent)).median)}`,
    ];
  });
}

// ---------------------------------------------------------------- cold start

function coldRows(byName) {
  const base = byName.none;
  const med = (xs, k) => summary(xs.map((x) => x[k])).median;
  return Object.entries(byName).map(([name, xs]) => {
    const s = (k, d = 1) => spread(summary(xs.map((x) => x[k])), d);
    const over = (k) => (name === "none" ? "" : `${num(med(xs, k) - med(base, k), 1)} ms`);
    const wasmEarly = xs.filter((x) => x.wasmBeforeLoad).length;
    return [
      name === "none" ? "no SDK (page baseline)" : name,
      name === "none" ? "" : s("startToInitMs"),
      name === "none" ? "" : s("startToFirstEnvelopeMs"),
      name === "none" ? "" : s("loadToFirstEnvelopeMs"),
      over("preLoadTaskMs"),
      over("preLoadScriptMs"),
      s("preLoadTbtMs", 0),
      over("taskDurationMs"),
      over("scriptDurationMs"),
      name === "oxeye" ? `${wasmEarly} of ${xs.length}` : "",
    ];
  });
}

// ---------------------------------------------------------------- memory

function memoryRows(memory) {
  const rows = [];
  for (const [name, runs] of Object.entries(memory)) {
    const marks = runs[0].checkpoints.map((c) => c.events);
    for (const [i, events] of marks.entries()) {
      const heap = summary(runs.map((r) => r.checkpoints[i]?.heapUsed));
      const wasm = summary(runs.map((r) => r.checkpoints[i]?.wasmMemory));
      rows.push([name, num(events), `${MiB(heap.median)} (${MiB(heap.min)}–${MiB(heap.max)})`, wasm.n ? MiB(wasm.median) : "no wasm"]);
    }
  }
  return rows;
}

function memoryGrowth(memory, name) {
  const runs = memory[name];
  if (!runs) return null;
  const at = (events, k) => summary(runs.map((r) => r.checkpoints.find((c) => c.events === events)?.[k])).median;
  const last = runs[0].checkpoints.at(-1).events;
  return { heap10k: at(10_000, "heapUsed"), heapLast: at(last, "heapUsed"), wasm10k: at(10_000, "wasmMemory"), wasmLast: at(last, "wasmMemory"), last };
}

// ---------------------------------------------------------------- workers

function workerRows(workers) {
  const names = Object.keys(workers.rounds[0]);
  const col = (name, k) => summary(workers.rounds.map((r) => r[name][k]));
  const base = col("no SDK", "plainMedianMs").median;
  return names.map((name) => {
    const plain = col(name, "plainMedianMs");
    const cap = col(name, "captureMedianMs");
    const del = col(name, "captureWithDeliveryMs");
    return [
      name,
      spread(plain, 2, " ms"),
      name === "no SDK" ? "" : `${num(plain.median - base, 2)} ms`,
      cap.n ? spread(cap, 2, " ms") : "",
      del.n ? spread(del, 2, " ms") : "",
    ];
  });
}

// ---------------------------------------------------------------- targets

function targets(result) {
  const rows = [];
  const verdict = (ok) => (ok ? "met" : "**not met**");
  const s = result.sizes;
  if (s) {
    const find = (id) => s.find((r) => r.id === id);
    const ox = find("oxeye-browser");
    const se = find("sentry-browser");
    const tr = ox.total.gzip / se.total.gzip;
    const cr = ox.critical.gzip / se.total.gzip;
    rows.push(["browser app total gzip (JS + wasm) ≤ 1.0× @sentry/browser (stretch 0.8×)", `${KB(ox.total.gzip)} vs ${KB(se.total.gzip)}: ${tr.toFixed(2)}×`, tr <= 0.8 ? "met (stretch too)" : verdict(tr <= 1)]);
    rows.push(["critical-path JS (entry chunk) ≤ 0.25× @sentry/browser's total", `${KB(ox.critical.gzip)} vs ${KB(se.total.gzip)}: ${cr.toFixed(2)}×`, verdict(cr <= 0.25)]);
    const ow = find("oxeye-workerd");
    const sc = find("sentry-cloudflare");
    if (ow?.total && sc?.total) {
      const wr = ow.total.gzip / sc.total.gzip;
      rows.push(["Workers app total gzip (JS + wasm) ≤ 0.6× @sentry/cloudflare", `${KB(ow.total.gzip)} vs ${KB(sc.total.gzip)}: ${wr.toFixed(2)}×`, verdict(wr <= 0.6)]);
    }
  }
  for (const [env, data] of [
    ["Node", result.node?.throughput],
    ["Chromium", result.chromium?.throughput],
  ]) {
    if (!data) continue;
    const r = perRunRatios(data.oxeye.exception, data["@sentry/browser"].exception).median;
    rows.push([`captureException events/s ≥ 3× @sentry/browser (${env})`, `${r.toFixed(2)}×`, verdict(r >= 3)]);
  }
  const cs = result.chromium?.coldStart;
  if (cs) {
    for (const [rate, by] of Object.entries(cs)) {
      const m = (name, k) => summary(by[name].map((x) => x[k])).median;
      if (by.oxeye?.[0]?.wasmBeforeLoad !== undefined) {
        const early = by.oxeye.filter((x) => x.wasmBeforeLoad).length;
        rows.push([`no .wasm fetched before the page's load event (${rate} CPU)`, `${early} of ${by.oxeye.length} runs fetched it before load`, verdict(early === 0)]);
        const base = (k) => m("none", k);
        const taskOx = m("oxeye", "preLoadTaskMs") - base("preLoadTaskMs");
        const taskSe = m("@sentry/browser", "preLoadTaskMs") - base("preLoadTaskMs");
        const scriptOx = m("oxeye", "preLoadScriptMs") - base("preLoadScriptMs");
        const scriptSe = m("@sentry/browser", "preLoadScriptMs") - base("preLoadScriptMs");
        rows.push([
          `before load (${rate} CPU): less main-thread task time and less script time than @sentry/browser (over the no-SDK page)`,
          `task ${num(taskOx, 1)} vs ${num(taskSe, 1)} ms / script ${num(scriptOx, 1)} vs ${num(scriptSe, 1)} ms`,
          verdict(taskOx < taskSe && scriptOx < scriptSe),
        ]);
      }
      rows.push([
        `time to the first event at the transport (${rate} CPU), reported, not a target`,
        `${num(m("oxeye", "startToFirstEnvelopeMs"), 1)} vs ${num(m("@sentry/browser", "startToFirstEnvelopeMs"), 1)} ms (oxeye waits for load by design)`,
        "–",
      ]);
    }
  }
  return table(["target (lean core)", "measured (oxeye vs peer, medians)", ""], rows);
}

// ---------------------------------------------------------------- budget

async function budgetSection() {
  const budget = JSON.parse(readFileSync(join(benchDir, "budget.json"), "utf8"));
  let now;
  try {
    now = await bundleSizes();
  } catch {
    now = null;
  }
  let toolchain = "unknown";
  try {
    toolchain = JSON.parse(readFileSync(join(root, "target/oxeye-wasm-build.json"), "utf8")).toolchain;
  } catch {}
  const which = toolchain.startsWith("nightly") ? "nightly" : "stable";
  const rows = [];
  for (const [key, label] of [
    ["browserCriticalJs", "browser critical-path JS"],
    ["browserTotal", "browser total (JS + wasm)"],
    ["browserRulesTotal", "browser total with a `scrub` object (JS + `oxeye_rules_bg.wasm`)"],
    ["workersTotal", "Workers total (JS + wasm)"],
  ]) {
    rows.push([label, num(budget.nightly[key]), num(budget.stable[key]), now ? `${num(now[key])} (${which})` : "–"]);
  }
  return table(["bundle (gzip -9 bytes)", "budget, nightly build", "budget, stable build", "this build"], rows);
}

// ---------------------------------------------------------------- document

export async function writeReport(result, file) {
  const v = result.versions;
  const m = result.machine;
  const doc = [];
  doc.push(`# Benchmarks: oxeye against the official SDKs

Generated by \`npm run bench\` (bench/run.mjs) from [\`${relative(root, file)}\`](${relative(root, file)}), which holds every
sample. Do not edit by hand: the size log and notes come from \`bench/size-log.md\` and
\`bench/notes.md\`. Each figure is a median with its spread (min–max over n runs).

- Run: ${result.date}${result.quick ? " (quick run: fewer, shorter samples)" : ""}, commit \`${(result.git.commit ?? "?").slice(0, 10)}\`${result.git.dirty ? " (with uncommitted changes)" : ""}, took ${(result.durationMs / 60_000).toFixed(1)} min.
- Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}. Load average ${m.loadAvgStart.map((x) => x.toFixed(1)).join(" / ")} at the start, ${m.loadAvgEnd?.map((x) => x.toFixed(1)).join(" / ") ?? "?"} at the end (the machine is shared: absolute figures are noisy; the SDKs are interleaved run by run, so ratios hold better).
- oxeye ${v.oxeye}, wasm core built with ${result.build.toolchain}${v["wasm-bindgen"] ? `, wasm-bindgen ${v["wasm-bindgen"]}` : " (hand-written boundary, no wasm-bindgen)"}, binaryen ${v.binaryen}.
- Peers (bench/package.json, exact pins): @sentry/browser ${v["@sentry/browser"]}, @sentry/react ${v["@sentry/react"]}, @sentry/cloudflare ${v["@sentry/cloudflare"]} (with @sentry/core ${v["@sentry/core"]}), toucan-js ${v["toucan-js"]} (bundles @sentry/core ${v["toucan-js > @sentry/core"]}), @bugsnag/js ${v["@bugsnag/js"]}; esbuild ${v.esbuild}, react ${v.react}.
- Runtimes: Chromium ${v.chromium ?? "?"} (Debian, headless), workerd ${v.workerd} through miniflare ${v.miniflare}. Weighing: ${v.gzip}, brotli ${v.brotli ?? "(not installed)"}.

![Bundle size: oxeye against the official SDKs](bench/results/size.svg)

## Targets
`);
  doc.push(targets(result));
  if (result.sizes) {
    doc.push(`
## Size

Minimal apps from \`bench/entries/\` (init + captureException; @sentry/react: init + ErrorBoundary, react
external; Workers: the SDK's fetch wrapper), each built with \`esbuild --bundle --minify --format=esm
--splitting --platform=browser --define:__SENTRY_DEBUG__=false\` (a module loaded with \`import()\` becomes its own
chunk, as in any app bundler; each chunk is weighed on its own); Workers bundles are one unsplit module and add
\`--conditions=workerd,worker,browser\` and leave \`*.wasm\`, \`node:*\`, \`cloudflare:*\` to the runtime.
Critical path: the JS that must load before the app runs. In browsers oxeye's wasm is fetched on first use
(captures made earlier are queued), so it is not on the critical path; in Workers the wasm is part of the
upload and is compiled when the isolate starts, so there critical path = total. KB = 1000 bytes.
`);
    doc.push(sizeSection(result.sizes));
  }
  if (result.node || result.chromium) {
    const missing = result.node?.throughput.oxeye.missing ?? result.chromium?.throughput.oxeye?.exception?.[0]?.missing ?? [];
    doc.push(`## Capture throughput

The whole pipeline, from the public capture call to an in-memory transport: a fresh \`Error\` whose
\`cause\` was thrown six calls deep, 30 breadcrumbs, 8 tags, nested extras (a cart), a user and a named context
(\`bench/lib/workload.mjs\`). Captures run in batches of 25, each awaited until the transport has it
(so asynchronous processing is counted and nothing is dropped), for ≥ ${result.settings.nodeMs} ms after a
1000-event warm-up; every run in a fresh process (Node) or page (Chromium), SDKs interleaved.
Both SDKs run \`init()\` with their defaults and get the same scope calls (\`setTags\`, \`setExtras\`,
\`setUser\`, \`setContext\`, 30 × \`addBreadcrumb\`) and an in-memory transport (@sentry/browser's built with its own
\`createTransport\`, so its envelope serialisation is included); @sentry/browser's \`sentry.event\`
breadcrumbs are turned off so each event carries exactly the 30 workload breadcrumbs; oxeye's events-per-minute budget for pages (\`maxEventsPerMinute\`, which @sentry/browser does not have) is turned off, and so are the lines of source around frames that oxeye's Node entry reads by default (\`contextLines\`), which @sentry/browser does not read: the row "with its default source lines" measures them (bigger events, the app's code in each).${missing.length ? ` **Not carried by oxeye yet: ${missing.join("; ")}**; the envelope-bytes column shows the difference in work.` : ""}

`);
    const rows = [];
    if (result.node) rows.push(...throughputRows("Node", result.node.throughput));
    const lines = result.node?.throughput["oxeye (source lines)"];
    if (lines) rows.push(...throughputRows("Node, oxeye with its default source lines", { oxeye: lines, "@sentry/browser": result.node.throughput["@sentry/browser"] }).slice(0, 1));
    if (result.chromium) rows.push(...throughputRows("Chromium", result.chromium.throughput));
    doc.push(table(["runtime", "call", "oxeye events/s", "@sentry/browser events/s", "oxeye / Sentry (per run)", "envelope bytes oxeye / Sentry"], rows));
    doc.push("");
  }
  if (result.chromium?.coldStart) {
    doc.push(`## Cold start in Chromium

A page whose only script is the SDK's minimal app (init with an in-memory transport, then one
captureException), loaded fresh with the cache disabled. "Start" is the first statement of the bundle
(an esbuild banner). oxeye loads its core (wasm and the rest of the shim) only after the page's \`load\`
event, so its first event reaches the transport later by design; that time is reported, not targeted.
"Before load" figures are CDP \`Performance.getMetrics\` TaskDuration / ScriptDuration read when the load
event fires, minus the same page with no SDK; "whole page" is read once the first event has arrived.
TBT before load: long tasks (PerformanceObserver) that started before load, beyond 50 ms, summed. The last
column counts runs in which a \`.wasm\` was requested before load. 4× is CDP CPU throttling, as Lighthouse
does for a mid-range phone.
`);
    for (const [rate, by] of Object.entries(result.chromium.coldStart)) {
      doc.push(`**CPU ${rate}**\n`);
      doc.push(table(["page", "start → init() returned", "start → first event at transport", "load → first event", "task time before load, over baseline", "script time before load, over baseline", "TBT before load", "task time, whole page, over baseline", "script time, whole page, over baseline", "runs with a .wasm requested before load"], coldRows(by)));
      doc.push("");
    }
  }
  if (result.memory) {
    const g = memoryGrowth(result.memory, "oxeye");
    const gs = memoryGrowth(result.memory, "@sentry/browser");
    doc.push(`## Memory

Node, \`--expose-gc\`, heap measured after two forced collections; the workload's captureException
${num(g?.last ?? gs?.last)} times in batches of 25, each delivered to the in-memory transport. wasm memory is oxeye's linear
memory (it never shrinks, so it shows the high-water mark).
`);
    doc.push(table(["SDK", "captures", "JS heap used, MiB (min–max)", "wasm memory, MiB"], memoryRows(result.memory)));
    if (g) {
      doc.push(`
Growth from 10,000 to ${num(g.last)} captures: oxeye JS heap ${num((g.heapLast - g.heap10k) / 1024, 0)} KiB, wasm memory ${num((g.wasmLast - g.wasm10k) / 1024, 0)} KiB${gs ? `; @sentry/browser JS heap ${num((gs.heapLast - gs.heap10k) / 1024, 0)} KiB` : ""}.
`);
    }
  }
  if (result.workers) {
    doc.push(`## Cloudflare Workers: per-request overhead

workerd ${v.workerd} through miniflare (offline, outbound limited to loopback, \`nodejs_compat\`), one
isolate per worker, warmed up. \`/\` returns "ok" under the SDK's wrapper with nothing captured;
\`/capture\` also captures one exception (a new message each time) that the SDK delivers through
\`ctx.waitUntil\` to a local sink. Latency is measured from Node (\`dispatchFetch\`), so every figure includes
the same loopback round trip; "incl. delivery" is wall time per request until the sink has every envelope.
Median of ${result.workers.rounds.length} rounds, each the median of ${result.workers.requests} sequential requests.
`);
    doc.push(table(["worker", "`/` latency", "overhead vs no SDK", "`/capture` latency", "`/capture` incl. delivery"], workerRows(result.workers)));
    doc.push("");
  }
  if (result.scrub) {
    const r = result.scrub.relay;
    const o = result.scrub.oxeye;
    doc.push(`## Scrubbing

One event with a password, API key, card number, Bearer token, cookie and IP
(\`bench/lib/scrub-bench.mjs\`). Reference: sentry-relay ${r?.relayVersion ?? ""} \`pii_strip_event\` with Sentry's
default data-scrubbing config, through relay's Python binding (JSON in and out included). oxeye: its wasm core in
Node with the default rules; the scrubbing is the difference between the capture with them and with
\`scrub: false\`, and the whole capture (the event read, built, scrubbed and written as an envelope) is shown
too. The envelope is checked to hold none of the secrets. \`node bench/scrub.mjs\` measures the same over a
corpus of 2,200 events.
`);
    doc.push(
      table(
        ["scrubber", "per event"],
        [
          ["sentry-relay, server side", r?.perEventUs ? spread(summary(r.perEventUs), 0, " µs") : `failed: ${r?.error ?? "?"}`],
          ...(o?.marginalUs
            ? [
                ["oxeye, on device: scrubbing inside the capture", spread(summary(o.marginalUs), 1, " µs")],
                ["oxeye, on device: the whole capture, scrubbed", spread(summary(o.captureUs), 1, " µs")],
              ]
            : [["oxeye, on device", `failed: ${o?.error ?? o?.missing ?? "?"}`]]),
        ],
      ),
    );
    doc.push("");
  }
  doc.push(historySection(join(benchDir, "results")));
  doc.push("");
  doc.push(`## Size budget

\`npm test\` runs \`tests/size-budget.test.mjs\`, which bundles oxeye as the size table above does
(\`bench/entries/oxeye-browser.js\` and \`oxeye-workerd.js\`, esbuild minified, split for browsers;
\`bench/lib/bundle-size.mjs\`), weighs each chunk and the wasm with \`gzip -9 -n\`, and fails when a
figure exceeds \`bench/budget.json\`. The budget is the size at the time it was set plus 1%
(rounded up to 100 bytes), with one set of figures per toolchain because the stable fallback build
is larger. Raising it is a deliberate commit that says why.
`);
  doc.push(await budgetSection());
  // The size log's current figures and floor (links made relative to the root); its list of
  // parts, one per round, is bench/size-log/README.md, linked, so this page stays short.
  const log = readOptional(join(benchDir, "size-log.md"));
  if (log) {
    const cut = log.indexOf("\n### The parts");
    const head = cut < 0 ? log : `${log.slice(0, cut)}\n\nEvery change, round by round, with its bytes: the parts listed in [bench/size-log/README.md](bench/size-log/README.md).`;
    doc.push(`\n${head.replace(/\]\(size-log\//g, "](bench/size-log/")}\n`);
  }
  const notes = readOptional(join(benchDir, "notes.md"));
  if (notes) doc.push(`\n${notes}\n`);
  writeFileSync(join(root, "BENCHMARKS.md"), doc.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd() + "\n");
  if (result.sizes) writeFileSync(join(benchDir, "results", "size.svg"), sizeSvg(result.sizes));
}
