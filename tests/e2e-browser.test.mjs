// Chromium, end to end: the demo page loads the built browser entry unbundled (native
// ESM + import map), oxeye fetches and compiles its wasm after the page's `load` event,
// and every kind of error the page raises is stored by a real Bugsink with the right type,
// value, mechanism and frames pointing at the page's script. Nothing lazy (engine, glue,
// wasm) is fetched before `load`, and an error thrown before then is still delivered.
// Every stored event passes Relay's normaliser.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../scripts/lib/chromium.mjs";
import { serveStatic } from "../scripts/lib/static-server.mjs";
import { assertValidForSentry, byType, freshBugsink } from "./helpers/real.mjs";
import { startCaptureServer } from "./helpers/capture-server.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
let bugsink, server, chromium;

before(async () => {
  bugsink = await freshBugsink();
  server = await serveStatic(root, {
    routes: {
      "/config.json": (req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ dsn: bugsink.dsn, bugsink: bugsink.url }));
      },
      // A page whose `load` event waits for /slow.png (held by the test), with an error
      // thrown by the page before then.
      "/before-load.html": (req, res) => {
        res.writeHead(200, { "content-type": "text/html" });
        res.end(`<!doctype html><html><head><meta charset="utf-8">
<script type="importmap">{ "imports": { "oxeye": "/dist/entrypoints/browser.js" } }</script>
<script type="module">
  import * as oxeye from "oxeye";
  addEventListener("load", () => { window.loadAt = performance.now(); });
  window.oxeyeClient = oxeye.init({ dsn: ${JSON.stringify(bugsink.dsn)}, environment: "before-load" });
  setTimeout(() => {
    console.info("cart opened", { items: 2 });
    document.getElementById("early").click();
    window.thrownAt = performance.now();
    throw new URIError("thrown before the load event");
  }, 0);
</script></head><body><button id="early">Early</button><img src="/slow.png" alt=""></body></html>`);
      },
    },
  });
  chromium = await launchChromium();
});
after(async () => {
  await chromium?.close();
  await server?.close();
  await bugsink?.stop();
});

function lineOf(file, needle) {
  const lines = readFileSync(new URL(file, import.meta.url), "utf8").split("\n");
  return lines.findIndex((l) => l.includes(needle)) + 1;
}

