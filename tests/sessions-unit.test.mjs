// Release health wiring in the shim against a fake core (no wasm, no browser): request-mode
// sessions counted per isolation scope and flushed as a `sessions` envelope with category
// session; page-view sessions started at init time, restarted on navigation, ended on page
// hide and sent at once after an error event; nothing without a release, and the debug log
// says why. `npm run test:unit` runs it on the shim compiled to target/unit-dist, `npm test` on dist/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath, pathToFileURL } from "node:url";
import { fakeCore, linkedLoad } from "./helpers/fake-core.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = pathToFileURL(process.env.OXEYE_UNIT_DIST ?? `${root}dist/`).href.replace(/\/?$/, "/");
const { OxeyeClient } = await import(`${dist}api/client.js`);
const { startEngine } = await import(`${dist}api/engine.js`);
const { instrument } = await import(`${dist}api/api.js`);
const { requestAggregates } = await import(`${dist}api/sessions.js`);
const { requestRules } = await import(`${dist}instrument/request-rules.js`);
const enums = await import(`${dist}core/enums.js`);
const { Category, RequestSessionStatus } = enums;

const DSN = "http://pubkey@127.0.0.1:9/42";
const dec = new TextDecoder();

function setup(options = {}, runtime = "node") {
  const fake = fakeCore({ enums });
  const sent = [];
  const transport = async (req) => {
    const text = dec.decode(req.body);
    sent.push({ text, keepalive: req.keepalive, items: text.split("\n").slice(1).filter(Boolean).map((l) => JSON.parse(l)) });
    return { status: 200, headers: {} };
  };
  const platform = { runtime, loadCore: () => fake.Core, load: linkedLoad(startEngine), requestRules };
  // As the entry points do: request-mode sessions come with the server platforms, not the browser's.
  if (runtime !== "browser") platform.requestSessions = requestAggregates;
  const client = new OxeyeClient({ dsn: DSN, transport, offline: false, release: "app@1", ...options }, platform);
  return { client, fake, sent, core: () => fake.state.instances.at(-1) };
}

const types = (sent) => sent.flatMap((s) => s.items.filter((i) => i.type).map((i) => i.type));

test("server: requests are recorded in their isolation scope and flushed as one sessions envelope", async () => {
  const { client, core, sent } = setup();
  const ids = [];
  for (let i = 0; i < 50; i++) {
    client.withIsolationScope((scope) => {
      ids.push(scope.id);
      client.recordRequestSession(i < 5 ? (i < 3 ? "errored" : "crashed") : undefined);
    });
  }
  assert.equal(new Set(ids).size, 50, "one isolation scope per request");
  assert.deepEqual(core().requests.map(([iso]) => iso), ids, "each request counted in its own isolation scope");
  const statuses = core().requests.map(([, s]) => s);
  assert.deepEqual([statuses.filter((s) => s === "Errored").length, statuses.filter((s) => s === "Crashed").length, statuses.filter((s) => s === "Exited").length], [3, 2, 45]);
  assert.equal(await client.flush(1000), true);
  const envs = sent.filter((s) => types([s]).includes("sessions"));
  assert.equal(envs.length, 1);
  assert.deepEqual(envs[0].items[1], { aggregates: [{ errored: 3, crashed: 2, exited: 45 }] });
  assert.equal(await client.flush(1000), true);
  assert.equal(sent.filter((s) => types([s]).includes("sessions")).length, 1, "nothing new, nothing sent");
  await client.close(100);
});

test("server: no page sessions, and the category of the envelope is session", async () => {
  const { client, core, fake, sent } = setup();
  instrument(client);
  client.captureException(new Error("boom"));
  assert.equal(fake.state.calls.filter((c) => c[0] === "startSession").length, 0);
  client.recordRequestSession();
  const recorded = [];
  core().recordOutcome = function (r, c, q) { recorded.push([r, c, q]); };
  client["engine"].delivery.limits.update("60:session", Date.now());
  await client.flush(1000);
  assert.deepEqual(types(sent).filter((t) => t.startsWith("session")), [], "a rate-limited session envelope is not sent");
  assert.ok(recorded.some(([, c, q]) => c === Category.Session && q === 1), `dropped as a session: ${JSON.stringify(recorded)}`);
  await client.close(100);
});

test("server: without a release the debug log says why, once; autoSessionTracking: false records no request", async (t) => {
  const lines = [];
  const log = console.log;
  console.log = (m) => lines.push(String(m));
  t.after(() => (console.log = log));

  const a = setup({ release: undefined, debug: true });
  for (let i = 0; i < 3; i++) a.client.withIsolationScope(() => a.client.recordRequestSession());
  await a.client.flush(1000);
  assert.deepEqual(types(a.sent).filter((x) => x.startsWith("session")), []);
  assert.equal(lines.filter((l) => l.includes("sessions are not sent: no `release` is set")).length, 1, lines.join("\n"));
  await a.client.close(100);

  const b = setup({ autoSessionTracking: false });
  await b.client.ready;
  for (let i = 0; i < 3; i++) b.client.withIsolationScope(() => b.client.recordRequestSession(i ? undefined : "errored"));
  await b.client.flush(1000);
  assert.equal(b.fake.state.calls.filter((c) => c[0] === "recordRequestSession").length, 0);
  assert.deepEqual(types(b.sent).filter((x) => x.startsWith("session")), []);
  await b.client.close(100);
});

