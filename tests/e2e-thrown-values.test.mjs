// What apps throw besides Errors, in Chromium, reported to a capture server and checked
// by Sentry's normaliser: a DOM event rejected by an image's `onerror` (titled by its type
// and target, not by its one own key `isTrusted`), an Error whose `message` is an object
// (its JSON, not "[object Object]"), and an element in extras (a selector with its id and
// classes); an uncaught string or number thrown, which keeps the throw's place as its frame
// and makes the page view crashed; an Error whose message grew after its stack was read
// keeps its frames, and one cut for its length adds no frames it quotes.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { normalizeEvents } from "../scripts/lib/relay.mjs";
import { startBrowserRig } from "./helpers/browser-rig.mjs";
import { waitFor } from "./helpers/wait.mjs";
import { sessionUpdates } from "./helpers/sessions.mjs";

let capture, site, chromium, rig;

before(async () => ({ capture, site, chromium } = rig = await startBrowserRig()));
after(() => rig?.close());

test("Chromium: a rejected image error event, an object message and an element in extras are described by what tells them apart", async () => {
  const page = await chromium.newPage();
  try {
    await page.goto(`${site.url}/www/blank.html`);
    const flushed = await page.evaluate(
      async ({ dsn, origin }) => {
        const oxeye = await import(`${origin}/dist/entrypoints/browser.js`);
        oxeye.init({ dsn });
        document.body.insertAdjacentHTML("beforeend", '<div id="cart" class="panel  open"></div><img id="hero" class="lazy">');
        oxeye.setExtra("panel", document.querySelector("#cart"));
        const img = document.querySelector("#hero");
        // The usual way an image's failure becomes a rejection.
        new Promise((_, reject) => {
          img.onerror = reject;
          img.src = `${origin}/no-such-image.png`;
        });
        const body = new Error();
        body.message = { code: "E_QUOTA", retry: false };
        oxeye.captureException(body);
        await new Promise((r) => setTimeout(r, 500));
        return oxeye.flush(5000);
      },
      { dsn: capture.dsn, origin: site.url },
    );
    assert.equal(flushed, true);
    await waitFor(() => capture.events().length >= 2, { what: "two events" });
    const events = capture.events();
    const rejected = events.find((e) => e.exception.values.at(-1).mechanism.type.endsWith("onunhandledrejection"));
    assert.ok(rejected, "the image's error event was reported");
    assert.equal(rejected.exception.values.at(-1).type, "Event");
    assert.equal(rejected.exception.values.at(-1).value, "error on [HTMLImageElement: img#hero.lazy]");
    const body = events.find((e) => e.exception.values.at(-1).mechanism.type === "generic");
    assert.equal(body.exception.values.at(-1).value, '{"code":"E_QUOTA","retry":false}');
    assert.equal(body.extra.panel, "[HTMLDivElement: div#cart.panel.open]");
    for (const { errors } of await normalizeEvents(events)) assert.deepEqual(errors, [], "Sentry's normaliser finds nothing to drop");
  } finally {
    await page.close();
  }
});

test("Chromium: an uncaught thrown string or number has the throw's place as its frame and marks the page view crashed", async () => {
  const page = await chromium.newPage();
  try {
    await page.goto(`${site.url}/www/blank.html`);
    const from = capture.envelopes.length;
    await page.evaluate(
      async ({ dsn, origin }) => {
        const oxeye = await import(`${origin}/dist/entrypoints/browser.js`);
        oxeye.init({ dsn, release: "thrown@1.0.0" });
        await oxeye.getClient().ready;
      },
      { dsn: capture.dsn, origin: site.url },
    );
    // The app's script, from a file of its own.
    await page.route("**/throws.js", (route) => route.fulfill({ contentType: "text/javascript", body: 'setTimeout(() => { throw "out of stock"; }, 0);\nsetTimeout(() => { throw 42; }, 10);\n' }));
    await page.addScriptTag({ url: `${site.url}/throws.js` });
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => import(`${location.origin}/dist/entrypoints/browser.js`).then((o) => o.flush(5000))), true);
    const events = () => capture.envelopes.slice(from).flatMap((e) => e.envelope.items).filter((i) => i.headers.type === "event").map((i) => i.json);
    await waitFor(() => events().length >= 2, { what: "two events" });
    for (const [value, ev] of [["Uncaught out of stock", events()[0]], ["Uncaught 42", events()[1]]]) {
      const ex = ev.exception.values.at(-1);
      assert.equal(ex.value, value);
      assert.deepEqual(ex.mechanism, { type: "auto.browser.global_handlers.onerror", handled: false });
      const frame = ex.stacktrace?.frames?.at(-1);
      assert.equal(frame?.filename, `${site.url}/throws.js`, "the throw's place");
      assert.equal(frame.lineno, value === "Uncaught 42" ? 2 : 1);
    }
    const statuses = sessionUpdates(capture.envelopes.slice(from)).map((s) => s.status);
    assert.ok(statuses.includes("crashed"), `the page view crashed (${statuses})`);
  } finally {
    await page.close();
  }
});

