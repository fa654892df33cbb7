/**
 * One digest of everything a build sends for a fixed, seeded workload: two builds that
 * write the same bytes print the same digest. For changes meant to keep the output
 * identical (size and speed work on the core), run it on the build before and after:
 *
 *   node bench/lib/envelope-digest.mjs <dist dir> [--count N] [--seed S] [--wasm browser|rules|server] [--at DIR]
 *
 * The workload runs in Node through `<dist>/entrypoints/node.js` with clients made by
 * `createClient` (several option sets, each a few hundred captures): exceptions with
 * causes, aggregates and stacks in V8, Gecko and Safari form, messages, whole events from
 * the PII corpus, scope data (tags, extras, contexts, user, breadcrumbs, fingerprints),
 * continued traces, debug ids, filters that drop events, events over the 1 MiB cap, and a
 * `beforeSend` that sees every event. Time and randomness are the harness's own (a clock
 * that moves only between captures, a seeded byte source), so the bytes depend on the
 * build alone. `--wasm` swaps in another of the build's wasm files, so the browsers' builds
 * are checked too. The digest is SHA-256 over every request body and every event
 * `beforeSend` saw, in order.
 *
 * The build runs from a copy at one fixed place (`--at`, by default `oxeye-digest` in the
 * system's temporary folder, replaced on each run): synthetic stacks (`captureMessage`,
 * thrown non-errors) hold frames of the SDK's own files, so the events name the folder the
 * build runs from, and two builds give the same digest only when run from the same path.
 * Runs that may overlap need an `--at` each (and the builds compared the same one).
 * `DIGEST_DEBUG=1` turns on the clients' `debug` log, to see why events were dropped.
 */
import { createHash } from "node:crypto";
import { cpSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { rng, ALNUM, HEX } from "../../tests/helpers/prng.mjs";
import { sensitiveCorpus, cleanCorpus } from "../../tests/helpers/pii-corpus.mjs";

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    count: { type: "string", default: "20000" },
    seed: { type: "string", default: "1" },
    wasm: { type: "string", default: "server" },
    at: { type: "string", default: join(tmpdir(), "oxeye-digest") },
  },
});
if (positionals.length !== 1) {
  console.error("usage: node bench/lib/envelope-digest.mjs <dist dir> [--count N] [--seed S] [--wasm browser|rules|server] [--at DIR]");
  process.exit(2);
}
const count = Number(args.count);
const seed = Number(args.seed);
const wasmFile = { browser: "oxeye_bg.wasm", rules: "oxeye_rules_bg.wasm", server: "oxeye_server_bg.wasm" }[args.wasm];
if (!wasmFile) throw new Error(`--wasm must be browser, rules or server, not ${args.wasm}`);

// The build, copied to the fixed place, with the chosen wasm standing in for the servers' one.
const source = resolve(positionals[0]);
const dist = resolve(args.at);
// The place is emptied first and removed at the end, so it and the build must not
// overlap (neither inside the other).
const inside = (a, b) => !relative(a, b).startsWith("..");
if (inside(dist, source) || inside(source, dist)) {
  console.error(`--at ${dist} overlaps the build at ${source}: give a folder outside it`);
  process.exit(2);
}
rmSync(dist, { recursive: true, force: true });
cpSync(source, dist, { recursive: true });
cpSync(join(source, "core/wasm", wasmFile), join(dist, "core/wasm/oxeye_server_bg.wasm"));

// The harness's clock and byte source.
let now = 1_780_000_000_000;
Date.now = () => now;
const bytes = rng(seed ^ 0x5eed);
Object.defineProperty(globalThis.crypto, "getRandomValues", {
  value: (a) => {
    const u8 = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    for (let i = 0; i < u8.length; i++) u8[i] = bytes.int(0, 255);
    return a;
  },
});
Math.random = () => 0.5;

const oxeye = await import(pathToFileURL(join(dist, "entrypoints/node.js")).href);
const r = rng(seed);
const hash = createHash("sha256");
let bodies = 0;
let seen = 0;

