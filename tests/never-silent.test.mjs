// Never silent: an invalid DSN (not a missing one) and a core that cannot load each log
// ONE console warning without `debug`, counting the captures already lost, and flush()
// resolves false while anything was lost. Node for the DSN, Chromium with a
// Content-Security-Policy that forbids WebAssembly for the core, and with the wasm's URL
// answered by an HTML page (a dev server's fallback): the warning names the file; and a
// CSP whose connect-src refuses the DSN's host: said once, counted, not kept offline.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as oxeye from "../dist/entrypoints/node.js";

const root = fileURLToPath(new URL("..", import.meta.url));

function watchWarnings() {
  const warnings = [];
  const original = console.warn;
  console.warn = (...args) => warnings.push(args.join(" "));
  return { warnings, restore: () => (console.warn = original) };
}

test("Node: an invalid DSN logs one warning without debug, and flush() resolves false", async () => {
  const w = watchWarnings();
  try {
    let sent = 0;
    const transport = async () => {
      sent++;
      return { status: 200, headers: {} };
    };
    const client = oxeye.createClient({ dsn: "https://public@/not-a-project", transport, offline: false });
    client.captureException(new Error("one"));
    await client.ready;
    client.captureMessage("two");
    client.captureException(new Error("three"));
    assert.equal(await client.flush(2000), false, "captures were lost");
    assert.equal(sent, 0);
    assert.equal(w.warnings.length, 1, w.warnings.join("\n"));
    assert.match(w.warnings[0], /^\[oxeye\] error reporting is off: the DSN is invalid \(.+\)/);
    assert.match(w.warnings[0], /\d+ event\(s\) captured before this was known, and later ones, are not sent/);
    assert.equal(await client.flush(2000), false, "still false");
    await client.close(100);

    // A missing DSN is a choice, not a mistake: no warning, flush is true.
    const quiet = oxeye.createClient({ transport, offline: false });
    quiet.captureException(new Error("nowhere"));
    assert.equal(await quiet.flush(2000), true);
    assert.equal(w.warnings.length, 1);
    await quiet.close(100);
  } finally {
    w.restore();
  }
});

test("Chromium: a CSP without 'wasm-unsafe-eval' logs one warning naming it, counts the capture made before, and flush() is false", async () => {
  const { launchChromium } = await import("../scripts/lib/chromium.mjs");
  const { serveStatic } = await import("../scripts/lib/static-server.mjs");
  const server = await serveStatic(root, {
    routes: {
      "/csp.html": (req, res) => {
        res.writeHead(200, { "content-type": "text/html", "content-security-policy": "script-src 'self'" });
        res.end(`<!doctype html><meta charset="utf-8"><script type="module" src="/tests/fixtures/never-silent/csp-app.js"></script>`);
      },
    },
  });
  const chromium = await launchChromium();
  after(async () => {
    await chromium.close();
    await server.close();
  });
  const page = await chromium.newPage();
  const warnings = [];
  page.on("console", (m) => m.type() === "warning" && m.text().includes("[oxeye]") && warnings.push(m.text()));
  await page.goto(`${server.url}/csp.html?dsn=${encodeURIComponent("http://key@127.0.0.1:9/1")}`);
  await page.waitForFunction(() => typeof window.firstId === "string", null, { timeout: 10_000 });
  const flushed = await page.evaluate(() => window.oxeyeClient.flush(8000));
  assert.equal(flushed, false);
  assert.equal(warnings.length, 1, warnings.join("\n"));
  assert.match(warnings[0], /WebAssembly core could not load/);
  assert.match(warnings[0], /'wasm-unsafe-eval'/);
  assert.match(warnings[0], /1 event\(s\) captured before this was known, and later ones, are not sent/);
  await page.evaluate(() => window.oxeyeClient.captureException(new Error("after")));
  assert.equal(await page.evaluate(() => window.oxeyeClient.flush(1000)), false);
  assert.equal(warnings.length, 1, "one warning, whatever comes after");
});

/**
 * The page tests/fixtures/never-silent/csp-app.js runs in Chromium (it captures an error at
 * once), served with `wasm` answering the browsers' wasm URL and an envelope endpoint of
 * its own as the DSN; resolves with the result of `flush`, the `[oxeye]` warnings and the
 * envelopes sent.
 */