/**
 * Starts oxeye in a fresh page, runs `act(oxeye)` there (its source, as Playwright runs a
 * function it is given), flushes, and returns the events it sent.
 */
async function eventsOf(act) {
  const page = await chromium.newPage();
  try {
    await page.goto(`${site.url}/www/blank.html`);
    const before = capture.events().length;
    const flushed = await page.evaluate(`(async () => {
      const oxeye = await import(${JSON.stringify(`${site.url}/dist/entrypoints/browser.js`)});
      await oxeye.init({ dsn: ${JSON.stringify(capture.dsn)} }).ready;
      await (${act})(oxeye);
      return oxeye.flush(5000);
    })()`);
    assert.equal(flushed, true);
    await waitFor(() => capture.events().length > before, { what: "the event" });
    return capture.events().slice(before);
  } finally {
    await page.close();
  }
}

test("Chromium: a failed request's error begins at the app's call, without the frames of oxeye's fetch wrapper", async () => {
  const events = await eventsOf(async (oxeye) => {
    // Port 9 (discard) refuses the connection: "Failed to fetch".
    async function loadCart() {
      return await fetch("http://127.0.0.1:9/cart");
    }
    try {
      await loadCart();
    } catch (e) {
      oxeye.captureException(e);
    }
  });
  const ev = events.find((e) => e.exception.values.at(-1).type === "TypeError");
  const frames = ev.exception.values.at(-1).stacktrace.frames;
  assert.equal(frames.at(-1).function, "loadCart", JSON.stringify(frames.map((f) => [f.function, f.filename])));
  assert.ok(!frames.some((f) => /\/instrument\/fetch\.js$/.test(f.filename ?? "")), "no frame of oxeye's own");
  assert.ok(ev.breadcrumbs.values.some((c) => c.category === "fetch" && c.data.url === "http://127.0.0.1:9/cart" && c.level === "error"), "the request's breadcrumb");
  for (const { errors } of await normalizeEvents([ev])) assert.deepEqual(errors, []);
});

test("Chromium: an error whose message grew after its stack was read (Svelte's component trace, in development) keeps its frames", async () => {
  const events = await eventsOf((oxeye) => {
    function price() {
      throw new Error("price is not a number");
    }
    function renderBomb() {
      price();
    }
    try {
      renderBomb();
    } catch (e) {
      // As Svelte's dev runtime does: the stack is read first, then the message grows.
      void e.stack;
      e.message += "\n\n\tin <unknown>\n\tin Bomb.svelte\n\tin App.svelte\n";
      oxeye.captureException(e);
    }
  });
  const ex = events.at(-1).exception.values.at(-1);
  assert.match(ex.value, /^price is not a number\n\n\tin <unknown>/);
  const names = ex.stacktrace?.frames.map((f) => f.function) ?? [];
  assert.deepEqual(names.slice(-2), ["renderBomb", "price"], JSON.stringify(names));
});

test("Chromium: a message longer than is sent, quoting another error's stack past its cut, adds none of those frames", async () => {
  const events = await eventsOf((oxeye) => {
    function submitOrder() {
      const quoted = "Caused by: Error: inner\n    at quotedInner (http://elsewhere/lib.js:1:1)\n    at quotedOuter (http://elsewhere/lib.js:2:2)";
      throw new Error(`order failed: ${"x".repeat(17_000)}\n${quoted}`);
    }
    try {
      submitOrder();
    } catch (e) {
      oxeye.captureException(e);
    }
  });
  const names = events.at(-1).exception.values.at(-1).stacktrace.frames.map((f) => f.function);
  assert.equal(names.at(-1), "submitOrder", JSON.stringify(names));
  assert.ok(!names.some((n) => /quoted/.test(n ?? "")), JSON.stringify(names));
});

test("Chromium: an error thrown twelve calls deep keeps the callers past V8's default ten frames", async () => {
  const events = await eventsOf((oxeye) => {
    const chain = (n) => (n ? chain(n - 1) : null.deep);
    function onClick() {
      chain(12);
    }
    try {
      onClick();
    } catch (e) {
      oxeye.captureException(e);
    }
  });
  const names = events.at(-1).exception.values.at(-1).stacktrace.frames.map((f) => f.function);
  // chain ×13, onClick, and the frames of the page's own calls below it
  assert.ok(names.length >= 14, JSON.stringify(names));
  assert.ok(names.includes("onClick"), JSON.stringify(names));
});