const words = ["alpha", "checkout", "render", "fetch", "parse", "user", "token", "card", "é", "日本", "\u0000", "\"q\"", "a\\b", "\n"];
const text = (n) => Array.from({ length: n }, () => r.pick(words)).join(r.pick([" ", "_", "/", ""]));
const secret = () =>
  r.pick([
    `4111 1111 1111 ${r.chars("0123456789", 4)}`,
    `jane.${r.chars(ALNUM, 5)}@example.com`,
    `Bearer ${r.chars(ALNUM, 32)}`,
    `https://user:${r.chars(ALNUM, 8)}@api.example.com/x?token=${r.chars(HEX, 16)}`,
    `password=${r.chars(ALNUM, 10)}`,
    `10.0.${r.int(0, 255)}.${r.int(0, 255)}`,
    `DE89 3704 0044 0532 0130 00`,
    `eyJhbGciOiJIUzI1NiJ9.${r.chars(ALNUM, 20)}.${r.chars(ALNUM, 20)}`,
    `sk_live_${r.chars(ALNUM, 24)}`,
    `078-05-1120`,
  ]);
const value = (depth = 0) => {
  const k = r.int(0, depth > 3 ? 4 : 7);
  if (k === 0) return r.int(-1e6, 1e6) / (r.chance(0.3) ? 7 : 1);
  if (k === 1) return r.chance(0.5);
  if (k === 2) return null;
  if (k === 3) return r.chance(0.4) ? secret() : text(r.int(0, 6));
  if (k === 4) return r.chance(0.05) ? "x".repeat(r.int(1000, 20000)) : text(2);
  if (k === 5) return Array.from({ length: r.int(0, 5) }, () => value(depth + 1));
  return Object.fromEntries(Array.from({ length: r.int(0, 5) }, () => [r.pick(["password", "api_key", "name", "Authorization", "x", "cookie", "card", "id", text(1)]), value(depth + 1)]));
};
const frames = {
  v8: () => `    at ${r.pick(["Object.<anonymous>", "async handler", "new Shop", "f", "<anonymous>"])} (${r.pick(["file:///app/src/a.js", "/app/node_modules/x/y.js", "node:internal/modules/cjs", "https://shop.example.com/_next/static/chunks/app.js", "webpack-internal:///./src/b.ts"])}:${r.int(1, 900)}:${r.int(1, 80)})`,
  gecko: () => `${r.pick(["render", "", "a/<", "Shop@"])}@${r.pick(["https://shop.example.com/app.js", "moz-extension://abc/x.js", "blob:https://x/y"])}:${r.int(1, 900)}:${r.int(1, 80)}`,
  safari: () => `${r.pick(["render", "global code", "eval code"])}@${r.pick(["https://shop.example.com/app.js", "[native code]"])}${r.chance(0.8) ? `:${r.int(1, 900)}:${r.int(1, 80)}` : ""}`,
};
function error(depth = 0) {
  const Kind = r.pick([Error, TypeError, RangeError, SyntaxError]);
  const e = r.chance(0.05) ? new AggregateError([error(depth + 1), error(depth + 1)], text(2)) : new Kind(r.chance(0.3) ? `${text(3)} ${secret()}` : text(r.int(0, 8)));
  const style = r.pick(["v8", "v8", "gecko", "safari", "none"]);
  if (style !== "none") {
    const lines = Array.from({ length: r.int(0, 25) }, frames[style]);
    e.stack = (style === "v8" ? [`${e.name}: ${e.message}`, ...lines] : lines).join("\n");
  }
  if (depth < 6 && r.chance(0.4)) e.cause = r.chance(0.8) ? error(depth + 1) : value(2);
  if (r.chance(0.1)) e.status = r.pick([404, 500, 429]);
  return e;
}
const optionSets = [
  {},
  { sendDefaultPii: true, maxBreadcrumbs: 30 },
  { scrub: { keys: ["order_ref"], safeKeys: ["id"], ip: true, email: "messages", values: [{ name: "shop_token", prefix: "shp_", chars: "A-Za-z0-9", minLength: 8 }] } },
  { scrub: false, dedupe: false },
  { ignoreErrors: ["checkout", /render/], denyUrls: ["moz-extension"], sampleRate: 0.7, maxLinkedErrors: 2 },
  { normalizeDepth: 1, ignoreHttpStatus: [[500, 599]], environment: "staging" },
];