test("Chromium: uncaught and handled errors from the page are stored by Bugsink", async () => {
  const page = await chromium.newPage();
  const pageErrors = [];
  page.on("console", (m) => m.type() === "error" && pageErrors.push(m.text()));
  await page.goto(`${server.url}/www/index.html`);
  await page.waitForFunction(() => window.oxeyeDemoReady === true, null, { timeout: 10_000 });
  for (const id of ["uncaught-type-error", "handled-error", "unhandled-rejection", "throw-string", "throw-object", "capture-message"]) {
    await page.click(`#${id}`);
  }
  const flushed = await page.evaluate(() => window.oxeyeClient.flush(15000));
  assert.equal(flushed, true);
  const events = await bugsink.api.waitForEvents((evs) => evs.length >= 6);
  const appJs = `${server.url}/www/app.js`;

  const uncaught = byType(events, "TypeError");
  const ex = uncaught.data.exception.values[0];
  assert.match(ex.value, /reading 'toUpperCase'/);
  assert.deepEqual(ex.mechanism, { type: "auto.browser.global_handlers.onerror", handled: false });
  const top = ex.stacktrace.frames.at(-1);
  assert.equal(top.function, "readSettings");
  assert.equal(top.filename, appJs);
  assert.equal(top.lineno, lineOf("../www/app.js", "settings.theme.toUpperCase"));
  assert.equal(top.in_app, true);
  assert.equal(uncaught.data.sdk.name, "oxeye.javascript.browser");
  assert.equal(uncaught.data.environment, "demo");

  const handled = byType(events, "SyntaxError");
  const hx = handled.data.exception.values[0];
  assert.deepEqual(hx.mechanism, { type: "generic", handled: true });
  assert.ok(hx.stacktrace.frames.some((f) => f.function === "handledFailure" && f.filename === appJs));
  assert.equal(handled.data.tags.feature, "import");

  const rejection = byType(events, "RangeError");
  assert.equal(rejection.data.exception.values[0].value, "quota must be positive");
  assert.deepEqual(rejection.data.exception.values[0].mechanism, {
    type: "auto.browser.global_handlers.onunhandledrejection",
    handled: false,
  });

  const values = events.map((e) => e.data.exception?.values?.[0]?.value ?? e.data.logentry?.formatted);
  // An uncaught string is an error with the throw's place as its frame.
  assert.ok(values.includes("Uncaught a plain string was thrown"), values.join(" | "));
  const stringEvent = events.find((e) => e.data.exception?.values?.[0]?.value === "Uncaught a plain string was thrown");
  assert.equal(stringEvent.data.exception.values[0].mechanism.handled, false);
  assert.equal(stringEvent.data.exception.values[0].stacktrace?.frames?.at(-1)?.filename, appJs);
  assert.ok(values.includes("Object captured as exception with keys: code, reason"), values.join(" | "));
  // A thrown object has no stack of its own: its frames start at the app's capture call.
  const objectEvent = events.find((e) => e.data.exception?.values?.[0]?.value === "Object captured as exception with keys: code, reason");
  const objectTop = objectEvent.data.exception.values[0].stacktrace?.frames?.at(-1);
  assert.match(objectTop?.filename ?? "", /app\.js/, `top frame ${JSON.stringify(objectTop)}`);
  assert.ok(values.includes("Demo checkout finished"), values.join(" | "));
  // Two different non-Error throws are two issues in Bugsink, each titled by what was thrown.
  const issueOf = async (text) => {
    for (const issue of await bugsink.api.issues()) {
      for (const ev of await bugsink.api.events(issue.id)) {
        const data = (await bugsink.api.event(ev.id)).data;
        if ((data.exception?.values?.[0]?.value ?? data.logentry?.formatted) === text) return issue;
      }
    }
    return undefined;
  };
  const stringIssue = await issueOf("Uncaught a plain string was thrown");
  const objectIssue = await issueOf("Object captured as exception with keys: code, reason");
  assert.ok(stringIssue && objectIssue, "both throws are stored as issues");
  assert.notEqual(stringIssue.id, objectIssue.id, "a thrown string and a thrown object are grouped apart");
  const title = (i) => `${i.calculated_type ?? ""}: ${i.calculated_value ?? ""}`;
  assert.match(title(stringIssue), /a plain string was thrown/);
  assert.match(title(objectIssue), /Object captured as exception with keys: code, reason/);
  assert.deepEqual(pageErrors.filter((e) => /oxeye/i.test(e)), [], "oxeye logged no errors in the page");
  await assertValidForSentry(events.map((e) => e.data));
  await page.close();
});

test("Chromium: a numeric user id, as apps often set it, is sent as the protocol's string and stored by Bugsink's strict schema check", async () => {
  const page = await chromium.newPage();
  await page.goto(`${server.url}/www/blank.html`);
  const id = await page.evaluate(async (dsn) => {
    const oxeye = await import("oxeye");
    oxeye.init({ dsn, globalHandlers: false, autoSessionTracking: false });
    oxeye.setUser({ id: 4242, username: "numeric" });
    const eventId = oxeye.captureMessage("user with a numeric id");
    await oxeye.flush(10000);
    return eventId;
  }, bugsink.dsn);
  const ev = await bugsink.api.waitForEvent(id);
  assert.deepEqual(ev.user, { id: "4242", username: "numeric" });
  await page.close();
});

test("Chromium: captures made before the wasm is ready are queued and delivered", async () => {
  const page = await chromium.newPage();
  // Slow the wasm download so calls made right after init() hit the queue.
  await page.route("**/oxeye_bg.wasm", async (route) => {
    await new Promise((r) => setTimeout(r, 300));
    await route.continue();
  });
  await page.goto(`${server.url}/www/blank.html`);
  const result = await page.evaluate(async (dsn) => {
    const oxeye = await import("oxeye");
    const client = oxeye.init({ dsn, globalHandlers: false });
    let ready = false;
    void client.ready.then(() => (ready = true));
    const id = oxeye.captureException(new EvalError("captured before the core loaded"));
    // Whether the core was up when the capture was made (it must not have been).
    const readyBefore = ready || client.environment !== undefined;
    const flushed = await oxeye.flush(15000);
    return { id, readyBefore, flushed, readyAfter: ready };
  }, bugsink.dsn);
  assert.match(result.id, /^[0-9a-f]{32}$/);
  assert.equal(result.readyBefore, false, "the capture was made before the core was ready, so it was queued");
  assert.equal(result.readyAfter, true);
  assert.equal(result.flushed, true);
  const events = await bugsink.api.waitForEvents((evs) => !!byType(evs, "EvalError"));
  assert.equal(byType(events, "EvalError").data.event_id, result.id);
  await page.close();
});

