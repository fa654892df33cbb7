/**
 * Scrubbing slot. Reference: sentry-relay's default data scrubbing (Sentry's own Rust
 * code, through its Python binding) on the workload's event, per event. oxeye's
 * on-device scrubbing is measured here as soon as the package exposes it.
 */
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

export async function runScrub({ runs = 5, iterations = 2000 } = {}) {
  const out = { relay: null, oxeye: { missing: "not yet built: oxeye has no on-device scrubbing in this build" } };
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
