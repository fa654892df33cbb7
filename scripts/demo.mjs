/**
 * The demo: a local Bugsink (the embedded default receiver, data under .data/bugsink),
 * the www/ page served on 127.0.0.1, and — with --headless — Chromium clicking every
 * button and a table of what Bugsink stored.
 */
import { fileURLToPath } from "node:url";
import { startBugsink } from "./lib/bugsink.mjs";
import { serveStatic } from "./lib/static-server.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const headless = process.argv.includes("--headless");
const BUTTONS = ["uncaught-type-error", "handled-error", "unhandled-rejection", "throw-string", "throw-object", "capture-message"];

const bugsink = await startBugsink({ dataDir: `${root}.data/bugsink` });
const server = await serveStatic(root, {
  port: headless ? 0 : Number(process.env.OXEYE_DEMO_PORT ?? 8080),
  routes: {
    "/": (req, res) => res.writeHead(302, { location: "/www/index.html" }).end(),
    "/config.json": (req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ dsn: bugsink.dsn, bugsink: bugsink.url }));
    },
  },
});

async function shutdown(code) {
  await server.close();
  await bugsink.stop();
  process.exit(code);
}

console.log(`demo page:  ${server.url}/www/index.html`);
console.log(`Bugsink:    ${bugsink.url}  (login ${bugsink.login.user} / ${bugsink.login.password})`);
console.log(`DSN:        ${bugsink.dsn}`);

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
    const all = await bugsink.api.waitForEvents((evs) => evs.filter((e) => !before.has(e.id)).length >= BUTTONS.length);
    const rows = all
      .filter((e) => !before.has(e.id))
      .map((e) => {
        const ex = e.data.exception?.values?.at(-1);
        const top = ex?.stacktrace?.frames?.at(-1);
        return {
          type: ex?.type ?? "(message)",
          value: (ex?.value ?? e.data.logentry?.formatted ?? "").slice(0, 60),
          mechanism: ex ? `${ex.mechanism?.type} handled=${ex.mechanism?.handled}` : "",
          level: e.data.level,
          "top frame": top ? `${top.function ?? "?"} ${String(top.filename).replace(server.url, "")}:${top.lineno ?? ""}` : "",
        };
      });
    console.log(`\nBugsink stored ${rows.length} event(s) from the demo page:`);
    console.table(rows);
    if (rows.length < BUTTONS.length) code = 1;
  } catch (e) {
    console.error(`demo failed: ${e?.stack ?? e}`);
    code = 1;
  }
  await shutdown(code);
}