async function withServedWasm(wasm, prime) {
  const { launchChromium } = await import("../scripts/lib/chromium.mjs");
  const { serveStatic } = await import("../scripts/lib/static-server.mjs");
  const sent = [];
  const server = await serveStatic(root, {
    routes: {
      "/app.html": (req, res) => res.writeHead(200, { "content-type": "text/html" }).end(`<!doctype html><meta charset="utf-8"><script type="module" src="/tests/fixtures/never-silent/csp-app.js"></script>`),
      "/dist/core/wasm/oxeye_bg.wasm": wasm,
      "/api/1/envelope/": (req, res) => {
        sent.push(req.url);
        res.writeHead(200, { "access-control-allow-origin": "*" }).end("{}");
      },
    },
  });
  const chromium = await launchChromium();
  try {
    const page = await chromium.newPage();
    const warnings = [];
    page.on("console", (m) => m.type() === "warning" && m.text().includes("[oxeye]") && warnings.push(m.text()));
    await prime?.(page, server.url);
    await page.goto(`${server.url}/app.html?dsn=${encodeURIComponent(`http://key@${new URL(server.url).host}/1`)}`);
    await page.waitForFunction(() => typeof window.firstId === "string", null, { timeout: 10_000 });
    const flushed = await page.evaluate(() => window.oxeyeClient.flush(8000));
    return { flushed, warnings, sent };
  } finally {
    await chromium.close();
    await server.close();
  }
}

test("Chromium: a wasm file altered on its way (its scrubber's words changed) is refused by its integrity check, with one warning saying so; nothing is sent", async () => {
  // Still a valid module: only the text the scrubber writes is changed.
  const bytes = readFileSync(join(root, "dist", "core", "wasm", "oxeye_bg.wasm"));
  const at = bytes.indexOf("[Filtered]");
  assert.ok(at > 0, "the wasm holds the scrubber's replacement text");
  const altered = Buffer.from(bytes);
  altered.write("[FILTERED]", at);
  await WebAssembly.compile(altered);
  const { flushed, warnings, sent } = await withServedWasm((req, res) => res.writeHead(200, { "content-type": "application/wasm" }).end(altered));
  assert.equal(flushed, false);
  assert.equal(warnings.length, 1, warnings.join("\n"));
  assert.match(warnings[0], /could not load \(Error: a file whose bytes are not this version of oxeye's \(the integrity check failed\) for http:\/\/127\.0\.0\.1:\d+\/dist\/core\/wasm\/oxeye_bg\.wasm\)/);
  assert.deepEqual(sent, [], "nothing was sent");
});

test("Chromium: a wasm download that fails once (a connection dropped mid-file) is not taken for an altered file: the plain request's bytes match the integrity, and the core loads", async () => {
  const bytes = readFileSync(join(root, "dist", "core", "wasm", "oxeye_bg.wasm"));
  let asked = 0;
  // The first answer breaks off after its headers and 1 KB (no network stack retries that).
  const { flushed, warnings, sent } = await withServedWasm((req, res) => {
    if (asked++ > 0) return res.writeHead(200, { "content-type": "application/wasm" }).end(bytes);
    res.writeHead(200, { "content-type": "application/wasm", "content-length": String(bytes.length) });
    res.write(bytes.subarray(0, 1024), () => setTimeout(() => req.socket.destroy(), 50));
  });
  assert.equal(flushed, true, warnings.join("\n"));
  assert.deepEqual(warnings, []);
  assert.ok(asked >= 2, `the file was asked for again (${asked})`);
  assert.ok(sent.length >= 1, "the event was sent");
});

test("Chromium: a wasm file the HTTP cache keeps from an older version is asked for again when its integrity fails, and the core loads", async () => {
  const bytes = readFileSync(join(root, "dist", "core", "wasm", "oxeye_bg.wasm"));
  const older = Buffer.from(bytes);
  older.write("[FILTERED]", bytes.indexOf("[Filtered]"));
  let served = older;
  const cached = { "content-type": "application/wasm", "cache-control": "max-age=31536000" };
  const { flushed, warnings, sent } = await withServedWasm(
    (req, res) => res.writeHead(200, cached).end(served),
    // The previous version's page fetched the file under the same name; then the site was deployed anew.
    async (page, url) => {
      await page.goto(`${url}/www/blank.html`);
      await page.evaluate(() => fetch("/dist/core/wasm/oxeye_bg.wasm").then((r) => r.arrayBuffer()));
      served = bytes;
    },
  );
  assert.equal(flushed, true, warnings.join("\n"));
  assert.deepEqual(warnings, []);
  assert.ok(sent.length >= 1, "the event was sent");
});

test("Chromium: a wasm file stored gzip-compressed and sent without Content-Encoding is named as such", async () => {
  const { gzipSync } = await import("node:zlib");
  const gz = gzipSync(readFileSync(join(root, "dist", "core", "wasm", "oxeye_bg.wasm")));
  const { flushed, warnings } = await withServedWasm((req, res) => res.writeHead(200, { "content-type": "application/wasm" }).end(gz));
  assert.equal(flushed, false);
  assert.equal(warnings.length, 1, warnings.join("\n"));
  assert.match(warnings[0], /could not load \(Error: gzip bytes sent without Content-Encoding for http:/);
});

test("Chromium: a wasm URL answered with an HTML page (a dev server's fallback) gives one warning naming the file and what came instead", async () => {
  const { launchChromium } = await import("../scripts/lib/chromium.mjs");
  const { serveStatic } = await import("../scripts/lib/static-server.mjs");
  const fallback = (req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>app</title>");
  const server = await serveStatic(root, {
    routes: {
      "/fallback.html": (req, res) => res.writeHead(200, { "content-type": "text/html" }).end(`<!doctype html><meta charset="utf-8"><script type="module" src="/tests/fixtures/never-silent/csp-app.js"></script>`),
      "/dist/core/wasm/oxeye_bg.wasm": fallback,
    },
  });
  const chromium = await launchChromium();
  try {
    const page = await chromium.newPage();
    const warnings = [];
    page.on("console", (m) => m.type() === "warning" && m.text().includes("[oxeye]") && warnings.push(m.text()));
    await page.goto(`${server.url}/fallback.html?dsn=${encodeURIComponent("http://key@127.0.0.1:9/1")}`);
    await page.waitForFunction(() => typeof window.firstId === "string", null, { timeout: 10_000 });
    assert.equal(await page.evaluate(() => window.oxeyeClient.flush(8000)), false);
    assert.equal(warnings.length, 1, warnings.join("\n"));
    assert.match(warnings[0], /could not load \(Error: an HTML page, not the wasm file for http:\/\/127\.0\.0\.1:\d+\/dist\/core\/wasm\/oxeye_bg\.wasm\)/);

    // The same through `oxeye/nextjs` in the browser (instrumentation-client.ts): one warning, not two.
    const next = await chromium.newPage();
    const nextWarnings = [];
    next.on("console", (m) => m.type() === "warning" && m.text().includes("[oxeye]") && nextWarnings.push(m.text()));
    await next.goto(`${server.url}/www/blank.html`);
    const flushed = await next.evaluate(async (dsn) => {
      const { init } = await import("/dist/frameworks/nextjs/nextjs.js");
      const client = init({ dsn });
      client.captureException(new Error("lost"));
      const done = await client.flush(8000);
      await new Promise((r) => setTimeout(r, 200));
      return done;
    }, "http://key@127.0.0.1:9/1");
    assert.equal(flushed, false);
    assert.equal(nextWarnings.length, 1, nextWarnings.join("\n"));

    // A client turned off (as an app's unit tests do: by `enabled`, or by its environment's
    // defaults) or given no DSN loads neither the engine nor the core, so it says nothing
    // where the core cannot load: it had nothing to send.
    const dsn = "http://key@127.0.0.1:9/1";
    const reasons = ["`enabled` is false", "`enabled` is false", "no DSN was given"];
    for (const [i, options] of [{ dsn, enabled: false }, { dsn, environment: "test", environments: { test: { enabled: false } } }, {}].entries()) {
      const off = await chromium.newPage();
      const offWarnings = [];
      const fetched = [];
      off.on("console", (m) => m.type() === "warning" && m.text().includes("[oxeye]") && offWarnings.push(m.text()));
      off.on("request", (r) => /\.wasm$|\/api\/engine\.js|\/core\/load-web/.test(r.url()) && fetched.push(r.url()));
      await off.goto(`${server.url}/www/blank.html`);
      const offState = await off.evaluate(async (options) => {
        const oxeye = await import("/dist/entrypoints/browser.js");
        const client = oxeye.init(options);
        const id = client.captureException(new Error("not sent"));
        await client.flush(1000);
        await client.ready;
        return [id, client.disabledReason];
      }, options);
      // (No id: a fallback would show a reference to an event that never exists.)
      assert.deepEqual(offState, ["", `oxeye is disabled: ${reasons[i]}`]);
      assert.deepEqual(offWarnings, [], JSON.stringify(options));
      assert.deepEqual(fetched, [], JSON.stringify(options));
      await off.close();
    }
  } finally {
    await chromium.close();
    await server.close();
  }
});

test("Chromium: a CSP whose connect-src leaves out the DSN's host gives one warning naming it; the event is counted, neither retried nor kept offline", async () => {
  const { launchChromium } = await import("../scripts/lib/chromium.mjs");
  const { serveStatic } = await import("../scripts/lib/static-server.mjs");
  const { startCaptureServer } = await import("./helpers/capture-server.mjs");
  const capture = await startCaptureServer();
  const csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'";
  const pageWith = (headers) => (req, res) =>
    res.writeHead(200, { "content-type": "text/html", ...headers }).end(`<!doctype html><meta charset="utf-8"><script type="module" src="/tests/fixtures/never-silent/csp-app.js"></script><script src="/csp-other.js"></script>`);
  const server = await serveStatic(root, {
    routes: {
      "/connect.html": pageWith({ "content-security-policy": csp }),
      // Report-only: nothing is blocked, so nothing is said and the event is delivered.
      "/report-only.html": pageWith({ "content-security-policy-report-only": csp }),
      // The page's own request to another blocked origin is none of oxeye's business.
      "/csp-other.js": (req, res) => res.writeHead(200, { "content-type": "text/javascript" }).end(`fetch("http://127.0.0.1:9/elsewhere").catch(() => {});`),
    },
  });
  const chromium = await launchChromium();
  try {
    const page = await chromium.newPage();
    const warnings = [];
    page.on("console", (m) => m.type() === "warning" && m.text().includes("[oxeye]") && warnings.push(m.text()));
    await page.goto(`${server.url}/connect.html?dsn=${encodeURIComponent(capture.dsn)}`);
    await page.waitForFunction(() => typeof window.firstId === "string", null, { timeout: 10_000 });
    assert.equal(await page.evaluate(() => window.oxeyeClient.flush(8000)), true, "accounted for within the flush, not waiting on retries");
    assert.equal(warnings.length, 1, warnings.join("\n"));
    assert.match(warnings[0], /Content-Security-Policy \(connect-src\) blocks http:\/\/127\.0\.0\.1:\d+: add it to connect-src, or use a tunnel/);
    const stored = await page.evaluate(
      () =>
        new Promise((ok) => {
          const r = indexedDB.open("oxeye-offline", 1);
          r.onupgradeneeded = () => r.result.createObjectStore("envelopes", { autoIncrement: true });
          r.onsuccess = () => {
            const c = r.result.transaction("envelopes", "readonly").objectStore("envelopes").count();
            c.onsuccess = () => ok(c.result);
          };
        }),
    );
    assert.equal(stored, 0, "nothing kept offline: it could never be sent from this page");
    assert.equal(capture.envelopes.length, 0);
    await page.close();

    const relaxed = await chromium.newPage();
    const quiet = [];
    relaxed.on("console", (m) => m.type() === "warning" && m.text().includes("[oxeye]") && quiet.push(m.text()));
    await relaxed.goto(`${server.url}/report-only.html?dsn=${encodeURIComponent(capture.dsn)}`);
    await relaxed.waitForFunction(() => typeof window.firstId === "string", null, { timeout: 10_000 });
    assert.equal(await relaxed.evaluate(() => window.oxeyeClient.flush(8000)), true);
    assert.deepEqual(quiet, [], "a report-only policy blocks nothing: nothing to say");
    assert.ok(capture.events().some((e) => e.exception?.values?.[0]?.value === "captured before the core failed"), "delivered");
  } finally {
    await chromium.close();
    await server.close();
    await capture.close();
  }
});