test("browser: no request-mode sessions (the browser platform supplies none: a page serves no requests)", async () => {
  const { client, core, fake, sent } = setup({ breadcrumbs: false, autoSessionTracking: false }, "browser");
  await client.ready;
  client.withIsolationScope(() => client.recordRequestSession("errored"));
  assert.equal(await client.flush(1000), true);
  const calls = fake.state.calls.map((c) => c[0]);
  assert.ok(!calls.includes("recordRequestSession") && !calls.includes("takeSessionAggregates"), calls.join(" "));
  assert.deepEqual(core().requests, []);
  assert.deepEqual(types(sent).filter((t) => t === "sessions"), []);
  await client.close(100);
});

test("browser: a page view starts at init time, errors send the changed session, navigation starts a new one, hide ends it", async (t) => {
  const doc = new EventTarget();
  doc.visibilityState = "visible";
  const win = new EventTarget();
  const saved = { document: globalThis.document, addEventListener: globalThis.addEventListener, removeEventListener: globalThis.removeEventListener, history: globalThis.history, location: globalThis.location };
  globalThis.document = doc;
  globalThis.addEventListener = win.addEventListener.bind(win);
  globalThis.removeEventListener = win.removeEventListener.bind(win);
  let href = "http://127.0.0.1/a";
  globalThis.location = { get href() { return href; }, hostname: "127.0.0.1" };
  globalThis.history = { pushState(_s, _t, url) { href = new URL(url, href).href; }, replaceState() {} };
  t.after(() => Object.assign(globalThis, saved));

  const before = Date.now();
  const { client, core, fake, sent } = setup({ breadcrumbs: false }, "browser");
  instrument(client);
  await client.ready;
  const starts = fake.state.calls.filter((c) => c[0] === "startSession");
  assert.equal(starts.length, 1);
  assert.ok(starts[0][2] >= before && starts[0][2] <= client.startedAt, "the first session starts at init time");
  await client.flush(1000);
  const sessionEnvelopes = () => sent.filter((s) => types([s]).includes("session"));
  assert.equal(sessionEnvelopes().length, 1);
  assert.deepEqual(sessionEnvelopes()[0].items[1].status, "ok");

  client.captureException(new Error("handled"));
  await client.flush(1000);
  assert.equal(sessionEnvelopes().at(-1).items[1].status, "errored", "the changed session is sent with the event");

  globalThis.history.pushState({}, "", "/b");
  await client.flush(1000);
  assert.equal(fake.state.calls.filter((c) => c[0] === "startSession").length, 2, "navigation starts a new session");

  doc.visibilityState = "hidden";
  doc.dispatchEvent(new Event("visibilitychange"));
  await client.flush(1000);
  const last = sessionEnvelopes().at(-1);
  assert.equal(last.items.at(-1).status, "exited");
  assert.equal(last.keepalive, true, "the end outlives the page");
  doc.visibilityState = "visible";
  doc.dispatchEvent(new Event("visibilitychange"));
  assert.equal(fake.state.calls.filter((c) => c[0] === "startSession").length, 3, "shown again: a new session");
  await client.close(100);
  assert.ok(core());
});

test("browser: without a release nothing is sent and the debug log says why; autoSessionTracking: false sends nothing", async (t) => {
  const doc = new EventTarget();
  doc.visibilityState = "visible";
  const saved = { document: globalThis.document };
  globalThis.document = doc;
  t.after(() => Object.assign(globalThis, saved));
  const lines = [];
  const log = console.log;
  console.log = (m) => lines.push(String(m));
  t.after(() => (console.log = log));

  const a = setup({ release: undefined, debug: true, breadcrumbs: false }, "browser");
  instrument(a.client);
  await a.client.flush(1000);
  assert.deepEqual(types(a.sent).filter((x) => x.startsWith("session")), []);
  assert.ok(lines.some((l) => l.includes("sessions are not sent: no `release` is set")), lines.join("\n"));
  await a.client.close(100);

  const b = setup({ autoSessionTracking: false, breadcrumbs: false }, "browser");
  instrument(b.client);
  await b.client.flush(1000);
  assert.equal(b.fake.state.calls.filter((c) => c[0] === "startSession").length, 0);
  await b.client.close(100);
  assert.equal(RequestSessionStatus.Crashed, 2);
});