test("Chromium: an error the global handler reported, reported again by the page, is one event whose id both get", async () => {
  const page = await chromium.newPage();
  await page.goto(`${server.url}/www/blank.html`);
  // As under `next dev` or with an error boundary: oxeye's `error` listener (added by init)
  // reports the error first, then the app's own code reports the same object and shows
  // the id it gets. Both happen before the core is up, so both go through the queue.
  const result = await page.evaluate(async (dsn) => {
    const oxeye = await import("oxeye");
    const client = oxeye.init({ dsn });
    const failure = new Error("reported by the global handler, then by the page");
    failure.name = "CheckoutError";
    const shown = new Promise((resolve) =>
      addEventListener("error", (ev) => {
        if (ev.error === failure) resolve(oxeye.captureException(failure, { tags: { reporter: "page" } }));
      }),
    );
    setTimeout(() => {
      throw failure;
    }, 0);
    const id = await shown;
    const queued = client.environment === undefined;
    return { id, queued, last: oxeye.lastEventId(), flushed: await oxeye.flush(15000) };
  }, bugsink.dsn);
  assert.match(result.id, /^[0-9a-f]{32}$/);
  assert.equal(result.queued, true, "the core was not up yet");
  assert.equal(result.last, result.id);
  assert.equal(result.flushed, true);
  const events = await bugsink.api.waitForEvents((evs) => !!byType(evs, "CheckoutError"));
  const stored = events.filter((e) => e.data?.exception?.values?.at(-1)?.type === "CheckoutError");
  assert.equal(stored.length, 1, "one event for one thrown object");
  assert.equal(stored[0].data.event_id, result.id, "the id the page got is the event Bugsink stored");
  assert.deepEqual(stored[0].data.exception.values.at(-1).mechanism, { type: "auto.browser.global_handlers.onerror", handled: false });
  assert.equal(stored[0].data.tags?.reporter, undefined, "the first report's data is the one sent");
  await assertValidForSentry(stored.map((e) => e.data));
  await page.close();
});

