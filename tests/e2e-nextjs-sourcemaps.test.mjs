// Source maps for a Next.js production build, end to end: the Next fixture is built
// (Turbopack) with `productionBrowserSourceMaps`, `sentry-cli sourcemaps inject` writes
// debug ids into `.next`, `sentry-cli sourcemaps upload` sends the maps to the test's
// Bugsink, and a render crash in Chromium is stored with frames Bugsink resolves to
// app/crash-button.tsx at the crashing line.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../scripts/lib/chromium.mjs";
import { buildNextApp, prepareNextApp, startNextApp } from "../scripts/lib/next-app.mjs";
import { ensureFixtureDeps } from "../scripts/lib/fixture-deps.mjs";
import { freshBugsink } from "./helpers/real.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
let bugsink, app, nextApp, chromium, cli;

function sentryCli(args, env = {}) {
  const r = spawnSync(cli, args, {
    cwd: app.dir,
    encoding: "utf8",
    timeout: 180_000,
    env: { ...process.env, HOME: app.dir, SENTRY_DISABLE_UPDATE_CHECK: "1", ...env },
  });
  assert.equal(r.status, 0, `sentry-cli ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

before(async () => {
  const deps = await ensureFixtureDeps("sourcemaps", join(root, "tests", "fixtures", "sourcemaps"));
  cli = join(deps, "node_modules", ".bin", "sentry-cli");
  [bugsink, app] = await Promise.all([freshBugsink(), prepareNextApp()]);
  // This run's private copy of the fixture gets browser source maps, as the docs say.
  writeFileSync(join(app.dir, "next.config.mjs"), "const nextConfig = { poweredByHeader: false, productionBrowserSourceMaps: true };\nexport default nextConfig;\n");
  const env = { NEXT_PUBLIC_SENTRY_DSN: bugsink.dsn, NEXT_PUBLIC_SENTRY_RELEASE: "next-sourcemaps@1" };
  const [built] = await Promise.all([buildNextApp(app.dir, env), launchChromium().then((c) => (chromium = c))]);
  console.log(`# next build ${built.ms} ms`);
  sentryCli(["sourcemaps", "inject", ".next"]);
  sentryCli(["--url", bugsink.url, "sourcemaps", "--org", "bugsinkhasnoorgs", "--project", "oxeye", "upload", ".next/static"], { SENTRY_AUTH_TOKEN: bugsink.token });
  nextApp = await startNextApp(app.dir, env);
});

after(async () => {
  await nextApp?.stop();
  await chromium?.close();
  await bugsink?.stop();
  app?.remove();
});

test("Next.js (Turbopack): a client render crash resolves to app/crash-button.tsx in Bugsink", async () => {
  const page = await chromium.newPage();
  await page.goto(`${nextApp.url}/`);
  await page.waitForSelector('#break[data-ready="yes"]', { timeout: 15_000 });
  await page.click("#break");
  await page.waitForFunction(() => /^[0-9a-f]{32}$/.test(document.querySelector("#reported")?.textContent ?? ""), null, { timeout: 10_000 });
  const id = await page.textContent("#reported");
  const events = await bugsink.api.waitForEvents((evs) => evs.some((e) => e.event_id.replaceAll("-", "") === id));
  const stored = events.find((e) => e.event_id.replaceAll("-", "") === id);
  const event = await bugsink.api.event(stored.id);
  const images = event.data.debug_meta?.images ?? [];
  assert.ok(images.length > 0 && images.every((i) => i.type === "sourcemap" && /\/_next\/static\/chunks\//.test(i.code_file)), JSON.stringify(images));
  const source = readFileSync(join(root, "tests", "fixtures", "next-app", "app", "crash-button.tsx"), "utf8").split("\n");
  const line = 1 + source.findIndex((l) => l.includes("items!.length"));
  const headers = event.stacktrace_md.split("\n").filter((l) => l.startsWith("### "));
  console.log(`# Bugsink's frames: ${headers.slice(0, 3).join(" | ")}`);
  assert.ok(headers.some((h) => h.includes(`crash-button.tsx:${line}`)), `no frame at crash-button.tsx:${line}:\n${event.stacktrace_md}`);
  await page.close();
});
