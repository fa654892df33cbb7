/**
 * Scrubbing slot: one event with things default scrubbing removes, per event.
 * - sentry-relay's default data scrubbing (Sentry's own Rust code, through its Python
 *   binding; JSON in and out);
 * - oxeye's on-device scrubbing, in the wasm core under Node: the marginal cost inside
 *   `Core.capture` (the event captured with the default rules and with `scrub: false`; the
 *   difference is the scrubbing), and the whole capture with scrubbing. `bench/scrub.mjs`
 *   does the same over a corpus of 2,200 events.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { ensureVenv, runProcess } from "../../scripts/lib/python-env.mjs";
import { breadcrumbs, EXTRA, TAGS, USER } from "./workload.mjs";

/** A realistic event with things default scrubbing removes (password, token, IP, card). */
export function scrubEvent() {
  return {
    event_id: "0123456789abcdef0123456789abcdef",
    timestamp: 1_700_000_000,
    platform: "javascript",
    level: "error",
    exception: {
      values: [
        {
          type: "Error",
          value: "checkout failed for order 7 (card 4242 4242 4242 4242, Bearer abc.def.ghi)",
          stacktrace: { frames: [{ filename: "https://shop.example/app.js", function: "priceOrder", lineno: 51, colno: 11 }] },
        },
      ],
    },
    tags: TAGS,
    extra: { ...EXTRA, password: "hunter2", api_key: "sk_live_123", note: "client at 203.0.113.9" },
    user: { ...USER, ip_address: "203.0.113.9" },
    breadcrumbs: { values: breadcrumbs() },
    request: { url: "https://shop.example/checkout?token=abc", headers: { Cookie: "session=xyz", Authorization: "Bearer abc" } },
  };
}

const distDir = fileURLToPath(new URL("../../dist/", import.meta.url));

/** oxeye's core on the event: µs per event, one mean per run, with and without scrubbing. */
async function oxeyeScrub(runs, iterations) {
  const { initSync, Core } = await import(join(distDir, "core/core.js"));
  // The servers' wasm: the cores below run as Node's does.
  initSync({ module: readFileSync(join(distDir, "core/wasm/oxeye_server_bg.wasm")) });
  // dedupe off: the same event is captured again and again.
  const make = (extra) => new Core(JSON.stringify({ dsn: "http://k@127.0.0.1:9/1", runtime: "node", dedupe: false, ...extra }));
  const on = make({});
  const off = make({ scrub: false });
  const random = new Uint8Array(on.randomBytes).fill(7);
  // The capture input as the shim sends it: the UTF-8 bytes of its JSON text.
  const input = new TextEncoder().encode(JSON.stringify({ eventId: "0123456789abcdef0123456789abcdef", event: scrubEvent(), timestamp: 1.7e12 }));
  const perEvent = (core, n) => {
    const t = performance.now();
    for (let i = 0; i < n; i++) {
      // scopes: current 2, isolation 1, global 0; Verdict.Send is 0
      if (core.capture(input, 2, 1, 0, 1.7e12, random, false) !== 0 || !core.envelope) throw new Error(`not captured: ${core.reason} ${core.detail}`);
    }
    return ((performance.now() - t) / n) * 1000;
  };
  perEvent(on, 200);
  perEvent(off, 200);
  const withScrub = [];
  const without = [];
  for (let r = 0; r < runs; r++) {
    withScrub.push(perEvent(on, iterations));
    without.push(perEvent(off, iterations));
  }
  const sent = new TextDecoder().decode(on.envelope);
  for (const secret of ["hunter2", "sk_live_123", "4242 4242 4242 4242", "abc.def.ghi", "203.0.113.9", "session=xyz"]) {
    if (sent.includes(secret)) throw new Error(`the scrubbed envelope still holds ${secret}`);
  }
  return { captureUs: withScrub, marginalUs: withScrub.map((w, i) => w - without[i]) };
}

export async function runScrub({ runs = 5, iterations = 2000 } = {}) {
  const out = { relay: null, oxeye: null };
  try {
    out.oxeye = await oxeyeScrub(runs, iterations);
  } catch (e) {
    out.oxeye = { error: String(e.message ?? e) };
  }
  try {
    const venv = await ensureVenv("relay");
    const r = await runProcess(join(venv, "bin", "python"), [fileURLToPath(new URL("./relay_scrub.py", import.meta.url))], {
      input: JSON.stringify({ event: scrubEvent(), runs, iterations }),
      timeoutMs: 120_000,
    });
    if (r.code !== 0) throw new Error(r.stderr.slice(-2000));
    out.relay = JSON.parse(r.stdout);
  } catch (e) {
    out.relay = { error: String(e.message ?? e) };
  }
  return out;
}