test("Chromium: nothing lazy is fetched before the load event, and an error thrown before it is delivered", async () => {
  const page = await chromium.newPage();
  let releaseImage;
  const imageHeld = new Promise((r) => (releaseImage = r));
  const requests = [];
  page.on("request", (r) => requests.push(new URL(r.url()).pathname));
  await page.route("**/slow.png", async (route) => {
    await imageHeld;
    // A 1×1 transparent GIF is enough for an <img>.
    await route.fulfill({ status: 200, contentType: "image/gif", body: Buffer.from("R0lGODlhAQABAAAAACwAAAAAAQABAAA=", "base64") });
  });
  try {
    await page.goto(`${server.url}/before-load.html`, { waitUntil: "commit" });
    await page.waitForFunction(() => window.thrownAt !== undefined, null, { timeout: 10_000 });
    const beforeLoad = [...requests];
    assert.equal(await page.evaluate(() => window.loadAt), undefined, "the page has not loaded yet");
    const lazy = (p) => /\.wasm$|\/dist\/(core\/(core|load-web)|api\/engine|delivery\/(delivery|offline|spotlight)|instrument\/index)/.test(p);
    assert.deepEqual(beforeLoad.filter(lazy), [], `fetched before load: ${beforeLoad.join(" ")}`);
    assert.ok(beforeLoad.includes("/dist/entrypoints/browser.js"), "the entry itself did load");
    releaseImage();
    await page.waitForFunction(() => window.loadAt !== undefined, null, { timeout: 10_000 });
    const flushed = await page.evaluate(() => window.oxeyeClient.flush(15000));
    assert.equal(flushed, true);
    // The lazy parts came after `load`, by the page's own clock too.
    const timing = await page.evaluate(() => ({
      loadAt: window.loadAt,
      lazy: performance.getEntriesByType("resource").filter((e) => /oxeye_bg\.wasm|engine\.js|load-web\.js/.test(e.name)).map((e) => e.startTime),
    }));
    assert.ok(timing.lazy.length >= 3, JSON.stringify(timing));
    assert.ok(timing.lazy.every((t) => t >= timing.loadAt), JSON.stringify(timing));
    const events = await bugsink.api.waitForEvents((evs) => !!byType(evs, "URIError"));
    const ev = byType(events, "URIError").data;
    assert.equal(ev.exception.values[0].value, "thrown before the load event");
    assert.deepEqual(ev.exception.values[0].mechanism, { type: "auto.browser.global_handlers.onerror", handled: false });
    assert.equal(ev.environment, "before-load");
    // The loader noted what happened before the engine loaded; the engine made the notes
    // into breadcrumbs, at the time they happened.
    const crumbs = ev.breadcrumbs?.values ?? [];
    const logged = crumbs.find((b) => b.category === "console" && b.message === 'cart opened {"items":2}');
    const clicked = crumbs.find((b) => b.category === "ui.click" && b.message === "body > button#early");
    assert.ok(logged && clicked, JSON.stringify(crumbs));
    assert.equal(logged.level, "info");
    const eventAt = Date.parse(ev.timestamp) / 1000 || ev.timestamp;
    assert.ok(logged.timestamp <= clicked.timestamp && clicked.timestamp <= eventAt, JSON.stringify({ crumbs, eventAt }));
    // Once the engine is up its own instrumentation records, and nothing twice.
    await page.evaluate(() => {
      console.warn("after load");
      window.oxeyeClient.captureMessage("later");
      return window.oxeyeClient.flush(15000);
    });
    const later = (await bugsink.api.waitForEvents((evs) => evs.some((e) => e.data.logentry?.formatted === "later"))).find((e) => e.data.logentry?.formatted === "later").data;
    const messages = later.breadcrumbs.values.map((b) => b.message);
    assert.equal(messages.filter((m) => m === "after load").length, 1, messages.join(" | "));
    assert.equal(messages.filter((m) => m === 'cart opened {"items":2}').length, 1, messages.join(" | "));
    await assertValidForSentry([ev, later]);
  } finally {
    releaseImage();
    await page.close();
  }
});

// A `scrub` object (custom keys, value rules) is read only by the browsers' second wasm,
// `oxeye_rules_bg.wasm`: a page fetches it only for a client that sets one, and fetches
// `oxeye_bg.wasm` (which reads `scrub: true`/`false` only) otherwise.
const SCRUB_RULES = { keys: ["tenant_ref"], values: [{ name: "order", prefix: "ORD-", chars: "0-9", minLength: 4, replacement: "[order]" }] };

/** Runs `fn([dsn, SCRUB_RULES])` in a fresh blank page, then closes the page. */
async function onBlankPage(fn) {
  const page = await chromium.newPage();
  try {
    await page.goto(`${server.url}/www/blank.html`);
    return await page.evaluate(fn, [bugsink.dsn, SCRUB_RULES]);
  } finally {
    await page.close();
  }
}

test("Chromium: a second copy of oxeye on the page (a widget's bundle) downloads its wasm through the first copy's fetch wrapper untouched: no breadcrumb of it", async () => {
  const r = await onBlankPage(async ([dsn]) => {
    const oxeye = await import("oxeye");
    oxeye.init({ dsn, globalHandlers: false, environment: "two-copies", tracePropagationTargets: [location.origin] });
    await oxeye.getClient().ready;
    // The second copy's loader, a module instance of its own, found the page's fetch wrapped by the first.
    const { compile } = await import(`/dist/core/load-web.js?copy=${Date.now()}`);
    const sent = [];
    const wrapped = window.fetch;
    await compile((input, init) => wrapped(input, init).then((res) => (sent.push([String(input), res.ok]), res)));
    await fetch("/www/blank.html");
    const id = oxeye.captureMessage("after the widget loaded");
    return { id, sent, flushed: await oxeye.flush(15000) };
  });
  assert.equal(r.flushed, true);
  assert.equal(r.sent.length, 1, "the second copy fetched its wasm");
  assert.ok(r.sent[0][1], "and got it");
  const stored = await bugsink.api.waitForEvent(r.id);
  const crumbs = stored.breadcrumbs?.values ?? [];
  const urls = crumbs.filter((c) => c.category === "fetch").map((c) => c.data?.url ?? "");
  assert.ok(urls.some((u) => u.endsWith("/www/blank.html")), `the app's own request is recorded: ${JSON.stringify(urls)}`);
  assert.deepEqual(urls.filter((u) => u.endsWith(".wasm")), [], "the wasm download is not");
});

