/**
 * The demo: a local Bugsink (the embedded default receiver, data under .data/bugsink),
 * the www/ page served on 127.0.0.1, a small Python backend using Sentry's official SDK
 * (scripts/python/backend.py, reporting into the same Bugsink), and — with --headless —
 * Chromium clicking every button, a table of what Bugsink stored (with trace and request
 * ids), and the browser and backend events that share them.
 */
import { fileURLToPath } from "node:url";
import { startBackend } from "./lib/backend.mjs";
import { startBugsink } from "./lib/bugsink.mjs";
import { serveStatic } from "./lib/static-server.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const headless = process.argv.includes("--headless");
const BUTTONS = ["uncaught-type-error", "handled-error", "unhandled-rejection", "throw-string", "throw-object", "capture-message", "backend-error"];
// The backend-error button makes two events: the browser's and the backend's.
const EXPECTED = BUTTONS.length + 1;

const bugsink = await startBugsink({ dataDir: `${root}.data/bugsink` });
const backend = await startBackend({
  dsn: bugsink.dsn,
  port: headless ? 0 : Number(process.env.OXEYE_DEMO_BACKEND_PORT ?? 8081),
  release: "oxeye-demo-backend@1.0.0",
  environment: "demo",
});
const server = await serveStatic(root, {
  port: headless ? 0 : Number(process.env.OXEYE_DEMO_PORT ?? 8080),
  routes: {
    "/": (req, res) => res.writeHead(302, { location: "/www/index.html" }).end(),
    "/config.json": (req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ dsn: bugsink.dsn, bugsink: bugsink.url, backend: backend.url, projectId: bugsink.projectId }));
    },
  },
});

async function shutdown(code) {
  await server.close();
  await backend.stop();
  await bugsink.stop();
  process.exit(code);
}

console.log(`demo page:  ${server.url}/www/index.html`);
console.log(`Bugsink:    ${bugsink.url}  (login ${bugsink.login.user} / ${bugsink.login.password})`);
console.log(`DSN:        ${bugsink.dsn}`);
console.log(`backend:    ${backend.url}  (Python, sentry-sdk; GET /api/fail fails)`);

if (!headless) {
  console.log("Click the buttons, then open Bugsink to see the events. Ctrl-C stops everything.");
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));
} else {
  let code = 0;
  try {
    const { launchChromium } = await import("./lib/chromium.mjs");
    const before = new Set((await bugsink.api.allEvents()).map((e) => e.id));
    const chromium = await launchChromium();
    try {
      const page = await chromium.newPage();
      await page.goto(`${server.url}/www/index.html`);
      await page.waitForFunction(() => window.oxeyeDemoReady === true, null, { timeout: 10_000 });
      for (const id of BUTTONS) await page.click(`#${id}`);
      await page.evaluate(() => window.oxeyeClient.flush(5000));
    } finally {
      await chromium.close();
    }
    const all = await bugsink.api.waitForEvents((evs) => evs.filter((e) => !before.has(e.id)).length >= EXPECTED, { timeoutMs: 20_000 });
    const fresh = all.filter((e) => !before.has(e.id));
    const rows = fresh.map((e) => {
      const ex = e.data.exception?.values?.at(-1);
      const top = ex?.stacktrace?.frames?.at(-1);
      return {
        from: e.data.platform === "python" ? "backend" : "browser",
        type: ex?.type ?? "(message)",
        value: (ex?.value ?? e.data.logentry?.formatted ?? "").slice(0, 48),
        mechanism: ex ? `${ex.mechanism?.type} handled=${ex.mechanism?.handled}` : "",
        "top frame": top ? `${top.function ?? "?"} ${String(top.filename).replace(server.url, "")}:${top.lineno ?? ""}` : "",
        trace_id: e.data.contexts?.trace?.trace_id ?? "",
        request_id: e.data.tags?.request_id ?? "",
      };
    });
    console.log(`\nBugsink stored ${rows.length} event(s) from the demo page and its backend:`);
    console.table(rows);
    if (rows.length < EXPECTED) code = 1;
    // The failing backend call: one event from each side, found by the ids they share.
    const browserEv = fresh.find((e) => e.data.platform !== "python" && e.data.tags?.request_id);
    const backendEv = browserEv && fresh.find((e) => e.data.platform === "python" && e.data.tags?.request_id === browserEv.data.tags.request_id);
    if (!backendEv || backendEv.data.contexts?.trace?.trace_id !== browserEv.data.contexts?.trace?.trace_id) {
      console.error("demo: no browser and backend events sharing a trace id and a request id");
      code = 1;
    } else {
      const { trace_id } = browserEv.data.contexts.trace;
      const { request_id } = browserEv.data.tags;
      const search = (q) => `${bugsink.url}/issues/${bugsink.projectId}/?q=${encodeURIComponent(q)}`;
      console.log("\nThe failing backend call, seen from both sides:");
      console.log(`  trace_id   ${trace_id}   → ${search(`trace:${trace_id}`)}`);
      console.log(`  request_id ${request_id}   → ${search(`request_id:${request_id}`)}`);
      console.log(`  browser: ${browserEv.data.exception?.values?.at(-1)?.value}  (event ${browserEv.event_id})`);
      console.log(`  backend: ${backendEv.data.exception?.values?.at(-1)?.value}  (event ${backendEv.event_id})`);
    }
  } catch (e) {
    console.error(`demo failed: ${e?.stack ?? e}`);
    code = 1;
  }
  await shutdown(code);
}