const batch = 400;
const pii = sensitiveCorpus(seed, Math.ceil(count / 10)).map((x) => x.event);
const clean = cleanCorpus(seed, Math.ceil(count / 10)).map((x) => x.event);
let done = 0;
for (let round = 0; done < count; round++) {
  const options = optionSets[round % optionSets.length];
  const client = oxeye.createClient({
    dsn: `https://${r.chars(HEX, 32)}@o${r.int(1, 99)}.ingest.example.com/${r.int(1, 9999)}`,
    release: `shop@1.${round}.0`,
    transport: async (req) => {
      hash.update(req.url).update(req.body);
      bodies++;
      return { status: 200, headers: {} };
    },
    beforeSend: (event) => {
      hash.update(JSON.stringify(event));
      seen++;
      if (r.chance(0.05)) return null;
      if (r.chance(0.05)) event.tags = { ...event.tags, changed: "yes" };
      return event;
    },
    ...options,
    debug: !!process.env.DIGEST_DEBUG,
  });
  hash.update(String(client.dsnError ?? "") + String(client.scrubError ?? ""));
  // At most 40 captures between flushes: a client holds 64 events in `beforeSend` at once.
  const captures = async (scope) => {
    for (let i = 0; i < batch && done < count; i++, done++) {
      capture(client, scope);
      if (i % 40 === 39) await client.flush(5000);
    }
  };
  if (r.chance(0.5)) {
    const sentryTrace = r.chance(0.8) ? `${r.chars(HEX, 32)}-${r.chars(HEX, 16)}${r.pick(["", "-1", "-0"])}` : text(2);
    await client.continueTrace({ sentryTrace, baggage: `sentry-trace_id=${r.chars(HEX, 32)},sentry-release=x,sentry-sample_rand=0.${r.int(0, 999)},other=${text(1)}` }, captures);
  } else {
    await captures(client.getCurrentScope());
  }
  await client.flush(5000);
  await client.close(5000);
}

/** One capture of a generated kind, after generated changes to the scope. */
function capture(client, scope) {
  now += r.int(1, 5000);
  if (r.chance(0.2)) scope.setTag(r.pick(["route", "feature", text(1), "x".repeat(250)]), r.chance(0.2) ? secret() : text(1));
  if (r.chance(0.1)) scope.setExtra(r.pick(["payload", "password", text(1)]), value());
  if (r.chance(0.05)) scope.setContext(r.pick(["cart", "device", "app"]), value(1));
  if (r.chance(0.03)) scope.setUser(r.chance(0.8) ? { id: r.int(1, 1000), email: `u${r.int(1, 9)}@example.com`, ip_address: "{{auto}}" } : null);
  if (r.chance(0.5)) client.addBreadcrumb({ category: r.pick(["ui.click", "fetch", "console", "navigation"]), message: r.chance(0.3) ? secret() : text(3), level: r.pick(["info", "warning", "error"]), data: r.chance(0.4) ? value(1) : undefined });
  if (r.chance(0.02)) {
    globalThis._debugIds = { [`Error\n    at f (https://shop.example.com/app.js:${r.int(1, 9)}:1)`]: `${r.chars(HEX, 8)}-${r.chars(HEX, 4)}-4${r.chars(HEX, 3)}-8${r.chars(HEX, 3)}-${r.chars(HEX, 12)}` };
  }
  const kind = r.int(0, 19);
  const hint = r.chance(0.3) ? { tags: { step: text(1) }, level: r.pick(["fatal", "error", "warning"]), fingerprint: r.chance(0.3) ? ["{{ default }}", text(1)] : undefined, extra: r.chance(0.3) ? { big: "y".repeat(r.chance(0.01) ? 1_200_000 : 10) } : undefined } : undefined;
  if (kind < 11) client.captureException(r.chance(0.9) ? error() : value(1), hint);
  else if (kind < 14) client.captureMessage(r.chance(0.3) ? `${text(4)} ${secret()}` : text(4), r.pick([undefined, "info", "warning", "error"]));
  else if (kind < 17) client.captureEvent(structuredClone(r.pick(pii)));
  else client.captureEvent(structuredClone(r.pick(clean)));
  if (r.chance(0.1)) scope.clearBreadcrumbs();
}
rmSync(dist, { recursive: true, force: true });
console.log(`${hash.digest("hex").slice(0, 32)}  ${count} captures, ${bodies} requests, ${seen} events seen by beforeSend (${args.wasm} wasm, seed ${seed})`);