test("Chromium: beforeBreadcrumb gets Sentry's hints for fetch and XHR, so the usual filter on fetch's arguments drops an analytics POST", async () => {
  const r = await onBlankPage(async ([dsn]) => {
    const oxeye = await import("oxeye");
    const hints = [];
    oxeye.init({
      dsn,
      globalHandlers: false,
      environment: "breadcrumb-hints",
      beforeBreadcrumb(crumb, hint) {
        if (crumb.category === "fetch" || crumb.category === "xhr") {
          hints.push({ category: crumb.category, keys: Object.keys(hint).sort(), input: hint.input, method: hint.input?.[1]?.method, status: hint.response?.status ?? hint.xhr?.status, spans: hint.endTimestamp >= hint.startTimestamp && hint.startTimestamp > 1.6e12 });
          const [resource, init] = crumb.category === "fetch" ? hint.input : [];
          if (init?.method === "POST" && String(resource).includes("analytics")) return null;
        }
        return crumb;
      },
    });
    await oxeye.getClient().ready;
    await fetch("/www/blank.html?analytics=1", { method: "POST", body: "{}" }).catch(() => {});
    await fetch("/www/blank.html?page=1");
    await new Promise((done) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", "/www/blank.html?xhr=1");
      xhr.onloadend = done;
      xhr.send("a=1");
    });
    const id = oxeye.captureMessage("after the requests");
    return { id, hints: JSON.parse(JSON.stringify(hints)), flushed: await oxeye.flush(15000) };
  });
  assert.equal(r.flushed, true);
  const [post, get, xhr] = r.hints;
  assert.deepEqual(post.keys, ["data", "endTimestamp", "error", "input", "response", "startTimestamp"]);
  assert.equal(post.method, "POST", "input is fetch's arguments: [resource, init]");
  assert.equal(post.input[0], "/www/blank.html?analytics=1");
  assert.equal(get.status, 200);
  assert.equal(get.spans, true, "start and end timestamps in ms");
  assert.equal(xhr.category, "xhr");
  assert.equal(xhr.input, "a=1", "an XHR's input is its body");
  assert.equal(xhr.spans, true);
  const stored = await bugsink.api.waitForEvent(r.id);
  const urls = (stored.breadcrumbs?.values ?? []).filter((c) => c.category === "fetch").map((c) => c.data.url);
  assert.ok(urls.some((u) => u.includes("page=1")), JSON.stringify(urls));
  assert.ok(!urls.some((u) => u.includes("analytics")), "the analytics POST was dropped by the app's filter");
});

/** The messages of the `ui.click` breadcrumbs of event `id`, once Bugsink has stored it. */
async function clickMessages(id) {
  return (await bugsink.api.waitForEvent(id)).breadcrumbs.values.filter((c) => c.category === "ui.click").map((c) => c.message);
}

