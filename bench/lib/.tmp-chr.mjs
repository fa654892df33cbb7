import { runChromium } from "./chromium-bench.mjs";
const runs = +(process.argv[2] ?? 5);
const out = await runChromium({ throughputRuns: runs, throughputMs: 1500, coldRuns: 0, throttles: [] });
const med = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
for (const [name, modes] of Object.entries(out.throughput)) {
  for (const [mode, rs] of Object.entries(modes)) console.log(name, mode, rs.map((r) => Math.round(r.eventsPerSec)).join(" "), "median", Math.round(med(rs.map((r) => r.eventsPerSec))));
}
const ox = out.throughput.oxeye.exception.map((r) => r.eventsPerSec), sb = out.throughput["@sentry/browser"].exception.map((r) => r.eventsPerSec);
console.log("per-run ratios", ox.map((x, i) => (x / sb[i]).toFixed(2)).join(" "), "median", med(ox.map((x, i) => x / sb[i])).toFixed(2));