test("Chromium: a click on an element whose label holds a card number or an IBAN sends no part of it (the attribute cut once left its start for no rule to match)", async () => {
  const r = await onBlankPage(async ([dsn]) => {
    const oxeye = await import("oxeye");
    oxeye.init({ dsn, globalHandlers: false, environment: "click-labels" });
    await oxeye.getClient().ready;
    const labels = [
      ["button", "aria-label", "Pay with card 4111 1111 1111 1111"],
      ["button", "aria-label", `Pay the order for the customer account with the saved card number ${"·".repeat(18)} 5555\u00a05555\u00a05555\u00a04444`],
      ["a", "title", "Transfer from DE89 3704 0044 0532 0130 00"],
      ["div", "data-testid", "account-row-DE89370400440532013000-x"],
      ["div", "data-testid", `row-${"7".repeat(90)}-DE89370400440532013000-${"8".repeat(20)}`],
    ];
    for (const [tag, attribute, value] of labels) {
      const el = document.createElement(tag);
      el.setAttribute(attribute, value);
      el.textContent = "x";
      document.body.append(el);
      el.click();
    }
    const id = oxeye.captureMessage("after the clicks");
    return { id, flushed: await oxeye.flush(15000) };
  });
  assert.equal(r.flushed, true);
  const clicks = await clickMessages(r.id);
  assert.equal(clicks.length, 5, JSON.stringify(clicks));
  for (const m of clicks) assert.doesNotMatch(m, /4111|5555|DE89|3704/, m);
  assert.match(clicks[0], /aria-label="Pay with card \[creditcard\]"/);
  assert.match(clicks[2], /title="Transfer from \[iban\]"/);
  assert.match(clicks[4], /data-testid="…"/, "a long value of one word is left out");
});

test("Chromium: a request the app cancels (fetch aborted, xhr.abort()) is no failure: its breadcrumb says aborted, and an unrelated error a moment later is not linked to it", async () => {
  const r = await onBlankPage(async ([dsn]) => {
    const oxeye = await import("oxeye");
    oxeye.init({ dsn, globalHandlers: false, environment: "aborted-requests" });
    await oxeye.getClient().ready;
    const controller = new AbortController();
    const pending = fetch("/www/blank.html?fetch=cancelled", { signal: controller.signal }).catch(() => "aborted");
    controller.abort();
    await pending;
    const xhr = new XMLHttpRequest();
    xhr.open("GET", "/www/blank.html?xhr=cancelled");
    xhr.send();
    xhr.abort();
    await new Promise((ok) => setTimeout(ok, 400));
    const id = oxeye.captureException(new Error("unrelated to the cancelled requests"));
    return { id, flushed: await oxeye.flush(15000) };
  });
  assert.equal(r.flushed, true);
  const ev = await bugsink.api.waitForEvent(r.id);
  assert.equal(ev.tags?.request_id, undefined, "not linked to a cancelled request");
  const crumbs = (ev.breadcrumbs?.values ?? []).filter((c) => /cancelled/.test(c.data?.url ?? ""));
  assert.equal(crumbs.length, 2, JSON.stringify(crumbs));
  for (const c of crumbs) {
    assert.equal(c.data.aborted, true);
    assert.notEqual(c.level, "error");
  }
});

test("Chromium: a click inside a web component's open shadow root names the element clicked, with the component's host above it", async () => {
  const r = await onBlankPage(async ([dsn]) => {
    const oxeye = await import("oxeye");
    oxeye.init({ dsn, globalHandlers: false, environment: "shadow-clicks" });
    await oxeye.getClient().ready;
    const host = document.createElement("pay-widget");
    host.id = "w1";
    document.body.append(host);
    const root = host.attachShadow({ mode: "open" });
    for (const label of ["Pay", "Cancel"]) {
      const b = document.createElement("button");
      b.setAttribute("aria-label", label);
      root.append(b);
      b.click();
    }
    const id = oxeye.captureMessage("after the shadow clicks");
    return { id, flushed: await oxeye.flush(15000) };
  });
  assert.equal(r.flushed, true);
  const clicks = await clickMessages(r.id);
  assert.deepEqual(clicks, ['body > pay-widget#w1 > button[aria-label="Pay"]', 'body > pay-widget#w1 > button[aria-label="Cancel"]']);
});

test("Chromium: a client with a `scrub` object gets the wasm that reads it, and only it fetches that file", async () => {
  const r = await onBlankPage(async ([dsn, scrub]) => {
    const oxeye = await import("oxeye");
    oxeye.init({ dsn, globalHandlers: false, environment: "scrub-rules", scrub });
    oxeye.setExtra("tenant_ref", "acme-42");
    oxeye.setExtra("plan", "pro");
    const id = oxeye.captureException(new Error("order ORD-123456 failed"));
    const flushed = await oxeye.flush(15000);
    return { id, flushed, wasm: performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname).filter((p) => p.endsWith(".wasm")) };
  });
  assert.equal(r.flushed, true);
  assert.deepEqual(r.wasm, ["/dist/core/wasm/oxeye_rules_bg.wasm"]);
  const ev = await bugsink.api.waitForEvent(r.id);
  assert.equal(ev.extra.tenant_ref, "[Filtered]", "the custom key is scrubbed");
  assert.equal(ev.extra.plan, "pro");
  assert.equal(ev.exception.values[0].value, "order [order] failed", "the value rule is applied");
  assert.ok(ev._meta?.exception, "the value rule's remark is in _meta");
  await assertValidForSentry([ev]);
});

test("Chromium: a page whose first client sets no `scrub` object fetches oxeye_bg.wasm; a later client with one gets an instance of its own", async () => {
  const r = await onBlankPage(async ([dsn, scrub]) => {
    const oxeye = await import("oxeye");
    const wasm = () => performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname).filter((p) => p.endsWith(".wasm"));
    const first = oxeye.init({ dsn, globalHandlers: false, environment: "lean-first" });
    first.setExtra("tenant_ref", "acme-1");
    const leanId = first.captureException(new Error("order ORD-111111 failed"));
    await first.flush(15000);
    const leanOnly = wasm();
    const second = oxeye.createClient({ dsn, globalHandlers: false, environment: "rules-second", scrub });
    second.setExtra("tenant_ref", "acme-2");
    const rulesId = second.captureException(new Error("order ORD-222222 failed"));
    const flushed = await second.flush(15000);
    return { leanId, rulesId, flushed, leanOnly, wasm: wasm() };
  });
  assert.equal(r.flushed, true);
  assert.deepEqual(r.leanOnly, ["/dist/core/wasm/oxeye_bg.wasm"], "a client without a `scrub` object fetches only oxeye_bg.wasm");
  assert.deepEqual(r.wasm, ["/dist/core/wasm/oxeye_bg.wasm", "/dist/core/wasm/oxeye_rules_bg.wasm"]);
  const events = await bugsink.api.waitForEvents((evs) => [r.leanId, r.rulesId].every((id) => evs.some((e) => e.data.event_id === id)));
  const lean = events.find((e) => e.data.event_id === r.leanId).data;
  const rules = events.find((e) => e.data.event_id === r.rulesId).data;
  assert.equal(lean.extra.tenant_ref, "acme-1", "no custom key without the `scrub` object");
  assert.equal(lean.exception.values[0].value, "order ORD-111111 failed");
  assert.equal(rules.extra.tenant_ref, "[Filtered]");
  assert.equal(rules.exception.values[0].value, "order [order] failed");
  await assertValidForSentry([lean, rules]);
});

test("Chromium: events dropped by sampleRate and beforeSend are reported in batched client reports", async () => {
  const capture = await startCaptureServer();
  const page = await chromium.newPage();
  try {
    await page.goto(`${server.url}/www/blank.html`);
    const flushed = await page.evaluate(async (dsn) => {
      const oxeye = await import("oxeye");
      oxeye.init({ dsn, sampleRate: 0 });
      for (let i = 0; i < 3; i++) oxeye.captureException(new Error(`sampled out ${i}`));
      const a = await oxeye.flush(15000);
      oxeye.init({ dsn, beforeSend: (ev) => (ev.exception.values[0].value.startsWith("secret") ? null : ev) });
      oxeye.captureException(new Error("secret one"));
      oxeye.captureException(new Error("secret two"));
      oxeye.captureException(new Error("public"));
      const b = await oxeye.flush(15000);
      return a && b;
    }, capture.dsn);
    assert.equal(flushed, true);
    assert.deepEqual(capture.events().map((e) => e.exception.values[0].value), ["public"]);
    const reports = capture.clientReports();
    assert.equal(reports.length, 2, "one report per flush, not one per drop");
    assert.deepEqual(reports[0].discarded_events, [{ reason: "sample_rate", category: "error", quantity: 3 }]);
    assert.deepEqual(reports[1].discarded_events, [{ reason: "before_send", category: "error", quantity: 2 }]);
    const envelopeUrls = capture.envelopes.map((e) => e.url);
    assert.ok(envelopeUrls.every((u) => u.startsWith("/api/1/envelope/?sentry_key=capturekey&sentry_version=7")), envelopeUrls.join(" "));
  } finally {
    await page.close();
    await capture.close();
  }
});
